import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	matchOutcomes,
	outcomeMetrics,
	probabilityAt,
	riskClassIndex,
	type PredictionSet
} from '$lib/ml/outcomes';

describe('outcomeMetrics — regression', () => {
	it('matches hand-computed RMSE, MAE, bias, R² and 90 % interval coverage', () => {
		const preds: PredictionSet = {
			studentIds: ['a', 'b', 'c'],
			outputs: Float64Array.from([10, 20, 30]),
			nOutputs: 1,
			classes: null,
			lower: Float64Array.from([8, 15, 25]),
			upper: Float64Array.from([12, 25, 32])
		};
		const m = matchOutcomes(
			preds,
			new Map([
				['a', 12],
				['b', 18],
				['c', 33]
			])
		);
		const r = outcomeMetrics(preds, m);
		expect(r.task).toBe('regression');
		expect(r.n).toBe(3);
		// Errors −2, 2, −3.
		expect(r.metrics.rmse).toBeCloseTo(Math.sqrt(17 / 3), 12);
		expect(r.metrics.mae).toBeCloseTo(7 / 3, 12);
		expect(r.metrics.bias).toBeCloseTo(-1, 12);
		expect(r.metrics.r2).toBeCloseTo(1 - 17 / 234, 12);
		// 12 ∈ [8, 12], 18 ∈ [15, 25], 33 ∉ [25, 32].
		expect(r.metrics.coverage90).toBeCloseTo(2 / 3, 12);
		expect(r.calibration).toBeNull();
	});

	it('leaves coverage out without intervals and R² out for one student', () => {
		const preds: PredictionSet = {
			studentIds: ['a'],
			outputs: [5],
			nOutputs: 1,
			classes: null
		};
		const r = outcomeMetrics(preds, matchOutcomes(preds, new Map([['a', 7]])));
		expect(r.metrics).toEqual({ rmse: 2, mae: 2, bias: -2 });
	});

	it('RMSE ≥ MAE ≥ 0, coverage within [0, 1], and a shared shift changes nothing (property)', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.tuple(
						fc.double({ min: -100, max: 100, noNaN: true }),
						fc.double({ min: -100, max: 100, noNaN: true }),
						fc.double({ min: 0, max: 20, noNaN: true })
					),
					{ minLength: 1, maxLength: 40 }
				),
				fc.double({ min: -50, max: 50, noNaN: true }),
				(rows, shift) => {
					const ids = rows.map((_, i) => `s${i}`);
					const make = (d: number): PredictionSet => ({
						studentIds: ids,
						outputs: Float64Array.from(rows, ([p]) => p + d),
						nOutputs: 1,
						classes: null,
						lower: Float64Array.from(rows, ([p, , w]) => p + d - w),
						upper: Float64Array.from(rows, ([p, , w]) => p + d + w)
					});
					const actual = (d: number) => new Map(rows.map(([, y], i) => [`s${i}`, y + d]));
					const a = outcomeMetrics(make(0), matchOutcomes(make(0), actual(0)));
					const b = outcomeMetrics(make(shift), matchOutcomes(make(shift), actual(shift)));
					expect(a.metrics.rmse + 1e-9).toBeGreaterThanOrEqual(a.metrics.mae);
					expect(a.metrics.mae).toBeGreaterThanOrEqual(0);
					expect(a.metrics.coverage90).toBeGreaterThanOrEqual(0);
					expect(a.metrics.coverage90).toBeLessThanOrEqual(1);
					expect(b.metrics.rmse).toBeCloseTo(a.metrics.rmse, 6);
				}
			)
		);
	});
});

