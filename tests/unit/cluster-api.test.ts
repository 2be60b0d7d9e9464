import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDb, listEvents, openDb, saveFrameAsDataset } from '../../src/lib/db';
import { getClustering, listClusterings, renamePersonas } from '../../src/lib/db/clusterings';
import type { Result } from '../../src/lib/errors';
import { MISSING_CODE } from '../../src/lib/ml/frame';
import type { Progress } from '../../src/lib/ml/progress';
import { generateDemo } from '../../src/lib/ml/synthetic';
import { createClusterApi, type ClusterRequest } from '../../src/lib/worker/cluster-api';
import { createClusterPort } from '../../src/lib/worker/cluster-port';
import { createDbPort } from '../../src/lib/worker/db-port';
import { JobRegistry } from '../../src/lib/worker/jobs';
import { createTrainApi } from '../../src/lib/worker/train-api';
import type { MlRuntime } from '../../src/lib/worker/api';

let dbCount = 0;
const opened: string[] = [];

const noMl = async (): Promise<MlRuntime> => {
	throw new Error('TensorFlow is not needed by these tests.');
};

async function setup(profile: 'wellbeing' | 'marks' = 'wellbeing', rows?: number) {
	const name = `cluster-api-test-${++dbCount}`;
	opened.push(name);
	const db = openDb(name);
	const port = createDbPort(db);
	const jobs = new JobRegistry();
	const api = createClusterApi(jobs, port, noMl, createClusterPort(db));
	const demo = generateDemo(profile, { seed: 1, rows });
	const { id } = await saveFrameAsDataset(db, demo.frame, {
		name: demo.name,
		description: demo.description,
		profile: demo.profile,
		source: 'demo',
		roles: demo.roles,
		target: demo.target
	});
	return { api, db, port, jobs, datasetId: id };
}

afterEach(() => {
	for (const name of opened.splice(0)) closeDb(name);
});

function value<T>(r: Result<T>): T {
	if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
	return r.value;
}

const PERSONA_FEATURES = [
	'Hours_Studied',
	'Attendance',
	'Access_to_Resources',
	'Motivation_Level',
	'Sleep_Hours',
	'Parental_Involvement',
	'Tutoring_Sessions',
	'Exam_Score'
];

describe('cluster API: preview', () => {
	it('suggests the 8-feature persona model, the trajectory and the groupings on the wellbeing survey', async () => {
		const { api, datasetId } = await setup();
		const p = value(await api.clusterPreview(datasetId));
		expect(p.defaultFeatures).toEqual(PERSONA_FEATURES);
		expect(p.trajectory).toEqual({ from: 'Previous_Scores', to: 'Exam_Score' });
		expect(p.defaultGroupings).toEqual(['School_Type', 'Gender']);
		expect(p.idColumn).toBe('student_id');
		expect(p.candidates.map((c) => c.name)).not.toContain('student_id');
		const motivation = p.candidates.find((c) => c.name === 'Motivation_Level');
		expect(motivation?.levels).toEqual(['Low', 'Medium', 'High']);
		expect(p.model).toBeNull();
	});

	it('offers numeric columns on any other data', async () => {
		const { api, datasetId } = await setup('marks');
		const p = value(await api.clusterPreview(datasetId));
		expect(p.defaultFeatures.length).toBeGreaterThanOrEqual(2);
		expect(p.defaultFeatures.length).toBeLessThanOrEqual(8);
		expect(p.candidates.every((c) => c.name !== 'student_id')).toBe(true);
	});

	it('says when the dataset is gone', async () => {
		const { api } = await setup();
		const r = await api.clusterPreview('nope');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error.code).toBe('not-found');
	});
});

