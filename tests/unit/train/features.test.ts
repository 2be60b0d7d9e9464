import { describe, expect, it } from 'vitest';
import {
	defaultFeatures,
	detectLeakage,
	isAfterOutcomeName,
	isDerivativeName,
	type ColumnInfo
} from '$lib/ml/train/features';
import { categoricalColumn, makeFrame, numericColumn, type Frame } from '$lib/ml/frame';
import { generateDemo, type DemoDataset } from '$lib/ml/synthetic';
import { createRng } from '$lib/ml/random';
import { numeric, pearson } from '../helpers/synthetic';

function infos(d: DemoDataset, overrides: Record<string, ColumnInfo['role']> = {}): ColumnInfo[] {
	return d.frame.columns.map((c) => ({
		name: c.name,
		role: overrides[c.name] ?? d.roles[c.name],
		type: c.type
	}));
}

/** Uniform noise: unrelated to anything, so only the name rules can fire. */
function noise(n: number, seed: string): Float64Array {
	const rng = createRng(seed);
	return Float64Array.from({ length: n }, () => rng.next() * 100);
}

describe('defaultFeatures', () => {
	it('takes the course-records demo’s features, not its group, time, target or grade', () => {
		const d = generateDemo('course-records');
		expect(defaultFeatures(infos(d), 'final_marks')).toEqual([
			'subject',
			'assignment_marks',
			'quiz_marks',
			'attendance_percentage',
			'midterm_marks',
			'previous_cgpa'
		]);
		// Even marked as a feature, the grade is the target in other words.
		expect(defaultFeatures(infos(d, { final_grade: 'feature' }), 'final_marks')).not.toContain(
			'final_grade'
		);
	});

	it('never offers ids, free text, or id/group/time/sensitive/ignore/other-target columns', () => {
		const columns: ColumnInfo[] = [
			{ name: 'student_ref', role: 'feature', type: 'identifier' },
			{ name: 'comments', role: 'feature', type: 'text' },
			{ name: 'student_id', role: 'id', type: 'identifier' },
			{ name: 'class', role: 'group', type: 'category' },
			{ name: 'week', role: 'time', type: 'integer' },
			{ name: 'gender', role: 'sensitive', type: 'category' },
			{ name: 'notes', role: 'ignore', type: 'number' },
			{ name: 'dropout', role: 'target', type: 'boolean' },
			{ name: 'attendance', role: 'feature', type: 'number' },
			{ name: 'tutor', role: 'feature', type: 'category' },
			{ name: 'enrolled_on', role: 'feature', type: 'datetime' },
			{ name: 'final_score', role: 'feature', type: 'number' }
		];
		expect(defaultFeatures(columns, 'final_score')).toEqual(['attendance', 'tutor', 'enrolled_on']);
		for (const p of ['marks', 'wellbeing', 'demographic'] as const) {
			const d = generateDemo(p);
			const chosen = defaultFeatures(infos(d), d.target ?? '');
			expect(chosen.length).toBeGreaterThan(3);
			expect(chosen).not.toContain('student_id');
			expect(chosen).not.toContain(d.target);
		}
	});

	it('leaves out a derived target’s source and the source’s other forms', () => {
		const columns: ColumnInfo[] = [
			'final_exam',
			'Final Exam %',
			'final_result',
			'cats',
			'midterm_exam'
		].map((name) => ({ name, role: 'feature', type: 'number' }));
		const derive = {
			kind: 'pass-fail' as const,
			source: 'final_exam',
			threshold: 40,
			passLabel: 'pass',
			failLabel: 'fail'
		};
		expect(defaultFeatures(columns, 'passed', derive)).toEqual(['cats', 'midterm_exam']);
	});
});

describe('name rules', () => {
	it.each([
		['final_grade', 'final_marks'],
		['final_exam_pct', 'final_exam'],
		['final_result', 'final_exam'],
		['FinalMarks', 'final_marks'],
		['Final Marks', 'final_marks'],
		['exam_grade', 'exam_score'],
		['final', 'final_marks']
	])('%s is a form of %s', (f, t) => expect(isDerivativeName(f, t)).toBe(true));

	it.each([
		['midterm_marks', 'final_marks'],
		['mid_term_exam', 'final_exam'],
		['previous_final_marks', 'final_marks'],
		['Previous_Scores', 'Exam_Score'],
		['quiz_marks', 'final_marks'],
		['assignment_score', 'final_exam'],
		['attendance', 'final_marks'],
		['previous_cgpa', 'final_marks']
	])('%s is not a form of %s', (f, t) => expect(isDerivativeName(f, t)).toBe(false));

	it('knows which names only exist after a final mark', () => {
		expect(isAfterOutcomeName('passed_course', 'final_marks')).toBe(true);
		expect(isAfterOutcomeName('Outcome', 'exam_score')).toBe(true);
		expect(isAfterOutcomeName('previous_grade', 'final_marks')).toBe(false);
		expect(isAfterOutcomeName('quiz_result', 'final_marks')).toBe(false);
		expect(isAfterOutcomeName('midterm_result', 'final_marks')).toBe(false);
		// Predicting attendance is not predicting an outcome mark.
		expect(isAfterOutcomeName('final_grade', 'attendance')).toBe(false);
	});
});

