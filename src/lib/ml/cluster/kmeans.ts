/**
 * K-Means for student personas: k-means++ seeding and restarts as scikit-learn does them, with
 * an exact accelerated assignment step (kmeans-core.ts) and a mini-batch mode for very large
 * data (kmeans-minibatch.ts).
 *
 * Edge cases, decided once here:
 * - Non-finite input (NaN, ±Infinity) is an error naming the row and feature.
 * - Fewer rows than k is an error ("cluster-too-few-rows"): there is no way to form k groups.
 * - Fewer *distinct* rows than k (many identical students) reduces k to the number of distinct
 *   rows, with a warning ("k-reduced") in the result; `kRequested` keeps what was asked. Each
 *   distinct row is then its own cluster, which is the best (zero-inertia) answer.
 * - Constant features need nothing special: they add the same amount to every distance.
 * - `init` (explicit starting centres) skips seeding and restarts, as in scikit-learn.
 */
import { noProgress } from '../progress';
import { createRng } from '../random';
import { runKMeans, type CoreAlgorithm, type CoreRun } from './kmeans-core';
import { defaultLocalTrials, kmeansPlusPlus, seedBuffers, type Seeding } from './kmeans-init';
import type { KernelEngine } from './kmeans-kernels';
import { createKernels, type KernelChoice } from './kmeans-wasm';
import {
	checkMatrix,
	checkShape,
	countDistinctRows,
	distinctRows,
	inertiaOf,
	matrixError,
	nearestCenters
} from './kmeans-matrix';
import { miniBatchKMeans } from './kmeans-minibatch';
import type { KMeansOptions, KMeansResult, Matrix } from './types';

export const DEFAULT_MAX_ITER = 300;
export const DEFAULT_TOL = 1e-4;
/** Above this many rows the default number of restarts drops from 10 to 3. */
export const LARGE_ROWS = 100_000;

export interface KMeansFitOptions extends KMeansOptions {
	/** Start from these k × d centres (row-major) instead of k-means++; one run, nInit ignored. */
	init?: Float64Array;
	/**
	 * Engine for the passes over the data: WebAssembly SIMD where it runs ('auto', default),
	 * or one of them. Both give bit-identical results; 'js' is the reference.
	 */
	engine?: KernelChoice;
}

export interface KMeansWarning {
	code: 'k-reduced' | 'not-converged';
	message: string;
}

export interface KMeansFit extends KMeansResult {
	/** The k asked for; larger than `k` only when there were fewer distinct rows. */
	kRequested: number;
	algorithm: CoreAlgorithm | 'minibatch';
	/** Restarts actually run. */
	nInit: number;
	/** Whether the winning run stopped by a convergence rule rather than maxIter. */
	converged: boolean;
	/** Which kernels did the passes over the data (same results either way). */
	engine: KernelEngine;
	warnings: KMeansWarning[];
}

export function defaultNInit(n: number): number {
	return n > LARGE_ROWS ? 3 : 10;
}

/**
 * The bounded variant for this shape. Hamerly starts from seeding's own distances (no first
 * pass) and keeps two numbers per row, so it wins for the few features of class data: on 8
 * features and k = 5–10 it was 5–30 % faster than Elkan in bench/cluster.ts and tests. Elkan's
 * k bounds per row compute fewer distances, which pays when distances are expensive (many
 * features) and k is large enough for its per-centre pruning to matter.
 */
export function autoAlgorithm(k: number, d: number): 'elkan' | 'hamerly' {
	return d >= 32 && k >= 8 ? 'elkan' : 'hamerly';
}

/** Labels of rows under existing centres (nearest centre, ties to the lower index). */
export function kmeansPredict(X: Matrix, centers: Float64Array, k: number): Int32Array {
	checkMatrix(X);
	if (centers.length !== k * X.d) {
		throw matrixError(
			'cluster-bad-centers',
			`The centres have ${centers.length} numbers, not ${k} × ${X.d}.`
		);
	}
	return nearestCenters(X, centers, k);
}

