import { expect, test } from './fixtures';
import { createDemo, expectAccessible, trainModel } from './helpers';

test('a teacher opens a student report, logs an intervention and prints a clean report', async ({
	page
}) => {
	test.setTimeout(300_000);
	// Course records: one row per student × semester × subject.
	await page.goto('./');
	await page.locator('#demo-profile').selectOption('course-records');
	await page.getByRole('button', { name: 'Create demo dataset' }).click();
	await expect(page).toHaveURL(/\/datasets\/[^/]+$/, { timeout: 60_000 });
	const datasetUrl = page.url();
	const datasetId = new URL(datasetUrl).pathname.split('/').pop()!;
	await trainModel(page, datasetUrl, ['Linear model']);

	await page.goto(`./students/S00001?dataset=${datasetId}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Student report — S00001');
	const meta = page.getByTestId('report-meta');
	await expect(meta).toContainText('Demo class — course records');
	await expect(meta).toContainText(/over 3 semesters \(2023-S1–2024-S1\)/);
	await expect(meta).toContainText('a class of 120 students');

	// History: marks per subject over the semesters, with the data table behind it.
	await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
	const chart = page.getByRole('figure').filter({ hasText: 'Final marks by semester and subject' });
	await expect(chart).toBeVisible();
	await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /Latest: .*Mathematics/);
	await chart.getByText('Data table').click();
	await expect(chart.getByRole('rowheader', { name: '2024-S1' })).toBeVisible();

	// Predictions for the latest semester's subjects, with the reasons for one of them.
	const prediction = page.getByTestId('student-prediction');
	await expect(prediction).toContainText('Ridge regression');
	await expect(prediction.getByRole('rowheader', { name: 'Mathematics, 2024-S1' })).toBeVisible();
	await expect(prediction.getByTestId('predicted-value')).toBeVisible();
	await expect(prediction.getByTestId('factors')).toBeVisible();
	await expect(prediction.getByRole('link', { name: 'Try what-if' })).toHaveAttribute(
		'href',
		/\/predict\?model=/
	);

	// Subjects beside the class; the study plan; rules; feedback in three tones.
	await expect(
		page.getByTestId('subjects').getByRole('rowheader', { name: 'Mathematics' })
	).toBeVisible();
	await expect(page.getByTestId('subjects')).toContainText(/Strong|Weak|Near the class/);
	await expect(page.getByRole('heading', { name: 'Recommendations' })).toBeVisible();
	const feedback = page.getByTestId('feedback-text');
	await expect(feedback).toContainText('How you are doing');
	await page.getByRole('radio', { name: 'For parents or carers' }).check();
	await expect(feedback).toHaveAttribute('data-tone', 'parent');
	await expect(feedback).toContainText('Progress update for your child');
	await page.getByRole('radio', { name: 'Teacher notes' }).check();
	await expect(feedback).toContainText('Notes for S00001');

	// A study plan entry: an unsafe link is refused in words, a web address is kept.
	await page.getByRole('button', { name: 'Add a plan', exact: true }).click();
	await page.getByLabel('Title').fill('Weekly maths practice');
	await page.getByLabel('Link to material').fill('javascript:alert(1)');
	await page.getByRole('button', { name: 'Add plan' }).click();
	await expect(page.getByText(/must start with https:\/\/ or http:\/\//)).toBeVisible();
	await page.getByLabel('Link to material').fill('https://example.org/practice');
	await page.getByRole('button', { name: 'Add plan' }).click();
	const plan = page.getByTestId('study-plan');
	await expect(plan).toContainText('Weekly maths practice');
	await expect(plan.getByRole('link')).toHaveAttribute('rel', /noreferrer/);

	// An intervention: logged, listed, then edited.
	await page.getByLabel('What was done').selectOption('parent-contact');
	await page.getByLabel('Date').fill('2024-03-05');
	await page.getByLabel(/^Note/).fill('Called home about attendance.');
	await page.getByRole('button', { name: 'Log intervention' }).click();
	const logged = page.getByTestId('intervention');
	await expect(logged).toHaveCount(1);
	await expect(logged).toContainText('Contact with parents or carers');
	await expect(logged).toContainText('5 Mar 2024');
	await expect(logged).toContainText('Called home about attendance.');
	await logged.getByRole('button', { name: /^Edit/ }).click();
	await page.getByLabel('What was done').selectOption('other');
	await page.getByLabel('Other: what was done').fill('Mentoring');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(logged).toContainText('Mentoring');
	// The actual result arrives: typed in, refused when it is not a number, then stored.
	const actual = page.getByTestId('actual-result').first();
	await actual.getByLabel(/^Actual final marks/).fill('about fifty');
	await actual.getByRole('button', { name: 'Save' }).click();
	await expect(actual).toContainText('must be a number (you entered "about fifty")');
	await actual.getByLabel(/^Actual final marks/).fill('57');
	await actual.getByRole('button', { name: 'Save' }).click();
	await expect(actual).toContainText('Actual final marks: 57');

	// Stored: a reload reads it back from the device.
	await page.reload();
	await expect(page.getByTestId('intervention')).toContainText('Mentoring');
	await expect(page.getByTestId('actual-result').first()).toContainText('Actual final marks: 57');

	await expectAccessible(page, 'student report');
	await page.emulateMedia({ colorScheme: 'dark' });
	await expectAccessible(page, 'student report (dark)');
	await page.emulateMedia({ colorScheme: 'light' });

	// Print: no navigation, buttons or forms; a dated header that says what a prediction is.
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
	await expect(page.getByRole('button', { name: 'Print report' })).toBeHidden();
	await expect(page.getByRole('button', { name: 'Log intervention' })).toBeHidden();
	await expect(page.getByLabel('What was done')).toBeHidden();
	await expect(page.getByRole('radio', { name: 'For the student' })).toBeHidden();
	await expect(page.getByText('Decision support, not a decision')).toBeVisible();
	await expect(page.getByTestId('intervention')).toBeVisible();
	await expect(page.getByTestId('student-prediction').getByTestId('factors')).toBeVisible();
	await page.emulateMedia({ media: 'screen' });
	await expect(page.getByRole('button', { name: 'Print report' })).toBeVisible();

	// An id that is not in the class, and a dataset without a student column.
	await page.goto(`./students/NOBODY?dataset=${datasetId}`);
	const missing = page.getByTestId('not-found');
	await expect(missing).toContainText('There is no student "NOBODY"');
	await expect(missing).toContainText('S00001');
	await missing.getByRole('link', { name: /Back to Demo class/ }).click();
	await expect(page).toHaveURL(datasetUrl);
});

test('a one-row-per-student class: from the at-risk list to a report beside the class', async ({
	page
}) => {
	test.setTimeout(240_000);
	const datasetUrl = await createDemo(page);
	const datasetId = new URL(datasetUrl).pathname.split('/').pop()!;

	// Before any model: the student beside the class, and a pointer to training.
	await page.goto(`./students/S00002?dataset=${datasetId}`);
	const chart = page.getByRole('figure').filter({ hasText: 'This student beside the class' });
	await expect(chart).toBeVisible();
	await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /10 columns/);
	await expect(page.getByText(/No model has been trained on this dataset yet/)).toBeVisible();
	await expect(page.getByTestId('feedback-text')).toContainText('How you are doing');

	// Train, score the class on /predict and open the first student of the at-risk list.
	await trainModel(page, datasetUrl, ['Linear model']);
	await page.goto('./predict');
	await page.getByRole('button', { name: 'Score and list students at risk' }).click();
	const first = page.getByTestId('at-risk').getByRole('table').getByRole('link').first();
	const student = (await first.textContent())!.trim();
	await first.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Student report — ${student}`);
	const prediction = page.getByTestId('student-prediction');
	await expect(prediction.getByTestId('predicted-value')).toBeVisible();
	await expect(prediction.getByTestId('risk')).toContainText('At risk');
	await expectAccessible(page, 'student report (one row per student)');

	// Without ?dataset= the page asks which class.
	await page.goto(`./students/${student}`);
	await expect(page.getByRole('link', { name: /Demo class — marks/ })).toBeVisible();
	await expectAccessible(page, 'student report without a dataset');
});
