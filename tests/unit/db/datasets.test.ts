import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
	deleteDataset,
	getDataset,
	listDatasets,
	loadFrame,
	renameDataset,
	saveFrameAsDataset,
	saveModel,
	setDatasetTarget,
	updateColumnRoles,
	byteSizeOfDataset,
	estimateFrameBytes,
	type ClasslensDB
} from '$lib/db';
import { buildDatasetRecord } from '$lib/db/datasets';
import { AppException } from '$lib/errors';
import {
	categoricalColumn,
	makeFrame,
	numericColumn,
	sliceRows,
	MISSING_CODE
} from '$lib/ml/frame';
import type { Progress } from '$lib/ml/progress';
import { expectSameFrame, freshDb, sampleFrame } from './helpers';

let close = () => {};
afterEach(() => close());

function setup(): ClasslensDB {
	const f = freshDb();
	close = f.close;
	return f.db;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
	try {
		await p;
	} catch (e) {
		if (e instanceof AppException) return e.appError.code;
		throw e;
	}
	throw new Error('expected a rejection');
}

describe('saveFrameAsDataset / loadFrame', () => {
	it('round-trips every cell and dictionary across several chunks', async () => {
		const db = setup();
		const frame = sampleFrame(50);
		const progress: Progress[] = [];
		const rec = await saveFrameAsDataset(
			db,
			frame,
			{ name: 'Year 9 maths', source: 'upload', fileName: 'marks.csv', target: 'score' },
			{ chunkRows: 7, onProgress: (p) => progress.push(p) }
		);
		expect(rec.nRows).toBe(50);
		expect(rec.nChunks).toBe(8);
		expect(rec.chunkRows).toBe(7);
		expect(await db.chunks.where('datasetId').equals(rec.id).count()).toBe(8 * 4);
		expect(await db.dictionaries.where('datasetId').equals(rec.id).count()).toBe(2);
		// The last chunk is partial: 50 = 7 * 7 + 1.
		expect((await db.chunks.get([rec.id, 1, 7]))?.data.length).toBe(1);

		const loaded = await loadFrame(db, rec.id);
		expectSameFrame(loaded, frame);
		expect(loaded.columns[3].kind === 'categorical' && loaded.columns[3].codes[3]).toBe(
			MISSING_CODE
		);
		expect(progress[0].fraction).toBe(0);
		expect(progress.at(-1)?.fraction).toBe(1);
		expect(progress.every((p, i) => i === 0 || p.fraction >= progress[i - 1].fraction)).toBe(true);
	});

	it('stores column metadata: roles, missing counts, dictionary sizes, size estimate', async () => {
		const db = setup();
		const frame = sampleFrame(50);
		const rec = await saveFrameAsDataset(
			db,
			frame,
			{ name: '  Class A ', source: 'demo', target: 'score' },
			{ chunkRows: 7 }
		);
		expect(rec.name).toBe('Class A');
		expect(rec.target).toBe('score');
		expect(rec.columns).toEqual([
			{
				name: 'student_id',
				kind: 'categorical',
				type: 'identifier',
				role: 'id',
				missingCount: 0,
				dictionarySize: 50
			},
			{
				name: 'score',
				kind: 'numeric',
				type: 'number',
				role: 'target',
				missingCount: 6,
				dictionarySize: 0
			},
			{
				name: 'year',
				kind: 'numeric',
				type: 'integer',
				role: 'feature',
				missingCount: 0,
				dictionarySize: 0
			},
			{
				name: 'grade',
				kind: 'categorical',
				type: 'category',
				role: 'feature',
				missingCount: 5,
				dictionarySize: 4
			}
		]);
		expect(rec.sizeBytes).toBe(estimateFrameBytes(frame));
		expect(await byteSizeOfDataset(db, rec.id)).toBe(rec.sizeBytes);
		expect(await getDataset(db, rec.id)).toEqual(rec);
	});

	it('takes missing counts the caller has made, one per column, and counts them otherwise', () => {
		const frame = sampleFrame(50);
		const meta = { name: 'c', source: 'upload' as const };
		const counts = (m: Parameters<typeof buildDatasetRecord>[1]) =>
			buildDatasetRecord(frame, m).columns.map((c) => c.missingCount);
		expect(counts(meta)).toEqual([0, 6, 0, 5]);
		expect(counts({ ...meta, missingCounts: [0, 6, 0, 5] })).toEqual([0, 6, 0, 5]);
		// A list that does not fit the frame is ignored rather than trusted.
		expect(counts({ ...meta, missingCounts: [9, 9] })).toEqual([0, 6, 0, 5]);
	});

	it('honours explicit roles and infers the target from them', async () => {
		const db = setup();
		const rec = await saveFrameAsDataset(db, sampleFrame(10), {
			name: 'x',
			source: 'upload',
			roles: { year: 'group', grade: 'target', student_id: 'ignore' }
		});
		expect(rec.target).toBe('grade');
		expect(rec.columns.map((c) => c.role)).toEqual(['ignore', 'feature', 'group', 'target']);
	});

	it('rejects unknown columns, bad roles and inconsistent frames', async () => {
		const db = setup();
		const f = sampleFrame(10);
		expect(
			await codeOf(saveFrameAsDataset(db, f, { name: 'x', source: 'upload', target: 'nope' }))
		).toBe('column-not-found');
		expect(
			await codeOf(
				saveFrameAsDataset(db, f, {
					name: 'x',
					source: 'upload',
					roles: { score: 'boss' as never }
				})
			)
		).toBe('invalid-role');
		const bad = makeFrame([categoricalColumn('g', ['a', 'b'])]);
		if (bad.columns[0].kind === 'categorical') bad.columns[0].codes[1] = 7;
		expect(await codeOf(saveFrameAsDataset(db, bad, { name: 'x', source: 'upload' }))).toBe(
			'invalid-frame'
		);
		expect(await db.datasets.count()).toBe(0);
	});

	it('round-trips an empty frame and a frame with no rows', async () => {
		const db = setup();
		const empty = makeFrame([]);
		const a = await saveFrameAsDataset(db, empty, { name: 'empty', source: 'upload' });
		expectSameFrame(await loadFrame(db, a.id), empty);
		const noRows = makeFrame([numericColumn('x', []), categoricalColumn('g', [])]);
		const b = await saveFrameAsDataset(db, noRows, { name: 'no rows', source: 'upload' });
		expect(b.nChunks).toBe(0);
		expectSameFrame(await loadFrame(db, b.id), noRows);
	});

	it('loads a column subset in the requested order and a row window', async () => {
		const db = setup();
		const frame = sampleFrame(50);
		const rec = await saveFrameAsDataset(
			db,
			frame,
			{ name: 'x', source: 'upload' },
			{ chunkRows: 7 }
		);

		const cols = await loadFrame(db, rec.id, { columns: ['grade', 'score'] });
		expectSameFrame(cols, { nRows: 50, columns: [frame.columns[3], frame.columns[1]] });

		for (const [s, e] of [
			[0, 7],
			[3, 4],
			[6, 15],
			[13, 50],
			[49, 50],
			[20, 20],
			[-5, 500]
		] as [number, number][]) {
			const got = await loadFrame(db, rec.id, { rows: [s, e] });
			expectSameFrame(got, sliceRows(frame, s, e));
		}
		const both = await loadFrame(db, rec.id, { columns: ['year'], rows: [10, 30] });
		expectSameFrame(both, sliceRows({ nRows: 50, columns: [frame.columns[2]] }, 10, 30));
	});

	it('reads only the chunks a row window needs', async () => {
		const db = setup();
		const rec = await saveFrameAsDataset(
			db,
			sampleFrame(50),
			{ name: 'x', source: 'upload' },
			{
				chunkRows: 7
			}
		);
		const requested: unknown[][] = [];
		const original = db.chunks.bulkGet.bind(db.chunks);
		db.chunks.bulkGet = ((keys: unknown[]) => {
			requested.push(keys);
			return original(keys as never);
		}) as typeof db.chunks.bulkGet;
		await loadFrame(db, rec.id, { columns: ['score'], rows: [15, 22] });
		expect(requested).toEqual([
			[
				[rec.id, 1, 2],
				[rec.id, 1, 3]
			]
		]);
	});

	it('reports missing datasets, unknown columns and damaged chunks as AppErrors', async () => {
		const db = setup();
		expect(await codeOf(loadFrame(db, 'nope'))).toBe('dataset-not-found');
		const rec = await saveFrameAsDataset(
			db,
			sampleFrame(20),
			{ name: 'x', source: 'upload' },
			{
				chunkRows: 7
			}
		);
		expect(await codeOf(loadFrame(db, rec.id, { columns: ['nope'] }))).toBe('column-not-found');
		await db.chunks.delete([rec.id, 1, 1]);
		expect(await codeOf(loadFrame(db, rec.id))).toBe('dataset-corrupt');
		// Columns not touching the damaged chunk still load.
		expect((await loadFrame(db, rec.id, { columns: ['year'] })).nRows).toBe(20);
	});
});

