/**
 * Per-row explanations of a saved model's predictions, whatever its family, as additive
 * attributions (types.ts): for each row and output, base + Σ contributions = the model's output
 * in `space`.
 *
 * family            method          space (binary: towards classes[1])       reference
 * gbdt              exact TreeSHAP  value, or log-odds (multiclass: logits)  training covers
 * rf                exact TreeSHAP  value, or probability                    training covers
 * linear (ridge)    exact           value                                    training means
 * linear (logistic) exact           log-odds (multinomial: per-class logit)  training means
 * mlp               sampling        value, or probability                    median/mode student
 * baseline          none (zeros)    value, or probability                    —
 *
 * Without `distributions`, the linear model's one-hot and missing-indicator means come from the
 * explained rows themselves, and the network's reference from the pipeline's training medians
 * and most frequent categories.
 */
import type { Frame } from '../frame';
import { fromJson, type TreeEnsemble } from '../gbdt';
import { predictMlp } from '../nn/mlp';
import type { TfCore } from '../nn/tf';
import { stepWidth, transform, type Pipeline } from '../preprocess';
import type { FeatureDistribution, FittedModel, ModelArtifact } from '../train/types';
import { explainLinear } from './linear';
import { encodedReference } from './reference';
import { DEFAULT_SAMPLES, samplingShapley } from './sampling';
import { explainTrees } from './trees';
import type { Attributions } from './types';

export type { AttributionMethod, AttributionSpace, Attributions, Factor } from './types';
export { explainTrees, treeSpace } from './trees';
export { explainLinear, encodedMeans } from './linear';
export { samplingShapley, DEFAULT_SAMPLES, type BatchPredict } from './sampling';
export { distributionMedian, distributionMode, encodedReference } from './reference';
export {
	factorsForRows,
	featureLabel,
	outcomeLabel,
	topFactors,
	type FactorOptions,
	type RowsFactorOptions
} from './factors';
export { attributionAt, rowOutput } from './values';

export interface ExplainOptions {
	/** The training summary's distributions: the reference for linear models and networks. */
	distributions?: FeatureDistribution[];
	/** Needed for networks only. */
	tf?: TfCore;
	/** Networks: seed of the permutation sampling (default 0). */
	seed?: number;
	/** Networks: permutations per row (default 32, rounded up to an even number). */
	samples?: number;
}

const ensembles = new WeakMap<object, TreeEnsemble>();

function ensembleOf(model: Extract<FittedModel, { family: 'gbdt' | 'rf' }>): TreeEnsemble {
	let e = ensembles.get(model);
	if (!e) {
		e = fromJson(model.ensemble);
		ensembles.set(model, e);
	}
	return e;
}

function needPipeline(p: Pipeline | null): Pipeline {
	if (!p) throw new Error('This model was saved without its preprocessing pipeline.');
	return p;
}

/** Explains `rows` of `frame` (any frame holding the feature columns, matched by name). */
export async function explainArtifact(
	artifact: ModelArtifact,
	frame: Frame,
	rows: Uint32Array,
	opts: ExplainOptions = {}
): Promise<Attributions> {
	const { model, features } = artifact;
	switch (model.family) {
		case 'baseline':
			return explainBaseline(artifact, rows.length);
		case 'gbdt':
		case 'rf':
			return explainTrees(ensembleOf(model), frame, rows, features);
		case 'linear':
			return explainLinear(
				model,
				needPipeline(artifact.pipeline),
				features,
				frame,
				rows,
				opts.distributions
			);
		case 'mlp':
			return explainNetwork(artifact, model, frame, rows, opts);
	}
}

function explainBaseline(artifact: ModelArtifact, n: number): Attributions {
	const b = artifact.model.family === 'baseline' ? artifact.model.baseline : null;
	if (!b) throw new Error('Not a baseline model.');
	const base =
		b.kind === 'mean'
			? Float64Array.of(b.mean)
			: b.nClasses === 2
				? Float64Array.of(b.priors[1])
				: Float64Array.from(b.priors);
	const P = artifact.features.length;
	return {
		features: [...artifact.features],
		method: 'none',
		space: b.kind === 'mean' ? 'value' : 'probability',
		nOutputs: base.length,
		base,
		values: new Float64Array(n * P * base.length),
		nRows: n
	};
}

async function explainNetwork(
	artifact: ModelArtifact,
	model: Extract<FittedModel, { family: 'mlp' }>,
	frame: Frame,
	rows: Uint32Array,
	opts: ExplainOptions
): Promise<Attributions> {
	const { tf } = opts;
	if (!tf) throw new Error('The neural network needs TensorFlow.js, which was not loaded.');
	const pipeline = needPipeline(artifact.pipeline);
	const m = transform(pipeline, frame, rows);
	const spans = new Int32Array(artifact.features.length + 1);
	// Start of each step's encoded columns, then laid out in artifact feature order.
	const start = new Map<string, [number, number]>();
	let c = 0;
	for (const step of pipeline.steps) {
		start.set(step.column, [c, c + stepWidth(step)]);
		c += stepWidth(step);
	}
	// Sampling switches whole features; a contiguous span per feature keeps that a slice copy,
	// so the columns are permuted into feature order when the pipeline's order differs.
	const colOrder: number[] = [];
	artifact.features.forEach((name, j) => {
		const [a, b] = start.get(name) ?? [0, 0];
		spans[j] = colOrder.length;
		for (let k = a; k < b; k++) colOrder.push(k);
		spans[j + 1] = colOrder.length;
	});
	const p = m.nCols;
	const identity = colOrder.length === p && colOrder.every((v, i) => v === i);
	const permute = (src: Float32Array, n: number): Float32Array => {
		if (identity) return src;
		const out = new Float32Array(n * p);
		for (let i = 0; i < n; i++) {
			for (let k = 0; k < colOrder.length; k++) out[i * p + k] = src[i * p + colOrder[k]];
		}
		return out;
	};
	const unpermute = (src: Float32Array, n: number): Float32Array => {
		if (identity) return src;
		const out = new Float32Array(n * p);
		for (let i = 0; i < n; i++) {
			for (let k = 0; k < colOrder.length; k++) out[i * p + colOrder[k]] = src[i * p + k];
		}
		return out;
	};
	const mlp = model.mlp;
	const task = artifact.task;
	const K = task === 'multiclass' ? mlp.nOutputs : 1;
	const result = await samplingShapley({
		predict: (X, n) => predictMlp(tf, mlp, unpermute(X, n), n, p),
		nOutputs: K,
		X: permute(m.X, m.nRows),
		n: m.nRows,
		nCols: p,
		spans,
		reference: permute(encodedReference(pipeline, opts.distributions), 1),
		samples: opts.samples ?? DEFAULT_SAMPLES,
		seed: opts.seed ?? 0,
		rowKeys: rows
	});
	return {
		features: [...artifact.features],
		method: 'sampling-shap',
		space: task === 'regression' ? 'value' : 'probability',
		nOutputs: K,
		base: result.base,
		values: result.values,
		nRows: m.nRows
	};
}
