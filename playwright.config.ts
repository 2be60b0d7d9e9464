import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';

// Debian's Chromium where it exists (CI and these machines cannot download Playwright's own
// browser); elsewhere Playwright's bundled Chromium.
const debianChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) =>
	existsSync(p)
);

const args = [
	'--no-sandbox',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-quic',
	'--disable-dev-shm-usage',
	// WebGPU in headless Chromium exists only on a software adapter; Classlens must notice that
	// and measure rather than assume a GPU.
	'--enable-unsafe-webgpu',
	'--enable-unsafe-swiftshader',
	'--use-webgpu-adapter=swiftshader',
	'--enable-features=Vulkan,WebGPU',
	'--use-vulkan=swiftshader'
];

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
		launchOptions: { executablePath: debianChromium, args }
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
