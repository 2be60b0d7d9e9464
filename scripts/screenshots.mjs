#!/usr/bin/env node
// Screenshots of every page at desktop and phone width, light and dark, for looking at what we
// built as a user would. Needs a built app served by scripts/serve.mjs (default port 4173):
//   node scripts/serve.mjs --dir build --port 4173 &  node scripts/screenshots.mjs [outDir]
// The home page at desktop/light is also copied to docs/screenshots/ for the README.
import { chromium } from '@playwright/test';
import { mkdirSync, copyFileSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const out = process.argv[2] ?? 'screenshots';
const base = process.env.BASE_URL ?? 'http://127.0.0.1:4173';
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
	executablePath: CHROMIUM_PATH,
	args: CHROMIUM_ARGS
});

const sizes = { desktop: { width: 1280, height: 860 }, phone: { width: 390, height: 844 } };
for (const [sizeName, viewport] of Object.entries(sizes)) {
	for (const scheme of ['light', 'dark']) {
		const context = await browser.newContext({ viewport, colorScheme: scheme });
		const page = await context.newPage();
		await page.goto(`${base}/`);
		await page.getByRole('button', { name: 'Try the demo class' }).click();
		await page.waitForURL(/datasets\/[^/]+$/, { timeout: 60_000 });
		const dataset = page.url();
		await page.goto(`${dataset}/train`);
		await page.getByLabel('Training passes (epochs)').fill('40');
		await page.getByRole('button', { name: 'Train', exact: true }).click();
		await page.getByTestId('train-result').waitFor({ timeout: 90_000 });
		const pages = [
			['train', null],
			['home', `${base}/`],
			['dataset', dataset],
			['models', `${base}/models`],
			['settings', `${base}/settings`],
			['import', `${base}/import`],
			['personas', `${base}/personas`]
		];
		for (const [name, url] of pages) {
			if (url) await page.goto(url);
			await page.waitForTimeout(name === 'settings' ? 2500 : 400);
			const file = `${out}/${name}-${sizeName}-${scheme}.png`;
			await page.screenshot({ path: file, fullPage: true });
			if (name === 'home' && sizeName === 'desktop' && scheme === 'light') {
				mkdirSync('docs/screenshots', { recursive: true });
				copyFileSync(file, 'docs/screenshots/home-desktop-light.png');
			}
		}
		await context.close();
	}
}
await browser.close();
console.log(`screenshots in ${out}/`);
