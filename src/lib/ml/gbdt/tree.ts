/**
 * The tree learner shared by boosting and the random forest. Rows live in one Uint32Array that
 * each split partitions in place, so every node owns a contiguous segment [start, end) and
 * a tree allocates nothing per row. Growth is best-first (largest gain first, LightGBM's
 * leaf-wise growth) up to maxLeaves, or depth-first when leaves are unlimited. With
 * subtraction on, only the smaller child's histogram is built and the sibling's is
 * parent − smaller; per-node feature sampling (forests) builds each node's own histogram.
 */
import type { Rng } from '../random';
import type { BinnedData, Binner } from './binning';
import { NodeBuffer } from './nodes';
import {
	buildHistogram,
	GradientPacking,
	HistogramPool,
	rowMajorBins,
	subtractHistogram,
	type RowBins
} from './histogram';
import {
	BITSET_WORDS,
	findBestSplit,
	makeSplitContext,
	SplitStore,
	type SplitContext
} from './split';
import type { Tree, TreeParams } from './types';

export interface GrowInput {
	/** Gradient and hessian per training row. */
	g: Float64Array;
	h: Float64Array;
	/** Every hessian is exactly 1 (squared error without weights): skip reading h. */
	constHessian: boolean;
	/** Rows of the root (may repeat, for bootstrap samples); copied into the learner. */
	rows: Uint32Array;
	nRows: number;
	/** rows is 0..nRows−1 in order (lets the root histogram skip indirection). */
	identityRows: boolean;
	/** Features this tree may use. */
	features: Int32Array;
	/** Per-node share of `features` to consider (1 = all; forests use less). */
	nodeFeatureFraction: number;
	rng: Rng;
}

export interface GrownTree {
	/** Values are Newton steps −G/(H+λ), not yet scaled by any learning rate. */
	tree: Tree;
	/** Per node, 8 words: bins that go left (missing bin included when it goes left). */
	binBits: Uint32Array;
	/** Row segment of each node in `learner.rows`. */
	nodeStart: Int32Array;
	nodeEnd: Int32Array;
	leaves: Int32Array;
}

export class TreeLearner {
	readonly binned: BinnedData;
	readonly binner: Binner;
	readonly params: TreeParams;
	/** After grow(): rows partitioned so that each node's rows are rows[start..end). */
	rows: Uint32Array;
	private _tmp: Uint32Array;
	/** Row-major bins for histogram building. */
	private _rm: RowBins;
	/** Packed quantised gradients per data row, refreshed each grow(). */
	private _gp: Float64Array;
	private _packing = new GradientPacking();
	/** 1 (constant hessian) or 2 histogram slots per bin. */
	private _stride = 1;
	/** Partition lookup: 1 where a bin goes left (one byte load beats bitset arithmetic). */
	private _goLeft = new Uint8Array(256);
	private _nBins: Int32Array;
	private _nBinsPlus: Int32Array;
	private _pool: HistogramPool;
	private _nodes = new NodeBuffer();
	private _splits: SplitStore;
	private _ctx: SplitContext;
	private _hist: (Float64Array | null)[] = [];
	private _slotNode: Int32Array;
	private _open: Int32Array;
	private _freeSlots: number[] = [];
	private _nodeFeatures: Int32Array;

	constructor(binned: BinnedData, binner: Binner, params: TreeParams, maxRows: number) {
		this.binned = binned;
		this.binner = binner;
		this.params = params;
		this.rows = new Uint32Array(maxRows);
		this._tmp = new Uint32Array(maxRows);
		this._rm = rowMajorBins(binned.bins, binned.nRows);
		this._gp = new Float64Array(binned.nRows);
		this._nBins = Int32Array.from(binner.features, (f) => f.nBins);
		this._nBinsPlus = Int32Array.from(binner.features, (f) => f.nBins + 1);
		const isCat = Uint8Array.from(binner.features, (f) => (f.info.kind === 'categorical' ? 1 : 0));
		this._pool = new HistogramPool(this._rm.stride);
		const slots = 64;
		this._splits = new SplitStore(slots);
		this._slotNode = new Int32Array(slots);
		this._open = new Int32Array(slots);
		this._ctx = makeSplitContext(this._nBins, isCat, params, this._packing);
		this._nodeFeatures = new Int32Array(binner.features.length);
	}

