/**
 * The hot loops of k-means behind one interface, in two engines that give bit-identical
 * results: TypeScript (here; the reference, and the fallback where WebAssembly SIMD is missing
 * or blocked) and WebAssembly SIMD (kmeans-wasm.ts, from wasm/kmeans-wat.mjs; a whole fit about
 * 2.5× faster in Chromium and Node, npm run bench:cluster:browser). Everything that is not a pass over all rows (bookkeeping of bounds and
 * drift, centre updates, choosing candidates) stays in kmeans-init.ts and kmeans-core.ts and
 * works on the arrays these kernels hand out.
 */
import { checkMatrix, dist2, inertiaOf, nearestCenters, type MatrixSummary } from './kmeans-matrix';
import type { Matrix } from './types';

export type KernelEngine = 'wasm' | 'js';

/** Arrays of one k-means run that the assignment kernels read and write. */
export interface AssignState {
	/** Row-major k × d centres. */
	centers: Float64Array;
	k: number;
	/** −1 for a row not yet assigned. */
	labels: Int32Array;
	/** Rows per cluster and their running feature sums (k × d), kept in step with labels. */
	counts: Float64Array;
	sums: Float64Array;
}

/** Hamerly's bounds (see hamerlyAssign in kmeans-core.ts for their meaning). */
export interface HamerlyState extends AssignState {
	upperNet: Float64Array;
	lowerNet: Float64Array;
	cum: Float64Array;
	/** Per label, the summed largest drift of the other centres (the lower bound's net). */
	cumOther: Float64Array;
	/** Half the distance from each centre to its nearest other centre. */
	s: Float64Array;
	margin: number;
	/** No bounds yet: labels are all −1 and every row is examined from centre 0. */
	first: boolean;
}

/** One round of greedy k-means++ (kmeansPlusPlus in kmeans-init.ts). */
export interface SeedTrials {
	/** Candidate row indices (L of them). */
	candidates: Int32Array;
	/** Each row's squared distance to its nearest centre so far. */
	closest: Float64Array;
	/** Out: L × n squared distances from each row to each candidate. */
	trial: Float64Array;
	/** In: zeros; out: the potential each candidate would give, Σ min(closest, distance). */
	pots: Float64Array;
}

/** The end of a k-means++ round: candidate `win` of the last seedTrials becomes centre `c`. */
export interface SeedCommit {
	c: number;
	k: number;
	/** Index of the winning candidate in the last round's trial array. */
	win: number;
	trial: Float64Array;
	nearest: Int32Array;
	closest: Float64Array;
	second: Float64Array;
	/** n × k distances to each centre, filled in column c when present (Elkan's bounds). */
	perCenter: Float64Array | null;
	/** Ascending targets on the running sum of the updated D² (empty in the last round). */
	targets: Float64Array;
	/** Out: for each target, the first row whose running sum reaches it. */
	rows: Int32Array;
}

/** Where Hamerly's first assignment comes from when seeding has already made it. */
export interface SeedStart {
	labels: Int32Array;
	closest: Float64Array;
	second: Float64Array;
}

export interface KMeansKernels {
	readonly engine: KernelEngine;
	/** The data as the kernels see it (for WebAssembly, a copy in its memory). */
	readonly X: Matrix;
	/** Arrays the kernels can work on; released by the enclosing `scope`. */
	f64(length: number): Float64Array;
	i32(length: number): Int32Array;
	/**
	 * checkMatrix's summary of X, gathered by this engine; null when a value is NaN or infinite
	 * (checkMatrix then names it).
	 */
	summary(): MatrixSummary | null;
	/**
	 * The fit is done: the kernels' memory may serve the next one, so no array from them may be
	 * used afterwards. (Kernels never released simply are not reused.)
	 */
	release(): void;
	/** Runs `body`, then frees what it allocated (results must be copied out first). */
	scope<T>(body: () => T): T;
	/** closest[i] = ‖x_i − x_row‖²; returns their sum in row order. */
	seedFirst(row: number, closest: Float64Array): number;
	seedTrials(t: SeedTrials): void;
	/**
	 * For each ascending target, the first row whose running sum of weights reaches it (NumPy's
	 * searchsorted over the cumulative sum) into `rows`; returns how many were reached (the rest
	 * lie past the end, by rounding).
	 */
	sample(weights: Float64Array, targets: Float64Array, rows: Int32Array): number;
	/** Returns how many targets were reached, as `sample` does. */
	seedCommit(c: SeedCommit): number;
	/** Hamerly's state after the first assignment, taken from seeding. */
	hamerlyStart(s: HamerlyState, from: SeedStart): void;
	/** Nearest centre for every row, ties to the lower index; true if a label changed. */
	assignLloyd(s: AssignState): boolean;
	assignHamerly(s: HamerlyState): boolean;
	/** Σ ‖x − c(label)‖² in row order. */
	inertia(centers: Float64Array, labels: Int32Array): number;
}

