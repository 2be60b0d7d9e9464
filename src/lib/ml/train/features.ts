/**
 * Which columns to offer as features by default, and which of the chosen ones probably leak the
 * target. A leak makes cross-validation look excellent and the model useless in class: the
 * teacher predicts final marks in week 6, when "final_grade" does not exist yet. We flag rather
 * than remove (the teacher may know better), and say why in one plain sentence.
 */
import {
	getColumn,
	MISSING_CODE,
	type Column,
	type ColumnRole,
	type ColumnType,
	type Frame
} from '../frame';
import type { LeakageFlag, TargetDerivation } from './types';

export interface ColumnInfo {
	name: string;
	role: ColumnRole;
	type: ColumnType;
}

const words = (list: string): ReadonlySet<string> => new Set(list.split(' '));

/** Words that say what kind of number a column is, not what it measures. */
const MEASURE = words(
	'mark score grade result outcome exam pct percent percentage point total value band letter level rank raw scaled adjusted rounded category status pass passed fail failed'
);

/** Words that place a column before the outcome, so sharing a stem with it is no leak. */
const BEFORE = words(
	'midterm mid midsem interim previous prev prior past last earlier entry baseline quiz predicted expected forecast target mock'
);

/** Words that place a column after the outcome. */
const AFTER = words(
	'final result outcome passed pass fail failed grade graduated graduation dropout withdrawn'
);

/** A target measured at the end (a final mark, an exam, a grade), which AFTER columns give away. */
const OUTCOME_TARGET = new Set([...AFTER, 'exam', 'score', 'mark', 'gpa', 'cgpa']);

/** "FinalExam_Marks", "final exam marks" and "final-exam-mark" all give [final, exam, mark]. */
export function nameTokens(name: string): string[] {
	const raw = name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter((t) => t.length > 0);
	const out: string[] = [];
	for (let i = 0; i < raw.length; i++) {
		// "mid term" and "mid-sem" are the same word as "midterm" for our purposes.
		if (raw[i] === 'mid' && (raw[i + 1] === 'term' || raw[i + 1] === 'sem')) {
			out.push(raw[i + 1] === 'term' ? 'midterm' : 'midsem');
			i++;
			continue;
		}
		out.push(singular(raw[i]));
	}
	return out;
}

function singular(t: string): string {
	// Not "previous", "status", "class" or "analysis": only a plain plural -s is dropped.
	return t.length > 3 && t.endsWith('s') && !/(ss|us|is)$/.test(t) ? t.slice(0, -1) : t;
}

const stem = (tokens: string[]): string[] => tokens.filter((t) => !MEASURE.has(t));

/**
 * True when `feature` looks like `target` in another form: the same words up to what kind of
 * number it is (final_marks → final_grade, final_exam → final_exam_pct), or the same name spelt
 * differently. A word like "midterm" or "previous" that the target lacks makes it a different,
 * earlier measurement.
 */
export function isDerivativeName(feature: string, target: string): boolean {
	const f = nameTokens(feature);
	const t = nameTokens(target);
	if (f.join(' ') === t.join(' ')) return f.length > 0;
	if (f.some((w) => BEFORE.has(w) && !t.includes(w))) return false;
	const fs = stem(f);
	const ts = stem(t);
	if (fs.length > 0 || ts.length > 0) return fs.join(' ') === ts.join(' ');
	// Both names are only measure words (exam_score vs exam_grade): any shared word links them.
	return f.some((w) => t.includes(w));
}

/** True when `feature` sounds known only after the outcome that `target` measures. */
export function isAfterOutcomeName(feature: string, target: string): boolean {
	const f = nameTokens(feature);
	if (!nameTokens(target).some((w) => OUTCOME_TARGET.has(w))) return false;
	return f.some((w) => AFTER.has(w)) && !f.some((w) => BEFORE.has(w));
}

const EXCLUDED_TYPES: ReadonlySet<ColumnType> = new Set<ColumnType>(['identifier', 'text']);

export function defaultFeatures(
	columns: ColumnInfo[],
	target: string,
	derive?: TargetDerivation | null
): string[] {
	const source = derive?.source ?? null;
	return columns
		.filter(
			(c) =>
				c.role === 'feature' &&
				!EXCLUDED_TYPES.has(c.type) &&
				c.name !== target &&
				c.name !== source &&
				!isDerivativeName(c.name, target) &&
				// A derived grade's source is the real target: its other forms leak just the same.
				!(source !== null && isDerivativeName(c.name, source))
		)
		.map((c) => c.name);
}

export interface LeakageOptions {
	/** |correlation| or association above which a feature is flagged; default 0.9. */
	threshold?: number;
	/** Rows to measure on (the labelled training rows); default all. */
	rows?: ArrayLike<number>;
}

