/**
 * Diagnostics of a trained model, computed from its pooled out-of-fold predictions: the metrics
 * (next to the baseline's), the data behind each figure on the diagnostics page, and one
 * plain-language reading per figure (readings.ts). Every metric comes from ../metrics, so the
 * leaderboard, the diagnostics and the tests agree to the last digit.
 *
 * The result is plain JSON (no typed arrays) because it is stored in IndexedDB, crosses
 * postMessage and is exported with the model. The only NaN left is a metric that is undefined
 * for the rows given: roc_auc and average_precision when y holds one class only (the baseline
 * likewise); the curves are then null rather than full of NaN.
 */
import {
	accuracy,
	averagePrecision,
	balancedAccuracy,
	brierScore,
	classBalance,
	classificationReport,
	confusionMatrix,
	f1Weighted,
	logLoss,
	mae,
	precisionRecallCurve,
	predictedClasses,
	r2,
	reliability,
	rmse,
	rocAuc,
	rocCurve
} from '../metrics';
import { createRng } from '../random';
import { quantileSorted } from '../stats/profile';
import type {
	ClassificationDiagnostics,
	ImportanceEntry,
	LearningCurve,
	RegressionDiagnostics
} from './types';
import { classificationReadings, regressionReadings } from './readings';

/** The scatter plot stays responsive in the browser (SVG) with up to this many points. */
export const SCATTER_SAMPLE = 2000;
/** Enough points that a downsampled curve is indistinguishable from the full one on screen. */
export const CURVE_POINTS = 200;
export const RESIDUAL_BINS = 20;

export interface RegressionDiagnosticsInput {
	target: string;
	/** True values (out-of-fold rows). */
	y: ArrayLike<number>;
	/** Out-of-fold predictions, same order. */
	pred: ArrayLike<number>;
	/** Out-of-fold predictions of the mean baseline. */
	baselinePred: ArrayLike<number>;
	learningCurve: LearningCurve | null;
	importance: ImportanceEntry[];
	/** Seeds the scatter sample, so the same run always shows the same points. */
	seed: number;
}

export interface ClassificationDiagnosticsInput {
	target: string;
	task: 'binary' | 'multiclass';
	/** Labels, index = class code; the binary positive class is classes[1]. */
	classes: string[];
	/** Class indices. */
	y: ArrayLike<number>;
	/** Row-major n × K probabilities (K = classes.length), also for binary. */
	proba: ArrayLike<number>;
	/** Same layout, of the prior baseline. */
	baselineProba: ArrayLike<number>;
	learningCurve: LearningCurve | null;
	importance: ImportanceEntry[];
}

function checkRows(n: number): void {
	if (n === 0) {
		throw new RangeError('There are no rows with a known target to check the model on.');
	}
}

function checkFinite(xs: ArrayLike<number>, name: string, expected: number): void {
	if (xs.length !== expected) {
		throw new RangeError(`${name} has ${xs.length} values but ${expected} were expected.`);
	}
	for (let i = 0; i < xs.length; i++) {
		if (!Number.isFinite(xs[i])) throw new RangeError(`${name}[${i}] is not a finite number.`);
	}
}

/** Fold metrics used for leaderboards; same keys as the diagnostics' metrics. */
export function regressionScores(
	y: ArrayLike<number>,
	pred: ArrayLike<number>
): Record<string, number> {
	return { rmse: rmse(y, pred), mae: mae(y, pred), r2: r2(y, pred) };
}

/** Fold metrics used for leaderboards; same keys as the diagnostics' metrics minus the curve ones. */
export function classificationScores(
	y: ArrayLike<number>,
	proba: ArrayLike<number>,
	nClasses: number
): Record<string, number> {
	const yPred = predictedClasses(proba, y.length, nClasses);
	return {
		accuracy: accuracy(y, yPred),
		balanced_accuracy: balancedAccuracy(y, yPred, nClasses),
		f1_weighted: f1Weighted(y, yPred, nClasses),
		log_loss: logLoss(y, proba, nClasses)
	};
}

