import { expect, test } from './fixtures';
import { createDemo, expectAccessible, trainModel } from './helpers';

test('a teacher trains automatically, reads the diagnostics, then activates and rolls back versions', async ({
	page
}) => {
	test.setTimeout(300_000);
	await page.goto('./');
	await expect(page.getByTestId('empty-state')).toBeVisible();
	const url = await createDemo(page);

	// The dataset page shows the columns of the marks profile and real rows.
	await expect(page.getByRole('rowheader', { name: 'final_exam' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'All 240 rows' })).toBeVisible();
	await expect(page.getByTestId('rows-table').locator('tr[data-row="0"]')).toContainText('S0');

	// Automatic mode: every family with a small search, checked by 5-fold cross-validation.
	await trainModel(page, url);
	const result = page.getByTestId('train-result');
	await expect(result).toContainText('v1');
	await expect(result).toContainText(/had the best cross-validated|was chosen/);
	await expect(result).toContainText(/split at random into 5 parts/);
	const board = result.getByRole('table', { name: /compared by cross-validation/i });
	for (const family of [
		/Ridge regression/,
		/Random forest/,
		/Gradient boosting/,
		/Neural network/
	]) {
		await expect(board.getByRole('row', { name: family }).first()).toBeVisible();
	}
	await expect(board.getByRole('row', { name: /Baseline/ })).toBeVisible();
	// Diagnostics: each figure with its plain-language reading.
	await expect(result).toContainText(/On average the predicted final_exam is [\d.]+ marks off/);
	await expect(result.getByRole('heading', { name: /Predicted vs actual/i })).toBeVisible();
	await expect(result.getByRole('heading', { name: /residuals/i })).toBeVisible();
	await expect(result.getByRole('heading', { name: /relies on/i })).toBeVisible();
	await expectAccessible(page, 'training result');

	// A second, quicker version: the linear model only.
	await trainModel(page, url, ['Linear model']);
	await expect(page.getByTestId('train-result')).toContainText('v2');
	await expect(page.getByTestId('train-result')).toContainText(/Ridge regression/);

	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Models' })
		.click();
	const v1 = page.getByTestId('model-version-1');
	const v2 = page.getByTestId('model-version-2');
	await expect(v2).toContainText('Active');
	await expect(v1).not.toContainText('Active');
	// Roll back to v1, then activate v2 again.
	await page.getByRole('button', { name: 'Activate v1' }).click();
	await expect(v1).toContainText('Active');
	await expect(v2).not.toContainText('Active');
	await page.getByRole('button', { name: 'Activate v2' }).click();
	await expect(v2).toContainText('Active');
	await expect(v1).not.toContainText('Active');
	await expectAccessible(page, 'model registry');
});

test('training can be cancelled and the page stays usable', async ({ page }) => {
	const url = await createDemo(page);
	await page.goto(`${url}/train`);
	await expect(page.getByText(/rows have a known outcome/)).toBeVisible({ timeout: 30_000 });
	await page.getByRole('button', { name: 'Train', exact: true }).click();
	await expect(page.getByTestId('progress')).toBeVisible();
	await expect(page.getByTestId('train-detail')).toContainText(/fold \d of 5/, { timeout: 60_000 });
	await page.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByTestId('progress')).toBeHidden({ timeout: 30_000 });
	await expect(page.getByTestId('train-result')).toBeHidden();
	await expect(page.getByTestId('error')).toBeHidden();
	await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});

test('a grade derived from marks is trained as classes, with a confusion matrix', async ({
	page
}) => {
	test.setTimeout(180_000);
	const url = await createDemo(page);
	await page.goto(`${url}/train`);
	await expect(page.getByText(/rows have a known outcome/)).toBeVisible({ timeout: 30_000 });
	await page.getByLabel('Predict it as').selectOption('grade');
	await expect(page.getByRole('group', { name: 'Grade boundaries' })).toBeVisible();
	await expect(page.getByText(/Predicted as one of several outcomes/)).toBeVisible();
	// A boundary out of order is refused with a message before anything runs.
	const firstMin = page.getByLabel('Grade 1 lowest mark');
	const original = await firstMin.inputValue();
	await firstMin.fill('-5');
	await expect(page.getByRole('alert')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
	await firstMin.fill(original);
	await page.getByRole('checkbox', { name: /Automatic: try/ }).uncheck();
	for (const name of ['Random forest', 'Gradient boosting', 'Neural network']) {
		await page.getByRole('checkbox', { name: new RegExp(`^${name}`) }).uncheck();
	}
	await page.getByRole('button', { name: 'Train', exact: true }).click();
	const result = page.locator('[data-testid="train-result"][data-fresh="true"]');
	await expect(result).toBeVisible({ timeout: 120_000 });
	await expect(result).toContainText(/Logistic regression/);
	await expect(result.getByRole('heading', { name: 'Where the mistakes are' })).toBeVisible();
	await expect(
		result.getByRole('heading', { name: 'Are the probabilities honest?' })
	).toBeVisible();
	await expectAccessible(page, 'classification diagnostics');
});
