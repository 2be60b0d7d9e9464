import { type Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { STATIC_PAGES, createDemo, trainModel, waitForServiceWorker } from './helpers';

const CANARY = 'CANARY-7f3a9c1e-do-not-send';
const ORIGIN = 'http://127.0.0.1:4173';

interface Seen {
	url: string;
	method: string;
	body: string | null;
	from: string;
}

test('no request leaves the origin, none carries a body, none contains the canary', async ({
	page,
	context,
	request
}) => {
	await request.get(`${ORIGIN}/__test/reset`);
	const seen: Seen[] = [];
	const record = (from: string) => (r: Request) =>
		seen.push({ url: r.url(), method: r.method(), body: r.postData(), from });
	// Page and dedicated-worker requests, and (with Chromium) the service worker's own fetches.
	context.on('request', record('context'));
	page.on('request', record('page'));
	context.on('serviceworker', (sw) =>
		sw.on?.('request' as never, record('service worker') as never)
	);
	// Anything aimed at another origin is recorded by the events above and then refused here.
	await context.route(
		(url) => url.origin !== ORIGIN,
		(route) => route.abort('blockedbyclient')
	);
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
	});

	const datasetUrl = await createDemo(page, `?canary=${CANARY}`);
	// The canary really is in the data on screen: the test would be empty otherwise.
	await expect(page.getByTestId('rows-table')).toContainText(CANARY);
	await trainModel(page, datasetUrl, ['Neural network']);
	await waitForServiceWorker(page);
	for (const { path } of STATIC_PAGES) await page.goto(`.${path}`);
	await page.goto(datasetUrl);
	await expect(page.getByTestId('rows-table')).toContainText(CANARY);
	await page.goto('./settings');
	await expect(page.getByTestId('backend-active')).not.toBeEmpty({ timeout: 90_000 }); // the speed probe is slow on a busy machine

	expect(seen.length).toBeGreaterThan(10);
	const foreign = seen.filter((s) => !s.url.startsWith(ORIGIN) && !s.url.startsWith('data:'));
	expect(foreign, 'requests to another origin').toEqual([]);
	const withBody = seen.filter((s) => s.body !== null && s.body.length > 0);
	expect(withBody, 'requests with a body').toEqual([]);
	expect(
		seen.filter((s) => s.url.includes(CANARY) && !s.url.includes('?canary=')),
		'canary in a URL'
	).toEqual([]);

	// What the server actually received, whoever sent it (page, worker or service worker).
	const received = (await (await request.get(`${ORIGIN}/__test/requests`)).json()) as {
		method: string;
		url: string;
		headers: Record<string, string>;
		body: string;
	}[];
	expect(received.length).toBeGreaterThan(10);
	expect(received.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
	expect(received.filter((r) => r.body.length > 0)).toEqual([]);
	const leaks = received.filter(
		(r) =>
			!r.url.startsWith('/?canary=') &&
			(r.url.includes(CANARY) || JSON.stringify(r.headers).includes(CANARY))
	);
	expect(leaks, 'canary sent to the server').toEqual([]);
	expect(violations, 'Content-Security-Policy violations').toEqual([]);
});

test('the page declares a strict Content-Security-Policy', async ({ page }) => {
	await page.goto('./');
	const csp = await page
		.locator('meta[http-equiv="content-security-policy"]')
		.getAttribute('content');
	expect(csp).toContain("default-src 'self'");
	expect(csp).toContain("connect-src 'self'");
	expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
	expect(csp).not.toContain("'unsafe-eval'");
	expect(csp).not.toMatch(/https?:\/\//);
	// A request to another origin is refused by the browser itself.
	const blocked = await page.evaluate(async () => {
		try {
			await fetch('https://example.org/collect', { method: 'POST', body: 'x' });
			return false;
		} catch {
			return true;
		}
	});
	expect(blocked).toBe(true);
});
