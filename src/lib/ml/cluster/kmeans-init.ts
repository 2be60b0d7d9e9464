/**
 * Greedy k-means++ seeding as scikit-learn does it (Arthur & Vassilvitskii 2007, with the
 * greedy variant of their paper): the first centre is a uniformly random row; each next one is
 * the best of 2 + ⌊ln k⌋ rows drawn with probability proportional to their squared distance to
 * the nearest centre so far, "best" meaning the lowest total squared distance afterwards.
 *
 * Only the random numbers differ from scikit-learn's (our seeded generator, not NumPy's). The
 * passes over the data are the kernels' (kmeans-kernels.ts): every row against every candidate,
 * side by side. (Skipping rows by the triangle inequality saved a quarter of the distances on
 * class data but cost more than that in mispredicted branches.)
 */
import type { CancelToken } from '../progress';
import type { Rng } from '../random';
import { jsKernels, type KMeansKernels } from './kmeans-kernels';
import type { Matrix } from './types';

export function defaultLocalTrials(k: number): number {
	return 2 + Math.floor(Math.log(k));
}

/**
 * The centres plus what seeding learnt on the way, which is exactly the first assignment step
 * of k-means: every row's nearest centre (lower index on ties, since centres are added in index
 * order and only a strictly closer one takes over) and its squared distance, computed with the
 * same dist2 as the iterations. `second` bounds the squared distance to the next-nearest centre
 * from below, so Hamerly's bounds start without a pass over the data.
 */
export interface Seeding {
	centers: Float64Array;
	labels: Int32Array;
	closest: Float64Array;
	second: Float64Array;
	/**
	 * n × k lower bounds on the squared distance from each row to each centre (exact for the
	 * nearest), when the buffers asked for them: Elkan's bounds, for free.
	 */
	perCenter: Float64Array | null;
}

/** Scratch space for seeding, reusable across restarts on the same data. */
export interface SeedBuffers {
	labels: Int32Array;
	closest: Float64Array;
	second: Float64Array;
	/** L × n: distance (or, for skipped rows, a lower bound) from each row to each candidate. */
	trial: Float64Array;
	perCenter: Float64Array | null;
}

/** Scratch for seeding n rows with these kernels; `k` asks for per-centre bounds too (Elkan). */
export function seedBuffers(kernels: KMeansKernels, localTrials: number, k = 0): SeedBuffers {
	const { n } = kernels.X;
	return {
		labels: kernels.i32(n),
		closest: kernels.f64(n),
		second: kernels.f64(n),
		trial: kernels.f64(localTrials * n),
		perCenter: k > 0 ? kernels.f64(n * k) : null
	};
}

export interface SeedOptions {
	cancel?: CancelToken;
	localTrials?: number;
	/** The engine for the passes over the data (default: TypeScript on X). */
	kernels?: KMeansKernels;
	/** Reused across restarts; made from `kernels` when absent. */
	buffers?: SeedBuffers;
}

export function kmeansPlusPlus(X: Matrix, k: number, rng: Rng, opts: SeedOptions = {}): Seeding {
	const kernels = opts.kernels ?? jsKernels(X);
	const L = opts.localTrials ?? defaultLocalTrials(k);
	const buffers = opts.buffers ?? seedBuffers(kernels, L);
	return kernels.scope(() => seed(kernels, k, rng, L, buffers, opts.cancel));
}

function seed(
	kernels: KMeansKernels,
	k: number,
	rng: Rng,
	L: number,
	buffers: SeedBuffers,
	cancel?: CancelToken
): Seeding {
	const { data, n, d } = kernels.X;
	const { closest, second, trial } = buffers;
	const per = buffers.perCenter && buffers.perCenter.length === n * k ? buffers.perCenter : null;
	const nearest = buffers.labels;
	const centers = new Float64Array(k * d);
	const firstRow = rng.int(n);
	centers.set(data.subarray(firstRow * d, firstRow * d + d), 0);
	let pot = kernels.seedFirst(firstRow, closest);
	if (per) for (let i = 0; i < n; i++) per[i * k] = closest[i];
	nearest.fill(0);
	second.fill(Infinity);
	if (k === 1) return { centers, labels: nearest, closest, second, perCenter: per };
	const targets = new Float64Array(L);
	const order = new Int32Array(L);
	const candidates = new Int32Array(L);
	const pots = kernels.f64(L);
	// The targets in ascending order, and the rows that reach them.
	const sorted = kernels.f64(L);
	const rows = kernels.i32(L);
	const trials = { candidates, closest, trial, pots };
	/** Candidates from the rows that reached the sorted targets (the rest: the last row). */
	const pick = (reached: number) => {
		for (let t = 0; t < L; t++) candidates[order[t]] = t < reached ? rows[t] : n - 1;
	};
	drawTargets(rng, pot, targets, order, sorted);
	pick(kernels.sample(closest, sorted, rows));
	for (let c = 1; c < k; c++) {
		cancel?.throwIfCancelled();
		pots.fill(0);
		kernels.seedTrials(trials);
		let best = 0;
		for (let t = 1; t < L; t++) if (pots[t] < pots[best]) best = t;
		pot = pots[best];
		const winner = candidates[best] * d;
		centers.set(data.subarray(winner, winner + d), c * d);
		// Keep the winner's distances and, in the same pass, draw the next candidates from the
		// running sum of the updated D² (as NumPy's searchsorted over its cumulative sum).
		const last = c === k - 1;
		if (!last) drawTargets(rng, pot, targets, order, sorted);
		const reached = kernels.seedCommit({
			c,
			k,
			win: best,
			trial,
			nearest,
			closest,
			second,
			perCenter: per,
			targets: last ? sorted.subarray(0, 0) : sorted,
			rows
		});
		if (!last) pick(reached);
	}
	return { centers, labels: nearest, closest, second, perCenter: per };
}

/**
 * L uniform targets in [0, pot) (drawn in trial order), their ascending order, and the targets
 * in that order.
 */
function drawTargets(
	rng: Rng,
	pot: number,
	targets: Float64Array,
	order: Int32Array,
	sorted: Float64Array
): void {
	for (let t = 0; t < targets.length; t++) {
		targets[t] = rng.next() * pot;
		order[t] = t;
	}
	order.sort((a, b) => targets[a] - targets[b]);
	for (let t = 0; t < targets.length; t++) sorted[t] = targets[order[t]];
}
