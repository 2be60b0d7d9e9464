/**
 * Greedy k-means++ seeding as scikit-learn does it (Arthur & Vassilvitskii 2007, with the
 * greedy variant of their paper): the first centre is a uniformly random row; each next one is
 * the best of 2 + ⌊ln k⌋ rows drawn with probability proportional to their squared distance to
 * the nearest centre so far, "best" meaning the lowest total squared distance afterwards.
 *
 * Only the random numbers differ from scikit-learn's (our seeded generator, not NumPy's). The
 * speed-up is exact: a row whose nearest centre a satisfies ‖p − a‖² > 4·D(x)² (with a small
 * safety margin) cannot move closer to candidate p, by the triangle inequality, so its distance
 * to p is never computed. Pots and choices are the same as without the shortcut.
 */
import type { CancelToken } from '../progress';
import type { Rng } from '../random';
import { dist2, dist2Until } from './kmeans-matrix';
import type { Matrix } from './types';

/** 4·(1 + 1e-6): the margin dwarfs rounding (1e-15 relative) so a skip is always right. */
const PRUNE = 4 * (1 + 1e-6);

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

/** Scratch for seeding n rows; `k` asks for per-centre bounds too (for Elkan). */
export function seedBuffers(n: number, localTrials: number, k = 0): SeedBuffers {
	return {
		labels: new Int32Array(n),
		closest: new Float64Array(n),
		second: new Float64Array(n),
		trial: new Float64Array(localTrials * n),
		perCenter: k > 0 ? new Float64Array(n * k) : null
	};
}

export function kmeansPlusPlus(
	X: Matrix,
	k: number,
	rng: Rng,
	cancel?: CancelToken,
	localTrials = defaultLocalTrials(k),
	buffers: SeedBuffers = seedBuffers(X.n, localTrials)
): Seeding {
	const { data, n, d } = X;
	const L = localTrials;
	const { closest, second, trial } = buffers;
	const per = buffers.perCenter && buffers.perCenter.length === n * k ? buffers.perCenter : null;
	const nearest = buffers.labels;
	const centers = new Float64Array(k * d);
	const first = rng.int(n) * d;
	centers.set(data.subarray(first, first + d), 0);
	let pot = 0;
	for (let i = 0, xo = 0; i < n; i++, xo += d) {
		const s = dist2(data, xo, data, first, d);
		closest[i] = s;
		if (per) per[i * k] = s;
		pot += s;
	}
	nearest.fill(0);
	second.fill(Infinity);
	if (k === 1) return { centers, labels: nearest, closest, second, perCenter: per };
	const targets = new Float64Array(L);
	const order = new Int32Array(L);
	const candidates = new Int32Array(L);
	const offsets = new Int32Array(L);
	const pots = new Float64Array(L);
	// Squared and plain distances from each candidate to each centre so far (L × k).
	const cc = new Float64Array(L * k);
	const rootCc = new Float64Array(L * k);
	drawTargets(rng, pot, targets, order);
	sampleByCumsum(closest, targets, order, candidates);
	for (let c = 1; c < k; c++) {
		cancel?.throwIfCancelled();
		for (let t = 0; t < L; t++) {
			const p = (offsets[t] = candidates[t] * d);
			for (let j = 0; j < c; j++) {
				const s = dist2(data, p, centers, j * d, d);
				cc[t * k + j] = s;
				rootCc[t * k + j] = Math.sqrt(s);
			}
		}
		pots.fill(0);
		for (let i = 0, xo = 0; i < n; i++, xo += d) {
			const cur = closest[i];
			const a = nearest[i];
			const bound = PRUNE * cur;
			let root = -1;
			for (let t = 0, to = i; t < L; t++, to += n) {
				if (cc[t * k + a] > bound) {
					// ‖x − p‖ ≥ ‖p − a‖ − ‖x − a‖ > ‖x − a‖: p cannot be nearer.
					if (root < 0) root = Math.sqrt(cur);
					const g = rootCc[t * k + a] - root;
					trial[to] = g * g;
					pots[t] += cur;
				} else {
					// Exact when nearer than the current centre, else a lower bound above it.
					const s = dist2Until(data, xo, data, offsets[t], d, cur);
					trial[to] = s;
					pots[t] += s < cur ? s : cur;
				}
			}
		}
		let best = 0;
		for (let t = 1; t < L; t++) if (pots[t] < pots[best]) best = t;
		pot = pots[best];
		centers.set(data.subarray(offsets[best], offsets[best] + d), c * d);
		// Keep the winner's distances and, in the same pass, draw the next candidates from the
		// running sum of the updated D² (as NumPy's searchsorted over its cumulative sum).
		const last = c === k - 1;
		if (!last) drawTargets(rng, pot, targets, order);
		let run = 0;
		let next = 0;
		for (let i = 0, to = best * n; i < n; i++, to++) {
			const v = trial[to];
			if (per) per[i * k + c] = v;
			let cur = closest[i];
			if (v < cur) {
				if (cur < second[i]) second[i] = cur;
				closest[i] = cur = v;
				nearest[i] = c;
			} else if (v < second[i]) second[i] = v;
			if (last) continue;
			run += cur;
			while (next < L && targets[order[next]] <= run) candidates[order[next++]] = i;
		}
		while (!last && next < L) candidates[order[next++]] = n - 1;
	}
	return { centers, labels: nearest, closest, second, perCenter: per };
}

/** L uniform targets in [0, pot) and their ascending order (draws stay in trial order). */
function drawTargets(rng: Rng, pot: number, targets: Float64Array, order: Int32Array): void {
	for (let t = 0; t < targets.length; t++) {
		targets[t] = rng.next() * pot;
		order[t] = t;
	}
	order.sort((a, b) => targets[a] - targets[b]);
}

/**
 * For each target, the first row whose running sum of weights reaches it: NumPy's searchsorted
 * over the cumulative sum, clipped to the last row, without storing the cumulative sum.
 */
function sampleByCumsum(
	weights: Float64Array,
	targets: Float64Array,
	order: Int32Array,
	out: Int32Array
): void {
	const n = weights.length;
	const L = order.length;
	let s = 0;
	let t = 0;
	for (let i = 0; i < n && t < L; i++) {
		s += weights[i];
		while (t < L && targets[order[t]] <= s) out[order[t++]] = i;
	}
	while (t < L) out[order[t++]] = n - 1;
}
