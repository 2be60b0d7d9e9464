/**
 * MLP training throughput on tfjs's WebGPU backend in Node, on a hardware adapter: navigator.gpu
 * comes from Dawn (dawn.node of the npm package `webgpu`, not a dependency: install it with
 * `npm i --no-save webgpu@0.6.2` or pass --dawn), so a GPU machine with no browser runs
 * the training code the app runs, next to the wasm and cpu backends loaded the way the CLI loads
 * them (src/cli/tf.ts). bench/device/pack.sh bundles it with Node for a machine without either;
 * bench/device/run.sh runs that bundle there.
 *
 *   npx tsx bench/nn-dawn.ts [--rows 20000] [--epochs 10] [--repeats 3]
 *       [--backends webgpu,wasm,cpu] [--predict-rows 100000] [--predict-cpu-rows 10000]
 *       [--big-rows 200000] [--big-wasm-rows 50000] [--big-cpu-rows 10000]
 *       [--big-hidden 256,128] [--big-batch 256,2048] [--big-epochs 2]
 *       [--big-backends webgpu,wasm,cpu] [--budget 330] [--out result.json]
 *       [--dawn path/to/dawn.node] [--dawn-flag backend=vulkan]…
 *
 * Cases, per backend, in this order (backends too: webgpu first):
 *  - small: bench/browser/nn-run.ts's runNnCase, what `npm run bench:nn` times (rows × 20,
 *    hidden [32, 16], batch 256, fixed epochs, regression and binary, best of the timed runs);
 *  - predict: predictMlp (the app's prediction path) on --predict-rows rows (cpu:
 *    --predict-cpu-rows), for a [32, 16] and a --big-hidden network of seeded random weights,
 *    after one untimed chunk; best of up to 3 passes. rows/s;
 *  - big: the same trainMlp, binary task, hidden --big-hidden, at each --big-batch, for
 *    --big-epochs on --big-rows rows (wasm and cpu: on their caps; samples/s is per row, so the
 *    figures stay comparable, and [256, 128] on 200,000 rows takes plain JS minutes). Warm-up is
 *    one epoch on at most 16 batches' worth of rows, which compiles the same kernels.
 * --budget (seconds, whole run) is shared out as each backend starts (webgpu weighs 2, the others
 * 1, over what is left); a case that would start after its backend's share is skipped and
 * recorded so. A case under way is not interrupted.
 * --out also writes the result after every case ("complete": false until the end), so a run
 * killed at a time limit keeps what it measured.
 * --dawn loads dawn.node from a path (the packed bundle does; `webgpu` is external to it);
 * without it the `webgpu` package is imported. --dawn-flag passes an option to Dawn's create(),
 * e.g. backend=vulkan or adapter=<name>; repeatable.
 * Progress goes to stderr (tfjs's console.log banner too); stdout gets exactly one JSON line,
 * whose "summary" gives samples/s (training) or rows/s (predict) per backend and case.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { predictMlp, trainMlp, type MlpArtifact } from '../src/lib/ml/nn/mlp';
import { withLayers, type Tf } from '../src/lib/ml/nn/tf';
import { neverCancelled } from '../src/lib/ml/progress';
import { createRng } from '../src/lib/ml/random';
import { NN_BENCH, nnBenchData, runNnCase, type NnCaseResult } from './browser/nn-run';

const BACKENDS = ['webgpu', 'wasm', 'cpu'] as const;
type Backend = (typeof BACKENDS)[number];

const { values: argv } = parseArgs({
	options: {
		rows: { type: 'string', default: String(NN_BENCH.rows) },
		epochs: { type: 'string', default: String(NN_BENCH.epochs) },
		repeats: { type: 'string', default: String(NN_BENCH.repeats) },
		backends: { type: 'string', default: BACKENDS.join(',') },
		'big-rows': { type: 'string', default: '200000' },
		'big-hidden': { type: 'string', default: '256,128' },
		'big-batch': { type: 'string', default: '256,2048' },
		'big-epochs': { type: 'string', default: '2' },
		'big-backends': { type: 'string', default: BACKENDS.join(',') },
		'big-wasm-rows': { type: 'string', default: '50000' },
		'big-cpu-rows': { type: 'string', default: '10000' },
		'predict-rows': { type: 'string', default: '100000' },
		'predict-cpu-rows': { type: 'string', default: '10000' },
		budget: { type: 'string', default: '330' },
		out: { type: 'string' },
		dawn: { type: 'string' },
		'dawn-flag': { type: 'string', multiple: true, default: [] }
	}
});

function int(name: string, value: string, min: number): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
	return n;
}
function ints(name: string, value: string, min: number): number[] {
	return value
		.split(',')
		.filter(Boolean)
		.map((v) => int(name, v, min));
}
function backends(name: string, value: string): Backend[] {
	const list = value.split(',').filter(Boolean);
	const bad = list.filter((b) => !(BACKENDS as readonly string[]).includes(b));
	if (bad.length) throw new Error(`--${name}: unknown backend(s) ${bad.join(', ')}`);
	return list as Backend[];
}

const ROWS = int('rows', argv.rows, 512);
const EPOCHS = int('epochs', argv.epochs, 1);
const REPEATS = int('repeats', argv.repeats, 1);
const RUN_BACKENDS = backends('backends', argv.backends);
const BIG_ROWS = int('big-rows', argv['big-rows'], 0);
const BIG_HIDDEN = ints('big-hidden', argv['big-hidden'], 1);
const BIG_BATCHES = ints('big-batch', argv['big-batch'], 1);
const BIG_EPOCHS = int('big-epochs', argv['big-epochs'], 1);
const BIG_BACKENDS = backends('big-backends', argv['big-backends']);
const BIG_WASM_ROWS = int('big-wasm-rows', argv['big-wasm-rows'], 0);
const BIG_CPU_ROWS = int('big-cpu-rows', argv['big-cpu-rows'], 0);
const PREDICT_ROWS = int('predict-rows', argv['predict-rows'], 0);
const PREDICT_CPU_ROWS = int('predict-cpu-rows', argv['predict-cpu-rows'], 0);
const BUDGET_S = int('budget', argv.budget, 1);
const DAWN_FLAGS = argv['dawn-flag'];
/** Budget shares: webgpu, the point of this bench, gets twice the time of the others. */
const SHARE: Record<Backend, number> = { webgpu: 2, wasm: 1, cpu: 1 };

