/**
 * Linear models are explained exactly: under feature independence the SHAP value of an encoded
 * column c is coef_c · (x_c − E[x_c]), and a feature's value is the sum over its encoded columns
 * (one-hot slots, missing indicator). E[x_c] is the training mean: 0 for a standardised number
 * (the pipeline centres on the training mean), the training missing rate for a missing
 * indicator, and the training share of the category for a one-hot slot — artifacts keep no
 * training rows, so those come from the training summary's distributions. Without them the
 * explained rows themselves stand in as the reference (documented at explainArtifact).
 */
import type { Frame } from '../frame';
import { OTHER_LABEL, stepWidth, transform, type Pipeline } from '../preprocess';
import type { FeatureDistribution, FittedModel } from '../train/types';
import type { Attributions } from './types';

type LinearModel = Extract<FittedModel, { family: 'linear' }>;

/**
 * Mean of every encoded column over the training data, as far as the distributions tell;
 * NaN where they do not (the caller fills those in).
 */
export function encodedMeans(
	pipeline: Pipeline,
	distributions: FeatureDistribution[] | undefined
): Float64Array {
	const means = new Float64Array(pipeline.columnNames.length).fill(NaN);
	const byName = new Map((distributions ?? []).map((d) => [d.name, d]));
	let c = 0;
	for (const step of pipeline.steps) {
		const width = stepWidth(step);
		const d = byName.get(step.column);
		if (step.kind === 'numeric') {
			means[c] = 0;
			if (step.missingIndicator && d) means[c + 1] = d.missingRate;
		} else if (d && d.kind === 'categorical') {
			const present = 1 - d.missingRate;
			const share = new Map(
				d.categories.filter((x) => x.label !== OTHER_LABEL).map((x) => [x.label, x.share])
			);
			let named = 0;
			step.categories.forEach((label, s) => {
				const v = share.get(label) ?? 0;
				means[c + s] = v * present;
				named += v;
			});
			const other = c + step.categories.length;
			// Missing values go to the "other" slot when training had none (transform does the same).
			means[other] = Math.max(0, 1 - named) * present + (step.missingSlot ? 0 : d.missingRate);
			if (step.missingSlot) means[other + 1] = d.missingRate;
		}
		c += width;
	}
	return means;
}

/** Column means of the encoded rows: the reference where the distributions say nothing. */
function fillFromRows(means: Float64Array, X: Float32Array, n: number, p: number): void {
	for (let c = 0; c < p; c++) {
		if (!Number.isNaN(means[c])) continue;
		let s = 0;
		for (let i = 0; i < n; i++) s += X[i * p + c];
		means[c] = n > 0 ? s / n : 0;
	}
}

/** Exact linear SHAP for ridge (value) and logistic (log-odds per class) models. */
export function explainLinear(
	model: LinearModel,
	pipeline: Pipeline,
	features: string[],
	frame: Frame,
	rows: Uint32Array,
	distributions?: FeatureDistribution[]
): Attributions {
	const m = transform(pipeline, frame, rows);
	const { X, nRows: n, nCols: p } = m;
	const means = encodedMeans(pipeline, distributions);
	fillFromRows(means, X, n, p);
	const K = model.coef.length;
	const P = features.length;
	// Encoded column → index of its feature in `features` (−1 when not explained).
	const owner = new Int32Array(p).fill(-1);
	let c0 = 0;
	for (const step of pipeline.steps) {
		const j = features.indexOf(step.column);
		const w = stepWidth(step);
		for (let c = c0; c < c0 + w; c++) owner[c] = j;
		c0 += w;
	}
	const coef = new Float64Array(K * p);
	const base = new Float64Array(K);
	for (let k = 0; k < K; k++) {
		let b = model.intercept[k];
		for (let c = 0; c < p; c++) {
			coef[k * p + c] = model.coef[k][c];
			b += model.coef[k][c] * means[c];
		}
		base[k] = b;
	}
	const values = new Float64Array(n * P * K);
	for (let i = 0; i < n; i++) {
		const xo = i * p;
		const vo = i * P * K;
		for (let c = 0; c < p; c++) {
			const j = owner[c];
			if (j < 0) continue;
			const d = X[xo + c] - means[c];
			if (d === 0) continue;
			for (let k = 0; k < K; k++) values[vo + j * K + k] += coef[k * p + c] * d;
		}
	}
	return {
		features: [...features],
		method: 'linear-shap',
		space: model.kind === 'ridge' ? 'value' : 'log-odds',
		nOutputs: K,
		base,
		values,
		nRows: n
	};
}
