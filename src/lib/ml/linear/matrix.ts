/**
 * Small dense linear algebra for the linear models: a row-major matrix type, weighted column
 * standardisation and a Cholesky solve. Feature counts here are tens to a few hundred, so
 * O(p³) factorisations are cheap next to the O(n·p²) pass over the rows.
 */

/** Row-major nRows × nCols. Float32 is accepted so the preprocessing pipeline's output fits. */
export interface DenseMatrix {
	data: Float64Array | Float32Array;
	nRows: number;
	nCols: number;
}

export function checkMatrix(x: DenseMatrix, nTargets?: number): void {
	if (x.data.length !== x.nRows * x.nCols) {
		throw new RangeError(`Matrix data has ${x.data.length} values, not ${x.nRows} × ${x.nCols}.`);
	}
	if (nTargets !== undefined && nTargets !== x.nRows) {
		throw new RangeError(`There are ${x.nRows} rows but ${nTargets} targets.`);
	}
}

export interface Standardisation {
	mean: Float64Array;
	/** Standard deviation (population, as scikit-learn's StandardScaler); 0 is stored as 1. */
	scale: Float64Array;
}

/** Weighted column means and standard deviations, two-pass for accuracy. */
export function columnStats(x: DenseMatrix, weight?: ArrayLike<number>): Standardisation {
	const { data, nRows: n, nCols: p } = x;
	const mean = new Float64Array(p);
	const scale = new Float64Array(p);
	let wSum = 0;
	for (let i = 0; i < n; i++) {
		const w = weight ? weight[i] : 1;
		wSum += w;
		const off = i * p;
		for (let j = 0; j < p; j++) mean[j] += w * data[off + j];
	}
	for (let j = 0; j < p; j++) mean[j] /= wSum;
	for (let i = 0; i < n; i++) {
		const w = weight ? weight[i] : 1;
		const off = i * p;
		for (let j = 0; j < p; j++) {
			const d = data[off + j] - mean[j];
			scale[j] += w * d * d;
		}
	}
	for (let j = 0; j < p; j++) {
		const sd = Math.sqrt(scale[j] / wSum);
		// A constant column carries no signal; scale 1 keeps it at zero instead of dividing by 0.
		// The relative threshold treats round-off "variance" of a constant column as zero.
		scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1;
	}
	return { mean, scale };
}

/**
 * Cholesky factorisation of a symmetric positive-definite p × p matrix, in place (lower
 * triangle = L). Returns false when a pivot is not positive (the matrix is singular).
 */
export function choleskyInPlace(a: Float64Array, p: number): boolean {
	for (let j = 0; j < p; j++) {
		let d = a[j * p + j];
		for (let k = 0; k < j; k++) d -= a[j * p + k] * a[j * p + k];
		if (!(d > 0)) return false;
		const ljj = Math.sqrt(d);
		a[j * p + j] = ljj;
		for (let i = j + 1; i < p; i++) {
			let s = a[i * p + j];
			for (let k = 0; k < j; k++) s -= a[i * p + k] * a[j * p + k];
			a[i * p + j] = s / ljj;
		}
	}
	return true;
}

/** Solves L Lᵀ x = b given the factor from choleskyInPlace; b is overwritten with x. */
export function choleskySolveInPlace(l: Float64Array, p: number, b: Float64Array): void {
	for (let i = 0; i < p; i++) {
		let s = b[i];
		for (let k = 0; k < i; k++) s -= l[i * p + k] * b[k];
		b[i] = s / l[i * p + i];
	}
	for (let i = p - 1; i >= 0; i--) {
		let s = b[i];
		for (let k = i + 1; k < p; k++) s -= l[k * p + i] * b[k];
		b[i] = s / l[i * p + i];
	}
}

/**
 * Solves A x = b for symmetric positive semi-definite A. When A is singular (collinear features
 * with no penalty) a growing multiple of the identity is added, which picks a small-norm
 * solution instead of failing on data a teacher cannot "fix".
 */
export function solveSpd(a: Float64Array, p: number, b: Float64Array): Float64Array {
	let trace = 0;
	for (let j = 0; j < p; j++) trace += a[j * p + j];
	let jitter = 0;
	for (let attempt = 0; attempt < 12; attempt++) {
		const l = Float64Array.from(a);
		for (let j = 0; j < p; j++) l[j * p + j] += jitter;
		if (choleskyInPlace(l, p)) {
			const x = Float64Array.from(b);
			choleskySolveInPlace(l, p, x);
			return x;
		}
		jitter = jitter === 0 ? 1e-12 * Math.max(trace / Math.max(p, 1), 1e-300) : jitter * 10;
	}
	throw new RangeError('The linear system could not be solved (the features are degenerate).');
}
