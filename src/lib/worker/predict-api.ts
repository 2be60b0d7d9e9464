/**
 * The worker's prediction calls: the what-if form of a model, one student's prediction with its
 * uncertainty, reasons and recommendations, and a batch scoring of a dataset into an at-risk
 * list. Every prediction is written to the local prediction log (time, model + version, input,
 * output, latency); batch scores are stored so actual results can be matched to them later.
 */
import { AppException, fail, ok, type Result } from '../errors';
import { explainArtifact } from '../ml/explain';
import { outcomeLabel, topFactors } from '../ml/explain/factors';
import type { Attributions } from '../ml/explain/types';
import { cellAt, getColumn, type Frame } from '../ml/frame';
import { alignFrame } from '../ml/predict/align';
import {
	buildForm,
	markBounds,
	validateInput,
	valuesFrame,
	type FormValues,
	type PredictionForm
} from '../ml/predict/form';
import { makeRecommender, type Recommender } from '../ml/predict/recommend';
import type {
	AtRiskRow,
	BatchResult,
	ModelSummary,
	PredictionSetup,
	RiskPolicyInput,
	SinglePrediction
} from '../ml/predict/types';
import type { ProgressFn } from '../ml/progress';
import type { TfCore } from '../ml/nn/tf';
import { defaultRiskPolicy, scoreRisk, validatePolicy, type RiskPolicy } from '../ml/risk';
import { predictArtifact, type ArtifactPrediction } from '../ml/train/predict';
import type { FeatureDistribution, ModelArtifact } from '../ml/train/types';
import type { ModelRecord } from '../db';
import type { NewPredictionRecord } from '../db/predictions';
import type { NewPredictionLogEntry } from '../db/prediction-log';
import type { DbPort, MlRuntime } from './api';
import { failure, type JobRegistry } from './jobs';

/** The storage the prediction calls need beyond DbPort (see predict-port.ts). */
export interface PredictPort {
	getModel(id: string): Promise<ModelRecord | undefined>;
	savePrediction(rec: NewPredictionRecord): Promise<string>;
	logPrediction(entry: NewPredictionLogEntry): Promise<unknown>;
	/** The teacher's edited rule pack (unvalidated JSON), or null for the default pack. */
	getRulePack(): Promise<unknown>;
}

export interface ScoreRequest {
	modelId: string;
	/** Default: the dataset the model was trained on. */
	datasetId?: string;
	policy?: RiskPolicyInput;
	/** Rows that get reasons and recommendations (most at risk first); default 1,000. */
	explainLimit?: number;
	/** Rows returned to the page, most at risk first; default 5,000. */
	returnLimit?: number;
}

export interface PredictApi {
	getPredictionSetup(modelId: string): Promise<Result<PredictionSetup>>;
	predictOne(
		modelId: string,
		input: Record<string, string | number | null>,
		opts?: { policy?: RiskPolicyInput; log?: boolean; studentId?: string | null }
	): Promise<Result<SinglePrediction>>;
	scoreDataset(
		req: ScoreRequest,
		onProgress?: ProgressFn,
		jobId?: string
	): Promise<Result<BatchResult>>;
	/** Writes a what-if prediction to the log once the teacher stops moving the sliders. */
	recordPrediction(result: SinglePrediction, studentId: string | null): Promise<Result<null>>;
}

interface LoadedModel {
	record: ModelRecord;
	/** The what-if form, built once per model rather than on every slider move. */
	form: PredictionForm;
	/** Where predicted marks and their intervals are clipped (see markBounds). */
	bounds: [number, number];
	artifact: ModelArtifact;
	distributions: FeatureDistribution[];
	summary: ModelSummary;
}

function isEngineArtifact(a: unknown): a is ModelArtifact {
	return typeof a === 'object' && a !== null && (a as ModelArtifact).format === 'classlens-model';
}

function summarise(m: ModelRecord, a: ModelArtifact): ModelSummary {
	return {
		id: m.id,
		name: m.name,
		version: m.version,
		family: m.family,
		task: a.task,
		target: a.target,
		datasetId: m.datasetId,
		classes: a.classes ? [...a.classes] : null,
		metrics: { ...m.metrics }
	};
}

