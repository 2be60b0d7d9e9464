/**
 * `npm run bench:cluster:browser`: k-means in a dedicated Web Worker of headless Chromium (where
 * the personas dashboard runs it) with the WebAssembly SIMD kernels and with the TypeScript
 * fallback, next to scikit-learn's KMeans single-threaded on the same matrix in the same run
 * (as bench/cluster.ts does in Node). Rounds alternate: browser fits for every seed, then
 * scikit-learn's; each figure is the best over rounds, summed over the seeds.
 *
 *   npx tsx bench/cluster-browser.ts [--rows 200000,1000000] [--seeds 0,1,2] [--repeats 2]
 *                                    [--no-python]
 * Progress goes to stderr; the last line on stdout is one JSON summary.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultNInit } from '../src/lib/ml/cluster/kmeans';
import { withBrowserWorker } from './browser-harness.mjs';
import { blobs } from './cluster-data';
import { runPython, type Peer } from './cluster-peer';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: argv } = parseArgs({
	options: {
		rows: { type: 'string', default: '200000,1000000' },
		seeds: { type: 'string', default: '0,1,2' },
		repeats: { type: 'string', default: '2' },
		'no-python': { type: 'boolean', default: false }
	}
});
const sizes = argv.rows.split(',').map(Number);
const seeds = argv.seeds.split(',').map(Number);
const repeats = Number(argv.repeats);
const log = (msg: string) => process.stderr.write(`[bench:cluster:browser] ${msg}\n`);
const round = (x: number, digits = 4) => Number(x.toPrecision(digits));

interface EngineResult {
	seconds: number;
	inertia: number;
	per_seed: { seconds: number; inertia: number; iterations: number; engine: string }[];
}
interface WorkerAnswer {
	available: boolean;
	error?: string;
	wasm: boolean;
	results: Record<'wasm' | 'js', EngineResult>;
}

await withBrowserWorker(
	{ entry: join(ROOT, 'bench/browser/cluster-worker.ts'), name: 'cluster', log },
	async ({ version, runWorker }) => {
		const results = [];
		for (const n of sizes) {
			const nInit = defaultNInit(n);
			const X = blobs(n, 1);
			const dir = mkdtempSync(join(tmpdir(), 'classlens-cluster-'));
			const file = join(dir, 'X.f64');
			writeFileSync(file, new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
			const ours: Record<string, number[]> = { wasm: [], js: [] };
			let answer: WorkerAnswer | undefined;
			const sk: number[] = [];
			let skInertia = Infinity;
			let skVersion = '';
			try {
				for (let r = 0; r < repeats; r++) {
					log(`Chromium ${version}, ${n} rows, round ${r + 1} of ${repeats}…`);
					const a = await runWorker<WorkerAnswer>(
						{ rows: n, seeds, repeats: 1, engines: ['wasm', 'js'], nInit },
						1_800_000
					);
					if (!a.available) throw new Error(a.error);
					answer = a;
					for (const e of ['wasm', 'js'] as const) {
						a.results[e].per_seed.forEach((s, i) => {
							ours[e][i] = Math.min(ours[e][i] ?? Infinity, s.seconds);
						});
					}
					if (argv['no-python']) continue;
					const peer = runPython(file, X, nInit, seeds);
					if ('error' in peer) throw new Error(peer.error);
					skVersion = (peer as Peer).version;
					peer.lloyd.forEach((t, i) => {
						sk[i] = Math.min(sk[i] ?? Infinity, t.seconds);
						skInertia = Math.min(skInertia, t.inertia);
					});
				}
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
			const a = answer as WorkerAnswer;
			const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
			const row = {
				rows: n,
				n_init: nInit,
				seeds,
				wasm_available: a.wasm,
				engines_used: {
					wasm: a.results.wasm.per_seed[0].engine,
					js: a.results.js.per_seed[0].engine
				},
				wasm_seconds: round(sum(ours.wasm)),
				js_seconds: round(sum(ours.js)),
				wasm_speedup_over_js: round(sum(ours.js) / sum(ours.wasm), 3),
				inertia: a.results.wasm.inertia,
				inertia_engines_equal: a.results.wasm.inertia === a.results.js.inertia,
				...(sk.length
					? {
							sklearn: { version: skVersion, seconds: round(sum(sk)), inertia: skInertia },
							time_ratio: round(sum(ours.wasm) / sum(sk), 3),
							time_ratio_per_seed: ours.wasm.map((t, i) => round(t / sk[i], 3)),
							inertia_ratio: round(a.results.wasm.inertia / skInertia, 6)
						}
					: {})
			};
			log(JSON.stringify(row));
			results.push(row);
		}
		console.log(JSON.stringify({ bench: 'cluster-browser', chromium: version, repeats, results }));
	}
);
