/**
 * Agglomerative clustering with Ward's criterion, by the nearest-neighbour chain algorithm
 * (Murtagh 1983; Müllner 2011) — the same algorithm, merge order conventions and tie-breaks as
 * `scipy.cluster.hierarchy.ward`, so the linkage matches scipy's row for row.
 *
 * scipy keeps an m × m distance matrix (400 MB at 10,000 rows). We keep cluster centroids
 * instead: the Ward distance between clusters A and B is √(2·|A|·|B| / (|A|+|B|)) · ‖c_A − c_B‖,
 * which is exactly what scipy's Lance–Williams update produces from Euclidean distances. Memory
 * is O(m·d); time O(m²·d). Beyond `maxRows` rows a seeded sample is clustered and every other
 * row joins the cluster with the nearest mean.
 */
import { AppException } from '../../errors';
import { neverCancelled, noProgress, type CancelToken, type ProgressFn } from '../progress';
import { createRng } from '../random';
import type { Matrix, WardOptions, WardResult } from './types';

export const WARD_MAX_ROWS = 10_000;

function badParameter(message: string, details: Record<string, number>): AppException {
	return new AppException({ code: 'cluster-bad-parameter', message, details });
}

/** Up to this many rows the exact scipy arithmetic (a condensed distance matrix) is used. */
export const WARD_MATRIX_ROWS = 4_000;

export interface WardLinkageOptions {
	onProgress?: ProgressFn;
	cancel?: CancelToken;
	/**
	 * 'matrix': scipy's own Lance–Williams updates on a condensed distance matrix (m²/2 doubles),
	 * so even exact ties (duplicate answers on survey scales) break the same way as in scipy;
	 * 'centroid': O(m·d) memory, equal to scipy up to rounding (ties may break differently);
	 * 'auto' (default): matrix up to WARD_MATRIX_ROWS rows.
	 */
	method?: 'auto' | 'matrix' | 'centroid';
}

interface Merges {
	zx: Int32Array;
	zy: Int32Array;
	zd: Float64Array;
}

/**
 * scipy-format linkage ((m − 1) × 4: a, b, distance, size) of the m rows of `data` (m × d).
 * Rows are sorted by distance (stably) and clusters relabelled as scipy's `label` does.
 */
export function wardLinkage(
	data: Float64Array,
	m: number,
	d: number,
	opts: WardLinkageOptions = {}
): Float64Array {
	if (m < 2) return new Float64Array(0);
	const onProgress = opts.onProgress ?? noProgress;
	const cancel = opts.cancel ?? neverCancelled;
	const every = Math.max(1, Math.floor(m / 100));
	const tick = (step: number) => {
		if (step % every !== 0) return;
		cancel.throwIfCancelled();
		onProgress({ fraction: step / (m - 1), phase: 'Ward — merging groups' });
	};
	const method = opts.method ?? 'auto';
	const useMatrix = method === 'matrix' || (method === 'auto' && m <= WARD_MATRIX_ROWS);
	const merges = useMatrix ? chainMatrix(data, m, d, tick) : chainCentroids(data, m, d, tick);
	return finishLinkage(m, merges);
}

/** The distance structure a nearest-neighbour chain walks over (matrix or centroids). */
interface ChainSpace {
	/** The lowest live slot, to start a new chain. */
	firstLive(): number;
	/**
	 * The live slot nearest to x (lower slot first on ties) and its distance, in the space's own
	 * units. The scan starts from `prev` (the chain's previous element, −1 for none) so that a
	 * tie keeps it and the chain stops there, as in scipy.
	 */
	nearest(x: number, prev: number): { y: number; best: number };
	/** Merges slots x < y found at distance `best`; returns the merge height to record. */
	merge(x: number, y: number, best: number): number;
}

