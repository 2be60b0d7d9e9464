import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
	classificationDiagnostics,
	classificationScores,
	downsampleIndices,
	regressionDiagnostics,
	regressionScores,
	type ClassificationDiagnosticsInput,
	type RegressionDiagnosticsInput
} from '../../../src/lib/ml/train/diagnostics';
import { num, pct, score, unitOf } from '../../../src/lib/ml/train/readings';
import type { LearningCurve } from '../../../src/lib/ml/train/types';

// Expected values from scikit-learn 1.2: bench/make-diagnostics-fixtures.py.
type Scores = Record<string, number | null>;
interface RegressionCase {
	name: string;
	y: number[];
	pred: number[];
	baseline_pred: number[];
	metrics: Scores;
	baseline: Scores;
	residual_p10: number;
	residual_p90: number;
	residual_mean: number;
	hist_edges: number[];
	hist_counts: number[];
}
interface ClassificationCase {
	name: string;
	task: 'binary' | 'multiclass';
	n_classes: number;
	y: number[];
	proba: number[];
	baseline_proba: number[];
	metrics: Scores;
	baseline: Scores;
	confusion: number[][];
	precision: number[];
	recall: number[];
	f1: number[];
	support: number[];
	brier_per_class: number[];
	reliability_counts: number[];
	roc?: { fpr: number[]; tpr: number[] };
	pr?: { precision: number[]; recall: number[] };
}
const fx = JSON.parse(
	readFileSync(new URL('../../fixtures/train/diagnostics-sklearn.json', import.meta.url), 'utf8')
) as { regression: RegressionCase[]; classification: ClassificationCase[] };

const TOL = 1e-9;
function expectClose(actual: ArrayLike<number>, expected: number[], label: string): void {
	expect(actual.length, label).toBe(expected.length);
	for (let i = 0; i < expected.length; i++) {
		expect(Math.abs(actual[i] - expected[i]), `${label}[${i}]`).toBeLessThan(TOL);
	}
}
function expectScores(actual: Record<string, number>, expected: Scores, label: string): void {
	expect(Object.keys(actual).sort(), label).toEqual(Object.keys(expected).sort());
	for (const [key, want] of Object.entries(expected)) {
		if (want === null) expect(actual[key], `${label}.${key}`).toBeNaN();
		else expect(Math.abs(actual[key] - want), `${label}.${key}`).toBeLessThan(TOL);
	}
}

const classNames = (k: number) => ['A', 'B', 'C', 'D', 'E', 'F'].slice(0, k);
const regInput = (c: RegressionCase, seed = 1): RegressionDiagnosticsInput => ({
	target: 'final_exam',
	y: c.y,
	pred: c.pred,
	baselinePred: c.baseline_pred,
	learningCurve: null,
	importance: [],
	seed
});
const clsInput = (c: ClassificationCase): ClassificationDiagnosticsInput => ({
	target: 'grade',
	task: c.task,
	classes: classNames(c.n_classes),
	y: c.y,
	proba: c.proba,
	baselineProba: c.baseline_proba,
	learningCurve: null,
	importance: []
});

/** Every typed array or non-JSON number anywhere in a result, by path. */
function nonJson(value: unknown, path = '$'): string[] {
	if (ArrayBuffer.isView(value)) return [path];
	if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
	if (Array.isArray(value)) return value.flatMap((v, i) => nonJson(v, `${path}[${i}]`));
	if (value && typeof value === 'object') {
		return Object.entries(value).flatMap(([k, v]) => nonJson(v, `${path}.${k}`));
	}
	return [];
}

