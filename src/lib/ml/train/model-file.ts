/**
 * The model file: one registry version as a JSON document a teacher can move to another device
 * (or the CLI can score with), and the XGBoost export of boosted models. Pure: no DOM, no Dexie.
 *
 * JSON has no NaN, ±Infinity or −0, and metrics legitimately hold them (R² of a constant target,
 * an AUC with one class present), so those numbers travel as `{"$number": "NaN"}` and are revived
 * on reading; everything else is plain JSON. Typed arrays become plain arrays.
 *
 * Student identifiers are never written: the artifact and training summary hold none by
 * construction, and the training summary is copied field by field (a field added to it later is
 * not exported until someone decides it is safe), with the diagnostics' samples kept only when
 * they are plain numbers.
 */
import { AppException, fail, ok, type Result } from '../../errors';
import type { ModelRecord, ModelTask, TrainingEpoch, TrainingSummary } from '../../db/types';
import type { QuickArtifact } from './legacy';
import { fromJson, toXgboostJson } from '../gbdt';
import { FAMILIES, type Diagnostics, type ModelArtifact } from './types';

export const MODEL_FILE_FORMAT = 'classlens-model-file';
export const MODEL_FILE_VERSION = 1;
/** Larger files are refused before parsing; a big boosted model is a few MB. */
export const MAX_MODEL_FILE_BYTES = 50 * 1024 * 1024;

export type ModelFileArtifact = ModelArtifact | QuickArtifact;

/** One registry version as written to the file (the record minus its place on this device). */
export interface ModelFileModel {
	name: string;
	/** The dataset it was trained on, to suggest where to attach it on import. */
	datasetName?: string;
	target: string;
	task: ModelTask;
	family: string;
	/** Its version number where it was exported (an import gets the next one here). */
	version: number;
	features: string[];
	params: Record<string, unknown>;
	metrics: Record<string, number>;
	baseline: Record<string, number>;
	/** Null for quick models saved before the training engine existed. */
	training: TrainingSummary | null;
	notes: string;
	trainSeconds: number;
	backend?: string;
	history?: TrainingEpoch[];
	/** ISO 8601. */
	createdAt: string;
	artifact: ModelFileArtifact;
}