const T0 = performance.now();
const elapsed = () => (performance.now() - T0) / 1000;
/** Seconds since start by which the current backend's cases must have started (see main). */
let deadline = BUDGET_S;
const log = (msg: string) =>
	process.stderr.write(`[bench:nn-dawn ${elapsed().toFixed(0)}s] ${msg}\n`);
// tfjs prints its "install tfjs-node" banner with console.log; stdout is for the JSON line only.
console.log = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---- Dawn ----------------------------------------------------------------------------------

interface AdapterLike {
	info?: Record<string, unknown>;
	features?: Iterable<string>;
	limits?: Record<string, unknown>;
	isFallbackAdapter?: boolean;
}
interface GpuLike {
	requestAdapter(opts?: { powerPreference?: string }): Promise<AdapterLike | null>;
}
interface DawnModule {
	create(flags: string[]): GpuLike;
	globals: Record<string, unknown>;
}

async function loadDawn(path: string | undefined): Promise<DawnModule> {
	if (path) {
		// Absolute, so the base createRequire resolves from does not matter (the bundle is CJS).
		const file = resolve(path.endsWith('.node') ? path : join(path, 'dist/linux-x64/dawn.node'));
		return createRequire(join(process.cwd(), 'noop.js'))(file) as DawnModule;
	}
	// A computed specifier: the bundle keeps `webgpu` external, and TypeScript does not pull the
	// package's global WebGPU typings into the project.
	const pkg = 'webgpu';
	return (await import(pkg)) as DawnModule;
}

