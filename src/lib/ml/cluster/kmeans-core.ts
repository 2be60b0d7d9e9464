/**
 * One k-means run from given centres, in three interchangeable ways that give bit-identical
 * labels, centres and inertia:
 *
 * - Lloyd: every row against every centre, every iteration (the reference).
 * - Hamerly (2010): one upper bound (to the own centre) and one lower bound (to the second
 *   nearest) per row; most rows are settled by comparing two numbers.
 * - Elkan (2003): one lower bound per row and centre plus centre–centre distances; prunes more
 *   distance computations per row at the price of k bounds per row.
 *
 * The loop is scikit-learn's: assign, recompute centres (relocating empty clusters to the rows
 * furthest from their centre), stop when no label changed ("strict convergence") or when the
 * summed squared centre shift is at most tol; after a tol stop the rows are assigned once more so
 * labels match the final centres. Identity between the variants holds because (1) all three
 * compute a distance the same way, (2) the bounded ones only skip a row or centre when the bound
 * wins by a margin (a 1e-9 fraction of the data's diameter) far above accumulated rounding, and
 * otherwise decide with the same squared distances and the same tie rule (lower index wins),
 * and (3) they share the centre update. Centres are kept as running sums that change only
 * with the rows that change cluster, so an iteration of a bounded variant costs the rows its
 * bounds cannot settle plus O(n) reads, not a full pass over the data: bounds are stored net
 * of the drift accumulated so far and never rewritten for a settled row. Both bounded variants
 * take their first assignment from k-means++ seeding, which has already computed it with the
 * same arithmetic. Elkan's distances that only need to lose stop early (dist2Until).
 *
 * The passes over the data (Lloyd's and Hamerly's assignment, the inertia) are the kernels'
 * (kmeans-kernels.ts): WebAssembly SIMD where it runs, else TypeScript, with identical results.
 * Elkan's assignment stays TypeScript: it is chosen only for many features and groups.
 */
import type { CancelToken } from '../progress';
import type { Matrix } from './types';
import type { Seeding } from './kmeans-init';
import { moveRow, type HamerlyState, type KMeansKernels } from './kmeans-kernels';
import { dist2, dist2Until } from './kmeans-matrix';

export type CoreAlgorithm = 'lloyd' | 'elkan' | 'hamerly';

export interface CoreOptions {
	maxIter: number;
	/** Absolute threshold on Σ‖Δc‖² (scikit-learn's tol × mean feature variance). */
	tolAbs: number;
	/** Safety margin for bound tests (absolute distance). */
	margin: number;
	cancel?: CancelToken;
	/** Called after each iteration with its 1-based number. */
	onIteration?: (iteration: number) => void;
}

export interface CoreRun {
	labels: Int32Array;
	centers: Float64Array;
	inertia: number;
	iterations: number;
	/** False when maxIter ran out before either stopping rule held. */
	converged: boolean;
}

/** Shared state of one run; the assignment step is what the variants change. */
interface Work {
	X: Matrix;
	k: number;
	labels: Int32Array;
	/** Rows per cluster and the running sums of their features (k × d). */
	counts: Float64Array;
	sums: Float64Array;
	/** Row-major k × d. */
	centers: Float64Array;
	next: Float64Array;
	/** Euclidean shift of each centre in the last update (bounds apply it lazily). */
	drift: Float64Array;
	/** Rows moved by empty-cluster relocation since the last assignment: bounds to reset. */
	relocated: number[];
}

/** Assigns every row to its nearest centre, keeping the sums in step; true if a label changed. */
type Assigner = () => boolean;

/**
 * One run on the kernels' data (kernels.X). The labels and centres returned are copies, so
 * they outlive the kernels' scratch memory.
 */
export function runKMeans(
	algorithm: CoreAlgorithm,
	kernels: KMeansKernels,
	init: Float64Array,
	k: number,
	opts: CoreOptions,
	seeding?: Seeding
): CoreRun {
	return kernels.scope(() => {
		const X = kernels.X;
		const centers = kernels.f64(k * X.d);
		centers.set(init);
		const w: Work = {
			X,
			k,
			labels: kernels.i32(X.n).fill(-1),
			counts: kernels.f64(k),
			sums: kernels.f64(k * X.d),
			centers,
			next: kernels.f64(k * X.d),
			drift: new Float64Array(k),
			relocated: []
		};
		const assign: Assigner =
			algorithm === 'lloyd'
				? () => {
						w.relocated.length = 0;
						return kernels.assignLloyd(w);
					}
				: algorithm === 'hamerly'
					? hamerlyAssign(w, kernels, opts.margin, seeding)
					: elkanAssign(w, opts.margin, seeding);
		let strict = false;
		let converged = false;
		let it = 0;
		while (it < opts.maxIter) {
			opts.cancel?.throwIfCancelled();
			const changed = assign();
			const shift = updateCenters(w);
			it++;
			opts.onIteration?.(it);
			if (!changed) {
				strict = true;
				converged = true;
				break;
			}
			if (shift <= opts.tolAbs) {
				converged = true;
				break;
			}
		}
		if (!strict) assign();
		return {
			labels: w.labels.slice(),
			centers: w.centers.slice(),
			inertia: kernels.inertia(w.centers, w.labels),
			iterations: it,
			converged
		};
	});
}

