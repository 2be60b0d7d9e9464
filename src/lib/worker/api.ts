/**
 * The worker's API, as exposed over comlink (worker.ts) and as a plain object for Node tests.
 * Every long job takes a progress callback and a job id, reports throttled progress, can be
 * cancelled by id, and returns a Result: errors are values with a teacher-readable message.
 */
import { ok, type Result } from '../errors';
import type { ColumnRole, Frame } from '../ml/frame';
import type { Tf } from '../ml/nn/tf';
import { subProgress, type CancelToken, type ProgressFn } from '../ml/progress';
import type { DemoDataset, DemoProfile } from '../ml/synthetic';
import type { NewModelRecord, SaveDatasetMeta } from '../db';
import type { BackendManager } from './backend';
import type { BackendInfo, BackendPreference } from './backend-policy';
import { createDatasetApi, type DatasetApi } from './dataset-api';
import { createImportApi, type ImportApi, type ImportStorePort } from './import-api';
import { JobRegistry, failure } from './jobs';
import { createTrainApi, type TrainApi } from './train-api';
import { createClusterApi, type ClusterApi } from './cluster-api';
import { createOutcomesApi, type OutcomesApi, type OutcomesPort } from './outcomes-api';
import { createPredictApi, type PredictApi, type PredictPort } from './predict-api';
import { createStudentApi, type StudentApi } from './student-api';

export type { BackendInfo, BackendName, BackendPreference } from './backend-policy';

export interface DemoOptions {
	seed?: number | string;
	rows?: number;
	/** Becomes the first student's identifier (for privacy tests); never logged. */
	canary?: string;
}

export interface WorkerApi
	extends DatasetApi, ImportApi, TrainApi, PredictApi, OutcomesApi, StudentApi, ClusterApi {
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
	saveModel(rec: NewModelRecord): Promise<{ id: string }>;
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
	/** Storage for predictions (predict-port.ts); without it the prediction calls say so. */
	predictions?: PredictPort;
	generateDemo(profile: DemoProfile, opts: DemoOptions): DemoDataset;
	/** Storage for the outcomes loop; default: the app's database, opened on first use. */
	outcomes?: OutcomesPort;
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
		...createTrainApi(jobs, deps.db, ml),
		...createClusterApi(jobs, deps.db, ml),
		...createOutcomesApi(deps.outcomes),
		...createPredictApi(jobs, deps.db, deps.predictions ?? unavailablePredictions, ml),
		...createStudentApi(jobs, deps.db, deps.predictions ?? unavailablePredictions, ml),

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

		cancel: (jobId) => jobs.cancel(jobId)
	};
}

/** Stands in when no prediction storage was given (tests of other parts of the API). */
const unavailablePredictions: PredictPort = {
	getModel: async () => undefined,
	savePrediction: async () => {
		throw new Error('Prediction storage is not available here.');
	},
	logPrediction: async () => undefined,
	getRulePack: async () => null
};
