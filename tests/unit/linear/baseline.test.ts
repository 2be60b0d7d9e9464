import { describe, expect, it } from 'vitest';
import {
	fitMeanBaseline,
	fitPriorBaseline,
	predictBaseline,
	predictBaselineProba
} from '../../../src/lib/ml/linear';
import { rmse } from '../../../src/lib/ml/metrics';

describe('naive baseline', () => {
	it('predicts the training mean for numbers', () => {
		const m = fitMeanBaseline([50, 60, 70, 80]);
		expect(m).toEqual({ kind: 'mean', mean: 65 });
		expect(Array.from(predictBaseline(m, 3))).toEqual([65, 65, 65]);
		// The mean baseline's RMSE on its training data is the (population) standard deviation.
		expect(rmse([50, 60, 70, 80], predictBaseline(m, 4))).toBeCloseTo(Math.sqrt(125), 12);
		expect(fitMeanBaseline([1, 3], [3, 1])).toEqual({ kind: 'mean', mean: 1.5 });
	});

	it('predicts the majority class with the class frequencies as probabilities', () => {
		const m = fitPriorBaseline(Int32Array.from([2, 0, 2, 1, 2, 0]), 4);
		if (m.kind !== 'prior') throw new Error('expected a prior baseline');
		expect(m.majority).toBe(2);
		expect(Array.from(m.priors)).toEqual([2 / 6, 1 / 6, 3 / 6, 0]);
		expect(Array.from(predictBaseline(m, 2))).toEqual([2, 2]);
		const p = predictBaselineProba(m, 2);
		expect(p).toHaveLength(8);
		expect(Array.from(p.subarray(4))).toEqual(Array.from(m.priors));
	});

	it('uses P(class 1) per row for two classes, like the tree models; ties go to the lower class', () => {
		const m = fitPriorBaseline([0, 1, 1, 0], 2);
		expect(predictBaseline(m, 1)[0]).toBe(0);
		expect(Array.from(predictBaselineProba(m, 2))).toEqual([0.5, 0.5]);
		expect(predictBaselineProba(m, 2, true)).toHaveLength(4);
		expect(() => predictBaselineProba(fitMeanBaseline([1]), 1)).toThrow(TypeError);
		expect(() => fitPriorBaseline([0, 3], 2)).toThrow(RangeError);
	});
});
