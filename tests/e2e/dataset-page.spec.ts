import { expect, test } from './fixtures';
import { createDemo, expectAccessible } from './helpers';

test('a teacher scrolls, corrects a mark, undoes it, renames, changes a role and exports', async ({
	page
}) => {
	await createDemo(page);
	// Profiles: one card per column, with a chart and its table fallback.
	const profiles = page.getByTestId('profiles');
	await expect(profiles.getByRole('region', { name: 'Profile of final_exam' })).toContainText(
		'Mean'
	);
	await expect(profiles.getByRole('region')).toHaveCount(12);

	// The virtual table renders only what is on screen, and scrolling reaches the last row.
	const viewport = page.getByTestId('rows-viewport');
	const rendered = await page.getByTestId('rows-table').locator('tbody tr[data-row]').count();
	expect(rendered).toBeGreaterThan(10);
	expect(rendered).toBeLessThan(100);
	await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight));
	await expect(page.locator('tr[data-row="239"]')).toBeVisible();
	await viewport.evaluate((el) => (el.scrollTop = 0));
	await expect(page.locator('tr[data-row="0"]')).toBeVisible();

	// Correct row 3's final exam mark, see it everywhere, then undo.
	const cell = page.locator('tr[data-row="2"] td').last();
	const original = (await cell.textContent())?.trim() ?? '';
	await page.getByRole('button', { name: 'Edit row 3', exact: true }).click();
	const dialog = page.getByRole('dialog', { name: 'Edit row 3' });
	await expect(dialog).toBeVisible();
	await dialog.getByLabel(/^final_exam/).fill('abc');
	await expect(dialog.getByText('“abc” is not a number.')).toBeVisible();
	await expect(dialog.getByRole('button', { name: 'Save changes' })).toBeDisabled();
	await expectAccessible(page, 'row editor');
	await dialog.getByLabel(/^final_exam/).fill('77');
	await dialog.getByRole('button', { name: 'Save changes' }).click();
	await expect(dialog).toBeHidden();
	await expect(cell).toHaveText('77');
	await expect(page.getByTestId('status')).toContainText('Changed “final_exam” in row 3');
	await page.getByRole('button', { name: 'Undo last change' }).click();
	await expect(cell).toHaveText(original);
	await expect(page.getByRole('button', { name: 'Undo last change' })).toBeDisabled();

	// Rename.
	await page.getByRole('button', { name: 'Rename' }).click();
	await page.getByLabel('Name').fill('Year 10 maths');
	await page.getByRole('button', { name: 'Save name' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Year 10 maths');

	// Roles can be changed here too.
	await page.getByLabel('Role of cats').selectOption('ignore');
	await expect(page.getByTestId('status')).toContainText('“cats” is now used as: ignore');
	await page.reload();
	await expect(page.getByLabel('Role of cats')).toHaveValue('ignore');

	// Export: a real download with formulas neutralised and the edited-then-undone value back.
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download CSV' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toBe('Year-10-maths.csv');
	const text = await (await file.createReadStream()).toArray();
	const csv = Buffer.concat(text as Buffer[]).toString('utf8');
	const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
	expect(lines[0]).toBe(
		'student_id,gender,attendance,participation,assignment_score,year_of_study,num_subjects,class_size,peer_performance,cats,rats,final_exam'
	);
	expect(lines).toHaveLength(242); // header, 240 rows, trailing empty string
	expect(lines[3].split(',').at(-1)).toBe(original);

	await expectAccessible(page, 'dataset page after edits');
	await page.emulateMedia({ colorScheme: 'dark' });
	await expectAccessible(page, 'dataset page (dark)');
});

test('long-format course records become one row per student on request', async ({ page }) => {
	await page.goto('./');
	await page.getByLabel('Demo dataset').selectOption('course-records');
	await page.getByRole('button', { name: 'Create demo dataset' }).click();
	await expect(page).toHaveURL(/\/datasets\/[^/]+$/, { timeout: 60_000 });
	const note = page.getByTestId('long-format');
	await expect(note).toContainText('120 students');
	await note.getByRole('button', { name: 'Make a one-row-per-student table' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('one row per student');
	await expect(page.getByTestId('n-rows')).toHaveText('120');
	await expect(page.getByLabel('Role of final_marks_latest')).toHaveValue('target');
	await expect(page.getByTestId('long-format')).toBeHidden();
});
