import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
	activateModel,
	deleteModel,
	getActiveModel,
	getModel,
	listModels,
	saveModel,
	type ClasslensDB,
	type NewModelRecord
} from '$lib/db';
import { AppException } from '$lib/errors';
import { freshDb } from './helpers';

let close = () => {};
afterEach(() => close());

function setup(): ClasslensDB {
	const f = freshDb();
	close = f.close;
	return f.db;
}

function model(datasetId: string, target: string, family = 'gbdt'): NewModelRecord {
	return {
		datasetId,
		target,
		task: 'regression',
		family,
		name: `${family} for ${target}`,
		features: ['attendance', 'cats'],
		params: { rounds: 100, leaves: 31 },
		metrics: { rmse: 4.2, r2: 0.61 },
		baseline: { rmse: 7.9, r2: 0 },
		artifact: { trees: [{ split: 0, threshold: 0.5 }], pipeline: { scale: [1, 2] } },
		history: [{ epoch: 1, loss: 0.5, valLoss: 0.6 }],
		backend: 'wasm',
		trainSeconds: 1.25,
		notes: ''
	};
}

async function activeVersions(db: ClasslensDB, datasetId: string, target: string) {
	return (await listModels(db, { datasetId, target }))
		.filter((m) => m.active)
		.map((m) => m.version);
}

describe('model registry', () => {
	it('versions per dataset + target, keeps one active, and rolls back', async () => {
		const db = setup();
		const v1 = await saveModel(db, model('d1', 'final_exam'));
		const v2 = await saveModel(db, model('d1', 'final_exam', 'mlp'));
		const v3 = await saveModel(db, model('d1', 'final_exam', 'ridge'));
		const other = await saveModel(db, model('d1', 'final_grade'));
		const elsewhere = await saveModel(db, model('d2', 'final_exam'));
		expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
		expect([other.version, elsewhere.version]).toEqual([1, 1]);
		expect(await activeVersions(db, 'd1', 'final_exam')).toEqual([3]);
		expect((await getActiveModel(db, 'd1', 'final_exam'))?.id).toBe(v3.id);

		// Rollback to v1.
		const back = await activateModel(db, v1.id);
		expect(back.active).toBe(true);
		expect(await activeVersions(db, 'd1', 'final_exam')).toEqual([1]);
		expect((await getActiveModel(db, 'd1', 'final_exam'))?.id).toBe(v1.id);
		// Other pairs are untouched.
		expect((await getActiveModel(db, 'd1', 'final_grade'))?.id).toBe(other.id);
		expect((await getActiveModel(db, 'd2', 'final_exam'))?.id).toBe(elsewhere.id);

		// A new save after a rollback still gets the next version number.
		const v4 = await saveModel(db, model('d1', 'final_exam'));
		expect(v4.version).toBe(4);
		expect(await activeVersions(db, 'd1', 'final_exam')).toEqual([4]);

		const stored = await getModel(db, v2.id);
		expect(stored?.artifact).toEqual(model('d1', 'final_exam').artifact);
		expect(stored?.history).toEqual([{ epoch: 1, loss: 0.5, valLoss: 0.6 }]);
	});

	it('can save without activating, except the first version', async () => {
		const db = setup();
		const v1 = await saveModel(db, model('d', 't'), { activate: false });
		expect(v1.active).toBe(true);
		const v2 = await saveModel(db, model('d', 't'), { activate: false });
		expect(v2.active).toBe(false);
		expect((await getActiveModel(db, 'd', 't'))?.id).toBe(v1.id);
	});

	it('concurrent saves get distinct versions and one active model', async () => {
		const db = setup();
		const saved = await Promise.all(
			Array.from({ length: 6 }, () => saveModel(db, model('d', 't')))
		);
		expect(saved.map((m) => m.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
		expect(await activeVersions(db, 'd', 't')).toEqual([6]);
	});

	it('lists newest first with filters', async () => {
		const db = setup();
		await saveModel(db, model('d1', 'a'));
		await saveModel(db, model('d1', 'b'));
		await saveModel(db, model('d2', 'a'));
		expect((await listModels(db)).length).toBe(3);
		expect((await listModels(db, { datasetId: 'd1' })).map((m) => m.target).sort()).toEqual([
			'a',
			'b'
		]);
		expect((await listModels(db, { target: 'a' })).map((m) => m.datasetId).sort()).toEqual([
			'd1',
			'd2'
		]);
		const list = await listModels(db);
		for (let i = 1; i < list.length; i++) {
			expect(list[i - 1].createdAt).toBeGreaterThanOrEqual(list[i].createdAt);
		}
	});

	it('deleting the active model activates the latest remaining one and removes its predictions', async () => {
		const db = setup();
		const v1 = await saveModel(db, model('d', 't'));
		const v2 = await saveModel(db, model('d', 't'));
		const v3 = await saveModel(db, model('d', 't'));
		await activateModel(db, v2.id);
		await db.predictions.add({
			id: 'p',
			modelId: v2.id,
			datasetId: 'd',
			at: 1,
			label: 'batch',
			rows: new Uint32Array([0, 1]),
			outputs: new Float64Array([0.2, 0.9]),
			nOutputs: 1,
			classes: null
		});
		await deleteModel(db, v2.id);
		expect(await getModel(db, v2.id)).toBeUndefined();
		expect(await db.predictions.count()).toBe(0);
		expect((await getActiveModel(db, 'd', 't'))?.id).toBe(v3.id);
		await deleteModel(db, v1.id); // inactive: v3 stays active
		expect((await getActiveModel(db, 'd', 't'))?.id).toBe(v3.id);
		await deleteModel(db, v3.id);
		expect(await getActiveModel(db, 'd', 't')).toBeUndefined();
		await deleteModel(db, 'missing');
	});

	it('activating an unknown model is a model-not-found AppError', async () => {
		const db = setup();
		const e = await activateModel(db, 'nope').catch((x: unknown) => x);
		expect(e).toBeInstanceOf(AppException);
		expect((e as AppException).appError.code).toBe('model-not-found');
	});
});
