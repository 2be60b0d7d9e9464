/**
 * Losses as gradient/hessian fillers over typed arrays. Raw scores are row-major (n × K).
 * Absolute error and quantile loss have zero hessians where it matters, so, like scikit-learn
 * and LightGBM, their trees are grown on gradients with unit hessians and each leaf is then set
 * to the (weighted) quantile of the residuals of its rows.
 */
import type { GbdtLoss } from './types';

export interface Loss {
	name: GbdtLoss;
	/** Raw outputs per row. */
	nOutputs: number;
	/** True when every hessian is 1 (only then may the learner skip reading them). */
	constHessian: boolean;
	/** Leaves are re-fitted to this residual quantile after growth, or undefined. */
	leafQuantile?: number;
	baseScore(y: Float64Array, w: Float64Array | null): Float64Array;
	/** Called once per round before gradients (softmax caches probabilities here). */
	prepare(raw: Float64Array, n: number): void;
	/** Fills g, h for output k over all rows. */
	gradients(
		y: Float64Array,
		raw: Float64Array,
		k: number,
		g: Float64Array,
		h: Float64Array,
		w: Float64Array | null
	): void;
	/** Weighted mean loss (the number shown in the training history). */
	loss(y: Float64Array, raw: Float64Array, w: Float64Array | null, n: number): number;
}

export function weightedQuantile(y: Float64Array, w: Float64Array | null, q: number): number {
	const n = y.length;
	if (n === 0) return 0;
	const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => y[a] - y[b] || a - b);
	if (!w) {
		// numpy's linear interpolation, as scikit-learn's median/percentile baseline.
		const pos = q * (n - 1);
		const lo = Math.floor(pos);
		const hi = Math.ceil(pos);
		return y[idx[lo]] + (y[idx[hi]] - y[idx[lo]]) * (pos - lo);
	}
	let total = 0;
	for (let i = 0; i < n; i++) total += w[i];
	let acc = 0;
	for (const i of idx) {
		acc += w[i];
		if (acc >= q * total) return y[i];
	}
	return y[idx[n - 1]];
}

function meanOf(y: Float64Array, w: Float64Array | null): number {
	let s = 0;
	let sw = 0;
	for (let i = 0; i < y.length; i++) {
		const wi = w ? w[i] : 1;
		s += wi * y[i];
		sw += wi;
	}
	return sw > 0 ? s / sw : 0;
}

function weightedMean(n: number, w: Float64Array | null, f: (i: number) => number): number {
	let s = 0;
	let sw = 0;
	for (let i = 0; i < n; i++) {
		const wi = w ? w[i] : 1;
		s += wi * f(i);
		sw += wi;
	}
	return sw > 0 ? s / sw : NaN;
}