describe('cluster API: k-means personas end to end', () => {
	it('finds 5 named personas with charts, trajectories, breakdowns, map and insights', async () => {
		const { api, datasetId } = await setup();
		const progress: Progress[] = [];
		const req: ClusterRequest = {
			datasetId,
			features: PERSONA_FEATURES,
			algorithm: 'kmeans',
			k: 5,
			seed: 7
		};
		const run = value(await api.runClustering(req, (p) => progress.push(p), 'run-1'));
		const d = run.dashboard;
		expect(d.k).toBe(5);
		// The run records which k-means kernels did the work (and that the seed was used).
		expect(d.params).toMatchObject({ k: 5, engine: 'wasm', seed: 7 });
		expect(d.personas).toHaveLength(5);
		expect(d.personas.reduce((s, p) => s + p.size, 0)).toBe(600);
		expect(new Set(d.personas.map((p) => p.name)).size).toBe(5);
		for (const p of d.personas) {
			expect(p.name.length).toBeGreaterThan(0);
			expect(p.description.length).toBeGreaterThan(0);
			expect(p.z).toHaveLength(8);
			expect(p.centroid).toHaveLength(8);
		}
		expect(d.metrics.silhouette).toBeGreaterThan(0);
		expect(d.metrics.silhouette).toBeLessThan(1);
		expect(d.metrics.daviesBouldin).toBeGreaterThan(0);
		expect(d.metrics.calinskiHarabasz).toBeGreaterThan(0);
		expect(progress.at(-1)).toMatchObject({ fraction: 1 });

		// Trajectory: 3 groups ordered by the later score.
		expect(d.trajectory?.names).toEqual(['High achievers', 'Moderate', 'At risk']);
		const to = d.trajectory?.centers.map((c) => c.to) ?? [];
		expect(to[0]).toBeGreaterThan(to[1]);
		expect(to[1]).toBeGreaterThan(to[2]);
		// Cross-table: small cells suppressed; totals of shown rows add up.
		const ct = d.crossTable;
		expect(ct?.rows).toEqual(d.personas.map((p) => p.name));
		for (const row of ct?.counts ?? [])
			for (const c of row) expect(c === null || c === 0 || c >= 10).toBe(true);

		expect(d.breakdowns.map((b) => b.column)).toEqual(['School_Type', 'Gender']);
		for (const b of d.breakdowns) {
			for (const l of b.levels) {
				if (l.shares) {
					const shown = l.shares.filter((s): s is number => s !== null);
					expect(shown.every((s) => s >= 0 && s <= 1)).toBe(true);
				}
			}
		}
		expect(d.map.shown).toBe(600);
		expect(d.map.x).toHaveLength(600);
		expect(d.map.labels[0]).toMatch(/^S\d+/);
		expect(d.map.explained[0]).toBeGreaterThan(d.map.explained[1]);
		expect(d.distributions).toHaveLength(8);
		expect(Object.keys(d.insights).sort()).toEqual(
			[
				'actionable_recommendations',
				'gender_insights',
				'mega_pie_insights',
				'school_insights',
				'spider_chart_inferences',
				'trajectory_wise_persona'
			].sort()
		);
		expect(d.insights.mega_pie_insights.length).toBeGreaterThan(0);
		expect(d.insights.spider_chart_inferences.length).toBeGreaterThan(0);
	});

	it('is deterministic for a seed', async () => {
		const { api, datasetId } = await setup();
		const req: ClusterRequest = {
			datasetId,
			features: PERSONA_FEATURES,
			algorithm: 'kmeans',
			k: 4,
			seed: 3
		};
		const a = value(await api.runClustering(req, undefined, 'a')).dashboard;
		const b = value(await api.runClustering(req, undefined, 'b')).dashboard;
		expect(b.personas.map((p) => p.size)).toEqual(a.personas.map((p) => p.size));
		expect(b.metrics.silhouette).toBe(a.metrics.silhouette);
	});

	it('suppresses groups smaller than the threshold and says so', async () => {
		const { api, datasetId } = await setup('wellbeing', 120);
		const run = value(
			await api.runClustering(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'kmeans', k: 8, seed: 1, minGroup: 20 },
				undefined,
				's'
			)
		);
		const d = run.dashboard;
		const small = d.personas.filter((p) => p.size < 20);
		expect(small.length).toBeGreaterThan(0);
		for (const p of small) {
			expect(p.suppressed).toBe(true);
			expect(p.name).toMatch(/^Small group \d$/);
			expect(p.description).toMatch(/not described/);
			expect(p.outcome).toBeNull();
			expect(d.distributions[0].rows[p.index].stats).toBeNull();
		}
		expect(d.suppressed.length).toBeGreaterThan(0);
		for (const b of d.breakdowns)
			for (const l of b.levels)
				for (const c of l.counts ?? []) expect(c === null || c === 0 || c >= 20).toBe(true);
	});

	it('chooses k automatically with an explanation', async () => {
		const { api, datasetId } = await setup();
		const d = value(
			await api.runClustering(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'kmeans', k: 'auto' },
				undefined,
				'auto'
			)
		).dashboard;
		expect(d.k).toBeGreaterThanOrEqual(2);
		expect(d.k).toBeLessThanOrEqual(10);
		expect(d.autoK?.explanation).toMatch(/silhouette/i);
		expect(d.params).toMatchObject({ auto: true, engine: 'wasm' });
	});

	it('scans k = 2..10 with the four indices', async () => {
		const { api, datasetId } = await setup();
		const scan = value(
			await api.scanK(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'kmeans' },
				undefined,
				'scan'
			)
		);
		expect(scan.ks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
		for (const key of ['inertia', 'silhouette', 'daviesBouldin', 'calinskiHarabasz'] as const) {
			expect(scan[key]).toHaveLength(9);
		}
		expect(scan.ks).toContain(scan.best);
		expect(scan.explanation.length).toBeGreaterThan(20);
	});

	it('warns about weak structure below the threshold', async () => {
		const { api, datasetId } = await setup();
		const d = value(
			await api.runClustering(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'kmeans', k: 5, weakThreshold: 0.99 },
				undefined,
				'weak'
			)
		).dashboard;
		expect(d.weak?.threshold).toBe(0.99);
		expect(d.weak?.message).toMatch(/silhouette/);
	});

	it('cancels when asked', async () => {
		const { api, jobs, datasetId } = await setup();
		jobs.cancel('c1');
		const r = await api.runClustering(
			{ datasetId, features: PERSONA_FEATURES, algorithm: 'kmeans', k: 5 },
			undefined,
			'c1'
		);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error.code).toBe('cancelled');
	});

	it('rejects fewer than two features and unknown columns with a readable message', async () => {
		const { api, datasetId } = await setup();
		const one = await api.runClustering(
			{ datasetId, features: ['Attendance'], algorithm: 'kmeans', k: 3 },
			undefined,
			'x'
		);
		expect(one.ok).toBe(false);
		if (!one.ok) expect(one.error.message).toMatch(/at least two/);
		const unknown = await api.runClustering(
			{ datasetId, features: ['Attendance', 'Nope'], algorithm: 'kmeans', k: 3 },
			undefined,
			'y'
		);
		expect(unknown.ok).toBe(false);
		if (!unknown.ok) expect(unknown.error.message).toMatch(/Nope/);
	});
});

