/**
 * Record shapes stored in IndexedDB (current schema version). Everything here must survive the
 * structured clone algorithm: plain objects, arrays, strings, numbers, typed arrays — no class
 * instances, functions or Maps, so a record written by the worker reads back the same in the UI.
 */
import type { ColumnRole, ColumnType } from '$lib/ml/frame';
import type { TrainOutcome } from '$lib/ml/train/types';

export type DatasetSource = 'demo' | 'upload' | 'derived';

export interface DatasetColumnMeta {
	name: string;
	kind: 'numeric' | 'categorical';
	type: ColumnType;
	role: ColumnRole;
	/** NaN (numeric) or MISSING_CODE (categorical) cells, kept so profiles need not scan chunks. */
	missingCount: number;
	/** Entries in the stored dictionary; 0 for numeric columns. */
	dictionarySize: number;
}

export interface DatasetRecord {
	id: string;
	name: string;
	description: string;
	/** Schema profile recognised at import (e.g. 'marks', 'course-records'), null if none. */
	profile: string | null;
	source: DatasetSource;
	fileName: string | null;
	nRows: number;
	columns: DatasetColumnMeta[];
	target: string | null;
	/** Rows per chunk, fixed for the life of the dataset so chunk i always covers the same rows. */
	chunkRows: number;
	nChunks: number;
	/** Estimate of the space the data takes (arrays + dictionaries), for the storage page. */
	sizeBytes: number;
	createdAt: number;
	updatedAt: number;
	/**
	 * Written ahead while an import is still being checked, so that saving it is instant; hidden
	 * from every list until the teacher saves (then cleared), removed if the import is abandoned.
	 */
	staged?: boolean;
}

/**
 * One slice of one column: rows [chunk * chunkRows, min(nRows, (chunk + 1) * chunkRows)).
 * Primary key [datasetId, column, chunk]; `column` is the index into DatasetRecord.columns.
 */
export interface ChunkRecord {
	datasetId: string;
	column: number;
	chunk: number;
	/** Float64Array for numeric columns (NaN = missing), Uint32Array codes for categorical. */
	data: Float64Array | Uint32Array;
}

export type ChunkKey = [datasetId: string, column: number, chunk: number];

/** The dictionary of one categorical column; primary key [datasetId, column]. */
export interface DictionaryRecord {
	datasetId: string;
	column: number;
	values: string[];
}

export type DictionaryKey = [datasetId: string, column: number];

export type ModelTask = 'regression' | 'binary' | 'multiclass';

export interface TrainingEpoch {
	epoch: number;
	loss: number;
	valLoss?: number;
}

export interface ModelRecord {
	id: string;
	datasetId: string;
	target: string;
	task: ModelTask;
	/** e.g. 'gbdt', 'random-forest', 'mlp', 'ridge', 'logistic'. */
	family: string;
	/** 1, 2, 3, … per (datasetId, target); assigned by saveModel. */
	version: number;
	/** Exactly one model per (datasetId, target) is active once any exists. */
	active: boolean;
	name: string;
	features: string[];
	params: Record<string, unknown>;
	metrics: Record<string, number>;
	/** The same metrics for a trivial baseline (mean / majority class), to show the gain. */
	baseline: Record<string, number>;
	/** Serialisable model + fitted pipeline; must be structured-clone safe. */
	artifact: unknown;
	history?: TrainingEpoch[];
	/** Compute backend used for training (e.g. 'wasm', 'webgl'), for neural models. */
	backend?: string;
	trainSeconds: number;
	notes: string;
	createdAt: number;
	/**
	 * How the model was chosen and checked: leaderboard, validation, diagnostics, training-data
	 * fingerprint and feature distributions (for drift checks). Absent on the quick models saved
	 * before the training engine existed; `artifact` is then a QuickArtifact, else a ModelArtifact.
	 */
	training?: TrainingSummary;
}

/** TrainOutcome without what ModelRecord already holds at its top level. */
export type TrainingSummary = Omit<
	TrainOutcome,
	'artifact' | 'task' | 'target' | 'features' | 'trainSeconds'
>;

export type NewModelRecord = Omit<ModelRecord, 'id' | 'version' | 'createdAt' | 'active'>;

/** A batch of scores from one model over (some of) a dataset's rows. */
export interface PredictionRecord {
	id: string;
	modelId: string;
	datasetId: string;
	at: number;
	/** A person-readable label, e.g. "Batch scoring — term 2". Never student identifiers. */
	label: string;
	/** Dataset row indices scored, in output order; null means all rows 0..n-1. */
	rows: Uint32Array | null;
	/**
	 * Row-major, `nOutputs` values per row: regression → prediction; binary → P(positive);
	 * multiclass → one probability per entry of `classes`.
	 */
	outputs: Float64Array;
	nOutputs: number;
	classes: string[] | null;
	/** Optional per-row uncertainty interval (regression) or calibrated bounds. */
	lower?: Float64Array;
	upper?: Float64Array;
}

