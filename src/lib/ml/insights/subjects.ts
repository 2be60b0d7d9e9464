/**
 * Weak and strong subjects from long-format course records (one row per student × semester ×
 * subject): each of a student's subjects against the class's marks in the same subject and
 * semester. One scan of the student column and one pass over the marks, on typed arrays, so a
 * student report over 100k rows stays well under a frame.
 *
 * The rule, by default: a subject is weak when the student's mark is at least half a standard
 * deviation below the class mean in that subject (z ≤ −0.5) AND in the class's bottom quarter
 * (percentile ≤ 25); strong when z ≥ 0.5 and percentile ≥ 75. Needing both keeps one outlier
 * (which inflates the sd) or a bunched class (where a quartile is a hair's breadth) from
 * flagging a subject on its own. Fewer than 5 students in a subject: no flag, too few to
 * compare. The class includes the student. The semester is the latest in which the student has
 * a mark.
 */
import { MISSING_CODE, getColumn, type Column, type Frame } from '../frame';
import type { SubjectStanding } from './types';

export interface SubjectColumns {
	student: string;
	subject: string;
	mark: string;
	semester?: string | null;
}

export interface SubjectStandingOptions {
	/** 'latest' (default): the student's latest semester with a mark; 'all': every row; or a semester label. */
	semester?: 'latest' | 'all' | string;
	/** z at or below which a subject can be weak (default −0.5). */
	weakZ?: number;
	/** z at or above which a subject can be strong (default 0.5). */
	strongZ?: number;
	/** Percentile at or below which a subject can be weak (default 25); strong: at or above 100 − this. */
	quartile?: number;
	/** Fewest students in a subject for a weak/strong flag (default 5). */
	minClass?: number;
}

function need(frame: Frame, name: string, what: string): Column {
	const c = getColumn(frame, name);
	if (!c) throw new RangeError(`The ${what} column “${name}” is not in this dataset.`);
	return c;
}

/** Year first when both labels have one ("Spring 2023" before "Fall 2023" is beyond this), then natural order. */
export function compareSemesters(a: string, b: string): number {
	const ya = /(19|20)\d\d/.exec(a);
	const yb = /(19|20)\d\d/.exec(b);
	if (ya && yb && ya[0] !== yb[0]) return Number(ya[0]) - Number(yb[0]);
	const ca = a.toLowerCase().match(/\d+|\D+/g) ?? [];
	const cb = b.toLowerCase().match(/\d+|\D+/g) ?? [];
	for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
		const x = ca[i];
		const y = cb[i];
		if (x === y) continue;
		const nx = /^\d/.test(x);
		const ny = /^\d/.test(y);
		if (nx && ny) return Number(x) - Number(y) || x.length - y.length;
		return x < y ? -1 : 1;
	}
	return ca.length - cb.length;
}

/** A per-row key (row → number, NaN = missing) and labels for the keys. */
interface Keyed {
	key: (row: number) => number;
	label: (key: number) => string;
	/** For ordering semesters: larger = later. */
	rank: (key: number) => number;
}

function keyed(c: Column): Keyed {
	if (c.kind === 'numeric') {
		const v = c.values;
		return { key: (r) => v[r], label: (k) => String(k), rank: (k) => k };
	}
	const codes = c.codes;
	const dict = c.dictionary;
	const order = dict.map((_, i) => i).sort((x, y) => compareSemesters(dict[x], dict[y]) || x - y);
	const rankOf = new Float64Array(dict.length);
	order.forEach((code, r) => (rankOf[code] = r));
	return {
		key: (r) => (codes[r] === MISSING_CODE ? NaN : codes[r]),
		label: (k) => dict[k] ?? '',
		rank: (k) => rankOf[k]
	};
}

/**
 * Each of the student's subjects against the class, weakest first. An unknown student, or one
 * with no marks, gets an empty list.
 */