	private _allocSlot(): number {
		const s = this._freeSlots.pop();
		if (s !== undefined) return s;
		const n = this._hist.length;
		if (n >= this._slotNode.length) {
			const cap = n * 2;
			const old = this._splits;
			const ns = new SplitStore(cap);
			ns.gain.set(old.gain);
			ns.feature.set(old.feature);
			ns.defaultLeft.set(old.defaultLeft);
			ns.isCat.set(old.isCat);
			ns.bin.set(old.bin);
			ns.leftG.set(old.leftG);
			ns.leftH.set(old.leftH);
			ns.leftC.set(old.leftC);
			ns.leftBins.set(old.leftBins);
			ns.missingBin.set(old.missingBin);
			this._splits = ns;
			const sn = new Int32Array(cap);
			sn.set(this._slotNode);
			this._slotNode = sn;
			const op = new Int32Array(cap);
			op.set(this._open);
			this._open = op;
		}
		this._hist.push(null);
		return n;
	}

	private _freeSlot(s: number): void {
		this._pool.release(this._hist[s]);
		this._hist[s] = null;
		this._freeSlots.push(s);
	}

	/**
	 * Fills a node's histogram straight from the row-major bins: gradients are read by row id,
	 * which for a node's ascending row segment is a forward scan, so no ordered-gradient gather.
	 */
	private _build(
		hist: Float64Array,
		node: number,
		feats: Int32Array,
		nf: number,
		input: GrowInput
	): void {
		const nodes = this._nodes;
		const F = this.binner.features.length;
		buildHistogram(
			hist,
			this._rm,
			this._nBinsPlus,
			nf === F && isIdentity(feats, nf) ? null : feats,
			nf,
			this.rows,
			nodes.start[node],
			nodes.end[node],
			input.identityRows && node === 0,
			this._gp,
			input.h,
			this._stride
		);
	}

	/** Features for one node: all of the tree's, or a seeded sample (forests). */
	private _pickFeatures(input: GrowInput): number {
		const nf = input.features.length;
		if (input.nodeFeatureFraction >= 1) return nf;
		const m = Math.max(1, Math.round(nf * input.nodeFeatureFraction));
		const buf = this._nodeFeatures;
		buf.set(input.features);
		// Partial Fisher–Yates: the first m entries are a uniform sample without replacement.
		for (let i = 0; i < m; i++) {
			const j = i + input.rng.int(nf - i);
			const t = buf[i];
			buf[i] = buf[j];
			buf[j] = t;
		}
		return m;
	}

	private _canSplit(node: number, depth: number): boolean {
		const p = this.params;
		const n = this._nodes.end[node] - this._nodes.start[node];
		if (p.maxDepth > 0 && depth >= p.maxDepth) return false;
		return n >= 2 * Math.max(1, p.minSamplesLeaf);
	}

	/** Finds the node's split; returns true if it is worth keeping open. */
	private _evaluate(slot: number, node: number, feats: Int32Array, nf: number): boolean {
		const nodes = this._nodes;
		const hist = this._hist[slot];
		if (!hist) return false;
		const cnt = nodes.end[node] - nodes.start[node];
		const gain = findBestSplit(
			this._ctx,
			hist,
			feats,
			nf,
			nodes.sumG[node],
			nodes.sumH[node],
			cnt,
			this._splits,
			slot
		);
		return gain > this.params.minSplitGain && gain > 0;
	}

