/**
 * Fitting and honest scoring for `train`: seeded k-fold cross-validation (stratified for
 * classes, so a rare outcome is in every fold) or a file-order holdout of the last rows (the
 * newest records, as a school would meet them). Each score sits beside a naive baseline —
 * the training mean, or the training class frequencies — so one can see the model learnt
 * something. Only fitting is timed; reading and scoring are not.
 */
import { AppException } from '../../lib/errors';
import { takeRows, type Frame } from '../../lib/ml/frame';
import {
	featureImportance,
	predict,
	trainForest,
	trainGbdt,
	type TreeEnsemble
} from '../../lib/ml/gbdt';
import {
	accuracy,
	f1Weighted,
	logLoss,
	mae,
	predictedClasses,
	r2,
	rmse
} from '../../lib/ml/metrics';
import { createRng } from '../../lib/ml/random';
import type { Task } from './data';

export type ModelKind = 'gbdt' | 'rf';

export interface FitSpec {
	task: Task;
	model: ModelKind;
	/** Number of classes (classification) or 0. */
	nClasses: number;
	seed: number;
	/** Boosting rounds (gbdt) or trees (rf). */
	trees: number;
	/** Leaves per tree; undefined = the learner's default (31 for gbdt, unlimited for rf). */
	leaves?: number;
	learningRate: number;
	bins: number;
	/** gbdt only: stop when a seeded 10% validation split stops improving. */
	earlyStopping: boolean;
}

export function fitModel(x: Frame, y: Float64Array, spec: FitSpec): TreeEnsemble {
	if (spec.model === 'rf') {
		return trainForest(x, y, {
			task: spec.task,
			nClasses: spec.task === 'multiclass' ? spec.nClasses : undefined,
			nTrees: spec.trees,
			maxBins: spec.bins,
			seed: spec.seed,
			...(spec.leaves !== undefined ? { maxLeaves: spec.leaves } : {})
		});
	}
	return trainGbdt(x, y, {
		loss:
			spec.task === 'regression'
				? 'squared_error'
				: spec.task === 'binary'
					? 'binary_logloss'
					: 'multiclass',
		nClasses: spec.task === 'multiclass' ? spec.nClasses : undefined,
		nRounds: spec.trees,
		learningRate: spec.learningRate,
		maxBins: spec.bins,
		seed: spec.seed,
		earlyStopping: spec.earlyStopping ? { validationFraction: 0.1, patience: 10 } : false,
		...(spec.leaves !== undefined ? { maxLeaves: spec.leaves } : {})
	});
}

export interface RegressionScores {
	rmse: number;
	mae: number;
	r2: number;
}
export interface ClassificationScores {
	accuracy: number;
	f1_weighted: number;
	log_loss: number;
}
export type Scores = RegressionScores | ClassificationScores;

/**
 * Scores predictions (`predict`'s output: values, P(class 1) for binary, or n × K
 * probabilities) against the true targets.
 */
export function score(task: Task, nClasses: number, y: Float64Array, pred: Float64Array): Scores {
	if (task === 'regression') return { rmse: rmse(y, pred), mae: mae(y, pred), r2: r2(y, pred) };
	const truth = Int32Array.from(y);
	const cls = predictedClasses(pred, y.length, nClasses);
	return {
		accuracy: accuracy(truth, cls),
		f1_weighted: f1Weighted(truth, cls, nClasses),
		log_loss: logLoss(truth, pred, nClasses)
	};
}

/** What predicting without features gives: the training mean, or the class frequencies. */
export function baselinePrediction(
	task: Task,
	nClasses: number,
	yTrain: Float64Array,
	nTest: number
): Float64Array {
	if (task === 'regression') {
		let mean = 0;
		for (let i = 0; i < yTrain.length; i++) mean += yTrain[i];
		mean /= yTrain.length;
		return new Float64Array(nTest).fill(mean);
	}
	const freq = new Float64Array(nClasses);
	for (let i = 0; i < yTrain.length; i++) freq[yTrain[i]]++;
	for (let k = 0; k < nClasses; k++) freq[k] /= yTrain.length;
	if (task === 'binary') return new Float64Array(nTest).fill(freq[1]);
	const out = new Float64Array(nTest * nClasses);
	for (let i = 0; i < nTest; i++) out.set(freq, i * nClasses);
	return out;
}