export interface ModelFile {
	format: typeof MODEL_FILE_FORMAT;
	version: typeof MODEL_FILE_VERSION;
	/** ISO 8601. */
	exportedAt: string;
	app: 'Classlens';
	model: ModelFileModel;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What toModelFile returns: JSON.stringify writes it without loss. */
export interface ModelFileJson {
	format: typeof MODEL_FILE_FORMAT;
	version: typeof MODEL_FILE_VERSION;
	exportedAt: string;
	app: 'Classlens';
	model: { [key: string]: Json };
}

/** A registry record read back from a file, ready for importModelRecord. */
export type ImportedModelRecord = Omit<
	ModelRecord,
	'id' | 'datasetId' | 'version' | 'active' | 'createdAt'
>;

export function isModelArtifact(a: unknown): a is ModelArtifact {
	return isObj(a) && a.format === 'classlens-model';
}

export function isQuickArtifact(a: unknown): a is QuickArtifact {
	return isObj(a) && a.kind === 'quick-mlp';
}

// ---------------------------------------------------------------------------------------------
// Writing

const NUM_TAG = '$number';

function exportError(path: string, what: string): AppException {
	return new AppException({
		code: 'model-export-failed',
		message: 'This model could not be written to a file: part of it is not plain data.',
		details: { path, problem: what }
	});
}

function encode(v: unknown, path: string): Json | undefined {
	if (typeof v === 'number') {
		if (Object.is(v, -0)) return { [NUM_TAG]: '-0' };
		return Number.isFinite(v) ? v : { [NUM_TAG]: String(v) };
	}
	if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
	if (v === undefined) return undefined;
	if (ArrayBuffer.isView(v)) {
		if (v instanceof DataView || v instanceof BigInt64Array || v instanceof BigUint64Array) {
			throw exportError(path, 'binary data');
		}
		return Array.from(v as unknown as ArrayLike<number>, (x, i) => encode(x, `${path}[${i}]`)!);
	}
	if (Array.isArray(v)) return v.map((x, i) => encode(x, `${path}[${i}]`) ?? null);
	if (typeof v === 'object') {
		const proto: unknown = Object.getPrototypeOf(v);
		if (proto !== Object.prototype && proto !== null) throw exportError(path, 'an object');
		const out: { [key: string]: Json } = {};
		for (const [k, x] of Object.entries(v)) {
			const e = encode(x, `${path}.${k}`);
			if (e !== undefined) out[k] = e;
		}
		return out;
	}
	throw exportError(path, typeof v);
}

/** Drops a sample that is not all numbers rather than risk writing row identifiers. */
function numbersOnly(a: readonly unknown[]): number[] {
	return Array.isArray(a) && a.every((x) => typeof x === 'number') ? (a as number[]) : [];
}

function diagnosticsForFile(d: Diagnostics): Diagnostics {
	const shared = {
		target: d.target,
		metrics: d.metrics,
		baseline: d.baseline,
		learningCurve: d.learningCurve,
		importance: d.importance,
		readings: d.readings,
		nRows: d.nRows
	};
	if (d.task === 'regression') {
		return {
			...shared,
			task: d.task,
			actual: numbersOnly(d.actual),
			predicted: numbersOnly(d.predicted),
			residualHistogram: d.residualHistogram
		};
	}
	return {
		...shared,
		task: d.task,
		classes: d.classes,
		report: d.report,
		confusion: d.confusion,
		brierPerClass: d.brierPerClass,
		reliability: d.reliability,
		roc: d.roc,
		pr: d.pr,
		balance: d.balance
	};
}

function trainingForFile(t: TrainingSummary): TrainingSummary {
	return {
		classes: t.classes,
		validation: t.validation,
		leaderboard: t.leaderboard,
		selected: t.selected,
		selectionReason: t.selectionReason,
		diagnostics: diagnosticsForFile(t.diagnostics),
		fingerprint: t.fingerprint,
		distributions: t.distributions,
		leakage: t.leakage,
		comparison: t.comparison,
		nLabelled: t.nLabelled
	};
}

/** The file's content for one registry version; throws a 'model-export-failed' AppException. */
export function toModelFile(
	rec: ModelRecord,
	opts: { datasetName?: string; now?: Date } = {}
): ModelFileJson {
	const model: Omit<ModelFileModel, 'artifact' | 'training'> & {
		artifact: unknown;
		training: TrainingSummary | null;
	} = {
		name: rec.name,
		datasetName: opts.datasetName,
		target: rec.target,
		task: rec.task,
		family: rec.family,
		version: rec.version,
		features: rec.features,
		params: rec.params,
		metrics: rec.metrics,
		baseline: rec.baseline,
		training: rec.training ? trainingForFile(rec.training) : null,
		notes: rec.notes,
		trainSeconds: rec.trainSeconds,
		backend: rec.backend,
		history: rec.history,
		createdAt: new Date(rec.createdAt).toISOString(),
		artifact: rec.artifact
	};
	return {
		format: MODEL_FILE_FORMAT,
		version: MODEL_FILE_VERSION,
		exportedAt: (opts.now ?? new Date()).toISOString(),
		app: 'Classlens',
		model: encode(model, 'model') as { [key: string]: Json }
	};
}

/** The model file as text, ready for a download or a write to disk. */
export function modelFileText(rec: ModelRecord, opts: { datasetName?: string; now?: Date } = {}) {
	return JSON.stringify(toModelFile(rec, opts));
}

/** `Demo class (marks)`, `final_exam`, 2 → `Demo-class-marks-final_exam-v2.classlens-model.json`. */
export function modelFileName(
	rec: Pick<ModelRecord, 'target' | 'version'>,
	datasetName: string | undefined,
	kind: 'classlens' | 'xgboost' = 'classlens'
): string {
	const slug = (s: string) =>
		s
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/[^A-Za-z0-9_-]+/g, '-')
			.replace(/-+/g, '-')
			.replace(/^[-_]+|[-_]+$/g, '')
			.slice(0, 60);
	const stem = [datasetName ? slug(datasetName) : '', slug(rec.target) || 'model']
		.filter(Boolean)
		.join('-');
	return `${stem}-v${rec.version}.${kind === 'xgboost' ? 'xgboost' : 'classlens-model'}.json`;
}

