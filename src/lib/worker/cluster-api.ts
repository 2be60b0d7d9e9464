/**
 * The worker's clustering calls for the /personas dashboard: a preview of what can be clustered,
 * the run (prepare → fit → validity indices → names → map → trajectories → breakdowns →
 * insights), choosing k, DBSCAN's k-distance curve, bootstrap stability, the scenario simulator
 * and saving / opening / comparing clusterings. A run's fitted state stays in the worker (a few
 * at a time) under a run id, so the simulator and stability need no refit and no big transfer.
 */
import { AppException, fail, ok, type Result } from '../errors';
import type { ClusteringRecord } from '../db/types';
import { MISSING_CODE, type Frame } from '../ml/frame';
import { subProgress, type ProgressFn } from '../ml/progress';
import { applyPrepared } from '../ml/cluster/prepare';
import { adjustedRandIndex } from '../ml/cluster/ari';
import { nearestPersona } from '../ml/cluster/personas';
import type { DbPort, MlRuntime } from './api';
import { failure, type JobRegistry } from './jobs';
import { columnChoices, suppressedCrossTable } from './cluster-dashboard';
import { bootstrapStability, kDistanceCurve, scanKValues } from './cluster-engine';
import {
	bad,
	buildRun,
	DEFAULT_MIN_GROUP,
	DEFAULT_WEAK_THRESHOLD,
	prepareFeatures,
	scenarioFrame,
	type DatasetMeta,
	type RunContext
} from './cluster-run';
import { predictScenario } from './cluster-scenario';
import type {
	ClusteringComparison,
	ClusterPreview,
	ClusterRequest,
	ClusterRun,
	KDistanceCurve,
	KScan,
	ScenarioRequest,
	ScenarioResult,
	StabilityView
} from './cluster-types';

export type * from './cluster-types';

/** Storage the clustering calls need beyond DbPort (see cluster-port in createClusterApi). */
export interface ClusterStorePort {
	saveClustering(rec: Omit<ClusteringRecord, 'id' | 'createdAt'>): Promise<{ id: string }>;
	getClustering(id: string): Promise<ClusteringRecord | undefined>;
	updateClusteringMetrics(id: string, metrics: Record<string, number>): Promise<unknown>;
	getActiveModel(
		datasetId: string,
		target: string
	): Promise<{ id: string; name: string; version: number; artifact: unknown } | undefined>;
}

export interface ClusterApi {
	clusterPreview(datasetId: string): Promise<Result<ClusterPreview>>;
	runClustering(
		req: ClusterRequest,
		onProgress: ProgressFn | undefined,
		jobId: string
	): Promise<Result<ClusterRun>>;
	/** Opens a saved clustering: the same dashboard, rebuilt from its stored assignments. */
	openClustering(
		req: { clusteringId: string; groupings?: string[]; minGroup?: number },
		onProgress: ProgressFn | undefined,
		jobId: string
	): Promise<Result<ClusterRun>>;
	scanK(
		req: ClusterRequest,
		onProgress: ProgressFn | undefined,
		jobId: string
	): Promise<Result<KScan>>;
	kDistance(
		req: ClusterRequest,
		onProgress: ProgressFn | undefined,
		jobId: string
	): Promise<Result<KDistanceCurve>>;
	clusterStability(
		req: { runId: string; resamples?: number; seed?: number },
		onProgress: ProgressFn | undefined,
		jobId: string
	): Promise<Result<StabilityView>>;
	assignScenario(req: ScenarioRequest): Promise<Result<ScenarioResult>>;
	saveClustering(req: {
		runId: string;
		names: string[];
		descriptions?: string[];
		notes?: string;
	}): Promise<Result<{ clusteringId: string }>>;
	compareClusterings(aId: string, bId: string): Promise<Result<ClusteringComparison>>;
}

export { DEFAULT_MIN_GROUP, DEFAULT_WEAK_THRESHOLD };
export const DEFAULT_RESAMPLES = 100;
const RUNS_KEPT = 4;

function notFound(datasetId: string) {
	return fail<never>('not-found', 'This dataset no longer exists. It may have been deleted.', {
		datasetId
	});
}

