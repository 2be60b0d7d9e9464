/**
 * Upgrade path: a database written by the v1 schema (as an installed copy of the app may have
 * it) is opened by the current code. Nothing may be lost, and v2's data migration must fill in
 * what v1 lacked.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
	closeDb,
	CURRENT_VERSION,
	estimateFrameBytes,
	getActiveModel,
	getSetting,
	listEvents,
	loadFrame,
	openDb
} from '$lib/db';
import { SCHEMA_V1, type ChunkRecordV1, type DatasetRecordV1 } from '$lib/db/migrations';
import { categoricalColumn, makeFrame, numericColumn, sliceRows, type Frame } from '$lib/ml/frame';
import { expectSameFrame } from './helpers';

const names: string[] = [];
afterEach(() => {
	for (const n of names.splice(0)) closeDb(n);
});

function dbName(): string {
	const n = `classlens-migration-${Math.random().toString(36).slice(2)}`;
	names.push(n);
	return n;
}

/** Writes `frame` the way v1 did: chunks plus dictionaries as chunk -1 in the same store. */
function v1Chunks(id: string, frame: Frame, chunkRows: number): ChunkRecordV1[] {
	const out: ChunkRecordV1[] = [];
	frame.columns.forEach((c, column) => {
		const data = c.kind === 'numeric' ? c.values : c.codes;
		for (let k = 0; k * chunkRows < frame.nRows; k++) {
			out.push({
				datasetId: id,
				column,
				chunk: k,
				data: data.slice(k * chunkRows, (k + 1) * chunkRows)
			});
		}
		if (c.kind === 'categorical')
			out.push({ datasetId: id, column, chunk: -1, dictionary: c.dictionary });
	});
	return out;
}

function v1Dataset(id: string, frame: Frame, extra: Partial<DatasetRecordV1>): DatasetRecordV1 {
	return {
		id,
		name: `dataset ${id}`,
		source: 'upload',
		nRows: frame.nRows,
		columns: frame.columns.map((c) => ({
			name: c.name,
			kind: c.kind,
			type: c.type,
			dictionarySize: c.kind === 'categorical' ? c.dictionary.length : 0
		})),
		target: null,
		chunkRows: 5,
		nChunks: Math.ceil(frame.nRows / 5),
		createdAt: 1_700_000_000_000,
		...extra
	};
}

const frameA = makeFrame([
	categoricalColumn(
		'student_id',
		Array.from({ length: 12 }, (_, i) => `S${i}`),
		'identifier'
	),
	numericColumn('score', [50, NaN, 61.5, 70, NaN, 88, 90, 45, 30, NaN, 77, 66]),
	categoricalColumn('grade', ['B', 'C', null, 'A', 'A', null, 'B', 'D', 'E', 'C', null, 'B'])
]);
const frameB = makeFrame([
	numericColumn('attendance', [0.9, 0.8, NaN], 'number'),
	categoricalColumn('gender', ['f', 'm', null])
]);

