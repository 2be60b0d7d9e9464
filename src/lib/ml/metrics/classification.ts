/**
 * Classification metrics on class indices (Int32Array, 0..nClasses−1), matching scikit-learn's
 * definitions (see tests/fixtures/metrics-sklearn.json). Probabilities are row-major n × nClasses;
 * for two classes a plain length-n array of P(class 1) is accepted too.
 */

type Labels = ArrayLike<number>;

function checkLengths(yTrue: Labels, yPred: Labels): number {
	if (yTrue.length !== yPred.length) {
		throw new RangeError(`yTrue has ${yTrue.length} values but yPred has ${yPred.length}.`);
	}
	return yTrue.length;
}

function inferClasses(...ys: Labels[]): number {
	let max = -1;
	for (const y of ys) for (let i = 0; i < y.length; i++) if (y[i] > max) max = y[i];
	return max + 1;
}

export function accuracy(yTrue: Labels, yPred: Labels): number {
	const n = checkLengths(yTrue, yPred);
	if (n === 0) return NaN;
	let hits = 0;
	for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) hits++;
	return hits / n;
}

/** Counts[t][p]: how many rows of true class t were predicted as p (labels outside are skipped). */
export function confusionMatrix(yTrue: Labels, yPred: Labels, nClasses?: number): number[][] {
	const n = checkLengths(yTrue, yPred);
	const k = nClasses ?? inferClasses(yTrue, yPred);
	const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
	for (let i = 0; i < n; i++) {
		const t = yTrue[i];
		const p = yPred[i];
		if (t >= 0 && t < k && p >= 0 && p < k) m[t][p]++;
	}
	return m;
}

/** Mean recall over the classes that occur in yTrue (so a rare class counts as much as a common one). */
export function balancedAccuracy(yTrue: Labels, yPred: Labels, nClasses?: number): number {
	const m = confusionMatrix(yTrue, yPred, nClasses);
	let sum = 0;
	let present = 0;
	for (let c = 0; c < m.length; c++) {
		let support = 0;
		for (const v of m[c]) support += v;
		if (support === 0) continue;
		sum += m[c][c] / support;
		present++;
	}
	return present ? sum / present : NaN;
}

/**
 * F1 per class, averaged with weights equal to each class's count in yTrue. A class with no
 * predicted and no true rows is left out; an undefined precision or recall counts as 0.
 */
export function f1Weighted(yTrue: Labels, yPred: Labels, nClasses?: number): number {
	const m = confusionMatrix(yTrue, yPred, nClasses);
	const k = m.length;
	let weighted = 0;
	let total = 0;
	for (let c = 0; c < k; c++) {
		const tp = m[c][c];
		let support = 0;
		let predicted = 0;
		for (let j = 0; j < k; j++) {
			support += m[c][j];
			predicted += m[j][c];
		}
		total += support;
		if (support === 0 || tp === 0) continue;
		const precision = tp / predicted;
		const recall = tp / support;
		weighted += (support * 2 * precision * recall) / (precision + recall);
	}
	return total ? weighted / total : 0;
}

/** Clipping keeps a confident wrong answer finite, as scikit-learn does. */
const EPS = 1e-15;

/**
 * Mean negative log-likelihood of the true classes. Each probability row is clipped to
 * [1e−15, 1 − 1e−15] and renormalised to sum to 1.
 */
export function logLoss(yTrue: Labels, proba: ArrayLike<number>, nClasses: number): number {
	const n = yTrue.length;
	if (n === 0) return NaN;
	const binaryVector = nClasses === 2 && proba.length === n;
	if (!binaryVector && proba.length !== n * nClasses) {
		throw new RangeError(`Expected ${n} × ${nClasses} probabilities, got ${proba.length}.`);
	}
	let total = 0;
	const clip = (p: number) => Math.min(1 - EPS, Math.max(EPS, p));
	for (let i = 0; i < n; i++) {
		const t = yTrue[i];
		if (t < 0 || t >= nClasses) throw new RangeError(`Class ${t} is outside 0..${nClasses - 1}.`);
		let pTrue: number;
		let rowSum: number;
		if (binaryVector) {
			const p1 = clip(proba[i]);
			const p0 = clip(1 - proba[i]);
			pTrue = t === 1 ? p1 : p0;
			rowSum = p0 + p1;
		} else {
			rowSum = 0;
			for (let c = 0; c < nClasses; c++) rowSum += clip(proba[i * nClasses + c]);
			pTrue = clip(proba[i * nClasses + t]);
		}
		total -= Math.log(pTrue / rowSum);
	}
	return total / n;
}

/** Most probable class per row (ties → the lower index); P(class 1) ≥ 0.5 → 1 for two classes. */
export function predictedClasses(
	proba: ArrayLike<number>,
	nRows: number,
	nClasses: number
): Int32Array {
	const out = new Int32Array(nRows);
	if (nClasses === 2 && proba.length === nRows) {
		for (let i = 0; i < nRows; i++) out[i] = proba[i] >= 0.5 ? 1 : 0;
		return out;
	}
	for (let i = 0; i < nRows; i++) {
		let best = 0;
		for (let c = 1; c < nClasses; c++) {
			if (proba[i * nClasses + c] > proba[i * nClasses + best]) best = c;
		}
		out[i] = best;
	}
	return out;
}