	grow(input: GrowInput): GrownTree {
		const p = this.params;
		const nodes = this._nodes;
		const bestFirst = p.maxLeaves > 0;
		nodes.reset(bestFirst ? 2 * p.maxLeaves : 64);
		this._ctx.constHessian = input.constHessian;
		this._stride = input.constHessian ? 1 : 2;
		this._ctx.stride = this._stride;
		this._packing.pack(input.g, this._gp, input.nRows);
		this.rows.set(input.rows.subarray(0, input.nRows));
		const subtraction = input.nodeFeatureFraction >= 1;
		const treeFeats = input.features;
		const nTreeFeats = treeFeats.length;
		const depth: number[] = [];
		let nOpen = 0;

		const root = nodes.add();
		nodes.start[root] = 0;
		nodes.end[root] = input.nRows;
		depth[root] = 0;
		{
			// Root sums in the quantised domain, so that children's G − G_left match histograms.
			let P = 0;
			let H = 0;
			const rows = this.rows;
			const gp = this._gp;
			for (let i = 0; i < input.nRows; i++) P += gp[rows[i]];
			if (!input.constHessian) for (let i = 0; i < input.nRows; i++) H += input.h[rows[i]];
			const pk = this._packing;
			const q = Math.floor(P * pk.invS);
			nodes.sumG[root] = q * pk.invScale;
			nodes.sumH[root] = input.constHessian ? P - q * pk.S : H;
		}
		const openNode = (node: number, hist: Float64Array | null, nf: number): void => {
			const slot = this._allocSlot();
			this._hist[slot] = hist;
			this._slotNode[slot] = node;
			const feats = subtraction ? treeFeats : this._nodeFeatures;
			if (this._evaluate(slot, node, feats, nf)) {
				this._open[nOpen++] = slot;
				if (!subtraction) {
					this._pool.release(this._hist[slot]);
					this._hist[slot] = null;
				}
			} else this._freeSlot(slot);
		};
		if (this._canSplit(root, 0) && (!bestFirst || p.maxLeaves > 1)) {
			const nf = subtraction ? nTreeFeats : this._pickFeatures(input);
			const feats = subtraction ? treeFeats : this._nodeFeatures;
			const hist = this._pool.acquire() as Float64Array;
			this._build(hist, root, feats, nf, input);
			openNode(root, hist, nf);
		}
		let nLeaves = 1;
		const splits = this._splits;
		while (nOpen > 0 && (!bestFirst || nLeaves < p.maxLeaves)) {
			let pick = nOpen - 1;
			if (bestFirst) {
				// Largest gain; ties go to the older node so the order is deterministic.
				for (let i = 0; i < nOpen; i++) {
					const a = this._open[i];
					const b = this._open[pick];
					const ga = splits.gain[a];
					const gb = splits.gain[b];
					if (ga > gb || (ga === gb && this._slotNode[a] < this._slotNode[b])) pick = i;
				}
			}
			const slot = this._open[pick];
			this._open[pick] = this._open[--nOpen];
			const node = this._slotNode[slot];
			const L = nodes.add();
			const R = nodes.add();
			this._applySplit(slot, node, L, R);
			nLeaves++;
			depth[L] = depth[R] = depth[node] + 1;
			const parentHist = this._hist[slot];
			this._hist[slot] = null;
			this._freeSlot(slot);
			const last = bestFirst && nLeaves >= p.maxLeaves;
			const needL = !last && this._canSplit(L, depth[L]);
			const needR = !last && this._canSplit(R, depth[R]);
			if (!needL && !needR) {
				this._pool.release(parentHist);
				continue;
			}
			if (subtraction && parentHist) {
				const cL = nodes.end[L] - nodes.start[L];
				const cR = nodes.end[R] - nodes.start[R];
				const small = cL <= cR ? L : R;
				const large = small === L ? R : L;
				const smallHist = this._pool.acquire() as Float64Array;
				this._build(smallHist, small, treeFeats, nTreeFeats, input);
				subtractHistogram(
					parentHist,
					smallHist,
					this._nBinsPlus,
					treeFeats,
					nTreeFeats,
					this._stride
				);
				const needSmall = small === L ? needL : needR;
				const needLarge = small === L ? needR : needL;
				if (needSmall) openNode(small, smallHist, nTreeFeats);
				else this._pool.release(smallHist);
				if (needLarge) openNode(large, parentHist, nTreeFeats);
				else this._pool.release(parentHist);
			} else {
				this._pool.release(parentHist);
				for (const child of [L, R]) {
					if (!(child === L ? needL : needR)) continue;
					const nf = subtraction ? nTreeFeats : this._pickFeatures(input);
					const feats = subtraction ? treeFeats : this._nodeFeatures;
					const hist = this._pool.acquire() as Float64Array;
					this._build(hist, child, feats, nf, input);
					openNode(child, hist, nf);
				}
			}
		}
		for (let i = 0; i < nOpen; i++) this._freeSlot(this._open[i]);
		this._exactSums(input);
		return this._finish();
	}

	private _applySplit(slot: number, node: number, L: number, R: number): void {
		const nodes = this._nodes;
		const s = this._splits;
		const f = s.feature[slot];
		const w = slot * BITSET_WORDS;
		const bits = s.leftBins;
		const col = this.binned.bins[f];
		const rows = this.rows;
		const tmp = this._tmp;
		const lut = this._goLeft;
		for (let b = 0; b < 256; b++) lut[b] = (bits[w + (b >>> 5)] >>> (b & 31)) & 1;
		const start = nodes.start[node];
		const end = nodes.end[node];
		let nl = 0;
		let nr = 0;
		// Branch-free and stable (both sides keep ascending row order, which keeps later
		// histogram reads moving forward): a branch would mispredict on every other row.
		for (let i = start; i < end; i++) {
			const r = rows[i];
			const goLeft = lut[col[r]];
			rows[start + nl] = r;
			tmp[nr] = r;
			nl += goLeft;
			nr += 1 - goLeft;
		}
		for (let i = 0, j = start + nl; i < nr; i++, j++) rows[j] = tmp[i];
		nodes.feature[node] = f;
		nodes.bin[node] = s.isCat[slot] ? -1 : s.bin[slot];
		nodes.defaultLeft[node] = s.defaultLeft[slot];
		nodes.gain[node] = s.gain[slot];
		nodes.left[node] = L;
		nodes.right[node] = R;
		nodes.binBits.set(bits.subarray(w, w + BITSET_WORDS), node * BITSET_WORDS);
		nodes.start[L] = start;
		nodes.end[L] = start + nl;
		nodes.start[R] = start + nl;
		nodes.end[R] = end;
		nodes.sumG[L] = s.leftG[slot];
		nodes.sumH[L] = s.leftH[slot];
		nodes.sumG[R] = nodes.sumG[node] - s.leftG[slot];
		nodes.sumH[R] = nodes.sumH[node] - s.leftH[slot];
	}