describe('cluster API: scenario simulator', () => {
	it('moves a student to the persona whose profile they are given', async () => {
		const { api, datasetId } = await setup();
		const run = value(
			await api.runClustering(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'kmeans', k: 5, seed: 7 },
				undefined,
				'r'
			)
		);
		const d = run.dashboard;
		const point = 0;
		const from = d.map.group[point];
		const target = (from + 1) % d.k;
		// The target persona's average profile, categories at their nearest level.
		const values: Record<string, number | string> = {};
		d.features.forEach((f, j) => {
			const v = d.personas[target].centroid[j];
			values[f.name] = f.levels ? f.levels[Math.round(v)] : v;
		});
		const same = value(
			await api.assignScenario({
				runId: run.runId,
				row: d.map.rows[point],
				values: Object.fromEntries(d.features.map((f, j) => [f.name, d.map.values[point][j] ?? 0]))
			})
		);
		expect(same.from).toBe(from);
		expect(same.to).toBe(from);
		const moved = value(
			await api.assignScenario({ runId: run.runId, row: d.map.rows[point], values })
		);
		expect(moved.from).toBe(from);
		expect(moved.to).toBe(target);
		expect(moved.distances).toHaveLength(5);
		expect(moved.prediction).toBeNull();
		expect(moved.predictionNote).toMatch(/Train a model/);
	});

	it('predicts the score with the active model', async () => {
		const { api, port, jobs, datasetId } = await setup();
		const train = createTrainApi(jobs, port, noMl);
		value(
			await train.trainModels(
				{ datasetId, target: 'Exam_Score', families: ['linear'], auto: false },
				undefined,
				't'
			)
		);
		const preview = value(await api.clusterPreview(datasetId));
		expect(preview.model?.target).toBe('Exam_Score');
		const features = PERSONA_FEATURES.filter((f) => f !== 'Exam_Score');
		const run = value(
			await api.runClustering({ datasetId, features, algorithm: 'kmeans', k: 3 }, undefined, 'r')
		);
		const d = run.dashboard;
		const base = Object.fromEntries(d.features.map((f, j) => [f.name, d.map.values[0][j] ?? 0]));
		const more = value(
			await api.assignScenario({
				runId: run.runId,
				row: d.map.rows[0],
				values: { ...base, Attendance: 100, Hours_Studied: 40 }
			})
		);
		expect(more.prediction).not.toBeNull();
		expect(Number(more.prediction?.value)).toBeGreaterThan(Number(more.prediction?.before));
		expect(more.prediction?.range).toMatch(/–/);
	});

	it('says when the run is no longer held', async () => {
		const { api } = await setup();
		const r = await api.assignScenario({ runId: 'gone', row: 0, values: {} });
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error.code).toBe('run-expired');
	});
});