export interface ClusteringRecord {
	id: string;
	datasetId: string;
	/** e.g. 'kmeans', 'dbscan', 'gmm', 'ward'. */
	algorithm: string;
	params: Record<string, unknown>;
	features: string[];
	k: number;
	/** One cluster index per dataset row; MISSING_CODE for noise / rows left out. */
	assignments: Uint32Array;
	/** Validity indices and stability (silhouette, Davies–Bouldin, bootstrap Jaccard, …). */
	metrics: Record<string, number>;
	/** Persona names, one per cluster. */
	names: string[];
	/** k × features.length centroids in original units, when the algorithm has them. */
	centroids?: number[][];
	notes: string;
	createdAt: number;
}

/** A teacher's note that they did something for a student, to compare outcomes later. */
export interface InterventionRecord {
	id: string;
	datasetId: string;
	/** The value of the dataset's id column for this student. Stays on the device. */
	studentId: string;
	/** e.g. 'meeting', 'tutoring', 'parent-contact'. */
	type: string;
	/** When it happened (ms since epoch). */
	date: number;
	note: string;
	createdAt: number;
}

/** Audit log entry. `summary` must never contain student identifiers. */
export interface AuditEvent {
	id?: number;
	at: number;
	type: string;
	summary: string;
	datasetId?: string;
	modelId?: string;
}

export interface SettingRecord {
	key: string;
	value: unknown;
}

/*
 * Schema v3: the outcomes feedback loop, the prediction log and study plans.
 */

/** What one logged prediction said. */
export type PredictionLogOutput =
	| {
			/** Regression: the predicted value and its 90 % interval. */
			value?: number;
			lower?: number;
			upper?: number;
			/** Classification: the most likely class and every class's probability. */
			predicted?: string;
			proba?: Record<string, number>;
	  }
	| {
			/** A batch: how many rows were scored and how many came out at risk. */
			rows: number;
			atRisk: number;
	  };

/**
 * One prediction made with a model, for the audit trail on /monitor. Unlike the event log
 * (`audit`), it does hold the student's identifier: it stays on this device, is shown on screen
 * only, and is replaced by a keyed pseudonym in every export (pseudonym.ts).
 */
export interface PredictionLogEntry {
	id?: number;
	at: number;
	modelId: string;
	/** Copies, so the entry still reads well after the model is renamed or deleted. */
	modelName: string;
	modelVersion: number;
	/** The dataset the scored row(s) came from; null for a what-if form filled in by hand. */
	datasetId: string | null;
	kind: 'single' | 'batch';
	/** Single predictions for a known student; null for batches and anonymous what-ifs. */
	studentId: string | null;
	/** The feature values used (single predictions only). */
	input: Record<string, number | string | null> | null;
	output: PredictionLogOutput;
	/** Batches: the PredictionRecord holding the scores. */
	predictionId: string | null;
	latencyMs: number;
}

/**
 * A student's actual result, entered by hand or read from an uploaded dataset, to check the
 * predictions made for them. Primary key [datasetId, studentId, target].
 */
export interface ActualRecord {
	/** The dataset the predictions were for (not the file the results came from). */
	datasetId: string;
	studentId: string;
	/** The model's target (e.g. "final_exam", or a derived "grade"). */
	target: string;
	value: number | string;
	source: 'upload' | 'edit';
	at: number;
}

export type ActualKey = [datasetId: string, studentId: string, target: string];

/** One reliability bin (as in ml/metrics' reliability); NaN means an empty bin. */
export interface CalibrationBin {
	lower: number;
	upper: number;
	count: number;
	meanPredicted: number;
	observed: number;
}

/** The result of checking a model's predictions against the actual results that came in. */
export interface OutcomeCheckRecord {
	id: string;
	at: number;
	modelId: string;
	modelVersion: number;
	/** The newest batch of predictions that contributed; null when only single ones did. */
	predictionId: string | null;
	/** Students whose prediction and actual result were compared. */
	n: number;
	/** Real-world scores: rmse, mae, coverage90 (regression) or accuracy, brier_macro, … */
	metrics: Record<string, number>;
	/** The model's cross-validated scores, copied when the check ran. */
	validated: Record<string, number>;
	/** Classification: calibration of P(risk class) on the real results. */
	calibration?: CalibrationBin[];
	/** The real error exceeds the validated one by more than the margin, on enough students. */
	flagged: boolean;
	/** The verdict in words, for the teacher. */
	message: string;
	/* Additions beyond the minimal record: what the UI needs to draw and explain a check. */
	task?: ModelTask;
	/** The metric compared ('rmse' or 'accuracy'). */
	primary?: string;
	/** Classification: the class whose probability `calibration` describes. */
	riskClass?: string | null;
	/** Where the compared predictions came from. */
	sources?: { batch: number; single: number };
	datasetId?: string;
	target?: string;
}

/** A short plan a teacher writes for one student in one subject. */
export interface StudyPlanRecord {
	id: string;
	datasetId: string;
	studentId: string;
	subject: string;
	title: string;
	note: string;
	/** An http(s) address of material to use; null when none. */
	link: string | null;
	createdAt: number;
	updatedAt: number;
}
