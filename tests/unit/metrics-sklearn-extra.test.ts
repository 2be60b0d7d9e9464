import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
	averagePrecision,
	brierScore,
	classBalance,
	classificationReport,
	f1Weighted,
	precisionRecallCurve,
	reliability,
	rocAuc,
	rocCurve
} from '../../src/lib/ml/metrics';
import { balancedClassWeights } from '../../src/lib/ml/linear';

// Expected values from scikit-learn 1.2: bench/make-validation-fixtures.py.
interface Calibration {
	n_bins: number;
	prob_true: number[];
	prob_pred: number[];
	counts: number[];
	ece: number;
}
interface MetricFixtures {
	binary: {
		name: string;
		y_true: number[];
		score: number[];
		roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
		roc_all: { fpr: number[]; tpr: number[]; thresholds: number[] };
		roc_auc: number;
		pr: { precision: number[]; recall: number[]; thresholds: number[] };
		average_precision: number;
		brier: number;
		calibration: Calibration[];
		y_pred: number[];
	}[];
	multiclass: {
		name: string;
		n_classes: number;
		y_true: number[];
		y_pred: number[];
		proba: number[][];
		precision: number[];
		recall: number[];
		f1: number[];
		support: number[];
		averages: Record<'macro' | 'weighted', { precision: number; recall: number; f1: number }>;
		brier_per_class: number[];
		top_label_calibration: Calibration;
		class_weight_balanced: number[];
	}[];
}
const fx = JSON.parse(
	readFileSync(new URL('../fixtures/validation/metrics.json', import.meta.url), 'utf8')
) as MetricFixtures;

const TOL = 1e-9;
function expectClose(actual: ArrayLike<number>, expected: number[], label: string): void {
	expect(actual.length, label).toBe(expected.length);
	for (let i = 0; i < expected.length; i++) {
		expect(Math.abs(actual[i] - expected[i]), `${label}[${i}]`).toBeLessThan(TOL);
	}
}

function expectCalibration(
	y: number[],
	p: number[],
	c: Calibration,
	mode: 'positive' | 'top-label',
	nClasses = 2
) {
	const r = reliability(y, p, nClasses, { nBins: c.n_bins, mode });
	const used = r.bins.filter((b) => b.count > 0);
	expect(used.map((b) => b.count)).toEqual(c.counts);
	expectClose(
		used.map((b) => b.observed),
		c.prob_true,
		'observed'
	);
	expectClose(
		used.map((b) => b.meanPredicted),
		c.prob_pred,
		'meanPredicted'
	);
	expect(Math.abs(r.ece - c.ece)).toBeLessThan(TOL);
}

