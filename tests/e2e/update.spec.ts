import { expect, test } from './fixtures';
import { createDemo, waitForServiceWorker } from './helpers';

test('a new version is offered, and reloading into it keeps every dataset', async ({
	page,
	request
}) => {
	await page.goto('./');
	await waitForServiceWorker(page);
	await createDemo(page);
	await page.goto('./');
	await expect(page.getByTestId('dataset-list').getByRole('listitem')).toHaveCount(1);

	// The server now serves a different service worker, as after a release.
	await request.get('http://127.0.0.1:4173/__test/bump-sw');
	await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
	const prompt = page.getByTestId('update-prompt');
	await expect(prompt).toBeVisible({ timeout: 30_000 });
	await expect(prompt).toContainText('A new version of Classlens is ready');
	await prompt.getByRole('button', { name: 'Reload' }).click();

	await page.waitForLoadState('load');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/your classes/i);
	await expect(page.getByTestId('dataset-list').getByRole('listitem')).toHaveCount(1);
	await expect(page.getByTestId('update-prompt')).toBeHidden();
});
