/**
 * Every journey also fails on an uncaught error in the page: Svelte can leave a half-updated
 * screen behind a thrown error while the assertions on the parts that did update still pass.
 */
import { test as base, expect } from '@playwright/test';

export const test = base.extend<{ pageErrors: string[] }>({
	pageErrors: [
		async ({ page }, use) => {
			const errors: string[] = [];
			page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
			await use(errors);
			expect(errors, 'uncaught errors in the page').toEqual([]);
		},
		{ auto: true }
	]
});

export { expect };
