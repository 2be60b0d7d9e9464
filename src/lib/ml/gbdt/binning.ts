/**
 * Quantile binning, done once before training: every feature becomes a Uint8Array of bin indices
 * so histograms are small and the hot loops read bytes, not doubles. Numeric bins follow
 * scikit-learn's HistGradientBoosting (midpoints between distinct values, or midpoint
 * percentiles of a sample); missing values get their own bin after the value bins.
 * Categorical features keep their most frequent categories as bins; the rest share the missing
 * bin, as LightGBM lumps rare categories together.
 */
import { MISSING_CODE, type Frame } from '../frame';
import { createRng } from '../random';
import type { FeatureInfo } from './types';

export const MAX_BINS = 255;
/** Above this many rows, bin edges come from a seeded sample, as scikit-learn does. */
const BINNING_SAMPLE = 200_000;

export interface FeatureBins {
	info: FeatureInfo;
	/** Number of value bins; the missing bin's index is nBins. */
	nBins: number;
	/** Numeric: upper edge of each value bin but the last (x ≤ edges[b] → bin ≤ b). */
	edges: Float64Array;
	/** Categorical: bin of each category code, −1 for categories sent to the missing bin. */
	codeToBin: Int32Array;
	/** Categorical: category code of each bin. */
	binToCode: Int32Array;
}

export interface Binner {
	features: FeatureBins[];
}

export interface BinnedData {
	nRows: number;
	/** One column of bin indices per feature. */
	bins: Uint8Array[];
	/** Missing bin of each feature (= its nBins). */
	missingBin: Int32Array;
}

function numericEdges(values: Float64Array, maxBins: number, seed: number): Float64Array {
	let sample: Float64Array;
	const n = values.length;
	if (n > BINNING_SAMPLE) {
		const rng = createRng(seed);
		sample = new Float64Array(BINNING_SAMPLE);
		let m = 0;
		for (let i = 0; i < BINNING_SAMPLE; i++) {
			const v = values[rng.int(n)];
			if (v === v) sample[m++] = v;
		}
		sample = sample.subarray(0, m);
	} else {
		sample = new Float64Array(n);
		let m = 0;
		for (let i = 0; i < n; i++) {
			const v = values[i];
			if (v === v) sample[m++] = v;
		}
		sample = sample.subarray(0, m);
	}
	sample.sort();
	const m = sample.length;
	if (m === 0) return new Float64Array(0);
	const distinct: number[] = [sample[0]];
	for (let i = 1; i < m && distinct.length <= maxBins; i++) {
		if (sample[i] !== sample[i - 1]) distinct.push(sample[i]);
	}
	if (distinct.length <= maxBins) {
		const edges = new Float64Array(distinct.length - 1);
		for (let i = 0; i + 1 < distinct.length; i++) edges[i] = (distinct[i] + distinct[i + 1]) / 2;
		return edges;
	}
	// numpy's percentile(method="midpoint") at linspace(0, 100, maxBins + 1)[1:-1].
	const out: number[] = [];
	for (let j = 1; j < maxBins; j++) {
		const pos = (j / maxBins) * (m - 1);
		const lo = Math.floor(pos);
		const hi = Math.ceil(pos);
		const e = (sample[lo] + sample[hi]) / 2;
		if (out.length === 0 || e > out[out.length - 1]) out.push(e);
	}
	return Float64Array.from(out);
}

/** Learns bin edges and category bins from the training frame. */
export function fitBinner(frame: Frame, maxBins = MAX_BINS, seed = 0): Binner {
	if (maxBins < 2 || maxBins > MAX_BINS) throw new RangeError(`maxBins must be 2..${MAX_BINS}.`);
	const features: FeatureBins[] = frame.columns.map((c, j) => {
		if (c.kind === 'numeric') {
			const edges = numericEdges(c.values, maxBins, seed + j);
			return {
				info: { name: c.name, kind: 'numeric' },
				nBins: edges.length + 1,
				edges,
				codeToBin: new Int32Array(0),
				binToCode: new Int32Array(0)
			};
		}
		const k = c.dictionary.length;
		const counts = new Float64Array(k);
		for (let i = 0; i < c.codes.length; i++) {
			const code = c.codes[i];
			if (code !== MISSING_CODE && code < k) counts[code]++;
		}
		// Most frequent first, ties by code, so the kept set is deterministic.
		const order = Array.from({ length: k }, (_, i) => i).filter((i) => counts[i] > 0);
		order.sort((a, b) => counts[b] - counts[a] || a - b);
		const kept = order.slice(0, maxBins).sort((a, b) => a - b);
		const codeToBin = new Int32Array(k).fill(-1);
		kept.forEach((code, b) => (codeToBin[code] = b));
		return {
			info: { name: c.name, kind: 'categorical', categories: c.dictionary.slice() },
			nBins: Math.max(1, kept.length),
			edges: new Float64Array(0),
			codeToBin,
			binToCode: Int32Array.from(kept)
		};
	});
	return { features };
}

function binOf(edges: Float64Array, v: number): number {
	// First edge ≥ v (searchsorted side="left"), by bisection over ≤ 254 edges.
	let lo = 0;
	let hi = edges.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (edges[mid] < v) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Bins a frame with the training binner. Columns are matched by name, so a scoring frame may
 * order them differently; categorical codes are matched by category text.
 */
export function binFrame(binner: Binner, frame: Frame): BinnedData {
	const n = frame.nRows;
	const missingBin = new Int32Array(binner.features.length);
	const bins = binner.features.map((fb, j) => {
		const col = frame.columns.find((c) => c.name === fb.info.name);
		if (!col) throw new RangeError(`The data has no column named "${fb.info.name}".`);
		const out = new Uint8Array(n);
		const miss = fb.nBins;
		missingBin[j] = miss;
		if (fb.info.kind === 'numeric') {
			if (col.kind !== 'numeric') throw new TypeError(`Column "${col.name}" must be numeric.`);
			const v = col.values;
			const e = fb.edges;
			for (let i = 0; i < n; i++) {
				const x = v[i];
				out[i] = x === x ? binOf(e, x) : miss;
			}
			return out;
		}
		if (col.kind !== 'categorical') {
			throw new TypeError(`Column "${col.name}" must be categorical.`);
		}
		const remap = categoryRemap(fb.info.categories ?? [], col.dictionary);
		for (let i = 0; i < n; i++) {
			const code = col.codes[i];
			const t = code === MISSING_CODE || code >= remap.length ? -1 : remap[code];
			const b = t < 0 ? -1 : fb.codeToBin[t];
			out[i] = b < 0 ? miss : b;
		}
		return out;
	});
	return { nRows: n, bins, missingBin };
}

/** Maps codes of `dictionary` to codes of the training `categories` (−1 = unseen). */
export function categoryRemap(categories: string[], dictionary: string[]): Int32Array {
	const index = new Map<string, number>();
	categories.forEach((c, i) => index.set(c, i));
	const remap = new Int32Array(dictionary.length);
	for (let i = 0; i < dictionary.length; i++) remap[i] = index.get(dictionary[i]) ?? -1;
	return remap;
}

/** Histogram layout: each feature's bins (values + missing) at offset[f], 3 slots per bin. */
export function histogramOffsets(binner: Binner): { offsets: Int32Array; totalBins: number } {
	const offsets = new Int32Array(binner.features.length);
	let total = 0;
	binner.features.forEach((fb, j) => {
		offsets[j] = total;
		total += fb.nBins + 1;
	});
	return { offsets, totalBins: total };
}
