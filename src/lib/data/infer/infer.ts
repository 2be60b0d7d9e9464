/**
 * Picks a type for a column from a sample of its raw cells. The rules are deliberately simple
 * and explained in `notes`, because the teacher confirms every guess on the preview: a guess
 * they can understand is worth more than a clever one they cannot.
 */
import type { ColumnType } from '../../ml/frame';
import { STUDENT_ID } from '../profile-fields';
import { DEFAULT_MISSING_TOKENS } from '../types';
import {
	booleanToken,
	detectDateOrder,
	makeMissingMatcher,
	parseDate,
	parseNumber,
	type DateOrder,
	type DecimalMark
} from './values';

export interface InferOptions {
	decimal: DecimalMark;
	missingTokens?: readonly string[];
	/** The column's (safe) name: "student_id" with repeated values is still an identifier. */
	name: string;
	/** Used when no value shows whether dates are dd/mm or mm/dd. */
	defaultDateOrder?: 'dmy' | 'mdy';
}

export interface InferredColumn {
	type: ColumnType;
	/** 0..1: the share of non-missing sampled values that fit the type (0 when there were none). */
	confidence: number;
	dateOrder?: DateOrder;
	/** The yes/no words seen, lower-cased, for a boolean column. */
	booleanTokens?: { truthy: string[]; falsy: string[] };
	/** Why, in plain words, for the preview. */
	notes: string[];
	/** Non-missing values in the sample. */
	nonMissing: number;
	/** Distinct non-missing values in the sample. */
	distinct: number;
	/** Smallest and largest number in the sample, for numeric columns. */
	min?: number;
	max?: number;
}

/** How much of a column must fit a type for it to win: a few junk cells do not change its type. */
const TYPE_SHARE = 0.9;

/**
 * Names that say "this identifies a student", so repeated values mean long format, not a
 * category: the profiles' student-id spellings, plus a few too generic to match a profile by.
 */
const STUDENT_ID_NAMES = new Set([
	...STUDENT_ID,
	'uid',
	'username',
	'registrationno',
	'candidateno'
]);

export function normaliseName(name: string): string {
	return name
		.toLowerCase()
		.replace(/%/g, 'pct')
		.replace(/#/g, 'no')
		.replace(/[^a-z0-9]/g, '');
}

/** "student_id", "StudentID", "Matric No.", "roll #" … */
export function isStudentIdName(name: string): boolean {
	return STUDENT_ID_NAMES.has(normaliseName(name));
}

/** Any name with an "id"-like word in it: class_id, SchoolID, uuid, record key. */
export function looksLikeIdName(name: string): boolean {
	if (isStudentIdName(name)) return true;
	const words = name
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/);
	return words.some((w) => w === 'id' || w === 'uid' || w === 'uuid' || w === 'guid');
}

const example = (v: string): string => `“${v.length > 30 ? `${v.slice(0, 29)}…` : v}”`;