/** "final_exam" → "the predicted final exam"; "the chance of "fail"". */
export function explainedOutcome(artifact: ModelArtifact, policy: RiskPolicy): string {
	if (artifact.task === 'regression') return outcomeLabel(artifact.target);
	return policy.mode === 'probability-above'
		? outcomeLabel(artifact.target, policy.riskClass)
		: 'the predicted class';
}

/** Which model output the factors explain, and which way round (see Factor.contribution). */
function explainedOutput(
	artifact: ModelArtifact,
	attr: Attributions,
	policy: RiskPolicy
): { output: number; orientation: 1 | -1 } {
	if (!artifact.classes || policy.mode !== 'probability-above')
		return { output: 0, orientation: 1 };
	const k = Math.max(0, artifact.classes.indexOf(policy.riskClass));
	if (attr.nOutputs === 1) return { output: 0, orientation: k === 1 ? 1 : -1 };
	return { output: k, orientation: 1 };
}

function riskOf(
	pred: ArtifactPrediction,
	artifact: ModelArtifact,
	policy: RiskPolicy,
	i: number,
	scored: ReturnType<typeof scoreRisk>
): number | null {
	if (artifact.task === 'regression') return scored.pBelow ? scored.pBelow[i] : null;
	if (policy.mode !== 'probability-above' || !pred.proba || !pred.classes) return null;
	const k = pred.classes.indexOf(policy.riskClass);
	return k >= 0 ? pred.proba[i * pred.classes.length + k] : null;
}

function fmtValue(v: number): string {
	return String(Math.round(v * 10) / 10);
}

