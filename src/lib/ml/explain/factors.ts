/**
 * From attributions to what a teacher reads: the few features that pushed a prediction most,
 * each with the student's value, the class's typical value and one plain sentence. Sentences
 * describe the model ("is the largest factor lowering the predicted mark"), never the student's
 * future: the wording states no certainty, and every number is rounded for people.
 */
import { formatNum } from '../../format';
import { MISSING_CODE, getColumn, type Column, type Frame } from '../frame';
import type { FeatureDistribution } from '../train/types';
import { distributionMedian, distributionMode } from './reference';
import type { Attributions, Factor } from './types';

export interface FactorOptions {
	/** Which output to explain (multiclass: the class index). Default 0. */
	output?: number;
	/**
	 * −1 explains the opposite of the output: a binary model's classes[0] (its attributions
	 * point towards classes[1]). Default 1.
	 */
	orientation?: 1 | -1;
	/** Most factors returned. Default 3. */
	k?: number;
	/** Holds the feature columns (matched by name) with the student's values. */
	frame: Frame;
	/** The student's row in `frame`. */
	row: number;
	/** The training distributions: where "class median" and "most common" come from. */
	distributions?: FeatureDistribution[];
	/** What the sentence says is raised or lowered, e.g. "the predicted final exam mark". */
	outcomeLabel: string;
	/** Display names per feature (default: the name with underscores as spaces). */
	featureLabels?: Record<string, string>;
	/** Factors below this share of the row's total push are left out. Default 0.01. */
	minShare?: number;
}

export interface RowsFactorOptions extends Omit<
	FactorOptions,
	'row' | 'output' | 'orientation' | 'outcomeLabel'
> {
	/** Rows of the attributions to describe, in the order wanted (default all). */
	rows?: ArrayLike<number>;
	/** The frame row of every attribution row: the rows that were explained. */
	frameRows: ArrayLike<number>;
	/** One output for all rows, or one per attribution row. */
	output?: number | ArrayLike<number>;
	orientation?: 1 | -1 | ArrayLike<number>;
	outcomeLabel: string | ((attrRow: number) => string);
}

/** "final_exam" → "Final exam"; other capitals are kept ("GPA"). */
export function featureLabel(name: string, labels?: Record<string, string>): string {
	const text = (labels?.[name] ?? name).replace(/[_\s]+/g, ' ').trim();
	return text ? text[0].toUpperCase() + text.slice(1) : name;
}

function lowerFirst(text: string): string {
	// "GPA" stays "GPA"; "Final exam" becomes "final exam".
	return text.length > 1 && text[1] === text[1].toUpperCase() && /[A-Z]/.test(text[1])
		? text
		: text[0].toLowerCase() + text.slice(1);
}

/**
 * The outcome a sentence speaks of: "the predicted final exam" for regression, "the chance of
 * 'fail'" for a class.
 */
export function outcomeLabel(
	target: string,
	classLabel?: string | null,
	labels?: Record<string, string>
): string {
	if (classLabel !== undefined && classLabel !== null) return `the chance of '${classLabel}'`;
	return `the predicted ${lowerFirst(featureLabel(target, labels))}`;
}