/** Moves the row at offset xo from cluster `from` (−1: none yet) to `to` in the running sums. */
export function moveRow(
	data: Float64Array,
	d: number,
	s: AssignState,
	xo: number,
	from: number,
	to: number
): void {
	const { sums, counts } = s;
	if (from >= 0) {
		const co = from * d;
		// An emptied cluster restarts from exact zeros, not from rounding residue.
		if (--counts[from] === 0) sums.fill(0, co, co + d);
		else for (let f = 0; f < d; f++) sums[co + f] -= data[xo + f];
	}
	counts[to]++;
	for (let f = 0, co = to * d; f < d; f++) sums[co + f] += data[xo + f];
}

/** The TypeScript engine: plain typed arrays, the same loops as wasm/kmeans.wat. */
export function jsKernels(X: Matrix): KMeansKernels {
	const { data, n, d } = X;
	return {
		engine: 'js',
		X,
		f64: (length) => new Float64Array(length),
		i32: (length) => new Int32Array(length),
		scope: (body) => body(),
		release: () => {},
		summary: () => checkMatrix(X),
		seedFirst(row, closest) {
			const first = row * d;
			let pot = 0;
			for (let i = 0, xo = 0; i < n; i++, xo += d) {
				const s = dist2(data, xo, data, first, d);
				closest[i] = s;
				pot += s;
			}
			return pot;
		},
		seedTrials({ candidates, closest, trial, pots }) {
			const L = candidates.length;
			for (let i = 0, xo = 0; i < n; i++, xo += d) {
				const cur = closest[i];
				for (let t = 0, to = i; t < L; t++, to += n) {
					const s = dist2(data, xo, data, candidates[t] * d, d);
					trial[to] = s;
					pots[t] += s < cur ? s : cur;
				}
			}
		},
		sample(weights, targets, rows) {
			const L = targets.length;
			let run = 0;
			let next = 0;
			for (let i = 0; i < n && next < L; i++) {
				run += weights[i];
				while (next < L && targets[next] <= run) rows[next++] = i;
			}
			return next;
		},
		seedCommit({ c, k, win, trial, nearest, closest, second, perCenter: per, targets, rows }) {
			const L = targets.length;
			let run = 0;
			let next = 0;
			for (let i = 0, to = win * n; i < n; i++, to++) {
				const v = trial[to];
				if (per) per[i * k + c] = v;
				let cur = closest[i];
				if (v < cur) {
					if (cur < second[i]) second[i] = cur;
					closest[i] = cur = v;
					nearest[i] = c;
				} else if (v < second[i]) second[i] = v;
				run += cur;
				while (next < L && targets[next] <= run) rows[next++] = i;
			}
			return next;
		},
		hamerlyStart(st, from) {
			const { labels, upperNet, lowerNet } = st;
			for (let i = 0, xo = 0; i < n; i++, xo += d) {
				const a = from.labels[i];
				moveRow(data, d, st, xo, -1, a);
				labels[i] = a;
				upperNet[i] = Math.sqrt(from.closest[i]);
				lowerNet[i] = Math.sqrt(from.second[i]);
			}
		},
		assignLloyd(st) {
			const { labels } = st;
			const nearest = nearestCenters(X, st.centers, st.k);
			let changed = false;
			for (let i = 0, xo = 0; i < n; i++, xo += d) {
				if (labels[i] === nearest[i]) continue;
				moveRow(data, d, st, xo, labels[i], nearest[i]);
				labels[i] = nearest[i];
				changed = true;
			}
			return changed;
		},
		assignHamerly(st) {
			const { centers: C, k, labels, upperNet, lowerNet, cum, cumOther, s, margin, first } = st;
			let changed = false;
			for (let i = 0, xo = 0; i < n; i++, xo += d) {
				const a = labels[i];
				if (!first) {
					const u = upperNet[i] + cum[a];
					const l = lowerNet[i] - cumOther[a];
					const m = s[a] > l ? s[a] : l;
					if (u + margin < m) continue;
					// Tighten the upper bound with the distance to the own centre.
					const own = Math.sqrt(dist2(data, xo, C, a * d, d));
					if (own + margin < m) {
						upperNet[i] = own - cum[a];
						continue;
					}
				}
				// Every centre: the nearest (lower index on ties) and the runner-up's distance,
				// which makes the lower bound exact. (Skipping centres by the triangle inequality
				// saved distances but cost more in branches than it saved, in both engines.)
				let best = 0;
				let bestSq = Infinity;
				let nextSq = Infinity;
				for (let j = 0, co = 0; j < k; j++, co += d) {
					const t2 = dist2(data, xo, C, co, d);
					if (t2 < bestSq) {
						nextSq = bestSq;
						bestSq = t2;
						best = j;
					} else if (t2 < nextSq) nextSq = t2;
				}
				if (best !== a) {
					moveRow(data, d, st, xo, a, best);
					labels[i] = best;
					changed = true;
				}
				upperNet[i] = Math.sqrt(bestSq) - cum[best];
				lowerNet[i] = Math.sqrt(nextSq) + cumOther[best];
			}
			return changed;
		},
		inertia: (centers, labels) => inertiaOf(X, centers, labels)
	};
}