describe('detectLeakage', () => {
	const demo = generateDemo('course-records');
	const frame = demo.frame;
	const features = [...defaultFeatures(infos(demo), 'final_marks'), 'final_grade'];

	it('flags final_grade on the course-records demo (and midterm only if it is that close)', () => {
		const flags = detectLeakage(frame, 'final_marks', features);
		const grade = flags.find((f) => f.column === 'final_grade');
		expect(grade).toMatchObject({ kind: 'correlation' });
		expect(grade?.strength).toBeGreaterThan(0.9);
		expect(grade?.message).toMatch(
			/^"final_grade" goes almost hand in hand with "final_marks" \(association 0\.\d\d\): .*before the final is known\.$/
		);
		const r = pearson(numeric(frame, 'midterm_marks'), numeric(frame, 'final_marks'));
		expect(flags.some((f) => f.column === 'midterm_marks')).toBe(Math.abs(r) > 0.9);
		expect(flags.map((f) => f.column)).not.toContain('previous_cgpa');
		expect(flags.map((f) => f.column)).not.toContain('quiz_marks');
	});

	it('explains a correlation in the teacher’s words, rounded to 2 decimals', () => {
		const r = pearson(numeric(frame, 'midterm_marks'), numeric(frame, 'final_marks'));
		const flags = detectLeakage(frame, 'final_marks', ['midterm_marks'], {
			threshold: Math.abs(r) - 0.01
		});
		expect(flags).toEqual([
			{
				column: 'midterm_marks',
				kind: 'correlation',
				strength: expect.closeTo(Math.abs(r), 12),
				message:
					`"midterm_marks" moves almost exactly with "final_marks" (correlation ${r.toFixed(2)}): ` +
					'a model that uses it may look better than it will be before the mid-term is known.'
			}
		]);
	});

	it('sorts by strength and gives one flag per column', () => {
		const flags = detectLeakage(frame, 'final_marks', [...features, 'final_grade'], {
			threshold: 0.5
		});
		expect(new Set(flags.map((f) => f.column)).size).toBe(flags.length);
		expect(flags[0].column).toBe('final_grade');
		for (let i = 1; i < flags.length; i++) {
			expect(flags[i].strength ?? -1).toBeLessThanOrEqual(flags[i - 1].strength ?? -1);
		}
	});

	it('flags names even when the numbers do not give them away', () => {
		const n = 200;
		const f: Frame = makeFrame([
			numericColumn('final_exam', noise(n, 'a')),
			numericColumn('final_exam_pct', noise(n, 'b')),
			numericColumn('final_result', noise(n, 'c')),
			numericColumn('passed_course', noise(n, 'd')),
			numericColumn('previous_final_exam', noise(n, 'e')),
			numericColumn('quiz_result', noise(n, 'f'))
		]);
		const names = [
			'final_exam_pct',
			'final_result',
			'passed_course',
			'previous_final_exam',
			'quiz_result'
		];
		const flags = detectLeakage(f, 'final_exam', names);
		expect(Object.fromEntries(flags.map((x) => [x.column, x.kind]))).toEqual({
			final_exam_pct: 'name',
			final_result: 'name',
			passed_course: 'after-outcome'
		});
		for (const flag of flags) {
			expect(flag.strength).toBeLessThan(0.3);
			expect(flag.message).toContain(`"${flag.column}"`);
			expect(flag.message).toContain('"final_exam"');
		}
	});

	it('measures η and Cramér’s V like numpy, and reports a negative correlation as opposite', () => {
		const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.5, 3, 7, 14];
		const g = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0, 1, 0].map((k) => `g${k}`);
		// A 2×3 table [[12, 3, 5], [4, 11, 6]] as rows.
		const a: string[] = [];
		const b: string[] = [];
		const table = [
			[12, 3, 5],
			[4, 11, 6]
		];
		table.forEach((row, i) =>
			row.forEach((count, j) => {
				for (let k = 0; k < count; k++) {
					a.push(`r${i}`);
					b.push(`c${j}`);
				}
			})
		);
		const f1 = makeFrame([numericColumn('x', x), categoricalColumn('g', g)]);
		expect(detectLeakage(f1, 'x', ['g'], { threshold: 0 })[0].strength).toBeCloseTo(
			0.622487226768829,
			12
		);
		expect(detectLeakage(f1, 'g', ['x'], { threshold: 0 })[0].strength).toBeCloseTo(
			0.622487226768829,
			12
		);
		const f2 = makeFrame([categoricalColumn('a', a), categoricalColumn('b', b)]);
		expect(detectLeakage(f2, 'a', ['b'], { threshold: 0 })[0].strength).toBeCloseTo(
			0.459137288937377,
			12
		);

		const neg = makeFrame([
			numericColumn(
				'absences',
				x.map((v) => 20 - v)
			),
			numericColumn('score', x)
		]);
		const [flag] = detectLeakage(neg, 'score', ['absences']);
		expect(flag.message).toContain('moves almost exactly opposite to "score" (correlation -1.00)');
	});

	it('needs 10 pairs and enough rows per category before it measures anything', () => {
		const f = makeFrame([
			numericColumn('score', noise(100, 'x')),
			numericColumn('score_pct', noise(100, 'x')),
			categoricalColumn(
				'student',
				Array.from({ length: 100 }, (_, i) => `s${i}`)
			)
		]);
		// Near-unique categories "explain" any target perfectly; that is not a leak.
		expect(detectLeakage(f, 'score', ['student'])).toEqual([]);
		const few = detectLeakage(f, 'score', ['score_pct'], { rows: [0, 1, 2, 3, 4, 5, 6, 7, 8] });
		expect(few).toEqual([expect.objectContaining({ kind: 'name', strength: null })]);
		const enough = detectLeakage(f, 'score', ['score_pct'], {
			rows: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
		});
		expect(enough).toEqual([expect.objectContaining({ kind: 'correlation', strength: 1 })]);
	});

	it('still applies the name rules when the target is not in the frame yet', () => {
		const f = makeFrame([numericColumn('final_result', [1, 2, 3])]);
		expect(detectLeakage(f, 'final_marks', ['final_result', 'missing_column'])).toEqual([
			expect.objectContaining({ column: 'final_result', kind: 'name', strength: null })
		]);
	});
});
