/**
 * The outcomes feedback loop in the worker: reading actual results out of an imported dataset,
 * and checking a model's predictions against them. Both read whole columns (a class list, a
 * batch of scores), so they run here rather than on the page; the page gets counts, metrics and
 * a verdict in words. Event-log summaries hold counts and names only: student identifiers are
 * shown on screen (e.g. a few ids that did not match) but never logged.
 */
import {
	getDataset,
	getModel,
	loadFrame,
	openDb,
	type ActualRecord,
	type ClasslensDB,
	type ModelRecord,
	type OutcomeCheckRecord,
	type PredictionLogEntry,
	type PredictionRecord
} from '../db';
import type { NewAuditEvent } from '../db/audit';
import {
	listActuals,
	saveActuals,
	saveOutcomeCheck,
	type NewActual,
	type NewOutcomeCheck
} from '../db/outcomes';
import { fail, ok, toAppError, type Result } from '../errors';
import type { ColumnRole, Frame } from '../ml/frame';
import {
	collectPredictions,
	compareWithValidated,
	DEFAULT_MARGIN,
	matchOutcomes,
	outcomeMetrics,
	predictionKey,
	primaryMetric,
	readActuals,
	riskClassIndex,
	singleSource,
	studentIds,
	type ActualValue,
	type PredictionSource
} from '../ml/outcomes';
import type { ModelArtifact, TargetDerivation } from '../ml/train/types';

export interface ImportActualsRequest {
	/** The column of the uploaded dataset that identifies students. */
	idColumn: string;
	/** The column holding the actual results. */
	valueColumn: string;
	/** The dataset the predictions were made for; its student column is matched against. */
	forDatasetId: string;
	/** The target the results are for (the model's target, e.g. "final_exam"). */
	target: string;
}

export interface ImportActualsSummary {
	/** Rows read from the uploaded dataset. */
	rows: number;
	/** Students whose result was stored. */
	matched: number;
	/** Students not found in the dataset the predictions were for: not stored. */
	unmatched: number;
	/** Up to five of those ids, to show on screen (never logged). */
	unmatchedExamples: string[];
	/** Extra rows repeating a student with the same result (stored once). */
	duplicates: number;
	/** Students listed with different results: left out, since which is right cannot be told. */
	conflicts: number;
	/** Rows without a student id or without a result. */
	missing: number;
	/** What happened, in sentences for the teacher. */
	message: string;
}

export interface CheckOutcomesOptions {
	/** How much worse than validated the real error may be before flagging (default 0.2). */
	margin?: number;
	/** The at-risk class whose calibration is shown (default: riskClassIndex's choice). */
	riskClass?: string;
}

/** Where a model's predictions are, per dataset, and how many results are in for them. */
export interface OutcomeSource {
	datasetId: string;
	/** The dataset's name, or null when it has been deleted. */
	name: string | null;
	batches: number;
	/** Rows scored in batches (students may repeat across batches). */
	batchRows: number;
	singles: number;
	/** Actual results stored for this dataset and the model's target. */
	actuals: number;
}

export interface OutcomesApi {
	importActuals(
		datasetId: string,
		req: ImportActualsRequest
	): Promise<Result<ImportActualsSummary>>;
	checkOutcomes(modelId: string, opts?: CheckOutcomesOptions): Promise<Result<OutcomeCheckRecord>>;
	outcomeSources(modelId: string): Promise<Result<OutcomeSource[]>>;
}

type DatasetMeta = {
	id: string;
	name: string;
	nRows: number;
	columns: { name: string; role: ColumnRole; type: string }[];
};

/** The storage calls this API needs; createOutcomesPort binds them to a database. */
export interface OutcomesPort {
	getDataset(id: string): Promise<DatasetMeta | undefined>;
	loadFrame(id: string, opts?: { columns?: string[] }): Promise<Frame>;
	getModel(id: string): Promise<ModelRecord | undefined>;
	listPredictions(modelId: string): Promise<PredictionRecord[]>;
	/** Single predictions of the model that name a dataset and a student. */
	listSinglePredictions(modelId: string): Promise<PredictionLogEntry[]>;
	listActuals(datasetId: string, target: string): Promise<ActualRecord[]>;
	saveActuals(actuals: NewActual[], event: NewAuditEvent): Promise<number>;
	saveOutcomeCheck(check: NewOutcomeCheck, event: NewAuditEvent): Promise<OutcomeCheckRecord>;
}

/**
 * Binds the port to a database. Given a function, the database is opened on first use: the
 * worker passes nothing and gets the app's database (openDb() returns the connection the rest of
 * the worker uses), tests pass their own.
 */