	/**
	 * Replaces the quantised node sums by exact ones (leaf values and covers must not carry the
	 * rounding of the gradients; only split choice used the quantised sums). Children are always
	 * added after their parent, so a reverse sweep sees both children before the parent.
	 */
	private _exactSums(input: GrowInput): void {
		const nodes = this._nodes;
		const rows = this.rows;
		const g = input.g;
		const h = input.h;
		for (let i = nodes.n - 1; i >= 0; i--) {
			if (nodes.feature[i] >= 0) {
				nodes.sumG[i] = nodes.sumG[nodes.left[i]] + nodes.sumG[nodes.right[i]];
				nodes.sumH[i] = nodes.sumH[nodes.left[i]] + nodes.sumH[nodes.right[i]];
				continue;
			}
			const s = nodes.start[i];
			const e = nodes.end[i];
			let G = 0;
			for (let j = s; j < e; j++) G += g[rows[j]];
			let H = e - s;
			if (!input.constHessian) {
				H = 0;
				for (let j = s; j < e; j++) H += h[rows[j]];
			}
			nodes.sumG[i] = G;
			nodes.sumH[i] = H;
		}
	}

	private _finish(): GrownTree {
		const nodes = this._nodes;
		const n = nodes.n;
		const lambda = this.params.lambda;
		const value = new Float64Array(n);
		const cover = new Float64Array(n);
		const threshold = new Float64Array(n);
		const catStart = new Int32Array(n).fill(-1);
		const catWords = new Int32Array(n);
		const catBits: number[] = [];
		let nLeaves = 0;
		for (let i = 0; i < n; i++) {
			const H = nodes.sumH[i];
			cover[i] = H;
			value[i] = H + lambda > 0 ? -nodes.sumG[i] / (H + lambda) : 0;
			const f = nodes.feature[i];
			if (f < 0) {
				nLeaves++;
				continue;
			}
			const fb = this.binner.features[f];
			if (fb.info.kind === 'numeric') {
				const b = nodes.bin[i];
				threshold[i] = b < fb.edges.length ? fb.edges[b] : Infinity;
				continue;
			}
			// Bitset over training category codes; rare codes shared the missing bin in training.
			const k = fb.codeToBin.length;
			const words = Math.max(1, Math.ceil(k / 32));
			catStart[i] = catBits.length;
			catWords[i] = words;
			const bw = i * BITSET_WORDS;
			const bb = nodes.binBits;
			for (let j = 0; j < words; j++) catBits.push(0);
			for (let code = 0; code < k; code++) {
				const bin = fb.codeToBin[code];
				const goLeft =
					bin < 0 ? nodes.defaultLeft[i] === 1 : ((bb[bw + (bin >>> 5)] >>> (bin & 31)) & 1) === 1;
				if (goLeft) catBits[catStart[i] + (code >>> 5)] |= 1 << (code & 31);
			}
		}
		const leaves = new Int32Array(nLeaves);
		for (let i = 0, j = 0; i < n; i++) if (nodes.feature[i] < 0) leaves[j++] = i;
		const tree: Tree = {
			feature: nodes.feature.slice(0, n),
			threshold,
			left: nodes.left.slice(0, n),
			right: nodes.right.slice(0, n),
			defaultLeft: nodes.defaultLeft.slice(0, n),
			value,
			cover,
			gain: nodes.gain.slice(0, n),
			catStart,
			catWords,
			catBits: Uint32Array.from(catBits)
		};
		return {
			tree,
			binBits: nodes.binBits.slice(0, n * BITSET_WORDS),
			nodeStart: nodes.start.slice(0, n),
			nodeEnd: nodes.end.slice(0, n),
			leaves
		};
	}
}

/** features[0..nf) is 0, 1, …, nf − 1 (lets the histogram skip the feature list). */
function isIdentity(features: Int32Array, nf: number): boolean {
	for (let i = 0; i < nf; i++) if (features[i] !== i) return false;
	return true;
}

/** Leaf reached by one row of binned data, following the bin bitsets. */
export function leafOfBinnedRow(
	tree: Tree,
	binBits: Uint32Array,
	bins: Uint8Array[],
	row: number
): number {
	let node = 0;
	const feature = tree.feature;
	while (feature[node] >= 0) {
		const b = bins[feature[node]][row];
		const w = node * BITSET_WORDS + (b >>> 5);
		node = (binBits[w] >>> (b & 31)) & 1 ? tree.left[node] : tree.right[node];
	}
	return node;
}
