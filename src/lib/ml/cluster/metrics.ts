/**
 * Cluster validity indices, computed as scikit-learn computes them (sklearn.metrics.cluster):
 * labels are any integers (DBSCAN's −1 noise counts as a cluster of its own, as there — drop
 * noise rows first to leave it out), mapped to sorted distinct values like LabelEncoder.
 * Where scikit-learn raises an error (fewer than 2 clusters, or as many clusters as rows) these
 * return NaN, which the UI shows as "not defined".
 *
 * - silhouette: mean over rows of (b − a) / max(a, b), a = mean distance to the own cluster's
 *   other rows, b = mean distance to the nearest other cluster; 0 for singleton clusters.
 *   Exact (O(n²)); with `sampleSize` it is computed on a seeded random sample of rows, as
 *   scikit-learn's sample_size does.
 * - Davies–Bouldin: mean over clusters of the worst (s_i + s_j) / d(c_i, c_j), s = mean distance
 *   to the centroid; lower is better, 0 is the floor.
 * - Calinski–Harabasz: between-cluster over within-cluster dispersion, each per degree of
 *   freedom; higher is better.
 */
import { createRng } from '../random';
import { dist2 } from './kmeans-matrix';
import type { Matrix } from './types';

export interface EncodedLabels {
	/** Code 0..K−1 per row. */
	codes: Int32Array;
	/** The distinct labels, sorted; code c stands for values[c]. */
	values: number[];
	/** Rows per code. */
	counts: Float64Array;
}

export function encodeLabels(labels: ArrayLike<number>): EncodedLabels {
	const values = Array.from(new Set(Array.from(labels))).sort((a, b) => a - b);
	const index = new Map(values.map((v, i) => [v, i]));
	const codes = new Int32Array(labels.length);
	const counts = new Float64Array(values.length);
	for (let i = 0; i < labels.length; i++) {
		const c = index.get(labels[i]) as number;
		codes[i] = c;
		counts[c]++;
	}
	return { codes, values, counts };
}

function checkRows(X: Matrix, labels: ArrayLike<number>): void {
	if (labels.length !== X.n) {
		throw new RangeError(`There are ${labels.length} labels for ${X.n} rows.`);
	}
}

/** K × d means of the rows of each code, summed in row order. */
export function clusterMeans(X: Matrix, enc: EncodedLabels): Float64Array {
	const { data, n, d } = X;
	const K = enc.values.length;
	const sums = new Float64Array(K * d);
	for (let i = 0; i < n; i++) {
		const o = enc.codes[i] * d;
		for (let f = 0; f < d; f++) sums[o + f] += data[i * d + f];
	}
	for (let c = 0; c < K; c++) {
		for (let f = 0; f < d; f++) sums[c * d + f] /= enc.counts[c];
	}
	return sums;
}

/**
 * Σ ‖x − c‖² over rows, with c the row's cluster centre: the given centres (indexed by label,
 * as k-means returns them) or, without them, the mean of each cluster.
 */
export function inertia(X: Matrix, labels: ArrayLike<number>, centers?: Float64Array): number {
	checkRows(X, labels);
	const { data, n, d } = X;
	let C = centers;
	let codes: ArrayLike<number> = labels;
	if (!C) {
		const enc = encodeLabels(labels);
		C = clusterMeans(X, enc);
		codes = enc.codes;
	}
	let total = 0;
	for (let i = 0; i < n; i++) total += dist2(data, i * d, C, codes[i] * d, d);
	return total;
}

/** Silhouette of each row (see the file comment). NaN everywhere when not defined. */
export function silhouetteSamples(X: Matrix, labels: ArrayLike<number>): Float64Array {
	checkRows(X, labels);
	const { data, n, d } = X;
	const enc = encodeLabels(labels);
	const K = enc.values.length;
	const out = new Float64Array(n);
	if (K < 2 || K > n - 1) return out.fill(NaN);
	const { codes, counts } = enc;
	// Sum of distances from each row to each cluster, filled symmetrically: row i receives
	// rows j < i while they are the outer row and j > i while it is, i.e. in row order.
	const sums = new Float64Array(n * K);
	for (let i = 0; i < n; i++) {
		const ci = codes[i];
		const xo = i * d;
		const si = i * K;
		for (let j = i + 1; j < n; j++) {
			const dist = Math.sqrt(dist2(data, xo, data, j * d, d));
			sums[si + codes[j]] += dist;
			sums[j * K + ci] += dist;
		}
	}
	for (let i = 0; i < n; i++) {
		const ci = codes[i];
		if (counts[ci] <= 1) {
			out[i] = 0;
			continue;
		}
		const a = sums[i * K + ci] / (counts[ci] - 1);
		let b = Infinity;
		for (let c = 0; c < K; c++) {
			if (c === ci) continue;
			const m = sums[i * K + c] / counts[c];
			if (m < b) b = m;
		}
		const denom = Math.max(a, b);
		const s = (b - a) / denom;
		out[i] = Number.isNaN(s) ? 0 : s;
	}
	return out;
}