export function createOutcomesPort(
	database: ClasslensDB | (() => ClasslensDB) = () => openDb()
): OutcomesPort {
	const db = typeof database === 'function' ? database : () => database;
	return {
		getDataset: (id) => getDataset(db(), id),
		loadFrame: (id, opts) => loadFrame(db(), id, opts),
		getModel: (id) => getModel(db(), id),
		listPredictions: (modelId) => db().predictions.where('modelId').equals(modelId).toArray(),
		listSinglePredictions: (modelId) =>
			db()
				.predictionLog.where('[modelId+at]')
				.between([modelId, -Infinity], [modelId, Infinity])
				.filter((e) => e.kind === 'single' && e.studentId !== null && e.datasetId !== null)
				.toArray(),
		listActuals: (datasetId, target) => listActuals(db(), { datasetId, target }),
		saveActuals: (actuals, event) => saveActuals(db(), actuals, event),
		saveOutcomeCheck: (check, event) => saveOutcomeCheck(db(), check, event)
	};
}

function notFound<T>(what: 'dataset' | 'model', id: string): Result<T> {
	return what === 'dataset'
		? fail('dataset-not-found', 'This dataset is no longer on this device.', { datasetId: id })
		: fail('model-not-found', 'This model is no longer on this device.', { modelId: id });
}

