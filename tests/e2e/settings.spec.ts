import { expect, test } from './fixtures';
import { createDemo, expectAccessible } from './helpers';

test('settings shows the measured compute engine and lets the user override it', async ({
	page
}) => {
	await page.goto('./settings');
	const active = page.getByTestId('backend-active');
	await expect(active).not.toBeEmpty({ timeout: 90_000 }); // the speed probe is slow on a busy machine
	// Headless Chromium has only a software WebGPU adapter: the choice must be explained.
	await expect(page.getByTestId('backend-reason')).toContainText(/\w+/);
	await page.getByLabel('Engine', { exact: true }).selectOption('cpu');
	await expect(active).toHaveText(/Plain JavaScript/);
	// The choice is remembered across reloads.
	await page.reload();
	await expect(page.getByTestId('backend-active')).toHaveText(/Plain JavaScript/);
	await expect(page.getByLabel('Engine', { exact: true })).toHaveValue('cpu');
	await page.getByLabel('Engine', { exact: true }).selectOption('auto');
	await expect(page.getByTestId('backend-active')).not.toHaveText(/Plain JavaScript/);
});

test('delete everything asks for confirmation and then removes every dataset', async ({ page }) => {
	await createDemo(page);
	await page.goto('./settings');
	await page.getByRole('button', { name: 'Delete everything…' }).click();
	const dialog = page.getByRole('dialog', { name: 'Delete all Classlens data?' });
	await expect(dialog).toBeVisible();
	await expectAccessible(page, 'delete-everything dialog');
	const confirm = dialog.getByRole('button', { name: 'Delete everything' });
	await expect(confirm).toBeDisabled();
	await dialog.getByLabel(/Type DELETE/).fill('delete');
	await expect(confirm).toBeDisabled();
	await dialog.getByLabel(/Type DELETE/).fill('DELETE');
	await confirm.click();
	await expect(page.getByTestId('deleted-status')).toBeVisible();
	await page.goto('./');
	await expect(page.getByTestId('empty-state')).toBeVisible();
});

test('storage usage and persistence status are shown', async ({ page }) => {
	await createDemo(page);
	await page.goto('./settings');
	await expect(page.getByTestId('storage-usage')).toContainText(/ of /);
	await expect(page.getByTestId('persisted')).toHaveText(/yes|no/);
	await page.getByRole('button', { name: 'Protect my data' }).click();
	await expect(
		page.getByRole('status').filter({ hasText: /Granted|declined|support/ })
	).toBeVisible();
});