/** What no reading may contain: an unrounded float, a leaked JS value, or false certainty. */
function expectReadable(readings: Partial<Record<string, string>>): void {
	for (const [key, text = ''] of Object.entries(readings)) {
		expect(text, key).not.toMatch(/NaN|undefined|null|Infinity|\[object|e[+-]\d/);
		expect(text, key).not.toMatch(/\d\.\d{3,}/);
		expect(text, key).not.toMatch(/\bwill\b|certain|definitely|guarantee/i);
		expect(text.length, key).toBeGreaterThan(20);
	}
}

describe('regression diagnostics match scikit-learn', () => {
	for (const c of fx.regression) {
		it(c.name, () => {
			const d = regressionDiagnostics(regInput(c));
			expectScores(d.metrics, c.metrics, 'metrics');
			expectScores(d.baseline, c.baseline, 'baseline');
			expectScores(regressionScores(c.y, c.pred), c.metrics, 'regressionScores');
			expectClose(d.residualHistogram.edges, c.hist_edges, 'edges');
			expect(d.residualHistogram.counts).toEqual(c.hist_counts);
			expect(d.nRows).toBe(c.y.length);
			expect(d.actual).toEqual(c.y);
			expect(d.predicted).toEqual(c.pred);
			// The residual reading quotes the 10th–90th percentile, rounded for people.
			for (const q of [c.residual_p10, c.residual_p90]) {
				expect(d.readings.residuals).toContain(num(Math.abs(q)));
			}
			expectReadable(d.readings);
			expect(JSON.parse(JSON.stringify(d))).toEqual(d);
		});
	}
});

describe('classification diagnostics match scikit-learn', () => {
	for (const c of fx.classification) {
		it(c.name, () => {
			const d = classificationDiagnostics(clsInput(c));
			expectScores(d.metrics, c.metrics, 'metrics');
			expectScores(d.baseline, c.baseline, 'baseline');
			const fold = classificationScores(c.y, c.proba, c.n_classes);
			expect(Object.keys(fold).sort()).toEqual(
				['accuracy', 'balanced_accuracy', 'f1_weighted', 'log_loss'].sort()
			);
			for (const [key, v] of Object.entries(fold)) expect(v).toBe(d.metrics[key]);
			expect(d.confusion).toEqual(c.confusion);
			expectClose(
				d.report.perClass.map((s) => s.precision),
				c.precision,
				'precision'
			);
			expectClose(
				d.report.perClass.map((s) => s.recall),
				c.recall,
				'recall'
			);
			expectClose(
				d.report.perClass.map((s) => s.f1),
				c.f1,
				'f1'
			);
			expect(d.report.perClass.map((s) => s.support)).toEqual(c.support);
			expectClose(d.brierPerClass, c.brier_per_class, 'brier per class');
			expect(d.reliability.bins.map((b) => b.count)).toEqual(c.reliability_counts);
			expect(d.reliability.mode).toBe(c.task === 'binary' ? 'positive' : 'top-label');
			expect(Math.abs(d.reliability.ece - (c.metrics.ece as number))).toBeLessThan(TOL);
			expect(d.balance.counts.reduce((a, b) => a + b, 0)).toBe(c.y.length);
			expectReadable(d.readings);
			if (c.task === 'multiclass') {
				expect(d.roc).toBeNull();
				expect(d.pr).toBeNull();
				expect(d.readings.roc).toBeUndefined();
			}
		});
	}

	for (const c of fx.classification.filter((c) => c.roc && c.pr)) {
		it(`${c.name}: curves are downsampled from sklearn's, areas from the full curve`, () => {
			const d = classificationDiagnostics(clsInput(c));
			const roc = d.roc!;
			const pr = d.pr!;
			expect(Math.abs(roc.auc - (c.metrics.roc_auc as number))).toBeLessThan(TOL);
			expect(Math.abs(pr.averagePrecision - (c.metrics.average_precision as number))).toBeLessThan(
				TOL
			);
			const full = { roc: c.roc!, pr: c.pr! };
			for (const [xs, ys, fxs, fys, label] of [
				[roc.fpr, roc.tpr, full.roc.fpr, full.roc.tpr, 'roc'],
				[pr.recall, pr.precision, full.pr.recall, full.pr.precision, 'pr']
			] as const) {
				expect(xs.length, label).toBe(Math.min(200, fxs.length));
				expect(ys.length, label).toBe(xs.length);
				// Endpoints kept, every point one of sklearn's, in sklearn's order.
				expect(Math.abs(xs[0] - fxs[0]) + Math.abs(ys[0] - fys[0])).toBeLessThan(TOL);
				const last = fxs.length - 1;
				expect(Math.abs(xs.at(-1)! - fxs[last]) + Math.abs(ys.at(-1)! - fys[last])).toBeLessThan(
					TOL
				);
				let from = 0;
				for (let i = 0; i < xs.length; i++) {
					let j = from;
					while (j < fxs.length && Math.abs(fxs[j] - xs[i]) + Math.abs(fys[j] - ys[i]) > TOL) j++;
					expect(j, `${label} point ${i}`).toBeLessThan(fxs.length);
					from = j + 1;
				}
			}
			expect(d.readings.roc).toContain(`ROC AUC ${score(roc.auc)}:`);
			expect(d.readings.pr).toContain(`Average precision ${score(pr.averagePrecision)} `);
			expect(JSON.parse(JSON.stringify(d))).toEqual(d);
			expect(nonJson(d)).toEqual([]);
		});
	}
});

describe('downsampleIndices', () => {
	it('keeps the ends, stays increasing and within the limit', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 2, max: 300 }), (m, k) => {
				const idx = downsampleIndices(m, k);
				expect(idx.length).toBe(Math.min(m, k));
				expect(idx[0]).toBe(0);
				expect(idx.at(-1)).toBe(m - 1);
				for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
			})
		);
	});
});

