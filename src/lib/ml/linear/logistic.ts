/**
 * L2-regularised logistic regression: binary (sigmoid) and multinomial (softmax with one
 * coefficient vector per class, as scikit-learn's multinomial solver). It minimises
 *   Σᵢ sᵢ·lossᵢ + ‖W‖² / (2C)   (intercepts unpenalised)
 * which is scikit-learn's LogisticRegression(C) objective; the L2 term keeps the optimum finite
 * on separable data, where the unpenalised fit would run off to infinity. Optimisation happens
 * on centred, scaled features (a reparametrisation, with the penalty transformed to match) for
 * conditioning, and the result is mapped back to the original scale.
 */
import { checkMatrix, columnStats, type DenseMatrix } from './matrix';
import { lbfgs } from './lbfgs';
import { neverCancelled, type CancelToken } from '../progress';

export interface LogisticOptions {
	/** Number of classes; labels are 0..nClasses−1. 2 = binary. */
	nClasses: number;
	/** Inverse penalty strength (scikit-learn's C). Default 1. */
	C?: number;
	/** Penalise standardised coefficients (default true), as StandardScaler + LogisticRegression. */
	standardize?: boolean;
	sampleWeight?: ArrayLike<number>;
	/** 'balanced' weighs class c by n / (K · count_c), scikit-learn's class_weight='balanced'. */
	classWeight?: 'balanced' | ArrayLike<number>;
	maxIterations?: number;
	/** Largest gradient component (per row, on the standardised scale) at convergence. */
	tolerance?: number;
	/** Checked once per iteration (a fit takes a fraction of a second to a few seconds). */
	cancel?: CancelToken;
}

export interface LogisticModel {
	kind: 'logistic';
	nClasses: number;
	nFeatures: number;
	/** Row-major: 1 × p for binary (class 1 vs 0), K × p for multinomial; original feature scale. */
	coef: Float64Array;
	/** 1 (binary) or K values; multinomial intercepts sum to zero. */
	intercept: Float64Array;
	C: number;
	standardize: boolean;
	iterations: number;
	converged: boolean;
}

/** n / (K · count_c) per class; a class with no rows gets weight 0 (it has no rows to weigh). */
export function balancedClassWeights(labels: ArrayLike<number>, nClasses: number): Float64Array {
	const counts = new Float64Array(nClasses);
	for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
	const out = new Float64Array(nClasses);
	for (let c = 0; c < nClasses; c++) {
		out[c] = counts[c] > 0 ? labels.length / (nClasses * counts[c]) : 0;
	}
	return out;
}

function rowWeights(y: ArrayLike<number>, opts: LogisticOptions): Float64Array {
	const n = y.length;
	const w = new Float64Array(n).fill(1);
	if (opts.sampleWeight) {
		if (opts.sampleWeight.length !== n) throw new RangeError('sampleWeight must match the rows.');
		for (let i = 0; i < n; i++) w[i] = opts.sampleWeight[i];
	}
	if (opts.classWeight) {
		const cw =
			opts.classWeight === 'balanced' ? balancedClassWeights(y, opts.nClasses) : opts.classWeight;
		for (let i = 0; i < n; i++) w[i] *= cw[y[i]];
	}
	return w;
}

