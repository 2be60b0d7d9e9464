/**
 * Ridge regression in closed form: centre (and by default standardise) the features, solve
 * (ZᵀWZ + α·D) v = ZᵀW(y − ȳ) by Cholesky, and map the coefficients back to the original
 * feature scale so prediction is a plain dot product. Standardising first makes α mean the same
 * for "attendance %" and "hours per week"; with `standardize: false` the result equals
 * scikit-learn's Ridge(alpha) on the raw features.
 */
import { checkMatrix, columnStats, solveSpd, type DenseMatrix } from './matrix';

export interface RidgeOptions {
	/** L2 penalty strength (scikit-learn's alpha); 0 = ordinary least squares. Default 1. */
	alpha?: number;
	/** Penalise standardised coefficients (default true), as StandardScaler + Ridge would. */
	standardize?: boolean;
	/** Per-row weights (scikit-learn's sample_weight). */
	sampleWeight?: ArrayLike<number>;
}

export interface RidgeModel {
	kind: 'ridge';
	nFeatures: number;
	/** On the original feature scale. */
	coef: Float64Array;
	intercept: number;
	alpha: number;
	standardize: boolean;
}

export function fitRidge(
	x: DenseMatrix,
	y: ArrayLike<number>,
	opts: RidgeOptions = {}
): RidgeModel {
	checkMatrix(x, y.length);
	const alpha = opts.alpha ?? 1;
	const standardize = opts.standardize ?? true;
	if (!(alpha >= 0)) throw new RangeError('alpha must be ≥ 0.');
	const { data, nRows: n, nCols: p } = x;
	if (n === 0) throw new RangeError('Ridge regression needs at least one row.');
	const w = opts.sampleWeight;
	if (w && w.length !== n) throw new RangeError('sampleWeight must have one value per row.');
	const { mean, scale } = columnStats(x, w);
	let wSum = 0;
	let yMean = 0;
	for (let i = 0; i < n; i++) {
		const wi = w ? w[i] : 1;
		wSum += wi;
		yMean += wi * y[i];
	}
	yMean /= wSum;
	// One pass over the rows builds the Gram matrix of the standardised features (upper
	// triangle) without materialising them: memory stays O(p²) whatever n is.
	const gram = new Float64Array(p * p);
	const rhs = new Float64Array(p);
	const z = new Float64Array(p);
	for (let i = 0; i < n; i++) {
		const wi = w ? w[i] : 1;
		const off = i * p;
		for (let j = 0; j < p; j++) z[j] = (data[off + j] - mean[j]) / scale[j];
		const r = wi * (y[i] - yMean);
		for (let j = 0; j < p; j++) {
			const wz = wi * z[j];
			rhs[j] += r * z[j];
			const row = j * p;
			for (let k = j; k < p; k++) gram[row + k] += wz * z[k];
		}
	}
	for (let j = 0; j < p; j++) {
		for (let k = 0; k < j; k++) gram[j * p + k] = gram[k * p + j];
		// Penalising raw coefficients w = v / s is a penalty α / s² on standardised ones.
		gram[j * p + j] += standardize ? alpha : alpha / (scale[j] * scale[j]);
	}
	const v = solveSpd(gram, p, rhs);
	const coef = new Float64Array(p);
	let intercept = yMean;
	for (let j = 0; j < p; j++) {
		coef[j] = v[j] / scale[j];
		intercept -= coef[j] * mean[j];
	}
	return { kind: 'ridge', nFeatures: p, coef, intercept, alpha, standardize };
}

export function predictRidge(model: RidgeModel, x: DenseMatrix): Float64Array {
	checkMatrix(x);
	if (x.nCols !== model.nFeatures) {
		throw new RangeError(`The model expects ${model.nFeatures} features, got ${x.nCols}.`);
	}
	const { data, nRows: n, nCols: p } = x;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		let s = model.intercept;
		const off = i * p;
		for (let j = 0; j < p; j++) s += data[off + j] * model.coef[j];
		out[i] = s;
	}
	return out;
}
