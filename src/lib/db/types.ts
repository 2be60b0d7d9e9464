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