/** Fewer pairs than this and a correlation says nothing. */
const MIN_PAIRS = 10;
/**
 * A category with about one row per level "explains" any target perfectly (each level gets its
 * own mean), so η and Cramér's V are only measured when levels average at least 5 rows.
 */
const MIN_ROWS_PER_LEVEL = 5;

interface Measure {
	value: number;
	/** Pearson's r keeps its sign; the association measures are in [0, 1]. */
	signed: boolean;
}

export function detectLeakage(
	frame: Frame,
	target: string,
	features: string[],
	opts: LeakageOptions = {}
): LeakageFlag[] {
	const threshold = opts.threshold ?? 0.9;
	const targetCol = getColumn(frame, target);
	const idx = opts.rows ?? identity(frame.nRows);
	const flags: LeakageFlag[] = [];
	const seen = new Set<string>();
	for (const name of features) {
		if (name === target || seen.has(name)) continue;
		seen.add(name);
		const col = getColumn(frame, name);
		const m = col && targetCol ? association(col, targetCol, idx) : null;
		const strength = m ? Math.abs(m.value) : null;
		const flag = (kind: LeakageFlag['kind'], message: string): void => {
			flags.push({ column: name, kind, strength, message });
		};
		if (m && strength !== null && strength > threshold) {
			flag('correlation', correlationMessage(name, target, m));
		} else if (isDerivativeName(name, target)) {
			flag('name', nameMessage(name, target));
		} else if (isAfterOutcomeName(name, target)) {
			flag('after-outcome', afterMessage(name, target));
		}
	}
	const kindRank = { correlation: 0, name: 1, 'after-outcome': 2 } as const;
	return flags.sort(
		(a, b) =>
			(b.strength ?? -1) - (a.strength ?? -1) ||
			kindRank[a.kind] - kindRank[b.kind] ||
			(a.column < b.column ? -1 : a.column > b.column ? 1 : 0)
	);
}

function identity(n: number): Uint32Array {
	const out = new Uint32Array(n);
	for (let i = 0; i < n; i++) out[i] = i;
	return out;
}

/** Pearson's r, the correlation ratio η or Cramér's V, whichever fits the two column kinds. */
function association(feature: Column, target: Column, idx: ArrayLike<number>): Measure | null {
	if (feature.kind === 'numeric' && target.kind === 'numeric') {
		const r = pearson(feature.values, target.values, idx);
		return r === null ? null : { value: r, signed: true };
	}
	let v: number | null;
	if (feature.kind === 'numeric' && target.kind === 'categorical') {
		v = eta(feature.values, target.codes, target.dictionary.length, idx);
	} else if (feature.kind === 'categorical' && target.kind === 'numeric') {
		v = eta(target.values, feature.codes, feature.dictionary.length, idx);
	} else if (feature.kind === 'categorical' && target.kind === 'categorical') {
		v = cramersV(
			feature.codes,
			feature.dictionary.length,
			target.codes,
			target.dictionary.length,
			idx
		);
	} else {
		v = null;
	}
	return v === null ? null : { value: v, signed: false };
}

function pearson(x: Float64Array, y: Float64Array, idx: ArrayLike<number>): number | null {
	let n = 0;
	let sx = 0;
	let sy = 0;
	for (let i = 0; i < idx.length; i++) {
		const a = x[idx[i]];
		const b = y[idx[i]];
		if (a !== a || b !== b) continue;
		n++;
		sx += a;
		sy += b;
	}
	if (n < MIN_PAIRS) return null;
	const mx = sx / n;
	const my = sy / n;
	// Centred second pass: marks near 50 ± 0.01 would lose their digits in raw sums of squares.
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < idx.length; i++) {
		const a = x[idx[i]];
		const b = y[idx[i]];
		if (a !== a || b !== b) continue;
		const da = a - mx;
		const db = b - my;
		sxy += da * db;
		sxx += da * da;
		syy += db * db;
	}
	const r = sxy / Math.sqrt(sxx * syy);
	// Constant columns (0/0) and overflowing or infinite values (∞/∞) measure nothing.
	return Number.isFinite(r) && sxx > 0 && syy > 0 ? Math.max(-1, Math.min(1, r)) : null;
}

/** Maps the codes that occur on the measured rows to 0..k-1, so tables are sized by use, not dictionary. */
function compact(dictSize: number): { map: Int32Array; k: number } {
	return { map: new Int32Array(dictSize).fill(-1), k: 0 };
}