function plural(n: number, word: string): string {
	return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

export function inferColumn(samples: readonly string[], opts: InferOptions): InferredColumn {
	const isMissing = makeMissingMatcher(opts.missingTokens ?? DEFAULT_MISSING_TOKENS);
	const values: string[] = [];
	for (const s of samples) if (!isMissing(s)) values.push(s.trim());
	const n = values.length;
	const notes: string[] = [];
	if (n === 0) {
		notes.push('Every sampled value is empty, so Classlens cannot tell what this column holds.');
		return { type: 'category', confidence: 0, notes, nonMissing: 0, distinct: 0 };
	}

	const counts = new Map<string, number>();
	let numOk = 0;
	let intOk = 0;
	let leadingZero = 0;
	let percent = 0;
	let min = Infinity;
	let max = -Infinity;
	let boolWords = 0;
	let zeroOne = 0;
	const truthy = new Set<string>();
	const falsy = new Set<string>();
	const junk: string[] = [];
	let totalLength = 0;
	let withSpace = 0;
	for (const v of values) {
		counts.set(v, (counts.get(v) ?? 0) + 1);
		totalLength += v.length;
		if (v.includes(' ')) withSpace++;
		const x = parseNumber(v, opts.decimal);
		if (x === x) {
			numOk++;
			if (Number.isInteger(x)) intOk++;
			if (x < min) min = x;
			if (x > max) max = x;
			if (v.length > 1 && v[0] === '0' && v[1] >= '0' && v[1] <= '9') leadingZero++;
			if (v.endsWith('%')) percent++;
		} else if (junk.length < 3 && !junk.includes(v)) {
			junk.push(v);
		}
		const b = booleanToken(v);
		if (b !== null) {
			if (b === '1' || b === '0') zeroOne++;
			else boolWords++;
			(b === '1' || b === 'true' || b === 'yes' || b === 'y' || b === 't' ? truthy : falsy).add(b);
		}
	}
	const distinct = counts.size;
	const base = { nonMissing: n, distinct };
	const share = (k: number): number => k / n;

	// Yes/no: needs both answers to appear, so a column of "F" (all girls) stays a category.
	const bothSides = truthy.size > 0 && falsy.size > 0;
	if (
		bothSides &&
		share(boolWords + zeroOne) >= 0.95 &&
		(boolWords > 0 || (n >= 10 && distinct === 2))
	) {
		notes.push(
			boolWords > 0
				? `Values are yes/no answers (${[...truthy, ...falsy].map(example).join(', ')}).`
				: 'Only 0 and 1 appear, so this looks like a yes/no column.'
		);
		return {
			...base,
			type: 'boolean',
			confidence: share(boolWords + zeroOne),
			booleanTokens: { truthy: [...truthy], falsy: [...falsy] },
			notes
		};
	}

	const idName = looksLikeIdName(opts.name);
	const studentId = isStudentIdName(opts.name);
	const allIntegersOrText = numOk === 0 || intOk === numOk;
	if (idName && allIntegersOrText && (studentId || distinct / n >= 0.5)) {
		notes.push(
			distinct < n
				? `The name says this identifies someone; values repeat (${plural(n, 'row')}, ${plural(distinct, 'distinct value')}), as in one row per student and term.`
				: 'The name says this identifies someone, and every value is different.'
		);
		return { ...base, type: 'identifier', confidence: 1, notes };
	}

	if (share(numOk) >= TYPE_SHARE && leadingZero <= numOk / 2) {
		const type: ColumnType = intOk === numOk ? 'integer' : 'number';
		notes.push(
			type === 'integer'
				? `${plural(numOk, 'value')} of ${n.toLocaleString('en')} are whole numbers.`
				: `${plural(numOk, 'value')} of ${n.toLocaleString('en')} are numbers.`
		);
		if (percent > 0) notes.push('Percent signs are dropped: “85%” is read as 85.');
		if (numOk < n) {
			notes.push(
				`${plural(n - numOk, 'value')} are not numbers (for example ${junk.map(example).join(', ')}); they will be listed as problems to fix.`
			);
		}
		return { ...base, type, confidence: share(numOk), notes, min, max };
	}
	if (share(numOk) >= TYPE_SHARE) {
		notes.push(
			'Most values start with a zero (like “007”), so they look like codes rather than amounts.'
		);
		const type: ColumnType = distinct / n >= 0.9 ? 'identifier' : 'category';
		return { ...base, type, confidence: share(leadingZero), notes };
	}

	const order = detectDateOrder(values, opts.defaultDateOrder ?? 'dmy');
	let dateOk = 0;
	for (const v of values) if (parseDate(v, order.order) === parseDate(v, order.order)) dateOk++;
	if (share(dateOk) >= TYPE_SHARE) {
		notes.push(`${plural(dateOk, 'value')} of ${n.toLocaleString('en')} are dates or times.`);
		if (order.order !== 'ymd') {
			const fmt = order.order === 'dmy' ? 'day/month/year' : 'month/day/year';
			if (order.ambiguous) {
				notes.push(
					`No date shows whether the day or the month comes first; Classlens assumes ${fmt}. Change it if that is wrong.`
				);
			} else if (order.conflicting) {
				notes.push(`Dates are written both ways; most are ${fmt}, the others will be listed.`);
			} else {
				notes.push(`Dates are written ${fmt}.`);
			}
		}
		return { ...base, type: 'datetime', confidence: share(dateOk), dateOrder: order.order, notes };
	}

	const meanLength = totalLength / n;
	const uniqueShare = distinct / n;
	if (meanLength > 40 || (uniqueShare > 0.5 && share(withSpace) > 0.5 && n >= 20)) {
		notes.push('Values are mostly different pieces of writing, so this is free text.');
		return { ...base, type: 'text', confidence: uniqueShare, notes };
	}
	if (n >= 20 && uniqueShare >= 0.9 && meanLength <= 24) {
		notes.push('Almost every value is a different short code, so this looks like an identifier.');
		return { ...base, type: 'identifier', confidence: uniqueShare, notes };
	}
	if (n >= 20 && uniqueShare > 0.5) {
		notes.push('Most values are different, so this is treated as free text.');
		return { ...base, type: 'text', confidence: uniqueShare, notes };
	}
	notes.push(`${plural(distinct, 'distinct value')} repeat across ${plural(n, 'row')}.`);
	if (share(numOk) > 0.5) {
		notes.push(
			`Some values are numbers but too many are not (for example ${junk.map(example).join(', ')}).`
		);
	}
	return { ...base, type: 'category', confidence: 1 - uniqueShare / 2, notes };
}

/**
 * Guesses the decimal mark from sample cells. "12,5" or "1.234,5" vote for a comma, "12.5" or
 * "1,234.5" for a point; "1,234" proves nothing (it is a thousand or one and a bit). Ties, and
 * files with no fractions at all, keep the point.
 */
export function inferDecimal(cells: Iterable<string>): DecimalMark {
	let comma = 0;
	let point = 0;
	for (const raw of cells) {
		const s = raw.trim();
		if (s.length === 0 || s.length > 24) continue;
		const m = /^[-+]?[\d .,\u00a0\u202f]*?([.,])(\d+)%?$/.exec(s);
		if (!m) continue;
		const mark = m[1];
		const other = mark === '.' ? ',' : '.';
		const head = s.slice(0, s.length - m[2].length - 1 - (s.endsWith('%') ? 1 : 0));
		if (!/\d/.test(head)) continue;
		// The last mark is a thousands separator when three digits follow and it appeared before.
		if (m[2].length === 3 && (head.includes(mark) || !head.includes(other))) continue;
		if (head.includes(mark)) continue;
		if (mark === ',') comma++;
		else point++;
	}
	return comma > point ? ',' : '.';
}
