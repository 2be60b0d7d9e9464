import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { categoricalColumn, makeFrame, numericColumn } from '../../src/lib/ml/frame';
import {
	encodeClasses,
	fitClasses,
	fitPipeline,
	inferTask,
	labelledRows,
	regressionTarget,
	transform
} from '../../src/lib/ml/preprocess';
import { AppException } from '../../src/lib/errors';

const rows = (...r: number[]) => Uint32Array.from(r);

function frame() {
	return makeFrame([
		numericColumn('attendance', [90, 80, NaN, 70, 1000]),
		numericColumn('constant', [5, 5, 5, 5, 5]),
		categoricalColumn('group', ['a', 'b', 'a', null, 'zzz']),
		numericColumn('score', [60, 55, 50, NaN, 99])
	]);
}

describe('fitPipeline', () => {
	it('uses training rows only: a value that only appears in test rows does not move the fit', () => {
		const f = frame();
		const p = fitPipeline(f, ['attendance', 'group'], rows(0, 1, 2, 3));
		const num = p.steps[0];
		expect(num.kind).toBe('numeric');
		if (num.kind !== 'numeric') return;
		// Row 4 (1000, test only) is excluded: median of 90, 80, 70 and mean of the imputed column.
		expect(num.median).toBe(80);
		expect(num.mean).toBeCloseTo((90 + 80 + 80 + 70) / 4, 12);
		expect(num.std).toBeCloseTo(Math.sqrt((100 + 0 + 0 + 100) / 4), 12);
		const cat = p.steps[1];
		expect(cat.kind === 'categorical' && cat.categories).toEqual(['a', 'b']);
	});

	it('adds a missing indicator only when the training column had gaps', () => {
		const f = frame();
		expect(fitPipeline(f, ['attendance'], rows(0, 1, 2)).columnNames).toEqual([
			'attendance',
			'attendance (missing)'
		]);
		expect(fitPipeline(f, ['attendance'], rows(0, 1, 3)).columnNames).toEqual(['attendance']);
	});

	it('stores std 1 for a constant column and the pipeline survives JSON', () => {
		const p = fitPipeline(frame(), ['constant', 'group'], rows(0, 1, 2, 3, 4));
		expect(p.steps[0].kind === 'numeric' && p.steps[0].std).toBe(1);
		const copy = JSON.parse(JSON.stringify(p));
		expect(copy).toEqual(p);
		expect(transform(copy, frame()).X).toEqual(transform(p, frame()).X);
	});

	it('keeps the most frequent categories, pooling the rest into "other"', () => {
		const labels = ['x', 'x', 'x', 'y', 'y', 'z', 'w'];
		const f = makeFrame([categoricalColumn('c', labels)]);
		const p = fitPipeline(f, ['c'], rows(0, 1, 2, 3, 4, 5, 6), { maxCategories: 2 });
		expect(p.columnNames).toEqual(['c=x', 'c=y', 'c=(other)']);
		const { X } = transform(p, f);
		expect(Array.from(X)).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1]);
	});

	it('rejects a missing feature column with a readable error', () => {
		expect(() => fitPipeline(frame(), ['nope'], rows(0))).toThrow(AppException);
		expect(() => fitPipeline(frame(), ['nope'], rows(0))).toThrow(/no column called "nope"/);
	});
});