export function fitLogistic(
	x: DenseMatrix,
	y: ArrayLike<number>,
	opts: LogisticOptions
): LogisticModel {
	checkMatrix(x, y.length);
	const K = opts.nClasses;
	const C = opts.C ?? 1;
	const standardize = opts.standardize ?? true;
	if (!Number.isInteger(K) || K < 2) throw new RangeError('nClasses must be ≥ 2.');
	if (!(C > 0)) throw new RangeError('C must be > 0.');
	const { data, nRows: n, nCols: p } = x;
	if (n === 0) throw new RangeError('Logistic regression needs at least one row.');
	for (let i = 0; i < n; i++) {
		if (!(Number.isInteger(y[i]) && y[i] >= 0 && y[i] < K)) {
			throw new RangeError(`Row ${i} has class ${y[i]}, outside 0..${K - 1}.`);
		}
	}
	const sw = rowWeights(y, opts);
	// Unweighted scaling: it is a reparametrisation only, so any choice gives the same optimum.
	const { mean, scale } = columnStats(x);
	const penalty = new Float64Array(p);
	for (let j = 0; j < p; j++) penalty[j] = standardize ? 1 : 1 / (scale[j] * scale[j]);
	const nOut = K === 2 ? 1 : K;
	const stride = p + 1; // per output: p coefficients then the intercept
	// Dividing the objective by n keeps gradient sizes independent of the row count, so one
	// tolerance suits 50 rows and 50,000.
	const lam = 1 / (C * n);
	const z = new Float64Array(p);
	const eta = new Float64Array(nOut);
	const expo = new Float64Array(nOut);
	const objective = (theta: Float64Array, grad: Float64Array): number => {
		grad.fill(0);
		let loss = 0;
		for (let i = 0; i < n; i++) {
			const off = i * p;
			for (let j = 0; j < p; j++) z[j] = (data[off + j] - mean[j]) / scale[j];
			for (let k = 0; k < nOut; k++) {
				const base = k * stride;
				let s = theta[base + p];
				for (let j = 0; j < p; j++) s += theta[base + j] * z[j];
				eta[k] = s;
			}
			const wi = sw[i];
			const yi = y[i];
			if (nOut === 1) {
				const e = eta[0];
				// log(1 + eᵉ) − y·e, computed without overflow for large |e|.
				loss += wi * ((e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e))) - yi * e);
				const prob = e >= 0 ? 1 / (1 + Math.exp(-e)) : Math.exp(e) / (1 + Math.exp(e));
				const r = wi * (prob - yi);
				for (let j = 0; j < p; j++) grad[j] += r * z[j];
				grad[p] += r;
			} else {
				let mx = -Infinity;
				for (let k = 0; k < K; k++) if (eta[k] > mx) mx = eta[k];
				let sum = 0;
				for (let k = 0; k < K; k++) {
					const e = Math.exp(eta[k] - mx);
					expo[k] = e;
					sum += e;
				}
				loss += wi * (mx + Math.log(sum) - eta[yi]);
				for (let k = 0; k < K; k++) {
					const r = wi * (expo[k] / sum - (k === yi ? 1 : 0));
					const base = k * stride;
					for (let j = 0; j < p; j++) grad[base + j] += r * z[j];
					grad[base + p] += r;
				}
			}
		}
		let reg = 0;
		for (let k = 0; k < nOut; k++) {
			const base = k * stride;
			for (let j = 0; j < p; j++) {
				const t = theta[base + j];
				reg += penalty[j] * t * t;
				grad[base + j] = grad[base + j] / n + lam * penalty[j] * t;
			}
			grad[base + p] /= n;
		}
		return loss / n + 0.5 * lam * reg;
	};
	const result = lbfgs(objective, new Float64Array(nOut * stride), {
		gradientTolerance: opts.tolerance ?? 1e-10,
		maxIterations: opts.maxIterations ?? 2000,
		onIteration: () => (opts.cancel ?? neverCancelled).throwIfCancelled()
	});
	const theta = result.x;
	const coef = new Float64Array(nOut * p);
	const intercept = new Float64Array(nOut);
	for (let k = 0; k < nOut; k++) {
		let b = theta[k * stride + p];
		for (let j = 0; j < p; j++) {
			const wkj = theta[k * stride + j] / scale[j];
			coef[k * p + j] = wkj;
			b -= wkj * mean[j];
		}
		intercept[k] = b;
	}
	if (nOut > 1) {
		// Softmax is unchanged by a common shift; zero-sum intercepts make the model unique.
		let m = 0;
		for (let k = 0; k < nOut; k++) m += intercept[k];
		m /= nOut;
		for (let k = 0; k < nOut; k++) intercept[k] -= m;
	}
	return {
		kind: 'logistic',
		nClasses: K,
		nFeatures: p,
		coef,
		intercept,
		C,
		standardize,
		iterations: result.iterations,
		converged: result.converged
	};
}

/**
 * Probabilities in the shape the metrics and the tree models use: P(class 1) per row for
 * binary, row-major n × K for multiclass.
 */
export function predictLogisticProba(model: LogisticModel, x: DenseMatrix): Float64Array {
	checkMatrix(x);
	if (x.nCols !== model.nFeatures) {
		throw new RangeError(`The model expects ${model.nFeatures} features, got ${x.nCols}.`);
	}
	const { data, nRows: n, nCols: p } = x;
	const K = model.nClasses;
	const { coef, intercept } = model;
	if (K === 2) {
		const out = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			let e = intercept[0];
			const off = i * p;
			for (let j = 0; j < p; j++) e += coef[j] * data[off + j];
			out[i] = e >= 0 ? 1 / (1 + Math.exp(-e)) : Math.exp(e) / (1 + Math.exp(e));
		}
		return out;
	}
	const out = new Float64Array(n * K);
	for (let i = 0; i < n; i++) {
		const off = i * p;
		let mx = -Infinity;
		for (let k = 0; k < K; k++) {
			let e = intercept[k];
			for (let j = 0; j < p; j++) e += coef[k * p + j] * data[off + j];
			out[i * K + k] = e;
			if (e > mx) mx = e;
		}
		let sum = 0;
		for (let k = 0; k < K; k++) {
			const v = Math.exp(out[i * K + k] - mx);
			out[i * K + k] = v;
			sum += v;
		}
		for (let k = 0; k < K; k++) out[i * K + k] /= sum;
	}
	return out;
}