export function createClusterApi(
	jobs: JobRegistry,
	db: DbPort,
	ml: () => Promise<MlRuntime>,
	store?: ClusterStorePort | (() => Promise<ClusterStorePort>)
): ClusterApi {
	const runs = new Map<string, RunContext>();
	let storeP: Promise<ClusterStorePort> | null = null;
	// The default store opens this context's database lazily (worker.ts's connection: openDb
	// keeps one per name), so api.ts needs no extra wiring and tests can pass their own.
	const clusterStore = (): Promise<ClusterStorePort> =>
		(storeP ??=
			typeof store === 'function'
				? store()
				: store
					? Promise.resolve(store)
					: import('./cluster-port').then((m) => m.defaultClusterPort()));

	function remember(ctx: RunContext) {
		runs.set(ctx.runId, ctx);
		while (runs.size > RUNS_KEPT) runs.delete(runs.keys().next().value as string);
	}

	function context(runId: string): RunContext {
		const ctx = runs.get(runId);
		if (!ctx) {
			throw new AppException({
				code: 'run-expired',
				message:
					'This result is no longer held in memory (the page was open a long time, or several runs followed). Run the clustering again, or open it from the saved list.',
				details: { runId }
			});
		}
		return ctx;
	}

	async function meta(datasetId: string): Promise<DatasetMeta> {
		const ds = await db.getDataset(datasetId);
		if (!ds)
			throw new AppException({
				code: 'not-found',
				message: 'This dataset no longer exists. It may have been deleted.',
				details: { datasetId }
			});
		return ds;
	}

	/** Loads the columns a run needs (once each, in dataset order). */
	async function load(ds: DatasetMeta, want: (string | null | undefined)[]): Promise<Frame> {
		const names = new Set(ds.columns.map((c) => c.name));
		const cols = [...new Set(want.filter((n): n is string => !!n && names.has(n)))];
		for (const n of want)
			if (n && !names.has(n)) bad(`The dataset has no column called "${n}".`, { column: n });
		return db.loadFrame(ds.id, { columns: cols });
	}

	/** The request's features, loaded and prepared (encoded, scaled, rows with gaps dropped). */
	async function preparedMatrix(req: ClusterRequest) {
		const ds = await meta(req.datasetId);
		return prepareFeatures(await load(ds, req.features), req.features).prepared;
	}

	function choices(ds: DatasetMeta, frame: Frame) {
		return columnChoices(ds.columns, frame, ds.target);
	}

	async function categoricalFrame(ds: DatasetMeta): Promise<Frame> {
		// Levels come from the data; categorical columns (codes + dictionaries) are cheap to load.
		return db.loadFrame(ds.id, {
			columns: ds.columns.filter((c) => c.type === 'category').map((c) => c.name)
		});
	}

	const frameColumns = (ds: DatasetMeta, req: ClusterRequest) => {
		const c = choices(ds, { nRows: 0, columns: [] });
		const traj = req.trajectory === undefined ? null : req.trajectory;
		return [...req.features, traj?.from, traj?.to, ...(req.groupings ?? []), c.idColumn, ds.target];
	};

	/** The frame for a request: features, id, target, groupings and the default ones. */
	async function requestFrame(ds: DatasetMeta, req: ClusterRequest): Promise<Frame> {
		const all = await categoricalFrame(ds);
		const defaults = choices(ds, all);
		const want = new Set(frameColumns(ds, req));
		if (req.trajectory === undefined && defaults.trajectory) {
			want.add(defaults.trajectory.from);
			want.add(defaults.trajectory.to);
		}
		// School type and gender always: the insights speak about them.
		for (const g of defaults.defaultGroupings) want.add(g);
		if (defaults.idColumn) want.add(defaults.idColumn);
		return load(ds, [...want]);
	}

	function toRun(ctx: RunContext): ClusterRun {
		return { runId: ctx.runId, savedId: ctx.savedId, dashboard: ctx.dashboard };
	}

	return {
		async clusterPreview(datasetId) {
			try {
				const ds = await db.getDataset(datasetId);
				if (!ds) return notFound(datasetId);
				const frame = await categoricalFrame(ds);
				const c = choices(ds, frame);
				let model: ClusterPreview['model'] = null;
				if (ds.target) {
					const m = await (await clusterStore()).getActiveModel(ds.id, ds.target);
					if (m) model = { id: m.id, name: `${m.name} v${m.version}`, target: ds.target };
				}
				return ok({
					datasetId: ds.id,
					datasetName: ds.name,
					nRows: ds.nRows,
					profile: ds.profile ?? null,
					candidates: c.candidates,
					defaultFeatures: c.defaultFeatures,
					numeric: c.numeric,
					trajectory: c.trajectory,
					groupings: c.groupings,
					defaultGroupings: c.defaultGroupings,
					idColumn: c.idColumn,
					target: ds.target,
					model
				});
			} catch (e) {
				return failure(e, 'Cancelled.');
			}
		},

		runClustering(req, onProgress, jobId) {
			return jobs.run(
				jobId,
				onProgress,
				'Finding personas was cancelled.',
				async ({ token, report }) => {
					report({ fraction: 0, phase: 'Loading the data' });
					const ds = await meta(req.datasetId);
					const frame = await requestFrame(ds, req);
					token.throwIfCancelled();
					const ctx = await buildRun(ds, req, frame, null, report, token);
					remember(ctx);
					return ok(toRun(ctx));
				}
			);
		},

		openClustering(req, onProgress, jobId) {
			return jobs.run(
				jobId,
				onProgress,
				'Opening the clustering was cancelled.',
				async ({ token, report }) => {
					report({ fraction: 0, phase: 'Loading the saved clustering' });
					const rec = await (await clusterStore()).getClustering(req.clusteringId);
					if (!rec) {
						return fail(
							'clustering-not-found',
							'This saved clustering is no longer on this device.',
							{
								clusteringId: req.clusteringId
							}
						);
					}
					const ds = await meta(rec.datasetId);
					const p = rec.params as Record<string, unknown>;
					const request: ClusterRequest = {
						datasetId: rec.datasetId,
						features: rec.features,
						algorithm: rec.algorithm as ClusterRequest['algorithm'],
						seed: typeof p.seed === 'number' ? p.seed : 42,
						k: rec.k,
						eps: typeof p.eps === 'number' ? p.eps : undefined,
						minPts: typeof p.minPts === 'number' ? p.minPts : undefined,
						covariance: p.covariance === 'full' ? 'full' : 'diag',
						trajectory: (p.trajectory as ClusterRequest['trajectory']) ?? undefined,
						groupings: req.groupings,
						minGroup: req.minGroup ?? (typeof p.minGroup === 'number' ? p.minGroup : undefined),
						weakThreshold: typeof p.weakThreshold === 'number' ? p.weakThreshold : undefined
					};
					const frame = await requestFrame(ds, request);
					if (rec.assignments.length !== frame.nRows) {
						return fail(
							'clustering-stale',
							'The class has changed since this clustering was saved (rows were added or removed), so its groups no longer line up. Run the clustering again.',
							{ clusteringId: rec.id }
						);
					}
					const { prepared } = prepareFeatures(frame, request.features);
					const labels = Int32Array.from(prepared.rowsUsed, (r) => {
						const a = rec.assignments[r];
						return a === MISSING_CODE ? -1 : a;
					});
					const descriptions = Array.isArray(p.descriptions)
						? (p.descriptions as string[])
						: undefined;
					const ctx = await buildRun(
						ds,
						request,
						frame,
						{
							labels,
							k: rec.k,
							names: rec.names,
							descriptions,
							savedId: rec.id,
							metrics: rec.metrics,
							params: Object.fromEntries(
								Object.entries(p).filter(
									([, v]) => v === null || ['number', 'string', 'boolean'].includes(typeof v)
								)
							)
						},
						report,
						token
					);
					remember(ctx);
					return ok(toRun(ctx));
				}
			);
		},

		scanK(req, onProgress, jobId) {
			return jobs.run(
				jobId,
				onProgress,
				'Choosing the number of personas was cancelled.',
				async ({ token, report }) => {
					report({ fraction: 0, phase: 'Loading the data' });
					const prepared = await preparedMatrix(req);
					token.throwIfCancelled();
					return ok(
						await scanKValues(prepared.X, req, {
							onProgress: subProgress(report, 0.05, 1),
							cancel: token
						})
					);
				}
			);
		},

		kDistance(req, onProgress, jobId) {
			return jobs.run(
				jobId,
				onProgress,
				'Measuring distances was cancelled.',
				async ({ token, report }) => {
					report({ fraction: 0, phase: 'Loading the data' });
					const prepared = await preparedMatrix(req);
					token.throwIfCancelled();
					report({ fraction: 0.2, phase: 'Measuring distances between students' });
					return ok(kDistanceCurve(prepared.X, req.minPts ?? 5, req.seed ?? 42));
				}
			);
		},

		clusterStability(req, onProgress, jobId) {
			return jobs.run(
				jobId,
				onProgress,
				'The stability check was cancelled.',
				async ({ token, report }) => {
					const ctx = context(req.runId);
					const resamples = Math.max(
						2,
						Math.min(1000, Math.round(req.resamples ?? DEFAULT_RESAMPLES))
					);
					const view = await bootstrapStability(ctx.prepared.X, ctx.labels, ctx.k, ctx.req, {
						resamples,
						seed: req.seed ?? ctx.req.seed,
						onProgress: report,
						cancel: token
					});
					ctx.dashboard.metrics.stabilityJaccard = view.meanJaccard;
					if (ctx.savedId) {
						await (
							await clusterStore()
						).updateClusteringMetrics(ctx.savedId, {
							stabilityJaccard: view.meanJaccard,
							...(view.ari !== null ? { stabilityAri: view.ari } : {})
						});
					}
					return ok(view);
				}
			);
		},

		async assignScenario(req) {
			try {
				const ctx = context(req.runId);
				const ds = await meta(ctx.datasetId);
				const base = await load(ds, ctx.req.features);
				const one = scenarioFrame(ctx.encodings, req.values, base);
				const { X } = applyPrepared(ctx.prepared.scaler, one);
				const near = nearestPersona(ctx.centers, ctx.k, X.d, X.data.subarray(0, X.d));
				const distances = Array.from(near.distances);
				let to = near.persona;
				const probabilities = ctx.fitted.membership ? ctx.fitted.membership(X) : null;
				if (probabilities) to = probabilities.indexOf(Math.max(...probabilities));
				const matrixRow = ctx.prepared.rowsUsed.indexOf(req.row);
				const from = matrixRow >= 0 ? ctx.labels[matrixRow] : -1;
				const { prediction, note } = await predictScenario(
					{ db, store: await clusterStore(), ml },
					ds,
					req
				);
				return ok({
					from,
					to,
					names: ctx.dashboard.personas.map((p) => p.name),
					distances,
					probabilities,
					prediction,
					predictionNote: note
				});
			} catch (e) {
				return failure(e, 'Cancelled.');
			}
		},

		async saveClustering(req) {
			try {
				const ctx = context(req.runId);
				const assignments = new Uint32Array(ctx.nRows).fill(MISSING_CODE);
				ctx.prepared.rowsUsed.forEach((r, i) => {
					if (ctx.labels[i] >= 0) assignments[r] = ctx.labels[i];
				});
				const d = ctx.dashboard;
				const { id } = await (
					await clusterStore()
				).saveClustering({
					datasetId: ctx.datasetId,
					algorithm: ctx.req.algorithm,
					params: {
						...ctx.params,
						trajectory: d.trajectory ? { from: d.trajectory.from, to: d.trajectory.to } : null,
						minGroup: d.minGroup,
						weakThreshold: ctx.req.weakThreshold ?? DEFAULT_WEAK_THRESHOLD,
						descriptions: req.descriptions ?? d.personas.map((p) => p.description)
					},
					features: ctx.req.features,
					k: ctx.k,
					assignments,
					metrics: Object.fromEntries(
						Object.entries(d.metrics).filter(([, v]) => Number.isFinite(v))
					),
					names: req.names,
					centroids: d.personas.map((p) => p.centroid),
					notes: req.notes ?? ''
				});
				ctx.savedId = id;
				await db.logEvent({
					type: 'clustering.saved',
					summary: `Saved a clustering (${ctx.req.algorithm}, ${ctx.k} personas, ${ctx.req.features.length} features).`,
					datasetId: ctx.datasetId
				});
				return ok({ clusteringId: id });
			} catch (e) {
				return failure(e, 'Cancelled.');
			}
		},

		async compareClusterings(aId, bId) {
			try {
				const s = await clusterStore();
				const [a, b] = await Promise.all([s.getClustering(aId), s.getClustering(bId)]);
				if (!a || !b)
					return fail(
						'clustering-not-found',
						'One of these saved clusterings is no longer on this device.'
					);
				if (a.datasetId !== b.datasetId || a.assignments.length !== b.assignments.length) {
					return fail(
						'clustering-mismatch',
						'These clusterings are of different classes, so they cannot be compared.'
					);
				}
				const la: number[] = [];
				const lb: number[] = [];
				for (let i = 0; i < a.assignments.length; i++) {
					if (a.assignments[i] === MISSING_CODE || b.assignments[i] === MISSING_CODE) continue;
					la.push(a.assignments[i]);
					lb.push(b.assignments[i]);
				}
				const ari = la.length > 1 ? adjustedRandIndex(la, lb) : NaN;
				const label = (r: ClusteringRecord) => `${r.algorithm}, ${r.k} personas`;
				const verdict = !Number.isFinite(ari)
					? 'Too few students are in both clusterings to compare them.'
					: ari >= 0.8
						? `The two clusterings agree closely (adjusted Rand index ${ari.toFixed(2)}): mostly the same students are grouped together.`
						: ari >= 0.5
							? `The two clusterings partly agree (adjusted Rand index ${ari.toFixed(2)}): the main groups are similar, the edges differ.`
							: `The two clusterings group students quite differently (adjusted Rand index ${ari.toFixed(2)}; 1 = identical, 0 = no more alike than chance).`;
				return ok({
					a: { id: a.id, label: label(a), k: a.k, metrics: a.metrics },
					b: { id: b.id, label: label(b), k: b.k, metrics: b.metrics },
					ari,
					table: suppressedCrossTable(
						la,
						lb,
						a.names,
						b.names,
						{ row: 'First', col: 'Second' },
						DEFAULT_MIN_GROUP
					),
					verdict
				});
			} catch (e) {
				return failure(e, 'Cancelled.');
			}
		}
	};
}