export function createPredictApi(
	jobs: JobRegistry,
	db: DbPort,
	port: PredictPort,
	ml: () => Promise<MlRuntime>
): PredictApi {
	// A teacher moving a slider asks for many predictions of the same model: keep a few loaded.
	const cache = new Map<string, LoadedModel>();

	async function loadModel(id: string): Promise<LoadedModel> {
		const hit = cache.get(id);
		if (hit) return hit;
		const record = await port.getModel(id);
		if (!record)
			throw new AppException({
				code: 'model-not-found',
				message: 'This model is no longer on this device. It may have been deleted in another tab.',
				details: { modelId: id }
			});
		if (!isEngineArtifact(record.artifact))
			throw new AppException({
				code: 'model-too-old',
				message:
					'This model was saved by an earlier version of Classlens and cannot explain its predictions. Train it again on the training page.',
				details: { modelId: id }
			});
		const artifact = record.artifact;
		const d = record.training?.diagnostics;
		const distributions = record.training?.distributions ?? [];
		const loaded: LoadedModel = {
			record,
			bounds: markBounds(d?.task === 'regression' ? d.actual : null),
			form: buildForm(artifact, distributions),
			artifact,
			distributions,
			summary: summarise(record, artifact)
		};
		cache.set(id, loaded);
		if (cache.size > 4) cache.delete(cache.keys().next().value as string);
		return loaded;
	}

	/**
	 * Runs model code that may need TensorFlow.js: a network's predictions go through the backend
	 * manager (the chosen backend, with fallback if it breaks; scoring writes nothing, so a rerun
	 * is safe); trees and linear models never load tfjs.
	 */
	async function compute<T>(artifact: ModelArtifact, job: (tf?: TfCore) => Promise<T>): Promise<T> {
		if (artifact.model.family !== 'mlp') return job(undefined);
		const runtime = await ml();
		return (await runtime.backend.run(() => job(runtime.tf), { rerunSafe: true })).value;
	}

	function policyFor(m: LoadedModel, given?: RiskPolicyInput): RiskPolicy {
		const policy = given ?? defaultPolicy(m);
		const problem = validatePolicy(policy, m.artifact);
		if (problem) throw new AppException({ code: 'bad-policy', message: problem });
		return policy;
	}

	/** Read per call: the teacher may have edited the rule pack since the last prediction. */
	async function recommenderFor(m: LoadedModel): Promise<Recommender> {
		let pack: unknown = null;
		try {
			pack = await port.getRulePack();
		} catch {
			// An unreadable setting falls back to the default pack rather than failing the prediction.
		}
		const d = m.record.training?.diagnostics;
		return makeRecommender({
			artifact: m.artifact,
			distributions: m.distributions,
			targetSample: d && d.task === 'regression' ? d.actual : null,
			pack
		});
	}

	return {
		async getPredictionSetup(modelId) {
			try {
				const m = await loadModel(modelId);
				const ds = await db.getDataset(m.record.datasetId);
				const idColumn = ds ? studentColumn(ds.columns) : null;
				return ok({
					model: m.summary,
					form: m.form,
					policy: defaultPolicy(m),
					idColumn
				});
			} catch (e) {
				return failure(e, 'Cancelled.');
			}
		},

		async predictOne(modelId, input, opts = {}) {
			try {
				const started = performance.now();
				const m = await loadModel(modelId);
				const form = m.form;
				const checked = validateInput(form, input);
				if (checked.errors.length > 0)
					return fail('invalid-input', checked.errors.map((e) => e.message).join(' '), {
						fields: checked.errors.map((e) => e.field).join(', ')
					});
				const policy = policyFor(m, opts.policy);
				const frame = valuesFrame(form, [checked.values]);
				const rows = Uint32Array.of(0);
				const { pred, attr } = await compute(m.artifact, async (tf) => ({
					pred: clip(await predictArtifact(m.artifact, frame, rows, tf), m.bounds),
					attr: await explainArtifact(m.artifact, frame, rows, {
						distributions: m.distributions,
						tf,
						seed: 1
					})
				}));
				const scored = scoreRisk(pred, m.artifact, policy);
				const explained = explainedOutcome(m.artifact, policy);
				const { output, orientation } = explainedOutput(m.artifact, attr, policy);
				const factors = topFactors(attr, 0, {
					output,
					orientation,
					k: 5,
					frame,
					row: 0,
					distributions: m.distributions,
					outcomeLabel: explained
				});
				const classes = pred.classes;
				const probabilities = classes
					? classes.map((label, c) => ({ label, p: pred.proba![c] })).sort((a, b) => b.p - a.p)
					: null;
				const recommend = await recommenderFor(m);
				const recommendations = recommend(
					opts.studentId ?? 'what-if',
					checked.values,
					{
						value: classes ? null : pred.values[0],
						lower: pred.lower?.[0] ?? null,
						upper: pred.upper?.[0] ?? null,
						probabilities,
						riskClass: policy.mode === 'probability-above' ? policy.riskClass : null
					},
					factors
				);
				const latencyMs = performance.now() - started;
				const result: SinglePrediction = {
					model: m.summary,
					values: checked.values,
					warnings: checked.warnings,
					value: classes ? null : pred.values[0],
					lower: pred.lower?.[0] ?? null,
					upper: pred.upper?.[0] ?? null,
					predictedClass: classes ? classes[pred.values[0]] : null,
					probabilities,
					atRisk: scored.atRisk[0] === 1,
					riskProbability: riskOf(pred, m.artifact, policy, 0, scored),
					policy,
					explained,
					factors,
					method: attr.method,
					space: attr.space,
					recommendations,
					latencyMs
				};
				if (opts.log !== false)
					await port.logPrediction(singleLogEntry(result, opts.studentId ?? null));
				return ok(result);
			} catch (e) {
				return failure(e, 'Cancelled.');
			}
		},

		scoreDataset(req, onProgress, jobId) {
			return jobs.run(
				jobId,
				onProgress,
				'Scoring was cancelled. Nothing was saved.',
				async ({ token, report }) => {
					const started = performance.now();
					report({ fraction: 0, phase: 'Loading the model' });
					const m = await loadModel(req.modelId);
					const datasetId = req.datasetId ?? m.record.datasetId;
					const ds = await db.getDataset(datasetId);
					if (!ds)
						return fail('dataset-not-found', 'This dataset is no longer on this device.', {
							datasetId
						});
					const policy = policyFor(m, req.policy);
					const idColumn = studentColumn(ds.columns);
					const contextColumns = rowContextColumns(ds.columns, idColumn);
					const extra = [...(idColumn ? [idColumn] : []), ...contextColumns];
					const present = new Set(ds.columns.map((c) => c.name));
					report({ fraction: 0.05, phase: 'Reading the data' });
					const raw = await db.loadFrame(datasetId, {
						columns: [...new Set([...m.artifact.features, ...extra])].filter((c) => present.has(c))
					});
					const frame = alignFrame(raw, m.artifact.features, m.distributions, {
						keep: extra,
						source: `"${ds.name}"`
					});
					token.throwIfCancelled();
					report({ fraction: 0.2, phase: `Scoring ${frame.nRows.toLocaleString('en')} rows` });
					const pred = clip(
						await compute(m.artifact, (tf) => predictArtifact(m.artifact, frame, undefined, tf)),
						m.bounds
					);
					token.throwIfCancelled();
					const scored = scoreRisk(pred, m.artifact, policy);
					const nAtRisk = scored.nAtRisk;
					const returnLimit = Math.min(frame.nRows, req.returnLimit ?? 5000);
					const explainLimit = Math.min(nAtRisk, req.explainLimit ?? 1000, returnLimit);
					const shown = scored.order.subarray(0, returnLimit);
					const explainRows = shown.subarray(0, explainLimit);
					report({ fraction: 0.4, phase: `Finding reasons for ${explainLimit} students` });
					const explained = explainedOutcome(m.artifact, policy);
					const attr =
						explainLimit > 0
							? await compute(m.artifact, (tf) =>
									explainArtifact(m.artifact, frame, Uint32Array.from(explainRows), {
										distributions: m.distributions,
										tf,
										seed: 1
									})
								)
							: null;
					token.throwIfCancelled();
					report({ fraction: 0.8, phase: 'Writing the list' });
					const idCol = idColumn ? getColumn(frame, idColumn) : undefined;
					const contextCols = contextColumns.map((c) => getColumn(frame, c));
					const recommend = await recommenderFor(m);
					const classes = pred.classes;
					const k = classes?.length ?? 1;
					const rows: AtRiskRow[] = [];
					for (let j = 0; j < shown.length; j++) {
						const r = shown[j];
						const student = studentLabel(idCol, r);
						const value = classes ? null : pred.values[r];
						const probability = riskOf(pred, m.artifact, policy, r, scored);
						let reasons: string[] = [];
						let recommendations: AtRiskRow['recommendations'] = [];
						if (attr && j < explainLimit) {
							const { output, orientation } = explainedOutput(m.artifact, attr, policy);
							const factors = topFactors(attr, j, {
								output,
								orientation,
								k: 5,
								frame,
								row: r,
								distributions: m.distributions,
								outcomeLabel: explained
							});
							// Reasons are the factors pushing towards risk: down for a mark, up for P(risk class).
							const towardsRisk = m.artifact.task === 'regression' ? -1 : 1;
							reasons = factors
								.filter((f) => Math.sign(f.contribution) === towardsRisk)
								.slice(0, 3)
								.map((f) => f.text);
							recommendations = recommend(
								student,
								rowValues(frame, m.artifact.features, r),
								{
									value,
									lower: pred.lower?.[r] ?? null,
									upper: pred.upper?.[r] ?? null,
									probabilities: classes
										? classes.map((label, c) => ({ label, p: pred.proba![r * k + c] }))
										: null,
									riskClass: policy.mode === 'probability-above' ? policy.riskClass : null
								},
								factors
							);
						}
						rows.push({
							row: r,
							student,
							context: contextCols
								.map((c) => cellText(c, r))
								.filter((t) => t !== '')
								.join(' · '),
							prediction: classes ? classes[pred.values[r]] : fmtValue(pred.values[r]),
							value,
							lower: pred.lower?.[r] ?? null,
							upper: pred.upper?.[r] ?? null,
							probability,
							atRisk: scored.atRisk[r] === 1,
							reasons,
							recommendations
						});
					}
					report({ fraction: 0.9, phase: 'Saving the scores' });
					const nOutputs = classes ? (classes.length === 2 ? 1 : classes.length) : 1;
					const outputs = classes
						? classes.length === 2
							? Float64Array.from({ length: frame.nRows }, (_, i) => pred.proba![i * 2 + 1])
							: Float64Array.from(pred.proba!)
						: Float64Array.from(pred.values);
					const predictionId = await port.savePrediction({
						modelId: m.record.id,
						datasetId,
						label: `Scored "${ds.name}" with ${m.record.name} v${m.record.version}`,
						rows: null,
						outputs,
						nOutputs,
						classes: classes ? [...classes] : null,
						...(pred.lower && pred.upper ? { lower: pred.lower, upper: pred.upper } : {})
					});
					const seconds = (performance.now() - started) / 1000;
					await port.logPrediction({
						at: Date.now(),
						modelId: m.record.id,
						modelName: m.record.name,
						modelVersion: m.record.version,
						datasetId,
						kind: 'batch',
						studentId: null,
						input: null,
						output: { rows: frame.nRows, atRisk: nAtRisk },
						predictionId,
						latencyMs: (seconds * 1000) / Math.max(1, frame.nRows)
					});
					await db.logEvent({
						type: 'predictions.batch',
						summary: `Scored ${frame.nRows} rows with ${m.record.name} v${m.record.version}; ${nAtRisk} flagged at risk.`,
						datasetId,
						modelId: m.record.id
					});
					report({ fraction: 1, phase: 'Done' });
					return ok({
						predictionId,
						model: m.summary,
						datasetId,
						datasetName: ds.name,
						policy,
						nRows: ds.nRows,
						nScored: frame.nRows,
						nAtRisk,
						rows,
						capped: nAtRisk > explainLimit,
						seconds,
						rowsPerSecond: frame.nRows / Math.max(seconds, 1e-6),
						explained
					});
				}
			);
		},

		async recordPrediction(result, studentId) {
			try {
				await port.logPrediction(singleLogEntry(result, studentId));
				return ok(null);
			} catch (e) {
				return failure(e, 'Cancelled.');
			}
		}
	};
}