describe('binary curves and scores match scikit-learn', () => {
	for (const c of fx.binary) {
		it(c.name, () => {
			const roc = rocCurve(c.y_true, c.score);
			expectClose(roc.fpr, c.roc.fpr, 'fpr');
			expectClose(roc.tpr, c.roc.tpr, 'tpr');
			// scikit-learn 1.2 puts max + 1 first; we put +Infinity (as 1.3+ does).
			expect(roc.thresholds[0]).toBe(Infinity);
			expectClose(roc.thresholds.subarray(1), c.roc.thresholds, 'thresholds');
			const all = rocCurve(c.y_true, c.score, { dropIntermediate: false });
			expectClose(all.fpr, c.roc_all.fpr, 'fpr (all)');
			expectClose(all.thresholds.subarray(1), c.roc_all.thresholds, 'thresholds (all)');
			expect(Math.abs(rocAuc(c.y_true, c.score) - c.roc_auc)).toBeLessThan(TOL);

			const pr = precisionRecallCurve(c.y_true, c.score);
			expectClose(pr.precision, c.pr.precision, 'precision');
			expectClose(pr.recall, c.pr.recall, 'recall');
			expectClose(pr.thresholds, c.pr.thresholds, 'pr thresholds');
			expect(Math.abs(averagePrecision(c.y_true, c.score) - c.average_precision)).toBeLessThan(TOL);

			const b = brierScore(c.y_true, c.score, 2);
			expect(Math.abs(b.perClass[1] - c.brier)).toBeLessThan(TOL);
			expect(Math.abs(b.perClass[0] - c.brier)).toBeLessThan(TOL);
			expect(Math.abs(b.sum - 2 * c.brier)).toBeLessThan(TOL);

			for (const cal of c.calibration) expectCalibration(c.y_true, c.score, cal, 'positive');
		});
	}

	it('hand-checked: perfect ranking, all ties, and a single class', () => {
		expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
		expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
		expect(averagePrecision([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
		expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
		expect(averagePrecision([0, 0], [0.2, 0.3])).toBeNaN();
		expect(() => rocCurve([0, 2], [0.1, 0.2])).toThrow(RangeError);
	});
});

describe('multiclass report, Brier and calibration match scikit-learn', () => {
	for (const c of fx.multiclass) {
		it(c.name, () => {
			const K = c.n_classes;
			const proba = c.proba.flat();
			const rep = classificationReport(c.y_true, c.y_pred, K);
			expectClose(
				rep.perClass.map((s) => s.precision),
				c.precision,
				'precision'
			);
			expectClose(
				rep.perClass.map((s) => s.recall),
				c.recall,
				'recall'
			);
			expectClose(
				rep.perClass.map((s) => s.f1),
				c.f1,
				'f1'
			);
			expect(rep.perClass.map((s) => s.support)).toEqual(c.support);
			for (const avg of ['macro', 'weighted'] as const) {
				const mine = rep[avg];
				const ref = c.averages[avg];
				expectClose(
					[mine.precision, mine.recall, mine.f1],
					[ref.precision, ref.recall, ref.f1],
					avg
				);
			}
			// The existing f1Weighted and the report agree.
			expect(Math.abs(f1Weighted(c.y_true, c.y_pred, K) - rep.weighted.f1)).toBeLessThan(1e-12);

			const b = brierScore(c.y_true, proba, K);
			expectClose(b.perClass, c.brier_per_class, 'brier per class');
			const mean = c.brier_per_class.reduce((s, v) => s + v, 0) / K;
			expect(Math.abs(b.macro - mean)).toBeLessThan(TOL);
			expect(Math.abs(b.sum - K * mean)).toBeLessThan(TOL);

			expectCalibration(c.y_true, proba, c.top_label_calibration, 'top-label', K);
			expectClose(balancedClassWeights(c.y_true, K), c.class_weight_balanced, 'class weights');
		});
	}

	it('hand-checked Brier: a uniform guess over K classes scores (K − 1) / K²', () => {
		const b = brierScore([0, 1, 2], new Float64Array(9).fill(1 / 3), 3);
		expect(b.macro).toBeCloseTo(2 / 9, 15);
		expect(b.sum).toBeCloseTo(2 / 3, 15);
	});

	it('reliability bins are equal-width, with empty bins reported as NaN', () => {
		const r = reliability([1, 0, 1], [0.95, 0.05, 0.85], 2, { nBins: 5 });
		expect(r.bins.map((b) => b.count)).toEqual([1, 0, 0, 0, 2]);
		expect(r.bins[2].observed).toBeNaN();
		expect(r.bins[4].upper).toBe(1);
		expect(r.ece).toBeCloseTo((1 / 3) * 0.05 + (2 / 3) * 0.1, 12);
		expect(() => reliability([0, 1, 2], new Float64Array(9), 3, { mode: 'positive' })).toThrow(
			RangeError
		);
	});
});

describe('classBalance', () => {
	it('counts, ratio, and flags rare and empty classes', () => {
		const labels = [...new Array<number>(45).fill(0), ...new Array<number>(12).fill(1), 3, 3, 3];
		const b = classBalance(labels, 4);
		expect(b.counts).toEqual([45, 12, 0, 3]);
		expect(b.majority).toBe(0);
		expect(b.minority).toBe(3);
		expect(b.imbalanceRatio).toBe(15);
		expect(b.empty).toEqual([2]);
		expect(b.rare).toEqual([3]);
		expect(b.proportions[1]).toBeCloseTo(0.2, 15);
		expect(classBalance([], 2).imbalanceRatio).toBeNaN();
	});
});