/** Correlation ratio η of `values` grouped by `codes`: sqrt(between-group / total variation). */
function eta(
	values: Float64Array,
	codes: Uint32Array,
	dictSize: number,
	idx: ArrayLike<number>
): number | null {
	// Indexed by code, not compacted: one pass, and a dictionary's size is memory we can afford.
	const sums = new Float64Array(dictSize);
	const counts = new Float64Array(dictSize);
	let n = 0;
	let total = 0;
	for (let i = 0; i < idx.length; i++) {
		const v = values[idx[i]];
		const c = codes[idx[i]];
		if (v !== v || c === MISSING_CODE) continue;
		sums[c] += v;
		counts[c]++;
		total += v;
		n++;
	}
	let levels = 0;
	for (let j = 0; j < dictSize; j++) if (counts[j] > 0) levels++;
	if (n < MIN_PAIRS || levels * MIN_ROWS_PER_LEVEL > n) return null;
	const mean = total / n;
	let ssTotal = 0;
	for (let i = 0; i < idx.length; i++) {
		const v = values[idx[i]];
		if (v !== v || codes[idx[i]] === MISSING_CODE) continue;
		ssTotal += (v - mean) * (v - mean);
	}
	if (!(ssTotal > 0) || !Number.isFinite(ssTotal)) return null;
	let ssBetween = 0;
	for (let j = 0; j < dictSize; j++) {
		if (counts[j] === 0) continue;
		const d = sums[j] / counts[j] - mean;
		ssBetween += counts[j] * d * d;
	}
	const e = Math.sqrt(ssBetween / ssTotal);
	return Number.isFinite(e) ? Math.min(1, e) : null;
}

/** Cramér's V from the contingency table, chi² = n (Σ O² / (R C) − 1) over non-empty cells. */
function cramersV(
	a: Uint32Array,
	aSize: number,
	b: Uint32Array,
	bSize: number,
	idx: ArrayLike<number>
): number | null {
	const ga = compact(aSize);
	const gb = compact(bSize);
	let n = 0;
	for (let i = 0; i < idx.length; i++) {
		const ca = a[idx[i]];
		const cb = b[idx[i]];
		if (ca === MISSING_CODE || cb === MISSING_CODE) continue;
		if (ga.map[ca] < 0) ga.map[ca] = ga.k++;
		if (gb.map[cb] < 0) gb.map[cb] = gb.k++;
		n++;
	}
	const k = Math.min(ga.k, gb.k);
	if (n < MIN_PAIRS || k < 2 || Math.max(ga.k, gb.k) * MIN_ROWS_PER_LEVEL > n) return null;
	const rowTotals = new Float64Array(ga.k);
	const colTotals = new Float64Array(gb.k);
	// The level guard keeps ka·kb ≤ n²/25; a Map covers the rare wide case without a huge array.
	const dense = ga.k * gb.k <= 1 << 20 ? new Float64Array(ga.k * gb.k) : null;
	const sparse = dense ? null : new Map<number, number>();
	for (let i = 0; i < idx.length; i++) {
		const ca = a[idx[i]];
		const cb = b[idx[i]];
		if (ca === MISSING_CODE || cb === MISSING_CODE) continue;
		const r = ga.map[ca];
		const c = gb.map[cb];
		rowTotals[r]++;
		colTotals[c]++;
		const key = r * gb.k + c;
		if (dense) dense[key]++;
		else if (sparse) sparse.set(key, (sparse.get(key) ?? 0) + 1);
	}
	let s = 0;
	const cell = (key: number, o: number): void => {
		if (o > 0) s += (o * o) / (rowTotals[Math.floor(key / gb.k)] * colTotals[key % gb.k]);
	};
	if (dense) for (let key = 0; key < dense.length; key++) cell(key, dense[key]);
	else if (sparse) for (const [key, o] of sparse) cell(key, o);
	const chi2 = n * (s - 1);
	return Math.min(1, Math.sqrt(Math.max(0, chi2) / (n * (k - 1))));
}

const fmt = (x: number): string => x.toFixed(2);

/** "the mid-term" for midterm_marks: the event the teacher waits for before the column exists. */
function whenKnown(feature: string): string {
	const words = stem(nameTokens(feature)).map((w) => (w === 'midterm' ? 'mid-term' : w));
	return words.length > 0 ? `the ${words.join(' ')}` : `"${feature}"`;
}

function correlationMessage(feature: string, target: string, m: Measure): string {
	const after = `a model that uses it may look better than it will be before ${whenKnown(feature)} is known.`;
	if (m.signed) {
		const how = m.value < 0 ? 'moves almost exactly opposite to' : 'moves almost exactly with';
		return `"${feature}" ${how} "${target}" (correlation ${fmt(m.value)}): ${after}`;
	}
	return `"${feature}" goes almost hand in hand with "${target}" (association ${fmt(m.value)}): ${after}`;
}

function nameMessage(feature: string, target: string): string {
	if (nameTokens(feature).join(' ') === nameTokens(target).join(' ')) {
		return `"${feature}" looks like "${target}" spelt differently: a model that uses it would be reading the answer.`;
	}
	return `"${feature}" looks like "${target}" in another form: a model that uses it would be reading the answer.`;
}

function afterMessage(feature: string, target: string): string {
	return `"${feature}" sounds like something only known once "${target}" is: a model that uses it will look better than it can be when predicting ahead.`;
}
