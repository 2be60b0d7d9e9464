import { expect, test } from './fixtures';
import { STATIC_PAGES, expectAccessible, createDemo } from './helpers';

test.describe('every page', () => {
	for (const { path, heading } of STATIC_PAGES) {
		test(`${path} opens, has its heading and passes axe (light and dark)`, async ({ page }) => {
			await page.goto(`.${path}`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
			await expectAccessible(page, `${path} (light)`);
			await page.emulateMedia({ colorScheme: 'dark' });
			await expectAccessible(page, `${path} (dark)`);
		});
	}

	test('the navigation reaches every page and marks the current one', async ({ page }) => {
		await page.goto('./');
		const nav = page.getByRole('navigation', { name: 'Main' });
		for (const name of [
			'Import',
			'Models',
			'Predict',
			'Personas',
			'Activity',
			'Monitor',
			'Settings'
		]) {
			await nav.getByRole('link', { name }).click();
			await expect(nav.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		}
		await nav.getByRole('link', { name: 'Datasets' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/your classes/i);
	});

	test('on a phone the menu button opens the navigation', async ({ page }) => {
		await page.setViewportSize({ width: 390, height: 844 });
		await page.goto('./');
		const nav = page.getByRole('navigation', { name: 'Main' });
		await expect(nav).toBeHidden();
		await page.getByRole('button', { name: 'Menu' }).click();
		await expect(nav).toBeVisible();
		await nav.getByRole('link', { name: 'Settings' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(/settings/i);
		await expect(nav).toBeHidden();
		await expectAccessible(page, 'settings on a phone');
	});

	test('dataset and training pages pass axe', async ({ page }) => {
		const url = await createDemo(page);
		await expectAccessible(page, 'dataset page');
		await page.goto(`${url}/train`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Train a model');
		await expectAccessible(page, 'training page');
	});

	test('an unknown dataset says so instead of breaking', async ({ page }) => {
		await page.goto('./datasets/does-not-exist');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dataset not found');
	});
});
