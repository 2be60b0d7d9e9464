/**
 * DBSCAN with scikit-learn's semantics: a point is a core point when at least `minPts` points
 * (itself included) lie within `eps` (distance ≤ eps, Euclidean); clusters grow from core
 * points in row order, and a border point joins the first cluster that reaches it. Labels are
 * therefore identical to `sklearn.cluster.DBSCAN(eps, min_samples=minPts)`.
 *
 * Unlike scikit-learn we never materialise every neighbourhood (O(n²) memory for a large eps).
 * Three passes over a KD-tree: (1) core points by a count that stops at minPts, keeping the
 * short neighbour lists of non-core points; (2) clusters as connected components of "core within
 * eps of core", by union–find, each core point skipping subtrees already in its component;
 * (3) each border point takes the lowest-numbered cluster among its core neighbours. Numbering
 * clusters by their first core row makes (3) exactly scikit-learn's "first cluster to reach it".
 */
import { AppException } from '../../errors';
import { neverCancelled, noProgress } from '../progress';
import { createRng } from '../random';
import type { DbscanOptions, DbscanResult, Matrix } from './types';

const LEAF_SIZE = 32;

/** A static KD-tree over some rows of X (points copied in tree order for locality). */
interface KdTree {
	n: number;
	d: number;
	/** Points in tree order, n × d. */
	pts: Float64Array;
	/** Tree position → original row. */
	perm: Uint32Array;
	start: Int32Array;
	end: Int32Array;
	/** Children (−1 for a leaf). */
	left: Int32Array;
	right: Int32Array;
	/** Bounding boxes, nodes × d. */
	lo: Float64Array;
	hi: Float64Array;
	nodes: number;
}

function buildKdTree(X: Matrix, rows?: Uint32Array): KdTree {
	const { d, data } = X;
	const perm = rows ? rows.slice() : Uint32Array.from({ length: X.n }, (_, i) => i);
	const n = perm.length;
	const cap = Math.max(1, 4 * Math.ceil(n / LEAF_SIZE) + 1);
	const start = new Int32Array(cap);
	const end = new Int32Array(cap);
	const left = new Int32Array(cap).fill(-1);
	const right = new Int32Array(cap).fill(-1);
	const lo = new Float64Array(cap * d);
	const hi = new Float64Array(cap * d);
	let nodes = 0;

	const key = new Float64Array(n);
	const build = (s: number, e: number): number => {
		const id = nodes++;
		start[id] = s;
		end[id] = e;
		let bestDim = 0;
		let bestSpread = -1;
		for (let j = 0; j < d; j++) {
			let mn = Infinity;
			let mx = -Infinity;
			for (let p = s; p < e; p++) {
				const v = data[perm[p] * d + j];
				if (v < mn) mn = v;
				if (v > mx) mx = v;
			}
			lo[id * d + j] = mn;
			hi[id * d + j] = mx;
			if (mx - mn > bestSpread) {
				bestSpread = mx - mn;
				bestDim = j;
			}
		}
		if (e - s <= LEAF_SIZE || bestSpread <= 0) return id;
		const mid = (s + e) >> 1;
		for (let p = s; p < e; p++) key[p] = data[perm[p] * d + bestDim];
		select(perm, key, s, e - 1, mid);
		left[id] = build(s, mid);
		right[id] = build(mid, e);
		return id;
	};
	if (n > 0) build(0, n);

	const pts = new Float64Array(n * d);
	for (let p = 0; p < n; p++) pts.set(data.subarray(perm[p] * d, perm[p] * d + d), p * d);
	return { n, d, pts, perm, start, end, left, right, lo, hi, nodes };
}

/** Quickselect on perm[s..e] by key so that position k holds the k-th smallest. */
function select(perm: Uint32Array, key: Float64Array, s: number, e: number, k: number): void {
	while (e > s) {
		const pivot = key[(s + e) >> 1];
		let i = s;
		let j = e;
		while (i <= j) {
			while (key[i] < pivot) i++;
			while (key[j] > pivot) j--;
			if (i <= j) {
				const tk = key[i];
				key[i] = key[j];
				key[j] = tk;
				const tp = perm[i];
				perm[i] = perm[j];
				perm[j] = tp;
				i++;
				j--;
			}
		}
		if (k <= j) e = j;
		else if (k >= i) s = i;
		else return;
	}
}

function boxMinDist2(t: KdTree, node: number, q: Float64Array, qo: number): number {
	let s = 0;
	const o = node * t.d;
	for (let j = 0; j < t.d; j++) {
		const v = q[qo + j];
		const a = t.lo[o + j] - v;
		const b = v - t.hi[o + j];
		const g = a > 0 ? a : b > 0 ? b : 0;
		s += g * g;
	}
	return s;
}