/** Moves the row at offset xo from cluster `from` (−1: none yet) to `to` in the running sums. */
function move(w: Work, xo: number, from: number, to: number): void {
	moveRow(w.X.data, w.X.d, w, xo, from, to);
}

/** Half the distance from each centre to its nearest other centre (and all halves, if asked). */
function halfNearestCenter(
	C: Float64Array,
	k: number,
	d: number,
	all: Float64Array | null,
	s: Float64Array = new Float64Array(k)
): Float64Array {
	s.fill(Infinity);
	for (let a = 0; a < k; a++) {
		for (let b = a + 1; b < k; b++) {
			const half = 0.5 * Math.sqrt(dist2(C, a * d, C, b * d, d));
			if (all) all[a * k + b] = all[b * k + a] = half;
			if (half < s[a]) s[a] = half;
			if (half < s[b]) s[b] = half;
		}
	}
	return s;
}

/**
 * Hamerly's bounds, with one refinement: when a row must be re-examined, centres that cannot
 * beat the current best by the centre–centre triangle inequality (Elkan's test) are skipped,
 * and the next-nearest lower bound takes the triangle bound for them instead of a distance.
 * The pass over the rows is the kernels' assignHamerly; the bookkeeping is here.
 */
function hamerlyAssign(
	w: Work,
	kernels: KMeansKernels,
	margin: number,
	seeding?: Seeding
): Assigner {
	const { X, k, labels } = w;
	const { n, d } = X;
	// Bounds are stored net of the drift accumulated so far, so a row the bounds settle costs
	// reads only: upper = upperNet + cum[label], lower = lowerNet − cumOther[label], where
	// cumOther[a] sums the largest drift among the centres other than a (the lower bound is on
	// the distance to those; Hamerly's paper's refinement). A row's label is fixed while its
	// bounds settle it, and every rewrite of its bounds is net of its new label's sums.
	const st: HamerlyState = {
		centers: w.centers,
		k,
		labels,
		counts: w.counts,
		sums: w.sums,
		upperNet: kernels.f64(n),
		lowerNet: kernels.f64(n),
		cum: kernels.f64(k),
		cumOther: kernels.f64(k),
		s: kernels.f64(k),
		margin,
		first: true
	};
	const { upperNet, lowerNet, cum, cumOther } = st;
	return () => {
		const p = w.drift;
		if (!st.first) {
			let max = 0;
			let second = 0;
			let arg = -1;
			for (let j = 0; j < k; j++) {
				cum[j] += p[j];
				if (p[j] > max) {
					second = max;
					max = p[j];
					arg = j;
				} else if (p[j] > second) second = p[j];
			}
			for (let j = 0; j < k; j++) cumOther[j] += j === arg ? second : max;
		}
		for (const r of w.relocated) {
			upperNet[r] = Infinity;
			lowerNet[r] = cumOther[labels[r]];
		}
		w.relocated.length = 0;
		if (st.first && seeding) {
			// Seeding already compared every row with every centre, with the same distances.
			st.first = false;
			kernels.hamerlyStart(st, seeding);
			return true;
		}
		st.centers = w.centers;
		halfNearestCenter(w.centers, k, d, null, st.s);
		const changed = kernels.assignHamerly(st);
		st.first = false;
		return changed;
	};
}