describe('scatter sample', () => {
	const n = 5000;
	const y = Float64Array.from({ length: n }, (_, i) => (i * 37) % 101);
	const pred = y.map((v, i) => v + ((i % 7) - 3) / 10);
	const input = (seed: number): RegressionDiagnosticsInput => ({
		target: 'final_exam',
		y,
		pred,
		baselinePred: new Float64Array(n).fill(50),
		learningCurve: null,
		importance: [],
		seed
	});

	it('is at most 2,000 rows, the same for the same seed, pairs kept together', () => {
		const a = regressionDiagnostics(input(7));
		const b = regressionDiagnostics(input(7));
		const c = regressionDiagnostics(input(8));
		expect(a.actual.length).toBe(2000);
		expect(a.predicted.length).toBe(2000);
		expect(b.actual).toEqual(a.actual);
		expect(b.predicted).toEqual(a.predicted);
		expect(c.predicted).not.toEqual(a.predicted);
		expect(a.nRows).toBe(n);
		// The histogram and metrics use every row, not the sample.
		expect(a.residualHistogram.counts.reduce((s, x) => s + x, 0)).toBe(n);
		expect(a.readings.scatter).toContain('2000 of the 5000');
		for (let i = 0; i < a.actual.length; i++) {
			expect(Math.abs(a.predicted[i] - a.actual[i])).toBeLessThanOrEqual(0.3 + 1e-12);
		}
	});
});

describe('edge cases', () => {
	it('refuses zero rows with a message a teacher understands', () => {
		const empty = { ...regInput(fx.regression[0]), y: [], pred: [], baselinePred: [] };
		expect(() => regressionDiagnostics(empty)).toThrow(RangeError);
		expect(() => regressionDiagnostics(empty)).toThrow(/no rows/);
		const c = fx.classification[0];
		expect(() =>
			classificationDiagnostics({ ...clsInput(c), y: [], proba: [], baselineProba: [] })
		).toThrow(/no rows/);
	});

	it('refuses mismatched lengths, unknown classes and non-finite values', () => {
		const r = fx.regression[0];
		expect(() => regressionDiagnostics({ ...regInput(r), pred: r.pred.slice(1) })).toThrow(
			RangeError
		);
		expect(() =>
			regressionDiagnostics({ ...regInput(r), pred: [NaN, ...r.pred.slice(1)] })
		).toThrow(/pred\[0\]/);
		const c = fx.classification[0];
		expect(() => classificationDiagnostics({ ...clsInput(c), y: [2, ...c.y.slice(1)] })).toThrow(
			/y\[0\]/
		);
		expect(() => classificationDiagnostics({ ...clsInput(c), proba: c.proba.slice(2) })).toThrow(
			RangeError
		);
		expect(() => classificationDiagnostics({ ...clsInput(c), classes: ['A', 'B', 'C'] })).toThrow(
			/exactly 2/
		);
	});

	it('one class present: AUC and AP are NaN, the curves null, the readings say unknown', () => {
		const c = fx.classification.find((c) => c.name === 'binary-one-class')!;
		const d = classificationDiagnostics(clsInput(c));
		expect(d.metrics.roc_auc).toBeNaN();
		expect(d.metrics.average_precision).toBeNaN();
		expect(d.baseline.roc_auc).toBeNaN();
		expect(d.roc).toBeNull();
		expect(d.pr).toBeNull();
		expect(d.readings.roc).toMatch(/unknown/);
		expect(d.readings.pr).toMatch(/unknown/);
		expect(d.readings.balance).toMatch(/no row has grade B/);
		// Only the documented undefined metrics are not JSON numbers.
		expect(nonJson(d).sort()).toEqual(
			[
				'$.metrics.roc_auc',
				'$.metrics.average_precision',
				'$.baseline.roc_auc',
				'$.baseline.average_precision'
			].sort()
		);
	});

	it('constant predictions and all-equal residuals', () => {
		const y = [3, 3, 3, 3];
		const d = regressionDiagnostics({
			...regInput(fx.regression[0]),
			y,
			pred: y,
			baselinePred: y
		});
		expect(d.metrics).toEqual({ rmse: 0, mae: 0, r2: 1 });
		expect(d.residualHistogram.counts.length).toBe(20);
		expect(d.residualHistogram.counts.reduce((a, b) => a + b, 0)).toBe(4);
		expect(d.residualHistogram.edges[0]).toBe(-0.5);
		expect(d.residualHistogram.edges[20]).toBe(0.5);
		expect(d.readings.residuals).toMatch(/about 0 marks/);
		expectReadable(d.readings);

		const flat = classificationDiagnostics({
			target: 'passed',
			task: 'binary',
			classes: ['fail', 'pass'],
			y: [0, 1, 1, 0, 1],
			proba: [0.4, 0.6, 0.4, 0.6, 0.4, 0.6, 0.4, 0.6, 0.4, 0.6],
			baselineProba: [0.4, 0.6, 0.4, 0.6, 0.4, 0.6, 0.4, 0.6, 0.4, 0.6],
			learningCurve: null,
			importance: []
		});
		expect(flat.metrics.roc_auc).toBe(0.5);
		expect(flat.roc!.fpr).toEqual([0, 1]);
		expect(flat.confusion).toEqual([
			[0, 2],
			[0, 3]
		]);
		expect(flat.readings.summary).toMatch(/no better than guessing/);
		expect(flat.readings.report).toMatch(/finds only 0% of students whose passed is fail/);
		expectReadable(flat.readings);
		expect(JSON.parse(JSON.stringify(flat))).toEqual(flat);
	});
});

