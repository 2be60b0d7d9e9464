import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listEvents, type ClasslensDB } from '$lib/db';
import {
	deleteActual,
	deleteOutcomeCheck,
	listActuals,
	listOutcomeChecks,
	saveActuals,
	saveOutcomeCheck,
	setActual,
	type NewOutcomeCheck
} from '$lib/db/outcomes';
import { AppException } from '$lib/errors';
import { freshDb } from './helpers';

let close = () => {};
afterEach(() => {
	vi.restoreAllMocks();
	close();
});

function setup(): ClasslensDB {
	const f = freshDb();
	close = f.close;
	return f.db;
}

const code = async (p: Promise<unknown>) =>
	((await p.catch((e: unknown) => e)) as AppException).appError.code;

describe('actual results', () => {
	it('sets, replaces, lists by dataset, target and student, and deletes', async () => {
		const db = setup();
		await setActual(db, { datasetId: 'd1', studentId: ' S1 ', target: 'final_exam', value: 55 });
		await setActual(db, { datasetId: 'd1', studentId: 'S2', target: 'final_exam', value: 61 });
		await setActual(db, { datasetId: 'd1', studentId: 'S1', target: 'grade', value: ' B ' });
		await setActual(db, { datasetId: 'd2', studentId: 'S1', target: 'final_exam', value: 1 });
		// Same key: replaced, not added.
		const r = await setActual(db, {
			datasetId: 'd1',
			studentId: 'S1',
			target: 'final_exam',
			value: 57,
			source: 'upload'
		});
		expect(r).toMatchObject({ studentId: 'S1', value: 57, source: 'upload' });
		expect(await db.actuals.count()).toBe(4);
		const byTarget = await listActuals(db, { datasetId: 'd1', target: 'final_exam' });
		expect(byTarget.map((a) => [a.studentId, a.value])).toEqual([
			['S1', 57],
			['S2', 61]
		]);
		expect((await listActuals(db, { datasetId: 'd1' })).length).toBe(3);
		expect(
			(await listActuals(db, { datasetId: 'd1', studentId: 'S1' })).map((a) => a.value).sort()
		).toEqual([57, 'B']);
		expect(
			await listActuals(db, { datasetId: 'd1', studentId: 'S1', target: 'grade' })
		).toHaveLength(1);
		await deleteActual(db, 'd1', 'S1', 'final_exam');
		expect((await listActuals(db, { datasetId: 'd1', target: 'final_exam' })).length).toBe(1);
	});

	it('refuses results that are not a number or a label', async () => {
		const db = setup();
		const base = { datasetId: 'd1', studentId: 'S1', target: 't' };
		expect(await code(setActual(db, { ...base, value: NaN }))).toBe('actual-invalid');
		expect(await code(setActual(db, { ...base, value: '  ' }))).toBe('actual-invalid');
		expect(await code(setActual(db, { ...base, studentId: '', value: 1 }))).toBe('actual-invalid');
		expect(await db.actuals.count()).toBe(0);
	});

	it('writes a batch and its event in one transaction: all or nothing', async () => {
		const db = setup();
		const recs = [1, 2, 3].map((i) => ({
			datasetId: 'd1',
			studentId: `S${i}`,
			target: 'final_exam',
			value: 50 + i,
			source: 'upload' as const
		}));
		expect(
			await saveActuals(db, recs, { type: 'outcomes.actuals-imported', summary: 'Imported 3' })
		).toBe(3);
		expect(await db.actuals.count()).toBe(3);
		expect((await listEvents(db))[0].summary).toBe('Imported 3');

		// The event fails to write (disk full): the results must not stay behind either.
		vi.spyOn(db.audit, 'add').mockImplementation(() => {
			throw new DOMException('full', 'QuotaExceededError');
		});
		const more = recs.map((r) => ({ ...r, datasetId: 'd2' }));
		expect(await code(saveActuals(db, more, { type: 'x', summary: 'y' }))).toBe('storage-full');
		expect(await db.actuals.where('datasetId').equals('d2').count()).toBe(0);
		// A bad record anywhere stops the whole batch before anything is written.
		expect(await code(saveActuals(db, [...more, { ...more[0], studentId: '' }], undefined))).toBe(
			'actual-invalid'
		);
		expect(await db.actuals.count()).toBe(3);
	});
});

describe('outcome checks', () => {
	const check = (modelId: string, at: number): NewOutcomeCheck => ({
		at,
		modelId,
		modelVersion: 1,
		predictionId: 'p1',
		n: 20,
		metrics: { rmse: 6 },
		validated: { rmse: 5 },
		calibration: [{ lower: 0, upper: 1, count: 3, meanPredicted: NaN, observed: NaN }],
		flagged: false,
		message: 'ok'
	});

	it('saves with its event, lists by model oldest first, and deletes', async () => {
		const db = setup();
		const a = await saveOutcomeCheck(db, check('m1', 30), {
			type: 'outcomes.checked',
			summary: 'Checked',
			modelId: 'm1'
		});
		expect(a.id).toMatch(/[0-9a-f-]{36}/);
		await saveOutcomeCheck(db, check('m2', 10));
		await saveOutcomeCheck(db, check('m1', 20));
		expect((await listOutcomeChecks(db)).map((c) => c.at)).toEqual([10, 20, 30]);
		expect((await listOutcomeChecks(db, { modelIds: ['m1'] })).map((c) => c.at)).toEqual([20, 30]);
		expect((await listOutcomeChecks(db, { modelIds: [] })).length).toBe(0);
		const events = await listEvents(db);
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ at: 30, modelId: 'm1' });
		// NaN in an empty calibration bin survives storage.
		expect((await db.outcomeChecks.get(a.id))?.calibration?.[0].meanPredicted).toBeNaN();
		await deleteOutcomeCheck(db, a.id);
		expect(await db.outcomeChecks.count()).toBe(2);
	});

	it('stores nothing when the event cannot be written', async () => {
		const db = setup();
		vi.spyOn(db.audit, 'add').mockImplementation(() => {
			throw new Error('boom');
		});
		expect(await code(saveOutcomeCheck(db, check('m1', 1), { type: 't', summary: 's' }))).toBe(
			'storage-failed'
		);
		expect(await db.outcomeChecks.count()).toBe(0);
	});
});