/** Rounded for people: whole numbers from 100, one decimal from 10, else two. */
function roundedNumber(v: number): string {
	const a = Math.abs(v);
	return formatNum(v, a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

interface FeatureView {
	label: string;
	column: Column | undefined;
	format: (v: number) => string;
	/** How the class typically looks, e.g. "class median 7.5"; null when unknown. */
	typical: string | null;
	/** The typical value as formatted, to notice a student who is exactly typical. */
	typicalValue: string | null;
	/** What follows such a student's value, e.g. ", the class median". */
	same: string;
}

function numberFormat(column: Column | undefined): (v: number) => string {
	if (column?.kind !== 'numeric') return roundedNumber;
	if (column.type === 'boolean') return (v) => (v ? 'yes' : 'no');
	if (column.type === 'datetime') {
		return (v) => {
			const d = new Date(v);
			return Number.isNaN(d.getTime()) ? roundedNumber(v) : d.toISOString().slice(0, 10);
		};
	}
	return roundedNumber;
}

function prepare(
	features: string[],
	frame: Frame,
	distributions: FeatureDistribution[] | undefined,
	labels: Record<string, string> | undefined
): FeatureView[] {
	const byName = new Map((distributions ?? []).map((d) => [d.name, d]));
	return features.map((name) => {
		const column = getColumn(frame, name);
		const format = numberFormat(column);
		const d = byName.get(name);
		let typical: string | null = null;
		let typicalValue: string | null = null;
		let same = '';
		if (column?.kind === 'numeric' && column.type === 'boolean' && d?.kind === 'numeric') {
			if (d.count > 0) {
				typicalValue = d.mean >= 0.5 ? 'yes' : 'no';
				typical = `most of the class: ${typicalValue}`;
				same = 'like most of the class';
			}
		} else if (d?.kind === 'numeric') {
			const med = distributionMedian(d);
			if (med !== null) {
				typicalValue = format(med);
				typical = `class median ${typicalValue}`;
				same = 'the class median';
			}
		} else if (d?.kind === 'categorical') {
			typicalValue = distributionMode(d);
			if (typicalValue !== null) typical = `most common in the class: ${typicalValue}`;
			same = 'the most common in the class';
		}
		return { label: featureLabel(name, labels), column, format, typical, typicalValue, same };
	});
}

function studentValue(
	view: FeatureView,
	row: number
): { value: string; raw: number | string | null } {
	const c = view.column;
	if (!c) return { value: 'missing', raw: null };
	if (c.kind === 'numeric') {
		const v = c.values[row];
		return Number.isFinite(v) ? { value: view.format(v), raw: v } : { value: 'missing', raw: null };
	}
	const code = c.codes[row];
	if (code === MISSING_CODE || code >= c.dictionary.length) return { value: 'missing', raw: null };
	const label = c.dictionary[code];
	return { value: label, raw: label };
}

function valuePart(view: FeatureView, value: string, missing: boolean): string {
	if (view.typical === null) return value;
	if (!missing && value === view.typicalValue) return `${value}, ${view.same}`;
	return `${value}; ${view.typical}`;
}

const RANKS = [
	'is the largest factor',
	'is the second-largest factor,',
	'is the third-largest factor,'
];

function sentence(
	view: FeatureView,
	value: string,
	missing: boolean,
	rank: number,
	up: boolean,
	outcome: string
): string {
	const lead = RANKS[rank] ?? 'is another factor';
	return `${view.label} (${valuePart(view, value, missing)}) ${lead} ${up ? 'raising' : 'lowering'} ${outcome}.`;
}

/** Scratch space reused across rows so many rows allocate only their factors. */
interface Scratch {
	contrib: Float64Array;
	idx: Int32Array;
}

function rowFactors(
	attr: Attributions,
	r: number,
	output: number,
	orientation: number,
	views: FeatureView[],
	frameRow: number,
	k: number,
	minShare: number,
	outcome: string,
	s: Scratch
): Factor[] {
	const F = attr.features.length;
	const K = attr.nOutputs;
	if (!(output >= 0 && output < K)) throw new RangeError(`Output ${output} is not in 0–${K - 1}.`);
	let total = 0;
	let m = 0;
	for (let j = 0; j < F; j++) {
		const c = orientation * attr.values[(r * F + j) * K + output];
		s.contrib[j] = c;
		if (Number.isFinite(c) && c !== 0) {
			total += Math.abs(c);
			s.idx[m++] = j;
		}
	}
	if (!(total > 0)) return [];
	const order = Array.from(s.idx.subarray(0, m)).sort(
		(a, b) => Math.abs(s.contrib[b]) - Math.abs(s.contrib[a]) || a - b
	);
	const out: Factor[] = [];
	for (const j of order) {
		if (out.length >= k) break;
		const c = s.contrib[j];
		const share = Math.abs(c) / total;
		if (share < minShare) break;
		const view = views[j];
		const { value, raw } = studentValue(view, frameRow);
		out.push({
			feature: attr.features[j],
			value,
			raw,
			contribution: c,
			direction: c > 0 ? 'up' : 'down',
			share,
			text: sentence(view, value, raw === null, out.length, c > 0, outcome)
		});
	}
	return out;
}

/** The top factors of one row of `attr`, largest |contribution| first. */
export function topFactors(
	attr: Attributions,
	rowIndexInAttr: number,
	opts: FactorOptions
): Factor[] {
	const views = prepare(attr.features, opts.frame, opts.distributions, opts.featureLabels);
	const F = attr.features.length;
	return rowFactors(
		attr,
		rowIndexInAttr,
		opts.output ?? 0,
		opts.orientation ?? 1,
		views,
		opts.row,
		opts.k ?? 3,
		opts.minShare ?? 0.01,
		opts.outcomeLabel,
		{ contrib: new Float64Array(F), idx: new Int32Array(F) }
	);
}

/** topFactors for many rows at once (at-risk lists, CSV reasons); one list per row asked for. */
export function factorsForRows(attr: Attributions, opts: RowsFactorOptions): Factor[][] {
	const views = prepare(attr.features, opts.frame, opts.distributions, opts.featureLabels);
	const F = attr.features.length;
	const scratch = { contrib: new Float64Array(F), idx: new Int32Array(F) };
	const n = opts.rows ? opts.rows.length : attr.nRows;
	const pick = (x: number | ArrayLike<number> | undefined, r: number, fallback: number) =>
		x === undefined ? fallback : typeof x === 'number' ? x : x[r];
	const out: Factor[][] = new Array<Factor[]>(n);
	for (let i = 0; i < n; i++) {
		const r = opts.rows ? opts.rows[i] : i;
		const label = typeof opts.outcomeLabel === 'string' ? opts.outcomeLabel : opts.outcomeLabel(r);
		out[i] = rowFactors(
			attr,
			r,
			pick(opts.output, r, 0),
			pick(opts.orientation, r, 1) < 0 ? -1 : 1,
			views,
			opts.frameRows[r],
			opts.k ?? 3,
			opts.minShare ?? 0.01,
			label,
			scratch
		);
	}
	return out;
}
