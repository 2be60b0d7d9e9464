/**
 * The contract of the training engine (src/lib/ml/train): what a training run is asked to do,
 * what it hands back, and the model artifact kept in the registry. Every shape here is plain
 * data (numbers, strings, arrays, plain objects) so it survives postMessage, IndexedDB and
 * JSON export unchanged; the UI, the worker, the CLI and the model file all speak it.
 */
import type { ClassBalance, ClassificationReport } from '../metrics';
import type { Pipeline, Task } from '../preprocess';
import type { ValidationScheme } from '../validation';
import type { BaselineModel } from '../linear/baseline';
import type { EnsembleJson } from '../gbdt';
import type { MlpArtifact } from '../nn/mlp';

export type { Task } from '../preprocess';

/** Model families, simplest first: the order breaks ties in auto mode. */
export const FAMILIES = ['baseline', 'linear', 'rf', 'gbdt', 'mlp'] as const;
export type Family = (typeof FAMILIES)[number];

/** A target the teacher derives from another column instead of one stored in the data. */
export type TargetDerivation =
	| {
			kind: 'grade';
			/** Numeric column the grade is derived from (e.g. final_exam). */
			source: string;
			/**
			 * Grade boundaries, highest first: a value ≥ min gets the label; values below the last
			 * min get `below`. E.g. [{label:'A',min:70},{label:'B',min:60},…], below 'F'.
			 */
			boundaries: { label: string; min: number }[];
			below: string;
	  }
	| {
			kind: 'pass-fail';
			source: string;
			/** A value ≥ threshold passes. */
			threshold: number;
			passLabel: string;
			failLabel: string;
	  };

export interface ValidationSpec {
	/** 'auto' = chooseValidation's rule (grouped when a student has several rows). */
	scheme: ValidationScheme | 'auto';
	/** Folds for the k-fold schemes (2–10). */
	k: number;
	/** Column whose equal values must stay in one fold (the student id); null = none. */
	group: string | null;
	/** Column that orders rows in time (semester, date) for the time holdout; null = none. */
	time: string | null;
	/** Share of the latest rows (whole periods) held out by the time holdout; default 0.2. */
	timeFraction?: number;
}

/** Hyper-parameters per family; absent keys take the family's defaults. */
export interface FamilyParams {
	baseline?: Record<string, never>;
	/** Ridge alpha (regression) or logistic C (classification). */
	linear?: { alpha?: number; C?: number };
	gbdt?: { rounds?: number; learningRate?: number; maxLeaves?: number; minSamplesLeaf?: number };
	rf?: { trees?: number; maxLeaves?: number; minSamplesLeaf?: number };
	mlp?: { hidden?: number[]; dropout?: number; epochs?: number; learningRate?: number };
}

export interface TrainRequest {
	/**
	 * Column to predict. With `derive`, the name the derived column gets (e.g. "grade"); it is
	 * added to the frame before training and need not exist in the data.
	 */
	target: string;
	derive?: TargetDerivation | null;
	/** Default: inferTask on the (derived) target. */
	task?: Task;
	features: string[];
	/** Families to try; the baseline is always scored as well, whether listed or not. */
	families: Family[];
	/** Small bounded hyper-parameter searches per family, then the best by CV is selected. */
	auto: boolean;
	validation: ValidationSpec;
	/** 'balanced' weighs classes inversely to their frequency (classification only). */
	classWeight: 'none' | 'balanced';
	seed: number;
	params?: FamilyParams;
	/**
	 * Columns (flagged as leaking the target) to leave out in a second scoring of the selected
	 * model, so the teacher sees the score with and without them side by side.
	 */
	compareWithout?: string[];
}

/** One candidate (family + parameters) scored by cross-validation. */
export interface CandidateResult {
	family: Family;
	/** Short human label, e.g. "Gradient boosting (31 leaves, lr 0.1)". */
	label: string;
	params: Record<string, number | string | boolean | number[]>;
	/** Metrics per fold (same keys as `mean`). */
	folds: Record<string, number>[];
	/** Mean over folds of each metric: rmse, mae, r2 — or accuracy, balanced_accuracy, f1_weighted, log_loss. */
	mean: Record<string, number>;
	/** Standard deviation over folds of each metric (0 with one fold). */
	std: Record<string, number>;
	/** The selection score: mean RMSE (lower is better) or mean weighted F1 (higher is better). */
	score: number;
	/** Fitting time summed over the folds. */
	seconds: number;
}

export interface LearningCurve {
	/** Boosting rounds or epochs. */
	unit: 'round' | 'epoch';
	/** What the values are, for the axis label: "squared error", "log loss", … */
	metric: string;
	train: number[];
	/** Validation loss per step, when the learner had an inner validation split. */
	validation: number[] | null;
	/** Step (1-based) kept by early stopping; the last step when there was none. */
	best: number;
}

export interface ImportanceEntry {
	feature: string;
	/** Share of the total importance (sums to 1 over the list). */
	share: number;
}

/** Keys of the figures on the diagnostics page; each gets one plain-language reading. */
export type FigureKey =
	| 'summary'
	| 'scatter'
	| 'residuals'
	| 'report'
	| 'confusion'
	| 'brier'
	| 'reliability'
	| 'roc'
	| 'pr'
	| 'balance'
	| 'learning'
	| 'importance';

