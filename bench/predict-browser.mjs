#!/usr/bin/env node
// `npm run bench:predict`: the app's prediction API in a dedicated Web Worker of headless
// Chromium (bench/browser/predict-worker.ts): single-prediction latency (p50/p95 over varied
// what-if inputs, including explanations and rules) and batch scoring of 100,000 rows into an
// at-risk list, for gradient boosting and ridge models trained on the marks demo.
//
//   node bench/predict-browser.mjs [--rows 100000] [--train-rows 20000] [--singles 300]
//                                  [--families gbdt,linear]
// Progress goes to stderr; the last line on stdout is one JSON summary.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { withBrowserWorker } from './browser-harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: argv } = parseArgs({
	options: {
		rows: { type: 'string', default: '100000' },
		'train-rows': { type: 'string', default: '20000' },
		singles: { type: 'string', default: '300' },
		families: { type: 'string', default: 'gbdt,linear' }
	}
});
const rows = Number(argv.rows);
const trainRows = Math.min(rows, Number(argv['train-rows']));
const singles = Number(argv.singles);
const families = argv.families.split(',').filter(Boolean);
if (!Number.isInteger(rows) || rows < 1000) throw new Error('--rows must be an integer ≥ 1000');
if (!Number.isInteger(singles) || singles < 10) throw new Error('--singles must be ≥ 10');
const log = (msg) => process.stderr.write(`[bench:predict] ${msg}\n`);

await withBrowserWorker(
	{ entry: join(ROOT, 'bench/browser/predict-worker.ts'), name: 'predict', log },
	async ({ version, runWorker }) => {
		const results = {};
		for (const family of families) {
			log(
				`Chromium ${version} worker, ${family}: train ${trainRows}, ${singles} what-ifs, score ${rows}…`
			);
			const r = await runWorker({ family, trainRows, batchRows: rows, singles }, 900_000);
			results[family] = r;
			log(
				r.available
					? `  ${family}: single p50 ${r.single.p50_ms} ms, p95 ${r.single.p95_ms} ms; batch ${r.batch.rows} rows in ${r.batch.seconds} s (${r.batch.rows_per_second} rows/s)`
					: `  ${family}: failed — ${r.error}`
			);
		}
		console.log(
			JSON.stringify({ bench: 'predict-browser', version, rows, train_rows: trainRows, results })
		);
	}
);
