/**
 * What a model was trained on, kept with it: a digest to recognise the same rows later ("this
 * model was trained on exactly this data") and per-feature distributions for drift checks.
 */
import { AppException } from '../../errors';
import { getColumn, MISSING_CODE, type Column, type Frame } from '../frame';
import type { FeatureDistribution } from './types';

/*
 * The digest runs two independent 32-bit lanes over a stream of 32-bit words — a MurmurHash3
 * body step and an xxHash32 round — giving 64 bits. Each step is a bijection of the lane state
 * and of the word, so changing a single word always changes the digest. Word-at-a-time Math.imul hashes 1M × 20
 * doubles in about 0.3 s of CPU; byte-wise FNV-1a would need eight 64-bit multiplies (done in
 * 16-bit limbs) per value. It is not cryptographic: it recognises data, it does not protect it.
 */

function laneA(h: number, w: number): number {
	let k = Math.imul(w, 0xcc9e2d51);
	k = (k << 15) | (k >>> 17);
	k = Math.imul(k, 0x1b873593);
	h ^= k;
	h = (h << 13) | (h >>> 19);
	return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function laneB(h: number, w: number): number {
	h = (h + Math.imul(w, 0x85ebca77)) | 0;
	h = (h << 13) | (h >>> 19);
	return Math.imul(h, 0x9e3779b1);
}

function fmix(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	return (h ^ (h >>> 16)) >>> 0;
}

/** Running state of both lanes plus the word count (mixed in at the end, as in Murmur3). */
interface State {
	a: number;
	b: number;
	words: number;
}

function feedString(s: State, text: string): void {
	let a = s.a;
	let b = s.b;
	a = laneA(a, text.length);
	b = laneB(b, text.length);
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		a = laneA(a, c);
		b = laneB(b, c);
	}
	s.a = a;
	s.b = b;
	s.words += text.length + 1;
}

/** Two words per label, so a row costs the same whatever the label's length. */
function labelHashes(dictionary: string[]): { x: Uint32Array; y: Uint32Array } {
	const x = new Uint32Array(dictionary.length);
	const y = new Uint32Array(dictionary.length);
	for (let i = 0; i < dictionary.length; i++) {
		const s: State = { a: 0x2545f491, b: 0x6a09e667, words: 0 };
		feedString(s, dictionary[i]);
		x[i] = fmix(s.a ^ s.words);
		y[i] = fmix(s.b ^ s.words);
	}
	return { x, y };
}

const NAN_HI = 0x7ff80000;
/** Stands for a missing category; a label hashing to exactly this pair is a 2^-64 accident. */
const MISSING_X = 0xdeadbeef;
const MISSING_Y = 0x0badf00d;

function feedNumeric(s: State, values: Float64Array, rows: ArrayLike<number> | undefined): void {
	// Little-endian word order (every platform a browser runs on): word 2i is the low half.
	const u = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
	let a = s.a;
	let b = s.b;
	const n = rows ? rows.length : values.length;
	for (let i = 0; i < n; i++) {
		const r = rows ? rows[i] : i;
		let lo = u[2 * r];
		let hi = u[2 * r + 1];
		// All NaNs are one "missing"; -0 is 0, as a CSV round trip would make it. Both tests
		// are on the bits, so the common case costs two predictable branches.
		if ((hi & 0x7ff00000) === 0x7ff00000) {
			if ((hi & 0xfffff) !== 0 || lo !== 0) {
				lo = 0;
				hi = NAN_HI;
			}
		} else if (hi === 0x80000000 && lo === 0) hi = 0;
		a = laneB(laneA(a, lo), hi);
		b = laneA(laneB(b, lo), hi);
	}
	s.a = a;
	s.b = b;
	s.words += 2 * n;
}

function feedCategorical(
	s: State,
	codes: Uint32Array,
	dictionary: string[],
	rows: ArrayLike<number> | undefined
): void {
	const { x, y } = labelHashes(dictionary);
	const n = rows ? rows.length : codes.length;
	let a = s.a;
	let b = s.b;
	for (let i = 0; i < n; i++) {
		const c = codes[rows ? rows[i] : i];
		const w1 = c === MISSING_CODE ? MISSING_X : x[c];
		const w2 = c === MISSING_CODE ? MISSING_Y : y[c];
		a = laneB(laneA(a, w1), w2);
		b = laneA(laneB(b, w1), w2);
	}
	s.a = a;
	s.b = b;
	s.words += 2 * n;
}

function requireColumn(frame: Frame, name: string): Column {
	const c = getColumn(frame, name);
	if (!c) {
		throw new AppException({
			code: 'column-missing',
			message: `The column "${name}" is not in this data.`,
			details: { column: name }
		});
	}
	return c;
}

