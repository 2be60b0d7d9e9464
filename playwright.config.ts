import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

export const ROOT_URL = 'http://127.0.0.1:4173';
export const SUB_URL = 'http://127.0.0.1:4174/classlens';

export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 120_000,
	expect: { timeout: 20_000 },
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
	use: {
		baseURL: ROOT_URL,
		trace: 'retain-on-failure',
		serviceWorkers: 'allow',
		launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
	webServer: [
		{
			command: 'node scripts/serve.mjs --dir build --port 4173',
			url: `${ROOT_URL}/`,
			reuseExistingServer: !process.env.CI
		},
		{
			command: 'node scripts/serve.mjs --dir build-sub --base /classlens --port 4174',
			url: `${SUB_URL}/`,
			reuseExistingServer: !process.env.CI
		}
	]
});
