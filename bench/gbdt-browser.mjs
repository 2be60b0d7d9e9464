#!/usr/bin/env node
// The GBDT training of bench/gbdt.ts (Friedman regression, 100 trees, 31 leaves, 255 bins) run
// inside a dedicated Web Worker of headless Chromium (bench/browser-harness.mjs), next to the same
// code run in Node in the same invocation (bench/browser/gbdt-run.ts bundled for Node).
//
//   node bench/gbdt-browser.mjs [--rows 200000] [--no-node]
//
// Progress goes to stderr; the last line on stdout is one JSON summary.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { withBrowserWorker } from './browser-harness.mjs';

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

// The Node half is bundled from the same source as the worker, so the two figures compare the
// engines, not the code.
const dir = mkdtempSync(join(tmpdir(), 'classlens-gbdt-node-'));
let node = null;
try {
	if (!argv['no-node']) {
		await build({
			bundle: true,
			format: 'esm',
			target: 'es2022',
			logLevel: 'warning',
			entryPoints: [join(ROOT, 'bench/browser/gbdt-run.ts')],
			outfile: join(dir, 'run.mjs'),
			platform: 'node'
		});
		log(`Node ${process.version}: training on ${ROWS} rows…`);
		const { runGbdtRegression } = await import(pathToFileURL(join(dir, 'run.mjs')).href);
		node = runGbdtRegression(ROWS);
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}

await withBrowserWorker(
	{ entry: join(ROOT, 'bench/browser/gbdt-worker.ts'), name: 'gbdt', log },
	async ({ version, runWorker }) => {
		log(`Chromium ${version}: training on ${ROWS} rows in a Web Worker…`);
		const reply = await runWorker({ rows: ROWS }, 1_800_000);
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
					version,
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
	}
);
