/**
 * Scores of predictions against real results, named like the cross-validated scores stored with
 * a model (ml/train diagnostics) so the two can be put side by side: rmse, mae, r2 for
 * regression; accuracy, balanced_accuracy, brier_macro, log_loss for classification. Added here:
 * the share of real results inside the 90 % interval (coverage90), the mean signed error (bias),
 * and for classification the Brier score and calibration of P(risk class).
 */
import {
	accuracy,
	balancedAccuracy,
	brierScore,
	logLoss,
	mae,
	predictedClasses,
	r2,
	reliability,
	rmse,
	type ReliabilityBin
} from '../metrics';
import type { TargetDerivation } from '../train/types';
import type { OutcomeMatch, PredictionSet } from './match';

export interface OutcomeMetrics {
	task: 'regression' | 'classification';
	/** Students compared. */
	n: number;
	metrics: Record<string, number>;
	/** Classification: reliability of P(risk class) against whether it happened. */
	calibration: ReliabilityBin[] | null;
	/** Classification: index into classes of the class `calibration` is about. */
	riskClass: number | null;
}

export interface OutcomeMetricOptions {
	/** Classification: the at-risk class (default: riskClassIndex's choice). */
	riskClass?: number | null;
	/** Calibration bins (default 10). */
	nBins?: number;
}

/**
 * Which class counts as "at risk" when the caller does not say: a derived pass/fail target's
 * fail label, a derived grade's lowest band, a class named like failing, else the last class
 * (classes[1] for binary, the positive class of the training diagnostics).
 */
export function riskClassIndex(
	classes: readonly string[],
	derive: TargetDerivation | null = null,
	preferred: string | null = null
): number {
	const find = (label: string) => classes.findIndex((c) => c.trim() === label.trim());
	if (preferred !== null && find(preferred) >= 0) return find(preferred);
	if (derive?.kind === 'pass-fail' && find(derive.failLabel) >= 0) return find(derive.failLabel);
	if (derive?.kind === 'grade' && find(derive.below) >= 0) return find(derive.below);
	const named = classes.findIndex((c) =>
		/\b(fail(ed|ing)?|at[\s_-]?risk|risk|drop(ped)?[\s_-]?out|withdrawn?|not[\s_-]?pass(ed)?)\b/i.test(
			c.replace(/_/g, ' ')
		)
	);
	return named >= 0 ? named : classes.length - 1;
}

/** P(class c) of prediction row r, whichever of the two binary layouts is stored. */
export function probabilityAt(p: PredictionSet, r: number, c: number): number {
	const k = p.classes?.length ?? 0;
	if (p.nOutputs === k) return p.outputs[r * k + c];
	if (k === 2 && p.nOutputs === 1) return c === 1 ? p.outputs[r] : 1 - p.outputs[r];
	throw new RangeError(`${p.nOutputs} outputs per row do not fit ${k} classes.`);
}

function regression(p: PredictionSet, m: OutcomeMatch): OutcomeMetrics {
	const n = m.rows.length;
	const yPred = new Float64Array(n);
	let bias = 0;
	let inside = 0;
	let withInterval = 0;
	for (let i = 0; i < n; i++) {
		const r = m.rows[i];
		yPred[i] = p.outputs[r * p.nOutputs];
		bias += yPred[i] - m.actual[i];
		const lo = p.lower?.[r];
		const hi = p.upper?.[r];
		if (lo !== undefined && hi !== undefined && Number.isFinite(lo) && Number.isFinite(hi)) {
			withInterval++;
			if (m.actual[i] >= lo && m.actual[i] <= hi) inside++;
		}
	}
	const metrics: Record<string, number> = {
		rmse: rmse(m.actual, yPred),
		mae: mae(m.actual, yPred),
		bias: n ? bias / n : NaN
	};
	if (n >= 2) metrics.r2 = r2(m.actual, yPred);
	if (withInterval > 0) metrics.coverage90 = inside / withInterval;
	return { task: 'regression', n, metrics, calibration: null, riskClass: null };
}

function classification(
	p: PredictionSet,
	m: OutcomeMatch,
	opts: OutcomeMetricOptions
): OutcomeMetrics {
	const classes = p.classes ?? [];
	const k = classes.length;
	const n = m.rows.length;
	const proba = new Float64Array(n * k);
	for (let i = 0; i < n; i++) {
		for (let c = 0; c < k; c++) proba[i * k + c] = probabilityAt(p, m.rows[i], c);
	}
	const y = Int32Array.from(m.actual);
	const risk = opts.riskClass ?? riskClassIndex(classes);
	const metrics: Record<string, number> = {};
	if (n > 0) {
		const pred = predictedClasses(proba, n, k);
		const brier = brierScore(y, proba, k);
		metrics.accuracy = accuracy(y, pred);
		metrics.balanced_accuracy = balancedAccuracy(y, pred, k);
		metrics.brier_macro = brier.macro;
		metrics.brier_risk = brier.perClass[risk];
		metrics.log_loss = logLoss(y, proba, k);
	}
	// P(risk) against "was at risk", whatever the number of classes.
	const pRisk = new Float64Array(n);
	const isRisk = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		pRisk[i] = proba[i * k + risk];
		isRisk[i] = y[i] === risk ? 1 : 0;
	}
	const rel = reliability(isRisk, pRisk, 2, { mode: 'positive', nBins: opts.nBins ?? 10 });
	if (n > 0) metrics.ece_risk = rel.ece;
	return { task: 'classification', n, metrics, calibration: rel.bins, riskClass: risk };
}

/** Real-world scores of the matched predictions. */
export function outcomeMetrics(
	predictions: PredictionSet,
	match: OutcomeMatch,
	opts: OutcomeMetricOptions = {}
): OutcomeMetrics {
	return predictions.classes
		? classification(predictions, match, opts)
		: regression(predictions, match);
}