export function fingerprint(frame: Frame, columns: string[], rows?: ArrayLike<number>): string {
	const s: State = { a: 0x811c9dc5, b: 0x01000193, words: 0 };
	const n = rows ? rows.length : frame.nRows;
	s.a = laneA(s.a, n);
	s.b = laneB(s.b, n);
	s.words++;
	for (const name of columns) {
		const c = requireColumn(frame, name);
		// The kind tag keeps a numeric column apart from a categorical one with the same words.
		s.a = laneA(s.a, c.kind === 'numeric' ? 1 : 2);
		s.b = laneB(s.b, c.kind === 'numeric' ? 1 : 2);
		s.words++;
		feedString(s, name);
		if (c.kind === 'numeric') feedNumeric(s, c.values, rows);
		else feedCategorical(s, c.codes, c.dictionary, rows);
	}
	// Cross the lanes before the final mix so neither half is readable from the other alone.
	const a = fmix(s.a ^ s.words ^ Math.imul(s.b, 0x27d4eb2f));
	const b = fmix(s.b ^ s.words ^ a);
	return hex8(a) + hex8(b);
}

const hex8 = (x: number): string => (x >>> 0).toString(16).padStart(8, '0');

/**
 * numpy's default ('linear') quantile, including its lerp that turns around at t ≥ 0.5. Reads
 * only the two ranks around (n − 1)·q, so `sorted` may be partly ordered (see selectRanks).
 */
export function numpyQuantile(sorted: Float64Array, q: number): number {
	const n = sorted.length;
	if (n === 0) return NaN;
	const virtual = (n - 1) * q;
	const prev = Math.min(n - 1, Math.max(0, Math.floor(virtual)));
	const next = Math.min(n - 1, prev + 1);
	const t = virtual - Math.floor(virtual);
	const lo = sorted[prev];
	const hi = sorted[next];
	const diff = hi - lo;
	// Neighbours of opposite sign near ±1.8e308 overflow the difference; blend them instead.
	if (!Number.isFinite(diff)) return t === 0 ? lo : lo * (1 - t) + hi * t;
	return t >= 0.5 ? hi - diff * (1 - t) : lo + diff * t;
}

/** 0, 10, …, 100 % as numpy gets them from percentiles (k·10 / 100, the same doubles). */
const LEVELS = Array.from({ length: 11 }, (_, k) => (k * 10) / 100);

/**
 * Puts the values of the given ranks (ascending) where a full sort would, in place. A
 * quickselect over several ranks at once: a million values take a few linear passes instead of
 * a sort, which matters with twenty features.
 */
export function selectRanks(a: Float64Array, ranks: number[]): void {
	selectRange(a, 0, a.length - 1, ranks, 0, ranks.length);
}

function selectRange(
	a: Float64Array,
	lo: number,
	hi: number,
	ks: number[],
	kl: number,
	kr: number
): void {
	while (kl < kr && lo < hi) {
		if (hi - lo < 16) {
			for (let i = lo + 1; i <= hi; i++) {
				const v = a[i];
				let j = i - 1;
				while (j >= lo && a[j] > v) a[j + 1] = a[j--];
				a[j + 1] = v;
			}
			return;
		}
		const x = a[lo];
		const y = a[(lo + hi) >>> 1];
		const z = a[hi];
		// Median of three: sorted or reversed input (marks exported by rank) stays linear.
		const p = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
		let i = lo;
		let j = hi;
		while (i <= j) {
			while (a[i] < p) i++;
			while (a[j] > p) j--;
			if (i <= j) {
				const t = a[i];
				a[i++] = a[j];
				a[j--] = t;
			}
		}
		// Now a[lo..j] ≤ p ≤ a[i..hi] and everything between equals p: those ranks are done.
		let m = kl;
		while (m < kr && ks[m] <= j) m++;
		let r = m;
		while (r < kr && ks[r] < i) r++;
		if (j - lo < hi - i) {
			selectRange(a, lo, j, ks, kl, m);
			lo = i;
			kl = r;
		} else {
			selectRange(a, i, hi, ks, r, kr);
			hi = j;
			kr = m;
		}
	}
}

const BINS = 20;

/** Equal-width bins like numpy.histogram (last bin closed); all-equal values make one bin. */
export function equalWidthHistogram(
	values: Float64Array,
	min: number,
	max: number
): { edges: number[]; counts: number[] } {
	const n = values.length;
	if (n === 0) return { edges: [], counts: [] };
	if (!(max > min)) return { edges: [min, max], counts: [n] };
	// Edges as numpy.linspace makes them (i·step + min, last = max), then numpy's edge checks.
	const step = (max - min) / BINS;
	const edges = new Float64Array(BINS + 1);
	for (let i = 0; i <= BINS; i++) edges[i] = i * step + min;
	edges[BINS] = max;
	const counts = new Float64Array(BINS);
	const span = max - min;
	for (let i = 0; i < n; i++) {
		const v = values[i];
		let k = Math.trunc(((v - min) / span) * BINS);
		if (k >= BINS) k = BINS - 1;
		if (v < edges[k]) k--;
		else if (k !== BINS - 1 && v >= edges[k + 1]) k++;
		counts[k]++;
	}
	return { edges: Array.from(edges), counts: Array.from(counts) };
}

