/**
 * The worker's outcomes calls on a real database (fake-indexeddb): importing actual results from
 * an imported dataset, and checking a model's stored predictions against them — first with
 * hand-computed numbers, then end to end through the worker API on the demo class.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
	closeDb,
	listEvents,
	loadFrame,
	openDb,
	saveFrameAsDataset,
	saveModel,
	type ClasslensDB,
	type NewModelRecord
} from '$lib/db';
import { listActuals } from '$lib/db/outcomes';
import { logPrediction } from '$lib/db/prediction-log';
import type { Result } from '$lib/errors';
import { categoricalColumn, makeFrame, numericColumn } from '$lib/ml/frame';
import { generateDemo } from '$lib/ml/synthetic';
import { predictArtifact } from '$lib/ml/train/predict';
import type { ModelArtifact } from '$lib/ml/train/types';
import { createWorkerApi } from '$lib/worker/api';
import { createDbPort } from '$lib/worker/db-port';
import { createOutcomesApi, createOutcomesPort } from '$lib/worker/outcomes-api';

const opened: string[] = [];
afterEach(() => {
	for (const n of opened.splice(0)) closeDb(n);
});

function fresh(): ClasslensDB {
	const name = `outcomes-api-${Math.random().toString(36).slice(2)}`;
	opened.push(name);
	return openDb(name);
}

function value<T>(r: Result<T>): T {
	if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
	return r.value;
}

const ids = Array.from({ length: 12 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);

async function classWithModel(db: ClasslensDB) {
	const cls = await saveFrameAsDataset(
		db,
		makeFrame([
			categoricalColumn('student_id', ids, 'identifier'),
			numericColumn(
				'attendance',
				ids.map((_, i) => 0.5 + i / 30)
			),
			numericColumn(
				'final_exam',
				ids.map(() => NaN)
			)
		]),
		{ name: 'Class 7B', source: 'upload', roles: { student_id: 'id', final_exam: 'target' } }
	);
	const rec: NewModelRecord = {
		datasetId: cls.id,
		target: 'final_exam',
		task: 'regression',
		family: 'linear',
		name: 'Ridge for final_exam',
		features: ['attendance'],
		params: {},
		metrics: { rmse: 5, mae: 4, r2: 0.6 },
		baseline: { rmse: 9 },
		artifact: { format: 'classlens-model', derive: null },
		trainSeconds: 1,
		notes: ''
	};
	const model = await saveModel(db, rec);
	await db.predictions.add({
		id: 'batch-1',
		modelId: model.id,
		datasetId: cls.id,
		at: 1000,
		label: 'Scored Class 7B',
		rows: null,
		outputs: new Float64Array(12).fill(60),
		nOutputs: 1,
		classes: null,
		lower: new Float64Array(12).fill(50),
		upper: new Float64Array(12).fill(70)
	});
	return { cls, model };
}

/** The results file: duplicates, a conflict, an unknown student, incomplete rows. */
async function resultsFile(db: ClasslensDB) {
	const rows: [string | null, number][] = [
		['S01', 62],
		['S02', 58],
		['S03', 64],
		['S04', 56],
		['S05', 66],
		['S06', 54],
		['S07', 68],
		['S08', 52],
		['S09', 70],
		['S10', 50],
		['S11', 75],
		['S01', 62],
		['S02', 59],
		['S99', 40],
		['S12', NaN],
		[null, 55]
	];
	return saveFrameAsDataset(
		db,
		makeFrame([
			categoricalColumn(
				'id',
				rows.map((r) => r[0]),
				'identifier'
			),
			numericColumn(
				'mark',
				rows.map((r) => r[1])
			)
		]),
		{ name: 'Term results', source: 'upload' }
	);
}

