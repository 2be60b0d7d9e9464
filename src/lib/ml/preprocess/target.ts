/**
 * Target encoding: regression targets as Float32 values, classification targets as class indices
 * into a sorted list of labels. Numeric targets only become classes when the caller asks and the
 * column looks like codes (at most 10 distinct whole numbers, e.g. a 1–5 grade or pass = 0/1).
 */
import { AppException } from '../../errors';
import { MISSING_CODE, getColumn, type Column, type Frame } from '../frame';

export type Task = 'regression' | 'binary' | 'multiclass';

export const MAX_NUMERIC_CLASSES = 10;

function requireTarget(frame: Frame, target: string): Column {
	const c = getColumn(frame, target);
	if (!c) {
		throw new AppException({
			code: 'missing-column',
			message: `The data has no column called "${target}" to predict.`,
			details: { column: target }
		});
	}
	return c;
}

function forEachRow(n: number, rows: ArrayLike<number> | undefined, fn: (row: number) => void) {
	if (rows) for (let i = 0; i < rows.length; i++) fn(rows[i]);
	else for (let r = 0; r < n; r++) fn(r);
}

function isMissingAt(c: Column, row: number): boolean {
	return c.kind === 'numeric' ? !Number.isFinite(c.values[row]) : c.codes[row] === MISSING_CODE;
}

/** The rows (of `rows`, default all) whose target is known, in the same order. */
export function labelledRows(frame: Frame, target: string, rows?: ArrayLike<number>): Uint32Array {
	const c = requireTarget(frame, target);
	const out: number[] = [];
	forEachRow(frame.nRows, rows, (r) => {
		if (!isMissingAt(c, r)) out.push(r);
	});
	return Uint32Array.from(out);
}

/** Regression target values for `rows`; missing values stay NaN. */
export function regressionTarget(
	frame: Frame,
	target: string,
	rows?: ArrayLike<number>
): Float32Array {
	const c = requireTarget(frame, target);
	if (c.kind !== 'numeric') {
		throw new AppException({
			code: 'target-not-numeric',
			message: `"${target}" contains text, so it cannot be predicted as a number. Choose a category model instead.`,
			details: { column: target }
		});
	}
	const n = rows ? rows.length : frame.nRows;
	const y = new Float32Array(n);
	let i = 0;
	forEachRow(frame.nRows, rows, (r) => {
		const v = c.values[r];
		y[i++] = Number.isFinite(v) ? v : NaN;
	});
	return y;
}

/** Distinct finite values of a numeric column over `rows`, stopping once there are > limit. */
function distinctNumbers(
	values: Float64Array,
	n: number,
	rows: ArrayLike<number> | undefined,
	limit: number
) {
	const seen = new Set<number>();
	let allIntegers = true;
	const count = rows ? rows.length : n;
	for (let i = 0; i < count && seen.size <= limit; i++) {
		const v = values[rows ? rows[i] : i];
		if (!Number.isFinite(v)) continue;
		if (!Number.isInteger(v)) allIntegers = false;
		seen.add(v);
	}
	return { seen, allIntegers };
}

/**
 * The default task for a target: numbers with more than 10 distinct values (or any fractions) are
 * regression; otherwise classes, binary when there are two (or fewer).
 */
export function inferTask(frame: Frame, target: string, rows?: ArrayLike<number>): Task {
	const c = requireTarget(frame, target);
	let nClasses: number;
	if (c.kind === 'numeric') {
		const { seen, allIntegers } = distinctNumbers(c.values, frame.nRows, rows, MAX_NUMERIC_CLASSES);
		if (seen.size > MAX_NUMERIC_CLASSES || !allIntegers) return 'regression';
		nClasses = seen.size;
	} else {
		const used = new Set<number>();
		forEachRow(frame.nRows, rows, (r) => {
			if (c.codes[r] !== MISSING_CODE) used.add(c.codes[r]);
		});
		nClasses = new Set([...used].map((code) => c.dictionary[code])).size;
	}
	return nClasses <= 2 ? 'binary' : 'multiclass';
}

export interface ClassOptions {
	/** Allow a numeric target to be used as class codes (≤ 10 distinct whole numbers). */
	numericAsClasses?: boolean;
}

/** The sorted class labels present in `rows` (numbers sort numerically, text by code point). */
export function fitClasses(
	frame: Frame,
	target: string,
	rows?: ArrayLike<number>,
	opts: ClassOptions = {}
): string[] {
	const c = requireTarget(frame, target);
	if (c.kind === 'numeric') {
		const { seen, allIntegers } = distinctNumbers(c.values, frame.nRows, rows, MAX_NUMERIC_CLASSES);
		if (!opts.numericAsClasses || seen.size > MAX_NUMERIC_CLASSES || !allIntegers) {
			throw new AppException({
				code: 'target-not-categorical',
				message: `"${target}" holds measurements rather than a few categories, so predict it as a number instead.`,
				details: { column: target, distinct: seen.size }
			});
		}
		return [...seen].sort((a, b) => a - b).map(String);
	}
	const labels = new Set<string>();
	forEachRow(frame.nRows, rows, (r) => {
		const code = c.codes[r];
		if (code !== MISSING_CODE) labels.add(c.dictionary[code]);
	});
	return [...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Class index per row of `rows` (default all); −1 for a missing or unknown label. */
export function encodeClasses(
	classes: string[],
	frame: Frame,
	target: string,
	rows?: ArrayLike<number>
): Int32Array {
	const c = requireTarget(frame, target);
	const index = new Map(classes.map((label, i) => [label, i]));
	const n = rows ? rows.length : frame.nRows;
	const y = new Int32Array(n);
	let i = 0;
	if (c.kind === 'numeric') {
		forEachRow(frame.nRows, rows, (r) => {
			const v = c.values[r];
			y[i++] = Number.isFinite(v) ? (index.get(String(v)) ?? -1) : -1;
		});
	} else {
		const map = Int32Array.from(c.dictionary, (label) => index.get(label) ?? -1);
		forEachRow(frame.nRows, rows, (r) => {
			const code = c.codes[r];
			y[i++] = code === MISSING_CODE ? -1 : map[code];
		});
	}
	return y;
}
