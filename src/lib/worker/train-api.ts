/**
 * The worker's training calls: a preview of what a run would do (task, default features,
 * leakage flags, validation scheme, class balance) and the run itself, which scores the
 * candidates, stores the selected model as the next version for its dataset + target with the
 * full training summary, and logs it without student identifiers. TensorFlow.js is loaded only
 * when the neural network is among the families.
 */
import { fail, ok, type Result } from '../errors';
import type { ColumnRole, ColumnType, Frame } from '../ml/frame';
import { classBalance, type ClassBalance } from '../ml/metrics';
import { encodeClasses, fitClasses, inferTask, labelledRows, type Task } from '../ml/preprocess';
import { subProgress } from '../ml/progress';
import {
	FAMILIES,
	needsTf,
	planValidation,
	trainModels,
	type Family,
	type LeakageFlag,
	type TargetDerivation,
	type TrainOutcome,
	type TrainRequest,
	type ValidationSpec,
	type ValidationUsed
} from '../ml/train';
import { deriveTarget, suggestGradeBoundaries, suggestPassThreshold } from '../ml/train/derive';
import { defaultFeatures, detectLeakage } from '../ml/train/features';
import type { DbPort, MlRuntime } from './api';
import type { TrainingSummary } from '../db/types';
import { BACKEND_LABELS } from './backend-policy';
import { failure, type JobRegistry } from './jobs';
import type { ProgressFn } from '../ml/progress';

export interface TrainingTarget {
	datasetId: string;
	target: string;
	derive?: TargetDerivation | null;
}

export interface PreviewRequest extends TrainingTarget {
	/** Default: the dataset's feature columns suitable for this target. */
	features?: string[];
	task?: Task;
	validation?: Partial<ValidationSpec>;
}

export interface TrainingPreview {
	task: Task;
	classes: string[] | null;
	/** Columns that may be features (not the target, its source, ids, free text). */
	candidates: string[];
	/** The default selection among candidates. */
	defaults: string[];
	leakage: LeakageFlag[];
	validation: ValidationUsed;
	/** Alternatives the data allows, e.g. time-holdout only with a time column. */
	group: string | null;
	time: string | null;
	nLabelled: number;
	nRows: number;
	balance: ClassBalance | null;
	/** For a numeric target or derivation source: editable suggestions. */
	suggestions: {
		boundaries: { label: string; min: number }[];
		below: string;
		threshold: number;
	} | null;
}

export interface TrainModelsRequest extends TrainingTarget {
	features?: string[];
	task?: Task;
	families?: Family[];
	auto?: boolean;
	validation?: Partial<ValidationSpec>;
	classWeight?: 'none' | 'balanced';
	seed?: number;
	compareWithout?: string[];
	params?: TrainRequest['params'];
}

export interface TrainModelsResponse {
	modelId: string;
	task: Task;
	family: Family;
	label: string;
	/** The backend the network trained on; null when no network was trained. */
	backend: string | null;
	trainSeconds: number;
}

export interface TrainApi {
	previewTraining(req: PreviewRequest): Promise<Result<TrainingPreview>>;
	trainModels(
		req: TrainModelsRequest,
		onProgress: ProgressFn | undefined,
		jobId: string
	): Promise<Result<TrainModelsResponse>>;
}

type DatasetMeta = NonNullable<Awaited<ReturnType<DbPort['getDataset']>>>;

const DEFAULT_FAMILIES: Family[] = ['linear', 'rf', 'gbdt', 'mlp'];

function columnInfo(ds: DatasetMeta) {
	return ds.columns.map((c) => ({ name: c.name, role: c.role, type: c.type as ColumnType }));
}

/** The student column for grouping (role 'group', else an id column) and the time column. */
function structureColumns(ds: DatasetMeta): { group: string | null; time: string | null } {
	const byRole = (role: ColumnRole) => ds.columns.find((c) => c.role === role)?.name ?? null;
	return { group: byRole('group') ?? byRole('id'), time: byRole('time') };
}

