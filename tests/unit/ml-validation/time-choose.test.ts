import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chooseValidation, makeFolds, timeHoldout } from '../../../src/lib/ml/validation';
import { MISSING_CODE } from '../../../src/lib/ml/frame';
import { AppException } from '../../../src/lib/errors';

describe('timeHoldout', () => {
	const semesters = Float64Array.from([1, 1, 2, 2, 2, 3, 3, 4, 4, 4, NaN, 1]);

	it('tests on the latest periods and trains on every earlier one, never splitting a period', () => {
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 2, maxLength: 120 }),
				fc.double({ min: 0.01, max: 0.99, noNaN: true }),
				(ts, fraction) => {
					const times = Float64Array.from(ts);
					fc.pre(new Set(ts).size >= 2);
					const s = timeHoldout(times, { fraction });
					let maxTrain = -Infinity;
					let minTest = Infinity;
					for (const r of s.train) maxTrain = Math.max(maxTrain, times[r]);
					for (const r of s.test) minTest = Math.min(minTest, times[r]);
					return (
						s.train.length > 0 &&
						s.test.length > 0 &&
						s.train.length + s.test.length === times.length &&
						maxTrain < minTest &&
						minTest === s.cutoff
					);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('picks the whole periods closest to the requested share', () => {
		// 11 known rows; 30 % ≈ 3.3 → the last semester alone (3 rows).
		const s = timeHoldout(semesters, { fraction: 0.3 });
		expect(Array.from(s.test)).toEqual([7, 8, 9]);
		expect(s.cutoff).toBe(4);
		expect(Array.from(s.excluded)).toEqual([10]);
		expect(s.trainPeriods).toBe(3);
		// 45 % ≈ 5 → semesters 3 and 4.
		expect(timeHoldout(semesters, { fraction: 0.45 }).cutoff).toBe(3);
	});

	it('accepts a start time or a number of periods', () => {
		expect(timeHoldout(semesters, { from: 2.5 }).cutoff).toBe(3);
		expect(Array.from(timeHoldout(semesters, { lastPeriods: 3 }).train)).toEqual([0, 1, 11]);
		expect(() => timeHoldout(semesters, { from: 1 })).toThrow(AppException);
		expect(() => timeHoldout(semesters, { from: 9 })).toThrow(/nothing to test/);
		expect(() => timeHoldout(semesters, { lastPeriods: 4 })).toThrow(RangeError);
		expect(() => timeHoldout(Float64Array.from([2, 2, NaN]), { fraction: 0.2 })).toThrow(
			/two different periods/
		);
	});
});

describe('chooseValidation', () => {
	it('groups by student whenever a student has several rows', () => {
		const groups = Uint32Array.from([0, 0, 1, 1, 2, 3, 4, 5, 6, 7]);
		const c = chooseValidation({
			nRows: 10,
			task: 'binary',
			groups,
			labels: Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
		});
		expect(c.scheme).toBe('group-kfold');
		expect(c.k).toBe(5);
		expect(c.reason).toMatch(/several rows \(up to 2\)/);
		expect(c.alternatives).toContain('stratified-kfold');
		expect(c.facts).toMatchObject({ nGroups: 8, maxRowsPerGroup: 2 });
		// Fewer students than folds: one fold per student.
		expect(
			chooseValidation({
				nRows: 6,
				task: 'regression',
				groups: Uint32Array.from([0, 0, 1, 1, 2, 2])
			}).k
		).toBe(3);
	});

	it('stratifies classes, with fewer folds when the rarest class is tiny', () => {
		const labels = Int32Array.from({ length: 40 }, (_, i) => (i < 3 ? 1 : 0));
		const c = chooseValidation({
			nRows: 40,
			task: 'binary',
			labels,
			groups: Uint32Array.from({ length: 40 }, (_, i) => i)
		});
		expect(c.scheme).toBe('stratified-kfold');
		expect(c.k).toBe(3);
		expect(c.reason).toMatch(/rarest outcome has 3 rows/);
		const one = chooseValidation({
			nRows: 40,
			task: 'multiclass',
			labels: labels.map((v, i) => (i === 0 ? 2 : v))
		});
		expect(one.k).toBe(2);
	});

	it('uses plain k-fold for numbers and offers a time holdout when periods are known', () => {
		const times = Float64Array.from({ length: 30 }, (_, i) => (i < 20 ? 1 : 2));
		const c = chooseValidation({ nRows: 30, task: 'regression', times });
		expect(c.scheme).toBe('kfold');
		expect(c.k).toBe(5);
		expect(c.alternatives).toEqual(['time-holdout']);
		expect(chooseValidation({ nRows: 3, task: 'regression' }).k).toBe(3);
	});

	it('counts unknown student codes as single students, and refuses under two rows', () => {
		const groups = Uint32Array.from([MISSING_CODE, MISSING_CODE, 4, 5]);
		expect(chooseValidation({ nRows: 4, task: 'regression', groups }).scheme).toBe('kfold');
		expect(() => chooseValidation({ nRows: 1, task: 'regression' })).toThrow(/at least 2 rows/);
	});
});

describe('makeFolds', () => {
	it('builds the folds of the chosen scheme', () => {
		const groups = Uint32Array.from({ length: 24 }, (_, i) => i >> 1);
		const choice = chooseValidation({ nRows: 24, task: 'regression', groups });
		const folds = makeFolds(choice.scheme, choice.k, { nRows: 24, groups }, 9);
		expect(folds).toHaveLength(5);
		for (const f of folds) for (const r of f.test) expect(f.test.includes(r ^ 1)).toBe(true);
		const times = Float64Array.from({ length: 24 }, (_, i) => i % 4);
		const [split] = makeFolds('time-holdout', 1, { nRows: 24, times }, 9);
		expect(split.test).toHaveLength(6);
		expect(
			makeFolds('stratified-kfold', 3, { nRows: 6, labels: [0, 0, 0, 1, 1, 1] }, 1)
		).toHaveLength(3);
		expect(() => makeFolds('group-kfold', 3, { nRows: 6 }, 1)).toThrow(/student column/);
	});
});
