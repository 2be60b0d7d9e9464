/**
 * One adapter per model family: fit on some rows of a frame, score other rows. Everything a
 * family needs beyond the raw columns (imputation, scaling, one-hot for the linear model and the
 * network) is fitted here on the training rows only, so a cross-validation fold never sees its
 * test rows' statistics. Trees take the columns as they are: they split on categories and route
 * missing values natively. Predictions come back in one layout for every family: the value per
 * row for regression, n × K class probabilities (also for two classes) otherwise.
 */
import { makeFrame, takeRows, type Frame } from '../frame';
import {
	featureImportance,
	fromJson,
	predict as predictTrees,
	toJson,
	trainForest,
	trainGbdt,
	type TreeEnsemble
} from '../gbdt';
import {
	fitLogistic,
	fitMeanBaseline,
	fitPriorBaseline,
	fitRidge,
	predictLogisticProba,
	predictRidge,
	type LogisticModel,
	type RidgeModel
} from '../linear';
import { predictMlp, trainMlp } from '../nn/mlp';
import type { Tf, TfCore } from '../nn/tf';
import { fitPipeline, requireFeature, stepWidth, transform, type Pipeline } from '../preprocess';
import type { CancelToken, ProgressFn } from '../progress';
import type {
	Family,
	FittedModel,
	ImportanceEntry,
	LearningCurve,
	ModelArtifact,
	Task
} from './types';

export type ParamValue = number | string | boolean | number[];
export type Params = Record<string, ParamValue>;

export interface TaskInfo {
	task: Task;
	/** Class count (0 for regression). */
	nClasses: number;
}

export interface FitContext {
	/** Needed by the network only; the other families are pure TypeScript. */
	tf?: Tf;
	seed: number;
	/** Classification: weigh classes inversely to their frequency. */
	balanced: boolean;
	progress: ProgressFn;
	cancel: CancelToken;
}

export interface Fitted {
	model: FittedModel;
	pipeline: Pipeline | null;
	learningCurve: LearningCurve | null;
	/** Model-native importance (tree gain, |standardised coefficient|); null = not available. */
	importance: ImportanceEntry[] | null;
}

/** What every family's fit receives: `y` holds the target of `rows`, in that order. */
interface FitArgs {
	frame: Frame;
	features: string[];
	rows: Uint32Array;
	y: Float64Array;
	info: TaskInfo;
	params: Params;
	ctx: FitContext;
}

export function needsTf(family: Family): boolean {
	return family === 'mlp';
}

function lossName(task: Task): string {
	return task === 'regression' ? 'squared error' : 'log loss';
}