describe('cluster API: DBSCAN, outliers and stability', () => {
	it('suggests eps from the k-distance curve and lists students who fit no group', async () => {
		const { api, datasetId } = await setup();
		const base: ClusterRequest = {
			datasetId,
			features: PERSONA_FEATURES,
			algorithm: 'dbscan',
			minPts: 5
		};
		const curve = value(await api.kDistance(base, undefined, 'kd'));
		expect(curve.x.length).toBeGreaterThan(10);
		expect(curve.x.length).toBeLessThanOrEqual(501);
		for (let i = 1; i < curve.y.length; i++)
			expect(curve.y[i]).toBeGreaterThanOrEqual(curve.y[i - 1]);
		expect(curve.eps).toBeGreaterThan(0);
		const d = value(
			await api.runClustering({ ...base, eps: curve.eps }, undefined, 'db')
		).dashboard;
		expect(d.k).toBeGreaterThanOrEqual(1);
		expect(d.nNoise).toBeGreaterThan(0);
		expect(d.outliers.length).toBe(Math.min(200, d.nNoise));
		expect(d.outliers[0].id).toMatch(/^S\d+/);
		expect(d.outliers[0].reason.length).toBeGreaterThan(5);
		expect(d.map.group.some((g) => g === -1)).toBe(true);
		expect(d.insights.mega_pie_insights.join(' ')).toMatch(/fit no persona/);
	});

	it('runs bootstrap stability with progress', async () => {
		const { api, datasetId } = await setup();
		const run = value(
			await api.runClustering(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'kmeans', k: 4, seed: 2 },
				undefined,
				'r'
			)
		);
		const progress: Progress[] = [];
		const s = value(
			await api.clusterStability({ runId: run.runId, resamples: 6 }, (p) => progress.push(p), 'st')
		);
		expect(s.resamples).toBe(6);
		expect(s.jaccard).toHaveLength(4);
		for (const j of s.jaccard) expect(j).toBeGreaterThan(0);
		expect(s.meanJaccard).toBeGreaterThan(0.3);
		expect(s.verdict.length).toBeGreaterThan(10);
		expect(progress.at(-1)?.fraction).toBe(1);
	});
});

