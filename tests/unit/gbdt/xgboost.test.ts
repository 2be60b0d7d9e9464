import { describe, expect, it } from 'vitest';
import { categoricalColumn, makeFrame, numericColumn } from '$lib/ml/frame';
import { toXgboostJson, trainGbdt, xgbCondition } from '$lib/ml/gbdt';

describe('XGBoost export', () => {
	it('turns "x ≤ t" into an equivalent float32 "x < c"', () => {
		for (const t of [0.3, -0.3, 1, 0, -2.5e-8, 123456.789, 0.5000001]) {
			const c = xgbCondition(t);
			expect(Math.fround(c)).toBe(c);
			for (const x of [t, Math.fround(t), c, -c, 0, 1, -1].map(Math.fround)) {
				expect(x < c).toBe(x <= t);
			}
		}
	});

	it('writes floats with a decimal point and folds the base score into the first tree', () => {
		const x = makeFrame([numericColumn('a', [1, 2, 3, 4, 5, 6, 7, 8])]);
		const m = trainGbdt(x, [1, 1, 1, 1, 5, 5, 5, 5], { nRounds: 2, minSamplesLeaf: 1 });
		const text = toXgboostJson(m);
		const j = JSON.parse(text);
		const trees = j.learner.gradient_booster.model.trees;
		expect(trees).toHaveLength(2);
		expect(text).toMatch(/"sum_hessian":\[8\.0,/);
		expect(trees[0].base_weights[1]).toBeCloseTo(m.trees[0].value[1] + m.baseScore[0], 6);
		const cat = makeFrame([categoricalColumn('c', ['a', 'b', 'a', 'b'])]);
		const mc = trainGbdt(cat, [0, 1, 0, 1], { nRounds: 1, minSamplesLeaf: 1 });
		expect(() => toXgboostJson(mc)).toThrow(TypeError);
	});
});
