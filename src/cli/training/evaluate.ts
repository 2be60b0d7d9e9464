/**
 * Fitting and honest scoring for `train`: seeded k-fold cross-validation (grouped by student
 * when students have several rows, else stratified for classes so a rare outcome is in every
 * fold) or a file-order holdout of the last rows (the newest records, as a school would meet
 * them). Each score sits beside a naive baseline — the training mean, or the training class
 * frequencies — so one can see the model learnt something. Only fitting is timed; reading and
 * scoring are not. Folds and baselines come from the shared ML core, so the CLI scores a model
 * exactly as the app does.
 */
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
import {
	fitMeanBaseline,
	fitPriorBaseline,
	predictBaseline,
	predictBaselineProba
} from '../../lib/ml/linear/baseline';
import { groupKFold, kFold, stratifiedKFold, type Fold } from '../../lib/ml/validation';
import { plural } from '../format';
import type { Task, TrainingData } from './data';

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
	if (task === 'regression') return predictBaseline(fitMeanBaseline(yTrain), nTest);
	// Probabilities, not the majority class: log loss needs them, and accuracy takes the argmax.
	return predictBaselineProba(fitPriorBaseline(yTrain, nClasses), nTest);
}

/** How the rows were cut into folds; the names scripts read in the JSON's `cv.scheme`. */
export type CvScheme = 'kfold' | 'stratified' | 'grouped';

export interface CvPlan {
	scheme: CvScheme;
	/** Column whose rows stay together; null unless grouped. */
	group: string | null;
	/** One plain sentence on why this scheme, for the text report. */
	reason: string;
	folds: Fold[];
}

/**
 * The folds `train` cross-validates on. Grouped whenever `data.groups` is set (trainingData only
 * sets it for a column that repeats, or one named with --group): a student's rows in both train
 * and test would let the model score by recognising the student. Otherwise stratified for
 * classes and plain k-fold for numbers. Exported so tests can check the folds themselves.
 */
export function planCrossValidation(
	data: Pick<TrainingData, 'task' | 'y' | 'groups' | 'ungrouped'>,
	k: number,
	seed: number
): CvPlan {
	const n = data.y.length;
	const g = data.groups;
	if (g) {
		const reason = g.forced
			? `Rows with the same ${g.name} (${plural(g.nGroups, 'value')} over ${plural(n, 'row')}) are kept in one fold (--group), so the model is always tested on ${g.name} values it has not seen.`
			: `Students have several rows (${plural(g.nGroups, 'student')} in ${g.name} over ${plural(n, 'row')}), so all rows of a student are kept in one fold and the model is always tested on students it has not seen.`;
		return {
			scheme: 'grouped',
			group: g.name,
			reason,
			folds: groupKFold(g.codes, k, seed)
		};
	}
	const split =
		data.task === 'regression'
			? `rows are split at random into ${k} folds`
			: `rows are split into ${k} folds that each keep the class mix of the whole file`;
	// With --no-group the score can reward recognising a student; say so rather than hide it.
	const reason = data.ungrouped
		? `Grouping by ${data.ungrouped} is off (--no-group), so ${split} and a student's rows can sit in both training and test: the scores may be optimistic.`
		: data.task === 'regression'
			? `Each row is scored once: ${split}, each predicted by a model trained on the others.`
			: `Each row is scored once: ${split}, so every class is tested in every fold.`;
	if (data.task === 'regression') {
		return { scheme: 'kfold', group: null, reason, folds: kFold(n, k, seed) };
	}
	return { scheme: 'stratified', group: null, reason, folds: stratifiedKFold(data.y, k, seed) };
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

/** Fits and scores one model per fold of `plan` (see planCrossValidation). */
export function crossValidate(
	x: Frame,
	y: Float64Array,
	plan: CvPlan,
	spec: FitSpec
): SplitResult[] {
	return plan.folds.map((f) => runSplit(x, y, f.train, f.test, spec));
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