export interface SilhouetteOptions {
	/** Compute on this many randomly chosen rows (when fewer than the rows). */
	sampleSize?: number;
	/** Seed of the sample (default 0). */
	seed?: number;
}

/**
 * Rows above which callers sample the silhouette (an exact one is O(n²): 5,000 rows are 12.5
 * million distances), and the sample size they use.
 */
export const SILHOUETTE_EXACT_MAX = 5_000;

/** Seeded choice of m distinct rows out of n (partial Fisher–Yates), in drawing order. */
export function sampleRows(n: number, m: number, seed: number): Uint32Array {
	const rng = createRng(seed);
	const perm = new Uint32Array(n);
	for (let i = 0; i < n; i++) perm[i] = i;
	for (let i = 0; i < m; i++) {
		const j = i + rng.int(n - i);
		const t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	return perm.slice(0, m);
}

/** Mean silhouette (see the file comment); NaN when fewer than 2 or as many clusters as rows. */
export function silhouetteScore(
	X: Matrix,
	labels: ArrayLike<number>,
	opts: SilhouetteOptions = {}
): number {
	checkRows(X, labels);
	let Y = X;
	let y: ArrayLike<number> = labels;
	if (opts.sampleSize !== undefined && opts.sampleSize < X.n) {
		const rows = sampleRows(X.n, Math.max(2, Math.floor(opts.sampleSize)), opts.seed ?? 0);
		const data = new Float64Array(rows.length * X.d);
		const sub = new Int32Array(rows.length);
		rows.forEach((r, i) => {
			data.set(X.data.subarray(r * X.d, r * X.d + X.d), i * X.d);
			sub[i] = labels[r];
		});
		Y = { data, n: rows.length, d: X.d };
		y = sub;
	}
	const s = silhouetteSamples(Y, y);
	let total = 0;
	for (let i = 0; i < s.length; i++) total += s[i];
	return total / s.length;
}

function definedClusters(K: number, n: number): boolean {
	return K >= 2 && K <= n - 1;
}

export function daviesBouldin(X: Matrix, labels: ArrayLike<number>): number {
	checkRows(X, labels);
	const { data, n, d } = X;
	const enc = encodeLabels(labels);
	const K = enc.values.length;
	if (!definedClusters(K, n)) return NaN;
	const C = clusterMeans(X, enc);
	const intra = new Float64Array(K);
	for (let i = 0; i < n; i++) {
		const c = enc.codes[i];
		intra[c] += Math.sqrt(dist2(data, i * d, C, c * d, d));
	}
	for (let c = 0; c < K; c++) intra[c] /= enc.counts[c];
	const cd = new Float64Array(K * K);
	for (let a = 0; a < K; a++) {
		for (let b = a + 1; b < K; b++)
			cd[a * K + b] = cd[b * K + a] = Math.sqrt(dist2(C, a * d, C, b * d, d));
	}
	// scikit-learn: np.allclose(x, 0) means every |x| ≤ 1e-8.
	const near0 = (xs: Float64Array) => xs.every((x) => Math.abs(x) <= 1e-8);
	if (near0(intra) || near0(cd)) return 0;
	let total = 0;
	for (let a = 0; a < K; a++) {
		let worst = -Infinity;
		for (let b = 0; b < K; b++) {
			const dist = cd[a * K + b] === 0 ? Infinity : cd[a * K + b];
			const r = (intra[a] + intra[b]) / dist;
			if (r > worst) worst = r;
		}
		total += worst;
	}
	return total / K;
}

export function calinskiHarabasz(X: Matrix, labels: ArrayLike<number>): number {
	checkRows(X, labels);
	const { data, n, d } = X;
	const enc = encodeLabels(labels);
	const K = enc.values.length;
	if (!definedClusters(K, n)) return NaN;
	const C = clusterMeans(X, enc);
	const mean = new Float64Array(d);
	for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) mean[f] += data[i * d + f];
	for (let f = 0; f < d; f++) mean[f] /= n;
	let extra = 0;
	for (let c = 0; c < K; c++) extra += enc.counts[c] * dist2(C, c * d, mean, 0, d);
	let intra = 0;
	for (let i = 0; i < n; i++) intra += dist2(data, i * d, C, enc.codes[i] * d, d);
	return intra === 0 ? 1 : (extra * (n - K)) / (intra * (K - 1));
}

/** Rows per cluster 0..k−1 (labels outside the range, such as noise, are not counted). */
export function clusterSizes(labels: ArrayLike<number>, k: number): number[] {
	const sizes = new Array<number>(k).fill(0);
	for (let i = 0; i < labels.length; i++) {
		const l = labels[i];
		if (l >= 0 && l < k) sizes[l]++;
	}
	return sizes;
}
