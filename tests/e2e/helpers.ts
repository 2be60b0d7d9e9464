import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Every page of the app; dataset pages are added once a dataset exists. */
export const STATIC_PAGES = [
	{ path: '/', heading: /your classes/i },
	{ path: '/import', heading: /import a class/i },
	{ path: '/models', heading: /models/i },
	{ path: '/predict', heading: /predict/i },
	{ path: '/personas', heading: /personas/i },
	{ path: '/activity', heading: /activity/i },
	{ path: '/monitor', heading: /monitor/i },
	{ path: '/settings', heading: /settings/i },
	{ path: '/students/S0001', heading: /student report/i }
];

/** Fails the test with a readable list if axe finds WCAG 2.1 A/AA violations. */
export async function expectAccessible(page: Page, context: string): Promise<void> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	const summary = results.violations.map(
		(v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
	expect(summary, `accessibility violations on ${context}`).toEqual([]);
}

/** Creates the marks demo from the home page and waits for its dataset page. */
export async function createDemo(page: Page, query = ''): Promise<string> {
	await page.goto(`./${query}`);
	await page.getByRole('button', { name: 'Try the demo class' }).click();
	await expect(page).toHaveURL(/\/datasets\/[^/]+$/, { timeout: 60_000 });
	await expect(page.getByTestId('n-rows')).toHaveText('240');
	return page.url();
}

type FamilyName = 'Linear model' | 'Random forest' | 'Gradient boosting' | 'Neural network';

/**
 * Trains on the dataset page's default target and waits for the result. `only` limits the
 * families (and turns automatic search off) to keep a journey short; default: automatic, all.
 */
export async function trainModel(
	page: Page,
	datasetUrl: string,
	only?: FamilyName[]
): Promise<void> {
	await page.goto(`${datasetUrl}/train`);
	// The form fills in once the worker has previewed the target.
	await expect(page.getByText(/rows have a known outcome/)).toBeVisible({ timeout: 30_000 });
	if (only) {
		await page.getByRole('checkbox', { name: /Automatic: try/ }).uncheck();
		for (const name of ['Linear model', 'Random forest', 'Gradient boosting', 'Neural network']) {
			const box = page.getByRole('checkbox', { name: new RegExp(`^${name}`) });
			if (only.includes(name as FamilyName)) await box.check();
			else await box.uncheck();
		}
	}
	await page.getByRole('button', { name: 'Train', exact: true }).click();
	// The stored active model may be on show already; wait for the one this click trained.
	await expect(page.locator('[data-testid="train-result"][data-fresh="true"]')).toBeVisible({
		timeout: 180_000
	});
}

/** Waits until a service worker controls the page (the precache is then complete). */
export async function waitForServiceWorker(page: Page): Promise<void> {
	// `ready` resolves once a worker is active, i.e. once the precache is complete. (An async
	// predicate in waitForFunction would not do: its promise counts as truthy at once.)
	await page.evaluate(
		() =>
			new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('no active service worker')), 60_000);
				void navigator.serviceWorker.ready.then(() => {
					clearTimeout(timer);
					resolve();
				});
			})
	);
	// The first load is not yet controlled; a reload puts the page under the worker.
	await page.reload();
	await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), undefined, {
		timeout: 30_000
	});
}
