/**
 * The numerical pieces of the Gaussian mixture, written to follow scikit-learn's
 * `GaussianMixture` step for step (same M-step formulas, same reg_covar, the same 10·ε added to
 * component counts), so that from the same starting parameters EM walks the same path.
 */
import { createRng } from '../random';
import type { Matrix } from './types';

export type CovarianceKind = 'diag' | 'full';

/** Mixture parameters plus what the E-step needs precomputed. */
export interface GmmParams {
	k: number;
	d: number;
	covariance: CovarianceKind;
	weights: Float64Array;
	means: Float64Array;
	/** diag: k × d variances; full: k × d × d. */
	covariances: Float64Array;
	/** full: lower Cholesky factors (k × d × d); diag: per-feature standard deviations (k × d). */
	factors: Float64Array;
	/** log det Σ_k / 2, per component. */
	halfLogDet: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);
const EPS10 = 10 * Number.EPSILON;

/** Lower Cholesky factor of the d × d matrix at a[o..], written to out[o..]; false if not PD. */
function cholesky(a: Float64Array, out: Float64Array, o: number, d: number): boolean {
	for (let i = 0; i < d; i++) {
		for (let j = 0; j <= i; j++) {
			let s = a[o + i * d + j];
			for (let t = 0; t < j; t++) s -= out[o + i * d + t] * out[o + j * d + t];
			if (i === j) {
				if (!(s > 0)) return false;
				out[o + i * d + i] = Math.sqrt(s);
			} else {
				out[o + i * d + j] = s / out[o + j * d + j];
			}
		}
		for (let j = i + 1; j < d; j++) out[o + i * d + j] = 0;
	}
	return true;
}

/**
 * Builds the E-step factors. A covariance that is not positive definite (it can happen with
 * perfectly collinear features) gets its diagonal raised tenfold until it is, instead of
 * failing the whole fit as scikit-learn does.
 */
export function makeParams(
	covariance: CovarianceKind,
	k: number,
	d: number,
	weights: Float64Array,
	means: Float64Array,
	covariances: Float64Array,
	regCovar: number
): GmmParams {
	const factors = new Float64Array(covariances.length);
	const halfLogDet = new Float64Array(k);
	for (let c = 0; c < k; c++) {
		let hl = 0;
		if (covariance === 'diag') {
			for (let j = 0; j < d; j++) {
				let v = covariances[c * d + j];
				if (!(v > 0)) v = covariances[c * d + j] = Math.max(regCovar, 1e-12);
				const sd = Math.sqrt(v);
				factors[c * d + j] = sd;
				hl += Math.log(sd);
			}
		} else {
			const o = c * d * d;
			let bump = Math.max(regCovar, 1e-12);
			while (!cholesky(covariances, factors, o, d)) {
				for (let j = 0; j < d; j++) covariances[o + j * d + j] += bump;
				bump *= 10;
			}
			for (let j = 0; j < d; j++) hl += Math.log(factors[o + j * d + j]);
		}
		halfLogDet[c] = hl;
	}
	return { k, d, covariance, weights, means, covariances, factors, halfLogDet };
}

/** log(w_c) + log N(x | μ_c, Σ_c) for row x = data[xo..xo+d), written to out[0..k). */
export function weightedLogProbRow(
	p: GmmParams,
	data: ArrayLike<number>,
	xo: number,
	out: Float64Array,
	z: Float64Array
): void {
	const { k, d, means, factors } = p;
	for (let c = 0; c < k; c++) {
		let maha = 0;
		const mo = c * d;
		if (p.covariance === 'diag') {
			for (let j = 0; j < d; j++) {
				const y = (data[xo + j] - means[mo + j]) / factors[mo + j];
				maha += y * y;
			}
		} else {
			// Solve L z = x − μ by forward substitution: |z|² is the Mahalanobis distance.
			const o = c * d * d;
			for (let i = 0; i < d; i++) {
				let s = data[xo + i] - means[mo + i];
				for (let t = 0; t < i; t++) s -= factors[o + i * d + t] * z[t];
				const zi = s / factors[o + i * d + i];
				z[i] = zi;
				maha += zi * zi;
			}
		}
		out[c] = Math.log(p.weights[c]) - 0.5 * (d * LOG_2PI + maha) - p.halfLogDet[c];
	}
}

/**
 * E-step: responsibilities (n × k, written to resp) and the total log-likelihood
 * Σ_i log Σ_c w_c N(x_i | c), by log-sum-exp.
 */
export function eStep(X: Matrix, p: GmmParams, resp: Float64Array): number {
	const { n, d, data } = X;
	const { k } = p;
	const row = new Float64Array(k);
	const z = new Float64Array(d);
	let total = 0;
	for (let i = 0; i < n; i++) {
		weightedLogProbRow(p, data, i * d, row, z);
		let mx = -Infinity;
		for (let c = 0; c < k; c++) if (row[c] > mx) mx = row[c];
		let s = 0;
		for (let c = 0; c < k; c++) s += Math.exp(row[c] - mx);
		const lse = mx + Math.log(s);
		total += lse;
		for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(row[c] - lse);
	}
	return total;
}