export function sigmoid(x: number): number {
	return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

const HESS_FLOOR = 1e-16;

export function makeLoss(name: GbdtLoss, nClasses: number, param: number): Loss {
	switch (name) {
		case 'squared_error':
			return {
				name,
				nOutputs: 1,
				constHessian: true,
				baseScore: (y, w) => Float64Array.of(meanOf(y, w)),
				prepare() {},
				gradients(y, raw, _k, g, h, w) {
					for (let i = 0; i < y.length; i++) {
						const wi = w ? w[i] : 1;
						g[i] = wi * (raw[i] - y[i]);
						h[i] = wi;
					}
				},
				loss: (y, raw, w, n) => weightedMean(n, w, (i) => (raw[i] - y[i]) ** 2)
			};
		case 'absolute_error':
		case 'quantile': {
			const q = name === 'absolute_error' ? 0.5 : param;
			if (!(q > 0 && q < 1)) throw new RangeError('The quantile must be between 0 and 1.');
			return {
				name,
				nOutputs: 1,
				constHessian: true,
				leafQuantile: q,
				baseScore: (y, w) => Float64Array.of(weightedQuantile(y, w, q)),
				prepare() {},
				gradients(y, raw, _k, g, h, w) {
					for (let i = 0; i < y.length; i++) {
						const wi = w ? w[i] : 1;
						// Pinball gradient; absolute error uses the plain sign, as scikit-learn does.
						const below = y[i] > raw[i];
						g[i] = wi * (name === 'absolute_error' ? (below ? -1 : 1) : below ? -q : 1 - q);
						h[i] = wi;
					}
				},
				loss: (y, raw, w, n) =>
					weightedMean(n, w, (i) => {
						const r = y[i] - raw[i];
						return name === 'absolute_error' ? Math.abs(r) : r >= 0 ? q * r : (q - 1) * r;
					})
			};
		}
		case 'huber': {
			// Pseudo-Huber (XGBoost's reg:pseudohubererror): quadratic near 0, linear beyond delta.
			const d = param > 0 ? param : 1;
			return {
				name,
				nOutputs: 1,
				constHessian: false,
				baseScore: (y, w) => Float64Array.of(weightedQuantile(y, w, 0.5)),
				prepare() {},
				gradients(y, raw, _k, g, h, w) {
					for (let i = 0; i < y.length; i++) {
						const wi = w ? w[i] : 1;
						const r = raw[i] - y[i];
						const s = 1 + (r / d) ** 2;
						const sq = Math.sqrt(s);
						g[i] = (wi * r) / sq;
						h[i] = Math.max(HESS_FLOOR, wi / (s * sq));
					}
				},
				loss: (y, raw, w, n) =>
					weightedMean(n, w, (i) => d * d * (Math.sqrt(1 + ((raw[i] - y[i]) / d) ** 2) - 1))
			};
		}
		case 'binary_logloss':
			return {
				name,
				nOutputs: 1,
				constHessian: false,
				baseScore(y, w) {
					const p = Math.min(1 - 1e-7, Math.max(1e-7, meanOf(y, w)));
					return Float64Array.of(Math.log(p / (1 - p)));
				},
				prepare() {},
				gradients(y, raw, _k, g, h, w) {
					for (let i = 0; i < y.length; i++) {
						const wi = w ? w[i] : 1;
						const p = sigmoid(raw[i]);
						g[i] = wi * (p - y[i]);
						h[i] = Math.max(HESS_FLOOR, wi * p * (1 - p));
					}
				},
				loss: (y, raw, w, n) =>
					weightedMean(n, w, (i) => {
						// log(1 + e^x) − y·x, computed stably.
						const x = raw[i];
						return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) - y[i] * x;
					})
			};
		case 'multiclass': {
			const K = nClasses;
			if (K < 2) throw new RangeError('Multiclass needs at least two classes.');
			let prob = new Float64Array(0);
			return {
				name,
				nOutputs: K,
				constHessian: false,
				baseScore(y, w) {
					const counts = new Float64Array(K);
					for (let i = 0; i < y.length; i++) counts[y[i]] += w ? w[i] : 1;
					let total = 0;
					for (let k = 0; k < K; k++) total += counts[k];
					const out = new Float64Array(K);
					for (let k = 0; k < K; k++) out[k] = Math.log(Math.max(1e-7, counts[k] / total));
					return out;
				},
				prepare(raw, n) {
					if (prob.length !== n * K) prob = new Float64Array(n * K);
					softmaxRows(raw, prob, n, K);
				},
				gradients(y, _raw, k, g, h, w) {
					for (let i = 0; i < y.length; i++) {
						const wi = w ? w[i] : 1;
						const p = prob[i * K + k];
						g[i] = wi * (p - (y[i] === k ? 1 : 0));
						h[i] = Math.max(HESS_FLOOR, wi * p * (1 - p));
					}
				},
				loss(y, raw, w, n) {
					return weightedMean(n, w, (i) => {
						let m = -Infinity;
						for (let k = 0; k < K; k++) m = Math.max(m, raw[i * K + k]);
						let s = 0;
						for (let k = 0; k < K; k++) s += Math.exp(raw[i * K + k] - m);
						return m + Math.log(s) - raw[i * K + y[i]];
					});
				}
			};
		}
	}
}

export function softmaxRows(raw: ArrayLike<number>, out: Float64Array, n: number, K: number): void {
	for (let i = 0; i < n; i++) {
		let m = -Infinity;
		for (let k = 0; k < K; k++) m = Math.max(m, raw[i * K + k]);
		let s = 0;
		for (let k = 0; k < K; k++) {
			const e = Math.exp(raw[i * K + k] - m);
			out[i * K + k] = e;
			s += e;
		}
		for (let k = 0; k < K; k++) out[i * K + k] /= s;
	}
}
