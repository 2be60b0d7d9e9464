import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
	accuracy,
	balancedAccuracy,
	confusionMatrix,
	f1Weighted,
	logLoss,
	mae,
	predictedClasses,
	r2,
	rmse
} from '../../src/lib/ml/metrics';

// Expected values computed by scikit-learn: see bench/make-metrics-fixtures.py.
interface Fixtures {
	sklearn: string;
	regression: {
		name: string;
		y_true: number[];
		y_pred: number[];
		rmse: number;
		mae: number;
		r2: number;
	}[];
	classification: {
		name: string;
		n_classes: number;
		y_true: number[];
		y_pred: number[];
		proba: number[][];
		accuracy: number;
		balanced_accuracy: number;
		f1_weighted: number;
		log_loss: number;
		log_loss_binary_vector: number | null;
		confusion_matrix: number[][];
	}[];
}

const fixtures = JSON.parse(
	readFileSync(new URL('../fixtures/metrics-sklearn.json', import.meta.url), 'utf8')
) as Fixtures;

describe('regression metrics match scikit-learn', () => {
	for (const c of fixtures.regression) {
		it(c.name, () => {
			const yTrue = Float64Array.from(c.y_true);
			const yPred = Float32Array.from(c.y_pred);
			// y_pred goes through float32 here, as model outputs do; hence 5–6 digits.
			expect(rmse(yTrue, yPred)).toBeCloseTo(c.rmse, 5);
			expect(mae(yTrue, yPred)).toBeCloseTo(c.mae, 5);
			expect(r2(yTrue, yPred)).toBeCloseTo(c.r2, 5);
			expect(rmse(c.y_true, c.y_pred)).toBeCloseTo(c.rmse, 12);
			expect(r2(c.y_true, c.y_pred)).toBeCloseTo(c.r2, 12);
		});
	}

	it('hand-computed: perfect predictions and empty input', () => {
		expect(rmse([1, 2, 3], [1, 2, 3])).toBe(0);
		expect(r2([1, 2, 3], [1, 2, 3])).toBe(1);
		expect(r2([4, 4], [4, 4])).toBe(1);
		expect(Number.isNaN(rmse([], []))).toBe(true);
		expect(() => mae([1], [1, 2])).toThrow(RangeError);
	});
});

describe('classification metrics match scikit-learn', () => {
	for (const c of fixtures.classification) {
		it(c.name, () => {
			const yTrue = Int32Array.from(c.y_true);
			const yPred = Int32Array.from(c.y_pred);
			const k = c.n_classes;
			expect(accuracy(yTrue, yPred)).toBeCloseTo(c.accuracy, 12);
			expect(balancedAccuracy(yTrue, yPred, k)).toBeCloseTo(c.balanced_accuracy, 12);
			expect(f1Weighted(yTrue, yPred, k)).toBeCloseTo(c.f1_weighted, 12);
			expect(confusionMatrix(yTrue, yPred, k)).toEqual(c.confusion_matrix);
			expect(logLoss(yTrue, Float64Array.from(c.proba.flat()), k)).toBeCloseTo(c.log_loss, 12);
			if (c.log_loss_binary_vector !== null) {
				const p1 = Float64Array.from(c.proba.map((row) => row[1]));
				expect(logLoss(yTrue, p1, 2)).toBeCloseTo(c.log_loss_binary_vector, 12);
			}
		});
	}

	it('hand-computed: log loss of a certain right and a 50/50 answer', () => {
		expect(logLoss([1, 0], [1, 0.5], 2)).toBeCloseTo(Math.log(2) / 2, 12);
		// A confident wrong answer is clipped, not infinite.
		expect(Number.isFinite(logLoss([1], [0], 2))).toBe(true);
	});

	it('predictedClasses: argmax rows, and the 0.5 threshold for binary vectors', () => {
		expect(Array.from(predictedClasses([0.2, 0.5, 0.3, 0.1, 0.1, 0.8], 2, 3))).toEqual([1, 2]);
		expect(Array.from(predictedClasses([0.49, 0.5], 2, 2))).toEqual([0, 1]);
	});
});

describe('fixtures', () => {
	it('were made with scikit-learn 1.2', () => {
		expect(fixtures.sklearn).toMatch(/^1\.2\./);
	});
});
