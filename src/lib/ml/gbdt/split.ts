/**
 * Best split of one node from its histogram. Gains use XGBoost's convention,
 * G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ). Numeric features are scanned twice, once with the
 * missing bin on each side, so the default direction for missing values is learned. Categorical
 * features either try each category against the rest (few categories) or sort categories by
 * G/(H + catSmooth) and scan prefixes from both ends, as LightGBM does.
 * The winner is written into slot-indexed typed arrays, including a 256-bit "goes left" bitset
 * over bins that partitioning and binned prediction share.
 */
import { FEATURE_SHIFT, type GradientPacking } from './histogram';
import type { TreeParams } from './types';

export const BITSET_WORDS = 8;

export class SplitStore {
	gain: Float64Array;
	feature: Int32Array;
	defaultLeft: Uint8Array;
	isCat: Uint8Array;
	/** Numeric: last bin going left. */
	bin: Int32Array;
	leftG: Float64Array;
	leftH: Float64Array;
	leftC: Float64Array;
	leftBins: Uint32Array;
	missingBin: Int32Array;

	constructor(capacity: number) {
		this.missingBin = new Int32Array(capacity);
		this.gain = new Float64Array(capacity);
		this.feature = new Int32Array(capacity);
		this.defaultLeft = new Uint8Array(capacity);
		this.isCat = new Uint8Array(capacity);
		this.bin = new Int32Array(capacity);
		this.leftG = new Float64Array(capacity);
		this.leftH = new Float64Array(capacity);
		this.leftC = new Float64Array(capacity);
		this.leftBins = new Uint32Array(capacity * BITSET_WORDS);
	}
}

export interface SplitContext {
	nBins: Int32Array;
	isCat: Uint8Array;
	params: TreeParams;
	constHessian: boolean;
	/** Histogram slots per bin (1: packed g + count; 2: plus Σh). */
	stride: number;
	/** Decodes packed gradient sums (set per tree). */
	pack: GradientPacking;
	/** One feature's bins decoded to (G, H, count): the scans below read these, not the packing. */
	bg: Float64Array;
	bh: Float64Array;
	bc: Float64Array;
	/** Scratch for categorical sorting (≤ 256 bins). */
	catIdx: number[];
	catKey: Float64Array;
}

export function makeSplitContext(
	nBins: Int32Array,
	isCat: Uint8Array,
	params: TreeParams,
	pack: GradientPacking
): SplitContext {
	return {
		nBins,
		isCat,
		params,
		constHessian: true,
		stride: 1,
		pack,
		bg: new Float64Array(256),
		bh: new Float64Array(256),
		bc: new Float64Array(256),
		catIdx: [],
		catKey: new Float64Array(256)
	};
}

/** Unpacks bins 0..nb (missing included) of feature f into ctx.bg / bh / bc. */
function decodeFeature(ctx: SplitContext, hist: Float64Array, f: number, nb: number): void {
	const { bg, bh, bc, stride, constHessian } = ctx;
	const { S, invS, invScale } = ctx.pack;
	const base = (f << FEATURE_SHIFT) * stride;
	for (let b = 0; b <= nb; b++) {
		const k = base + b * stride;
		const v = hist[k];
		// v = q·S + count with 0 ≤ count < S, both integers: floor(v / S) is q exactly.
		const q = Math.floor(v * invS);
		const c = v - q * S;
		bg[b] = q * invScale;
		bc[b] = c;
		bh[b] = constHessian ? c : hist[k + 1];
	}
}

/**
 * Finds the best split of a node with sums (G, H, C) over `features`; writes it at `slot` and
 * returns its gain (−Infinity when no split satisfies the constraints).
 */
export function findBestSplit(
	ctx: SplitContext,
	hist: Float64Array,
	features: Int32Array,
	nFeatures: number,
	G: number,
	H: number,
	C: number,
	out: SplitStore,
	slot: number
): number {
	const { params, nBins, bg, bh, bc } = ctx;
	const lambda = params.lambda;
	const minLeaf = params.minSamplesLeaf;
	const mcw = params.minChildWeight;
	const parent = (G * G) / (H + lambda);
	let best = -Infinity;
	out.gain[slot] = best;
	for (let fi = 0; fi < nFeatures; fi++) {
		const f = features[fi];
		const nb = nBins[f];
		decodeFeature(ctx, hist, f, nb);
		const gM = bg[nb];
		const cM = bc[nb];
		const hM = bh[nb];
		if (ctx.isCat[f]) {
			const g = findCategorical(ctx, f, G, H, C, gM, hM, cM, parent, best, out, slot);
			if (g > best) best = g;
			continue;
		}
		// Pass 0 sends missing values right (with none, the default side follows the larger
		// child); pass 1, only when there are missing values, sends them left.
		for (let pass = 0; pass < (cM > 0 ? 2 : 1); pass++) {
			let gl = pass ? gM : 0;
			let hl = pass ? hM : 0;
			let cl = pass ? cM : 0;
			// Pass 0 may put every real bin left ("missing or not"); pass 1 keeps one bin right.
			const last = pass === 0 && cM > 0 ? nb - 1 : nb - 2;
			for (let b = 0; b <= last; b++) {
				gl += bg[b];
				cl += bc[b];
				hl += bh[b];
				if (cl < minLeaf || hl < mcw) continue;
				const cr = C - cl;
				const hr = H - hl;
				if (cr < minLeaf || hr < mcw) break;
				const gr = G - gl;
				const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
				if (gain > best) {
					best = gain;
					const defaultLeft = pass ? 1 : cM > 0 ? 0 : cl >= cr ? 1 : 0;
					recordNumeric(out, slot, f, b, defaultLeft, gain, gl, hl, cl, nb);
				}
			}
		}
	}
	if (best > -Infinity && !out.isCat[slot]) finishNumeric(out, slot);
	return best;
}

