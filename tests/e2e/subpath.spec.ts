import { expect, test } from './fixtures';

const SUB = 'http://127.0.0.1:4174/classlens';

test('the build served from /classlens/ works, installs its worker there and stays inside', async ({
	page
}) => {
	const outside: string[] = [];
	page.on('request', (r) => {
		const u = new URL(r.url());
		if (!u.pathname.startsWith('/classlens')) outside.push(r.url());
	});
	await page.goto(`${SUB}/`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/your classes/i);
	await page.getByRole('button', { name: 'Try the demo class' }).click();
	await expect(page).toHaveURL(/\/classlens\/datasets\/[^/]+$/, { timeout: 60_000 });
	await expect(page.getByTestId('n-rows')).toHaveText('240');

	const nav = page.getByRole('navigation', { name: 'Main' });
	await nav.getByRole('link', { name: 'Settings' }).click();
	await expect(page).toHaveURL(`${SUB}/settings`);
	await expect(page.getByTestId('backend-active')).not.toBeEmpty({ timeout: 90_000 }); // the speed probe is slow on a busy machine

	// A deep link works on a fresh load too.
	await page.goto(`${SUB}/models`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Models');

	const scope = await page.evaluate(async () => {
		const reg = await navigator.serviceWorker.ready;
		return reg.scope;
	});
	expect(scope).toBe(`${SUB}/`);
	const manifest = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(manifest).toMatch(/^\/classlens\//);
	expect(outside).toEqual([]);
});
