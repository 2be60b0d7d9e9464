import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectAccessible } from './helpers';

/** Creates the wellbeing survey demo from the home page and waits for its dataset page. */
async function createWellbeingDemo(page: Page): Promise<void> {
	await page.goto('./');
	await page.getByLabel('Demo dataset').selectOption('wellbeing');
	await page.getByRole('button', { name: 'Create demo dataset' }).click();
	await expect(page).toHaveURL(/\/datasets\/[^/]+$/, { timeout: 60_000 });
	await expect(page.getByTestId('n-rows')).toHaveText('600');
}

/** Fills the simulator's inputs with one extreme (all low or all high) profile. */
async function extremeProfile(page: Page, high: boolean): Promise<void> {
	const sim = page.getByTestId('scenario');
	const numbers: Record<string, [number, number]> = {
		'Hours studied': [1, 44],
		Attendance: [60, 100],
		'Sleep hours': [4, 10],
		'Tutoring sessions': [0, 8],
		'Exam score': [55, 100]
	};
	for (const [label, [lo, hi]] of Object.entries(numbers)) {
		await sim.getByLabel(label, { exact: true }).fill(String(high ? hi : lo));
	}
	for (const label of ['Access to resources', 'Motivation level', 'Parental involvement']) {
		await sim.getByLabel(label, { exact: true }).selectOption(high ? 'High' : 'Low');
	}
}

test('a teacher finds 5 personas in the wellbeing survey, reads and exports the insights, tries a scenario and saves', async ({
	page
}) => {
	test.setTimeout(240_000);
	await createWellbeingDemo(page);

	await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Personas' })
		.click();
	await expect(page.getByRole('heading', { name: 'Student personas', level: 1 })).toBeVisible();
	await expect(page.getByLabel('Class')).toHaveValue(/.+/);
	// The 8-feature persona model is preselected, 5 personas by default.
	for (const f of ['Hours studied', 'Attendance', 'Motivation level', 'Exam score']) {
		await expect(page.getByRole('checkbox', { name: f, exact: true })).toBeChecked();
	}
	await expect(page.getByRole('checkbox', { name: 'Gender', exact: true })).not.toBeChecked();
	await expect(page.getByLabel('Number of personas')).toHaveValue('5');
	await expectAccessible(page, 'personas setup');

	await page.getByRole('button', { name: 'Find personas' }).click();
	const dashboard = page.getByTestId('persona-dashboard');
	await expect(dashboard).toBeVisible({ timeout: 60_000 });
	await expect(dashboard.getByRole('heading', { name: /^5 personas — k-means/ })).toBeVisible();
	// The worker ran the WebAssembly k-means kernels under the app's content security policy.
	await expect(dashboard.getByTestId('kmeans-engine')).toContainText('WebAssembly');

	// Names (generated, editable), one card and one spider chart each.
	const cards = page.getByTestId('persona-card');
	await expect(cards).toHaveCount(5);
	const names = await page.getByTestId('persona-name').allTextContents();
	expect(new Set(names).size).toBe(5);
	for (const n of names) expect(n.trim().length).toBeGreaterThan(2);
	await cards.first().scrollIntoViewIfNeeded();
	await expect(cards.first().getByRole('figure')).toContainText(/compared with the class/i);
	await cards.last().scrollIntoViewIfNeeded();
	await expect(page.getByRole('figure').filter({ hasText: 'compared with the class' })).toHaveCount(
		5
	);

	// Share chart, trajectories and the persona × trajectory table (drawn when scrolled to).
	const section = (name: string) =>
		page.getByRole('heading', { name, exact: true }).scrollIntoViewIfNeeded();
	await section('How the class splits');
	await expect(
		page.getByRole('figure').filter({ hasText: 'Share of students in each persona' })
	).toBeVisible();
	await section('Score trajectories');
	const cross = page.getByTestId('cross-table');
	await expect(cross).toContainText('High achievers');
	await expect(cross).toContainText('At risk');
	// Breakdowns by school type and gender; small groups are suppressed and said to be.
	await section('Breakdowns');
	await expect(page.getByRole('heading', { name: 'By school type', exact: true })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'By gender', exact: true })).toBeVisible();
	await expect(page.getByTestId('suppressed-note').first()).toContainText(/fewer than 10 students/);
	await expect(page.getByTestId('suppressed-summary')).toContainText('Small groups are hidden');

	// The map of all students.
	await section('Map of all students');
	const map = page.getByRole('figure').filter({ hasText: 'Students on the two main directions' });
	await expect(map).toBeVisible();
	await expect(map).toContainText(/Component 1/);
	await section('Feature distributions by persona');
	await expect(page.getByRole('figure').filter({ hasText: 'by persona' })).toBeVisible();

	// Insights as text, then as JSON with exactly the six keys.
	await section('Insights');
	const insights = page.getByTestId('insights');
	await expect(insights.getByRole('heading', { name: 'How the class splits' })).toBeVisible();
	await expect(insights).toContainText(names[0]);
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export insights (JSON)' }).click();
	const json = JSON.parse(await readFile(await (await download).path(), 'utf8')) as Record<
		string,
		string[]
	>;
	expect(Object.keys(json).sort()).toEqual(
		[
			'actionable_recommendations',
			'gender_insights',
			'mega_pie_insights',
			'school_insights',
			'spider_chart_inferences',
			'trajectory_wise_persona'
		].sort()
	);
	expect(json.mega_pie_insights.length).toBeGreaterThan(0);

	// Renaming a persona carries into the insights.
	await page.getByLabel('Name', { exact: true }).first().fill('Steady workers');
	await expect(page.getByTestId('persona-name').first()).toHaveText('Steady workers');

	// Scenario simulator: an extreme profile moves the student to another persona.
	await section('Scenario simulator');
	const sim = page.getByTestId('scenario');
	const current = (await page.getByTestId('scenario-current').textContent()) ?? '';
	let moved = false;
	for (const high of [false, true]) {
		await extremeProfile(page, high);
		await sim.getByRole('button', { name: 'See where they fit' }).click();
		const result = page.getByTestId('scenario-result');
		await expect(result).toBeVisible();
		if ((await page.getByTestId('scenario-to').count()) > 0) {
			moved = true;
			await expect(result).toContainText(`would move from ${current}`);
			break;
		}
	}
	expect(moved).toBe(true);
	await expect(page.getByTestId('scenario-result')).toContainText(/Train a model/);

	await expectAccessible(page, 'persona dashboard');

	// Save: the clustering appears in the saved list and can be opened again.
	await page.getByLabel('Notes (optional)').fill('Term 1');
	await page.getByRole('button', { name: 'Save this clustering' }).click();
	await expect(page.getByTestId('saved-note')).toContainText('Saved');
	const saved = page.getByTestId('saved-clusterings');
	await expect(saved.getByRole('listitem')).toHaveCount(1);
	await expect(saved).toContainText('Steady workers');
	await expect(saved).toContainText('Term 1');
	await page.reload();
	await saved.getByRole('button', { name: 'Open' }).click();
	await expect(page.getByTestId('persona-name').first()).toHaveText('Steady workers', {
		timeout: 60_000
	});
	await expectAccessible(page, 'saved clustering');
});