export function kmeans(X: Matrix, opts: KMeansFitOptions): KMeansFit {
	checkShape(X);
	const { n, d } = X;
	const kRequested = opts.k;
	if (!Number.isInteger(kRequested) || kRequested < 1) {
		throw matrixError(
			'cluster-bad-k',
			`The number of groups must be a whole number of at least 1; got ${kRequested}.`
		);
	}
	if (n < kRequested) {
		throw matrixError(
			'cluster-too-few-rows',
			`There are only ${n} rows, fewer than the ${kRequested} groups asked for. Choose a smaller number of groups.`,
			{ rows: n, k: kRequested }
		);
	}
	const maxIter = opts.maxIter ?? DEFAULT_MAX_ITER;
	const tol = opts.tol ?? DEFAULT_TOL;
	if (!(Number.isInteger(maxIter) && maxIter >= 1) || !(tol >= 0)) {
		throw matrixError('cluster-bad-options', 'maxIter must be a whole number ≥ 1 and tol ≥ 0.');
	}
	const warnings: KMeansWarning[] = [];
	let k = kRequested;
	let init = opts.init;
	if (init) {
		if (init.length !== k * d) {
			throw matrixError(
				'cluster-bad-init',
				`The starting centres have ${init.length} numbers, not ${k} × ${d}.`
			);
		}
	} else {
		const distinct = countDistinctRows(X, k);
		if (distinct < k) {
			k = distinct;
			init = distinctRows(X, k);
			warnings.push({
				code: 'k-reduced',
				message: `Only ${distinct} different ${distinct === 1 ? 'profile exists' : 'profiles exist'} in the data, so ${distinct} ${distinct === 1 ? 'group was' : 'groups were'} formed instead of ${kRequested}.`
			});
		}
	}

	const onProgress = opts.onProgress ?? noProgress;
	const cancel = opts.cancel;
	if (opts.batchSize !== undefined && !init) {
		checkMatrix(X);
		const fit = miniBatchKMeans(X, {
			k,
			seed: opts.seed,
			batchSize: opts.batchSize,
			nInit: opts.nInit ?? 3,
			maxIter: opts.maxIter ?? 100,
			tol: opts.tol ?? 0,
			onProgress,
			cancel
		});
		return finish(fit, 'minibatch', opts.nInit ?? 3, 'js');
	}

	const requested = opts.algorithm ?? 'auto';
	const algorithm: CoreAlgorithm = requested === 'auto' ? autoAlgorithm(k, d) : requested;
	const nInit = init ? 1 : Math.max(1, opts.nInit ?? defaultNInit(n));
	const rng = createRng(opts.seed);
	const trials = defaultLocalTrials(k);
	const kernels = createKernels(
		X,
		{ k, localTrials: trials, perCenter: algorithm === 'elkan' },
		opts.engine
	);
	let best: CoreRun | null = null;
	try {
		// The values are checked here, in the engine's own pass (checkMatrix names a bad one).
		const summary = kernels.summary() ?? checkMatrix(X);
		const core = {
			maxIter,
			tolAbs: tol * summary.meanVariance,
			margin: 1e-9 * summary.diameter + 1e-13 * Math.sqrt(d) * summary.maxAbs,
			cancel
		};
		const buffers = init ? null : seedBuffers(kernels, trials, algorithm === 'elkan' ? k : 0);
		for (let r = 0; r < nInit; r++) {
			const phase = `K-Means (k = ${k})${nInit > 1 ? ` — start ${r + 1} of ${nInit}` : ''}`;
			onProgress({ fraction: r / nInit, phase: `${phase}, seeding` });
			let seeding: Seeding | undefined;
			if (buffers) {
				seeding = kmeansPlusPlus(X, k, rng, { cancel, localTrials: trials, kernels, buffers });
			}
			const start = init ?? (seeding as Seeding).centers;
			const run = runKMeans(
				algorithm,
				kernels,
				start,
				k,
				{
					...core,
					onIteration: (it) =>
						onProgress({
							fraction: (r + it / (it + 10)) / nInit,
							phase: `${phase}, iteration ${it}`,
							detail: { start: r + 1, iteration: it }
						})
				},
				seeding
			);
			if (!best || run.inertia < best.inertia) best = run;
		}
	} finally {
		kernels.release();
	}
	onProgress({ fraction: 1, phase: `K-Means (k = ${k}) done` });
	return finish(best as CoreRun, algorithm, nInit, kernels.engine);

	function finish(
		run: CoreRun,
		alg: KMeansFit['algorithm'],
		runs: number,
		engine: KernelEngine
	): KMeansFit {
		if (!run.converged) {
			warnings.push({
				code: 'not-converged',
				message: `K-Means stopped after ${run.iterations} iterations without settling; the groups may still shift a little with more iterations.`
			});
		}
		return {
			labels: run.labels,
			centers: run.centers,
			k,
			inertia: run.inertia,
			iterations: run.iterations,
			kRequested,
			algorithm: alg,
			nInit: runs,
			converged: run.converged,
			engine,
			warnings
		};
	}
}

/** Inertia of given labels under given centres, e.g. to compare with another library. */
export function kmeansInertia(X: Matrix, centers: Float64Array, labels: Int32Array): number {
	return inertiaOf(X, centers, labels);
}