function recordNumeric(
	out: SplitStore,
	slot: number,
	f: number,
	b: number,
	defaultLeft: number,
	gain: number,
	gl: number,
	hl: number,
	cl: number,
	missingBin: number
): void {
	out.gain[slot] = gain;
	out.feature[slot] = f;
	out.bin[slot] = b;
	out.isCat[slot] = 0;
	out.defaultLeft[slot] = defaultLeft;
	out.leftG[slot] = gl;
	out.leftH[slot] = hl;
	out.leftC[slot] = cl;
	out.missingBin[slot] = missingBin;
}

/** Writes the numeric winner's bitset once, not at every improvement during the scan. */
function finishNumeric(out: SplitStore, slot: number): void {
	const b = out.bin[slot];
	const missingBin = out.missingBin[slot];
	const w = slot * BITSET_WORDS;
	for (let i = 0; i < BITSET_WORDS; i++) out.leftBins[w + i] = 0;
	for (let i = 0; i <= b; i++) out.leftBins[w + (i >>> 5)] |= 1 << (i & 31);
	if (out.defaultLeft[slot]) out.leftBins[w + (missingBin >>> 5)] |= 1 << (missingBin & 31);
}

function findCategorical(
	ctx: SplitContext,
	f: number,
	G: number,
	H: number,
	C: number,
	gM: number,
	hM: number,
	cM: number,
	parent: number,
	bestSoFar: number,
	out: SplitStore,
	slot: number
): number {
	const { params, bg, bh, bc } = ctx;
	const nb = ctx.nBins[f];
	const idx = ctx.catIdx;
	idx.length = 0;
	for (let b = 0; b < nb; b++) if (bc[b] > 0) idx.push(b);
	const k = idx.length;
	if (k === 0 || (k === 1 && cM === 0)) return -Infinity;
	const lambda = params.lambda;
	let best = bestSoFar;
	let found = -Infinity;
	// Tries "the first `len` categories of idx, taken from `fromEnd`, go left", missing either side.
	const tryPrefix = (len: number, fromEnd: boolean): void => {
		let gl = 0;
		let hl = 0;
		let cl = 0;
		for (let i = 0; i < len; i++) {
			const bb = idx[fromEnd ? k - 1 - i : i];
			gl += bg[bb];
			cl += bc[bb];
			hl += bh[bb];
		}
		for (let m = 0; m < (cM > 0 ? 2 : 1); m++) {
			const g1 = m ? gl + gM : gl;
			const h1 = m ? hl + hM : hl;
			const c1 = m ? cl + cM : cl;
			const cr = C - c1;
			const hr = H - h1;
			if (c1 < params.minSamplesLeaf || cr < params.minSamplesLeaf) continue;
			if (h1 < params.minChildWeight || hr < params.minChildWeight) continue;
			const gr = G - g1;
			const gain = (g1 * g1) / (h1 + lambda) + (gr * gr) / (hr + lambda) - parent;
			if (gain > best) {
				best = gain;
				found = gain;
				out.gain[slot] = gain;
				out.feature[slot] = f;
				out.bin[slot] = -1;
				out.isCat[slot] = 1;
				out.defaultLeft[slot] = cM > 0 ? m : c1 >= cr ? 1 : 0;
				out.leftG[slot] = g1;
				out.leftH[slot] = h1;
				out.leftC[slot] = c1;
				const w = slot * BITSET_WORDS;
				for (let i = 0; i < BITSET_WORDS; i++) out.leftBins[w + i] = 0;
				for (let i = 0; i < len; i++) {
					const b = idx[fromEnd ? k - 1 - i : i];
					out.leftBins[w + (b >>> 5)] |= 1 << (b & 31);
				}
				if (out.defaultLeft[slot]) out.leftBins[w + (nb >>> 5)] |= 1 << (nb & 31);
			}
		}
	};
	if (k <= params.maxCatOneHot) {
		// One category against the rest: the bin at position i alone.
		for (let i = 0; i < k; i++) {
			const saved = idx[0];
			idx[0] = idx[i];
			idx[i] = saved;
			tryPrefix(1, false);
			idx[i] = idx[0];
			idx[0] = saved;
		}
		return found;
	}
	const key = ctx.catKey;
	const smooth = params.catSmooth;
	for (let i = 0; i < k; i++) {
		const bb = idx[i];
		key[bb] = bg[bb] / (bh[bb] + smooth);
	}
	idx.sort((a, b) => key[a] - key[b] || a - b);
	const maxLen = Math.min(params.maxCatThreshold, k - 1);
	for (let len = 1; len <= maxLen; len++) {
		tryPrefix(len, false);
		tryPrefix(len, true);
	}
	return found;
}
