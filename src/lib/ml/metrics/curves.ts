/**
 * ROC and precision–recall curves for binary tasks, computed as scikit-learn does: rows sorted by
 * score, one curve point per distinct score (tied scores move together, never one by one).
 * yTrue is 0/1 with 1 the positive class ("at risk", "pass"); scores are any monotone score,
 * usually P(class 1).
 */

export interface RocCurve {
	fpr: Float64Array;
	tpr: Float64Array;
	/** Decreasing; the first is +Infinity (the "predict nobody" point at the origin). */
	thresholds: Float64Array;
}

export interface PrCurve {
	/** Recall decreasing from 1 to 0, with precision 1 appended at recall 0 as scikit-learn does. */
	precision: Float64Array;
	recall: Float64Array;
	/** Increasing; one fewer than precision/recall. */
	thresholds: Float64Array;
}

interface Counts {
	/** Cumulative true/false positives at each distinct score, highest score first. */
	tps: Float64Array;
	fps: Float64Array;
	thresholds: Float64Array;
}

function binaryCounts(yTrue: ArrayLike<number>, scores: ArrayLike<number>): Counts {
	const n = yTrue.length;
	if (scores.length !== n) {
		throw new RangeError(`yTrue has ${n} values but scores has ${scores.length}.`);
	}
	for (let i = 0; i < n; i++) {
		if (Number.isNaN(scores[i])) throw new RangeError(`Score ${i} is not a number.`);
		if (yTrue[i] !== 0 && yTrue[i] !== 1) throw new RangeError(`Label ${i} is not 0 or 1.`);
	}
	const order = Uint32Array.from({ length: n }, (_, i) => i);
	order.sort((a, b) => scores[b] - scores[a]);
	const tps: number[] = [];
	const fps: number[] = [];
	const thr: number[] = [];
	let tp = 0;
	let fp = 0;
	for (let r = 0; r < n; r++) {
		const i = order[r];
		if (yTrue[i] === 1) tp++;
		else fp++;
		// A point only where the next score differs: ties are one threshold.
		if (r === n - 1 || scores[order[r + 1]] !== scores[i]) {
			tps.push(tp);
			fps.push(fp);
			thr.push(scores[i]);
		}
	}
	return {
		tps: Float64Array.from(tps),
		fps: Float64Array.from(fps),
		thresholds: Float64Array.from(thr)
	};
}

export interface RocOptions {
	/**
	 * Drop points collinear with their neighbours (they never show on the plot), as
	 * scikit-learn's drop_intermediate=True. Default true.
	 */
	dropIntermediate?: boolean;
}

/**
 * scikit-learn's roc_curve. One difference: the first threshold is +Infinity (scikit-learn ≥ 1.3)
 * rather than max score + 1 (≤ 1.2). With no positives (or no negatives) tpr (fpr) is NaN.
 */
export function rocCurve(
	yTrue: ArrayLike<number>,
	scores: ArrayLike<number>,
	opts: RocOptions = {}
): RocCurve {
	let { tps, fps, thresholds } = binaryCounts(yTrue, scores);
	const m = tps.length;
	if ((opts.dropIntermediate ?? true) && m > 2) {
		const keep: number[] = [0];
		for (let i = 1; i < m - 1; i++) {
			// Non-zero second difference in either count = a corner on the plot.
			const d2f = fps[i + 1] - 2 * fps[i] + fps[i - 1];
			const d2t = tps[i + 1] - 2 * tps[i] + tps[i - 1];
			if (d2f !== 0 || d2t !== 0) keep.push(i);
		}
		keep.push(m - 1);
		tps = Float64Array.from(keep, (i) => tps[i]);
		fps = Float64Array.from(keep, (i) => fps[i]);
		thresholds = Float64Array.from(keep, (i) => thresholds[i]);
	}
	const k = tps.length;
	const pos = k ? tps[k - 1] : 0;
	const neg = k ? fps[k - 1] : 0;
	const fpr = new Float64Array(k + 1);
	const tpr = new Float64Array(k + 1);
	const thr = new Float64Array(k + 1);
	thr[0] = Infinity;
	fpr[0] = neg > 0 ? 0 : NaN;
	tpr[0] = pos > 0 ? 0 : NaN;
	for (let i = 0; i < k; i++) {
		fpr[i + 1] = neg > 0 ? fps[i] / neg : NaN;
		tpr[i + 1] = pos > 0 ? tps[i] / pos : NaN;
		thr[i + 1] = thresholds[i];
	}
	return { fpr, tpr, thresholds: thr };
}

/** Trapezoidal area under a curve given by points with monotone x. */
export function areaUnderCurve(x: ArrayLike<number>, y: ArrayLike<number>): number {
	let area = 0;
	for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
	return Math.abs(area);
}

/**
 * Area under the ROC curve: the chance a random positive scores above a random negative (ties
 * count a half). NaN when only one class is present (scikit-learn raises instead).
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
	const { fpr, tpr } = rocCurve(yTrue, scores, { dropIntermediate: false });
	if (fpr.length < 2 || Number.isNaN(fpr[1]) || Number.isNaN(tpr[1])) return NaN;
	return areaUnderCurve(fpr, tpr);
}

/**
 * scikit-learn's precision_recall_curve (1.2, and later without drop_intermediate): every
 * distinct score is a threshold; precision with no predicted positives is 0. With no positives
 * in yTrue, recall is 1 at every threshold (as scikit-learn, with its warning).
 */
export function precisionRecallCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): PrCurve {
	const { tps, fps, thresholds } = binaryCounts(yTrue, scores);
	const k = tps.length;
	const pos = k ? tps[k - 1] : 0;
	const precision = new Float64Array(k + 1);
	const recall = new Float64Array(k + 1);
	const thr = new Float64Array(k);
	for (let i = 0; i < k; i++) {
		const r = k - 1 - i; // reversed: lowest threshold (full recall) first
		const ps = tps[r] + fps[r];
		precision[i] = ps > 0 ? tps[r] / ps : 0;
		recall[i] = pos > 0 ? tps[r] / pos : 1;
		thr[i] = thresholds[r];
	}
	precision[k] = 1;
	recall[k] = 0;
	return { precision, recall, thresholds: thr };
}

/**
 * Average precision, Σ (Rₙ − Rₙ₋₁) · Pₙ over thresholds (no interpolation), as scikit-learn's
 * average_precision_score. NaN when yTrue has no positives (nothing to recall).
 */
export function averagePrecision(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
	const { precision, recall } = precisionRecallCurve(yTrue, scores);
	let pos = 0;
	for (let i = 0; i < yTrue.length; i++) pos += yTrue[i] === 1 ? 1 : 0;
	if (pos === 0) return NaN;
	let ap = 0;
	for (let i = 0; i < precision.length - 1; i++) ap -= (recall[i + 1] - recall[i]) * precision[i];
	return ap;
}
