import { expect, test } from './fixtures';
import { STATIC_PAGES, createDemo, trainModel, waitForServiceWorker } from './helpers';

test('after one online visit everything works offline', async ({ page, context }) => {
	await page.goto('./');
	await waitForServiceWorker(page);
	await context.setOffline(true);

	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/your classes/i);
	for (const { path, heading } of STATIC_PAGES) {
		await page.goto(`.${path}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
	}
	// The demo is generated and a model trained with no network at all (WASM comes from the cache).
	const url = await createDemo(page);
	await trainModel(page, url, ['Neural network']);
	await expect(page.getByTestId('train-result')).toContainText('v1');
	await page.goto('./settings');
	await expect(page.getByTestId('backend-active')).not.toBeEmpty({ timeout: 90_000 }); // the speed probe is slow on a busy machine
	await context.setOffline(false);
});
