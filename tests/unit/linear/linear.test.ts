import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CancelledError, CancelSource } from '../../../src/lib/ml/progress';
import {
	balancedClassWeights,
	fitLogistic,
	fitRidge,
	predictLogisticProba,
	predictRidge,
	type DenseMatrix
} from '../../../src/lib/ml/linear';

// Expected values from scikit-learn Ridge / LogisticRegression: bench/make-validation-fixtures.py.
interface LinearFixtures {
	X: number[][];
	X_test: number[][];
	y: number[];
	ridge: {
		name: string;
		alpha: number;
		standardize: boolean;
		sample_weight: number[] | null;
		coef: number[];
		intercept: number;
		pred: number[];
	}[];
	logistic: {
		name: string;
		C: number;
		standardize: boolean;
		class_weight: 'balanced' | null;
		sample_weight: number[] | null;
		n_classes: number;
		y: number[];
		coef: number[][];
		intercept: number[];
		proba: number[][];
	}[];
}
const fx = JSON.parse(
	readFileSync(new URL('../../fixtures/validation/linear.json', import.meta.url), 'utf8')
) as LinearFixtures;

const matrix = (rows: number[][]): DenseMatrix => ({
	data: Float64Array.from(rows.flat()),
	nRows: rows.length,
	nCols: rows[0].length
});
const X = matrix(fx.X);
const XTest = matrix(fx.X_test);

/** Max |a − b| relative to max(1, |b|), elementwise. */
function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
	expect(a.length).toBe(b.length);
	let m = 0;
	for (let i = 0; i < a.length; i++)
		m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
	return m;
}

describe('ridge matches scikit-learn', () => {
	for (const c of fx.ridge) {
		it(c.name, () => {
			const m = fitRidge(X, fx.y, {
				alpha: c.alpha,
				standardize: c.standardize,
				sampleWeight: c.sample_weight ?? undefined
			});
			// Closed form on both sides: agreement is to round-off.
			expect(maxRelErr(m.coef, c.coef)).toBeLessThan(1e-10);
			expect(maxRelErr([m.intercept], [c.intercept])).toBeLessThan(1e-10);
			expect(maxRelErr(predictRidge(m, XTest), c.pred)).toBeLessThan(1e-10);
		});
	}

	it('alpha 0 is least squares, and collinear columns still solve', () => {
		const rows = Array.from({ length: 20 }, (_, i) => [i, 2 * i, (i * 7) % 5]);
		const y = rows.map(([a, , c]) => 3 * a - 2 * c + 1);
		const m = fitRidge(matrix(rows), y, { alpha: 0 });
		const pred = predictRidge(m, matrix(rows));
		expect(maxRelErr(pred, y)).toBeLessThan(1e-6);
	});

	it('a constant column gets a zero coefficient', () => {
		const rows = Array.from({ length: 10 }, (_, i) => [i, 5]);
		const m = fitRidge(
			matrix(rows),
			rows.map(([a]) => a),
			{ alpha: 1 }
		);
		expect(m.coef[1]).toBe(0);
	});
});

describe('logistic regression matches scikit-learn', () => {
	for (const c of fx.logistic) {
		it(c.name, () => {
			const m = fitLogistic(X, c.y, {
				nClasses: c.n_classes,
				C: c.C,
				standardize: c.standardize,
				classWeight: c.class_weight ?? undefined,
				sampleWeight: c.sample_weight ?? undefined
			});
			expect(m.converged).toBe(true);
			// scikit-learn's solvers were run at tol 1e-12 and checked for optimality by the
			// fixture script; both sides agree to ~1e-8, so 1e-6 leaves room for round-off.
			expect(maxRelErr(m.coef, c.coef.flat())).toBeLessThan(1e-6);
			expect(maxRelErr(m.intercept, c.intercept)).toBeLessThan(1e-6);
			const proba = predictLogisticProba(m, XTest);
			const expected = c.n_classes === 2 ? c.proba.map((r) => r[1]) : c.proba.flat();
			expect(maxRelErr(proba, expected)).toBeLessThan(1e-7);
		});
	}

	it('stays finite on perfectly separable data', () => {
		const rows = Array.from({ length: 30 }, (_, i) => [i - 15]);
		const y = rows.map(([v]) => (v >= 0 ? 1 : 0));
		const m = fitLogistic(matrix(rows), y, { nClasses: 2, C: 1 });
		expect(Number.isFinite(m.coef[0])).toBe(true);
		expect(m.converged).toBe(true);
		const p = predictLogisticProba(m, matrix([[-10], [10]]));
		expect(p[0]).toBeLessThan(0.1);
		expect(p[1]).toBeGreaterThan(0.9);
	});

	it('multinomial probabilities sum to one and intercepts to zero', () => {
		const c = fx.logistic.find((l) => l.n_classes > 2);
		if (!c) throw new Error('fixture has no multiclass case');
		const m = fitLogistic(X, c.y, { nClasses: c.n_classes });
		const p = predictLogisticProba(m, XTest);
		for (let i = 0; i < XTest.nRows; i++) {
			let s = 0;
			for (let k = 0; k < c.n_classes; k++) s += p[i * c.n_classes + k];
			expect(s).toBeCloseTo(1, 12);
		}
		expect(m.intercept.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
	});

	it('balanced class weights are n / (K · count)', () => {
		expect(Array.from(balancedClassWeights([0, 0, 0, 1], 2))).toEqual([4 / 6, 2]);
	});

	it('rejects labels outside the classes', () => {
		expect(() => fitLogistic(matrix([[1], [2]]), [0, 2], { nClasses: 2 })).toThrow(RangeError);
	});
});

describe('cancellation', () => {
	it('a cancelled token stops the logistic fit', () => {
		const source = new CancelSource();
		source.cancel();
		expect(() => fitLogistic(X, fx.logistic[0].y, { nClasses: 2, cancel: source })).toThrow(
			CancelledError
		);
	});
});
