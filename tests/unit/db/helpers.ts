/** Shared fixtures for the db tests. Import 'fake-indexeddb/auto' in each test file first. */
import { expect } from 'vitest';
import { openDb, closeDb, type ClasslensDB } from '$lib/db';
import {
	MISSING_CODE,
	categoricalColumn,
	makeFrame,
	numericColumn,
	type Column,
	type Frame
} from '$lib/ml/frame';

let counter = 0;

/** A fresh database per test, so tests never see each other's data. */
export function freshDb(): { db: ClasslensDB; name: string; close: () => void } {
	const name = `classlens-test-${process.pid}-${++counter}-${Math.random().toString(36).slice(2)}`;
	const db = openDb(name);
	return { db, name, close: () => closeDb(name) };
}

/** 50 rows: numeric with NaNs, an integer column, a category with missing, an identifier. */
export function sampleFrame(n = 50): Frame {
	const score: number[] = [];
	const year: number[] = [];
	const grade: (string | null)[] = [];
	const ids: string[] = [];
	for (let i = 0; i < n; i++) {
		score.push(i % 9 === 4 ? NaN : i * 1.5 - 7.25);
		year.push((i % 4) + 1);
		grade.push(i % 11 === 3 ? null : ['A', 'B', 'C', 'D'][(i * 7) % 4]);
		ids.push(`S${1000 + i}`);
	}
	return makeFrame([
		categoricalColumn('student_id', ids, 'identifier'),
		numericColumn('score', score),
		numericColumn('year', year, 'integer'),
		categoricalColumn('grade', grade)
	]);
}

function bytes(a: Float64Array | Uint32Array): Uint8Array {
	return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Bit-exact comparison (NaN and -0 included) with messages that name the column and row. */
export function expectSameFrame(actual: Frame, expected: Frame): void {
	expect(actual.nRows).toBe(expected.nRows);
	expect(actual.columns.map((c) => [c.name, c.kind, c.type])).toEqual(
		expected.columns.map((c) => [c.name, c.kind, c.type])
	);
	actual.columns.forEach((a: Column, i) => {
		const e = expected.columns[i];
		if (a.kind === 'numeric' && e.kind === 'numeric') {
			expect(a.values).toBeInstanceOf(Float64Array);
			expect(a.values.length, a.name).toBe(e.values.length);
			expect(Buffer.from(bytes(a.values)).equals(Buffer.from(bytes(e.values))), a.name).toBe(true);
		} else if (a.kind === 'categorical' && e.kind === 'categorical') {
			expect(a.codes).toBeInstanceOf(Uint32Array);
			expect(a.dictionary, a.name).toEqual(e.dictionary);
			expect(Array.from(a.codes), a.name).toEqual(Array.from(e.codes));
		}
	});
}

export { MISSING_CODE };
