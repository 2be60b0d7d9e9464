/**
 * Column profiles for the dataset page: what a teacher needs to see at a glance (how many are
 * missing, the spread, the usual values) and what a data scientist checks before modelling.
 * One pass per column over typed arrays, plus one sort for the quantiles.
 */
import { MISSING_CODE, type Column, type ColumnType } from '../frame';
import { moments } from './moments';

export interface HistogramBin {
	/** Inclusive lower edge; the last bin also includes its upper edge. */
	x0: number;
	x1: number;
	count: number;
}

export interface NumericProfile {
	kind: 'numeric';
	name: string;
	type: ColumnType;
	n: number;
	missing: number;
	min: number;
	max: number;
	mean: number;
	/** Sample standard deviation (n - 1), NaN below two values. */
	std: number;
	q25: number;
	median: number;
	q75: number;
	/** Distinct values, counted exactly up to DISTINCT_CAP, then reported as the cap. */
	distinct: number;
	histogram: HistogramBin[];
}

export interface CategoryCount {
	value: string;
	count: number;
}

export interface CategoricalProfile {
	kind: 'categorical';
	name: string;
	type: ColumnType;
	n: number;
	missing: number;
	distinct: number;
	/** The most frequent values, most frequent first (ties by first appearance). */
	top: CategoryCount[];
	/** Rows holding a value outside `top`. */
	otherCount: number;
}

export type ColumnProfile = NumericProfile | CategoricalProfile;

export const DISTINCT_CAP = 100_000;

/** Linear interpolation between order statistics (type 7, as numpy and R default). */
export function quantileSorted(sorted: Float64Array, q: number): number {
	const n = sorted.length;
	if (n === 0) return NaN;
	const h = (n - 1) * q;
	const lo = Math.floor(h);
	const hi = Math.min(n - 1, lo + 1);
	return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** A "nice" step (1, 2 or 5 × 10^k) giving about `count` bins over [min, max]. */
export function niceStep(min: number, max: number, count: number): number {
	const span = max - min;
	if (!(span > 0)) return 1;
	const raw = span / Math.max(1, count);
	const mag = 10 ** Math.floor(Math.log10(raw));
	const norm = raw / mag;
	const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
	return nice * mag;
}

/**
 * Bins on nice boundaries. Integer columns with few distinct values get one bin per value, so
 * "year of study" shows bars for 1, 2, 3, 4 rather than 1–1.5, 1.5–2, …
 */
export function histogram(
	values: Float64Array,
	min: number,
	max: number,
	opts: { bins?: number; integer?: boolean } = {}
): HistogramBin[] {
	if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
	const target = opts.bins ?? 20;
	let step: number;
	let start: number;
	if (opts.integer && max - min + 1 <= target) {
		step = 1;
		start = min - 0.5;
	} else {
		step = niceStep(min, max, target);
		start = Math.floor(min / step) * step;
		// min / step can underflow to -0 for tiny negatives; the first edge must not pass min.
		if (start > min) start -= step;
		// Spans near the limits of double precision (subnormals) give a zero or useless step.
		if (!(step > 0) || !Number.isFinite(start) || start + step === start) {
			let count = 0;
			for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) count++;
			return [{ x0: min, x1: max, count }];
		}
	}
	const nBins = Math.max(1, Math.ceil((max - start) / step + 1e-9));
	// max exactly on an edge belongs to the last bin, not a new one.
	const bins = new Float64Array(nBins);
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (Number.isNaN(v)) continue;
		let b = Math.floor((v - start) / step);
		if (b >= nBins) b = nBins - 1;
		if (b < 0) b = 0;
		bins[b]++;
	}
	const out: HistogramBin[] = [];
	for (let b = 0; b < nBins; b++) {
		out.push({ x0: start + b * step, x1: start + (b + 1) * step, count: bins[b] });
	}
	return out;
}

export function profileColumn(
	c: Column,
	opts: { bins?: number; top?: number } = {}
): ColumnProfile {
	if (c.kind === 'numeric') return profileNumeric(c.name, c.type, c.values, opts.bins);
	const counts = new Float64Array(c.dictionary.length);
	let missing = 0;
	for (let i = 0; i < c.codes.length; i++) {
		const code = c.codes[i];
		if (code === MISSING_CODE) missing++;
		else counts[code]++;
	}
	const used: number[] = [];
	for (let k = 0; k < counts.length; k++) if (counts[k] > 0) used.push(k);
	used.sort((a, b) => counts[b] - counts[a] || a - b);
	const topN = opts.top ?? 12;
	const top = used.slice(0, topN).map((k) => ({ value: c.dictionary[k], count: counts[k] }));
	const shown = top.reduce((s, t) => s + t.count, 0);
	return {
		kind: 'categorical',
		name: c.name,
		type: c.type,
		n: c.codes.length,
		missing,
		distinct: used.length,
		top,
		otherCount: c.codes.length - missing - shown
	};
}

function profileNumeric(
	name: string,
	type: ColumnType,
	values: Float64Array,
	bins?: number
): NumericProfile {
	const { n, min, max, mean, m2 } = moments(values);
	const present = new Float64Array(n);
	let j = 0;
	for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) present[j++] = values[i];
	present.sort();
	let distinct = 0;
	for (let i = 0; i < n && distinct < DISTINCT_CAP; i++) {
		if (i === 0 || present[i] !== present[i - 1]) distinct++;
	}
	return {
		kind: 'numeric',
		name,
		type,
		n: values.length,
		missing: values.length - n,
		min: n ? min : NaN,
		max: n ? max : NaN,
		mean: n ? mean : NaN,
		std: n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN,
		q25: quantileSorted(present, 0.25),
		median: quantileSorted(present, 0.5),
		q75: quantileSorted(present, 0.75),
		distinct,
		histogram: n
			? histogram(present, min, max, {
					bins,
					integer: type === 'integer' || type === 'boolean'
				})
			: []
	};
}