// ---------------------------------------------------------------------------------------------
// XGBoost

/** Whether xgboostExport can succeed: boosted trees on numeric features only. */
export function canExportXgboost(rec: Pick<ModelRecord, 'artifact'>): boolean {
	const a = rec.artifact;
	return (
		isModelArtifact(a) &&
		a.model.family === 'gbdt' &&
		a.model.ensemble.features.every((f) => f.kind === 'numeric')
	);
}

/** XGBoost JSON model text (load with xgboost.Booster(model_file=…)) for boosted models. */
export function xgboostExport(rec: Pick<ModelRecord, 'artifact'>): Result<string> {
	const a = rec.artifact;
	const family = isModelArtifact(a) ? a.model.family : 'quick-mlp';
	if (!isModelArtifact(a) || a.model.family !== 'gbdt') {
		const what =
			family === 'rf'
				? 'a random forest, whose averaged trees have no XGBoost equivalent'
				: family === 'quick-mlp' || family === 'mlp'
					? 'a neural network'
					: family === 'linear'
						? 'a linear model'
						: 'a baseline';
		return fail(
			'xgboost-unsupported',
			`Only gradient-boosting models can be exported as XGBoost JSON; this one is ${what}.`,
			{ family }
		);
	}
	try {
		return ok(toXgboostJson(fromJson(a.model.ensemble)));
	} catch (e) {
		return fail(
			'xgboost-unsupported',
			e instanceof TypeError ? e.message : 'This model could not be converted to XGBoost JSON.',
			{ error: e instanceof Error ? e.message : String(e) }
		);
	}
}

// ---------------------------------------------------------------------------------------------
// Reading