describe('cluster API: Gaussian mixture and Ward', () => {
	it('fits a Gaussian mixture with membership probabilities and BIC', async () => {
		const { api, datasetId } = await setup();
		const run = value(
			await api.runClustering(
				{
					datasetId,
					features: PERSONA_FEATURES,
					algorithm: 'gmm',
					k: 4,
					covariance: 'diag',
					seed: 1
				},
				undefined,
				'g'
			)
		);
		const d = run.dashboard;
		expect(d.k).toBe(4);
		expect(Number.isFinite(d.metrics.bic)).toBe(true);
		for (const p of d.personas) {
			expect(p.certainty).toBeGreaterThan(0.25);
			expect(p.certainty).toBeLessThanOrEqual(1);
		}
		const values = Object.fromEntries(d.features.map((f, j) => [f.name, d.map.values[0][j] ?? 0]));
		const s = value(await api.assignScenario({ runId: run.runId, row: d.map.rows[0], values }));
		expect(s.probabilities).toHaveLength(4);
		expect(s.probabilities?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
		expect(s.to).toBe(d.map.group[0]);
	});

	it('scans k for the mixture by BIC', async () => {
		const { api, datasetId } = await setup('wellbeing', 200);
		const scan = value(
			await api.scanK(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'gmm', covariance: 'diag' },
				undefined,
				'gs'
			)
		);
		expect(scan.bic).toHaveLength(9);
		const lowest = scan.ks[scan.bic?.indexOf(Math.min(...(scan.bic ?? []))) ?? 0];
		expect(scan.ks).toContain(scan.best);
		expect(scan.explanation).toMatch(/BIC/);
		// On whole-number survey answers large mixtures collapse onto single values; those ks
		// are not chosen however low their BIC, and the explanation says so.
		if (scan.best !== lowest) expect(scan.explanation).toMatch(/left out|collapse/);
	});

	it('cuts a Ward tree, draws its dendrogram and chooses k automatically', async () => {
		const { api, datasetId } = await setup();
		const fixed = value(
			await api.runClustering(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'ward', k: 5 },
				undefined,
				'w'
			)
		).dashboard;
		expect(fixed.k).toBe(5);
		expect(fixed.dendrogram?.leaves).toBe(30);
		expect(fixed.dendrogram?.segments.length).toBeGreaterThan(20);
		expect(fixed.dendrogram?.cut).toBeGreaterThan(0);
		const clusters = new Set(fixed.dendrogram?.segments.map((s) => s.cluster));
		expect([...clusters].sort()).toEqual([-1, 0, 1, 2, 3, 4]);
		const auto = value(
			await api.runClustering(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'ward', k: 'auto' },
				undefined,
				'wa'
			)
		).dashboard;
		expect(auto.autoK?.explanation).toMatch(/silhouette/);
		expect(auto.k).toBe(auto.autoK?.k);
		const scan = value(
			await api.scanK({ datasetId, features: PERSONA_FEATURES, algorithm: 'ward' }, undefined, 'ws')
		);
		expect(scan.ks).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(scan.best).toBe(auto.k);
	});
});