/** M-step: weights, means and covariances from responsibilities (scikit-learn's formulas). */
export function mStep(
	X: Matrix,
	resp: Float64Array,
	k: number,
	covariance: CovarianceKind,
	regCovar: number
): GmmParams {
	const { n, d, data } = X;
	const nk = new Float64Array(k).fill(EPS10);
	const means = new Float64Array(k * d);
	for (let i = 0; i < n; i++) {
		for (let c = 0; c < k; c++) {
			const r = resp[i * k + c];
			if (r === 0) continue;
			nk[c] += r;
			for (let j = 0; j < d; j++) means[c * d + j] += r * data[i * d + j];
		}
	}
	for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= nk[c];
	const covariances = new Float64Array(covariance === 'diag' ? k * d : k * d * d);
	const diff = new Float64Array(d);
	for (let i = 0; i < n; i++) {
		for (let c = 0; c < k; c++) {
			const r = resp[i * k + c];
			if (r === 0) continue;
			for (let j = 0; j < d; j++) diff[j] = data[i * d + j] - means[c * d + j];
			if (covariance === 'diag') {
				for (let j = 0; j < d; j++) covariances[c * d + j] += r * diff[j] * diff[j];
			} else {
				const o = c * d * d;
				for (let a = 0; a < d; a++) {
					const ra = r * diff[a];
					for (let b = 0; b <= a; b++) covariances[o + a * d + b] += ra * diff[b];
				}
			}
		}
	}
	for (let c = 0; c < k; c++) {
		if (covariance === 'diag') {
			for (let j = 0; j < d; j++)
				covariances[c * d + j] = covariances[c * d + j] / nk[c] + regCovar;
		} else {
			const o = c * d * d;
			for (let a = 0; a < d; a++) {
				for (let b = 0; b <= a; b++) {
					const v = covariances[o + a * d + b] / nk[c];
					covariances[o + a * d + b] = v;
					covariances[o + b * d + a] = v;
				}
				covariances[o + a * d + a] += regCovar;
			}
		}
	}
	let total = 0;
	for (let c = 0; c < k; c++) total += nk[c];
	const weights = nk.map((v) => v / total);
	return makeParams(covariance, k, d, weights, means, covariances, regCovar);
}

/** Free parameters, as scikit-learn's `_n_parameters`. */
export function nParameters(k: number, d: number, covariance: CovarianceKind): number {
	const cov = covariance === 'full' ? (k * d * (d + 1)) / 2 : k * d;
	return cov + k * d + k - 1;
}

/**
 * Initial hard assignment from k-means (k-means++ seeding, then Lloyd), as scikit-learn's
 * init_params='kmeans' does with its own KMeans; seeded, so the same seed gives the same start.
 * Kept local so the mixture does not depend on k-means' options or speed-ups.
 */
export function kmeansLabels(X: Matrix, k: number, seed: number, maxIter = 100): Int32Array {
	const { n, d, data } = X;
	const rng = createRng(`gmm-init:${seed}`);
	const centers = new Float64Array(k * d);
	const closest = new Float64Array(n).fill(Infinity);
	const sq = (i: number, c: number): number => {
		let s = 0;
		for (let j = 0; j < d; j++) {
			const g = data[i * d + j] - centers[c * d + j];
			s += g * g;
		}
		return s;
	};
	for (let c = 0; c < k; c++) {
		let total = 0;
		if (c > 0) for (let i = 0; i < n; i++) total += closest[i];
		// k-means++: the next seed is drawn with probability ∝ squared distance to the chosen ones.
		const pick = c > 0 && total > 0 ? rng.weighted(closest) : rng.int(n);
		centers.set(data.subarray(pick * d, pick * d + d), c * d);
		for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i], sq(i, c));
	}
	const labels = new Int32Array(n);
	const counts = new Float64Array(k);
	for (let iter = 0; iter < maxIter; iter++) {
		let changed = 0;
		for (let i = 0; i < n; i++) {
			let best = 0;
			let bestD = Infinity;
			for (let c = 0; c < k; c++) {
				const v = sq(i, c);
				if (v < bestD) {
					bestD = v;
					best = c;
				}
			}
			if (labels[i] !== best || iter === 0) changed++;
			labels[i] = best;
			closest[i] = bestD;
		}
		if (changed === 0 && iter > 0) break;
		centers.fill(0);
		counts.fill(0);
		for (let i = 0; i < n; i++) {
			counts[labels[i]]++;
			for (let j = 0; j < d; j++) centers[labels[i] * d + j] += data[i * d + j];
		}
		for (let c = 0; c < k; c++) {
			if (counts[c] === 0) {
				// An empty cluster restarts at the row farthest from its centre.
				let far = 0;
				for (let i = 1; i < n; i++) if (closest[i] > closest[far]) far = i;
				centers.set(data.subarray(far * d, far * d + d), c * d);
				closest[far] = 0;
				continue;
			}
			for (let j = 0; j < d; j++) centers[c * d + j] /= counts[c];
		}
	}
	return labels;
}
