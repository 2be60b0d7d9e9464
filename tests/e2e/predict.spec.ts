import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { createDemo, expectAccessible, trainModel } from './helpers';

test('a teacher tries what-if values, then scores the class and exports the at-risk list', async ({
	page
}) => {
	test.setTimeout(300_000);
	const url = await createDemo(page);
	await trainModel(page, url, ['Gradient boosting']);

	await page.goto('./predict');
	await expect(page.getByRole('heading', { name: 'Predict', level: 1 })).toBeVisible();
	const value = page.getByTestId('predicted-value');
	await expect(value).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('prediction')).toContainText(/likely between [\d.]+ and [\d.]+/);
	await expect(page.getByTestId('factors').locator('li').first()).toBeVisible();

	// What-if: a very low attendance changes the prediction, and says why.
	const before = await value.textContent();
	const attendance = page.getByRole('textbox', { name: 'Attendance', exact: true });
	await attendance.fill('0');
	await expect(value).not.toHaveText(before ?? '', { timeout: 15_000 });
	await expect(page.getByTestId('factors')).toContainText(/Attendance/);

	// A value that is not a number is refused, field by field, and no prediction is shown.
	await attendance.fill('lots');
	await expect(page.getByText('Attendance must be a number (you entered "lots").')).toBeVisible();
	await expect(page.getByText('Fix the highlighted values to see a prediction.')).toBeVisible();
	await attendance.fill('8');
	await expect(value).toBeVisible();
	await expectAccessible(page, 'what-if');

	// Batch: score the training class; the list is sorted by risk with reasons and next steps.
	await page.getByRole('button', { name: 'Score and list students at risk' }).click();
	const summary = page.getByTestId('at-risk-summary');
	await expect(summary).toBeVisible({ timeout: 60_000 });
	const flagged = Number((await summary.locator('strong').textContent())?.replace(/,/g, ''));
	await expect(summary).toContainText('of 240 students flagged');
	expect(flagged).toBeGreaterThan(0);
	const table = page.getByTestId('at-risk').getByRole('table');
	await expect(table.locator('tbody tr')).toHaveCount(Math.min(flagged, 200));
	// On screen a reason is short ("Cats (6; class median 17)"); the CSV has the sentence.
	await expect(table.locator('tbody tr').first()).toContainText(/\(\d+(\.\d+)?; class median/);

	// CSV export: one line per flagged student plus the header, no formula cells.
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export CSV' }).click();
	const file = await (await download).path();
	const lines = (await readFile(file, 'utf8')).trimEnd().split('\r\n');
	expect(lines[0]).toBe(
		'rank,student,prediction,lower_90,upper_90,p_below_pass_mark,at_risk,reasons,next_steps'
	);
	expect(lines).toHaveLength(flagged + 1);
	expect(lines[1]).toMatch(/^1,S\d+,[\d.]+,[\d.-]+,[\d.]+,[\d.]+,yes,/);
	expect(lines[1]).toMatch(/is the largest factor lowering the predicted final exam/);

	// A stricter pass mark flags more students.
	await page.getByLabel('Flag students whose predicted mark is below').fill('60');
	await page.getByRole('button', { name: 'Score and list students at risk' }).click();
	await expect(summary).not.toContainText(`${flagged} of 240`, { timeout: 60_000 });
	const stricter = Number((await summary.locator('strong').textContent())?.replace(/,/g, ''));
	expect(stricter).toBeGreaterThan(flagged);
	await expectAccessible(page, 'at-risk list');

	// Printing shows the list, not the form or the navigation.
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('heading', { name: 'What if — one student' })).toBeHidden();
	await expect(page.getByRole('navigation').first()).toBeHidden();
	await expect(table).toBeVisible();

	// The student's name links to the student report for this dataset.
	await page.emulateMedia({ media: 'screen' });
	const first = table.locator('tbody tr').first().getByRole('link');
	await expect(first).toHaveAttribute('href', /\/students\/S\d+\?dataset=/);
});