describe('dataset metadata', () => {
	it('lists newest first, renames, and keeps target and roles consistent', async () => {
		const db = setup();
		const a = await saveFrameAsDataset(db, sampleFrame(5), { name: 'A', source: 'upload' });
		await new Promise((r) => setTimeout(r, 5));
		const b = await saveFrameAsDataset(db, sampleFrame(5), { name: 'B', source: 'demo' });
		expect((await listDatasets(db)).map((d) => d.name)).toEqual(['B', 'A']);

		await new Promise((r) => setTimeout(r, 5));
		const renamed = await renameDataset(db, a.id, ' A2 ', 'term 1');
		expect(renamed.name).toBe('A2');
		expect(renamed.description).toBe('term 1');
		expect(renamed.updatedAt).toBeGreaterThan(a.updatedAt);
		expect((await listDatasets(db, { orderBy: 'updatedAt' })).map((d) => d.id)).toEqual([
			a.id,
			b.id
		]);
		expect(await codeOf(renameDataset(db, a.id, '   '))).toBe('invalid-name');
		expect(await codeOf(renameDataset(db, 'missing', 'x'))).toBe('dataset-not-found');

		let d = await setDatasetTarget(db, a.id, 'score');
		expect(d.target).toBe('score');
		expect(d.columns.find((c) => c.name === 'score')?.role).toBe('target');
		d = await setDatasetTarget(db, a.id, 'grade');
		expect(d.columns.map((c) => c.role)).toEqual(['id', 'feature', 'feature', 'target']);
		d = await setDatasetTarget(db, a.id, null);
		expect(d.target).toBeNull();
		expect(d.columns.map((c) => c.role)).toEqual(['id', 'feature', 'feature', 'feature']);
		expect(await codeOf(setDatasetTarget(db, a.id, 'nope'))).toBe('column-not-found');

		d = await updateColumnRoles(db, a.id, { year: 'target', grade: 'sensitive' });
		expect(d.target).toBe('year');
		expect(d.columns.map((c) => c.role)).toEqual(['id', 'feature', 'target', 'sensitive']);
		d = await updateColumnRoles(db, a.id, { year: 'feature' });
		expect(d.target).toBeNull();
		expect(await codeOf(updateColumnRoles(db, a.id, { nope: 'id' }))).toBe('column-not-found');
	});

	it('deleteDataset removes the dataset and everything derived from it, only for that id', async () => {
		const db = setup();
		const keep = await saveFrameAsDataset(
			db,
			sampleFrame(20),
			{ name: 'keep', source: 'upload' },
			{
				chunkRows: 7
			}
		);
		const gone = await saveFrameAsDataset(
			db,
			sampleFrame(20),
			{ name: 'gone', source: 'upload' },
			{
				chunkRows: 7
			}
		);
		for (const ds of [keep, gone]) {
			const m = await saveModel(db, {
				datasetId: ds.id,
				target: 'score',
				task: 'regression',
				family: 'ridge',
				name: 'm',
				features: ['year'],
				params: {},
				metrics: {},
				baseline: {},
				artifact: { w: [1] },
				trainSeconds: 0,
				notes: ''
			});
			await db.predictions.add({
				id: `p-${ds.id}`,
				modelId: m.id,
				datasetId: ds.id,
				at: 1,
				label: 'batch',
				rows: null,
				outputs: new Float64Array(20),
				nOutputs: 1,
				classes: null
			});
			await db.clusterings.add({
				id: `c-${ds.id}`,
				datasetId: ds.id,
				algorithm: 'kmeans',
				params: { k: 2 },
				features: ['score'],
				k: 2,
				assignments: new Uint32Array(20),
				metrics: {},
				names: ['a', 'b'],
				notes: '',
				createdAt: 1
			});
			await db.interventions.add({
				id: `i-${ds.id}`,
				datasetId: ds.id,
				studentId: 'S1000',
				type: 'meeting',
				date: 1,
				note: '',
				createdAt: 1
			});
			await db.actuals.add({
				datasetId: ds.id,
				studentId: 'S1000',
				target: 'score',
				value: 55,
				source: 'edit',
				at: 1
			});
			await db.studyPlans.add({
				id: `s-${ds.id}`,
				datasetId: ds.id,
				studentId: 'S1000',
				subject: 'Maths',
				title: 'Fractions',
				note: '',
				link: null,
				createdAt: 1,
				updatedAt: 1
			});
			await db.predictionLog.add({
				at: 1,
				modelId: m.id,
				modelName: 'm',
				modelVersion: 1,
				datasetId: ds.id,
				kind: 'single',
				studentId: 'S1000',
				input: { year: 1 },
				output: { value: 50 },
				predictionId: null,
				latencyMs: 1
			});
		}
		await deleteDataset(db, gone.id);
		expect(await getDataset(db, gone.id)).toBeUndefined();
		for (const t of [
			db.chunks,
			db.dictionaries,
			db.models,
			db.predictions,
			db.clusterings,
			db.interventions,
			db.actuals,
			db.studyPlans,
			db.predictionLog
		]) {
			expect(await t.where('datasetId').equals(gone.id).count(), t.name).toBe(0);
			expect(await t.where('datasetId').equals(keep.id).count(), t.name).toBeGreaterThan(0);
		}
		expectSameFrame(await loadFrame(db, keep.id), sampleFrame(20));
		await deleteDataset(db, gone.id); // idempotent
	});
});
