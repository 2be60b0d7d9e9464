import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	deriveTarget,
	describeDerivation,
	suggestGradeBoundaries,
	suggestPassThreshold,
	validateDerivation
} from '$lib/ml/train/derive';
import {
	cellAt,
	categoricalColumn,
	getColumn,
	makeFrame,
	MISSING_CODE,
	numericColumn,
	requireNumeric,
	type CategoricalColumn,
	type Frame
} from '$lib/ml/frame';
import { AppException } from '$lib/errors';
import { generateDemo } from '$lib/ml/synthetic';
import { gradeIndex, GRADES } from '$lib/ml/synthetic/course-records';
import type { TargetDerivation } from '$lib/ml/train/types';

const GRADE_70: TargetDerivation = {
	kind: 'grade',
	source: 'final_exam',
	boundaries: [
		{ label: 'A', min: 70 },
		{ label: 'B', min: 60 },
		{ label: 'C', min: 50 },
		{ label: 'D', min: 40 }
	],
	below: 'F'
};

function derived(frame: Frame, name: string): CategoricalColumn {
	const c = getColumn(frame, name);
	if (c?.kind !== 'categorical') throw new Error(`${name} is not categorical`);
	return c;
}

function appError(fn: () => unknown): { code: string; message: string } {
	try {
		fn();
	} catch (e) {
		if (e instanceof AppException) return e.appError;
		throw e;
	}
	throw new Error('did not throw');
}

describe('deriveTarget', () => {
	it('reproduces the demo’s own final_grade from final_marks', () => {
		const frame = generateDemo('course-records').frame;
		const d: TargetDerivation = {
			kind: 'grade',
			source: 'final_marks',
			boundaries: ['A', 'B', 'C', 'D'].map((label, i) => ({ label, min: 80 - 10 * i })),
			below: 'F'
		};
		const out = deriveTarget(frame, d, 'grade');
		const grade = derived(out, 'grade');
		const original = derived(frame, 'final_grade');
		const marks = requireNumeric(frame, 'final_marks').values;
		expect(grade.dictionary).toEqual(GRADES);
		const labels = (c: CategoricalColumn): (string | number | null)[] =>
			Array.from({ length: frame.nRows }, (_, i) => cellAt(c, i));
		expect(labels(grade)).toEqual(labels(original));
		expect(Array.from(grade.codes)).toEqual(Array.from(marks, gradeIndex));
	});

	it('shares the original columns and leaves the input frame alone', () => {
		const frame = makeFrame([numericColumn('final_exam', [75, NaN, 39.9, 40, 100])]);
		const out = deriveTarget(frame, GRADE_70, 'grade');
		expect(frame.columns).toHaveLength(1);
		expect(out.columns[0]).toBe(frame.columns[0]);
		expect(out.nRows).toBe(5);
		const g = derived(out, 'grade');
		expect(g.type).toBe('category');
		expect(Array.from(g.codes, (c) => (c === MISSING_CODE ? null : g.dictionary[c]))).toEqual([
			'A',
			null,
			'F',
			'D',
			'A'
		]);
	});

	it('cuts pass/fail at the threshold (≥ passes), pass first', () => {
		const frame = makeFrame([numericColumn('final_exam', [40, 39.99, NaN, 88])]);
		const out = deriveTarget(
			frame,
			{
				kind: 'pass-fail',
				source: 'final_exam',
				threshold: 40,
				passLabel: 'pass',
				failLabel: 'fail'
			},
			'passed'
		);
		const p = derived(out, 'passed');
		expect(p.dictionary).toEqual(['pass', 'fail']);
		expect([0, 1, 2, 3].map((i) => cellAt(p, i))).toEqual(['pass', 'fail', null, 'pass']);
	});

	it('throws a readable AppException for a missing, text or clashing column', () => {
		const frame = makeFrame([
			numericColumn('final_exam', [1, 2]),
			categoricalColumn('subject', ['Maths', 'Art'])
		]);
		expect(appError(() => deriveTarget(frame, { ...GRADE_70, source: 'nope' }, 'g'))).toMatchObject(
			{
				code: 'derive-source-missing',
				message: expect.stringContaining('"nope"')
			}
		);
		expect(appError(() => deriveTarget(frame, { ...GRADE_70, source: 'subject' }, 'g')).code).toBe(
			'derive-source-not-numeric'
		);
		expect(appError(() => deriveTarget(frame, GRADE_70, 'subject')).code).toBe('derive-name-taken');
	});

	it('rejects invalid boundaries with the same message validateDerivation gives', () => {
		const frame = makeFrame([numericColumn('final_exam', [1, 2])]);
		const bad: TargetDerivation[] = [
			{ ...GRADE_70, boundaries: [] },
			{
				...GRADE_70,
				boundaries: [
					{ label: 'A', min: 70 },
					{ label: 'A', min: 60 }
				]
			},
			{
				...GRADE_70,
				boundaries: [
					{ label: 'A', min: 60 },
					{ label: 'B', min: 60 }
				]
			},
			{
				...GRADE_70,
				boundaries: [
					{ label: 'A', min: 50 },
					{ label: 'B', min: 60 }
				]
			},
			{ ...GRADE_70, boundaries: [{ label: 'A', min: NaN }] },
			{ ...GRADE_70, boundaries: [{ label: ' ', min: 1 }] },
			{ ...GRADE_70, below: 'A' },
			{ kind: 'pass-fail', source: 'final_exam', threshold: NaN, passLabel: 'P', failLabel: 'F' },
			{ kind: 'pass-fail', source: 'final_exam', threshold: 4, passLabel: 'P', failLabel: 'P' }
		];
		for (const d of bad) {
			const message = validateDerivation(d);
			expect(message).not.toBeNull();
			expect(appError(() => deriveTarget(frame, d, 'g'))).toMatchObject({
				code: 'derive-invalid',
				message
			});
		}
		expect(validateDerivation(GRADE_70)).toBeNull();
		expect(validateDerivation(bad[3])).toMatch(/best to worst/);
	});

	it('maps every present value to exactly the label whose band contains it (property)', () => {
		const mins = fc
			.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 6 })
			.map((xs) => xs.sort((a, b) => b - a).map((x) => x / 4));
		const values = fc.array(
			fc.oneof(fc.double({ min: -400, max: 400, noNaN: true }), fc.constant(NaN)),
			{ maxLength: 100 }
		);
		fc.assert(
			fc.property(mins, values, (ms, xs) => {
				const d: TargetDerivation = {
					kind: 'grade',
					source: 'x',
					boundaries: ms.map((min, i) => ({ label: `G${i}`, min })),
					below: 'below'
				};
				const g = derived(deriveTarget(makeFrame([numericColumn('x', xs)]), d, 'g'), 'g');
				for (let i = 0; i < xs.length; i++) {
					const v = xs[i];
					if (Number.isNaN(v)) {
						expect(g.codes[i]).toBe(MISSING_CODE);
						continue;
					}
					const label = g.dictionary[g.codes[i]];
					const k = g.codes[i];
					if (label === 'below') expect(v).toBeLessThan(ms[ms.length - 1]);
					else {
						expect(label).toBe(`G${k}`);
						expect(v).toBeGreaterThanOrEqual(ms[k]);
						if (k > 0) expect(v).toBeLessThan(ms[k - 1]);
					}
				}
			})
		);
	});
});

