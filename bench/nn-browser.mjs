#!/usr/bin/env node
// The browser half of `npm run bench:nn` (bench/nn.ts runs it after the Node half): MLP training
// throughput in a dedicated Web Worker of headless Chromium, one fresh worker per backend —
// webgpu (on the software adapter the flags in scripts/chromium.mjs provide), webgl, wasm, cpu.
// The worker entry (bench/browser/nn-worker.ts) is bundled and served, with the tfjs wasm
// binaries, by bench/browser-harness.mjs.
//
//   node bench/nn-browser.mjs [--rows 20000] [--epochs 10] [--repeats 3]
//                             [--backends webgpu,webgl,wasm,cpu] [--isolated]
//
// --isolated adds COOP/COEP headers so the page is cross-origin isolated and the wasm backend
// may use threads (SharedArrayBuffer); the app is not isolated, so the default is without.
// Progress goes to stderr; the last line on stdout is one JSON summary.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { withBrowserWorker } from './browser-harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ALL_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];
const { values: argv } = parseArgs({
	options: {
		rows: { type: 'string', default: '20000' },
		epochs: { type: 'string', default: '10' },
		// Timed runs per case (best reported), while the runs so far took under 30 s.
		repeats: { type: 'string', default: '3' },
		backends: { type: 'string', default: ALL_BACKENDS.join(',') },
		isolated: { type: 'boolean', default: false },
		// Seconds per backend, warm-ups and both tasks together. WebGPU on the software adapter
		// takes about 0.4 s a batch, so its 2 × 10 epochs of 79 batches need over 10 minutes.
		timeout: { type: 'string', default: '1800' }
	}
});
const ROWS = Number(argv.rows);
const EPOCHS = Number(argv.epochs);
const REPEATS = Number(argv.repeats);
const TIMEOUT_MS = Number(argv.timeout) * 1000;
const BACKENDS = argv.backends.split(',').filter(Boolean);
if (!Number.isInteger(ROWS) || ROWS < 512) throw new Error('--rows must be an integer ≥ 512');
if (!Number.isInteger(EPOCHS) || EPOCHS < 1) throw new Error('--epochs must be an integer ≥ 1');
if (!Number.isInteger(REPEATS) || REPEATS < 1) throw new Error('--repeats must be an integer ≥ 1');
const unknown = BACKENDS.filter((b) => !ALL_BACKENDS.includes(b));
if (unknown.length) throw new Error(`unknown backend(s): ${unknown.join(', ')}`);
const log = (msg) => process.stderr.write(`[bench:nn:browser] ${msg}\n`);

const WASM_DIR = join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const WASM_FILES = [
	'tfjs-backend-wasm.wasm',
	'tfjs-backend-wasm-simd.wasm',
	'tfjs-backend-wasm-threaded-simd.wasm'
];

const files = new Map(
	WASM_FILES.map((f) => [`/wasm/${f}`, [readFileSync(join(WASM_DIR, f)), 'application/wasm']])
);
await withBrowserWorker(
	{
		entry: join(ROOT, 'bench/browser/nn-worker.ts'),
		name: 'nn',
		files,
		isolated: argv.isolated,
		log
	},
	async ({ page, version, runWorker }) => {
		const pageFacts = await page.evaluate(() => ({
			cross_origin_isolated: globalThis.crossOriginIsolated,
			has_webgpu: 'gpu' in navigator
		}));
		const backends = {};
		for (const backend of BACKENDS) {
			log(`Chromium ${version} worker, ${backend}: ${ROWS} rows × ${EPOCHS} epochs…`);
			const started = performance.now();
			backends[backend] = await runWorker(
				{ backend, rows: ROWS, epochs: EPOCHS, repeats: REPEATS },
				TIMEOUT_MS
			);
			const r = backends[backend];
			log(
				r.available
					? `  ${backend}: ${r.regression.samples_per_second} / ${r.binary.samples_per_second} samples/s (regression / binary) in ${((performance.now() - started) / 1000).toFixed(1)} s`
					: `  ${backend}: unavailable — ${r.error}`
			);
		}
		const sps = (r) =>
			r?.available ? (r.regression.samples_per_second + r.binary.samples_per_second) / 2 : 0;
		const available = BACKENDS.filter((b) => backends[b].available);
		console.log(
			JSON.stringify({
				bench: 'nn-browser',
				version,
				rows: ROWS,
				epochs: EPOCHS,
				repeats: REPEATS,
				...pageFacts,
				available,
				failed: Object.fromEntries(
					BACKENDS.filter((b) => !backends[b].available).map((b) => [b, backends[b].error])
				),
				fastest: available.reduce(
					(a, b) => (sps(backends[b]) > sps(backends[a]) ? b : a),
					available[0] ?? null
				),
				backends
			})
		);
	}
);
