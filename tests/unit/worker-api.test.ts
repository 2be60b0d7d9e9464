import 'fake-indexeddb/auto';
import { value, workerApiOnFakeDb } from './helpers/worker-api';
import { describe, expect, it, vi } from 'vitest';
import * as Comlink from 'comlink';
import { getModel, listEvents, listModels, getDataset } from '../../src/lib/db';
import type { Progress } from '../../src/lib/ml/progress';
import type { WorkerApi } from '../../src/lib/worker/api';

function setup() {
	return workerApiOnFakeDb('worker-api-test');
}

describe('worker API (in Node, real db on fake-indexeddb, cpu backend)', () => {
	it('answers ping and reports its backend in words', async () => {
		const { api } = setup();
		expect(await api.ping()).toBe('pong');
		const info = await api.getBackendInfo();
		expect(info.active).toBe('cpu');
		expect(info.reason).toMatch(/^CPU was fastest in a quick test/);
		expect((await api.setBackendPreference('cpu')).reason).toBe('You chose CPU in Settings.');
		expect((await api.reprobeBackends()).active).toBe('cpu');
	});

	it('creates the demo class, then trains and saves a quick model end to end', async () => {
		const { api, db } = setup();
		const demoProgress: Progress[] = [];
		const created = value(
			await api.createDemoDataset('marks', { seed: 1, canary: 'CANARY-123' }, (p) =>
				demoProgress.push(p)
			)
		);
		const ds = await getDataset(db, created.datasetId);
		expect(ds?.nRows).toBe(240);
		expect(ds?.target).toBe('final_exam');
		expect(demoProgress.at(-1)).toMatchObject({ fraction: 1 });

		const preview = value(
			await api.previewTraining({ datasetId: created.datasetId, target: 'final_exam' })
		);
		expect(preview.task).toBe('regression');
		expect(preview.defaults).toEqual(
			ds?.columns.filter((c) => c.role === 'feature').map((c) => c.name)
		);
		expect(preview.validation.scheme).toBe('kfold');
		expect(preview.nLabelled).toBe(240);
		expect(preview.suggestions?.boundaries.length).toBeGreaterThan(1);

		const progress: Progress[] = [];
		const trained = value(
			await api.trainModels(
				{
					datasetId: created.datasetId,
					target: 'final_exam',
					seed: 3,
					families: ['linear', 'mlp'],
					auto: false,
					params: { mlp: { epochs: 10, hidden: [16] } }
				},
				(p) => progress.push(p),
				'train-1'
			)
		);
		expect(trained.task).toBe('regression');
		expect(trained.backend).toBe('cpu');

		const model = await getModel(db, trained.modelId);
		expect(model).toMatchObject({ task: 'regression', active: true, version: 1 });
		expect(model?.family).toBe(trained.family);
		expect(model?.metrics.rmse).toBeLessThan(0.7 * (model?.baseline.rmse ?? 0));
		expect(model?.features).toEqual(preview.defaults);
		expect(model?.training?.leaderboard.map((c) => c.family).sort()).toEqual([
			'baseline',
			'linear',
			'mlp'
		]);
		expect(model?.training?.validation.k).toBe(5);
		// The artifact and the summary must survive JSON (export/import of models) unchanged.
		expect(JSON.parse(JSON.stringify(model?.artifact))).toEqual(model?.artifact);
		expect(JSON.parse(JSON.stringify(model?.training?.diagnostics))).toEqual(
			model?.training?.diagnostics
		);

		expect(progress[0].fraction).toBe(0);
		expect(progress.at(-1)).toMatchObject({ fraction: 1, phase: 'Done' });
		expect(progress.some((p) => /fold \d of 5/.test(p.phase))).toBe(true);
		expect(progress.some((p) => /epoch \d+ of \d+/.test(p.phase))).toBe(true);

		const again = value(
			await api.trainModels(
				{ datasetId: created.datasetId, target: 'final_exam', families: ['linear'] },
				undefined,
				'train-2'
			)
		);
		expect((await getModel(db, again.modelId))?.version).toBe(2);
		expect(again.backend).toBeNull();

		const events = await listEvents(db);
		expect(events.map((e) => e.type).sort()).toEqual([
			'dataset.demo-created',
			'model.trained',
			'model.trained'
		]);
		for (const e of events) expect(e.summary).not.toContain('CANARY');
	});

	it('groups folds by student and classifies a categorical target', async () => {
		const { api, db } = setup();
		const { datasetId } = value(await api.createDemoDataset('course-records', { seed: 2 }));
		const preview = value(await api.previewTraining({ datasetId, target: 'final_grade' }));
		expect(preview.task).toBe('multiclass');
		expect(preview.validation.scheme).toBe('group-kfold');
		expect(preview.balance?.counts.reduce((a, b) => a + b, 0)).toBe(preview.nLabelled);
		// final_grade is derived from final_marks, the dataset's own target: never a default input.
		expect(preview.defaults).not.toContain('final_marks');
		const r = value(
			await api.trainModels(
				{ datasetId, target: 'final_grade', families: ['gbdt'] },
				undefined,
				'c1'
			)
		);
		expect(r.task).toBe('multiclass');
		const model = await getModel(db, r.modelId);
		expect(model?.metrics.accuracy).toBeGreaterThan(model?.baseline.accuracy ?? 1);
		expect(model?.training?.validation.scheme).toBe('group-kfold');
		expect(model?.features).not.toContain('final_marks');
		expect(model?.training?.classes).toHaveLength(5);
	});

	it('cancel(jobId) stops training with a "cancelled" result and saves nothing', async () => {
		const { api, db } = setup();
		const { datasetId } = value(await api.createDemoDataset('marks', { seed: 1 }));
		const onProgress = vi.fn((p: Progress) => {
			if ((p.detail?.fold ?? 0) >= 2) api.cancel('train-x');
		});
		const r = await api.trainModels(
			{ datasetId, target: 'final_exam', families: ['gbdt', 'rf'] },
			onProgress,
			'train-x'
		);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.error.code).toBe('cancelled');
			expect(r.error.message).toMatch(/cancelled/i);
		}
		expect(await listModels(db, { datasetId })).toHaveLength(0);
	});

	it('a cancel that arrives before the job starts still cancels it', async () => {
		const { api } = setup();
		const { datasetId } = value(await api.createDemoDataset('marks', { seed: 1 }));
		api.cancel('early');
		const r = await api.trainModels({ datasetId, target: 'final_exam' }, undefined, 'early');
		expect(!r.ok && r.error.code).toBe('cancelled');
	});

	it('returns errors as values a teacher can read', async () => {
		const { api } = setup();
		const missing = await api.trainModels({ datasetId: 'nope', target: 'y' }, undefined, 'e1');
		expect(!missing.ok && missing.error).toMatchObject({ code: 'not-found' });
		const { datasetId } = value(await api.createDemoDataset('marks', { seed: 1 }));
		const badTarget = await api.trainModels(
			{ datasetId, target: 'final_exam', features: ['final_exam'] },
			undefined,
			'e2'
		);
		expect(!badTarget.ok && badTarget.error.code).toBe('target-in-features');
		if (!badTarget.ok) expect(badTarget.error.message).toMatch(/both the thing to predict/);
	});
});