describe('transform', () => {
	it('imputes, standardises, and flags missing values', () => {
		const f = frame();
		const p = fitPipeline(f, ['attendance'], rows(0, 1, 2, 3));
		const m = transform(p, f);
		expect(m.nRows).toBe(5);
		expect(m.nCols).toBe(2);
		const std = Math.sqrt(50);
		const at = (r: number, c: number) => m.X[r * m.nCols + c];
		expect(at(0, 0)).toBeCloseTo(10 / std, 6);
		expect(at(2, 0)).toBeCloseTo(0, 6); // missing → median 80 = mean 80
		expect(at(2, 1)).toBe(1);
		expect(at(0, 1)).toBe(0);
	});

	it('sends unseen categories to "other" and missing to its own slot', () => {
		const train = makeFrame([categoricalColumn('g', ['a', 'b', null, 'a'])]);
		const p = fitPipeline(train, ['g'], rows(0, 1, 2, 3));
		expect(p.columnNames).toEqual(['g=a', 'g=b', 'g=(other)', 'g=(missing)']);
		// A new upload: its own dictionary order, a new label, and a missing value.
		const next = makeFrame([categoricalColumn('g', ['new', 'b', null, 'a'])]);
		const { X } = transform(p, next);
		expect(Array.from(X)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
	});

	it('treats a missing value as "other" when training had no missing slot', () => {
		const train = makeFrame([categoricalColumn('g', ['a', 'b'])]);
		const p = fitPipeline(train, ['g'], rows(0, 1));
		const { X } = transform(p, makeFrame([categoricalColumn('g', [null])]));
		expect(Array.from(X)).toEqual([0, 0, 1]);
	});

	it('encodes selected rows in the given order', () => {
		const f = frame();
		const p = fitPipeline(f, ['score'], rows(0, 1, 2));
		const all = transform(p, f);
		const some = transform(p, f, [4, 0]);
		expect(some.nRows).toBe(2);
		expect(Array.from(some.X)).toEqual([
			...all.X.subarray(4 * all.nCols, 5 * all.nCols),
			...all.X.subarray(0, all.nCols)
		]);
	});

	it('rejects a numeric column that arrives as text', () => {
		const p = fitPipeline(frame(), ['score'], rows(0, 1));
		const textual = makeFrame([categoricalColumn('score', ['1', '2'])]);
		expect(() => transform(p, textual)).toThrow(/should contain numbers/);
	});

	it('one-hot rows always sum to one (property)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: null }), {
					minLength: 1,
					maxLength: 40
				}),
				fc.array(fc.option(fc.constantFrom('a', 'e', 'f'), { nil: null }), {
					minLength: 1,
					maxLength: 20
				}),
				(trainLabels, testLabels) => {
					const train = makeFrame([categoricalColumn('g', trainLabels)]);
					const p = fitPipeline(train, ['g'], Uint32Array.from(trainLabels.keys()), {
						maxCategories: 2
					});
					const m = transform(p, makeFrame([categoricalColumn('g', testLabels)]));
					for (let r = 0; r < m.nRows; r++) {
						let s = 0;
						for (let c = 0; c < m.nCols; c++) s += m.X[r * m.nCols + c];
						if (s !== 1) return false;
					}
					return true;
				}
			),
			{ numRuns: 100 }
		);
	});
});

describe('targets', () => {
	it('regression targets keep NaN for missing; labelledRows skips them', () => {
		const f = frame();
		expect(Array.from(regressionTarget(f, 'score', [0, 3]))).toEqual([60, NaN]);
		expect(Array.from(labelledRows(f, 'score'))).toEqual([0, 1, 2, 4]);
		expect(() => regressionTarget(f, 'group')).toThrow(/contains text/);
	});

	it('classes are sorted labels; unknown and missing encode as −1', () => {
		const f = makeFrame([categoricalColumn('y', ['pass', 'fail', null, 'pass', 'merit'])]);
		const classes = fitClasses(f, 'y', [0, 1, 3]);
		expect(classes).toEqual(['fail', 'pass']);
		expect(Array.from(encodeClasses(classes, f, 'y'))).toEqual([1, 0, -1, 1, -1]);
	});

	it('numeric targets become classes only when asked and when they look like codes', () => {
		const grades = makeFrame([numericColumn('g', [3, 1, 2, 3, 1, NaN])]);
		expect(() => fitClasses(grades, 'g')).toThrow(AppException);
		const classes = fitClasses(grades, 'g', undefined, { numericAsClasses: true });
		expect(classes).toEqual(['1', '2', '3']);
		expect(Array.from(encodeClasses(classes, grades, 'g'))).toEqual([2, 0, 1, 2, 0, -1]);
		const marks = makeFrame([
			numericColumn(
				'm',
				Array.from({ length: 30 }, (_, i) => i)
			)
		]);
		expect(() => fitClasses(marks, 'm', undefined, { numericAsClasses: true })).toThrow(
			/measurements/
		);
	});

	it('infers the task from the target', () => {
		const f = makeFrame([
			numericColumn(
				'mark',
				Array.from({ length: 20 }, (_, i) => 40 + i)
			),
			numericColumn(
				'passed',
				Array.from({ length: 20 }, (_, i) => i % 2)
			),
			numericColumn(
				'grade',
				Array.from({ length: 20 }, (_, i) => i % 5)
			),
			numericColumn(
				'gpa',
				Array.from({ length: 20 }, (_, i) => (i % 3) + 0.5)
			),
			categoricalColumn(
				'risk',
				Array.from({ length: 20 }, (_, i) => (i % 3 ? 'low' : 'high'))
			),
			categoricalColumn(
				'band',
				Array.from({ length: 20 }, (_, i) => 'abc'[i % 3])
			)
		]);
		expect(inferTask(f, 'mark')).toBe('regression');
		expect(inferTask(f, 'passed')).toBe('binary');
		expect(inferTask(f, 'grade')).toBe('multiclass');
		expect(inferTask(f, 'gpa')).toBe('regression');
		expect(inferTask(f, 'risk')).toBe('binary');
		expect(inferTask(f, 'band')).toBe('multiclass');
	});
});
