/**
 * MLP training throughput (samples/s = rows × epochs / seconds) per tfjs backend: in Node (wasm
 * and cpu, loaded the way the CLI loads them, src/cli/tf.ts) and, through bench/nn-browser.mjs,
 * in a Web Worker of headless Chromium (webgpu, webgl, wasm, cpu). The workload is
 * bench/browser/nn-run.ts: trainMlp on 20,000 × 20 seeded regression and binary tables, hidden
 * [32, 16], batch 256, a fixed 10 epochs.
 *
 *   npm run bench:nn -- [--rows 20000] [--epochs 10] [--repeats 3] [--no-browser] [--isolated]
 *                       [--backends webgpu,webgl,wasm,cpu]
 *
 * --backends picks the browser backends. WebGPU on the software adapter of a GPU-less machine
 * runs about 0.4 s a batch, so it alone takes 15 minutes or more of the run.
 * --isolated serves the browser page cross-origin isolated (COOP/COEP), which lets the wasm
 * backend use threads; the app is not isolated, so the default measures what it gets.
 * Progress goes to stderr; the last line on stdout is one JSON summary.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadNodeTf, type NodeBackend } from '../src/cli/tf';
import { NN_BENCH, runNnCase, type NnCaseResult } from './browser/nn-run';

const { values: argv } = parseArgs({
	options: {
		rows: { type: 'string', default: String(NN_BENCH.rows) },
		epochs: { type: 'string', default: String(NN_BENCH.epochs) },
		repeats: { type: 'string', default: String(NN_BENCH.repeats) },
		'no-browser': { type: 'boolean', default: false },
		isolated: { type: 'boolean', default: false },
		backends: { type: 'string', default: 'webgpu,webgl,wasm,cpu' }
	}
});
const ROWS = Number(argv.rows);
const EPOCHS = Number(argv.epochs);
const REPEATS = Number(argv.repeats);
if (!Number.isInteger(ROWS) || ROWS < 512) throw new Error('--rows must be an integer ≥ 512');
if (!Number.isInteger(EPOCHS) || EPOCHS < 1) throw new Error('--epochs must be an integer ≥ 1');
if (!Number.isInteger(REPEATS) || REPEATS < 1) throw new Error('--repeats must be an integer ≥ 1');
const log = (msg: string) => process.stderr.write(`[bench:nn] ${msg}\n`);

type BackendResult =
	| { available: true; regression: NnCaseResult; binary: NnCaseResult }
	| { available: false; error: string };

function errorText(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

async function nodeBackend(name: NodeBackend): Promise<BackendResult> {
	try {
		const { tf, backend, fallbackReason } = await loadNodeTf(name);
		if (backend !== name) return { available: false, error: fallbackReason ?? 'did not start' };
		log(`Node ${process.version} ${name}: regression…`);
		const regression = await runNnCase(tf, 'regression', ROWS, EPOCHS, REPEATS);
		log(`Node ${process.version} ${name}: binary…`);
		const binary = await runNnCase(tf, 'binary', ROWS, EPOCHS, REPEATS);
		return { available: true, regression, binary };
	} catch (e) {
		return { available: false, error: errorText(e) };
	}
}

/** Runs bench/nn-browser.mjs and returns its JSON line (or why there is none). */
function browserBench(): Promise<unknown> {
	const script = join(dirname(fileURLToPath(import.meta.url)), 'nn-browser.mjs');
	const args = [script, '--rows', String(ROWS), '--epochs', String(EPOCHS)];
	args.push('--repeats', String(REPEATS));
	args.push('--backends', argv.backends);
	if (argv.isolated) args.push('--isolated');
	return new Promise((resolve) => {
		const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.on('error', (e) => resolve({ error: errorText(e) }));
		child.on('close', (code) => {
			const last = out.trim().split('\n').pop() ?? '';
			try {
				resolve(JSON.parse(last));
			} catch {
				resolve({ error: `nn-browser.mjs exited with ${code} and no JSON summary` });
			}
		});
	});
}

// Timings on a shared machine mean little without its load: recorded with the figures.
const machine = { cpus: availableParallelism(), load_average_1m_at_start: loadavg()[0] };
const node: Record<string, BackendResult> = {};
for (const b of ['wasm', 'cpu'] as const) node[b] = await nodeBackend(b);
const sps = (r: BackendResult | undefined) =>
	r?.available ? (r.regression.samples_per_second + r.binary.samples_per_second) / 2 : 0;
const fastest = (['wasm', 'cpu'] as const).reduce((a, b) => (sps(node[b]) > sps(node[a]) ? b : a));
const chromium = argv['no-browser'] ? null : await browserBench();

/** samples/s at a glance: "node wasm": [regression, binary], or the reason it did not run. */
function summary(): Record<string, [number, number] | string> {
	const out: Record<string, [number, number] | string> = {};
	const add = (where: string, results: Record<string, BackendResult>) => {
		for (const [b, r] of Object.entries(results)) {
			out[`${where} ${b}`] = r.available
				? [r.regression.samples_per_second, r.binary.samples_per_second]
				: `unavailable: ${r.error}`;
		}
	};
	add('node', node);
	const browser = chromium as { backends?: Record<string, BackendResult>; error?: string } | null;
	if (browser?.backends) add('chromium', browser.backends);
	else if (browser?.error) out.chromium = `failed: ${browser.error}`;
	return out;
}

console.log(
	JSON.stringify({
		bench: 'nn',
		rows: ROWS,
		cols: NN_BENCH.cols,
		hidden: NN_BENCH.hidden,
		batch_size: NN_BENCH.batchSize,
		epochs: EPOCHS,
		repeats: REPEATS,
		machine,
		samples_per_second: summary(),
		node: {
			version: process.version,
			backends: node,
			fastest,
			wasm_over_cpu_speed:
				sps(node.cpu) > 0 ? Math.round((sps(node.wasm) / sps(node.cpu)) * 100) / 100 : null
		},
		chromium_worker: chromium
	})
);
