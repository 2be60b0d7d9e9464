#!/usr/bin/env node
// The GBDT training of bench/gbdt.ts (Friedman regression, 100 trees, 31 leaves, 255 bins) run
// inside a dedicated Web Worker of headless Chromium, next to the same code run in Node in the
// same invocation. The worker entry (bench/browser/gbdt-worker.ts) is bundled with esbuild,
// served from a throwaway http server on 127.0.0.1 and started from a blank page.
//
//   node bench/gbdt-browser.mjs [--rows 200000] [--no-node]
//
// Progress goes to stderr; the last line on stdout is one JSON summary.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: argv } = parseArgs({
	options: {
		rows: { type: 'string', default: '200000' },
		'no-node': { type: 'boolean', default: false }
	}
});
const ROWS = Number(argv.rows);
if (!Number.isInteger(ROWS) || ROWS < 100) throw new Error('--rows must be an integer ≥ 100');
const log = (msg) => process.stderr.write(`[bench:gbdt:browser] ${msg}\n`);

const dir = mkdtempSync(join(tmpdir(), 'classlens-gbdt-browser-'));
let server;
let browser;
try {
	// One bundle for the worker, one for Node: the same source, so the two figures compare the
	// engines, not the code.
	const common = { bundle: true, format: 'esm', target: 'es2022', logLevel: 'warning' };
	await build({
		...common,
		entryPoints: [join(ROOT, 'bench/browser/gbdt-worker.ts')],
		outfile: join(dir, 'worker.js'),
		platform: 'browser'
	});
	await build({
		...common,
		entryPoints: [join(ROOT, 'bench/browser/gbdt-run.ts')],
		outfile: join(dir, 'run.mjs'),
		platform: 'node'
	});

	let node = null;
	if (!argv['no-node']) {
		log(`Node ${process.version}: training on ${ROWS} rows…`);
		const { runGbdtRegression } = await import(pathToFileURL(join(dir, 'run.mjs')).href);
		node = runGbdtRegression(ROWS);
	}

	// Only two resources exist: a blank page and the worker script; nothing else is served.
	const workerJs = readFileSync(join(dir, 'worker.js'));
	server = createServer((req, res) => {
		if (req.url === '/worker.js') {
			res.writeHead(200, { 'content-type': 'text/javascript' });
			res.end(workerJs);
		} else if (req.url === '/') {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end('<!doctype html><title>gbdt bench</title>');
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
	await page.goto(url);
	const chromiumVersion = browser.version();
	log(`Chromium ${chromiumVersion}: training on ${ROWS} rows in a Web Worker…`);
	const reply = await page.evaluate(
		(rows) =>
			new Promise((ok) => {
				const w = new Worker('/worker.js', { type: 'module' });
				w.onmessage = (e) => {
					ok(e.data);
					w.terminate();
				};
				w.onerror = (e) => ok({ ok: false, error: e.message ?? 'worker error' });
				w.postMessage({ rows });
			}),
		ROWS
	);
	if (!reply.ok) throw new Error(`worker failed: ${reply.error}`);
	const worker = reply.result;
	console.log(
		JSON.stringify({
			bench: 'gbdt-browser',
			rows: ROWS,
			train_rows: worker.train_rows,
			trees: 100,
			leaves: 31,
			bins: 255,
			chromium_worker: {
				version: chromiumVersion,
				train_seconds: worker.train_seconds,
				rmse: worker.rmse
			},
			node: node && {
				version: process.version,
				train_seconds: node.train_seconds,
				rmse: node.rmse
			},
			worker_over_node_time: node ? worker.train_seconds / node.train_seconds : null
		})
	);
} finally {
	await browser?.close();
	server?.close();
	rmSync(dir, { recursive: true, force: true });
}
