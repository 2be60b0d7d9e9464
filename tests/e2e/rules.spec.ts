import { expect, test } from './fixtures';
import { expectAccessible } from './helpers';

test('a teacher edits the recommendation rules, is told what is wrong, saves and resets them', async ({
	page
}) => {
	await page.goto('./predict/rules');
	await expect(page.getByRole('heading', { name: 'Recommendation rules' })).toBeVisible();
	await expect(page.getByText('The Classlens default rules.')).toBeVisible();
	const first = page.getByRole('group', { name: 'Rule 1: Low attendance' });
	await expect(first).toBeVisible();
	await expectAccessible(page, 'rule editor');

	// A threshold that is not a number is refused with the rule and condition named.
	const value = first.getByRole('spinbutton', { name: 'Condition 1, threshold 1: value' });
	await value.fill('');
	await page.getByRole('button', { name: 'Save the rules' }).click();
	const errors = page.getByTestId('rule-errors');
	await expect(errors).toContainText('The rules were not saved');
	await expect(errors).toContainText(/Rule 1 .Low attendance., condition 1/);

	// A valid edit is saved and survives a reload.
	await value.fill('3');
	await first.getByLabel('Priority').selectOption('medium');
	await page.getByRole('button', { name: 'Save the rules' }).click();
	await expect(page.getByText(/^Saved. Predictions from now on use/)).toBeVisible();
	await page.reload();
	await expect(page.getByText(/Your rules, version \d+\./)).toBeVisible();
	await expect(
		page
			.getByRole('group', { name: 'Rule 1: Low attendance' })
			.getByRole('spinbutton', { name: 'Condition 1, threshold 1: value' })
	).toHaveValue('3');

	// Back to the defaults after a confirmation.
	await page.getByRole('button', { name: 'Back to the defaults' }).click();
	await page.getByRole('button', { name: 'Use the defaults' }).click();
	await expect(page.getByText('Back to the default rules.')).toBeVisible();
	await expect(
		page
			.getByRole('group', { name: 'Rule 1: Low attendance' })
			.getByRole('spinbutton', { name: 'Condition 1, threshold 1: value' })
	).toHaveValue('5');
});