const INFO_KEYS = ['vendor', 'architecture', 'device', 'description', 'isFallbackAdapter'];
const INFO_EXTRA = ['subgroupMinSize', 'subgroupMaxSize'];
const LIMIT_KEYS = [
	'maxStorageBufferBindingSize',
	'maxBufferSize',
	'maxComputeWorkgroupStorageSize',
	'maxComputeInvocationsPerWorkgroup',
	'maxComputeWorkgroupsPerDimension'
];

async function describeAdapter(gpu: GpuLike): Promise<Record<string, unknown> | null> {
	const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
	if (!adapter) return null;
	const info = adapter.info ?? {};
	const out: Record<string, unknown> = {};
	for (const k of [...INFO_KEYS, ...INFO_EXTRA]) if (info[k] !== undefined) out[k] = info[k];
	if (out.isFallbackAdapter === undefined && adapter.isFallbackAdapter !== undefined)
		out.isFallbackAdapter = adapter.isFallbackAdapter;
	out.features = adapter.features ? [...adapter.features].sort() : [];
	const limits: Record<string, unknown> = {};
	for (const k of LIMIT_KEYS) if (adapter.limits?.[k] !== undefined) limits[k] = adapter.limits[k];
	out.limits = limits;
	return out;
}

/** navigator.gpu must exist before tfjs-backend-webgpu is imported: it registers only then. */
function installNavigatorGpu(gpu: GpuLike): void {
	const g = globalThis as { navigator?: object };
	if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
	else
		Object.defineProperty(globalThis, 'navigator', {
			value: { gpu },
			configurable: true,
			writable: true
		});
}

// ---- cases ---------------------------------------------------------------------------------

interface BigCaseResult {
	task: 'binary';
	rows: number;
	hidden: number[];
	batch_size: number;
	epochs: number;
	warmup_rows: number;
	warmup_seconds: number;
	seconds: number;
	runs_seconds: number[];
	samples_per_second: number;
	final_loss: number;
}

/** As runNnCase, with the network and batch size free and a warm-up on a slice of the rows. */
async function runBigCase(
	tf: Tf,
	rows: number,
	hidden: number[],
	batchSize: number
): Promise<BigCaseResult> {
	const data = nnBenchData('binary', rows, NN_BENCH.cols);
	const warmRows = Math.min(rows, batchSize * 16 + 7);
	const warm = {
		...data,
		X: data.X.subarray(0, warmRows * data.nCols),
		y: data.y.subarray(0, warmRows),
		nRows: warmRows
	};
	const opts = { task: 'binary' as const, hidden, batchSize, validationFraction: 0, seed: 1 };
	const train = (d: typeof data, n: number) =>
		trainMlp(tf, d, { ...opts, epochs: n, patience: n + 1 }, () => {}, neverCancelled);
	const w0 = performance.now();
	await train(warm, 1);
	const warmup = (performance.now() - w0) / 1000;
	const runs: number[] = [];
	let r;
	do {
		const t0 = performance.now();
		r = await train(data, BIG_EPOCHS);
		runs.push((performance.now() - t0) / 1000);
	} while (
		runs.length < REPEATS &&
		runs.reduce((a, b) => a + b) < NN_BENCH.repeatBudgetSeconds &&
		elapsed() + runs[runs.length - 1] < deadline
	);
	const seconds = Math.min(...runs);
	return {
		task: 'binary',
		rows,
		hidden,
		batch_size: batchSize,
		epochs: r.epochsRun,
		warmup_rows: warmRows,
		warmup_seconds: round(warmup, 3),
		seconds: round(seconds, 3),
		runs_seconds: runs.map((s) => round(s, 3)),
		samples_per_second: Math.round((rows * r.epochsRun) / seconds),
		final_loss: round(r.history[r.history.length - 1].loss, 4)
	};
}