function validationSpec(ds: DatasetMeta, v: Partial<ValidationSpec> | undefined): ValidationSpec {
	const s = structureColumns(ds);
	return {
		scheme: v?.scheme ?? 'auto',
		k: v?.k ?? 5,
		group: v?.group !== undefined ? v.group : s.group,
		time: v?.time !== undefined ? v.time : s.time,
		timeFraction: v?.timeFraction
	};
}

function neededColumns(
	ds: DatasetMeta,
	t: TrainingTarget,
	features: string[],
	spec: ValidationSpec
): string[] {
	const names = new Set(ds.columns.map((c) => c.name));
	const want = [...features, t.derive ? t.derive.source : t.target, spec.group, spec.time].filter(
		(n): n is string => !!n && names.has(n)
	);
	return [...new Set(want)];
}

function notFound(datasetId: string) {
	return fail<never>('not-found', 'This dataset no longer exists. It may have been deleted.', {
		datasetId
	});
}

export function createTrainApi(
	jobs: JobRegistry,
	db: DbPort,
	ml: () => Promise<MlRuntime>
): TrainApi {
	async function load(t: TrainingTarget, features: string[], spec: ValidationSpec) {
		const ds = await db.getDataset(t.datasetId);
		if (!ds) return null;
		const frame = await db.loadFrame(t.datasetId, {
			columns: neededColumns(ds, t, features, spec)
		});
		return { ds, frame };
	}

	return {
		async previewTraining(req) {
			try {
				const ds = await db.getDataset(req.datasetId);
				if (!ds) return notFound(req.datasetId);
				const info = columnInfo(ds);
				const candidates = defaultFeatures(
					info.map((c) => ({ ...c, role: c.role === 'target' ? 'feature' : c.role })),
					req.target,
					req.derive
				);
				const defaults = defaultFeatures(info, req.target, req.derive);
				const features = req.features ?? defaults;
				const spec = validationSpec(ds, req.validation);
				const loaded = await load(req, features, spec);
				if (!loaded) return notFound(req.datasetId);
				const frame: Frame = req.derive
					? deriveTarget(loaded.frame, req.derive, req.target)
					: loaded.frame;
				const rows = labelledRows(frame, req.target);
				const task = req.task ?? inferTask(frame, req.target, rows);
				const classes =
					task === 'regression'
						? null
						: fitClasses(frame, req.target, rows, { numericAsClasses: true });
				const labels = classes
					? Float64Array.from(encodeClasses(classes, frame, req.target, rows))
					: null;
				const plan = planValidation(frame, spec, task, rows, labels, 1);
				const sourceName = req.derive?.source ?? req.target;
				const source = frame.columns.find((c) => c.name === sourceName);
				const values =
					source?.kind === 'numeric'
						? Float64Array.from(rows.length ? rows : [], (r) => source.values[r]).filter(
								Number.isFinite
							)
						: null;
				const grade = values && values.length ? suggestGradeBoundaries(values) : null;
				return ok({
					task,
					classes,
					candidates,
					defaults,
					leakage: detectLeakage(frame, req.target, features, { rows }),
					validation: plan.used,
					group: spec.group,
					time: spec.time,
					nLabelled: rows.length,
					nRows: frame.nRows,
					balance: classes && labels ? classBalance(labels, classes.length) : null,
					suggestions:
						grade && values
							? {
									boundaries: grade.boundaries,
									below: grade.below,
									threshold: suggestPassThreshold(values)
								}
							: null
				});
			} catch (e) {
				return failure(e, 'Cancelled.');
			}
		},

		trainModels(req, onProgress, jobId) {
			return jobs.run(
				jobId,
				onProgress,
				'Training was cancelled. Nothing was saved.',
				async ({ token, report }) => {
					report({ fraction: 0, phase: 'Loading the data' });
					const ds = await db.getDataset(req.datasetId);
					if (!ds) return notFound(req.datasetId);
					const features = req.features ?? defaultFeatures(columnInfo(ds), req.target, req.derive);
					const spec = validationSpec(ds, req.validation);
					const loaded = await load(req, features, spec);
					if (!loaded) return notFound(req.datasetId);
					token.throwIfCancelled();
					const families = (req.families ?? DEFAULT_FAMILIES).filter((f) =>
						(FAMILIES as readonly string[]).includes(f)
					);
					const request: TrainRequest = {
						target: req.target,
						derive: req.derive ?? null,
						task: req.task,
						features,
						families,
						auto: req.auto ?? true,
						validation: spec,
						classWeight: req.classWeight ?? 'none',
						seed: req.seed ?? 1,
						params: req.params,
						compareWithout: req.compareWithout
					};
					const training = subProgress(report, 0.03, 0.95);
					let outcome: TrainOutcome;
					let backend: string | null = null;
					if (families.some(needsTf)) {
						// On a new device the first network waits for a short speed test of the engines.
						report({ fraction: 0.02, phase: 'Preparing the compute engine' });
						const runtime = await ml();
						const run = await runtime.backend.run(
							() =>
								trainModels(loaded.frame, request, {
									tf: runtime.tf,
									progress: training,
									cancel: token
								}),
							{
								// Training writes nothing until it returns, so starting over elsewhere is safe.
								rerunSafe: true,
								onFallback: (from, to) =>
									report({
										fraction: 0.03,
										phase: `${BACKEND_LABELS[from]} stopped working; starting again on ${BACKEND_LABELS[to]}`
									})
							}
						);
						outcome = run.value;
						backend = run.backend;
					} else {
						outcome = await trainModels(loaded.frame, request, {
							progress: training,
							cancel: token
						});
					}
					// Last chance to stop: once saving starts, the model is kept.
					token.throwIfCancelled();
					report({ fraction: 0.96, phase: 'Saving the model' });
					const chosen = outcome.leaderboard[outcome.selected];
					const { artifact, task, target, trainSeconds } = outcome;
					const model = await db.saveModel({
						datasetId: req.datasetId,
						target,
						task,
						family: chosen.family,
						name: `${chosen.label} for ${target}`,
						features: outcome.features,
						params: { ...chosen.params, seed: request.seed, auto: request.auto },
						metrics: outcome.diagnostics.metrics,
						baseline: outcome.diagnostics.baseline,
						artifact,
						history: undefined,
						backend: chosen.family === 'mlp' ? (backend ?? undefined) : undefined,
						trainSeconds,
						notes: '',
						training: trainingSummary(outcome)
					});
					// Counts and scores only: no student identifiers in the log.
					await db.logEvent({
						type: 'model.trained',
						summary: `Trained ${chosen.label} for "${target}" on ${outcome.nLabelled} rows (${outcome.validation.scheme}, ${outcome.leaderboard.length} candidates).`,
						datasetId: req.datasetId,
						modelId: model.id
					});
					report({ fraction: 1, phase: 'Done' });
					return ok({
						modelId: model.id,
						task,
						family: chosen.family,
						label: chosen.label,
						backend,
						trainSeconds
					});
				}
			);
		}
	};
}

/** What a model record keeps of a training run besides its top-level fields (TrainingSummary). */
export function trainingSummary(outcome: TrainOutcome): TrainingSummary {
	return {
		classes: outcome.classes,
		validation: outcome.validation,
		leaderboard: outcome.leaderboard,
		selected: outcome.selected,
		selectionReason: outcome.selectionReason,
		diagnostics: outcome.diagnostics,
		fingerprint: outcome.fingerprint,
		distributions: outcome.distributions,
		leakage: outcome.leakage,
		comparison: outcome.comparison,
		nLabelled: outcome.nLabelled
	};
}
