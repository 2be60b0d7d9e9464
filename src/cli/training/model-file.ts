/**
 * The model file `train --save` writes and `predict` reads: the model — a tree ensemble in its
 * own JSON format (src/lib/ml/gbdt/serialize.ts, which also holds each categorical feature's
 * training dictionary: split bitsets index into it), or for the engine's models (linear, mlp,
 * auto) the engine's ModelArtifact with its preprocessing pipeline — wrapped with what scoring a
 * new file needs: the columns and the types they were read as, the task and the class labels.
 * No timestamps or paths, so the same data and seed give the same file byte for byte.
 */
import type { ColumnPlan } from '../../lib/data/plan';
import type { DateOrder } from '../../lib/data/infer/values';
import { AppException } from '../../lib/errors';
import type { ColumnType } from '../../lib/ml/frame';
import { fromJson, toJson, type EnsembleJson, type TreeEnsemble } from '../../lib/ml/gbdt';
import { FAMILIES, type ModelArtifact } from '../../lib/ml/train';
import type { Task } from './data';
import type { EngineModel } from './engine';
import type { ModelKind } from './evaluate';

import type { FeatureDistribution } from '../../lib/ml/train/types';

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

interface SavedModelBase {
	format: typeof MODEL_FORMAT;
	version: number;
	task: Task;
	target: SavedColumn;
	/** Class labels (index = the model's class) for classification; null for regression. */
	classes: string[] | null;
	/** In the model's feature order. */
	features: SavedColumn[];
	/** Columns that identify a row, copied into prediction files. */
	idColumns: string[];
	params: Record<string, number | boolean | string | number[] | null>;
	/** Rows the saved model was fitted on. */
	trainedRows: number;
	/**
	 * What each feature looked like in training (quantiles, category shares): `predict --explain`
	 * quotes the class medians from it and the network's explanations start from it. Absent in
	 * files saved before it was added; those fall back to the file being scored.
	 */
	distributions?: FeatureDistribution[];
}

/** `train --model gbdt|rf`: the CLI's own tree ensemble. */
export interface TreeSavedModel extends SavedModelBase {
	model: ModelKind;
	ensemble: EnsembleJson;
}

/**
 * `train --model linear|mlp|auto`: the training engine's artifact (for auto, the selected family
 * is `artifact.model.family`).
 */
export interface ArtifactSavedModel extends SavedModelBase {
	model: EngineModel;
	artifact: ModelArtifact;
}

export type SavedModel = TreeSavedModel | ArtifactSavedModel;

export type ParsedModel =
	| { kind: 'trees'; saved: TreeSavedModel; ensemble: TreeEnsemble }
	| { kind: 'artifact'; saved: ArtifactSavedModel; artifact: ModelArtifact };

export function savedColumn(c: ColumnPlan): SavedColumn {
	const out: SavedColumn = { name: c.name, original: c.original, type: c.type };
	if (c.dateOrder) out.dateOrder = c.dateOrder;
	return out;
}

export function buildSavedModel(
	args: Omit<TreeSavedModel, 'format' | 'version' | 'ensemble'> & {
		trees: TreeEnsemble;
	}
): TreeSavedModel {
	const { trees, ...rest } = args;
	return { format: MODEL_FORMAT, version: MODEL_VERSION, ...rest, ensemble: toJson(trees) };
}

export function buildArtifactModel(
	args: Omit<ArtifactSavedModel, 'format' | 'version'>
): ArtifactSavedModel {
	return { format: MODEL_FORMAT, version: MODEL_VERSION, ...args };
}

function invalid(file: string, why: string): AppException {
	return new AppException({
		code: 'model-invalid',
		message: `${file} is not a Classlens model file that this version can read (${why}). Train and save it again with '--save'.`,
		details: { file, reason: why }
	});
}

const TASKS: readonly string[] = ['regression', 'binary', 'multiclass'];
const TREE_MODELS: readonly string[] = ['gbdt', 'rf'];
const ENGINE_MODELS: readonly string[] = ['linear', 'mlp', 'auto'];

const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumbers = (v: unknown): v is number[] =>
	Array.isArray(v) && v.every((x) => typeof x === 'number');
const isStrings = (v: unknown): v is string[] =>
	Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * The shape of the artifact's model, as far as scoring relies on it; the reason it is unusable,
 * or null. Tree ensembles are parsed, so a damaged one fails here rather than mid-scoring.
 */
