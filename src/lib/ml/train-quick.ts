/**
 * Trains the quick model end to end on a frame: a seeded holdout split (stratified for classes),
 * preprocessing fitted on the training part only, the MLP, and holdout metrics for the model and
 * for a naive baseline (mean / majority class), so a teacher can see whether the model actually
 * learned anything. tf is injected; nothing here knows which backend runs it.
 */
import { AppException } from '../errors';
import { getColumn, type Frame } from './frame';
import {
	accuracy,
	balancedAccuracy,
	f1Weighted,
	logLoss,
	mae,
	predictedClasses,
	r2,
	rmse
} from './metrics';
import { predictMlp, trainMlp, type EpochLog, type MlpArtifact } from './nn/mlp';
import type { Tf, TfCore } from './nn/tf';
import {
	encodeClasses,
	fitClasses,
	fitPipeline,
	labelledRows,
	regressionTarget,
	transform,
	type Pipeline,
	type Task
} from './preprocess';
import { subProgress, type CancelToken, type ProgressFn } from './progress';
import { holdoutSplit } from './validation/holdout';

export interface QuickTrainOptions {
	target: string;
	features: string[];
	task: Task;
	seed: number;
	epochs?: number;
	/** Share of labelled rows held out for the reported metrics. */
	testFraction?: number;
	hidden?: number[];
	learningRate?: number;
}

/** Everything needed to predict later, as plain JSON. */
export interface QuickArtifact {
	kind: 'quick-mlp';
	version: 1;
	task: Task;
	target: string;
	features: string[];
	/** Class labels (index = model output) for classification; null for regression. */
	classes: string[] | null;
	pipeline: Pipeline;
	mlp: MlpArtifact;
}

export interface QuickTrainResult {
	artifact: QuickArtifact;
	/**
	 * Holdout metrics, keyed as scikit-learn names them: rmse, mae, r2 — or accuracy,
	 * balanced_accuracy, f1_weighted, log_loss — plus the row counts n_train and n_test.
	 */
	metrics: Record<string, number>;
	/** The same metrics for predicting the training mean or the training class frequencies. */
	baseline: Record<string, number>;
	history: EpochLog[];
	bestEpoch: number;
	trainSeconds: number;
	nTrain: number;
	nTest: number;
}

export const MIN_LABELLED_ROWS = 10;

function checkRequest(frame: Frame, opts: QuickTrainOptions): void {
	if (!getColumn(frame, opts.target)) {
		throw new AppException({
			code: 'missing-column',
			message: `The data has no column called "${opts.target}" to predict.`,
			details: { column: opts.target }
		});
	}
	if (opts.features.includes(opts.target)) {
		throw new AppException({
			code: 'target-in-features',
			message: `"${opts.target}" cannot be both the thing to predict and an input.`,
			details: { column: opts.target }
		});
	}
	if (opts.features.length === 0) {
		throw new AppException({
			code: 'no-features',
			message: 'Choose at least one column for the model to learn from.'
		});
	}
}

function tooFew(target: string, n: number): AppException {
	return new AppException({
		code: 'too-few-rows',
		message: `A model needs at least ${MIN_LABELLED_ROWS} students with a known "${target}"; this data has ${n}.`,
		details: { column: target, labelled: n }
	});
}

function regressionMetrics(y: ArrayLike<number>, pred: ArrayLike<number>): Record<string, number> {
	return { rmse: rmse(y, pred), mae: mae(y, pred), r2: r2(y, pred) };
}

function classMetrics(
	y: Int32Array,
	proba: ArrayLike<number>,
	nClasses: number
): Record<string, number> {
	const pred = predictedClasses(proba, y.length, nClasses);
	return {
		accuracy: accuracy(y, pred),
		balanced_accuracy: balancedAccuracy(y, pred, nClasses),
		f1_weighted: f1Weighted(y, pred, nClasses),
		log_loss: logLoss(y, proba, nClasses)
	};
}

/**
 * The baseline predicts the training class frequencies for every student, so its predicted class
 * is the majority class and its log loss is that of knowing only the base rates.
 */
function priorProba(yTrain: Int32Array, nClasses: number, nRows: number): Float32Array {
	const prior = new Float64Array(nClasses);
	for (let i = 0; i < yTrain.length; i++) prior[yTrain[i]] += 1 / yTrain.length;
	if (nClasses === 2) return new Float32Array(nRows).fill(prior[1]);
	const out = new Float32Array(nRows * nClasses);
	for (let i = 0; i < nRows; i++) out.set(prior, i * nClasses);
	return out;
}