function boxMaxDist2(t: KdTree, node: number, q: Float64Array, qo: number): number {
	let s = 0;
	const o = node * t.d;
	for (let j = 0; j < t.d; j++) {
		const v = q[qo + j];
		const a = Math.abs(v - t.lo[o + j]);
		const b = Math.abs(v - t.hi[o + j]);
		const g = a > b ? a : b;
		s += g * g;
	}
	return s;
}

/**
 * Squared distance between tree point p and q, summed in feature order as scikit-learn does,
 * so ties at exactly eps fall the same way. Stops early once past `limit` (the sum only grows).
 */
function dist2(t: KdTree, p: number, q: Float64Array, qo: number, limit: number): number {
	let s = 0;
	const o = p * t.d;
	for (let j = 0; j < t.d; j++) {
		const g = t.pts[o + j] - q[qo + j];
		s += g * g;
		if (s > limit) return s;
	}
	return s;
}

/**
 * Pushes the two children of `node` with their box distances (kept in `dstack` so they are not
 * computed twice), the one nearer q on top so that it is visited first.
 */
function pushChildren(
	t: KdTree,
	node: number,
	q: Float64Array,
	qo: number,
	stack: Int32Array,
	dstack: Float64Array,
	sp: number
): number {
	const a = t.left[node];
	const b = t.right[node];
	const da = boxMinDist2(t, a, q, qo);
	const db = boxMinDist2(t, b, q, qo);
	if (da <= db) {
		stack[sp] = b;
		dstack[sp++] = db;
		stack[sp] = a;
		dstack[sp++] = da;
	} else {
		stack[sp] = a;
		dstack[sp++] = da;
		stack[sp] = b;
		dstack[sp++] = db;
	}
	return sp;
}

/**
 * Neighbours of q within r (squared: r2), nearest regions first, stopping once `cap` are found.
 * Returns the count (≥ cap means "at least cap"); `out` holds the first min(count, cap) rows.
 */
function neighboursUpTo(
	t: KdTree,
	q: Float64Array,
	qo: number,
	r2: number,
	cap: number,
	stack: Int32Array,
	dstack: Float64Array,
	out: Int32Array
): number {
	let count = 0;
	let sp = 0;
	stack[sp] = 0;
	dstack[sp++] = 0;
	while (sp > 0) {
		const node = stack[--sp];
		if (dstack[sp] > r2) continue;
		if (boxMaxDist2(t, node, q, qo) <= r2) {
			for (let p = t.start[node]; p < t.end[node]; p++) {
				out[count++] = t.perm[p];
				if (count >= cap) return count;
			}
			continue;
		}
		if (t.left[node] !== -1) {
			sp = pushChildren(t, node, q, qo, stack, dstack, sp);
			continue;
		}
		for (let p = t.start[node]; p < t.end[node]; p++) {
			if (dist2(t, p, q, qo, r2) > r2) continue;
			out[count++] = t.perm[p];
			if (count >= cap) return count;
		}
	}
	return count;
}

/** Neighbours kept per core point: enough to join most of a cluster before the exact pass. */
const CORE_LINKS = 8;

interface CoreScan {
	core: Uint8Array;
	/**
	 * Per row, CSR-style: every neighbour of a non-core row (fewer than minPts), and up to
	 * CORE_LINKS neighbours (all within eps) of a core row.
	 */
	offsets: Int32Array;
	neighbours: Int32Array;
}

/** Finds core points, keeping neighbour lists for the border step and for pre-joining cores. */
function scanCores(
	X: Matrix,
	tree: KdTree,
	r2: number,
	minPts: number,
	tick: (done: number) => void
): CoreScan {
	const { n, d } = X;
	const core = new Uint8Array(n);
	const stack = new Int32Array(tree.nodes + 64);
	const dstack = new Float64Array(tree.nodes + 64);
	const buf = new Int32Array(minPts);
	const counts = new Int32Array(n);
	let store = new Int32Array(Math.max(16, Math.min(n * Math.min(minPts, CORE_LINKS), 1 << 20)));
	const startAt = new Int32Array(n);
	let used = 0;
	for (let p = 0; p < n; p++) {
		if (p % 512 === 0) tick(p);
		const row = tree.perm[p];
		const c = neighboursUpTo(tree, tree.pts, p * d, r2, minPts, stack, dstack, buf);
		if (c >= minPts) core[row] = 1;
		const keep = c >= minPts ? Math.min(c, CORE_LINKS) : c;
		if (used + keep > store.length) {
			const grown = new Int32Array(Math.max(store.length * 2, used + keep));
			grown.set(store.subarray(0, used));
			store = grown;
		}
		startAt[row] = used;
		counts[row] = keep;
		store.set(buf.subarray(0, keep), used);
		used += keep;
	}
	// Re-pack in row order so offsets are monotone.
	const offsets = new Int32Array(n + 1);
	for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + counts[i];
	const neighbours = new Int32Array(offsets[n]);
	for (let i = 0; i < n; i++) {
		neighbours.set(store.subarray(startAt[i], startAt[i] + counts[i]), offsets[i]);
	}
	return { core, offsets, neighbours };
}

