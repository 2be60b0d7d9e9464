import { expect, test } from './fixtures';
import { expectAccessible } from './helpers';

const CSV = 'tests/fixtures/e2e/class-export.csv';

test('a teacher imports a messy export, fixes a typo, skips a bad row and sees the class', async ({
	page
}) => {
	await page.goto('./import');
	await expectAccessible(page, 'import page, empty');
	await page.getByTestId('file-input').setInputFiles(CSV);

	// What Classlens understood about the file, before reading all of it.
	await expect(page.getByTestId('format')).toContainText('Windows-1252');
	await expect(page.getByTestId('format')).toContainText('semicolon');
	await expect(page.getByTestId('profile')).toContainText(/marks/i);
	const preview = page.getByTestId('preview-table');
	await expect(preview).toContainText('Zoë 10');
	await expect(preview).toContainText('60,2');
	await expect(page.getByLabel('Role of final_exam')).toHaveValue('target');
	await expect(page.getByLabel('Type of attendance')).toHaveValue('number');
	await page.getByLabel('Role of name').selectOption('ignore');
	await expectAccessible(page, 'import preview');

	await page.getByRole('button', { name: 'Check the whole file' }).click();
	const report = page.getByTestId('report');
	await expect(report).toBeVisible();
	const errors = page.getByTestId('errors');
	await expect(errors).toContainText(/row 6.*attendance/);
	await expect(errors).toContainText(/absent/);
	await expect(errors).toContainText(/row 10.*attendance/);
	await expect(errors).toContainText(/140/);
	await expectAccessible(page, 'import report');

	// Fix the unreadable value in place; the out-of-range one is left for skipping.
	await page.getByLabel('Correct value for attendance in row 6').fill('55,5');
	await page.getByRole('button', { name: 'Apply corrections' }).click();
	await expect(page.getByTestId('bad-cells')).toBeHidden();
	await expect(errors).not.toContainText('absent');
	await expect(errors).toContainText(/row 10/);

	await page.getByLabel('Skip those rows').check();
	await page.getByLabel('Dataset name').fill('Class export, term 1');
	await page.getByRole('button', { name: 'Save 59 rows' }).click();
	await expect(page).toHaveURL(/\/datasets\/[^/]+$/, { timeout: 30_000 });
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Class export, term 1');
	await expect(page.getByTestId('n-rows')).toHaveText('59');
	await expect(page.getByTestId('rows-table')).toContainText('José 1');
	// Row 6 (S005) was fixed and kept: 55.5 stored as a number.
	await expect(page.locator('tr[data-row="4"]')).toContainText('55.5');
	await expect(page.getByTestId('rows-table')).not.toContainText('S009');
	await expect(page.getByLabel('Role of name')).toHaveValue('ignore');
});

test('a file that is not a table is refused with a message naming it, and nothing is saved', async ({
	page
}) => {
	await page.goto('./import');
	await page.getByTestId('file-input').setInputFiles('tests/fixtures/csv/garbage.csv');
	const err = page.getByTestId('error');
	await expect(err).toContainText('garbage.csv');
	await page.goto('./');
	await expect(page.getByTestId('empty-state')).toBeVisible();
});

test('an Excel workbook offers its sheets and reads the one chosen', async ({ page }) => {
	await page.goto('./import');
	await page.getByTestId('file-input').setInputFiles('tests/fixtures/xlsx/marks.xlsx');
	await expect(page.getByTestId('format')).toContainText('Excel workbook');
	const sheet = page.getByTestId('sheet-select');
	await expect(sheet).toHaveValue('Marks');
	await expect(page.getByTestId('preview-table')).toContainText('final_exam');
	await sheet.selectOption('Présence 2ᵉ trimestre');
	await expect(page.getByTestId('preview-table')).toContainText('minutes_late');
	await page.getByRole('button', { name: 'Check the whole file' }).click();
	await expect(page.getByTestId('report')).toBeVisible();
	await page.getByRole('button', { name: /^Save \d+ rows$/ }).click();
	await expect(page).toHaveURL(/\/datasets\/[^/]+$/, { timeout: 30_000 });
	await expect(page.getByRole('rowheader', { name: 'minutes_late' })).toBeVisible();
});

test('a teacher adds "absent" as a missing-value marker and the typo report goes away', async ({
	page
}) => {
	await page.goto('./import');
	await page.getByTestId('file-input').setInputFiles(CSV);
	const markers = page.getByLabel('Missing-value markers');
	await expect(markers).toHaveValue(/n\/a/);
	await markers.fill('na, n/a, absent');
	await markers.press('Enter');
	await markers.blur();
	await expect(page.getByTestId('preview-table')).toBeVisible();
	await page.getByRole('button', { name: 'Check the whole file' }).click();
	await expect(page.getByTestId('report')).toBeVisible();
	await expect(page.getByTestId('errors')).not.toContainText('absent');
	await expect(page.getByTestId('errors')).toContainText('140');
});

test('next term’s export is appended to the same dataset', async ({ page }) => {
	async function checkFile() {
		await page.goto('./import');
		await page.getByTestId('file-input').setInputFiles(CSV);
		await page.getByLabel('Missing-value markers').fill('na, absent');
		await page.getByLabel('Missing-value markers').blur();
		await page.getByRole('button', { name: 'Check the whole file' }).click();
		await expect(page.getByTestId('report')).toBeVisible();
		await page.getByLabel('Skip those rows').check();
	}
	await checkFile();
	await page.getByLabel('Dataset name').fill('Maths, all terms');
	await page.getByRole('button', { name: 'Save 59 rows' }).click();
	await expect(page.getByTestId('n-rows')).toHaveText('59');
	const url = page.url();

	await checkFile();
	await page
		.getByLabel(/add these rows to an existing dataset/)
		.selectOption({ label: 'Maths, all terms' });
	await page.getByRole('button', { name: 'Save 59 rows' }).click();
	await expect(page).toHaveURL(url);
	await expect(page.getByTestId('n-rows')).toHaveText('118');
	await page.goto('./');
	await expect(page.getByTestId('dataset-list').getByRole('listitem')).toHaveCount(1);
});