function isObj(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const REVIVE: Record<string, number> = {
	NaN: NaN,
	Infinity: Infinity,
	'-Infinity': -Infinity,
	'-0': -0
};

function revive(_key: string, v: unknown): unknown {
	if (isObj(v)) {
		const keys = Object.keys(v);
		const tag = v[NUM_TAG];
		if (keys.length === 1 && typeof tag === 'string' && tag in REVIVE) return REVIVE[tag];
	}
	return v;
}

/** Whether the text is over `limit` bytes in UTF-8, without allocating a second copy of it. */
function overBytes(s: string, limit: number): boolean {
	if (s.length > limit) return true;
	if (s.length * 3 <= limit) return false;
	let n = 0;
	for (let i = 0; i < s.length && n <= limit; i++) {
		const c = s.charCodeAt(i);
		if (c < 0x80) n += 1;
		else if (c < 0x800) n += 2;
		else if (c >= 0xd800 && c <= 0xdbff) {
			n += 4;
			i++;
		} else n += 3;
	}
	return n > limit;
}

/** A problem at one place in the file: `model.artifact.features` "must be a list of text". */
class Issue {
	constructor(
		readonly path: string,
		readonly problem: string
	) {}
}
/** A part written by a newer Classlens. */
class Newer {
	constructor(
		readonly path: string,
		readonly found: number,
		readonly supported: number
	) {}
}

function kindOf(v: unknown): string {
	if (v === null) return 'empty (null)';
	if (Array.isArray(v)) return 'a list';
	if (typeof v === 'string') return 'text';
	if (typeof v === 'object') return 'an object';
	return `a ${typeof v}`;
}

function need(v: unknown, path: string, ok: boolean, what: string): void {
	if (v === undefined) throw new Issue(path, 'is missing');
	if (!ok) throw new Issue(path, `must be ${what}, but it is ${kindOf(v)}`);
}

const obj = (v: unknown, p: string): Record<string, unknown> => {
	need(v, p, isObj(v), 'an object');
	return v as Record<string, unknown>;
};
const str = (v: unknown, p: string): string => {
	need(v, p, typeof v === 'string', 'text');
	return v as string;
};
const num = (v: unknown, p: string): number => {
	need(v, p, typeof v === 'number', 'a number');
	return v as number;
};
const int = (v: unknown, p: string, min = 0): number => {
	need(v, p, Number.isInteger(v) && (v as number) >= min, `a whole number ≥ ${min}`);
	return v as number;
};
const bool = (v: unknown, p: string) => need(v, p, typeof v === 'boolean', 'true or false');
function arr(v: unknown, p: string): unknown[] {
	need(v, p, Array.isArray(v), 'a list');
	return v as unknown[];
}
function strArr(v: unknown, p: string): string[] {
	need(v, p, Array.isArray(v), 'a list of text');
	(v as unknown[]).forEach((x, i) => str(x, `${p}[${i}]`));
	return v as string[];
}
function numArr(v: unknown, p: string): number[] {
	need(v, p, Array.isArray(v), 'a list of numbers');
	(v as unknown[]).forEach((x, i) => num(x, `${p}[${i}]`));
	return v as number[];
}
function numRecord(v: unknown, p: string): void {
	for (const [k, x] of Object.entries(obj(v, p))) num(x, `${p}.${k}`);
}
function oneOf<T extends string>(v: unknown, p: string, options: readonly T[]): T {
	need(v, p, options.includes(v as T), `one of ${options.map((o) => `"${o}"`).join(', ')}`);
	return v as T;
}
const optional = <T>(v: unknown, check: (v: unknown) => T) =>
	v === undefined ? undefined : check(v);
const nullable = <T>(v: unknown, check: (v: unknown) => T) => (v === null ? null : check(v));

const TASKS = ['regression', 'binary', 'multiclass'] as const;

function checkPipeline(v: unknown, p: string): void {
	const o = obj(v, p);
	if (o.version !== 1) throw new Issue(`${p}.version`, 'must be 1');
	strArr(o.features, `${p}.features`);
	strArr(o.columnNames, `${p}.columnNames`);
	num(o.nTrainRows, `${p}.nTrainRows`);
	arr(o.steps, `${p}.steps`).forEach((s, i) => {
		const sp = `${p}.steps[${i}]`;
		const step = obj(s, sp);
		str(step.column, `${sp}.column`);
		if (oneOf(step.kind, `${sp}.kind`, ['numeric', 'categorical']) === 'numeric') {
			for (const k of ['median', 'mean', 'std']) num(step[k], `${sp}.${k}`);
			bool(step.missingIndicator, `${sp}.missingIndicator`);
		} else {
			strArr(step.categories, `${sp}.categories`);
			bool(step.missingSlot, `${sp}.missingSlot`);
		}
	});
}

function checkMlp(v: unknown, p: string): void {
	const o = obj(v, p);
	oneOf(o.kind, `${p}.kind`, ['mlp']);
	if (o.version !== 1) throw new Issue(`${p}.version`, 'must be 1');
	oneOf(o.task, `${p}.task`, TASKS);
	int(o.nInputs, `${p}.nInputs`, 1);
	int(o.nOutputs, `${p}.nOutputs`, 1);
	arr(o.hidden, `${p}.hidden`).forEach((h, i) => int(h, `${p}.hidden[${i}]`, 1));
	num(o.targetMean, `${p}.targetMean`);
	num(o.targetStd, `${p}.targetStd`);
	arr(o.weights, `${p}.weights`).forEach((w, i) => {
		const wp = `${p}.weights[${i}]`;
		const wo = obj(w, wp);
		const shape = arr(wo.shape, `${wp}.shape`).map((d, j) => int(d, `${wp}.shape[${j}]`));
		const values = numArr(wo.values, `${wp}.values`);
		const size = shape.reduce((a, b) => a * b, 1);
		if (values.length !== size) {
			throw new Issue(`${wp}.values`, `must hold ${size} numbers for shape [${shape.join(', ')}]`);
		}
	});
}

function checkFeaturesAndClasses(a: Record<string, unknown>, p: string): void {
	const task = oneOf(a.task, `${p}.task`, TASKS);
	str(a.target, `${p}.target`);
	strArr(a.features, `${p}.features`);
	const classes = nullable(a.classes, (v) => strArr(v, `${p}.classes`));
	if (task !== 'regression' && (classes === null || classes.length < 2)) {
		throw new Issue(`${p}.classes`, 'must list at least two classes for a classification model');
	}
}

function checkQuickArtifact(a: Record<string, unknown>, p: string): void {
	if (a.version !== 1) {
		if (typeof a.version === 'number' && a.version > 1)
			throw new Newer(`${p}.version`, a.version, 1);
		throw new Issue(`${p}.version`, 'must be 1');
	}
	checkFeaturesAndClasses(a, p);
	checkPipeline(a.pipeline, `${p}.pipeline`);
	checkMlp(a.mlp, `${p}.mlp`);
}

function checkDerive(v: unknown, p: string): void {
	const d = obj(v, p);
	str(d.source, `${p}.source`);
	if (oneOf(d.kind, `${p}.kind`, ['grade', 'pass-fail']) === 'grade') {
		arr(d.boundaries, `${p}.boundaries`).forEach((b, i) => {
			const bo = obj(b, `${p}.boundaries[${i}]`);
			str(bo.label, `${p}.boundaries[${i}].label`);
			num(bo.min, `${p}.boundaries[${i}].min`);
		});
		str(d.below, `${p}.below`);
	} else {
		num(d.threshold, `${p}.threshold`);
		str(d.passLabel, `${p}.passLabel`);
		str(d.failLabel, `${p}.failLabel`);
	}
}

function checkFitted(v: unknown, p: string): void {
	const m = obj(v, p);
	const family = oneOf(m.family, `${p}.family`, FAMILIES);
	if (family === 'baseline') {
		const b = obj(m.baseline, `${p}.baseline`);
		if (oneOf(b.kind, `${p}.baseline.kind`, ['mean', 'prior']) === 'mean') {
			num(b.mean, `${p}.baseline.mean`);
		} else {
			int(b.nClasses, `${p}.baseline.nClasses`, 1);
			numArr(b.priors, `${p}.baseline.priors`);
			int(b.majority, `${p}.baseline.majority`);
		}
	} else if (family === 'linear') {
		oneOf(m.kind, `${p}.kind`, ['ridge', 'logistic']);
		arr(m.coef, `${p}.coef`).forEach((row, i) => numArr(row, `${p}.coef[${i}]`));
		numArr(m.intercept, `${p}.intercept`);
	} else if (family === 'mlp') {
		checkMlp(m.mlp, `${p}.mlp`);
	} else {
		const e = obj(m.ensemble, `${p}.ensemble`);
		if (e.kind !== family) throw new Issue(`${p}.ensemble.kind`, `must be "${family}"`);
		try {
			fromJson(e as never);
		} catch (err) {
			const why = err instanceof Error ? err.message : String(err);
			throw new Issue(`${p}.ensemble`, `is not a readable tree ensemble (${why})`);
		}
	}
}

function checkModelArtifact(a: Record<string, unknown>, p: string): void {
	if (a.version !== 1) {
		if (typeof a.version === 'number' && a.version > 1)
			throw new Newer(`${p}.version`, a.version, 1);
		throw new Issue(`${p}.version`, 'must be 1');
	}
	checkFeaturesAndClasses(a, p);
	if (a.derive === undefined) throw new Issue(`${p}.derive`, 'is missing');
	nullable(a.derive, (v) => checkDerive(v, `${p}.derive`));
	if (a.pipeline === undefined) throw new Issue(`${p}.pipeline`, 'is missing');
	nullable(a.pipeline, (v) => checkPipeline(v, `${p}.pipeline`));
	checkFitted(a.model, `${p}.model`);
	nullable(a.residualQuantiles ?? null, (v) => {
		const q = obj(v, `${p}.residualQuantiles`);
		num(q.q05, `${p}.residualQuantiles.q05`);
		num(q.q95, `${p}.residualQuantiles.q95`);
	});
}

function checkTraining(v: unknown, p: string): void {
	const t = obj(v, p);
	nullable(t.classes ?? null, (c) => strArr(c, `${p}.classes`));
	const val = obj(t.validation, `${p}.validation`);
	str(val.scheme, `${p}.validation.scheme`);
	int(val.k, `${p}.validation.k`);
	str(val.reason, `${p}.validation.reason`);
	const board = arr(t.leaderboard, `${p}.leaderboard`);
	board.forEach((c, i) => {
		const cp = `${p}.leaderboard[${i}]`;
		const co = obj(c, cp);
		str(co.family, `${cp}.family`);
		str(co.label, `${cp}.label`);
		obj(co.params, `${cp}.params`);
		numRecord(co.mean, `${cp}.mean`);
		numRecord(co.std, `${cp}.std`);
		num(co.score, `${cp}.score`);
		num(co.seconds, `${cp}.seconds`);
	});
	const selected = int(t.selected, `${p}.selected`);
	if (selected >= board.length) {
		throw new Issue(`${p}.selected`, `must point into the leaderboard (0–${board.length - 1})`);
	}
	str(t.selectionReason, `${p}.selectionReason`);
	const d = obj(t.diagnostics, `${p}.diagnostics`);
	const task = oneOf(d.task, `${p}.diagnostics.task`, TASKS);
	numRecord(d.metrics, `${p}.diagnostics.metrics`);
	numRecord(d.baseline, `${p}.diagnostics.baseline`);
	arr(d.importance, `${p}.diagnostics.importance`);
	if (task === 'regression') {
		numArr(d.actual, `${p}.diagnostics.actual`);
		numArr(d.predicted, `${p}.diagnostics.predicted`);
	} else {
		strArr(d.classes, `${p}.diagnostics.classes`);
		arr(d.confusion, `${p}.diagnostics.confusion`).forEach((r, i) =>
			numArr(r, `${p}.diagnostics.confusion[${i}]`)
		);
	}
	str(t.fingerprint, `${p}.fingerprint`);
	arr(t.distributions, `${p}.distributions`).forEach((x, i) => {
		const dp = `${p}.distributions[${i}]`;
		const dist = obj(x, dp);
		str(dist.name, `${dp}.name`);
		oneOf(dist.kind, `${dp}.kind`, ['numeric', 'categorical']);
	});
	arr(t.leakage, `${p}.leakage`);
	nullable(t.comparison ?? null, (c) => obj(c, `${p}.comparison`));
	num(t.nLabelled, `${p}.nLabelled`);
}

function checkModel(v: unknown, p: string): void {
	const m = obj(v, p);
	str(m.name, `${p}.name`);
	optional(m.datasetName, (x) => str(x, `${p}.datasetName`));
	const target = str(m.target, `${p}.target`);
	const task = oneOf(m.task, `${p}.task`, TASKS);
	str(m.family, `${p}.family`);
	int(m.version, `${p}.version`, 1);
	strArr(m.features, `${p}.features`);
	obj(m.params, `${p}.params`);
	numRecord(m.metrics, `${p}.metrics`);
	numRecord(m.baseline, `${p}.baseline`);
	str(m.notes, `${p}.notes`);
	num(m.trainSeconds, `${p}.trainSeconds`);
	optional(m.backend, (x) => str(x, `${p}.backend`));
	optional(m.history, (h) =>
		arr(h, `${p}.history`).forEach((e, i) => {
			const eo = obj(e, `${p}.history[${i}]`);
			num(eo.epoch, `${p}.history[${i}].epoch`);
			num(eo.loss, `${p}.history[${i}].loss`);
		})
	);
	if (Number.isNaN(Date.parse(str(m.createdAt, `${p}.createdAt`)))) {
		throw new Issue(`${p}.createdAt`, 'must be a date');
	}
	const ap = `${p}.artifact`;
	const a = obj(m.artifact, ap);
	if (isQuickArtifact(a)) checkQuickArtifact(a, ap);
	else if (isModelArtifact(a)) checkModelArtifact(a, ap);
	else throw new Issue(ap, 'is not a model Classlens can use (unknown "format")');
	if (a.task !== task) throw new Issue(`${ap}.task`, `must match model.task ("${task}")`);
	if (a.target !== target) throw new Issue(`${ap}.target`, `must match model.target ("${target}")`);
	if (m.training === undefined) throw new Issue(`${p}.training`, 'is missing');
	nullable(m.training, (t) => checkTraining(t, `${p}.training`));
}

/**
 * Reads a model file, checking everything the registry and scoring rely on. The error names the
 * file and, for a damaged file, the place in it (e.g. `model.artifact.features`).
 */
export function parseModelFile(text: string, fileName: string): Result<ModelFile> {
	const notOurs = (why: string, code = 'model-file-wrong-format', details = {}) =>
		fail<ModelFile>(code, `${fileName} is not a Classlens model file: ${why}`, {
			file: fileName,
			...details
		});
	if (overBytes(text, MAX_MODEL_FILE_BYTES)) {
		return fail('model-file-too-large', `${fileName} is too large for a model file (over 50 MB).`, {
			file: fileName,
			limitBytes: MAX_MODEL_FILE_BYTES
		});
	}
	if (text.trim() === '') return notOurs('the file is empty.', 'model-file-empty');
	let root: unknown;
	try {
		root = JSON.parse(text, revive);
	} catch (e) {
		const why = e instanceof Error ? e.message : String(e);
		return notOurs(`it is not JSON text (${why}).`, 'model-file-not-json');
	}
	if (!isObj(root)) return notOurs('it holds no model.');
	if (root.format !== MODEL_FILE_FORMAT) {
		if (isObj(root.learner)) {
			return notOurs(
				'it looks like an XGBoost model. Classlens imports only models it exported itself.'
			);
		}
		if (root.format === 'classlens-model') {
			return notOurs(
				'it is a bare model (as the command-line tool saves it), not a file exported from the Models page.'
			);
		}
		if (root.format === 'classlens-trees') {
			return notOurs('it holds only part of a model; export the whole model from Classlens.');
		}
		return notOurs(`its "format" is not "${MODEL_FILE_FORMAT}".`);
	}
	try {
		if (root.version !== MODEL_FILE_VERSION) {
			if (typeof root.version === 'number' && root.version > MODEL_FILE_VERSION) {
				throw new Newer('version', root.version, MODEL_FILE_VERSION);
			}
			throw new Issue('version', `must be ${MODEL_FILE_VERSION}`);
		}
		str(root.exportedAt, 'exportedAt');
		checkModel(root.model, 'model');
	} catch (e) {
		if (e instanceof Newer) {
			const what =
				e.path === 'version' ? `file format version ${e.found}` : `${e.path} is ${e.found}`;
			return fail(
				'model-file-newer',
				`${fileName} was saved by a newer version of Classlens (${what}; this one reads version ${e.supported}). Reload Classlens to update it, then import the file again.`,
				{ file: fileName, path: e.path, found: e.found, supported: e.supported }
			);
		}
		if (e instanceof Issue) {
			return fail(
				'model-file-invalid',
				`${fileName} is not a valid Classlens model file: ${e.path} ${e.problem}.`,
				{ file: fileName, path: e.path }
			);
		}
		throw e;
	}
	return ok(root as unknown as ModelFile);
}

/** The registry record a model file describes (the version number is assigned on import). */
export function modelFromFile(file: ModelFile): ImportedModelRecord {
	const m = file.model;
	const rec: ImportedModelRecord = {
		name: m.name,
		target: m.target,
		task: m.task,
		family: m.family,
		features: m.features,
		params: m.params,
		metrics: m.metrics,
		baseline: m.baseline,
		artifact: m.artifact,
		trainSeconds: m.trainSeconds,
		notes: m.notes
	};
	if (m.history !== undefined) rec.history = m.history;
	if (m.backend !== undefined) rec.backend = m.backend;
	if (m.training) rec.training = m.training;
	return rec;
}

/** Every column a dataset needs for this model to score it. */
export function requiredColumns(m: { features: string[]; artifact: unknown }): string[] {
	const a = m.artifact;
	const inner = isObj(a) && Array.isArray(a.features) ? (a.features as string[]) : [];
	return [...new Set([...m.features, ...inner])];
}