describe('worker API over a real comlink channel', () => {
	it('delivers throttled progress through a proxy and releases it afterwards', async () => {
		const { api } = setup();
		const { port1, port2 } = new MessageChannel();
		Comlink.expose(api, port1 as unknown as Comlink.Endpoint);
		const remote = Comlink.wrap<WorkerApi>(port2 as unknown as Comlink.Endpoint);
		try {
			expect(await remote.ping()).toBe('pong');
			const progress: Progress[] = [];
			const started = Date.now();
			const created = await remote.createDemoDataset(
				'marks',
				{ seed: 1 },
				Comlink.proxy((p: Progress) => void progress.push(p))
			);
			expect(created.ok).toBe(true);
			if (!created.ok) return;
			const trainProgress: Progress[] = [];
			const r = await remote.trainModels(
				{ datasetId: created.value.datasetId, target: 'final_exam', families: ['gbdt', 'rf'] },
				Comlink.proxy((p: Progress) => void trainProgress.push(p)),
				'over-comlink'
			);
			expect(r.ok).toBe(true);
			// Give the last progress messages time to arrive, then check the throttle held.
			await new Promise((resolve) => setTimeout(resolve, 50));
			const seconds = (Date.now() - started) / 1000;
			expect(trainProgress.length).toBeGreaterThan(1);
			expect(trainProgress.length).toBeLessThanOrEqual(Math.ceil(seconds * 20) + 3);
			expect(trainProgress.at(-1)?.fraction).toBe(1);
		} finally {
			remote[Comlink.releaseProxy]();
			port1.close();
			port2.close();
		}
	});
});
