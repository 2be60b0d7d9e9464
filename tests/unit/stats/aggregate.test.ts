import { describe, expect, it } from 'vitest';
import { aggregateByGroup, groupRows } from '$lib/ml/stats/aggregate';
import { categoricalColumn, cellAt, makeFrame, numericColumn, type Frame } from '$lib/ml/frame';
import { generateDemo } from '$lib/ml/synthetic';

const long = makeFrame([
	categoricalColumn('student_id', ['A', 'B', 'A', null, 'B', 'A'], 'identifier'),
	categoricalColumn('semester', [
		'2024-S2',
		'2024-S1',
		'2024-S1',
		'2024-S1',
		'2024-S2',
		'2024-S10'
	]),
	categoricalColumn('subject', ['math', 'math', 'art', 'math', 'art', 'math']),
	numericColumn('final_marks', [70, 50, 60, 99, NaN, 80]),
	categoricalColumn('final_grade', ['B', 'C', 'B', 'A', 'C', 'A'])
]);

function col(f: Frame, name: string) {
	const c = f.columns.find((x) => x.name === name);
	if (!c) throw new Error(`no ${name}`);
	return Array.from({ length: f.nRows }, (_, r) => cellAt(c, r));
}

describe('aggregateByGroup', () => {
	it('means, latest by semester order (S10 after S2), most common category, row counts', () => {
		const { frame, rowsWithoutId } = aggregateByGroup(long, {
			groupBy: 'student_id',
			timeColumn: 'semester',
			latestOf: ['final_marks'],
			exclude: ['subject']
		});
		expect(rowsWithoutId).toBe(1);
		expect(col(frame, 'student_id')).toEqual(['A', 'B']);
		expect(col(frame, 'n_rows')).toEqual([3, 2]);
		expect(col(frame, 'final_marks_mean')).toEqual([70, 50]);
		expect(col(frame, 'final_marks_latest')).toEqual([80, 50]); // B's S2 mark is missing
		expect(col(frame, 'final_grade_most_common')).toEqual(['B', 'C']);
		expect(frame.columns.map((c) => c.name)).not.toContain('subject_most_common');
	});

	it('groups by a numeric id too', () => {
		const f = makeFrame([numericColumn('id', [3, 1, 3, NaN]), numericColumn('x', [1, 2, 3, 4])]);
		const g = groupRows(f, 'id');
		expect(g.keys).toEqual(['3', '1']);
		expect(col(aggregateByGroup(f, { groupBy: 'id' }).frame, 'x_mean')).toEqual([2, 2]);
	});

	it('turns the course-records demo into one row per student', () => {
		const demo = generateDemo('course-records', { seed: 5 });
		const { frame } = aggregateByGroup(demo.frame, {
			groupBy: 'student_id',
			timeColumn: 'semester',
			latestOf: ['final_marks'],
			exclude: ['subject']
		});
		expect(frame.nRows).toBe(120);
		const n = col(frame, 'n_rows') as number[];
		expect(n.reduce((a, b) => a + b, 0)).toBe(demo.frame.nRows);
		const means = col(frame, 'final_marks_mean') as number[];
		expect(means.every((m) => m >= 0 && m <= 100)).toBe(true);
	});
});
