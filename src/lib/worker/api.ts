/**
 * The worker's API, as exposed over comlink (worker.ts) and as a plain object for Node tests.
 * Every long job takes a progress callback and a job id, reports throttled progress, can be
 * cancelled by id, and returns a Result: errors are values with a teacher-readable message.
 */
import { fail, ok, type Result } from '../errors';
import type { ColumnRole, Frame } from '../ml/frame';
import type { Tf } from '../ml/nn/tf';
import { inferTask, type Task } from '../ml/preprocess';
import { subProgress, type CancelToken, type ProgressFn } from '../ml/progress';
import type { DemoDataset, DemoProfile } from '../ml/synthetic';
import { trainQuick, type QuickArtifact } from '../ml/train-quick';
import type { SaveDatasetMeta } from '../db';
import type { BackendManager } from './backend';
import {
	BACKEND_LABELS,
	type BackendInfo,
	type BackendName,
	type BackendPreference
} from './backend-policy';
import { createDatasetApi, type DatasetApi } from './dataset-api';
import { createImportApi, type ImportApi, type ImportStorePort } from './import-api';
import { JobRegistry, failure } from './jobs';

export type { BackendInfo, BackendName, BackendPreference } from './backend-policy';

export interface DemoOptions {
	seed?: number | string;
	rows?: number;
	/** Becomes the first student's identifier (for privacy tests); never logged. */
	canary?: string;
}

export interface TrainQuickRequest {
	datasetId: string;
	target: string;
	/** Default: the dataset's columns with the 'feature' role. */
	features?: string[];
	/** Default: inferred from the target (see inferTask). */
	task?: Task;
	seed?: number;
	epochs?: number;
}

export interface TrainQuickResponse {
	modelId: string;
	task: Task;
	metrics: Record<string, number>;
	baseline: Record<string, number>;
	backend: BackendName;
	trainSeconds: number;
	nTrain: number;
	nTest: number;
}

export interface WorkerApi extends DatasetApi, ImportApi {
	ping(): Promise<'pong'>;
	getBackendInfo(): Promise<BackendInfo>;
	reprobeBackends(): Promise<BackendInfo>;
	setBackendPreference(pref: BackendPreference): Promise<BackendInfo>;
	createDemoDataset(
		profile: DemoProfile,
		opts: DemoOptions,
		onProgress?: ProgressFn,
		jobId?: string
	): Promise<Result<{ datasetId: string; name: string }>>;
	trainQuickModel(
		req: TrainQuickRequest,
		onProgress: ProgressFn | undefined,
		jobId: string
	): Promise<Result<TrainQuickResponse>>;
	/** Asks the job to stop at its next checkpoint; unknown ids are remembered briefly. */
	cancel(jobId: string): void;
}

/** The storage calls the worker needs, bound to one open database (see db-port.ts). */
export interface DbPort extends Pick<
	ImportStorePort,
	| 'appendToDataset'
	| 'finaliseStaged'
	| 'deleteDataset'
	| 'beginStaged'
	| 'writeStagedChunk'
	| 'completeStaged'
> {
	saveFrameAsDataset(
		frame: Frame,
		meta: SaveDatasetMeta,
		opts?: { onProgress?: ProgressFn; cancel?: CancelToken }
	): Promise<{ id: string; name: string }>;
	getDataset(id: string): Promise<
		| {
				id: string;
				name: string;
				nRows: number;
				updatedAt: number;
				profile: string | null;
				target: string | null;
				columns: { name: string; role: ColumnRole; type: string }[];
		  }
		| undefined
	>;
	loadFrame(id: string, opts?: { columns?: string[]; rows?: [number, number] }): Promise<Frame>;
	saveModel(rec: {
		datasetId: string;
		target: string;
		task: Task;
		family: string;
		name: string;
		features: string[];
		params: Record<string, unknown>;
		metrics: Record<string, number>;
		baseline: Record<string, number>;
		artifact: QuickArtifact;
		history?: { epoch: number; loss: number; valLoss?: number }[];
		backend?: string;
		trainSeconds: number;
		notes: string;
	}): Promise<{ id: string }>;
	logEvent(e: {
		type: string;
		summary: string;
		datasetId?: string;
		modelId?: string;
	}): Promise<unknown>;
}

/** TensorFlow.js and the backend manager: loaded on first use (see worker.ts). */
export interface MlRuntime {
	tf: Tf;
	backend: Pick<BackendManager, 'getInfo' | 'reprobe' | 'setPreference' | 'run'>;
}

export interface WorkerDeps {
	/**
	 * TensorFlow.js is megabytes of code that takes about a second to start; imports, tables and
	 * tree models never need it, so it is only loaded when a job does.
	 */
	ml: () => Promise<MlRuntime>;
	db: DbPort;
	generateDemo(profile: DemoProfile, opts: DemoOptions): DemoDataset;
}

function metricSummary(task: Task, m: Record<string, number>, b: Record<string, number>): string {
	if (task === 'regression' && m.rmse !== undefined) {
		return `typical error ${m.rmse.toFixed(2)} (guessing the average: ${b.rmse.toFixed(2)})`;
	}
	if (m.balanced_accuracy !== undefined) {
		return `balanced accuracy ${(m.balanced_accuracy * 100).toFixed(0)} % (guessing the most common answer: ${(b.balanced_accuracy * 100).toFixed(0)} %)`;
	}
	return 'no held-out students to score';
}