describe('outcomeMetrics — classification', () => {
	const preds: PredictionSet = {
		studentIds: ['a', 'b', 'c', 'd'],
		// P(fail) in the binary layout (P(classes[1]) only).
		outputs: Float64Array.from([0.9, 0.2, 0.6, 0.1]),
		nOutputs: 1,
		classes: ['pass', 'fail']
	};
	const actuals = new Map([
		['a', 'fail'],
		['b', 'pass'],
		['c', 'pass'],
		['d', 'fail']
	]);

	it('matches hand-computed accuracy, Brier, log loss and calibration of P(fail)', () => {
		const r = outcomeMetrics(preds, matchOutcomes(preds, actuals), { nBins: 5 });
		expect(r.task).toBe('classification');
		expect(r.riskClass).toBe(1);
		// Predicted fail, pass, fail, pass against fail, pass, pass, fail.
		expect(r.metrics.accuracy).toBe(0.5);
		expect(r.metrics.balanced_accuracy).toBe(0.5);
		// (0.1² + 0.2² + 0.6² + 0.9²) / 4, the same for both classes of a binary task.
		expect(r.metrics.brier_macro).toBeCloseTo(0.305, 12);
		expect(r.metrics.brier_risk).toBeCloseTo(0.305, 12);
		expect(r.metrics.log_loss).toBeCloseTo(
			-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.1)) / 4,
			12
		);
		const bins = r.calibration ?? [];
		expect(bins.map((b) => b.count)).toEqual([2, 0, 1, 0, 1]);
		expect(bins[0].meanPredicted).toBeCloseTo(0.15, 12);
		expect(bins[0].observed).toBe(0.5);
		expect(bins[2].observed).toBe(0);
		expect(bins[4].observed).toBe(1);
		// ECE: ½·0.35 + ¼·0.6 + ¼·0.1.
		expect(r.metrics.ece_risk).toBeCloseTo(0.35, 12);
	});

	it('gives the same scores for the two binary layouts', () => {
		const full: PredictionSet = {
			...preds,
			outputs: Float64Array.from([0.1, 0.9, 0.8, 0.2, 0.4, 0.6, 0.9, 0.1]),
			nOutputs: 2
		};
		const a = outcomeMetrics(preds, matchOutcomes(preds, actuals));
		const b = outcomeMetrics(full, matchOutcomes(full, actuals));
		for (const k of Object.keys(a.metrics)) expect(b.metrics[k]).toBeCloseTo(a.metrics[k], 12);
		expect(probabilityAt(full, 2, 1)).toBe(0.6);
		expect(probabilityAt(preds, 2, 0)).toBeCloseTo(0.4, 12);
	});

	it('calibrates the probability of the chosen risk class in a multiclass task', () => {
		const p: PredictionSet = {
			studentIds: ['a', 'b'],
			outputs: Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.1, 0.8]),
			nOutputs: 3,
			classes: ['A', 'B', 'F']
		};
		const r = outcomeMetrics(
			p,
			matchOutcomes(
				p,
				new Map([
					['a', 'A'],
					['b', 'B']
				])
			),
			{ nBins: 2, riskClass: 2 }
		);
		expect(r.metrics.accuracy).toBe(0.5);
		expect(r.calibration?.map((b) => b.count)).toEqual([1, 1]);
		expect(r.calibration?.[1].observed).toBe(0);
		// One-vs-rest Brier of F: (0.1² + 0.8²) / 2.
		expect(r.metrics.brier_risk).toBeCloseTo(0.325, 12);
	});
});

describe('riskClassIndex', () => {
	it('prefers the caller, then the derivation, then names, then the last class', () => {
		expect(riskClassIndex(['pass', 'fail'], null, 'pass')).toBe(0);
		expect(
			riskClassIndex(['ok', 'low'], {
				kind: 'pass-fail',
				source: 'm',
				threshold: 5,
				passLabel: 'ok',
				failLabel: 'low'
			})
		).toBe(1);
		expect(
			riskClassIndex(['A', 'B', 'E'], {
				kind: 'grade',
				source: 'm',
				boundaries: [
					{ label: 'A', min: 7 },
					{ label: 'B', min: 5 }
				],
				below: 'E'
			})
		).toBe(2);
		expect(riskClassIndex(['At_risk', 'fine'])).toBe(0);
		expect(riskClassIndex(['Failed', 'Passed'])).toBe(0);
		expect(riskClassIndex(['no', 'yes'])).toBe(1);
	});
});