/** scipy's nn_chain loop: grow a chain of nearest neighbours until two are mutual, merge them. */
function nnChain(m: number, tick: (step: number) => void, space: ChainSpace): Merges {
	const chain = new Int32Array(m);
	let len = 0;
	const zx = new Int32Array(m - 1);
	const zy = new Int32Array(m - 1);
	const zd = new Float64Array(m - 1);
	for (let step = 0; step < m - 1; step++) {
		tick(step);
		if (len === 0) {
			chain[0] = space.firstLive();
			len = 1;
		}
		let x: number;
		let found: { y: number; best: number };
		for (;;) {
			x = chain[len - 1];
			const prev = len > 1 ? chain[len - 2] : -1;
			found = space.nearest(x, prev);
			if (prev >= 0 && found.y === prev) break;
			chain[len++] = found.y;
		}
		len -= 2;
		let y = found.y;
		if (x > y) [x, y] = [y, x];
		zx[step] = x;
		zy[step] = y;
		zd[step] = space.merge(x, y, found.best);
	}
	return { zx, zy, zd };
}

/** scipy's nn_chain on the condensed Euclidean distance matrix, update for update. */
function chainMatrix(
	data: Float64Array,
	m: number,
	d: number,
	tick: (step: number) => void
): Merges {
	const D = new Float64Array((m * (m - 1)) / 2);
	// Condensed index of (i, j), i < j, as scipy's condensed_index.
	const at = (i: number, j: number): number =>
		i < j ? m * i - (i * (i + 1)) / 2 + (j - i - 1) : m * j - (j * (j + 1)) / 2 + (i - j - 1);
	for (let i = 0, o = 0; i < m; i++) {
		for (let j = i + 1; j < m; j++) {
			let s = 0;
			for (let t = 0; t < d; t++) {
				const g = data[i * d + t] - data[j * d + t];
				s += g * g;
			}
			D[o++] = Math.sqrt(s);
		}
	}
	const size = new Int32Array(m).fill(1);
	return nnChain(m, tick, {
		firstLive() {
			let i = 0;
			while (size[i] === 0) i++;
			return i;
		},
		nearest(x, prev) {
			let y = prev;
			let best = prev >= 0 ? D[at(x, prev)] : Infinity;
			for (let i = 0; i < m; i++) {
				if (size[i] === 0 || i === x) continue;
				const v = D[at(x, i)];
				if (v < best) {
					best = v;
					y = i;
				}
			}
			return { y, best };
		},
		merge(x, y, best) {
			const nx = size[x];
			const ny = size[y];
			size[x] = 0;
			size[y] = nx + ny;
			for (let i = 0; i < m; i++) {
				const ni = size[i];
				if (ni === 0 || i === y) continue;
				const dxi = D[at(i, x)];
				const dyi = D[at(i, y)];
				// scipy's _ward, with its order of operations.
				const t = 1.0 / (nx + ny + ni);
				D[at(i, y)] = Math.sqrt(
					(ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * best * best
				);
			}
			return best;
		}
	});
}

/** The same chain on cluster centroids: O(m·d) memory instead of O(m²). */
function chainCentroids(
	data: Float64Array,
	m: number,
	d: number,
	tick: (step: number) => void
): Merges {
	const cent = Float64Array.from(data.subarray(0, m * d));
	// The first feature again, contiguous: most candidates are ruled out on it alone.
	const c0 = Float64Array.from({ length: m }, (_, i) => cent[i * d]);
	const size = new Float64Array(m).fill(1);
	// Active slots in ascending order (scipy scans them that way, which decides ties).
	let act = Int32Array.from({ length: m }, (_, i) => i);
	let nAct = m;
	let dead = 0;
	/** Squared Ward distance between clusters in slots a and b. */
	const ward2 = (a: number, b: number): number => {
		const f = (2 * size[a] * size[b]) / (size[a] + size[b]);
		// (Same expression as the scan's (w / (sx + si)), so equal distances compare equal.)
		let sum = 0;
		for (let j = 0; j < d; j++) {
			const g = cent[a * d + j] - cent[b * d + j];
			sum += g * g;
		}
		return f * sum;
	};
	return nnChain(m, tick, {
		firstLive() {
			let t = 0;
			while (size[act[t]] === 0) t++;
			return act[t];
		},
		nearest(x, prev) {
			let y = prev;
			let best = prev >= 0 ? ward2(x, prev) : Infinity;
			const ox = x * d;
			const sx = size[x];
			const x0 = c0[x];
			// Most candidates are ruled out by their first feature alone, so the test avoids any
			// division: f·Σg² > best  ⇔  2·sx·si·Σg² > best·(sx + si). The hair of slack keeps
			// rounding from ever abandoning a candidate that would win.
			let lim = best * (1 + 1e-12);
			for (let t = 0; t < nAct; t++) {
				const i = act[t];
				const si = size[i];
				if (si === 0 || i === x) continue;
				const w = 2 * sx * si;
				const cap = lim * (sx + si);
				const g0 = c0[i] - x0;
				let sum = g0 * g0;
				if (sum * w > cap) continue;
				const oi = i * d;
				let j = 1;
				for (; j < d; j++) {
					const g = cent[ox + j] - cent[oi + j];
					sum += g * g;
					if (sum * w > cap) break;
				}
				if (j < d) continue;
				const v = (w / (sx + si)) * sum;
				if (v < best) {
					best = v;
					lim = best * (1 + 1e-12);
					y = i;
				}
			}
			return { y, best };
		},
		merge(x, y, best) {
			const nx = size[x];
			const ny = size[y];
			// The merged cluster lives on in slot y, as in scipy.
			for (let j = 0; j < d; j++)
				cent[y * d + j] = (nx * cent[x * d + j] + ny * cent[y * d + j]) / (nx + ny);
			c0[y] = cent[y * d];
			size[y] = nx + ny;
			size[x] = 0;
			if (++dead * 2 > nAct && nAct > 64) {
				const kept = new Int32Array(nAct - dead);
				let c = 0;
				for (let t = 0; t < nAct; t++) if (size[act[t]] > 0) kept[c++] = act[t];
				act = kept;
				nAct = c;
				dead = 0;
			}
			return Math.sqrt(best);
		}
	});
}

/** Sorts merges by height (stably, as numpy's mergesort) and relabels them as scipy's `label`. */
function finishLinkage(m: number, { zx, zy, zd }: Merges): Float64Array {
	const order = Array.from({ length: m - 1 }, (_, i) => i).sort((a, b) => zd[a] - zd[b]);
	const Z = new Float64Array((m - 1) * 4);
	const parent = Int32Array.from({ length: 2 * m - 1 }, (_, i) => i);
	const csize = new Float64Array(2 * m - 1).fill(1);
	const find = (v: number): number => {
		let r = v;
		while (parent[r] !== r) r = parent[r];
		while (parent[v] !== r) {
			const next = parent[v];
			parent[v] = r;
			v = next;
		}
		return r;
	};
	order.forEach((s, i) => {
		const a = find(zx[s]);
		const b = find(zy[s]);
		const next = m + i;
		Z[i * 4] = Math.min(a, b);
		Z[i * 4 + 1] = Math.max(a, b);
		Z[i * 4 + 2] = zd[s];
		csize[next] = csize[a] + csize[b];
		Z[i * 4 + 3] = csize[next];
		parent[a] = next;
		parent[b] = next;
	});
	return Z;
}

/**
 * Flat clusters from a linkage: the partition after the first m − k merges (the k clusters
 * scipy's fcluster(Z, k, 'maxclust') gives when merge heights are distinct), numbered 0..k−1 by
 * first appearance in row order.
 */
export function cutTree(linkage: Float64Array, m: number, k: number): Int32Array {
	const kk = Math.max(1, Math.min(Math.floor(k), m));
	const parent = Int32Array.from({ length: Math.max(1, 2 * m - 1) }, (_, i) => i);
	const find = (v: number): number => {
		while (parent[v] !== v) {
			parent[v] = parent[parent[v]];
			v = parent[v];
		}
		return v;
	};
	for (let i = 0; i < m - kk; i++) {
		parent[find(linkage[i * 4])] = m + i;
		parent[find(linkage[i * 4 + 1])] = m + i;
	}
	const labels = new Int32Array(m);
	const number = new Map<number, number>();
	for (let r = 0; r < m; r++) {
		const root = find(r);
		let c = number.get(root);
		if (c === undefined) {
			c = number.size;
			number.set(root, c);
		}
		labels[r] = c;
	}
	return labels;
}

/** The height between the (m − k)-th and the next merge: cutting there leaves k clusters. */
export function cutHeight(linkage: Float64Array, m: number, k: number): number {
	const merges = m - 1;
	if (merges <= 0) return 0;
	const applied = m - Math.max(1, Math.min(k, m));
	const below = applied > 0 ? linkage[(applied - 1) * 4 + 2] : 0;
	if (applied >= merges) return below;
	return (below + linkage[applied * 4 + 2]) / 2;
}

/** Seeded sample of `size` distinct rows out of n, ascending. */
function sampleRows(n: number, size: number, seed: number): Uint32Array {
	const idx = Uint32Array.from({ length: n }, (_, i) => i);
	const rng = createRng(`ward:${seed}`);
	for (let i = 0; i < size; i++) {
		const j = i + rng.int(n - i);
		const t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
	return idx.slice(0, size).sort();
}

export function ward(X: Matrix, opts: WardOptions): WardResult {
	const { n, d, data } = X;
	const onProgress = opts.onProgress ?? noProgress;
	const cancel = opts.cancel ?? neverCancelled;
	const maxRows = Math.max(2, Math.floor(opts.maxRows ?? WARD_MAX_ROWS));
	if (!Number.isInteger(opts.k) || opts.k < 1) {
		throw badParameter('The number of groups must be a whole number of at least 1.', { k: opts.k });
	}
	if (n < opts.k) {
		throw badParameter(`There are fewer students (${n}) than groups asked for (${opts.k}).`, {
			k: opts.k,
			n
		});
	}
	const sampled =
		n > maxRows
			? sampleRows(n, maxRows, opts.seed ?? 0)
			: Uint32Array.from({ length: n }, (_, i) => i);
	const m = sampled.length;
	const sub = new Float64Array(m * d);
	for (let r = 0; r < m; r++) sub.set(data.subarray(sampled[r] * d, sampled[r] * d + d), r * d);
	const share = m < n ? 0.9 : 1;
	const linkage = wardLinkage(sub, m, d, {
		onProgress: (p) => onProgress({ ...p, fraction: share * p.fraction }),
		cancel
	});
	const k = Math.min(opts.k, m);
	const subLabels = cutTree(linkage, m, k);
	let labels: Int32Array;
	if (m === n) {
		labels = subLabels;
	} else {
		onProgress({ fraction: share, phase: 'Ward — assigning the remaining students' });
		const means = new Float64Array(k * d);
		const counts = new Float64Array(k);
		for (let r = 0; r < m; r++) {
			counts[subLabels[r]]++;
			for (let j = 0; j < d; j++) means[subLabels[r] * d + j] += sub[r * d + j];
		}
		for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= counts[c];
		labels = new Int32Array(n);
		for (let i = 0; i < n; i++) {
			let best = 0;
			let bestD = Infinity;
			for (let c = 0; c < k; c++) {
				let s = 0;
				for (let j = 0; j < d; j++) {
					const g = data[i * d + j] - means[c * d + j];
					s += g * g;
				}
				if (s < bestD) {
					bestD = s;
					best = c;
				}
			}
			labels[i] = best;
		}
		// Sampled rows keep the tree's own assignment.
		for (let r = 0; r < m; r++) labels[sampled[r]] = subLabels[r];
	}
	onProgress({ fraction: 1, phase: 'Ward — done' });
	return { labels, k, linkage, sampled };
}

export interface DendrogramOptions {
	/** Leaves drawn: the tree is truncated to its last maxLeaves − 1 merges (default 30). */
	maxLeaves?: number;
	/** Colour the branches by the k clusters of the cut (default: no cut, all −1). */
	k?: number;
}

export interface DendrogramSegment {
	x1: number;
	y1: number;
	x2: number;
	y2: number;
	/** Cluster (0..k−1, as cutTree numbers them) of the branch, or −1 above the cut. */
	cluster: number;
}

export interface DendrogramLayout {
	/** x in [0, leaves): leaf i sits at x = i; y = merge height (Ward distance). */
	segments: DendrogramSegment[];
	leaves: number;
	/** Students under each drawn leaf, left to right. */
	leafSizes: number[];
	/** Cluster of each drawn leaf (−1 without a cut). */
	leafClusters: number[];
	/** Height of the cut into k clusters (0 without one). */
	cut: number;
	maxHeight: number;
	/** Rows in the tree. */
	sampled: number;
}

/**
 * A truncated dendrogram (scipy's truncate_mode='lastp'): the last maxLeaves − 1 merges, with
 * everything merged before them drawn as one leaf. Each merge is a ∏ shape: two verticals from
 * the children's heights up to the merge height and a horizontal joining them. Verticals take
 * the colour of the child below them, so a persona's colour runs up to where it joins another.
 */
export function dendrogramLayout(
	linkage: Float64Array,
	m: number,
	opts: DendrogramOptions = {}
): DendrogramLayout {
	const merges = Math.max(0, m - 1);
	const k = opts.k !== undefined ? Math.max(1, Math.min(Math.floor(opts.k), m)) : 0;
	const p = Math.max(1, Math.min(m, Math.max(Math.floor(opts.maxLeaves ?? 30), k)));
	const empty: DendrogramLayout = {
		segments: [],
		leaves: m > 0 ? 1 : 0,
		leafSizes: m > 0 ? [m] : [],
		leafClusters: m > 0 ? [k ? 0 : -1] : [],
		cut: 0,
		maxHeight: 0,
		sampled: m
	};
	if (merges === 0) return empty;
	const height = (node: number): number => (node < m ? 0 : linkage[(node - m) * 4 + 2]);
	const count = (node: number): number => (node < m ? 1 : linkage[(node - m) * 4 + 3]);
	// Cluster of every node below the cut, via one representative row per node.
	const rep = new Int32Array(m + merges);
	for (let i = 0; i < m; i++) rep[i] = i;
	for (let i = 0; i < merges; i++) rep[m + i] = rep[linkage[i * 4]];
	const rowCluster = k ? cutTree(linkage, m, k) : null;
	const firstShown = merges - (p - 1); // merges at or after this index are drawn
	const firstAboveCut = k ? merges - (k - 1) : merges;
	const clusterOf = (node: number): number =>
		rowCluster && (node < m || node - m < firstAboveCut) ? rowCluster[rep[node]] : -1;

	const segments: DendrogramSegment[] = [];
	const leafSizes: number[] = [];
	const leafClusters: number[] = [];
	// Post-order walk from the root (iterative: the tree can be 10,000 deep).
	const xOf = new Map<number, number>();
	const stack: [number, boolean][] = [[m + merges - 1, false]];
	while (stack.length) {
		const [node, expanded] = stack.pop() as [number, boolean];
		const shown = node >= m && node - m >= firstShown;
		if (!shown) {
			xOf.set(node, leafSizes.length);
			leafSizes.push(count(node));
			leafClusters.push(clusterOf(node));
			continue;
		}
		const a = linkage[(node - m) * 4];
		const b = linkage[(node - m) * 4 + 1];
		if (!expanded) {
			stack.push([node, true], [b, false], [a, false]);
			continue;
		}
		const xa = xOf.get(a) as number;
		const xb = xOf.get(b) as number;
		const h = height(node);
		const ha = a >= m && a - m >= firstShown ? height(a) : 0;
		const hb = b >= m && b - m >= firstShown ? height(b) : 0;
		segments.push({ x1: xa, y1: ha, x2: xa, y2: h, cluster: clusterOf(a) });
		segments.push({ x1: xb, y1: hb, x2: xb, y2: h, cluster: clusterOf(b) });
		segments.push({ x1: xa, y1: h, x2: xb, y2: h, cluster: clusterOf(node) });
		xOf.set(node, (xa + xb) / 2);
	}
	return {
		segments,
		leaves: leafSizes.length,
		leafSizes,
		leafClusters,
		cut: k ? cutHeight(linkage, m, k) : 0,
		maxHeight: height(m + merges - 1),
		sampled: m
	};
}
