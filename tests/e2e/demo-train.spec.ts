import { expect, test } from './fixtures';
import { createDemo, trainQuick } from './helpers';

test('a teacher creates the demo class, trains a model, and rolls back a version', async ({
	page
}) => {
	await page.goto('./');
	await expect(page.getByTestId('empty-state')).toBeVisible();
	const url = await createDemo(page);

	// The dataset page shows the columns of the marks profile and real rows.
	await expect(page.getByRole('rowheader', { name: 'final_exam' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'All 240 rows' })).toBeVisible();
	await expect(page.getByTestId('rows-table').locator('tr[data-row="0"]')).toContainText('S0');

	// The home page lists it.
	await page.goto('./');
	await expect(page.getByTestId('dataset-list').getByRole('listitem')).toHaveCount(1);

	await trainQuick(page, url);
	const result = page.getByTestId('train-result');
	await expect(result).toContainText('v1');
	await expect(result).toContainText(/on average .* off/);
	// The model must beat guessing the class average on the held-out rows.
	const text = await result.textContent();
	expect(text).toMatch(/smaller than guessing the class average/);

	await trainQuick(page, url, 10);
	await expect(page.getByTestId('train-result')).toContainText('v2');

	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Models' })
		.click();
	const versions = page.getByTestId('model-versions');
	await expect(versions.locator('tr[data-version="2"]')).toContainText('active');
	await versions.getByRole('button', { name: 'Activate v1' }).click();
	await expect(versions.locator('tr[data-version="1"]')).toContainText('active');
	await expect(versions.locator('tr[data-version="2"]')).toContainText('inactive');
});

test('training can be cancelled and the page stays usable', async ({ page }) => {
	const url = await createDemo(page);
	await page.goto(`${url}/train`);
	await page.getByLabel('Training passes (epochs)').fill('500');
	await page.getByRole('button', { name: 'Train', exact: true }).click();
	await expect(page.getByTestId('progress')).toBeVisible();
	await page.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByTestId('progress')).toBeHidden({ timeout: 15_000 });
	await expect(page.getByTestId('train-result')).toBeHidden();
	await expect(page.getByTestId('error')).toBeHidden();
	await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});
