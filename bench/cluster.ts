/**
 * K-Means speed and quality of Classlens against scikit-learn's KMeans, single-threaded
 * (OMP_NUM_THREADS=1 for Python; our k-means is single-threaded), on the same data in the same
 * run.
 *
 * Usage: npx tsx bench/cluster.ts [--rows 200000,1000000] [--repeats 3] [--n-init N]
 *        [--seeds 0,1,2] [--variants] [--no-python] [--engine auto|wasm|js]
 * The Python is /usr/bin/python3 (Debian's, with scikit-learn), or $CLASSLENS_PYTHON.
 * Data: see cluster-data.ts. The same numbers go to Python through a temporary binary file.
 * Both sides use greedy k-means++ (2 + ⌊ln k⌋ local trials) and the same number of restarts
 * (default: our default for the size, 3 above 100,000 rows); tol 1e-4, max_iter 300.
 * Each timing is the best of --repeats rounds, wall-clock and CPU time of the process; the data
 * check, seeding and all restarts are inside the timing on both sides (the Python side's
 * conversion of the array is too). A round times every seed on our side and then on
 * scikit-learn's, so a busy spell on a shared machine hits both sides rather than one.
 * --engine picks our kernels (default: WebAssembly where it runs; js: the TypeScript fallback).
 * Which restarts converge fast is luck (two seeds can differ 3× in iterations), so --seeds runs
 * each seed on both sides (our seed s, scikit-learn's random_state s) and the ratios use the
 * summed times over the seeds.
 * Prints one JSON object: per size our time, scikit-learn's lloyd (its default) and elkan times,
 * time_ratio = ours / scikit-learn default (≤ 1 means at least as fast), cpu_ratio the same in
 * CPU time, time_ratio_best = ours / the faster scikit-learn algorithm, and inertia_ratio = ours /
 * scikit-learn's (the goal is within 0.5 %). --variants also times our lloyd, elkan and hamerly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultNInit, kmeans, type KMeansFitOptions } from '../src/lib/ml/cluster/kmeans';
import type { KernelChoice } from '../src/lib/ml/cluster/kmeans-wasm';
import type { Matrix } from '../src/lib/ml/cluster/types';
import { blobs, D, K } from './cluster-data';
import { runPython, type Peer, type Timed } from './cluster-peer';

function argValue(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

const sizes = (argValue('--rows') ?? '200000,1000000').split(',').map(Number);
const repeats = Number(argValue('--repeats') ?? 3);
const nInitArg = argValue('--n-init');
const withPython = !process.argv.includes('--no-python');
const variants = process.argv.includes('--variants');
const seeds = (argValue('--seeds') ?? '0').split(',').map(Number);
const engine = (argValue('--engine') ?? 'auto') as KernelChoice;

function timeOurs(X: Matrix, opts: KMeansFitOptions): Timed {
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const fit = kmeans(X, { ...opts, engine });
	const seconds = (performance.now() - t0) / 1000;
	const cpu = process.cpuUsage(cpu0);
	return {
		seconds,
		cpu_seconds: (cpu.user + cpu.system) / 1e6,
		inertia: fit.inertia,
		iterations: fit.iterations,
		algorithm: fit.algorithm
	};
}

/** Best wall time and best CPU time, each over the rounds. */
function best(a: Timed | undefined, b: Timed): Timed {
	if (!a) return b;
	const cpu = Math.min(a.cpu_seconds, b.cpu_seconds);
	return { ...(b.seconds < a.seconds ? b : a), cpu_seconds: cpu };
}

const round = (x: number, digits = 4) => Number(x.toPrecision(digits));

/** Sums seconds and CPU over seeds; inertia is the best (lowest) found. */
function total(runs: Timed[]): Timed & { per_seed: Timed[] } {
	return {
		seconds: round(runs.reduce((a, r) => a + r.seconds, 0)),
		cpu_seconds: round(runs.reduce((a, r) => a + r.cpu_seconds, 0)),
		inertia: Math.min(...runs.map((r) => r.inertia)),
		iterations: runs.reduce((a, r) => a + r.iterations, 0),
		...(runs[0].algorithm ? { algorithm: runs[0].algorithm } : {}),
		per_seed: runs
	};
}

const results: unknown[] = [];
for (const n of sizes) {
	const X = blobs(n, 1);
	const nInit = nInitArg ? Number(nInitArg) : defaultNInit(n);
	// Warm-up on a slice so the JIT has compiled the kernels before the timed runs.
	kmeans({ data: X.data.subarray(0, 20_000 * D), n: 20_000, d: D }, { k: K, seed: 0, nInit });
	const dir = mkdtempSync(join(tmpdir(), 'classlens-cluster-'));
	const file = join(dir, 'X.f64');
	writeFileSync(file, new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
	const ourBest: (Timed | undefined)[] = seeds.map(() => undefined);
	const variantBest: Record<string, (Timed | undefined)[]> = {};
	let peer: Peer | { error: string } | null = null;
	try {
		for (let r = 0; r < repeats; r++) {
			seeds.forEach((seed, i) => {
				ourBest[i] = best(ourBest[i], timeOurs(X, { k: K, seed, nInit }));
			});
			if (variants) {
				for (const algorithm of ['lloyd', 'elkan', 'hamerly'] as const) {
					const list = (variantBest[algorithm] ??= seeds.map(() => undefined));
					seeds.forEach((seed, i) => {
						list[i] = best(list[i], timeOurs(X, { k: K, seed, nInit, algorithm }));
					});
				}
			}
			if (!withPython || (peer && 'error' in peer)) continue;
			const now = runPython(file, X, nInit, seeds);
			if ('error' in now || !peer) peer = now;
			else {
				for (const algo of ['lloyd', 'elkan'] as const) {
					const runs = (peer as Peer)[algo];
					now[algo].forEach((t, i) => (runs[i] = best(runs[i], t)));
				}
			}
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const ours = total(ourBest as Timed[]);
	const extra: Record<string, Timed> = {};
	for (const [algorithm, list] of Object.entries(variantBest))
		extra[algorithm] = total(list as Timed[]);
	const row: Record<string, unknown> = {
		rows: n,
		features: D,
		k: K,
		n_init: nInit,
		seeds,
		classlens: ours,
		engine,
		...(variants ? { classlens_variants: extra } : {})
	};
	if (peer && !('error' in peer)) {
		const lloyd = total(peer.lloyd);
		const elkan = total(peer.elkan);
		const faster = elkan.seconds < lloyd.seconds ? elkan : lloyd;
		Object.assign(row, {
			sklearn: { version: peer.version, lloyd, elkan },
			time_ratio: round(ours.seconds / lloyd.seconds, 3),
			time_ratio_per_seed: ours.per_seed.map((t, i) => round(t.seconds / peer.lloyd[i].seconds, 3)),
			cpu_ratio: round(ours.cpu_seconds / lloyd.cpu_seconds, 3),
			time_ratio_best: round(ours.seconds / faster.seconds, 3),
			inertia_ratio: round(ours.inertia / lloyd.inertia, 6)
		});
	} else if (peer) row.sklearn = peer;
	results.push(row);
	console.error(JSON.stringify(row));
}
console.log(JSON.stringify({ bench: 'cluster', repeats, seeds, results }));
