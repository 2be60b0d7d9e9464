/**
 * Upgrade v2 → v3: a database written by the v2 schema (the copy most teachers have installed)
 * is opened by the current code. v3 only adds stores, so every v2 record must read back exactly
 * as it was, indexes included, and the new stores must work at once.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
	closeDb,
	CURRENT_VERSION,
	getActiveModel,
	getSetting,
	listEvents,
	loadFrame,
	openDb,
	type DatasetRecord,
	type PredictionRecord
} from '$lib/db';
import { SCHEMA_V2, SCHEMA_V3 } from '$lib/db/migrations';
import { listActuals, setActual } from '$lib/db/outcomes';
import { listPredictionLog, logPrediction } from '$lib/db/prediction-log';
import { addStudyPlan, listStudyPlans } from '$lib/db/study-plans';
import { categoricalColumn, makeFrame, numericColumn } from '$lib/ml/frame';
import { expectSameFrame } from './helpers';

const names: string[] = [];
afterEach(() => {
	for (const n of names.splice(0)) closeDb(n);
});

const frame = makeFrame([
	categoricalColumn('student_id', ['S1', 'S2', 'S3', 'S4', 'S5'], 'identifier'),
	numericColumn('final_exam', [55, NaN, 71.5, 40, 88]),
	categoricalColumn('gender', ['f', null, 'm', 'f', 'm'])
]);

function v2Dataset(): DatasetRecord {
	return {
		id: 'd1',
		name: 'Term 1',
		description: 'kept',
		profile: 'marks',
		source: 'upload',
		fileName: 'term1.csv',
		nRows: 5,
		columns: [
			{
				name: 'student_id',
				kind: 'categorical',
				type: 'identifier',
				role: 'id',
				missingCount: 0,
				dictionarySize: 5
			},
			{
				name: 'final_exam',
				kind: 'numeric',
				type: 'number',
				role: 'target',
				missingCount: 1,
				dictionarySize: 0
			},
			{
				name: 'gender',
				kind: 'categorical',
				type: 'category',
				role: 'sensitive',
				missingCount: 1,
				dictionarySize: 2
			}
		],
		target: 'final_exam',
		chunkRows: 3,
		nChunks: 2,
		sizeBytes: 123,
		createdAt: 100,
		updatedAt: 200
	};
}

describe('schema migration v2 → v3', () => {
	it('adds the outcome stores without touching a byte of the v2 data', async () => {
		expect(CURRENT_VERSION).toBe(3);
		// Everything v2 had is still declared, unchanged, in v3.
		for (const [k, v] of Object.entries(SCHEMA_V2)) {
			expect(SCHEMA_V3[k as keyof typeof SCHEMA_V3]).toBe(v);
		}

		const name = `classlens-v2-${Math.random().toString(36).slice(2)}`;
		names.push(name);
		const v2 = new Dexie(name);
		v2.version(1).stores({});
		v2.version(2).stores(SCHEMA_V2);
		await v2.open();
		await v2.table('datasets').add(v2Dataset());
		const codes = (c: (typeof frame.columns)[number]) =>
			c.kind === 'numeric' ? c.values : c.codes;
		const chunks = frame.columns.flatMap((c, column) => [
			{ datasetId: 'd1', column, chunk: 0, data: codes(c).slice(0, 3) },
			{ datasetId: 'd1', column, chunk: 1, data: codes(c).slice(3) }
		]);
		await v2.table('chunks').bulkAdd(chunks);
		await v2.table('dictionaries').bulkAdd([
			{ datasetId: 'd1', column: 0, values: ['S1', 'S2', 'S3', 'S4', 'S5'] },
			{ datasetId: 'd1', column: 2, values: ['f', 'm'] }
		]);
		await v2.table('models').add({
			id: 'm1',
			datasetId: 'd1',
			target: 'final_exam',
			task: 'regression',
			family: 'linear',
			version: 1,
			active: true,
			name: 'Ridge',
			features: ['gender'],
			params: {},
			metrics: { rmse: 4 },
			baseline: { rmse: 9 },
			artifact: { format: 'classlens-model' },
			trainSeconds: 1,
			notes: 'term 1',
			createdAt: 300
		});
		const prediction: PredictionRecord = {
			id: 'p1',
			modelId: 'm1',
			datasetId: 'd1',
			at: 400,
			label: 'Batch',
			rows: Uint32Array.from([0, 2, 4]),
			outputs: Float64Array.from([50, 70, 90]),
			nOutputs: 1,
			classes: null,
			lower: Float64Array.from([45, 65, 85]),
			upper: Float64Array.from([55, 75, 95])
		};
		await v2.table('predictions').add(prediction);
		await v2.table('clusterings').add({
			id: 'c1',
			datasetId: 'd1',
			algorithm: 'kmeans',
			params: { k: 2 },
			features: ['final_exam'],
			k: 2,
			assignments: Uint32Array.from([0, 1, 0, 1, 0]),
			metrics: { silhouette: 0.5 },
			names: ['A', 'B'],
			notes: '',
			createdAt: 500
		});
		await v2.table('interventions').add({
			id: 'i1',
			datasetId: 'd1',
			studentId: 'S2',
			type: 'meeting',
			date: 600,
			note: 'Homework plan',
			createdAt: 600
		});
		await v2.table('audit').bulkAdd([
			{ at: 1, type: 'import', summary: 'Imported 5 rows', datasetId: 'd1' },
			{ at: 2, type: 'train', summary: 'Trained', modelId: 'm1' }
		]);
		await v2.table('settings').put({ key: 'privacy.minGroupSize', value: 7 });
		const before = {
			datasets: await v2.table('datasets').toArray(),
			chunks: await v2.table('chunks').toArray(),
			dictionaries: await v2.table('dictionaries').toArray(),
			models: await v2.table('models').toArray(),
			predictions: await v2.table('predictions').toArray(),
			clusterings: await v2.table('clusterings').toArray(),
			interventions: await v2.table('interventions').toArray(),
			audit: await v2.table('audit').toArray(),
			settings: await v2.table('settings').toArray()
		};
		v2.close();

		const db = openDb(name);
		await db.open();
		expect(db.verno).toBe(3);
		for (const [table, rows] of Object.entries(before)) {
			expect(await db.table(table).toArray(), table).toEqual(rows);
		}
		// Typed arrays come back as typed arrays, and the data reads through today's code.
		const p = await db.predictions.get('p1');
		expect(p?.outputs).toBeInstanceOf(Float64Array);
		expect(p?.rows).toBeInstanceOf(Uint32Array);
		expectSameFrame(await loadFrame(db, 'd1'), frame);
		expect((await getActiveModel(db, 'd1', 'final_exam'))?.notes).toBe('term 1');
		expect(await getSetting(db, 'privacy.minGroupSize', 10)).toBe(7);
		expect((await listEvents(db)).map((e) => e.at)).toEqual([2, 1]);
		expect(await db.interventions.where('[datasetId+studentId]').equals(['d1', 'S2']).count()).toBe(
			1
		);

		// The new stores are there and empty, and work at once.
		for (const t of ['predictionLog', 'actuals', 'outcomeChecks', 'studyPlans']) {
			expect(await db.table(t).count(), t).toBe(0);
		}
		await logPrediction(db, {
			modelId: 'm1',
			modelName: 'Ridge',
			modelVersion: 1,
			datasetId: 'd1',
			kind: 'batch',
			studentId: null,
			input: null,
			output: { rows: 3, atRisk: 1 },
			predictionId: 'p1',
			latencyMs: 2
		});
		expect((await listPredictionLog(db, { modelId: 'm1' })).length).toBe(1);
		await setActual(db, { datasetId: 'd1', studentId: 'S1', target: 'final_exam', value: 57 });
		expect((await listActuals(db, { datasetId: 'd1' })).map((a) => a.value)).toEqual([57]);
		await addStudyPlan(db, { datasetId: 'd1', studentId: 'S2', title: 'Fractions' });
		expect((await listStudyPlans(db, { datasetId: 'd1', studentId: 'S2' })).length).toBe(1);
	});

	it('creates a fresh database at v3 with every store', async () => {
		const name = `classlens-fresh-${Math.random().toString(36).slice(2)}`;
		names.push(name);
		const db = openDb(name);
		await db.open();
		expect(db.tables.map((t) => t.name).sort()).toEqual(Object.keys(SCHEMA_V3).sort());
	});
});