/** Up to `size` row indices drawn without replacement, in row order (partial Fisher–Yates). */
export function sampleIndices(n: number, size: number, seed: number): number[] {
	if (n <= size) return Array.from({ length: n }, (_, i) => i);
	const rng = createRng(seed);
	const idx = Uint32Array.from({ length: n }, (_, i) => i);
	for (let i = 0; i < size; i++) {
		const j = i + rng.int(n - i);
		const t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
	return Array.from(idx.subarray(0, size)).sort((a, b) => a - b);
}

/** Equal-width bins; the last bin holds the maximum (as numpy.histogram). */
export function equalWidthHistogram(
	values: ArrayLike<number>,
	nBins: number
): { edges: number[]; counts: number[] } {
	let lo = Infinity;
	let hi = -Infinity;
	for (let i = 0; i < values.length; i++) {
		if (values[i] < lo) lo = values[i];
		if (values[i] > hi) hi = values[i];
	}
	// All-equal values (a perfect or constant model) still need a non-empty range to draw.
	if (!(hi > lo)) {
		const mid = Number.isFinite(lo) ? lo : 0;
		lo = mid - 0.5;
		hi = mid + 0.5;
	}
	const width = (hi - lo) / nBins;
	const edges = Array.from({ length: nBins + 1 }, (_, b) => (b === nBins ? hi : lo + b * width));
	const counts = new Array<number>(nBins).fill(0);
	for (let i = 0; i < values.length; i++) {
		let b = Math.floor((values[i] - lo) / width);
		if (b >= nBins) b = nBins - 1;
		if (b < 0) b = 0;
		counts[b]++;
	}
	return { edges, counts };
}

/**
 * Evenly spaced indices into a curve of m points, at most `max`, always the first and last:
 * drawn as lines, the shape survives, and the areas are computed on the full curve anyway.
 */
export function downsampleIndices(m: number, max: number): number[] {
	if (m <= max) return Array.from({ length: m }, (_, i) => i);
	const out: number[] = [];
	for (let j = 0; j < max; j++) {
		const i = Math.round((j * (m - 1)) / (max - 1));
		if (out.length === 0 || out[out.length - 1] !== i) out.push(i);
	}
	return out;
}

const pick = (xs: ArrayLike<number>, idx: number[]): number[] => idx.map((i) => xs[i]);

export function regressionDiagnostics(input: RegressionDiagnosticsInput): RegressionDiagnostics {
	const { y, pred, baselinePred } = input;
	const n = y.length;
	checkRows(n);
	checkFinite(y, 'y', n);
	checkFinite(pred, 'pred', n);
	checkFinite(baselinePred, 'baselinePred', n);

	const residuals = new Float64Array(n);
	let sum = 0;
	for (let i = 0; i < n; i++) {
		residuals[i] = y[i] - pred[i];
		sum += residuals[i];
	}
	const sorted = Float64Array.from(residuals).sort();
	const sample = sampleIndices(n, SCATTER_SAMPLE, input.seed);
	const base = {
		task: 'regression' as const,
		target: input.target,
		metrics: regressionScores(y, pred),
		baseline: regressionScores(y, baselinePred),
		actual: pick(y, sample),
		predicted: pick(pred, sample),
		residualHistogram: equalWidthHistogram(residuals, RESIDUAL_BINS),
		learningCurve: input.learningCurve,
		importance: input.importance,
		nRows: n
	};
	const readings = regressionReadings({
		...base,
		residuals: {
			p10: quantileSorted(sorted, 0.1),
			p90: quantileSorted(sorted, 0.9),
			mean: sum / n
		}
	});
	return { ...base, readings };
}

type Roc = ClassificationDiagnostics['roc'];
type Pr = ClassificationDiagnostics['pr'];

function binaryCurves(y: ArrayLike<number>, p1: Float64Array): { roc: Roc; pr: Pr } {
	const auc = rocAuc(y, p1);
	const ap = averagePrecision(y, p1);
	let roc: Roc = null;
	if (Number.isFinite(auc)) {
		const c = rocCurve(y, p1);
		const idx = downsampleIndices(c.fpr.length, CURVE_POINTS);
		roc = { fpr: pick(c.fpr, idx), tpr: pick(c.tpr, idx), auc };
	}
	let pr: Pr = null;
	if (Number.isFinite(ap)) {
		const c = precisionRecallCurve(y, p1);
		const idx = downsampleIndices(c.recall.length, CURVE_POINTS);
		pr = { recall: pick(c.recall, idx), precision: pick(c.precision, idx), averagePrecision: ap };
	}
	return { roc, pr };
}

function positiveColumn(proba: ArrayLike<number>, n: number, k: number): Float64Array {
	return Float64Array.from({ length: n }, (_, i) => proba[i * k + 1]);
}

/** The pooled metrics of one set of probabilities (the model's or the baseline's). */
function pooledMetrics(
	y: ArrayLike<number>,
	proba: ArrayLike<number>,
	k: number,
	binary: boolean
): Record<string, number> {
	const n = y.length;
	const yPred = predictedClasses(proba, n, k);
	const report = classificationReport(y, yPred, k);
	const out: Record<string, number> = {
		...classificationScores(y, proba, k),
		precision_weighted: report.weighted.precision,
		recall_weighted: report.weighted.recall,
		brier_macro: brierScore(y, proba, k).macro,
		ece: reliability(y, proba, k).ece
	};
	if (binary) {
		const p1 = positiveColumn(proba, n, k);
		out.roc_auc = rocAuc(y, p1);
		out.average_precision = averagePrecision(y, p1);
	}
	return out;
}

export function classificationDiagnostics(
	input: ClassificationDiagnosticsInput
): ClassificationDiagnostics {
	const { y, proba, baselineProba, classes, task } = input;
	const n = y.length;
	const k = classes.length;
	checkRows(n);
	if (task === 'binary' ? k !== 2 : k < 2) {
		throw new RangeError(
			`A ${task} task needs ${task === 'binary' ? 'exactly 2' : 'at least 2'} classes, got ${k}.`
		);
	}
	for (let i = 0; i < n; i++) {
		if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= k) {
			throw new RangeError(`y[${i}] = ${y[i]} is not a class index in 0..${k - 1}.`);
		}
	}
	checkFinite(proba, 'proba', n * k);
	checkFinite(baselineProba, 'baselineProba', n * k);

	const binary = task === 'binary';
	const yPred = predictedClasses(proba, n, k);
	const rel = reliability(y, proba, k);
	const { roc, pr } = binary
		? binaryCurves(y, positiveColumn(proba, n, k))
		: { roc: null, pr: null };
	const base = {
		task,
		target: input.target,
		classes: [...classes],
		metrics: pooledMetrics(y, proba, k, binary),
		baseline: pooledMetrics(y, baselineProba, k, binary),
		report: classificationReport(y, yPred, k),
		confusion: confusionMatrix(y, yPred, k),
		brierPerClass: Array.from(brierScore(y, proba, k).perClass),
		reliability: {
			mode: rel.mode,
			// Empty bins have no mean to plot (calibration_curve drops them too), and NaN is not JSON.
			bins: rel.bins
				.filter((b) => b.count > 0)
				.map(({ lower, upper, count, meanPredicted, observed }) => ({
					lower,
					upper,
					count,
					meanPredicted,
					observed
				})),
			ece: rel.ece
		},
		roc,
		pr,
		balance: classBalance(y, k),
		learningCurve: input.learningCurve,
		importance: input.importance,
		nRows: n
	};
	return { ...base, readings: classificationReadings(base) };
}