/**
 * Union–find over rows with path halving; the cluster structure of DBSCAN is the connected
 * components of the "core within eps of core" graph.
 */
function find(parent: Int32Array, x: number): number {
	while (parent[x] !== x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

function union(parent: Int32Array, size: Int32Array, a: number, b: number): number {
	let ra = find(parent, a);
	let rb = find(parent, b);
	if (ra === rb) return ra;
	if (size[ra] < size[rb]) {
		const t = ra;
		ra = rb;
		rb = t;
	}
	parent[rb] = ra;
	size[ra] += size[rb];
	return ra;
}

/**
 * Connects core points into clusters. The links found while scanning join most of each cluster
 * first; then every core point looks for core points within eps in a tree of core points only,
 * skipping any subtree already known to lie entirely in its own component — so a dense cluster
 * stops costing anything once it is joined up, and the result is still exact.
 */
function connectCores(
	X: Matrix,
	scan: CoreScan,
	r2: number,
	tick: (done: number, total: number) => void
): Int32Array {
	const { n, d } = X;
	const { core, offsets, neighbours } = scan;
	const parent = Int32Array.from({ length: n }, (_, i) => i);
	const size = new Int32Array(n).fill(1);
	let nCore = 0;
	for (let i = 0; i < n; i++) {
		if (!core[i]) continue;
		nCore++;
		for (let o = offsets[i]; o < offsets[i + 1]; o++) {
			if (core[neighbours[o]]) union(parent, size, i, neighbours[o]);
		}
	}
	const rows = new Uint32Array(nCore);
	for (let i = 0, c = 0; i < n; i++) if (core[i]) rows[c++] = i;
	const t = buildKdTree(X, rows);
	// A row whose component holds every point of the subtree, or −1 when not known to be one.
	const same = new Int32Array(t.nodes).fill(-1);
	for (let node = t.nodes - 1; node >= 0; node--) {
		const l = t.left[node];
		if (l === -1) {
			const root = find(parent, t.perm[t.start[node]]);
			let all = true;
			for (let o = t.start[node] + 1; o < t.end[node] && all; o++)
				all = find(parent, t.perm[o]) === root;
			if (all) same[node] = root;
		} else {
			const sl = same[l];
			const sr = same[t.right[node]];
			if (sl !== -1 && sr !== -1 && find(parent, sl) === find(parent, sr)) same[node] = sl;
		}
	}
	const stack = new Int32Array(t.nodes + 64);
	const dstack = new Float64Array(t.nodes + 64);
	for (let p = 0; p < t.n; p++) {
		if (p % 512 === 0) tick(p, t.n);
		const me = t.perm[p];
		let root = find(parent, me);
		const qo = p * d;
		let sp = 0;
		stack[sp] = 0;
		dstack[sp++] = 0;
		while (sp > 0) {
			const node = stack[--sp];
			const md = dstack[sp];
			const l = t.left[node];
			if (same[node] === -1 && l !== -1) {
				const sl = same[l];
				const sr = same[t.right[node]];
				if (sl !== -1 && sr !== -1 && find(parent, sl) === find(parent, sr)) same[node] = sl;
			}
			if (same[node] !== -1 && find(parent, same[node]) === root) continue;
			if (md > r2) continue;
			if (boxMaxDist2(t, node, t.pts, qo) <= r2) {
				if (same[node] !== -1) root = union(parent, size, same[node], root);
				else
					for (let o = t.start[node]; o < t.end[node]; o++)
						root = union(parent, size, t.perm[o], root);
				same[node] = root;
				continue;
			}
			if (l !== -1) {
				sp = pushChildren(t, node, t.pts, qo, stack, dstack, sp);
				continue;
			}
			let all = true;
			for (let o = t.start[node]; o < t.end[node]; o++) {
				const other = t.perm[o];
				if (find(parent, other) === root) continue;
				if (dist2(t, o, t.pts, qo, r2) <= r2) root = union(parent, size, other, root);
				else all = false;
			}
			if (all) same[node] = root;
		}
	}
	return parent;
}

export function dbscan(X: Matrix, opts: DbscanOptions): DbscanResult {
	const { n } = X;
	const onProgress = opts.onProgress ?? noProgress;
	const cancel = opts.cancel ?? neverCancelled;
	if (!(opts.eps >= 0) || !Number.isFinite(opts.eps))
		throw new AppException({
			code: 'cluster-bad-parameter',
			message: 'The neighbourhood radius (eps) must be a number of at least 0.',
			details: { eps: String(opts.eps) }
		});
	if (!(opts.minPts >= 1))
		throw new AppException({
			code: 'cluster-bad-parameter',
			message: 'The minimum group size (minPts) must be at least 1.',
			details: { minPts: String(opts.minPts) }
		});
	const minPts = Math.floor(opts.minPts);
	const labels = new Int32Array(n).fill(-1);
	if (n === 0) return { labels, nClusters: 0, nNoise: 0 };
	const r2 = opts.eps * opts.eps;
	const tree = buildKdTree(X);

	const scan = scanCores(X, tree, r2, minPts, (done) => {
		cancel.throwIfCancelled();
		onProgress({ fraction: 0.5 * (done / n), phase: 'DBSCAN — finding core points' });
	});
	const parent = connectCores(X, scan, r2, (done, total) => {
		cancel.throwIfCancelled();
		onProgress({ fraction: 0.5 + 0.45 * (done / total), phase: 'DBSCAN — joining core points' });
	});

	const { core, offsets, neighbours } = scan;
	// Clusters are numbered by their first core row, as scikit-learn's expansion order does.
	const clusterOf = new Int32Array(n).fill(-1);
	let nClusters = 0;
	for (let i = 0; i < n; i++) {
		if (!core[i]) continue;
		const root = find(parent, i);
		if (clusterOf[root] === -1) clusterOf[root] = nClusters++;
		labels[i] = clusterOf[root];
	}
	// A border point goes to the first cluster (lowest number) that has a core point in reach.
	let nNoise = 0;
	for (let i = 0; i < n; i++) {
		if (core[i]) continue;
		let best = -1;
		for (let o = offsets[i]; o < offsets[i + 1]; o++) {
			const j = neighbours[o];
			if (core[j] && (best === -1 || labels[j] < best)) best = labels[j];
		}
		labels[i] = best;
		if (best === -1) nNoise++;
	}
	onProgress({ fraction: 1, phase: 'DBSCAN — done' });
	return { labels, nClusters, nNoise };
}

/** Which rows are core points (for tests and the scatter plot's emphasis). */
export function corePoints(X: Matrix, eps: number, minPts: number): Uint8Array {
	return scanCores(X, buildKdTree(X), eps * eps, Math.max(1, Math.floor(minPts)), () => {}).core;
}

export interface KDistanceOptions {
	/** Rows whose k-distance is measured (against all rows); a seeded sample beyond this. Default 10,000. */
	maxRows?: number;
	seed?: number;
}

/**
 * The sorted k-distance curve: for every row, the distance to its k-th nearest *other* row,
 * ascending. Use k = minPts − 1: a row whose k-distance is ≤ eps is then exactly a core point.
 * With n ≤ k the curve uses the farthest other row. Beyond `maxRows` rows the curve is that of a
 * seeded sample (neighbours are still searched among all rows): the plot looks the same and a
 * knee read from it is the same, at a fraction of the cost.
 */
export function kDistances(X: Matrix, k: number, opts: KDistanceOptions = {}): Float64Array {
	const { n, d } = X;
	if (n < 2) return new Float64Array(0);
	const kk = Math.max(1, Math.min(Math.floor(k), n - 1)) + 1; // + the row itself
	const tree = buildKdTree(X);
	const maxRows = Math.max(1, opts.maxRows ?? 10_000);
	let queries: Uint32Array;
	if (n <= maxRows) {
		queries = Uint32Array.from({ length: n }, (_, i) => i);
	} else {
		const all = Uint32Array.from({ length: n }, (_, i) => i);
		createRng(`kdist:${opts.seed ?? 0}`).shuffle(all);
		queries = all.slice(0, maxRows).sort();
	}
	const heap = new Float64Array(kk);
	const stack = new Int32Array(tree.nodes + 64);
	const dstack = new Float64Array(tree.nodes + 64);
	const out = new Float64Array(queries.length);
	for (let qi = 0; qi < queries.length; qi++) {
		const q = X.data;
		const qo = queries[qi] * d;
		// heap is a max-heap of the kk smallest squared distances seen so far.
		let size = 0;
		let sp = 0;
		stack[sp] = 0;
		dstack[sp++] = 0;
		while (sp > 0) {
			const node = stack[--sp];
			if (size === kk && dstack[sp] >= heap[0]) continue;
			if (tree.left[node] !== -1) {
				sp = pushChildren(tree, node, q, qo, stack, dstack, sp);
				continue;
			}
			for (let o = tree.start[node]; o < tree.end[node]; o++) {
				if (size < kk) siftUp(heap, size++, dist2(tree, o, q, qo, Infinity));
				else {
					const v = dist2(tree, o, q, qo, heap[0]);
					if (v < heap[0]) siftDown(heap, kk, v);
				}
			}
		}
		out[qi] = Math.sqrt(heap[0]);
	}
	return out.sort();
}

function siftUp(heap: Float64Array, i: number, v: number): void {
	while (i > 0) {
		const parent = (i - 1) >> 1;
		if (heap[parent] >= v) break;
		heap[i] = heap[parent];
		i = parent;
	}
	heap[i] = v;
}

/** Replaces the maximum with v and restores the heap. */
function siftDown(heap: Float64Array, size: number, v: number): void {
	let i = 0;
	for (;;) {
		const l = 2 * i + 1;
		if (l >= size) break;
		const r = l + 1;
		const c = r < size && heap[r] > heap[l] ? r : l;
		if (heap[c] <= v) break;
		heap[i] = heap[c];
		i = c;
	}
	heap[i] = v;
}

export interface EpsSuggestion {
	eps: number;
	/** One or two sentences a teacher can read under the k-distance plot. */
	explanation: string;
}

/**
 * The knee of a sorted k-distance curve, "Kneedle" style (Satopää et al. 2011): scale both axes
 * to [0, 1] and take the point farthest below the straight line from the first to the last
 * point. The top 1% of the curve is left out of the scaling so that a handful of extreme
 * outliers cannot flatten everything else into a line. Below the knee distances grow slowly
 * (dense regions); above it they shoot up (isolated students), so eps at the knee keeps dense
 * groups together and leaves the isolated rows as noise.
 */
export function suggestEps(kdist: Float64Array, k?: number): EpsSuggestion {
	const m = kdist.length;
	const nth =
		k !== undefined && k >= 1
			? `${ordinal(Math.round(k))} nearest neighbour`
			: 'k-th nearest neighbour';
	if (m < 3) {
		const eps = m > 0 && kdist[m - 1] > 0 ? kdist[m - 1] : 0.5;
		return {
			eps,
			explanation: `Too few students to read a knee from the curve; eps ${fmt(eps)} is a starting point to adjust by hand.`
		};
	}
	const last = Math.max(2, Math.ceil(0.99 * (m - 1)));
	const y0 = kdist[0];
	const y1 = kdist[last];
	let best = 0;
	if (y1 > y0) {
		let bestGap = -Infinity;
		for (let i = 0; i <= last; i++) {
			const gap = i / last - (kdist[i] - y0) / (y1 - y0);
			if (gap > bestGap) {
				bestGap = gap;
				best = i;
			}
		}
	} else {
		best = last;
	}
	let eps = kdist[best];
	if (!(eps > 0)) {
		// Many exact duplicates: the knee sits at 0. Use the smallest positive distance instead.
		let i = best;
		while (i < m && !(kdist[i] > 0)) i++;
		eps = i < m ? kdist[i] : 0.5;
	}
	eps = roundSig(eps);
	let within = 0;
	for (let i = 0; i < m; i++) if (kdist[i] <= eps) within++;
	const pct = Math.round((100 * within) / m);
	const explanation =
		`${pct}% of students have their ${nth} within ${fmt(eps)} (in standardised units); ` +
		`beyond that the distances rise steeply. With eps = ${fmt(eps)}, students in dense groups ` +
		`are clustered and the ${100 - pct}% most isolated are likely to be marked as noise.`;
	return { eps, explanation };
}

/** Two significant digits: eps is a knob a person sets, not a measurement. */
function roundSig(x: number): number {
	return x > 0 ? Number(x.toPrecision(2)) : x;
}

function fmt(x: number): string {
	return String(roundSig(x));
}

function ordinal(k: number): string {
	const mod100 = k % 100;
	const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
	return `${k}${suffix}`;
}