describe('suggestions', () => {
	it('uses 70/60/50/40 and a pass mark of 40 on a 0–100 scale', () => {
		const marks = requireNumeric(generateDemo('marks').frame, 'final_exam').values;
		expect(suggestGradeBoundaries(marks)).toEqual({
			boundaries: [
				{ label: 'A', min: 70 },
				{ label: 'B', min: 60 },
				{ label: 'C', min: 50 },
				{ label: 'D', min: 40 }
			],
			below: 'F'
		});
		expect(suggestPassThreshold(marks)).toBe(40);
		expect(suggestPassThreshold(new Float64Array(0))).toBe(40);
	});

	it('uses quintiles, rounded to a typeable step, on other scales', () => {
		// A GPA-like 0–4 scale: 401 values 0.00, 0.01, …, 4.00.
		const gpa = Float64Array.from({ length: 401 }, (_, i) => i / 100);
		const s = suggestGradeBoundaries(gpa);
		expect(s.boundaries).toEqual([
			{ label: 'A', min: 3.2 },
			{ label: 'B', min: 2.4 },
			{ label: 'C', min: 1.6 },
			{ label: 'D', min: 0.8 }
		]);
		expect(suggestPassThreshold(gpa)).toBe(1.6);
		expect(suggestPassThreshold(Float64Array.of(3, 12, 20, NaN))).toBe(8);
	});

	it('always gives strictly decreasing, valid boundaries (property)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.double({ min: -1e5, max: 1e5, noNaN: true }), { maxLength: 80 }),
				(xs) => {
					const s = suggestGradeBoundaries(Float64Array.from(xs));
					expect(s.boundaries.length).toBeGreaterThan(0);
					expect(validateDerivation({ kind: 'grade', source: 'x', ...s })).toBeNull();
					expect(Number.isFinite(suggestPassThreshold(Float64Array.from(xs)))).toBe(true);
				}
			)
		);
	});
});

describe('describeDerivation', () => {
	it('reads like the boundaries the teacher set', () => {
		expect(describeDerivation(GRADE_70)).toBe(
			'grade from final_exam: A ≥ 70, B ≥ 60, C ≥ 50, D ≥ 40, else F'
		);
		expect(
			describeDerivation({
				kind: 'pass-fail',
				source: 'final_score',
				threshold: 49.5,
				passLabel: 'pass',
				failLabel: 'fail'
			})
		).toBe('pass-fail from final_score: pass ≥ 49.5, else fail');
	});
});