interface PredictResult {
	rows: number;
	hidden: number[];
	warmup_seconds: number;
	seconds: number;
	runs_seconds: number[];
	rows_per_second: number;
	checksum: number;
}

/** A seeded random network of the given shape: predictMlp's cost does not depend on the values. */
function randomArtifact(hidden: number[], nInputs: number): MlpArtifact {
	const rng = createRng(`bench-nn-dawn:${hidden.join('x')}`);
	const sizes = [nInputs, ...hidden, 1];
	const weights = [];
	for (let i = 0; i + 1 < sizes.length; i++) {
		const [fanIn, fanOut] = [sizes[i], sizes[i + 1]];
		const scale = Math.sqrt(2 / fanIn);
		const kernel = Float32Array.from({ length: fanIn * fanOut }, () => rng.normal() * scale);
		weights.push({ shape: [fanIn, fanOut], values: kernel });
		weights.push({ shape: [fanOut], values: new Float32Array(fanOut) });
	}
	return {
		kind: 'mlp',
		version: 1,
		task: 'binary',
		nInputs,
		nOutputs: 1,
		hidden,
		targetMean: 0,
		targetStd: 1,
		weights
	};
}

async function runPredict(tf: Tf, rows: number, hidden: number[]): Promise<PredictResult> {
	const { X, nCols } = nnBenchData('regression', rows, NN_BENCH.cols);
	const artifact = randomArtifact(hidden, nCols);
	// One chunk's worth (predictMlp's default) compiles the same kernels as the full pass.
	const warmRows = Math.min(rows, 16384);
	const w0 = performance.now();
	await predictMlp(tf, artifact, X.subarray(0, warmRows * nCols), warmRows, nCols);
	const warmup = (performance.now() - w0) / 1000;
	const runs: number[] = [];
	let out: Float32Array;
	do {
		const t0 = performance.now();
		out = await predictMlp(tf, artifact, X, rows, nCols);
		runs.push((performance.now() - t0) / 1000);
	} while (runs.length < 3 && runs.reduce((a, b) => a + b) < 20);
	const seconds = Math.min(...runs);
	let sum = 0;
	for (let i = 0; i < out.length; i++) sum += out[i];
	return {
		rows,
		hidden,
		warmup_seconds: round(warmup, 3),
		seconds: round(seconds, 4),
		runs_seconds: runs.map((s) => round(s, 4)),
		rows_per_second: Math.round(rows / seconds),
		checksum: round(sum / out.length, 6)
	};
}

type Outcome<T> = T | { skipped: string } | { error: string };

async function guarded<T>(label: string, fn: () => Promise<T>): Promise<Outcome<T>> {
	if (elapsed() >= deadline) {
		log(`${label}: skipped (this backend's share of the ${BUDGET_S} s budget is spent)`);
		return { skipped: `this backend's share of the ${BUDGET_S} s time budget was spent` };
	}
	log(`${label}…`);
	try {
		const r = await fn();
		const rate = (r as { samples_per_second?: number; rows_per_second?: number }) ?? {};
		const fig = rate.samples_per_second ?? rate.rows_per_second;
		log(`${label}: ${fig !== undefined ? `${fig.toLocaleString('en')}/s` : 'done'}`);
		return r;
	} catch (e) {
		log(`${label}: failed: ${errorText(e)}`);
		return { error: errorText(e) };
	}
}

// ---- main ----------------------------------------------------------------------------------

