// Shared by the benchmarks that run in a dedicated Web Worker of headless Chromium: bundles a
// worker entry with esbuild, serves it (and any extra files, e.g. the tfjs wasm binaries) from a
// throwaway http server on 127.0.0.1 that serves nothing else, opens a blank page, and runs one
// fresh worker per call of `runWorker(message)` until it posts its single answer.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * @param {{ entry: string, name: string, files?: Map<string, [Buffer, string]>, isolated?: boolean,
 *   log?: (msg: string) => void }} opts
 * @param {(h: { page: import('@playwright/test').Page, version: string,
 *   runWorker: (message: unknown, timeoutMs: number) => Promise<any> }) => Promise<T>} body
 * @template T
 */
export async function withBrowserWorker(opts, body) {
	const dir = mkdtempSync(join(tmpdir(), `classlens-${opts.name}-`));
	const log = opts.log ?? (() => {});
	let server;
	let browser;
	try {
		await build({
			entryPoints: [opts.entry],
			outfile: join(dir, 'worker.js'),
			bundle: true,
			format: 'esm',
			target: 'es2022',
			platform: 'browser',
			logLevel: 'warning',
			// tfjs-backend-wasm's emscripten glue mentions Node modules behind runtime checks.
			external: ['fs', 'path', 'os', 'worker_threads', 'perf_hooks', 'crypto']
		});
		const files = new Map(opts.files ?? []);
		files.set('/worker.js', [readFileSync(join(dir, 'worker.js')), 'text/javascript']);
		const isolation = opts.isolated
			? {
					'cross-origin-opener-policy': 'same-origin',
					'cross-origin-embedder-policy': 'require-corp'
				}
			: {};
		server = createServer((req, res) => {
			const file = files.get(req.url ?? '');
			if (file) {
				res.writeHead(200, { 'content-type': file[1], ...isolation });
				res.end(file[0]);
			} else if (req.url === '/favicon.ico') {
				res.writeHead(204);
				res.end();
			} else if (req.url === '/') {
				res.writeHead(200, { 'content-type': 'text/html', ...isolation });
				res.end(`<!doctype html><title>${opts.name} bench</title>`);
			} else {
				res.writeHead(404);
				res.end();
			}
		});
		await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
		const url = `http://127.0.0.1:${server.address().port}/`;
		browser = await chromium.launch({
			executablePath: CHROMIUM_PATH,
			headless: true,
			args: CHROMIUM_ARGS
		});
		const page = await browser.newPage();
		page.on('console', (m) => {
			if (m.type() === 'error' || m.type() === 'warning') log(`console ${m.type()}: ${m.text()}`);
		});
		await page.goto(url);
		const runWorker = (message, timeoutMs) =>
			page.evaluate(
				({ message, timeoutMs }) =>
					new Promise((ok) => {
						const w = new Worker('/worker.js', { type: 'module' });
						const timer = setTimeout(() => {
							w.terminate();
							ok({ available: false, error: `no answer within ${timeoutMs / 1000} s` });
						}, timeoutMs);
						const done = (value) => {
							clearTimeout(timer);
							w.terminate();
							ok(value);
						};
						w.onmessage = (e) => done(e.data);
						w.onerror = (e) => done({ available: false, error: e.message ?? 'worker error' });
						w.postMessage(message);
					}),
				{ message, timeoutMs }
			);
		return await body({ page, version: browser.version(), runWorker });
	} finally {
		await browser?.close();
		server?.close();
		rmSync(dir, { recursive: true, force: true });
	}
}
