/**
 * Reading actual results out of a table (an uploaded results file): one result per student,
 * matched against the students the predictions were for. A student listed twice with the same
 * result is kept once; listed with different results, left out, since which one is right cannot
 * be told. Identifiers are compared as text: trimmed, and numbers as JavaScript writes them
 * (1001, not 1001.0), the way the rest of the app shows them.
 */
import { cellAt, type Column } from '../frame';
import type { ActualValue } from './match';

/** A cell as a student id; null when empty. */
export function studentIdAt(c: Column, r: number): string | null {
	const v = cellAt(c, r);
	if (v === null) return null;
	const s = typeof v === 'number' ? String(v) : v.trim();
	return s === '' ? null : s;
}

/** A cell as a result: a finite number or non-empty text; null when missing. */
export function actualAt(c: Column, r: number): ActualValue | null {
	const v = cellAt(c, r);
	if (v === null) return null;
	if (typeof v === 'number') return Number.isFinite(v) ? v : null;
	const s = v.trim();
	return s === '' ? null : s;
}

/** Every row's student id ('' when empty). */
export function studentIds(c: Column, nRows: number): string[] {
	return Array.from({ length: nRows }, (_, r) => studentIdAt(c, r) ?? '');
}

export interface ActualsRead {
	rows: number;
	/** One result per matched student. */
	values: Map<string, ActualValue>;
	/** Students not among `known`. */
	unmatched: number;
	unmatchedExamples: string[];
	/** Extra rows repeating a student's same result. */
	duplicates: number;
	/** Students listed with different results: left out. */
	conflicts: number;
	/** Rows without an id or a result. */
	missing: number;
}

const MAX_EXAMPLES = 5;

export function readActuals(
	idColumn: Column,
	valueColumn: Column,
	nRows: number,
	known: ReadonlySet<string>
): ActualsRead {
	let missing = 0;
	let duplicates = 0;
	const all = new Map<string, ActualValue>();
	const conflicting = new Set<string>();
	for (let r = 0; r < nRows; r++) {
		const id = studentIdAt(idColumn, r);
		const v = actualAt(valueColumn, r);
		if (id === null || v === null) {
			missing++;
			continue;
		}
		const prev = all.get(id);
		if (prev === undefined) all.set(id, v);
		else if (conflicting.has(id)) continue;
		else if (prev === v) duplicates++;
		else conflicting.add(id);
	}
	const values = new Map<string, ActualValue>();
	let unmatched = 0;
	const unmatchedExamples: string[] = [];
	for (const [id, value] of all) {
		if (conflicting.has(id)) continue;
		if (!known.has(id)) {
			unmatched++;
			if (unmatchedExamples.length < MAX_EXAMPLES) unmatchedExamples.push(id);
			continue;
		}
		values.set(id, value);
	}
	return {
		rows: nRows,
		values,
		unmatched,
		unmatchedExamples,
		duplicates,
		conflicts: conflicting.size,
		missing
	};
}
