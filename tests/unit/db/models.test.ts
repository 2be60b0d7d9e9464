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
	type DatasetRecord,
	type NewModelRecord
} from '$lib/db';
import {
	importModelRecord,
	listVersions,
	renameModel,
	updateModelNotes,
	type ImportedModel
} from '$lib/db/models';
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

function dataset(id: string, columns: string[], staged = false): DatasetRecord {
	return {
		id,
		name: `Class ${id}`,
		description: '',
		profile: null,
		source: 'upload',
		fileName: null,
		nRows: 10,
		columns: columns.map((name) => ({
			name,
			kind: 'numeric',
			type: 'number',
			role: 'feature',
			missingCount: 0,
			dictionarySize: 0
		})),
		target: null,
		chunkRows: 65536,
		nChunks: 1,
		sizeBytes: 80 * columns.length,
		createdAt: 1,
		updatedAt: 1,
		staged
	};
}

function imported(target = 'final_exam'): ImportedModel {
	const { datasetId, ...rest } = model('elsewhere', target);
	void datasetId;
	return { ...rest, name: 'Imported', notes: 'from the other laptop' };
}

async function activeCount(db: ClasslensDB, datasetId: string, target: string) {
	return (await activeVersions(db, datasetId, target)).length;
}

describe('model registry: editing, rollback and import', () => {
	it('activate / roll back / delete keep exactly one active version', async () => {
		const db = setup();
		const vs = [];
		for (let i = 0; i < 4; i++) vs.push(await saveModel(db, model('d', 't')));
		for (const target of [vs[0], vs[2], vs[3], vs[1], vs[1]]) {
			await activateModel(db, target.id);
			expect(await activeVersions(db, 'd', 't')).toEqual([target.version]);
		}
		// v2 active; deleting v4 (inactive) leaves v2; deleting v2 promotes the highest left (v3).
		await deleteModel(db, vs[3].id);
		expect(await activeVersions(db, 'd', 't')).toEqual([2]);
		await deleteModel(db, vs[1].id);
		expect(await activeVersions(db, 'd', 't')).toEqual([3]);
		await activateModel(db, vs[0].id);
		await deleteModel(db, vs[0].id);
		expect(await activeVersions(db, 'd', 't')).toEqual([3]);
		// A new save after deletions continues from the highest remaining version.
		expect((await saveModel(db, model('d', 't'))).version).toBe(4);
		expect(await activeCount(db, 'd', 't')).toBe(1);
	});

	it('lists versions oldest first', async () => {
		const db = setup();
		for (let i = 0; i < 3; i++) await saveModel(db, model('d', 't'));
		await saveModel(db, model('d', 'other'));
		const first = (await listVersions(db, 'd', 't'))[0];
		await activateModel(db, first.id);
		expect((await listVersions(db, 'd', 't')).map((m) => [m.version, m.active])).toEqual([
			[1, true],
			[2, false],
			[3, false]
		]);
		expect(await listVersions(db, 'nope', 't')).toEqual([]);
	});

	it('edits notes and names without touching anything else', async () => {
		const db = setup();
		const v1 = await saveModel(db, model('d', 't'));
		const v2 = await saveModel(db, model('d', 't'));
		const noted = await updateModelNotes(
			db,
			v1.id,
			'Worse on term 2 — keep for reference.\nLine 2'
		);
		expect(noted.notes).toBe('Worse on term 2 — keep for reference.\nLine 2');
		const renamed = await renameModel(db, v1.id, '   Term 1   boosting  ');
		expect(renamed.name).toBe('Term 1 boosting');
		const stored = await getModel(db, v1.id);
		expect(stored).toEqual({ ...v1, active: false, notes: noted.notes, name: 'Term 1 boosting' });
		expect((await getModel(db, v2.id))?.active).toBe(true);
		await updateModelNotes(db, v1.id, '');
		expect((await getModel(db, v1.id))?.notes).toBe('');

		for (const bad of ['', '   ', 'x'.repeat(121)]) {
			const e = await renameModel(db, v1.id, bad).catch((x: unknown) => x);
			expect(e).toBeInstanceOf(AppException);
			expect((e as AppException).appError.code).toMatch(/^model-name-/);
		}
		expect((await getModel(db, v1.id))?.name).toBe('Term 1 boosting');
		for (const op of [
			() => updateModelNotes(db, 'gone', 'x'),
			() => renameModel(db, 'gone', 'x')
		]) {
			const e = await op().catch((x: unknown) => x);
			expect((e as AppException).appError.code).toBe('model-not-found');
		}
	});

	it('imports as the next version, inactive unless nothing is active', async () => {
		const db = setup();
		await db.datasets.bulkAdd([
			dataset('d1', ['attendance', 'cats', 'final_exam']),
			dataset('d2', ['attendance']),
			dataset('d3', ['attendance', 'cats'], true)
		]);
		// First model for the pair: it becomes active.
		const first = await importModelRecord(db, imported(), { datasetId: 'd1' });
		expect([first.version, first.active, first.datasetId]).toEqual([1, true, 'd1']);
		expect(first.notes).toBe('from the other laptop');
		const trained = await saveModel(db, model('d1', 'final_exam'));
		expect(trained.version).toBe(2);
		const second = await importModelRecord(db, imported(), { datasetId: 'd1' });
		expect([second.version, second.active]).toEqual([3, false]);
		expect(await activeVersions(db, 'd1', 'final_exam')).toEqual([2]);
		expect((await getModel(db, second.id))?.artifact).toEqual(imported().artifact);
		// The target column need not be in the dataset (it may be derived), but the features must.
		const other = await importModelRecord(db, imported('grade'), { datasetId: 'd1' });
		expect([other.version, other.active]).toEqual([1, true]);

		const missing = await importModelRecord(db, imported(), { datasetId: 'd2' }).catch(
			(x: unknown) => x
		);
		expect((missing as AppException).appError.code).toBe('model-columns-missing');
		expect((missing as AppException).appError.message).toContain('"cats"');
		// A column only the artifact reads counts too.
		const reads = { ...imported(), artifact: { features: ['attendance', 'absences'] } };
		const e2 = await importModelRecord(db, reads, { datasetId: 'd1' }).catch((x: unknown) => x);
		expect((e2 as AppException).appError.details?.missing).toBe('absences');
		for (const id of ['d3', 'gone']) {
			const e = await importModelRecord(db, imported(), { datasetId: id }).catch((x: unknown) => x);
			expect((e as AppException).appError.code).toBe('dataset-not-found');
		}
		expect(await db.models.where('datasetId').anyOf('d2', 'd3').count()).toBe(0);
	});

	it('concurrent imports and saves still get distinct versions and one active model', async () => {
		const db = setup();
		await db.datasets.add(dataset('d', ['attendance', 'cats']));
		const done = await Promise.all(
			Array.from({ length: 6 }, (_, i) =>
				i % 2 === 0
					? importModelRecord(db, imported('t'), { datasetId: 'd' })
					: saveModel(db, model('d', 't'))
			)
		);
		expect(done.map((m) => m.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
		expect(await activeCount(db, 'd', 't')).toBe(1);
	});
});
