/**
 * Regression metrics on typed arrays, matching scikit-learn's definitions (see
 * tests/fixtures/metrics-sklearn.json). Sums run in float64 whatever the input type.
 */

function checkLengths(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
	if (yTrue.length !== yPred.length) {
		throw new RangeError(`yTrue has ${yTrue.length} values but yPred has ${yPred.length}.`);
	}
	return yTrue.length;
}

export function mse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
	const n = checkLengths(yTrue, yPred);
	if (n === 0) return NaN;
	let s = 0;
	for (let i = 0; i < n; i++) s += (yTrue[i] - yPred[i]) ** 2;
	return s / n;
}

export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
	return Math.sqrt(mse(yTrue, yPred));
}

export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
	const n = checkLengths(yTrue, yPred);
	if (n === 0) return NaN;
	let s = 0;
	for (let i = 0; i < n; i++) s += Math.abs(yTrue[i] - yPred[i]);
	return s / n;
}

/**
 * Coefficient of determination. Like scikit-learn (force_finite=True), a constant yTrue gives 1
 * for a perfect prediction and 0 otherwise, instead of NaN or −∞.
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
	const n = checkLengths(yTrue, yPred);
	if (n === 0) return NaN;
	let mean = 0;
	for (let i = 0; i < n; i++) mean += yTrue[i];
	mean /= n;
	let ssRes = 0;
	let ssTot = 0;
	for (let i = 0; i < n; i++) {
		ssRes += (yTrue[i] - yPred[i]) ** 2;
		ssTot += (yTrue[i] - mean) ** 2;
	}
	if (ssTot === 0) return ssRes === 0 ? 1 : 0;
	return 1 - ssRes / ssTot;
}