describe('outcomes API with hand-computed numbers', () => {
	it('imports results, matching ids and explaining what was left out', async () => {
		const db = fresh();
		const api = createOutcomesApi(createOutcomesPort(db));
		const { cls } = await classWithModel(db);
		const file = await resultsFile(db);
		const s = value(
			await api.importActuals(file.id, {
				idColumn: 'id',
				valueColumn: 'mark',
				forDatasetId: cls.id,
				target: 'final_exam'
			})
		);
		expect(s).toMatchObject({
			rows: 16,
			matched: 10,
			unmatched: 1,
			unmatchedExamples: ['S99'],
			duplicates: 1,
			conflicts: 1,
			missing: 2
		});
		expect(s.message).toMatch(/^Stored the actual final_exam of 10 students for “Class 7B”\./);
		expect(s.message).toContain('S99');
		expect(s.message).toMatch(/different results/);
		const stored = await listActuals(db, { datasetId: cls.id, target: 'final_exam' });
		expect(stored.map((a) => a.studentId)).toEqual([
			'S01',
			'S03',
			'S04',
			'S05',
			'S06',
			'S07',
			'S08',
			'S09',
			'S10',
			'S11'
		]);
		expect(stored.every((a) => a.source === 'upload')).toBe(true);
		const ev = (await listEvents(db))[0];
		expect(ev.type).toBe('outcomes.actuals-imported');
		expect(ev.summary).not.toMatch(/S\d\d/);
	});

	it('refuses an upload that matches nobody, writing nothing', async () => {
		const db = fresh();
		const api = createOutcomesApi(createOutcomesPort(db));
		const { cls } = await classWithModel(db);
		const other = await saveFrameAsDataset(
			db,
			makeFrame([
				categoricalColumn('pupil', ['X1', 'X2'], 'identifier'),
				numericColumn('mark', [1, 2])
			]),
			{ name: 'Other school', source: 'upload' }
		);
		const r = await api.importActuals(other.id, {
			idColumn: 'pupil',
			valueColumn: 'mark',
			forDatasetId: cls.id,
			target: 'final_exam'
		});
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.error.code).toBe('no-matching-students');
			expect(r.error.message).toMatch(/None of the students in “Other school”/);
		}
		const bad = await api.importActuals(other.id, {
			idColumn: 'pupil',
			valueColumn: 'nope',
			forDatasetId: cls.id,
			target: 'final_exam'
		});
		expect(!bad.ok && bad.error.code).toBe('column-not-found');
		expect(await db.actuals.count()).toBe(0);
	});

	it('checks predictions against results: RMSE, MAE, coverage and the retraining flag', async () => {
		const db = fresh();
		const api = createOutcomesApi(createOutcomesPort(db));
		const { cls, model } = await classWithModel(db);
		const none = await api.checkOutcomes(model.id);
		expect(!none.ok && none.error.code).toBe('no-outcomes');
		const file = await resultsFile(db);
		value(
			await api.importActuals(file.id, {
				idColumn: 'id',
				valueColumn: 'mark',
				forDatasetId: cls.id,
				target: 'final_exam'
			})
		);
		const c = value(await api.checkOutcomes(model.id));
		// Errors 2, 4, 4, 6, 6, 8, 8, 10, 10, 15 on the ten matched students.
		expect(c.n).toBe(10);
		expect(c.metrics.rmse).toBeCloseTo(Math.sqrt(661 / 10), 10);
		expect(c.metrics.mae).toBeCloseTo(7.3, 10);
		expect(c.metrics.coverage90).toBeCloseTo(0.9, 10);
		expect(c.validated).toEqual({ rmse: 5, mae: 4, r2: 0.6 });
		expect(c.flagged).toBe(true);
		expect(c.message).toMatch(/consider retraining/);
		expect(c.message).toMatch(/early sign/);
		expect(c.message).toMatch(/2 predicted students still have no result/);
		expect(c).toMatchObject({
			modelVersion: 1,
			predictionId: 'batch-1',
			primary: 'rmse',
			task: 'regression',
			sources: { batch: 10, single: 0 }
		});
		expect(await db.outcomeChecks.count()).toBe(1);
		const ev = (await listEvents(db))[0];
		expect(ev).toMatchObject({ type: 'outcomes.checked', modelId: model.id });
		expect(ev.summary).toMatch(/retraining suggested/);
		expect(ev.summary).not.toMatch(/S\d\d/);

		// A later single prediction for S11 replaces the batch's for that student.
		await logPrediction(db, {
			at: 2000,
			modelId: model.id,
			modelName: model.name,
			modelVersion: 1,
			datasetId: cls.id,
			kind: 'single',
			studentId: 'S11',
			input: { attendance: 0.9 },
			output: { value: 74, lower: 64, upper: 84 },
			predictionId: null,
			latencyMs: 2
		});
		const c2 = value(await api.checkOutcomes(model.id));
		expect(c2.metrics.rmse).toBeCloseTo(Math.sqrt(437 / 10), 10);
		expect(c2.metrics.coverage90).toBe(1);
		expect(c2.sources).toEqual({ batch: 9, single: 1 });

		const sources = value(await api.outcomeSources(model.id));
		expect(sources).toEqual([
			{ datasetId: cls.id, name: 'Class 7B', batches: 1, batchRows: 12, singles: 1, actuals: 10 }
		]);
	});

	it('says so when the model has made no predictions', async () => {
		const db = fresh();
		const api = createOutcomesApi(createOutcomesPort(db));
		const { model } = await classWithModel(db);
		await db.predictions.clear();
		const r = await api.checkOutcomes(model.id);
		expect(!r.ok && r.error.code).toBe('no-predictions');
		expect(!r.ok && r.error.message).toMatch(/Predict page/);
		const gone = await api.checkOutcomes('nope');
		expect(!gone.ok && gone.error.code).toBe('model-not-found');
	});
});

