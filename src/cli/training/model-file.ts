/**
 * The model file `train --save` writes and `predict` reads: the tree ensemble in its own JSON
 * format (src/lib/ml/gbdt/serialize.ts, which also holds each categorical feature's training
 * dictionary: split bitsets index into it) wrapped with what scoring a new file needs — the
 * columns and the types they were read as, the task and the class labels. No timestamps or
 * paths, so the same data and seed give the same file byte for byte.
 */
import type { ColumnPlan } from '../../lib/data/plan';
import type { DateOrder } from '../../lib/data/infer/values';
import { AppException } from '../../lib/errors';
import type { ColumnType } from '../../lib/ml/frame';
import { fromJson, toJson, type EnsembleJson, type TreeEnsemble } from '../../lib/ml/gbdt';
import type { Task } from './data';
import type { ModelKind } from './evaluate';

export const MODEL_FORMAT = 'classlens-model';
export const MODEL_VERSION = 1;

export interface SavedColumn {
	/** The column's safe name: what the model's features are called. */
	name: string;
	/** The header as written in the training file. */
	original: string;
	/** How the column was read in training; a scoring file is read the same way. */
	type: ColumnType;
	dateOrder?: DateOrder;
}

export interface SavedModel {
	format: typeof MODEL_FORMAT;
	version: number;
	task: Task;
	model: ModelKind;
	target: SavedColumn;
	/** Class labels (index = the model's class) for classification; null for regression. */
	classes: string[] | null;
	/** In the ensemble's feature order. */
	features: SavedColumn[];
	/** Columns that identify a row, copied into prediction files. */
	idColumns: string[];
	params: Record<string, number | boolean | string | null>;
	/** Rows the saved model was fitted on. */
	trainedRows: number;
	ensemble: EnsembleJson;
}

export function savedColumn(c: ColumnPlan): SavedColumn {
	const out: SavedColumn = { name: c.name, original: c.original, type: c.type };
	if (c.dateOrder) out.dateOrder = c.dateOrder;
	return out;
}

export function buildSavedModel(
	args: Omit<SavedModel, 'format' | 'version' | 'ensemble'> & {
		trees: TreeEnsemble;
	}
): SavedModel {
	const { trees, ...rest } = args;
	return { format: MODEL_FORMAT, version: MODEL_VERSION, ...rest, ensemble: toJson(trees) };
}

function invalid(file: string, why: string): AppException {
	return new AppException({
		code: 'model-invalid',
		message: `${file} is not a Classlens model file that this version can read (${why}). Train and save it again with '--save'.`,
		details: { file, reason: why }
	});
}

const TASKS: readonly string[] = ['regression', 'binary', 'multiclass'];

/** Parses and checks a model file, so a wrong or damaged file fails here, not mid-scoring. */
export function parseSavedModel(
	text: string,
	file: string
): { saved: SavedModel; ensemble: TreeEnsemble } {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		throw invalid(file, 'not JSON');
	}
	const m = raw as Partial<SavedModel> | null;
	if (!m || typeof m !== 'object' || m.format !== MODEL_FORMAT)
		throw invalid(file, 'unknown format');
	if (m.version !== MODEL_VERSION) throw invalid(file, `version ${String(m.version)}`);
	if (typeof m.task !== 'string' || !TASKS.includes(m.task)) throw invalid(file, 'unknown task');
	if (!Array.isArray(m.features) || !m.ensemble || !m.target) throw invalid(file, 'incomplete');
	let ensemble: TreeEnsemble;
	try {
		ensemble = fromJson(m.ensemble);
	} catch (e) {
		throw invalid(file, e instanceof Error ? e.message : String(e));
	}
	const names = ensemble.features.map((f) => f.name);
	if (names.length !== m.features.length || m.features.some((f, i) => f?.name !== names[i])) {
		throw invalid(file, 'its feature list does not match its trees');
	}
	const classes = m.classes ?? null;
	if (m.task === 'regression' ? classes !== null : !Array.isArray(classes)) {
		throw invalid(file, 'class labels do not fit the task');
	}
	if (m.task === 'multiclass' && classes && classes.length !== ensemble.nOutputs) {
		throw invalid(file, 'class labels do not match its outputs');
	}
	if (m.task === 'binary' && classes?.length !== 2)
		throw invalid(file, 'a binary model needs 2 classes');
	return { saved: m as SavedModel, ensemble };
}