export interface RegressionDiagnostics {
	task: 'regression';
	target: string;
	/** Pooled over the out-of-fold predictions: rmse, mae, r2. */
	metrics: Record<string, number>;
	baseline: Record<string, number>;
	/** A sample (≤ 2,000 rows, seeded) of out-of-fold predictions for the scatter and residuals. */
	actual: number[];
	predicted: number[];
	/** Residual histogram over all rows (actual − predicted). */
	residualHistogram: { edges: number[]; counts: number[] };
	learningCurve: LearningCurve | null;
	importance: ImportanceEntry[];
	readings: Partial<Record<FigureKey, string>>;
	nRows: number;
}

export interface ClassificationDiagnostics {
	task: 'binary' | 'multiclass';
	target: string;
	classes: string[];
	/**
	 * Pooled over the out-of-fold predictions: accuracy, balanced_accuracy, f1_weighted,
	 * precision_weighted, recall_weighted, log_loss, brier_macro, ece; binary adds roc_auc and
	 * average_precision.
	 */
	metrics: Record<string, number>;
	baseline: Record<string, number>;
	report: ClassificationReport;
	/** confusion[true][predicted] counts. */
	confusion: number[][];
	/** One-vs-rest Brier score per class. */
	brierPerClass: number[];
	reliability: {
		mode: 'positive' | 'top-label';
		bins: {
			lower: number;
			upper: number;
			count: number;
			meanPredicted: number;
			observed: number;
		}[];
		ece: number;
	};
	/** Binary only, downsampled to ≤ 200 points; the positive class is classes[1]. */
	roc: { fpr: number[]; tpr: number[]; auc: number } | null;
	pr: { recall: number[]; precision: number[]; averagePrecision: number } | null;
	balance: ClassBalance;
	learningCurve: LearningCurve | null;
	importance: ImportanceEntry[];
	readings: Partial<Record<FigureKey, string>>;
	nRows: number;
}

export type Diagnostics = RegressionDiagnostics | ClassificationDiagnostics;

/** Why a feature is suspected of leaking the target. */
export interface LeakageFlag {
	column: string;
	kind: 'correlation' | 'name' | 'after-outcome';
	/** |correlation| (or association) with the target, when measured. */
	strength: number | null;
	/** One sentence for the teacher. */
	message: string;
}

/** What the training data looked like, kept with the model for drift checks later. */
export type FeatureDistribution =
	| {
			name: string;
			kind: 'numeric';
			count: number;
			missingRate: number;
			mean: number;
			std: number;
			min: number;
			max: number;
			/** Values at the 0, 10, …, 100th percentiles. */
			quantiles: number[];
			/** Equal-width histogram between min and max. */
			histogram: { edges: number[]; counts: number[] };
	  }
	| {
			name: string;
			kind: 'categorical';
			count: number;
			missingRate: number;
			/** Most frequent first, at most 50; the rest summed into "(other)". */
			categories: { label: string; share: number }[];
	  };

/** A fitted model ready to score new rows. Plain JSON. */
export type FittedModel =
	| { family: 'baseline'; baseline: BaselineModelJson }
	| {
			family: 'linear';
			kind: 'ridge' | 'logistic';
			/** Per encoded column (pipeline.columnNames order); logistic multinomial: K rows. */
			coef: number[][];
			intercept: number[];
	  }
	| { family: 'gbdt' | 'rf'; ensemble: EnsembleJson }
	| { family: 'mlp'; mlp: MlpArtifact };

/** BaselineModel with its typed array as a plain array (JSON-safe). */
export type BaselineModelJson =
	| { kind: 'mean'; mean: number }
	| { kind: 'prior'; nClasses: number; priors: number[]; majority: number };

export type { BaselineModel };

/** Everything needed to score new data: the model file's payload. */
export interface ModelArtifact {
	format: 'classlens-model';
	version: 1;
	task: Task;
	target: string;
	derive: TargetDerivation | null;
	features: string[];
	/** Class labels (index = model output) for classification; null for regression. */
	classes: string[] | null;
	/** Imputation, scaling and encoding fitted on the training rows; null for tree models. */
	pipeline: Pipeline | null;
	model: FittedModel;
	/**
	 * Out-of-fold residual quantiles (regression) for prediction intervals: the 5th and 95th
	 * percentiles of actual − predicted; null for classification.
	 */
	residualQuantiles: { q05: number; q95: number } | null;
}

export interface ValidationUsed {
	scheme: ValidationScheme;
	k: number;
	group: string | null;
	time: string | null;
	/** Why this scheme, in a sentence or two for the teacher. */
	reason: string;
	nRows: number;
}

/** What a training run hands back: the leaderboard, the chosen model and its diagnostics. */
export interface TrainOutcome {
	task: Task;
	target: string;
	features: string[];
	classes: string[] | null;
	validation: ValidationUsed;
	/** Every candidate, best first; the baseline included. */
	leaderboard: CandidateResult[];
	/** Index into leaderboard of the selected candidate. */
	selected: number;
	/** Why it was selected (ties prefer the simpler family). */
	selectionReason: string;
	diagnostics: Diagnostics;
	/** Fitted on all labelled rows with the selected candidate's parameters. */
	artifact: ModelArtifact;
	/** Hex digest of the training rows' features and target, to recognise the same data later. */
	fingerprint: string;
	distributions: FeatureDistribution[];
	leakage: LeakageFlag[];
	/** Present when compareWithout was given: the selected candidate without those columns. */
	comparison: { without: string[]; candidate: CandidateResult } | null;
	/** Wall-clock seconds for the whole run. */
	trainSeconds: number;
	nLabelled: number;
}