describe('outcomes through the worker API on the demo class', () => {
	it('trains a pass/fail model, scores the class, imports marks and checks calibration of P(fail)', async () => {
		const db = fresh();
		const api = createWorkerApi({
			ml: async () => {
				throw new Error('TensorFlow.js is not needed here');
			},
			db: createDbPort(db),
			generateDemo,
			outcomes: createOutcomesPort(db)
		});
		const demo = value(await api.createDemoDataset('marks', { seed: 7 }));
		const trained = value(
			await api.trainModels(
				{
					datasetId: demo.datasetId,
					target: 'result',
					derive: {
						kind: 'pass-fail',
						source: 'final_exam',
						threshold: 50,
						passLabel: 'pass',
						failLabel: 'fail'
					},
					families: ['linear'],
					auto: false,
					seed: 1
				},
				undefined,
				'train-outcomes'
			)
		);
		const model = await db.models.get(trained.modelId);
		if (!model) throw new Error('no model');
		const artifact = model.artifact as ModelArtifact;
		const frame = await loadFrame(db, demo.datasetId);
		const pred = await predictArtifact(artifact, frame);
		const classes = pred.classes ?? [];
		await db.predictions.add({
			id: 'demo-batch',
			modelId: model.id,
			datasetId: demo.datasetId,
			at: Date.now(),
			label: 'Scored the demo class',
			rows: null,
			outputs: Float64Array.from({ length: frame.nRows }, (_, i) => pred.proba![i * 2 + 1]),
			nOutputs: 1,
			classes
		});

		// The marks came in: the same demo dataset holds them (final_exam), turned into pass/fail.
		const imported = value(
			await api.importActuals(demo.datasetId, {
				idColumn: 'student_id',
				valueColumn: 'final_exam',
				forDatasetId: demo.datasetId,
				target: 'result'
			})
		);
		expect(imported.matched).toBe(240);
		const check = value(await api.checkOutcomes(model.id));
		expect(check.n).toBe(240);
		expect(check.task).toBe('binary');
		expect(check.riskClass).toBe('fail');
		expect(check.primary).toBe('accuracy');
		expect(check.metrics.accuracy).toBeGreaterThan(0.7);
		expect(check.calibration?.length).toBe(10);
		expect(check.calibration?.reduce((s, b) => s + b.count, 0)).toBe(240);
		// Scored on the rows it learnt from: no worse than cross-validated.
		expect(check.flagged).toBe(false);

		// A harder exam: everyone scores 25 marks less. The model did not see it coming.
		const harder = frame.columns.find((c) => c.name === 'final_exam');
		const sid = frame.columns.find((c) => c.name === 'student_id');
		if (harder?.kind !== 'numeric' || sid?.kind !== 'categorical') throw new Error('columns');
		const later = await saveFrameAsDataset(
			db,
			makeFrame([
				categoricalColumn(
					'student',
					Array.from(sid.codes, (c) => sid.dictionary[c]),
					'identifier'
				),
				numericColumn(
					'exam',
					Array.from(harder.values, (v) => v - 25)
				)
			]),
			{ name: 'Resit results', source: 'upload' }
		);
		value(
			await api.importActuals(later.id, {
				idColumn: 'student',
				valueColumn: 'exam',
				forDatasetId: demo.datasetId,
				target: 'result'
			})
		);
		const drift = value(await api.checkOutcomes(model.id));
		expect(drift.metrics.accuracy).toBeLessThan(check.metrics.accuracy);
		expect(drift.flagged).toBe(true);
		expect(drift.message).toMatch(/consider retraining/);
		expect(drift.message).not.toMatch(/early sign/);
	});
});