describe('schema migration v1 → current', () => {
	it('keeps every record and upgrades datasets, dictionaries and indexes', async () => {
		const name = dbName();
		const v1 = new Dexie(name);
		v1.version(1).stores(SCHEMA_V1);
		await v1.open();
		await v1.table('datasets').bulkAdd([
			v1Dataset('a', frameA, { target: 'score', description: 'term 1', fileName: 'a.csv' }),
			v1Dataset('b', frameB, {
				roles: { gender: 'sensitive', attendance: 'ignore' },
				createdAt: 5
			})
		]);
		await v1.table('chunks').bulkAdd([...v1Chunks('a', frameA, 5), ...v1Chunks('b', frameB, 5)]);
		await v1.table('models').add({
			id: 'm1',
			datasetId: 'a',
			target: 'score',
			task: 'regression',
			family: 'gbdt',
			version: 1,
			active: true,
			name: 'GBDT',
			features: ['grade'],
			params: {},
			metrics: { rmse: 3 },
			baseline: { rmse: 9 },
			artifact: { trees: [] },
			trainSeconds: 2,
			notes: '',
			createdAt: 10
		});
		await v1.table('interventions').add({
			id: 'i1',
			datasetId: 'a',
			studentId: 'S3',
			type: 'meeting',
			date: 20,
			note: 'Talked about homework',
			createdAt: 20
		});
		await v1.table('audit').bulkAdd([
			{ at: 1, type: 'import', summary: 'Imported 12 rows' },
			{ at: 2, type: 'train', summary: 'Trained GBDT' },
			{ at: 3, type: 'import', summary: 'Imported 3 rows' }
		]);
		await v1.table('settings').put({ key: 'backend.preference', value: 'wasm' });
		v1.close();

		const db = openDb(name);
		await db.open();
		expect(db.verno).toBe(CURRENT_VERSION);

		const a = await db.datasets.get('a');
		expect(a).toMatchObject({
			description: 'term 1',
			profile: null,
			fileName: 'a.csv',
			target: 'score',
			updatedAt: 1_700_000_000_000,
			sizeBytes: estimateFrameBytes(frameA)
		});
		expect(a?.columns.map((c) => [c.name, c.role, c.missingCount, c.dictionarySize])).toEqual([
			['student_id', 'id', 0, 12],
			['score', 'target', 3, 0],
			['grade', 'feature', 3, 5]
		]);
		expect(a && 'roles' in a).toBe(false);
		const b = await db.datasets.get('b');
		expect(b?.description).toBe('');
		expect(b?.fileName).toBeNull();
		expect(b?.columns.map((c) => [c.role, c.missingCount])).toEqual([
			['ignore', 1],
			['sensitive', 1]
		]);

		// Dictionaries moved out of the chunk store.
		expect(await db.dictionaries.count()).toBe(3);
		expect((await db.dictionaries.get(['a', 2]))?.values).toEqual(['B', 'C', 'A', 'D', 'E']);
		expect((await db.chunks.toArray()).every((c) => c.chunk >= 0 && 'data' in c)).toBe(true);

		// The data itself reads back exactly through the current code.
		expectSameFrame(await loadFrame(db, 'a'), frameA);
		expectSameFrame(await loadFrame(db, 'b'), frameB);
		expectSameFrame(
			await loadFrame(db, 'a', { columns: ['grade'], rows: [4, 11] }),
			sliceRows({ nRows: 12, columns: [frameA.columns[2]] }, 4, 11)
		);

		// Everything else survived, and the new indexes work on old rows.
		expect((await getActiveModel(db, 'a', 'score'))?.artifact).toEqual({ trees: [] });
		expect(await getSetting(db, 'backend.preference', 'auto')).toBe('wasm');
		expect(
			(await db.interventions.where('[datasetId+studentId]').equals(['a', 'S3']).toArray()).length
		).toBe(1);
		expect((await listEvents(db, { type: 'import' })).map((e) => e.at)).toEqual([3, 1]);
		expect((await db.datasets.orderBy('updatedAt').toArray()).map((d) => d.id)).toEqual(['b', 'a']);

		// Re-opening an upgraded database changes nothing.
		closeDb(name);
		const again = openDb(name);
		expect(await again.datasets.get('a')).toEqual(a);
	});

	it('creates a fresh database directly at the current version', async () => {
		const name = dbName();
		const db = openDb(name);
		await db.open();
		expect(db.verno).toBe(CURRENT_VERSION);
		expect(db.tables.map((t) => t.name).sort()).toEqual(
			[
				'actuals',
				'audit',
				'chunks',
				'clusterings',
				'datasets',
				'dictionaries',
				'interventions',
				'models',
				'outcomeChecks',
				'predictionLog',
				'predictions',
				'settings',
				'studyPlans'
			].sort()
		);
	});
});