describe('readings', () => {
	it('rounds numbers for people and names what is unknown', () => {
		expect([num(1.449), num(0.58), num(0.042), num(-0.04), num(-0.0001), num(0.001)]).toEqual([
			'1.4',
			'0.6',
			'0.04',
			'−0.04',
			'just under 0',
			'under 0.01'
		]);
		expect([num(-0.0), num(2.25e7), num(NaN), score(0.9693), score(1)]).toEqual([
			'0',
			'22.5 million',
			'unknown',
			'0.97',
			'1'
		]);
		expect([pct(0.004), pct(0.996), pct(0.4), pct(NaN)]).toEqual([
			'under 1%',
			'over 99%',
			'40%',
			'an unknown share'
		]);
		expect([
			unitOf('final_exam'),
			unitOf('previous_cgpa'),
			unitOf('attendance_percentage')
		]).toEqual([' marks', ' grade points', ' percentage points']);
		expect(unitOf('wellbeing')).toBe('');
	});

	const lc = (over: Partial<LearningCurve>): LearningCurve => ({
		unit: 'round',
		metric: 'squared error',
		train: [10, 8, 6, 5, 4, 3.5],
		validation: [11, 9, 8, 7.5, 7.4, 7.3],
		best: 6,
		...over
	});

	it('regression: summary in marks against the class average, importance names the top 3', () => {
		const d = regressionDiagnostics({
			target: 'final_exam',
			y: [50, 60, 70, 80],
			pred: [51, 58.5, 71, 79],
			baselinePred: [65, 65, 65, 65],
			learningCurve: lc({}),
			importance: [
				{ feature: 'rats', share: 0.1 },
				{ feature: 'attendance', share: 0.5 },
				{ feature: 'cats', share: 0.3 },
				{ feature: 'class_size', share: 0.1 }
			],
			seed: 1
		});
		expect(d.readings.summary).toBe(
			'On average the predicted final_exam is 1.1 marks off (guessing the class average: 10 off).'
		);
		expect(d.readings.importance).toMatch(
			/^The predictions lean most on attendance \(50%\), cats \(30%\) and (rats|class_size) \(10%\)/
		);
		expect(d.readings.learning).toMatch(/still level or falling/);
	});

	it('learning: early stopping at the kept round, overfitting when validation rises', () => {
		const base = { ...regInput(fx.regression[0]) };
		const early = regressionDiagnostics({ ...base, learningCurve: lc({ best: 3 }) });
		expect(early.readings.learning).toMatch(/stopped early .* round 3 of 6/);
		const over = regressionDiagnostics({
			...base,
			learningCurve: lc({ unit: 'epoch', validation: [11, 9, 8, 8.5, 9, 10], best: 6 })
		});
		expect(over.readings.learning).toMatch(/lowest at epoch 3 and rises.*overfitting/);
		const none = regressionDiagnostics({ ...base, learningCurve: lc({ validation: null }) });
		expect(none.readings.learning).toMatch(/from 10 to 3.5 over 6 rounds/);
		expect(regressionDiagnostics(base).readings.learning).toBeUndefined();
	});

	it('classification: confusion, weakest class, rare class, calibration', () => {
		// 12 B rows predicted C; D is rare; the probabilities are over-confident.
		const y: number[] = [];
		const proba: number[] = [];
		const row = (t: number, p: number) => {
			y.push(t);
			proba.push(...[0, 1, 2, 3].map((c) => (c === p ? 0.97 : 0.01)));
		};
		for (let i = 0; i < 30; i++) row(0, 0);
		for (let i = 0; i < 18; i++) row(1, i < 12 ? 2 : 1);
		for (let i = 0; i < 25; i++) row(2, i < 3 ? 1 : 2);
		for (let i = 0; i < 3; i++) row(3, 3);
		const prior = y.flatMap(() => [0.4, 0.24, 0.32, 0.04]);
		const d = classificationDiagnostics({
			target: 'grade',
			task: 'multiclass',
			classes: ['A', 'B', 'C', 'D'],
			y,
			proba,
			baselineProba: prior,
			learningCurve: null,
			importance: []
		});
		expect(d.readings.confusion).toBe(
			'Students with grade B were most often predicted as C (12 times).'
		);
		expect(d.readings.report).toMatch(/finds only 33% of students whose grade is B \(6 of 18\)/);
		expect(d.readings.balance).toMatch(/D \(3 rows, 4%\) is rare.*'balanced' class-weight/);
		expect(d.metrics.ece).toBeGreaterThan(0.1);
		expect(d.readings.reliability).toMatch(
			/When the model is about 97% sure, it is right about 80%/
		);
		expect(d.readings.reliability).toMatch(/poor calibration/);
		expect(d.readings.brier).toMatch(/0 is perfect/);
		expect(d.readings.summary).toMatch(/correctly for 80% of students/);
	});

	const curve = fc.option(
		fc.record({
			unit: fc.constantFrom('round' as const, 'epoch' as const),
			metric: fc.constantFrom('log loss', 'squared error'),
			train: fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 30 }),
			validation: fc.option(
				fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 30 })
			),
			best: fc.integer({ min: 1, max: 30 })
		}),
		{ nil: null }
	);
	const importance = fc.array(
		fc.record({
			feature: fc.constantFrom('attendance', 'cats', 'rats', 'sleep hours'),
			share: fc.double({ min: 0, max: 1, noNaN: true })
		}),
		{ maxLength: 6 }
	);

	it('regression readings never show NaN, undefined or unrounded numbers', () => {
		const value = fc.double({ min: -1e7, max: 1e7, noNaN: true });
		fc.assert(
			fc.property(
				fc.array(fc.tuple(value, value, value), { minLength: 1, maxLength: 40 }),
				fc.constantFrom('final_exam', 'previous_cgpa', 'attendance_percentage', 'wellbeing'),
				curve,
				importance,
				(rows, target, learningCurve, imp) => {
					const d = regressionDiagnostics({
						target,
						y: rows.map((r) => r[0]),
						pred: rows.map((r) => r[1]),
						baselinePred: rows.map((r) => r[2]),
						learningCurve,
						importance: imp,
						seed: 3
					});
					expect(Object.keys(d.readings)).toEqual(
						expect.arrayContaining(['summary', 'scatter', 'residuals'])
					);
					expectReadable(d.readings);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('classification readings never show NaN, undefined or unrounded numbers', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 2, max: 5 }),
				fc.array(
					fc.tuple(
						fc.nat(),
						fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 })
					),
					{ minLength: 1, maxLength: 60 }
				),
				curve,
				importance,
				(k, rows, learningCurve, imp) => {
					const norm = (w: number[]) => {
						const s = w.slice(0, k).reduce((a, b) => a + b, 0);
						return w.slice(0, k).map((v) => (s > 0 ? v / s : 1 / k));
					};
					const d = classificationDiagnostics({
						target: 'grade',
						task: k === 2 ? 'binary' : 'multiclass',
						classes: classNames(k),
						y: rows.map(([t]) => t % k),
						proba: rows.flatMap(([, w]) => norm(w)),
						baselineProba: rows.flatMap(() => norm([1, 2, 3, 4, 5])),
						learningCurve,
						importance: imp
					});
					const keys = ['summary', 'report', 'confusion', 'brier', 'balance', 'reliability'];
					if (k === 2) keys.push('roc', 'pr');
					expect(Object.keys(d.readings)).toEqual(expect.arrayContaining(keys));
					expectReadable(d.readings);
				}
			),
			{ numRuns: 200 }
		);
	});
});