function num(params: Params, key: string, fallback: number): number {
	const v = params[key];
	return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** Per-class weights n / (K · count), as scikit-learn's class_weight='balanced'. */
export function balancedWeights(y: ArrayLike<number>, nClasses: number): number[] {
	const counts = new Array<number>(nClasses).fill(0);
	for (let i = 0; i < y.length; i++) counts[y[i]]++;
	return counts.map((c) => (c > 0 ? y.length / (nClasses * c) : 0));
}

function featureFrame(frame: Frame, features: string[], rows: ArrayLike<number>): Frame {
	return takeRows(makeFrame(features.map((name) => requireFeature(frame, name))), rows);
}

/** Sums the encoded columns' importance back onto the feature each came from, as shares. */
function pipelineImportance(pipeline: Pipeline, perColumn: ArrayLike<number>): ImportanceEntry[] {
	const byFeature = new Map<string, number>();
	let c = 0;
	for (const step of pipeline.steps) {
		const width = stepWidth(step);
		let s = 0;
		for (let j = 0; j < width; j++) s += Math.abs(perColumn[c + j]);
		byFeature.set(step.column, (byFeature.get(step.column) ?? 0) + s);
		c += width;
	}
	return toShares(byFeature);
}

export function toShares(values: Map<string, number>): ImportanceEntry[] {
	let total = 0;
	for (const v of values.values()) total += v;
	return [...values]
		.map(([feature, v]) => ({ feature, share: total > 0 ? v / total : 0 }))
		.sort((a, b) => b.share - a.share || (a.feature < b.feature ? -1 : 1));
}

function fitBaseline(y: Float64Array, info: TaskInfo): Fitted {
	const b = info.task === 'regression' ? fitMeanBaseline(y) : fitPriorBaseline(y, info.nClasses);
	const model: FittedModel =
		b.kind === 'mean'
			? { family: 'baseline', baseline: { kind: 'mean', mean: b.mean } }
			: {
					family: 'baseline',
					baseline: {
						kind: 'prior',
						nClasses: b.nClasses,
						priors: Array.from(b.priors),
						majority: b.majority
					}
				};
	return { model, pipeline: null, learningCurve: null, importance: null };
}

function fitLinear({ frame, features, rows, y, info, params, ctx }: FitArgs): Fitted {
	const pipeline = fitPipeline(frame, features, rows);
	const m = transform(pipeline, frame, rows);
	const x = { data: m.X, nRows: m.nRows, nCols: m.nCols };
	if (info.task === 'regression') {
		const r = fitRidge(x, y, { alpha: num(params, 'alpha', 1) });
		return {
			model: {
				family: 'linear',
				kind: 'ridge',
				coef: [Array.from(r.coef)],
				intercept: [r.intercept]
			},
			pipeline,
			learningCurve: null,
			// The pipeline standardises numbers, so coefficient sizes are comparable.
			importance: pipelineImportance(pipeline, r.coef)
		};
	}
	const l = fitLogistic(x, y, {
		nClasses: info.nClasses,
		C: num(params, 'C', 1),
		classWeight: ctx.balanced ? 'balanced' : undefined,
		cancel: ctx.cancel
	});
	const p = m.nCols;
	const rowsOfCoef = l.coef.length / p;
	const coef: number[][] = [];
	const magnitude = new Float64Array(p);
	for (let k = 0; k < rowsOfCoef; k++) {
		const row = Array.from(l.coef.subarray(k * p, (k + 1) * p));
		coef.push(row);
		for (let j = 0; j < p; j++) magnitude[j] += Math.abs(row[j]);
	}
	return {
		model: { family: 'linear', kind: 'logistic', coef, intercept: Array.from(l.intercept) },
		pipeline,
		learningCurve: null,
		importance: pipelineImportance(pipeline, magnitude)
	};
}

function treeLearningCurve(model: TreeEnsemble, task: Task): LearningCurve | null {
	const h = model.history;
	if (!h || h.length === 0 || !h.some((r) => Number.isFinite(r.train))) return null;
	const hasValidation = h.some((r) => r.validation !== undefined);
	const validation = hasValidation ? h.map((r) => r.validation ?? NaN) : null;
	let best = h.length;
	if (validation) {
		let min = Infinity;
		validation.forEach((v, i) => {
			if (v < min - 1e-12) {
				min = v;
				best = i + 1;
			}
		});
	}
	return { unit: 'round', metric: lossName(task), train: h.map((r) => r.train), validation, best };
}

function treeImportance(model: TreeEnsemble): ImportanceEntry[] {
	return toShares(new Map(featureImportance(model).map((f) => [f.name, f.gainShare])));
}

function fitTrees(
	family: 'gbdt' | 'rf',
	{ frame, features, rows, y, info, params, ctx }: FitArgs
): Fitted {
	const x = featureFrame(frame, features, rows);
	const { task } = info;
	const nClasses = task === 'multiclass' ? info.nClasses : undefined;
	const minSamplesLeaf = num(params, 'minSamplesLeaf', family === 'rf' ? 1 : 20);
	const maxLeaves = num(params, 'maxLeaves', family === 'rf' ? 0 : 31);
	const classWeight = ctx.balanced && task !== 'regression' ? ('balanced' as const) : undefined;
	const options = { progress: ctx.progress, cancel: ctx.cancel };
	let model: TreeEnsemble;
	if (family === 'rf') {
		const perClass = classWeight ? balancedWeights(y, info.nClasses) : null;
		const sampleWeight = perClass ? Float64Array.from(y, (c) => perClass[c]) : undefined;
		model = trainForest(
			x,
			y,
			{
				task,
				nClasses,
				nTrees: num(params, 'trees', 100),
				maxLeaves,
				minSamplesLeaf,
				seed: ctx.seed
			},
			{ ...options, sampleWeight }
		);
	} else {
		model = trainGbdt(
			x,
			y,
			{
				loss:
					task === 'regression'
						? 'squared_error'
						: task === 'binary'
							? 'binary_logloss'
							: 'multiclass',
				nClasses,
				nRounds: num(params, 'rounds', 300),
				learningRate: num(params, 'learningRate', 0.1),
				maxLeaves,
				minSamplesLeaf,
				classWeight,
				// Class-sized data overfits fast: stop once a tenth held out of the fold stops improving.
				earlyStopping: y.length >= 50 ? { validationFraction: 0.1, patience: 15 } : false,
				seed: ctx.seed
			},
			options
		);
	}
	return {
		model: { family, ensemble: toJson(model) },
		pipeline: null,
		learningCurve: family === 'gbdt' ? treeLearningCurve(model, task) : null,
		importance: treeImportance(model)
	};
}

async function fitNetwork({
	frame,
	features,
	rows,
	y,
	info,
	params,
	ctx
}: FitArgs): Promise<Fitted> {
	if (!ctx.tf) throw new Error('The neural network needs TensorFlow.js, which was not loaded.');
	const pipeline = fitPipeline(frame, features, rows);
	const m = transform(pipeline, frame, rows);
	const { task } = info;
	const hidden = params.hidden;
	const fit = await trainMlp(
		ctx.tf,
		{
			X: m.X,
			y: task === 'regression' ? Float32Array.from(y) : Int32Array.from(y),
			nRows: m.nRows,
			nCols: m.nCols
		},
		{
			task,
			nClasses: task === 'multiclass' ? info.nClasses : undefined,
			hidden: Array.isArray(hidden) ? hidden : undefined,
			dropout: num(params, 'dropout', 0.1),
			epochs: num(params, 'epochs', 100),
			learningRate: num(params, 'learningRate', 0.005),
			patience: num(params, 'patience', 10),
			classWeight:
				ctx.balanced && task !== 'regression' ? balancedWeights(y, info.nClasses) : undefined,
			seed: ctx.seed
		},
		ctx.progress,
		ctx.cancel
	);
	const validation = fit.history.every((e) => e.valLoss !== undefined)
		? fit.history.map((e) => e.valLoss as number)
		: null;
	return {
		model: { family: 'mlp', mlp: fit.artifact },
		pipeline,
		learningCurve: {
			unit: 'epoch',
			metric: task === 'regression' ? 'squared error (standardised)' : 'log loss',
			train: fit.history.map((e) => e.loss),
			validation,
			best: fit.bestEpoch || fit.history.length
		},
		importance: null
	};
}

/** Fits one family on `rows` of `frame`; `y` holds the target of those rows, in that order. */
export async function fitFamily(
	family: Family,
	frame: Frame,
	features: string[],
	rows: Uint32Array,
	y: Float64Array,
	info: TaskInfo,
	params: Params,
	ctx: FitContext
): Promise<Fitted> {
	const args: FitArgs = { frame, features, rows, y, info, params, ctx };
	switch (family) {
		case 'baseline':
			return fitBaseline(y, info);
		case 'linear':
			return fitLinear(args);
		case 'gbdt':
		case 'rf':
			return fitTrees(family, args);
		case 'mlp':
			return fitNetwork(args);
	}
}

/** Parsed tree ensembles are cached per artifact so repeated scoring does not re-parse them. */
const ensembles = new WeakMap<object, TreeEnsemble>();

function ensembleOf(model: Extract<FittedModel, { family: 'gbdt' | 'rf' }>): TreeEnsemble {
	let e = ensembles.get(model);
	if (!e) {
		e = fromJson(model.ensemble);
		ensembles.set(model, e);
	}
	return e;
}

function twoColumns(p1: ArrayLike<number>): Float64Array {
	const out = new Float64Array(p1.length * 2);
	for (let i = 0; i < p1.length; i++) {
		// Forest votes are leaf means of 0/1 labels; clipping only guards against rounding.
		const p = Math.min(1, Math.max(0, p1[i]));
		out[2 * i] = 1 - p;
		out[2 * i + 1] = p;
	}
	return out;
}

/**
 * Scores `rows` of `frame` (any frame with the feature columns, e.g. next term's upload).
 * Regression: one value per row. Classification: row-major n × K probabilities.
 */
export async function predictFitted(
	fitted: Pick<Fitted, 'model' | 'pipeline'>,
	frame: Frame,
	features: string[],
	rows: Uint32Array,
	info: TaskInfo,
	tf?: TfCore
): Promise<Float64Array> {
	const { model } = fitted;
	const n = rows.length;
	const k = info.nClasses;
	const classification = info.task !== 'regression';
	switch (model.family) {
		case 'baseline': {
			const b = model.baseline;
			if (b.kind === 'mean') return new Float64Array(n).fill(b.mean);
			const out = new Float64Array(n * b.nClasses);
			for (let i = 0; i < n; i++) out.set(b.priors, i * b.nClasses);
			return out;
		}
		case 'linear': {
			const pipeline = requirePipeline(fitted.pipeline);
			const m = transform(pipeline, frame, rows);
			const x = { data: m.X, nRows: m.nRows, nCols: m.nCols };
			if (model.kind === 'ridge') {
				const r: RidgeModel = {
					kind: 'ridge',
					nFeatures: m.nCols,
					coef: Float64Array.from(model.coef[0]),
					intercept: model.intercept[0],
					alpha: 0,
					standardize: false
				};
				return predictRidge(r, x);
			}
			const l: LogisticModel = {
				kind: 'logistic',
				nClasses: k,
				nFeatures: m.nCols,
				coef: Float64Array.from(model.coef.flat()),
				intercept: Float64Array.from(model.intercept),
				C: 0,
				standardize: false,
				iterations: 0,
				converged: true
			};
			const p = predictLogisticProba(l, x);
			return k === 2 && p.length === n ? twoColumns(p) : p;
		}
		case 'gbdt':
		case 'rf': {
			const ensemble = ensembleOf(model);
			const p = predictTrees(ensemble, featureFrame(frame, features, rows));
			if (!classification) return Float64Array.from(p);
			// Multiclass comes out normalised already (softmax for boosting, vote shares for forests).
			return k === 2 && p.length === n ? twoColumns(p) : Float64Array.from(p);
		}
		case 'mlp': {
			if (!tf) throw new Error('The neural network needs TensorFlow.js, which was not loaded.');
			const pipeline = requirePipeline(fitted.pipeline);
			const m = transform(pipeline, frame, rows);
			const out = await predictMlp(tf, model.mlp, m.X, m.nRows, m.nCols);
			if (!classification) return Float64Array.from(out);
			return k === 2 ? twoColumns(out) : Float64Array.from(out);
		}
	}
}

function requirePipeline(p: Pipeline | null): Pipeline {
	if (!p) throw new Error('This model was saved without its preprocessing pipeline.');
	return p;
}

/** Scores with a saved artifact: the same path as cross-validation used. */
export function predictArtifactRows(
	artifact: ModelArtifact,
	frame: Frame,
	rows: Uint32Array,
	tf?: TfCore
): Promise<Float64Array> {
	const info: TaskInfo = { task: artifact.task, nClasses: artifact.classes?.length ?? 0 };
	return predictFitted(artifact, frame, artifact.features, rows, info, tf);
}