export async function trainQuick(
	tf: Tf,
	frame: Frame,
	opts: QuickTrainOptions,
	progress: ProgressFn,
	cancel: CancelToken
): Promise<QuickTrainResult> {
	const started = performance.now();
	checkRequest(frame, opts);
	progress({ fraction: 0, phase: 'Preparing the data' });
	const { target, features, task, seed } = opts;
	const rows = labelledRows(frame, target);
	if (rows.length < MIN_LABELLED_ROWS) throw tooFew(target, rows.length);

	const classes =
		task === 'regression' ? null : fitClasses(frame, target, rows, { numericAsClasses: true });
	if (classes && classes.length < 2) {
		throw new AppException({
			code: 'one-class',
			message: `Every student has the same "${target}" (${classes[0] ?? 'none'}), so there is nothing to predict.`,
			details: { column: target }
		});
	}
	if (classes && task === 'binary' && classes.length > 2) {
		throw new AppException({
			code: 'not-binary',
			message: `"${target}" has ${classes.length} different values, not two. Choose a multi-class model instead.`,
			details: { column: target, classes: classes.length }
		});
	}
	const yAll = classes ? encodeClasses(classes, frame, target, rows) : null;
	const split = holdoutSplit(rows.length, {
		testFraction: opts.testFraction ?? 0.2,
		seed: `holdout:${seed}`,
		strata: yAll ?? undefined
	});
	const trainRows = split.train.map((i) => rows[i]);
	const testRows = split.test.map((i) => rows[i]);
	const pipeline = fitPipeline(frame, features, trainRows);
	const train = transform(pipeline, frame, trainRows);
	const test = transform(pipeline, frame, testRows);
	const nClasses = classes?.length ?? 0;
	const yTrain = classes
		? encodeClasses(classes, frame, target, trainRows)
		: regressionTarget(frame, target, trainRows);
	const yTest = classes
		? encodeClasses(classes, frame, target, testRows)
		: regressionTarget(frame, target, testRows);
	cancel.throwIfCancelled();

	const fit = await trainMlp(
		tf,
		{ X: train.X, y: yTrain, nRows: train.nRows, nCols: train.nCols },
		{
			task,
			nClasses: task === 'multiclass' ? nClasses : undefined,
			seed,
			epochs: opts.epochs,
			hidden: opts.hidden,
			learningRate: opts.learningRate
		},
		subProgress(progress, 0.05, 0.95),
		cancel
	);

	progress({ fraction: 0.95, phase: 'Checking the model on held-out students' });
	let metrics: Record<string, number> = {};
	let baseline: Record<string, number> = {};
	if (test.nRows > 0) {
		const pred = await predictMlp(tf, fit.artifact, test.X, test.nRows, test.nCols);
		if (classes) {
			metrics = classMetrics(yTest as Int32Array, pred, nClasses);
			baseline = classMetrics(
				yTest as Int32Array,
				priorProba(yTrain as Int32Array, nClasses, test.nRows),
				nClasses
			);
		} else {
			metrics = regressionMetrics(yTest, pred);
			let mean = 0;
			for (let i = 0; i < yTrain.length; i++) mean += yTrain[i];
			mean /= yTrain.length;
			baseline = regressionMetrics(yTest, new Float64Array(test.nRows).fill(mean));
		}
	}
	const counts = { n_train: train.nRows, n_test: test.nRows };
	metrics = { ...metrics, ...counts };
	baseline = { ...baseline, ...counts };
	progress({ fraction: 1, phase: 'Model trained' });
	return {
		artifact: {
			kind: 'quick-mlp',
			version: 1,
			task,
			target,
			features: [...features],
			classes,
			pipeline,
			mlp: fit.artifact
		},
		metrics,
		baseline,
		history: fit.history,
		bestEpoch: fit.bestEpoch,
		trainSeconds: (performance.now() - started) / 1000,
		nTrain: train.nRows,
		nTest: test.nRows
	};
}

export interface QuickPrediction {
	/** Regression: predicted value per row. Classification: most likely class index per row. */
	values: Float32Array | Int32Array;
	/** Classification only: row-major nRows × classes.length probabilities. */
	proba: Float32Array | null;
	classes: string[] | null;
}

/** Scores `rows` (default all) of any frame that has the artifact's feature columns. */
export async function predictQuick(
	tf: TfCore,
	artifact: QuickArtifact,
	frame: Frame,
	rows?: ArrayLike<number>
): Promise<QuickPrediction> {
	const m = transform(artifact.pipeline, frame, rows);
	const out = await predictMlp(tf, artifact.mlp, m.X, m.nRows, m.nCols);
	if (!artifact.classes) return { values: out, proba: null, classes: null };
	const k = artifact.classes.length;
	// Binary models output P(class 1); expand to two columns so callers see one shape.
	const proba = k === 2 ? binaryToTwoColumns(out) : out;
	return { values: predictedClasses(proba, m.nRows, k), proba, classes: [...artifact.classes] };
}

function binaryToTwoColumns(p1: Float32Array): Float32Array {
	const out = new Float32Array(p1.length * 2);
	for (let i = 0; i < p1.length; i++) {
		out[2 * i] = 1 - p1[i];
		out[2 * i + 1] = p1[i];
	}
	return out;
}