function singleLogEntry(result: SinglePrediction, studentId: string | null): NewPredictionLogEntry {
	const proba = result.probabilities;
	return {
		at: Date.now(),
		modelId: result.model.id,
		modelName: result.model.name,
		modelVersion: result.model.version,
		datasetId: result.model.datasetId,
		kind: 'single',
		studentId,
		input: result.values,
		output: proba
			? {
					predicted: result.predictedClass ?? undefined,
					proba: Object.fromEntries(proba.map((p) => [p.label, p.p]))
				}
			: {
					value: result.value ?? undefined,
					lower: result.lower ?? undefined,
					upper: result.upper ?? undefined
				},
		predictionId: null,
		latencyMs: result.latencyMs
	};
}

/** Predicted marks and interval ends kept within the mark's range (in place). */
function clip(pred: ArtifactPrediction, [lo, hi]: [number, number]): ArtifactPrediction {
	if (pred.classes) return pred;
	for (const a of [pred.values, pred.lower, pred.upper])
		if (a) for (let i = 0; i < a.length; i++) a[i] = Math.min(hi, Math.max(lo, a[i]));
	return pred;
}

/** The default pass mark reads the mark's scale from the out-of-fold actual marks. */
function defaultPolicy(m: LoadedModel): RiskPolicy {
	const d = m.record.training?.diagnostics;
	let largestMark: number | undefined;
	if (d?.task === 'regression' && d.actual.length > 0) {
		largestMark = -Infinity;
		for (const v of d.actual) if (v > largestMark) largestMark = v;
	}
	return defaultRiskPolicy(m.artifact, m.distributions, { largestMark });
}