/**
 * Fold (0..k−1) of each row. Rows are shuffled with the seed; for classes each class is
 * shuffled on its own and dealt round-robin, continuing where the previous class stopped, so
 * every fold gets its share of every class and the folds differ in size by at most one.
 */
export function foldOf(n: number, k: number, seed: number, strata?: Float64Array): Uint32Array {
	const fold = new Uint32Array(n);
	const rng = createRng(`${seed}:folds`);
	const groups: number[][] = [];
	if (strata) {
		for (let i = 0; i < n; i++) (groups[strata[i]] ??= []).push(i);
	} else groups.push(Array.from({ length: n }, (_, i) => i));
	let next = 0;
	for (const g of groups) {
		if (!g) continue;
		rng.shuffle(g);
		for (const row of g) fold[row] = next++ % k;
	}
	return fold;
}

export interface SplitResult {
	nTrain: number;
	nTest: number;
	scores: Scores;
	baseline: Scores;
	seconds: number;
	model: TreeEnsemble;
}

function runSplit(
	x: Frame,
	y: Float64Array,
	train: Uint32Array,
	test: Uint32Array,
	spec: FitSpec
): SplitResult {
	const yTrain = Float64Array.from(train, (r) => y[r]);
	const yTest = Float64Array.from(test, (r) => y[r]);
	const xTrain = takeRows(x, train);
	const t0 = performance.now();
	const model = fitModel(xTrain, yTrain, spec);
	const seconds = (performance.now() - t0) / 1000;
	const pred = predict(model, takeRows(x, test));
	return {
		nTrain: train.length,
		nTest: test.length,
		scores: score(spec.task, spec.nClasses, yTest, pred),
		baseline: score(
			spec.task,
			spec.nClasses,
			yTest,
			baselinePrediction(spec.task, spec.nClasses, yTrain, test.length)
		),
		seconds,
		model
	};
}

export function crossValidate(x: Frame, y: Float64Array, k: number, spec: FitSpec): SplitResult[] {
	const n = y.length;
	if (k > n) {
		throw new AppException({
			code: 'too-few-rows',
			message: `${k}-fold cross-validation needs at least ${k} rows with a target; there are ${n}.`,
			details: { folds: k, rows: n }
		});
	}
	const fold = foldOf(n, k, spec.seed, spec.task === 'regression' ? undefined : y);
	const results: SplitResult[] = [];
	for (let f = 0; f < k; f++) {
		const train: number[] = [];
		const test: number[] = [];
		for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
		results.push(runSplit(x, y, Uint32Array.from(train), Uint32Array.from(test), spec));
	}
	return results;
}

/** Rows in file order: the first ones train, the last round(n × fraction) test. */
export function holdoutLast(
	x: Frame,
	y: Float64Array,
	fraction: number,
	spec: FitSpec
): SplitResult {
	const n = y.length;
	const nTest = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
	const nTrain = n - nTest;
	const train = Uint32Array.from({ length: nTrain }, (_, i) => i);
	const test = Uint32Array.from({ length: nTest }, (_, i) => nTrain + i);
	return runSplit(x, y, train, test, spec);
}

/** Mean of each score over the splits. */
export function meanScores(list: readonly Scores[]): Scores {
	const out: Record<string, number> = {};
	for (const s of list) {
		for (const [key, v] of Object.entries(s)) out[key] = (out[key] ?? 0) + v / list.length;
	}
	return out as unknown as Scores;
}

export interface Importance {
	feature: string;
	/** Share of all split gain, averaged over the fitted models. */
	gain_share: number;
	/** Splits on the feature, averaged over the fitted models. */
	splits: number;
}

/** Importances averaged over the models, most important first (ties by name, so stable). */
export function meanImportance(models: readonly TreeEnsemble[]): Importance[] {
	const acc = new Map<string, Importance>();
	for (const m of models) {
		for (const fi of featureImportance(m)) {
			const a = acc.get(fi.name) ?? { feature: fi.name, gain_share: 0, splits: 0 };
			a.gain_share += fi.gainShare / models.length;
			a.splits += fi.splits / models.length;
			acc.set(fi.name, a);
		}
	}
	return [...acc.values()].sort(
		(a, b) => b.gain_share - a.gain_share || (a.feature < b.feature ? -1 : 1)
	);
}
