import { describe, expect, it } from 'vitest';
import { categoricalColumn, makeFrame, numericColumn } from '$lib/ml/frame';
import { matchProfile } from '$lib/data/profiles';
import type { FeatureDistribution } from '$lib/ml/train/types';
import {
	buildClassContext,
	detectScale,
	numericValue,
	percentileOf,
	percentileValue,
	resolveConcept,
	resolveConcepts,
	riskClassesOf
} from '$lib/ml/insights';

describe('resolveConcept', () => {
	it('uses the profile spellings, whatever the case, spacing or unit', () => {
		const cases: [string, string | null][] = [
			['attendance', 'attendance'],
			['Attendance (%)', 'attendance'],
			['attendance_percentage', 'attendance'],
			['Attendance Rate', 'attendance'],
			['ASSIGNMENT_SCORE', 'assignment'],
			['assignment_marks', 'assignment'],
			['Coursework', 'assignment'],
			['Quiz Marks', 'quiz'],
			['midterm', 'midterm'],
			['final_exam', 'final_mark'],
			['Exam_Score', 'final_mark'],
			['final_score', 'final_mark'],
			['peer_performance', 'peer_performance'],
			['CGPA', 'previous_grade'],
			['Previous_Scores', 'previous_grade'],
			['Hours_Studied', 'hours_studied'],
			['weekly_study_hours', 'hours_studied'],
			['Motivation_Level', 'motivation'],
			['Sleep_Hours', 'sleep'],
			['student_id', null],
			['final_grade', null],
			['shoe size', null]
		];
		for (const [name, concept] of cases) expect(resolveConcept(name), name).toBe(concept);
	});

	it('trusts a profile match first, and prefers the canonical spelling', () => {
		const names = [
			'student_id',
			'semester',
			'subject',
			'Attendance',
			'midterm_marks',
			'final_marks'
		];
		const match = matchProfile(names);
		expect(match?.profile).toBe('course-records');
		expect(resolveConcept('Attendance', match)).toBe('attendance');
		expect(resolveConcepts(['attendance_rate', 'attendance', 'final'])).toEqual({
			attendance: 'attendance',
			final_mark: 'final'
		});
	});
});

describe('detectScale', () => {
	it('picks the smallest usual scale that holds the data', () => {
		expect(detectScale(0.2, 0.95, 'attendance').kind).toBe('fraction');
		expect(detectScale(1.5, 3.9, 'previous_grade').kind).toBe('gpa4');
		expect(detectScale(1.5, 3.9, 'assignment').kind).toBe('ten');
		expect(detectScale(2, 10, 'attendance').kind).toBe('ten');
		expect(detectScale(3, 18, null).kind).toBe('twenty');
		expect(detectScale(20, 100, 'attendance').kind).toBe('percent');
		expect(detectScale(12, 64, null).kind).toBe('percent');
	});
	it('keeps marks out of 30–50, hours, counts and odd ranges in their own units', () => {
		expect(detectScale(5, 28, 'cats')).toEqual({
			kind: 'raw',
			min: 5,
			max: 28,
			label: 'as recorded'
		});
		expect(detectScale(5, 28, 'attendance').kind).toBe('percent');
		expect(detectScale(0, 9, 'hours_studied').kind).toBe('raw');
		expect(detectScale(-3, 9, null).kind).toBe('raw');
		expect(detectScale(0, 150, null).kind).toBe('raw');
		expect(detectScale(NaN, NaN, null)).toEqual({
			kind: 'raw',
			min: 0,
			max: 0,
			label: 'as recorded'
		});
	});
});

describe('buildClassContext', () => {
	it('computes class statistics from a frame, with ordinal answers as 1–3', () => {
		const frame = makeFrame([
			numericColumn('attendance', [2, 4, 6, 8, NaN]),
			categoricalColumn('Motivation_Level', ['Low', 'High', 'Medium', 'Medium', null]),
			categoricalColumn('school', ['A', 'B', 'A', 'B', 'A']),
			numericColumn('when', [1, 2, 3, 4, 5], 'datetime')
		]);
		const ctx = buildClassContext({ frame });
		expect(Object.keys(ctx.columns)).toEqual(['attendance', 'Motivation_Level']);
		expect(ctx.columns.attendance).toMatchObject({
			n: 4,
			mean: 5,
			min: 2,
			max: 8,
			q25: 3.5,
			median: 5,
			q75: 6.5
		});
		expect(ctx.columns.attendance.sd).toBeCloseTo(Math.sqrt(20 / 3), 12);
		expect(ctx.columns.attendance.scale.kind).toBe('ten');
		expect(ctx.columns.Motivation_Level).toMatchObject({
			n: 4,
			mean: 2,
			median: 2,
			concept: 'motivation'
		});
		expect(ctx.concepts).toEqual({ attendance: 'attendance', motivation: 'Motivation_Level' });
		const sub = buildClassContext({ frame, rows: [0, 1] });
		expect(sub.columns.attendance.mean).toBe(3);
		expect(
			buildClassContext({ frame, scales: { attendance: 'percent' } }).columns.attendance.scale.kind
		).toBe('percent');
	});

	it('falls back to a model’s stored distributions', () => {
		const d: FeatureDistribution = {
			name: 'attendance_percentage',
			kind: 'numeric',
			count: 100,
			missingRate: 0,
			mean: 80,
			std: 10,
			min: 40,
			max: 100,
			quantiles: [40, 60, 65, 70, 75, 80, 85, 88, 90, 95, 100],
			histogram: { edges: [], counts: [] }
		};
		const empty: FeatureDistribution = { ...d, name: 'x', count: 0, quantiles: [] };
		const ctx = buildClassContext({ distributions: [d, empty] });
		expect(Object.keys(ctx.columns)).toEqual(['attendance_percentage']);
		const s = ctx.columns.attendance_percentage;
		expect([s.q25, s.median, s.q75]).toEqual([67.5, 80, 89]);
		expect(s.scale.kind).toBe('percent');
		expect(percentileValue(s, 5)).toBe(50);
		expect(percentileOf(s, 80)).toBe(50);
		expect(percentileOf(s, 67.5)).toBeCloseTo(25, 12);
		expect(ctx.concepts.attendance).toBe('attendance_percentage');
	});
});

describe('small helpers', () => {
	it('numericValue reads numbers, numeric text and Low/Medium/High', () => {
		expect(
			[4, '4.5', ' 80% ', 'High', 'low', 'constructor', '', null, NaN, Infinity].map(numericValue)
		).toEqual([4, 4.5, 80, 3, 1, null, null, null, null, null]);
	});

	it('riskClassesOf recognises at-risk labels but not their negations', () => {
		expect(
			riskClassesOf([
				'Pass',
				'Fail',
				'At risk',
				'Not at risk',
				'F',
				'A',
				'Dropout',
				'Not passed',
				'No risk',
				'Yes',
				'1'
			])
		).toEqual(['Fail', 'At risk', 'F', 'Dropout', 'Not passed']);
	});
});
