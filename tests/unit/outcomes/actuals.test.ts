import { describe, expect, it } from 'vitest';
import { categoricalColumn, numericColumn } from '$lib/ml/frame';
import { readActuals, singleSource, studentIds } from '$lib/ml/outcomes';

describe('readActuals', () => {
	it('keeps one result per known student and counts the rest', () => {
		const ids = categoricalColumn('id', [' S1 ', 'S2', 'S2', 'S3', 'S3', 'S3', 'S9', null, 'S4']);
		const marks = numericColumn('mark', [50, 61, 61, 70, 71, 70, 40, 55, NaN]);
		const r = readActuals(ids, marks, 9, new Set(['S1', 'S2', 'S3', 'S4']));
		expect([...r.values]).toEqual([
			['S1', 50],
			['S2', 61]
		]);
		expect(r).toMatchObject({
			rows: 9,
			unmatched: 1,
			unmatchedExamples: ['S9'],
			duplicates: 1,
			conflicts: 1,
			missing: 2
		});
	});

	it('reads numeric ids as written and text results trimmed', () => {
		const ids = numericColumn('id', [1001, 1002, NaN], 'integer');
		const grades = categoricalColumn('grade', [' B ', '', 'A']);
		expect(studentIds(ids, 3)).toEqual(['1001', '1002', '']);
		const r = readActuals(ids, grades, 3, new Set(['1001', '1002']));
		expect([...r.values]).toEqual([['1001', 'B']]);
		expect(r.missing).toBe(2);
	});
});

describe('singleSource', () => {
	const base = { at: 5, datasetId: 'd', studentId: 'S1' };
	it('turns a logged regression or classification prediction into a one-row source', () => {
		expect(singleSource({ ...base, output: { value: 61, lower: 50 } }, null)).toMatchObject({
			studentIds: ['S1'],
			outputs: [61],
			lower: [50],
			upper: [NaN],
			predictionId: null
		});
		expect(
			singleSource({ ...base, output: { proba: { fail: 0.3, pass: 0.7 } } }, ['pass', 'fail'])
				?.outputs
		).toEqual([0.7, 0.3]);
	});

	it('leaves out what cannot be paired or scored', () => {
		expect(singleSource({ ...base, studentId: null, output: { value: 1 } }, null)).toBeNull();
		expect(singleSource({ ...base, output: { rows: 3, atRisk: 1 } }, null)).toBeNull();
		expect(singleSource({ ...base, output: { value: NaN } }, null)).toBeNull();
		expect(singleSource({ ...base, output: { proba: { pass: 1 } } }, ['pass', 'fail'])).toBeNull();
	});
});
