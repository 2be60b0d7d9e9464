/**
 * Scores for predicted probabilities: the multiclass Brier score and reliability (calibration)
 * diagrams with expected calibration error. Probabilities are P(class 1) per row for two
 * classes, or row-major n × K.
 */

type Labels = ArrayLike<number>;

/** P(class c) for row i, whichever of the two layouts `proba` uses. */
function probAccessor(
	proba: ArrayLike<number>,
	n: number,
	nClasses: number
): (i: number, c: number) => number {
	if (nClasses === 2 && proba.length === n) return (i, c) => (c === 1 ? proba[i] : 1 - proba[i]);
	if (proba.length !== n * nClasses) {
		throw new RangeError(`Expected ${n} × ${nClasses} probabilities, got ${proba.length}.`);
	}
	return (i, c) => proba[i * nClasses + c];
}

export interface BrierScore {
	/**
	 * One-vs-rest Brier score per class: mean over rows of (P(c) − [y = c])². For the positive
	 * class of a binary task this is scikit-learn's brier_score_loss.
	 */
	perClass: Float64Array;
	/** Mean of perClass: 0 is perfect; predicting 1/K for everything scores (K−1)/K². */
	macro: number;
	/**
	 * Brier's original multiclass score, mean over rows of Σ_c (P(c) − [y = c])² = K · macro
	 * (between 0 and 2). For binary it is twice the usual binary Brier score.
	 */
	sum: number;
}

export function brierScore(yTrue: Labels, proba: ArrayLike<number>, nClasses: number): BrierScore {
	const n = yTrue.length;
	const p = probAccessor(proba, n, nClasses);
	const perClass = new Float64Array(nClasses);
	if (n === 0) return { perClass: perClass.fill(NaN), macro: NaN, sum: NaN };
	for (let i = 0; i < n; i++) {
		const t = yTrue[i];
		for (let c = 0; c < nClasses; c++) {
			const d = p(i, c) - (t === c ? 1 : 0);
			perClass[c] += d * d;
		}
	}
	let sum = 0;
	for (let c = 0; c < nClasses; c++) {
		perClass[c] /= n;
		sum += perClass[c];
	}
	return { perClass, macro: sum / nClasses, sum };
}

export interface ReliabilityBin {
	lower: number;
	upper: number;
	count: number;
	/** Mean predicted probability (confidence) of the rows in the bin; NaN when empty. */
	meanPredicted: number;
	/** Observed frequency: share of positives (binary) or of correct top labels; NaN when empty. */
	observed: number;
}

export interface Reliability {
	mode: 'positive' | 'top-label';
	bins: ReliabilityBin[];
	/** Σ_b (count_b / n) · |observed_b − meanPredicted_b|. */
	ece: number;
	/** Largest gap over non-empty bins. */
	mce: number;
}

export interface ReliabilityOptions {
	nBins?: number;
	/**
	 * 'positive': P(class 1) against the share of class 1 (binary only; scikit-learn's
	 * calibration_curve). 'top-label': the highest probability against whether that class was
	 * right. Default: 'positive' for binary, 'top-label' otherwise.
	 */
	mode?: 'positive' | 'top-label';
}

/**
 * Equal-width bins on [0, 1]. As in scikit-learn's calibration_curve, a value on an inner edge
 * belongs to the lower bin (bins are (lower, upper], the first also holds 0).
 */
function binOf(v: number, nBins: number, width: number): number {
	let b = Math.min(nBins - 1, Math.max(0, Math.floor(v * nBins)));
	// Edges computed as i·(1/n), like numpy's linspace, so ties land where sklearn puts them.
	while (b > 0 && b * width >= v) b--;
	while (b < nBins - 1 && (b + 1) * width < v) b++;
	return b;
}

export function reliability(
	yTrue: Labels,
	proba: ArrayLike<number>,
	nClasses: number,
	opts: ReliabilityOptions = {}
): Reliability {
	const nBins = opts.nBins ?? 10;
	if (!Number.isInteger(nBins) || nBins < 1) throw new RangeError('nBins must be ≥ 1.');
	const mode = opts.mode ?? (nClasses === 2 ? 'positive' : 'top-label');
	if (mode === 'positive' && nClasses !== 2) {
		throw new RangeError("mode 'positive' is for two classes; use 'top-label'.");
	}
	const n = yTrue.length;
	const p = probAccessor(proba, n, nClasses);
	const width = 1 / nBins;
	const count = new Float64Array(nBins);
	const sumPred = new Float64Array(nBins);
	const sumObs = new Float64Array(nBins);
	for (let i = 0; i < n; i++) {
		let conf: number;
		let hit: number;
		if (mode === 'positive') {
			conf = p(i, 1);
			hit = yTrue[i] === 1 ? 1 : 0;
		} else {
			let best = 0;
			for (let c = 1; c < nClasses; c++) if (p(i, c) > p(i, best)) best = c;
			conf = p(i, best);
			hit = yTrue[i] === best ? 1 : 0;
		}
		const b = binOf(conf, nBins, width);
		count[b]++;
		sumPred[b] += conf;
		sumObs[b] += hit;
	}
	const bins: ReliabilityBin[] = [];
	let ece = 0;
	let mce = 0;
	for (let b = 0; b < nBins; b++) {
		const k = count[b];
		const meanPredicted = k ? sumPred[b] / k : NaN;
		const observed = k ? sumObs[b] / k : NaN;
		if (k) {
			const gap = Math.abs(observed - meanPredicted);
			ece += (k / n) * gap;
			if (gap > mce) mce = gap;
		}
		bins.push({
			lower: b * width,
			upper: b === nBins - 1 ? 1 : (b + 1) * width,
			count: k,
			meanPredicted,
			observed
		});
	}
	return { mode, bins, ece: n ? ece : NaN, mce: n ? mce : NaN };
}