function elkanAssign(w: Work, margin: number, seeding?: Seeding): Assigner {
	const { X, k, labels } = w;
	const { data, n, d } = X;
	// Bounds net of accumulated drift, as in hamerlyAssign: upper = upperNet + cum[label],
	// lower to centre j = lowerNet[i·k + j] − cum[j]. A settled row is never written.
	const upperNet = new Float64Array(n);
	const lowerNet = new Float64Array(n * k);
	const cum = new Float64Array(k);
	const half = new Float64Array(k * k);
	let first = true;
	return () => {
		const p = w.drift;
		if (!first) for (let j = 0; j < k; j++) cum[j] += p[j];
		for (const r of w.relocated) {
			upperNet[r] = Infinity;
			for (let j = 0; j < k; j++) lowerNet[r * k + j] = cum[j];
		}
		w.relocated.length = 0;
		const C = w.centers;
		if (first) {
			first = false;
			const per = seeding?.perCenter;
			for (let i = 0, xo = 0; i < n; i++, xo += d) {
				const lo = i * k;
				let best: number;
				let bestD: number;
				if (seeding && per) {
					// Seeding's distances (or bounds) to every centre, with the same arithmetic.
					best = seeding.labels[i];
					bestD = seeding.closest[i];
					for (let j = 0; j < k; j++) lowerNet[lo + j] = Math.sqrt(per[lo + j]);
				} else {
					best = 0;
					bestD = Infinity;
					for (let j = 0, co = 0; j < k; j++, co += d) {
						const t2 = dist2(data, xo, C, co, d);
						lowerNet[lo + j] = Math.sqrt(t2);
						if (t2 < bestD) {
							bestD = t2;
							best = j;
						}
					}
				}
				move(w, xo, -1, best);
				labels[i] = best;
				upperNet[i] = Math.sqrt(bestD);
			}
			return true;
		}
		const s = halfNearestCenter(C, k, d, half);
		let changed = false;
		for (let i = 0, xo = 0; i < n; i++, xo += d) {
			const a0 = labels[i];
			let a = a0;
			let u = upperNet[i] + cum[a];
			if (u + margin < s[a]) continue;
			const lo = i * k;
			let tight = false;
			let ownSq = 0;
			for (let j = 0; j < k; j++) {
				if (j === a) continue;
				const lj = lowerNet[lo + j] - cum[j];
				const hz = half[a * k + j];
				const z = lj > hz ? lj : hz;
				if (u + margin < z) continue;
				if (!tight) {
					ownSq = dist2(data, xo, C, a * d, d);
					u = Math.sqrt(ownSq);
					lowerNet[lo + a] = u + cum[a];
					tight = true;
					if (u + margin < z) continue;
				}
				// Exact when j is at least as near; otherwise a lower bound beyond the own centre.
				const t2 = dist2Until(data, xo, C, j * d, d, ownSq);
				const dj = Math.sqrt(t2);
				lowerNet[lo + j] = dj + cum[j];
				if (t2 < ownSq || (t2 === ownSq && j < a)) {
					a = j;
					ownSq = t2;
					u = dj;
				}
			}
			if (tight) upperNet[i] = u - cum[a];
			if (a !== a0) {
				move(w, xo, a0, a);
				labels[i] = a;
				changed = true;
			}
		}
		return changed;
	};
}

/**
 * Centres from the running sums; an empty cluster first takes the row furthest from its (old)
 * centre among clusters that keep at least one row, as scikit-learn does. Returns Σ‖Δc‖² and
 * leaves each centre's shift in `drift`.
 */
function updateCenters(w: Work): number {
	const { k, counts, sums, centers, next, drift } = w;
	const { d } = w.X;
	relocateEmpty(w);
	let total = 0;
	for (let j = 0; j < k; j++) {
		const co = j * d;
		if (counts[j] > 0) {
			const inv = 1 / counts[j];
			for (let f = 0; f < d; f++) next[co + f] = sums[co + f] * inv;
		} else {
			for (let f = 0; f < d; f++) next[co + f] = centers[co + f];
		}
		const s = dist2(next, co, centers, co, d);
		drift[j] = Math.sqrt(s);
		total += s;
	}
	w.centers = next;
	w.next = centers;
	return total;
}

function relocateEmpty(w: Work): void {
	const { X, k, labels, counts, centers } = w;
	const { data, n, d } = X;
	let empty = 0;
	for (let j = 0; j < k; j++) if (counts[j] === 0) empty++;
	if (empty === 0) return;
	const dist = new Float64Array(n);
	for (let i = 0, xo = 0; i < n; i++, xo += d) {
		dist[i] = dist2(data, xo, centers, labels[i] * d, d);
	}
	// Furthest first; equal distances in row order so the choice is deterministic.
	const order = Array.from(dist.keys()).sort((a, b) => dist[b] - dist[a] || a - b);
	let pos = 0;
	for (let j = 0; j < k; j++) {
		if (counts[j] !== 0) continue;
		while (pos < n && !(counts[labels[order[pos]]] > 1 && dist[order[pos]] > 0)) pos++;
		if (pos >= n) return;
		const r = order[pos++];
		move(w, r * d, labels[r], j);
		labels[r] = j;
		w.relocated.push(r);
	}
}
