import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { createDemo, expectAccessible, trainModel } from './helpers';

/**
 * The outcomes feedback loop: a class is scored, the real marks come in, the teacher imports
 * them on /monitor and sees how the model really did — first on marks it predicted well, then
 * on a much harder exam that it did not see coming, which flags it for retraining. The
 * prediction log shows the batch, exports pseudonymised CSV and can be cleared.
 *
 * Assumes: the marks demo (240 students, ids S00001…S00240, target final_exam); the /predict
 * page's batch scoring stores a PredictionRecord and logs a batch entry; the import page saves
 * a clean two-column CSV after "Check the whole file".
 */

/** Results of a hard exam: everyone between 20 and 29 marks. */
function hardExamCsv(): Buffer {
	const lines = ['student_id,final_exam'];
	for (let i = 1; i <= 240; i++) lines.push(`S${String(i).padStart(5, '0')},${20 + (i % 10)}`);
	return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

/** The fields of one CSV record (quoted fields may hold commas and doubled quotes). */
function fields(line: string): string[] {
	const out: string[] = [];
	let i = 0;
	while (i <= line.length) {
		if (line[i] === '"') {
			let j = i + 1;
			let text = '';
			while (j < line.length) {
				if (line[j] !== '"') text += line[j++];
				else if (line[j + 1] === '"') {
					text += '"';
					j += 2;
				} else {
					j++;
					break;
				}
			}
			out.push(text);
			i = j + 1;
		} else {
			const comma = line.indexOf(',', i);
			const end = comma < 0 ? line.length : comma;
			out.push(line.slice(i, end));
			i = end + 1;
		}
	}
	return out;
}

test('a teacher imports real results, sees how the model did, and reads the prediction log', async ({
	page
}) => {
	test.setTimeout(300_000);
	const demoUrl = await createDemo(page);
	const demoId = demoUrl.split('/').pop() ?? '';
	await trainModel(page, demoUrl, ['Linear model']);

	// Score the class on /predict: the batch is stored with the model.
	await page.goto('./predict');
	await page.getByRole('button', { name: 'Score and list students at risk' }).click();
	await expect(page.getByTestId('at-risk-summary')).toContainText('of 240 students', {
		timeout: 60_000
	});

	// The real marks of a later, harder exam arrive as a file.
	await page.goto('./import');
	await page.getByTestId('file-input').setInputFiles({
		name: 'exam-results.csv',
		mimeType: 'text/csv',
		buffer: hardExamCsv()
	});
	await page.getByRole('button', { name: 'Check the whole file' }).click();
	await expect(page.getByTestId('report')).toBeVisible();
	await page.getByLabel('Dataset name').fill('Exam results');
	await page.getByRole('button', { name: 'Save 240 rows' }).click();
	await expect(page).toHaveURL(/\/datasets\/[^/]+$/, { timeout: 30_000 });
	const resultsId = page.url().split('/').pop() ?? '';

	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Monitor' })
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Monitor');
	const outcomes = page.getByRole('region', { name: 'Outcomes', exact: true });
	await expect(page.getByTestId('outcome-sources')).toContainText('240 predictions', {
		timeout: 30_000
	});

	// First the marks already in the class list: the model did as cross-validation promised.
	await outcomes.getByLabel('Dataset with the results').selectOption(demoId);
	await expect(outcomes.getByLabel('Student id column')).toHaveValue('student_id');
	await expect(outcomes.getByLabel('Result column')).toHaveValue('final_exam');
	await outcomes.getByRole('button', { name: 'Import results' }).click();
	const status = page.getByTestId('outcome-status');
	await expect(status).toContainText('Stored the actual final_exam of 240 students');
	await outcomes.getByRole('button', { name: 'Check predictions against results' }).click();
	const verdict = page.getByTestId('outcome-verdict');
	await expect(verdict).toHaveAttribute('data-flagged', 'false', { timeout: 30_000 });
	await expect(verdict).toContainText('No retraining flag for v1');
	await expect(verdict).toContainText('240 students');
	await expect(page.getByTestId('outcome-metrics')).toContainText('RMSE');
	await expectAccessible(page, 'monitor, first outcome check');

	// Then the hard exam: far worse than promised, so retraining is suggested.
	await outcomes.getByLabel('Dataset with the results').selectOption(resultsId);
	await expect(outcomes.getByLabel('Student id column')).toHaveValue('student_id');
	await expect(outcomes.getByLabel('Result column')).toHaveValue('final_exam');
	await outcomes.getByRole('button', { name: 'Import results' }).click();
	await expect(status).toContainText('Stored the actual final_exam of 240 students');
	await outcomes.getByRole('button', { name: 'Check predictions against results' }).click();
	await expect(verdict).toHaveAttribute('data-flagged', 'true', { timeout: 30_000 });
	await expect(verdict).toContainText('Retraining suggested for v1');
	await expect(verdict).toContainText(/consider retraining/);
	await expect(page.getByTestId('outcome-history').locator('tbody tr')).toHaveCount(2);
	await expect(
		page.getByRole('figure', { name: 'RMSE in class and validated, per version' })
	).toBeVisible();
	await expectAccessible(page, 'monitor, flagged model');

	// The prediction log: the batch is there; exports carry no student identifier.
	const log = page.getByRole('region', { name: 'Prediction log', exact: true });
	await log.getByLabel('Kind').selectOption('batch');
	await expect(page.getByTestId('log-count')).toHaveText('1 prediction matches the filter');
	await expect(page.getByTestId('log-table')).toContainText('240 rows');
	await log.getByLabel('Kind').selectOption('');
	const download = page.waitForEvent('download');
	await log.getByRole('button', { name: 'Export CSV (pseudonymised)' }).click();
	const csv = await readFile(await (await download).path(), 'utf8');
	const lines = csv.trimEnd().split('\r\n');
	expect(lines[0]).toBe(
		'time,model,version,kind,student,predicted,value,lower,upper,probabilities,rows,at_risk,latency_ms'
	);
	expect(csv).not.toMatch(/S\d{5}/);
	for (const line of lines.slice(1)) {
		const student = fields(line)[4];
		expect(student === '' || /^S-[0-9a-f]{8}$/.test(student), line).toBe(true);
	}
	await expectAccessible(page, 'monitor, prediction log');

	await log.getByRole('button', { name: 'Clear the log' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Clear the log' }).click();
	await expect(page.getByTestId('log-count')).toHaveText('0 predictions logged');
	await expect(page.getByTestId('event-log')).toContainText('outcomes.checked');
	await expect(page.getByTestId('event-log')).toContainText('predictionLog.cleared');
});
