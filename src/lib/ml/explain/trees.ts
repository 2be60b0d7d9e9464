/**
 * Tree ensembles (boosting and forests) are explained with exact TreeSHAP (gbdt/shap.ts): the
 * background is the training data itself, seen through each node's cover, so no reference
 * sample is needed. TreeSHAP works on the raw sum of leaf values, which is already the model's
 * output in one of the attribution spaces for every transform but the forest's multiclass
 * normalisation; that one is folded in exactly (see normalisedShares).
 */
import { makeFrame, takeRows, type Frame } from '../frame';
import { expectedValue, shapValues, type TreeEnsemble } from '../gbdt';
import { requireFeature } from '../preprocess';
import type { AttributionSpace, Attributions } from './types';

/** The space the ensemble's raw sum lives in once explained. */
export function treeSpace(model: TreeEnsemble): AttributionSpace {
	switch (model.transform) {
		case 'sigmoid':
		case 'softmax':
			return 'log-odds';
		case 'normalize':
			return 'probability';
		case 'identity':
			// A binary forest averages 0/1 leaf means: its raw sum is P(classes[1]) itself.
			return model.loss === 'binary_logloss' || model.loss === 'multiclass'
				? 'probability'
				: 'value';
	}
}

/**
 * Exact SHAP values of `rows` of `frame` for a tree ensemble, in `features` order (default: the
 * model's own). Columns are matched by name, as prediction does.
 */
export function explainTrees(
	model: TreeEnsemble,
	frame: Frame,
	rows: Uint32Array,
	features: string[] = model.features.map((f) => f.name)
): Attributions {
	const names = model.features.map((f) => f.name);
	const sub = takeRows(makeFrame(names.map((name) => requireFeature(frame, name))), rows);
	const phi = shapValues(model, sub);
	const n = rows.length;
	const F = names.length;
	const K = model.nOutputs;
	const P = features.length;
	// Where each requested feature sits among the model's (−1: the model does not use it).
	const at = Int32Array.from(features, (name) => names.indexOf(name));
	const values = new Float64Array(n * P * K);
	for (let r = 0; r < n; r++) {
		for (let k = 0; k < K; k++) {
			const src = (r * K + k) * (F + 1);
			for (let j = 0; j < P; j++) {
				const m = at[j];
				if (m >= 0) values[(r * P + j) * K + k] = phi[src + m];
			}
		}
	}
	let base = expectedValue(model);
	if (model.transform === 'normalize') base = normalisedShares(values, base, n, P, K);
	return {
		features: [...features],
		method: 'tree-shap',
		space: treeSpace(model),
		nOutputs: K,
		base,
		values,
		nRows: n
	};
}

/**
 * A multiclass forest predicts p_k = raw_k / S with S = Σ_k raw_k (one-vs-rest vote shares).
 * With B = Σ_k base_k (1 for a forest: each class's expected vote is its training share) and
 * s_j = Σ_k φ_jk, S = B + Σ_j s_j is itself additive, which gives exactly
 *   p_k − base_k/B = Σ_j (φ_jk − s_j · base_k/B) / S,
 * so each feature keeps its own share of the votes, rescaled to the row's total. Contributions
 * of a row sum to zero over the classes, as probabilities must. Rewrites `values` in place and
 * returns the new base (the expected vote shares).
 */
function normalisedShares(
	values: Float64Array,
	rawBase: Float64Array,
	n: number,
	P: number,
	K: number
): Float64Array {
	let B = 0;
	for (let k = 0; k < K; k++) B += rawBase[k];
	const base = new Float64Array(K);
	for (let k = 0; k < K; k++) base[k] = B > 0 ? rawBase[k] / B : 1 / K;
	for (let r = 0; r < n; r++) {
		const row = r * P * K;
		let S = B;
		for (let i = row; i < row + P * K; i++) S += values[i];
		if (!(S > 0) || !(B > 0)) {
			// No votes at all: the forest falls back to 1/K for every class; spread the gap evenly.
			for (let j = 0; j < P; j++) {
				for (let k = 0; k < K; k++) values[row + j * K + k] = (1 / K - base[k]) / P;
			}
			continue;
		}
		for (let j = 0; j < P; j++) {
			const o = row + j * K;
			let s = 0;
			for (let k = 0; k < K; k++) s += values[o + k];
			for (let k = 0; k < K; k++) values[o + k] = (values[o + k] - s * base[k]) / S;
		}
	}
	return base;
}