export function createWorkerApi(deps: WorkerDeps): WorkerApi {
	const jobs = new JobRegistry();
	let loading: Promise<MlRuntime> | null = null;
	const ml = (): Promise<MlRuntime> => {
		// A failed load (e.g. a missing wasm file offline) may succeed later: do not cache it.
		loading ??= deps.ml().catch((e: unknown) => {
			loading = null;
			throw e;
		});
		return loading;
	};
	const startJob = (jobId: string | undefined, onProgress: ProgressFn | undefined) =>
		jobs.start(jobId, onProgress);

	return {
		...createDatasetApi(deps.db),
		...createImportApi(jobs, deps.db),

		async ping() {
			return 'pong';
		},

		getBackendInfo: async () => (await ml()).backend.getInfo(),
		reprobeBackends: async () => (await ml()).backend.reprobe(),
		setBackendPreference: async (pref) => (await ml()).backend.setPreference(pref),

		async createDemoDataset(profile, opts, onProgress, jobId) {
			const { token, report, finish } = startJob(jobId, onProgress);
			try {
				report({ fraction: 0, phase: 'Making up a demo class' });
				const demo = deps.generateDemo(profile, {
					seed: opts.seed,
					rows: opts.rows,
					canary: opts.canary
				});
				token.throwIfCancelled();
				const saving = subProgress(report, 0.1, 1);
				const rec = await deps.db.saveFrameAsDataset(
					demo.frame,
					{
						name: demo.name,
						description: demo.description,
						profile: demo.profile,
						source: 'demo',
						roles: demo.roles,
						target: demo.target
					},
					{ onProgress: (p) => saving({ ...p, phase: 'Saving the demo class' }), cancel: token }
				);
				// The summary names the profile and size only: no student identifiers in the log.
				await deps.db.logEvent({
					type: 'dataset.demo-created',
					summary: `Created a demo dataset (${demo.profile}, ${demo.frame.nRows} rows).`,
					datasetId: rec.id
				});
				report({ fraction: 1, phase: 'Done' });
				return ok({ datasetId: rec.id, name: rec.name });
			} catch (e) {
				return failure(e, 'Creating the demo class was cancelled. Nothing was saved.');
			} finally {
				finish();
			}
		},

		async trainQuickModel(req, onProgress, jobId) {
			const { token, report, finish } = startJob(jobId, onProgress);
			try {
				report({ fraction: 0, phase: 'Loading the data' });
				const ds = await deps.db.getDataset(req.datasetId);
				if (!ds) {
					return fail('not-found', 'This dataset no longer exists. It may have been deleted.', {
						datasetId: req.datasetId
					});
				}
				const features =
					req.features ??
					ds.columns
						.filter((c) => c.role === 'feature' && c.name !== req.target)
						.map((c) => c.name);
				const frame = await deps.db.loadFrame(req.datasetId, {
					columns: [...new Set([...features, req.target])]
				});
				token.throwIfCancelled();
				const task = req.task ?? inferTask(frame, req.target);
				const seed = req.seed ?? 1;
				// On a new device the first job waits for a short speed test of the compute engines.
				report({ fraction: 0.04, phase: 'Preparing the compute engine' });
				const training = subProgress(report, 0.05, 0.95);
				const runtime = await ml();
				const { value: result, backend } = await runtime.backend.run(
					() =>
						trainQuick(
							runtime.tf,
							frame,
							{ target: req.target, features, task, seed, epochs: req.epochs },
							training,
							token
						),
					{
						// Training writes nothing until it returns, so starting over elsewhere is safe.
						rerunSafe: true,
						onFallback: (from, to) =>
							report({
								fraction: 0.05,
								phase: `${BACKEND_LABELS[from]} stopped working; starting again on ${BACKEND_LABELS[to]}`
							})
					}
				);
				// Last chance to stop: once saving starts, the model is kept.
				token.throwIfCancelled();
				report({ fraction: 0.96, phase: 'Saving the model' });
				const model = await deps.db.saveModel({
					datasetId: req.datasetId,
					target: req.target,
					task,
					family: 'mlp',
					name: `Quick model for ${req.target}`,
					features,
					params: {
						hidden: result.artifact.mlp.hidden,
						seed,
						epochs: req.epochs ?? null,
						bestEpoch: result.bestEpoch,
						nTrain: result.nTrain,
						nTest: result.nTest
					},
					metrics: result.metrics,
					baseline: result.baseline,
					artifact: result.artifact,
					history: result.history,
					backend,
					trainSeconds: result.trainSeconds,
					notes: ''
				});
				await deps.db.logEvent({
					type: 'model.trained',
					summary: `Trained a quick model for "${req.target}": ${metricSummary(task, result.metrics, result.baseline)}.`,
					datasetId: req.datasetId,
					modelId: model.id
				});
				report({ fraction: 1, phase: 'Done' });
				return ok({
					modelId: model.id,
					task,
					metrics: result.metrics,
					baseline: result.baseline,
					backend,
					trainSeconds: result.trainSeconds,
					nTrain: result.nTrain,
					nTest: result.nTest
				});
			} catch (e) {
				return failure(e, 'Training was cancelled. Nothing was saved.');
			} finally {
				finish();
			}
		},

		cancel: (jobId) => jobs.cancel(jobId)
	};
}