type ColumnInfo = { name: string; role: string; type: string };

/** The column naming the student: the grouping column of long-format data, else the id. */
export function studentColumn(columns: ColumnInfo[]): string | null {
	return (
		columns.find((c) => c.role === 'group')?.name ??
		columns.find((c) => c.role === 'id')?.name ??
		null
	);
}

/**
 * In long-format data (a row per student × term × subject) the at-risk list names the row too:
 * the time column and a subject-like column, so "S00047" reads "S00047 · 2024-S1 · Mathematics".
 */
function rowContextColumns(columns: ColumnInfo[], student: string | null): string[] {
	if (!student || !columns.some((c) => c.role === 'group')) return [];
	const time = columns.find((c) => c.role === 'time')?.name;
	const subject = columns.find(
		(c) =>
			c.name !== student &&
			/subject|course|module|unit|class/i.test(c.name) &&
			c.type === 'category'
	)?.name;
	return [time, subject].filter((c): c is string => c !== undefined);
}

/** A cell as text for lists and CSV; '' when missing. */
function cellText(col: ReturnType<typeof getColumn>, r: number): string {
	const v = col ? cellAt(col, r) : null;
	return v === null ? '' : String(v);
}

function studentLabel(col: ReturnType<typeof getColumn>, r: number): string {
	return cellText(col, r) || `Row ${r + 1}`;
}

function rowValues(frame: Frame, features: string[], r: number): FormValues {
	const out: FormValues = {};
	for (const f of features) {
		const col = getColumn(frame, f);
		out[f] = col ? cellAt(col, r) : null;
	}
	return out;
}