export function subjectStanding(
	frame: Frame,
	cols: SubjectColumns,
	studentId: string,
	opts: SubjectStandingOptions = {}
): SubjectStanding[] {
	const studentCol = need(frame, cols.student, 'student');
	const subjectCol = need(frame, cols.subject, 'subject');
	const markCol = need(frame, cols.mark, 'mark');
	if (markCol.kind !== 'numeric') {
		throw new TypeError(`The mark column “${cols.mark}” must hold numbers.`);
	}
	const marks = markCol.values;
	const semCol = cols.semester ? need(frame, cols.semester, 'semester') : null;
	const weakZ = opts.weakZ ?? -0.5;
	const strongZ = opts.strongZ ?? 0.5;
	const quartile = opts.quartile ?? 25;
	const minClass = opts.minClass ?? 5;

	// The student's rows: one scan of the student column.
	const n = frame.nRows;
	const mine: number[] = [];
	if (studentCol.kind === 'categorical') {
		const code = studentCol.dictionary.indexOf(studentId);
		if (code < 0) return [];
		const codes = studentCol.codes;
		for (let r = 0; r < n; r++) if (codes[r] === code && marks[r] === marks[r]) mine.push(r);
	} else {
		const id = Number(studentId);
		if (studentId.trim() === '' || !Number.isFinite(id)) return [];
		const v = studentCol.values;
		for (let r = 0; r < n; r++) if (v[r] === id && marks[r] === marks[r]) mine.push(r);
	}
	if (mine.length === 0) return [];

	const subj = keyed(subjectCol);
	const sem = semCol ? keyed(semCol) : null;

	// Which semester: the student's latest with a mark, a named one, or all rows.
	let semKey = NaN;
	const choice = opts.semester ?? 'latest';
	if (sem && choice !== 'all') {
		if (choice === 'latest') {
			let bestRank = -Infinity;
			for (const r of mine) {
				const k = sem.key(r);
				if (k === k && sem.rank(k) > bestRank) {
					bestRank = sem.rank(k);
					semKey = k;
				}
			}
		} else if (semCol && semCol.kind === 'categorical') {
			const code = semCol.dictionary.indexOf(choice);
			semKey = code >= 0 ? code : NaN;
		} else {
			semKey = choice.trim() === '' ? NaN : Number(choice);
		}
		if (semKey !== semKey) return [];
	}
	const inSemester = sem && semKey === semKey ? (r: number) => sem.key(r) === semKey : () => true;

	// The student's mark per subject (mean of repeats), as a slot per distinct subject key.
	const slot = new Map<number, number>();
	const mineSum: number[] = [];
	const mineCount: number[] = [];
	const subjectKeys: number[] = [];
	for (const r of mine) {
		if (!inSemester(r)) continue;
		const k = subj.key(r);
		if (k !== k) continue;
		let s = slot.get(k);
		if (s === undefined) {
			s = subjectKeys.length;
			slot.set(k, s);
			subjectKeys.push(k);
			mineSum.push(0);
			mineCount.push(0);
		}
		mineSum[s] += marks[r];
		mineCount[s]++;
	}
	const m = subjectKeys.length;
	if (m === 0) return [];
	const studentMark = new Float64Array(m);
	for (let s = 0; s < m; s++) studentMark[s] = mineSum[s] / mineCount[s];

	// One pass over the class: Welford mean/variance, and counts below/equal the student's mark.
	const count = new Float64Array(m);
	const mean = new Float64Array(m);
	const m2 = new Float64Array(m);
	const below = new Float64Array(m);
	const equal = new Float64Array(m);
	// The hot loop reads the typed arrays directly: a categorical subject indexes a typed lookup
	// (numeric subjects go through the map), the semester filter compares codes or values.
	const filter = sem !== null && semKey === semKey;
	const semCodes = filter && semCol?.kind === 'categorical' ? semCol.codes : null;
	const semValues = filter && semCol?.kind === 'numeric' ? semCol.values : null;
	const subjCodes = subjectCol.kind === 'categorical' ? subjectCol.codes : null;
	const subjValues = subjectCol.kind === 'numeric' ? subjectCol.values : null;
	const lookup = new Int32Array(
		subjectCol.kind === 'categorical' ? subjectCol.dictionary.length : 0
	).fill(-1);
	if (subjCodes) for (let s = 0; s < m; s++) lookup[subjectKeys[s]] = s;
	const nLookup = lookup.length;
	for (let r = 0; r < n; r++) {
		const x = marks[r];
		if (x !== x) continue;
		if (
			semCodes !== null ? semCodes[r] !== semKey : semValues !== null && semValues[r] !== semKey
		) {
			continue;
		}
		let s: number;
		if (subjCodes !== null) {
			const code = subjCodes[r];
			if (code >= nLookup) continue;
			s = lookup[code];
		} else s = slot.get((subjValues as Float64Array)[r]) ?? -1;
		if (s < 0) continue;
		const c = ++count[s];
		const d = x - mean[s];
		mean[s] += d / c;
		m2[s] += d * (x - mean[s]);
		if (x < studentMark[s]) below[s]++;
		else if (x === studentMark[s]) equal[s]++;
	}

	const semester = sem && semKey === semKey ? sem.label(semKey) : null;
	const out: SubjectStanding[] = [];
	for (let s = 0; s < m; s++) {
		const k = count[s];
		const sd = k > 1 ? Math.sqrt(m2[s] / (k - 1)) : 0;
		const z = sd > 0 ? (studentMark[s] - mean[s]) / sd : 0;
		// A student whose mark is a mean of repeats may match no row exactly; mid-rank still holds.
		const percentile = k > 0 ? (100 * (below[s] + 0.5 * equal[s])) / k : 50;
		const enough = k >= minClass && sd > 0;
		out.push({
			subject: subj.label(subjectKeys[s]),
			mark: studentMark[s],
			classMean: mean[s],
			classSd: sd,
			z,
			percentile,
			weak: enough && z <= weakZ && percentile <= quartile,
			strong: enough && z >= strongZ && percentile >= 100 - quartile,
			n: k,
			semester
		});
	}
	return out.sort(
		(a, b) => a.z - b.z || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0)
	);
}