/** The column that names students: role "id", else "group". */
function studentColumn(ds: DatasetMeta): string | null {
	return (
		ds.columns.find((c) => c.role === 'id')?.name ??
		ds.columns.find((c) => c.role === 'group')?.name ??
		null
	);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function derivationOf(model: ModelRecord): TargetDerivation | null {
	const a = model.artifact as Partial<ModelArtifact> | null;
	return a && typeof a === 'object' && a.derive ? a.derive : null;
}

function classesOf(model: ModelRecord, preds: PredictionRecord[]): string[] | null {
	if (model.task === 'regression') return null;
	const a = model.artifact as Partial<ModelArtifact> | null;
	return (
		model.training?.classes ??
		(Array.isArray(a?.classes) ? a.classes : null) ??
		preds.find((p) => p.classes)?.classes ??
		null
	);
}

/** Only finite numbers: NaN scores (e.g. R² of one student) are left out of the record. */
function finite(m: Record<string, number>): Record<string, number> {
	return Object.fromEntries(Object.entries(m).filter(([, v]) => Number.isFinite(v)));
}

export function createOutcomesApi(port: OutcomesPort = createOutcomesPort()): OutcomesApi {
	async function studentIdsOf(
		datasetId: string,
		cache: Map<string, string[] | null>
	): Promise<string[] | null> {
		if (cache.has(datasetId)) return cache.get(datasetId) ?? null;
		const ds = await port.getDataset(datasetId);
		const col = ds ? studentColumn(ds) : null;
		let ids: string[] | null = null;
		if (ds && col) {
			const f = await port.loadFrame(datasetId, { columns: [col] });
			ids = studentIds(f.columns[0], f.nRows);
		}
		cache.set(datasetId, ids);
		return ids;
	}

	return {
		async importActuals(datasetId, req) {
			try {
				const ds = await port.getDataset(datasetId);
				if (!ds) return notFound('dataset', datasetId);
				for (const col of [req.idColumn, req.valueColumn]) {
					if (!ds.columns.some((c) => c.name === col)) {
						return fail('column-not-found', `"${ds.name}" has no column called "${col}".`, {
							column: col
						});
					}
				}
				if (req.idColumn === req.valueColumn) {
					return fail(
						'same-column',
						'Choose one column for the student ids and another for the results.'
					);
				}
				if (!req.target) return fail('no-target', 'Say which result these are (the target).');
				const forDs = await port.getDataset(req.forDatasetId);
				if (!forDs) return notFound('dataset', req.forDatasetId);
				const forCol = studentColumn(forDs);
				if (!forCol) {
					return fail(
						'no-student-column',
						`"${forDs.name}" has no column marked as the student id, so results cannot be matched to its students. Mark it on the dataset page first.`,
						{ datasetId: forDs.id }
					);
				}
				const known = new Set(
					(await studentIdsOf(req.forDatasetId, new Map())) ?? ([] as string[])
				);
				const frame = await port.loadFrame(datasetId, {
					columns: [req.idColumn, req.valueColumn]
				});
				const idCol = frame.columns.find((c) => c.name === req.idColumn);
				const valCol = frame.columns.find((c) => c.name === req.valueColumn);
				if (!idCol || !valCol)
					return fail('column-not-found', 'A chosen column could not be read.');

				const read = readActuals(idCol, valCol, frame.nRows, known);
				const { unmatched, unmatchedExamples, duplicates, conflicts, missing } = read;
				const recs: NewActual[] = [...read.values].map(([studentId, value]) => ({
					datasetId: req.forDatasetId,
					studentId,
					target: req.target,
					value,
					source: 'upload'
				}));
				const notes: string[] = [];
				if (unmatched) {
					notes.push(
						`${plural(unmatched, 'student')} in “${ds.name}” ${unmatched === 1 ? 'is' : 'are'} not in “${forDs.name}” (for example ${unmatchedExamples.join(', ')}) and ${unmatched === 1 ? 'was' : 'were'} left out.`
					);
				}
				if (conflicts) {
					notes.push(
						`${plural(conflicts, 'student')} ${conflicts === 1 ? 'is' : 'are'} listed more than once with different results and ${conflicts === 1 ? 'was' : 'were'} left out: fix the file and import it again.`
					);
				}
				if (duplicates) notes.push(`${plural(duplicates, 'repeated row')} counted once.`);
				if (missing)
					notes.push(`${plural(missing, 'row')} without a student id or a result skipped.`);
				if (recs.length === 0) {
					return fail(
						'no-matching-students',
						`None of the students in “${ds.name}” could be matched to “${forDs.name}” by “${req.idColumn}” and “${forCol}”. Check that both hold the same identifiers. ${notes.join(' ')}`.trim(),
						{ rows: frame.nRows, unmatched, conflicts, missing }
					);
				}
				await port.saveActuals(recs, {
					type: 'outcomes.actuals-imported',
					summary: `Imported ${plural(recs.length, 'actual result')} for "${req.target}" from "${ds.name}" (${unmatched} unmatched, ${conflicts} conflicting, ${missing} incomplete rows).`,
					datasetId: req.forDatasetId
				});
				const message = [
					`Stored the actual ${req.target} of ${plural(recs.length, 'student')} for “${forDs.name}”.`,
					...notes
				].join(' ');
				return ok({
					rows: frame.nRows,
					matched: recs.length,
					unmatched,
					unmatchedExamples,
					duplicates,
					conflicts,
					missing,
					message
				});
			} catch (e) {
				return { ok: false, error: toAppError(e) };
			}
		},

		async checkOutcomes(modelId, opts = {}) {
			try {
				const model = await port.getModel(modelId);
				if (!model) return notFound('model', modelId);
				const [preds, singles] = await Promise.all([
					port.listPredictions(modelId),
					port.listSinglePredictions(modelId)
				]);
				if (preds.length === 0 && singles.length === 0) {
					return fail(
						'no-predictions',
						`v${model.version} of the model for “${model.target}” has not made any predictions for named students yet. Score a class on the Predict page; once the real results are in, import them here to check.`,
						{ modelId }
					);
				}
				const classes = classesOf(model, preds);
				if (model.task !== 'regression' && !classes) {
					return fail('no-classes', 'This model does not say which classes it predicts.');
				}
				const derive = derivationOf(model);
				const idCache = new Map<string, string[] | null>();
				const sources: PredictionSource[] = [];
				let missingDatasets = 0;
				for (const p of preds) {
					const ids = await studentIdsOf(p.datasetId, idCache);
					if (!ids) {
						missingDatasets++;
						continue;
					}
					const n = Math.floor(p.outputs.length / Math.max(1, p.nOutputs));
					const rows = p.rows ?? Uint32Array.from({ length: n }, (_, i) => i);
					sources.push({
						at: p.at,
						datasetId: p.datasetId,
						predictionId: p.id,
						studentIds: Array.from(rows.subarray(0, n), (r) => ids[r] ?? ''),
						outputs: p.outputs,
						nOutputs: p.nOutputs,
						classes: p.classes,
						lower: p.lower ?? null,
						upper: p.upper ?? null
					});
				}
				for (const s of singles) {
					const src = singleSource(s, classes);
					if (src) sources.push(src);
				}
				const collected = collectPredictions(sources, classes);
				const datasets = [...new Set(collected.origin.map((o) => o.datasetId))];
				const actuals = new Map<string, ActualValue>();
				for (const d of datasets) {
					// A derived target (a grade from final_exam) may have its marks stored instead.
					if (derive) {
						for (const a of await port.listActuals(d, derive.source)) {
							actuals.set(predictionKey(d, a.studentId), a.value);
						}
					}
					for (const a of await port.listActuals(d, model.target)) {
						actuals.set(predictionKey(d, a.studentId), a.value);
					}
				}
				const match = matchOutcomes(collected.set, actuals, { derive });
				const total = collected.set.studentIds.length;
				if (match.rows.length === 0) {
					const why = match.unusable
						? ` ${plural(match.unusable, 'result')} could not be read as ${model.target} (for example ${match.unusableExamples.join(', ')}).`
						: '';
					return fail(
						'no-outcomes',
						`None of the ${plural(total, 'student')} predicted by v${model.version} has an actual result yet.${why} Import the results for the dataset the predictions were made for.`,
						{ modelId, predicted: total }
					);
				}
				const risk = classes ? riskClassIndex(classes, derive, opts.riskClass ?? null) : null;
				const real = outcomeMetrics(collected.set, match, {
					riskClass: risk,
					nBins: match.rows.length >= 200 ? 10 : 5
				});
				const validated = finite(model.training?.diagnostics.metrics ?? model.metrics);
				const cmp = compareWithValidated(real, validated, opts.margin ?? DEFAULT_MARGIN, {
					target: model.target
				});
				const notes: string[] = [];
				if (match.pending) {
					notes.push(
						`${plural(match.pending, 'predicted student')} still ${match.pending === 1 ? 'has' : 'have'} no result.`
					);
				}
				if (match.unusable) {
					notes.push(
						`${plural(match.unusable, 'result')} could not be read as ${model.target} (for example ${match.unusableExamples.join(', ')}) and ${match.unusable === 1 ? 'was' : 'were'} left out.`
					);
				}
				const ambiguous = match.ambiguous + collected.ambiguous;
				if (ambiguous) {
					notes.push(
						`${plural(ambiguous, 'student')} had several predictions in one batch (one per row) and ${ambiguous === 1 ? 'was' : 'were'} left out.`
					);
				}
				if (missingDatasets) {
					notes.push(
						`${plural(missingDatasets, 'batch', 'batches')} of predictions belong to a deleted dataset or one without a student id column.`
					);
				}
				// The newest batch among the compared students: what "this check" is mostly about.
				let newest: { id: string; at: number } | null = null;
				let batch = 0;
				let single = 0;
				for (const r of match.rows) {
					const o = collected.origin[r];
					if (o.predictionId === null) single++;
					else {
						batch++;
						if (!newest || o.at > newest.at) newest = { id: o.predictionId, at: o.at };
					}
				}
				const check = await port.saveOutcomeCheck(
					{
						modelId,
						modelVersion: model.version,
						predictionId: newest?.id ?? null,
						n: real.n,
						metrics: finite(real.metrics),
						validated,
						...(real.calibration ? { calibration: real.calibration } : {}),
						flagged: cmp.flagged,
						message: [cmp.message, ...notes].join(' '),
						task: model.task,
						primary: primaryMetric(real.task),
						riskClass: classes && risk !== null ? classes[risk] : null,
						sources: { batch, single },
						datasetId: model.datasetId,
						target: model.target
					},
					{
						type: 'outcomes.checked',
						summary: `Checked v${model.version} of the model for "${model.target}" against ${plural(real.n, 'actual result')}: ${cmp.flagged ? 'retraining suggested' : 'no retraining flag'}.`,
						datasetId: model.datasetId,
						modelId
					}
				);
				return ok(check);
			} catch (e) {
				return { ok: false, error: toAppError(e) };
			}
		},

		async outcomeSources(modelId) {
			try {
				const model = await port.getModel(modelId);
				if (!model) return notFound('model', modelId);
				const [preds, singles] = await Promise.all([
					port.listPredictions(modelId),
					port.listSinglePredictions(modelId)
				]);
				const by = new Map<string, OutcomeSource>();
				const entry = (datasetId: string) => {
					let s = by.get(datasetId);
					if (!s) {
						s = { datasetId, name: null, batches: 0, batchRows: 0, singles: 0, actuals: 0 };
						by.set(datasetId, s);
					}
					return s;
				};
				// The training dataset is always offered: results often arrive in the same class list.
				entry(model.datasetId);
				for (const p of preds) {
					const s = entry(p.datasetId);
					s.batches++;
					s.batchRows += p.rows
						? p.rows.length
						: Math.floor(p.outputs.length / Math.max(1, p.nOutputs));
				}
				for (const e of singles) if (e.datasetId) entry(e.datasetId).singles++;
				const derive = derivationOf(model);
				for (const s of by.values()) {
					s.name = (await port.getDataset(s.datasetId))?.name ?? null;
					const keys = new Set(
						(await port.listActuals(s.datasetId, model.target)).map((a) => a.studentId)
					);
					if (derive) {
						for (const a of await port.listActuals(s.datasetId, derive.source))
							keys.add(a.studentId);
					}
					s.actuals = keys.size;
				}
				return ok([...by.values()]);
			} catch (e) {
				return { ok: false, error: toAppError(e) };
			}
		}
	};
}