const TOP_CATEGORIES = 50;
export const OTHER_LABEL = '(other)';

function numericDistribution(
	name: string,
	values: Float64Array,
	rows: ArrayLike<number> | undefined
): FeatureDistribution {
	const n = rows ? rows.length : values.length;
	// Infinities count as missing: JSON cannot hold them and drift tests need finite numbers.
	const buf = new Float64Array(n);
	let m = 0;
	let min = Infinity;
	let max = -Infinity;
	for (let i = 0; i < n; i++) {
		// + 0 turns -0 into 0: JSON writes -0 as 0, and a stored model must read back equal.
		const v = values[rows ? rows[i] : i] + 0;
		if (!Number.isFinite(v)) continue;
		buf[m++] = v;
		if (v < min) min = v;
		if (v > max) max = v;
	}
	const base = { name, kind: 'numeric' as const, missingRate: n > 0 ? (n - m) / n : 0 };
	if (m === 0) {
		// Placeholders, not measurements: count 0 says so, and NaN would not survive JSON.
		const histogram = { edges: [], counts: [] };
		return { ...base, count: 0, mean: 0, std: 0, min: 0, max: 0, quantiles: [], histogram };
	}
	const present = buf.subarray(0, m);
	// Squares overflow past ~1e154: dividing by the largest magnitude keeps any finite column's
	// figures finite (JSON-safe), and everyday columns divide by 1, which is exact.
	const big = Math.max(-min, max);
	const scale = big > 1e150 ? big : 1;
	let sum = 0;
	for (let i = 0; i < m; i++) sum += present[i] / scale;
	const mean = sum / m;
	let ss = 0;
	for (let i = 0; i < m; i++) ss += (present[i] / scale - mean) * (present[i] / scale - mean);
	const ranks = new Set<number>();
	for (const q of LEVELS) {
		const v = (m - 1) * q;
		ranks.add(Math.floor(v));
		ranks.add(Math.min(m - 1, Math.floor(v) + 1));
	}
	selectRanks(
		present,
		[...ranks].sort((x, y) => x - y)
	);
	const quantiles = LEVELS.map((q) => numpyQuantile(present, q));
	let histogram: { edges: number[]; counts: number[] };
	if (scale === 1) histogram = equalWidthHistogram(present, min, max);
	else {
		for (let i = 0; i < m; i++) present[i] /= scale;
		const h = equalWidthHistogram(present, min / scale, max / scale);
		const edges = h.edges.map((e) => e * scale);
		edges[0] = min;
		edges[edges.length - 1] = max;
		histogram = { edges, counts: h.counts };
	}
	const std = Math.sqrt(ss / m) * scale;
	return { ...base, count: m, mean: mean * scale, std, min, max, quantiles, histogram };
}

function distribution(
	c: Column,
	rows: ArrayLike<number> | undefined,
	total: number
): FeatureDistribution {
	if (c.kind === 'numeric') return numericDistribution(c.name, c.values, rows);
	const n = rows ? rows.length : total;
	const counts = new Float64Array(c.dictionary.length);
	let missing = 0;
	for (let i = 0; i < n; i++) {
		const code = c.codes[rows ? rows[i] : i];
		if (code === MISSING_CODE) missing++;
		else counts[code]++;
	}
	const present = n - missing;
	const used: number[] = [];
	for (let k = 0; k < counts.length; k++) if (counts[k] > 0) used.push(k);
	const label = c.dictionary;
	used.sort(
		(p, q) => counts[q] - counts[p] || (label[p] < label[q] ? -1 : label[p] > label[q] ? 1 : 0)
	);
	const categories = used
		.slice(0, TOP_CATEGORIES)
		.map((k) => ({ label: label[k], share: counts[k] / present }));
	if (used.length > TOP_CATEGORIES) {
		let rest = 0;
		for (let j = TOP_CATEGORIES; j < used.length; j++) rest += counts[used[j]];
		categories.push({ label: OTHER_LABEL, share: rest / present });
	}
	return {
		name: c.name,
		kind: 'categorical',
		count: present,
		missingRate: n > 0 ? missing / n : 0,
		categories
	};
}

export function featureDistributions(
	frame: Frame,
	features: string[],
	rows?: ArrayLike<number>
): FeatureDistribution[] {
	return features.map((name) => distribution(requireColumn(frame, name), rows, frame.nRows));
}