function fittedProblem(m: unknown): string | null {
	if (!isObject(m)) return 'its artifact has no model';
	const family = m.family;
	if (typeof family !== 'string' || !(FAMILIES as readonly string[]).includes(family)) {
		return `its artifact's model family ${JSON.stringify(family)} is unknown`;
	}
	switch (family) {
		case 'baseline': {
			const b = m.baseline;
			if (!isObject(b)) return 'its baseline model is missing';
			if (b.kind === 'mean') return typeof b.mean === 'number' ? null : 'its baseline has no mean';
			return b.kind === 'prior' && isNumbers(b.priors) ? null : 'its baseline is damaged';
		}
		case 'linear':
			return (m.kind === 'ridge' || m.kind === 'logistic') &&
				Array.isArray(m.coef) &&
				m.coef.every(isNumbers) &&
				isNumbers(m.intercept)
				? null
				: 'its linear model is damaged';
		case 'mlp': {
			const n = m.mlp;
			if (!isObject(n) || n.kind !== 'mlp' || !Array.isArray(n.weights)) {
				return 'its neural network is damaged';
			}
			const ok = n.weights.every(
				(w) =>
					isObject(w) &&
					isNumbers(w.shape) &&
					isNumbers(w.values) &&
					w.values.length === w.shape.reduce((a, b) => a * b, 1)
			);
			return ok ? null : "its neural network's weights are damaged";
		}
		default:
			try {
				fromJson(m.ensemble as EnsembleJson);
				return null;
			} catch (e) {
				return `its trees are damaged: ${e instanceof Error ? e.message : String(e)}`;
			}
	}
}

/** A file's fields before they are checked. */
type RawSavedModel = Partial<Omit<TreeSavedModel, 'model'>> & {
	model?: unknown;
	artifact?: unknown;
};

function artifactProblem(m: RawSavedModel): string | null {
	const a: unknown = m.artifact;
	if (!isObject(a) || a.format !== 'classlens-model') return 'it has no model artifact';
	if (a.version !== 1) return `artifact version ${String(a.version)}`;
	if (a.task !== m.task) return "its artifact's task does not match the file's";
	if (a.target !== m.target?.name) return "its artifact's target does not match the file's";
	if (!isStrings(a.features)) return 'its artifact has no feature list';
	const names = m.features?.map((f) => f?.name) ?? [];
	if (names.length !== a.features.length || a.features.some((f, i) => f !== names[i])) {
		return 'its feature list does not match its artifact';
	}
	const classes = a.classes ?? null;
	if (
		classes === null
			? m.classes !== null
			: !isStrings(classes) || JSON.stringify(classes) !== JSON.stringify(m.classes)
	) {
		return "its class labels do not match its artifact's";
	}
	const pipeline = a.pipeline;
	if (pipeline !== null && !(isObject(pipeline) && Array.isArray(pipeline.steps))) {
		return "its artifact's preprocessing is damaged";
	}
	const family = isObject(a.model) ? a.model.family : undefined;
	if (pipeline === null && (family === 'linear' || family === 'mlp')) {
		return `its ${String(family)} model has no preprocessing`;
	}
	return fittedProblem(a.model);
}

/**
 * Parses and checks a model file of either kind, so a wrong or damaged file fails here, not
 * mid-scoring.
 */
export function parseModel(text: string, file: string): ParsedModel {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		throw invalid(file, 'not JSON');
	}
	const m = raw as RawSavedModel | null;
	if (!m || typeof m !== 'object' || m.format !== MODEL_FORMAT)
		throw invalid(file, 'unknown format');
	if (m.version !== MODEL_VERSION) throw invalid(file, `version ${String(m.version)}`);
	if (typeof m.task !== 'string' || !TASKS.includes(m.task)) throw invalid(file, 'unknown task');
	if (!Array.isArray(m.features) || !m.target) throw invalid(file, 'incomplete');
	const classes = m.classes ?? null;
	if (m.task === 'regression' ? classes !== null : !Array.isArray(classes)) {
		throw invalid(file, 'class labels do not fit the task');
	}
	if (m.task === 'binary' && classes?.length !== 2)
		throw invalid(file, 'a binary model needs 2 classes');
	// Files written before engine models existed have no `artifact` and name a tree model.
	if (m.artifact !== undefined || ENGINE_MODELS.includes(String(m.model))) {
		if (!ENGINE_MODELS.includes(String(m.model))) {
			throw invalid(file, `model ${JSON.stringify(m.model)} cannot hold an artifact`);
		}
		const why = artifactProblem(m);
		if (why) throw invalid(file, why);
		const saved = m as unknown as ArtifactSavedModel;
		return { kind: 'artifact', saved, artifact: saved.artifact };
	}
	if (m.model !== undefined && !TREE_MODELS.includes(String(m.model))) {
		throw invalid(file, `unknown model ${JSON.stringify(m.model)}`);
	}
	if (!m.ensemble) throw invalid(file, 'incomplete');
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
	if (m.task === 'multiclass' && classes && classes.length !== ensemble.nOutputs) {
		throw invalid(file, 'class labels do not match its outputs');
	}
	return { kind: 'trees', saved: m as unknown as TreeSavedModel, ensemble };
}

/** parseModel for a tree model file; an engine model file is refused with a clear message. */
export function parseSavedModel(
	text: string,
	file: string
): { saved: TreeSavedModel; ensemble: TreeEnsemble } {
	const parsed = parseModel(text, file);
	if (parsed.kind !== 'trees') {
		throw invalid(file, `it holds a ${parsed.saved.model} model, not trees`);
	}
	return parsed;
}