async function main(): Promise<void> {
	const machine = {
		cpus: availableParallelism(),
		cpu_model: cpus()[0]?.model ?? null,
		load_average_1m_at_start: loadavg()[0]
	};
	const dawn: Record<string, unknown> = { flags: DAWN_FLAGS, path: argv.dawn ?? 'webgpu' };
	let gpuReady = false;
	try {
		const mod = await loadDawn(argv.dawn);
		Object.assign(globalThis, mod.globals);
		const gpu = mod.create(DAWN_FLAGS);
		installNavigatorGpu(gpu);
		dawn.loaded = true;
		dawn.adapter = await describeAdapter(gpu);
		gpuReady = dawn.adapter !== null;
		if (!gpuReady) dawn.error = 'requestAdapter returned null';
		log(`Dawn adapter: ${JSON.stringify(dawn.adapter)}`);
	} catch (e) {
		dawn.loaded = dawn.loaded ?? false;
		dawn.error = errorText(e);
		log(`Dawn failed: ${dawn.error}`);
	}

	const [core, layers] = await Promise.all([
		import('@tensorflow/tfjs-core'),
		import('@tensorflow/tfjs-layers'),
		import('@tensorflow/tfjs-backend-cpu')
	]);
	const importErrors: Record<string, string> = {};
	await import('@tensorflow/tfjs-backend-wasm').catch((e) => (importErrors.wasm = errorText(e)));
	if (gpuReady)
		await import('@tensorflow/tfjs-backend-webgpu').catch(
			(e) => (importErrors.webgpu = errorText(e))
		);
	const tf = withLayers(core, layers);

	/** tf.setBackend only warns when a backend's start fails; keep the warning as the reason. */
	async function start(name: Backend): Promise<string | null> {
		if (importErrors[name]) return `import failed: ${importErrors[name]}`;
		if (core.findBackendFactory(name) == null)
			return name === 'webgpu'
				? `not registered: ${String(dawn.error ?? 'no navigator.gpu')}`
				: 'not registered';
		const warnings: string[] = [];
		const warn = console.warn;
		console.warn = (...args: unknown[]) => {
			warnings.push(args.map(errorText).join(' '));
			warn(...args);
		};
		try {
			const started = await Promise.race([
				core.setBackend(name),
				new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), 60_000).unref())
			]);
			if (started === 'timeout') return 'starting took longer than 60 s';
			if (!started) return warnings.join(' | ') || 'could not start';
			await core.ready();
			return null;
		} catch (e) {
			return errorText(e);
		} finally {
			console.warn = warn;
		}
	}

	const results: Record<string, Record<string, unknown>> = {};
	/** The whole result as one JSON line; `complete` is false in the snapshots written on the way. */
	const report = (complete: boolean) =>
		JSON.stringify({
			bench: 'nn-dawn',
			complete,
			elapsed_seconds: round(elapsed(), 1),
			budget_seconds: BUDGET_S,
			node: process.version,
			machine,
			dawn,
			config: {
				small: { rows: ROWS, cols: NN_BENCH.cols, hidden: NN_BENCH.hidden, batch_size: 256 },
				epochs: EPOCHS,
				repeats: REPEATS,
				big: {
					rows: BIG_ROWS,
					wasm_rows: BIG_WASM_ROWS,
					cpu_rows: BIG_CPU_ROWS,
					hidden: BIG_HIDDEN,
					batch_sizes: BIG_BATCHES,
					epochs: BIG_EPOCHS,
					task: 'binary'
				},
				predict_rows: PREDICT_ROWS,
				predict_cpu_rows: PREDICT_CPU_ROWS
			},
			summary: summarise(results),
			backends: results
		});
	/** With --out, the result so far after every case: a run killed at its time limit keeps it. */
	const save = () => {
		if (!argv.out) return;
		writeFileSync(`${argv.out}.tmp`, `${report(false)}\n`);
		renameSync(`${argv.out}.tmp`, argv.out);
	};

	for (const [i, name] of RUN_BACKENDS.entries()) {
		const r: Record<string, unknown> = {};
		results[name] = r;
		const left = BUDGET_S - elapsed();
		const shares = RUN_BACKENDS.slice(i).reduce((a, b) => a + SHARE[b], 0);
		deadline = elapsed() + (Math.max(0, left) * SHARE[name]) / shares;
		if (left <= 0) {
			r.available = false;
			r.error = `skipped: time budget of ${BUDGET_S} s spent`;
			continue;
		}
		log(`starting ${name} (its cases start until ${deadline.toFixed(0)} s)`);
		const failed = await start(name);
		if (failed !== null) {
			log(`${name} unavailable: ${failed}`);
			r.available = false;
			r.error = failed;
			save();
			continue;
		}
		r.available = true;
		if (name === 'webgpu') {
			const b = core.backend() as unknown as { adapterInfo?: object };
			r.tfjs_adapter_info = b.adapterInfo ? { ...b.adapterInfo } : null;
			r.flags = {
				WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD: core.env().get('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD'),
				WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE: core.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE')
			};
		}
		if (name === 'wasm') {
			r.simd = await core.env().getAsync('WASM_HAS_SIMD_SUPPORT');
			r.threads = await core.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
		}
		const small: Record<string, Outcome<NnCaseResult>> = {};
		r.small = small;
		for (const task of ['regression', 'binary'] as const) {
			small[task] = await guarded(`${name} small ${task} (${ROWS} rows)`, () =>
				runNnCase(tf, task, ROWS, EPOCHS, REPEATS)
			);
			save();
		}
		const predictRows = name === 'cpu' ? Math.min(PREDICT_ROWS, PREDICT_CPU_ROWS) : PREDICT_ROWS;
		if (predictRows > 0) {
			const predict: Record<string, Outcome<PredictResult>> = {};
			r.predict = predict;
			for (const hidden of [NN_BENCH.hidden, BIG_HIDDEN]) {
				predict[`hidden_${hidden.join('x')}`] = await guarded(
					`${name} predict [${hidden}] (${predictRows} rows)`,
					() => runPredict(tf, predictRows, hidden)
				);
				save();
			}
		}
		if (BIG_BACKENDS.includes(name) && BIG_ROWS > 0) {
			const cap = { webgpu: BIG_ROWS, wasm: BIG_WASM_ROWS, cpu: BIG_CPU_ROWS }[name];
			const rows = Math.min(BIG_ROWS, cap);
			const big: Record<string, Outcome<BigCaseResult>> = {};
			r.big = big;
			for (const batch of BIG_BATCHES) {
				big[`batch_${batch}`] =
					rows > 0
						? await guarded(`${name} big [${BIG_HIDDEN}] batch ${batch} (${rows} rows)`, () =>
								runBigCase(tf, rows, BIG_HIDDEN, batch)
							)
						: { skipped: `--big-${name}-rows 0` };
				save();
			}
		}
		r.memory = core.memory();
	}

	const line = report(true);
	if (argv.out) writeFileSync(argv.out, `${line}\n`);
	await new Promise<void>((ok) => process.stdout.write(`${line}\n`, () => ok()));
}

/** The figures at a glance: samples/s (training) or rows/s (predict) per backend and case. */
function summarise(
	results: Record<string, Record<string, unknown>>
): Record<string, Record<string, number | string>> {
	const summary: Record<string, Record<string, number | string>> = {};
	for (const [name, r] of Object.entries(results)) {
		const s: Record<string, number | string> = {};
		summary[name] = s;
		if (r.available === false) {
			s.error = String(r.error);
			continue;
		}
		for (const group of ['small', 'big', 'predict'])
			for (const [k, o] of Object.entries((r[group] as Record<string, unknown>) ?? {})) {
				const v = o as Record<string, unknown>;
				s[`${group} ${k}`] = (v.samples_per_second ??
					v.rows_per_second ??
					String(v.skipped ?? v.error ?? '?')) as number | string;
			}
	}
	return summary;
}

main().then(
	// dawn.node keeps the process alive while navigator.gpu is referenced: exit explicitly.
	() => process.exit(0),
	(e) => {
		process.stderr.write(`[bench:nn-dawn] fatal: ${e instanceof Error ? e.stack : e}\n`);
		process.exit(1);
	}
);