describe('cluster API: saving, opening and comparing', () => {
	it('saves a run with its assignments and names, reopens it and compares two', async () => {
		const { api, db, datasetId } = await setup();
		const req: ClusterRequest = {
			datasetId,
			features: PERSONA_FEATURES,
			algorithm: 'kmeans',
			k: 5,
			seed: 7
		};
		const run = value(await api.runClustering(req, undefined, 'r'));
		const names = run.dashboard.personas.map((p, i) => (i === 0 ? 'Night owls' : p.name));
		const { clusteringId } = value(
			await api.saveClustering({ runId: run.runId, names, notes: 'first try' })
		);
		const rec = await getClustering(db, clusteringId);
		expect(rec?.algorithm).toBe('kmeans');
		expect(rec?.k).toBe(5);
		expect(rec?.names[0]).toBe('Night owls');
		expect(rec?.assignments).toBeInstanceOf(Uint32Array);
		expect(rec?.assignments.length).toBe(600);
		expect([...(rec?.assignments ?? [])].every((a) => a < 5 || a === MISSING_CODE)).toBe(true);
		expect(rec?.metrics.silhouette).toBeCloseTo(run.dashboard.metrics.silhouette, 12);
		expect(rec?.centroids).toHaveLength(5);
		expect(rec?.notes).toBe('first try');
		const events = await listEvents(db, { type: 'clustering.saved' });
		expect(events).toHaveLength(1);
		expect(events[0].summary).not.toMatch(/S0/);

		await renamePersonas(db, clusteringId, ['A', 'B', 'C', 'D', ''], ['desc a']);
		const reopened = value(await api.openClustering({ clusteringId }, undefined, 'o')).dashboard;
		expect(reopened.personas.map((p) => p.name)).toEqual(['A', 'B', 'C', 'D', 'Persona 5']);
		expect(reopened.personas[0].description).toBe('desc a');
		expect(reopened.personas.map((p) => p.size)).toEqual(run.dashboard.personas.map((p) => p.size));
		expect(reopened.metrics.silhouette).toBeCloseTo(run.dashboard.metrics.silhouette, 12);

		const other = value(await api.runClustering({ ...req, k: 3 }, undefined, 'r2'));
		const second = value(
			await api.saveClustering({
				runId: other.runId,
				names: other.dashboard.personas.map((p) => p.name)
			})
		);
		expect((await listClusterings(db, datasetId)).map((c) => c.id).sort()).toEqual(
			[clusteringId, second.clusteringId].sort()
		);
		const self = value(await api.compareClusterings(clusteringId, clusteringId));
		expect(self.ari).toBe(1);
		const cmp = value(await api.compareClusterings(clusteringId, second.clusteringId));
		expect(cmp.ari).toBeGreaterThan(0);
		expect(cmp.ari).toBeLessThan(1);
		expect(cmp.table.rows).toEqual(['A', 'B', 'C', 'D', 'Persona 5']);
		expect(cmp.table.cols).toHaveLength(3);
		expect(cmp.verdict).toMatch(/adjusted Rand index/);
	});

	it('updates a saved clustering with its stability', async () => {
		const { api, db, datasetId } = await setup();
		const run = value(
			await api.runClustering(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'kmeans', k: 3 },
				undefined,
				'r'
			)
		);
		const { clusteringId } = value(
			await api.saveClustering({
				runId: run.runId,
				names: run.dashboard.personas.map((p) => p.name)
			})
		);
		value(await api.clusterStability({ runId: run.runId, resamples: 3 }, undefined, 's'));
		const rec = await getClustering(db, clusteringId);
		expect(rec?.metrics.stabilityJaccard).toBeGreaterThan(0);
	});
});

describe('cluster API: large classes', () => {
	it('draws at most 2,000 students on the map and says how many there are', async () => {
		const { api, datasetId } = await setup('wellbeing', 2500);
		const d = value(
			await api.runClustering(
				{ datasetId, features: PERSONA_FEATURES, algorithm: 'kmeans', k: 3 },
				undefined,
				'big'
			)
		).dashboard;
		expect(d.map.shown).toBe(2000);
		expect(d.map.total).toBe(2500);
		expect(d.map.x).toHaveLength(2000);
		expect(new Set(d.map.rows).size).toBe(2000);
		expect(d.personas.reduce((s, p) => s + p.size, 0)).toBe(2500);
	});
});

describe('persona dashboard helpers', () => {
	it('orders known category levels and renames personas in generated text', async () => {
		const { orderedLevels } = await import('../../src/lib/worker/cluster-dashboard');
		const { renameIn, featureValue } = await import('../../src/lib/components/personas/format');
		expect(orderedLevels(['High', 'Low', 'Medium'])).toEqual({
			levels: ['Low', 'Medium', 'High'],
			rank: [2, 0, 1]
		});
		expect(orderedLevels(['Far', 'Near'])).toEqual({ levels: ['Near', 'Far'], rank: [1, 0] });
		expect(orderedLevels(['Blue', 'Red']).levels).toEqual(['Blue', 'Red']);
		// Swapping two names must not rename twice.
		expect(renameIn('"A" is larger than "B"; A again.', ['A', 'B'], ['B', 'A'])).toBe(
			'"B" is larger than "A"; B again.'
		);
		expect(
			renameIn('Night owls and Night owls plus', ['Night owls', 'Night owls plus'], ['X', 'Y'])
		).toBe('X and Y');
		expect(featureValue({ kind: 'categorical', levels: ['Low', 'Medium', 'High'] }, 1.3)).toBe(
			'Medium (1.3)'
		);
		expect(featureValue({ kind: 'numeric', levels: null }, 23.456)).toBe('23.5');
	});
});
