import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClasslensDB } from '$lib/db';
import {
	clearPredictionLog,
	countPredictionLog,
	exportPredictionLog,
	listPredictionLog,
	logPrediction,
	PREDICTION_LOG_COLUMNS,
	type NewPredictionLogEntry
} from '$lib/db/prediction-log';
import { getPseudonymSalt, pseudonym } from '$lib/db/pseudonym';
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

function single(at: number, over: Partial<NewPredictionLogEntry> = {}): NewPredictionLogEntry {
	return {
		at,
		modelId: 'm1',
		modelName: 'Ridge for final_exam',
		modelVersion: 1,
		datasetId: 'd1',
		kind: 'single',
		studentId: 'S0001',
		input: { attendance: 0.9, gender: 'Female', cats: null },
		output: { value: 61.25, lower: 50, upper: 72.5 },
		predictionId: null,
		latencyMs: 3.14159,
		...over
	};
}

function batch(at: number, over: Partial<NewPredictionLogEntry> = {}): NewPredictionLogEntry {
	return {
		...single(at),
		kind: 'batch',
		studentId: null,
		input: null,
		output: { rows: 240, atRisk: 17 },
		predictionId: 'p1',
		latencyMs: 0.02,
		...over
	};
}

async function seed(db: ClasslensDB) {
	await logPrediction(db, single(1000));
	await logPrediction(db, batch(2000));
	await logPrediction(db, single(3000, { modelId: 'm2', modelVersion: 2, studentId: 'S0002' }));
	await logPrediction(db, single(4000, { studentId: 'S0003' }));
	await logPrediction(db, batch(5000, { modelId: 'm2', modelVersion: 2 }));
}

describe('prediction log', () => {
	it('lists newest first, filtered by model, kind and time, and counts the same way', async () => {
		const db = setup();
		await seed(db);
		expect((await listPredictionLog(db)).map((e) => e.at)).toEqual([5000, 4000, 3000, 2000, 1000]);
		expect((await listPredictionLog(db, { modelId: 'm1' })).map((e) => e.at)).toEqual([
			4000, 2000, 1000
		]);
		expect((await listPredictionLog(db, { kind: 'batch' })).map((e) => e.at)).toEqual([5000, 2000]);
		expect(
			(await listPredictionLog(db, { modelId: 'm1', kind: 'single' })).map((e) => e.at)
		).toEqual([4000, 1000]);
		// from inclusive, to exclusive.
		expect((await listPredictionLog(db, { from: 2000, to: 4000 })).map((e) => e.at)).toEqual([
			3000, 2000
		]);
		expect(await countPredictionLog(db)).toBe(5);
		expect(await countPredictionLog(db, { modelId: 'm2' })).toBe(2);
		expect(await countPredictionLog(db, { kind: 'single', from: 2000 })).toBe(2);
	});

	it('pages with offset and limit, after filtering', async () => {
		const db = setup();
		await seed(db);
		const page = (offset: number) =>
			listPredictionLog(db, { kind: 'single', limit: 2, offset }).then((r) => r.map((e) => e.at));
		expect(await page(0)).toEqual([4000, 3000]);
		expect(await page(2)).toEqual([1000]);
		expect(await page(4)).toEqual([]);
	});

	it('never keeps a student or inputs on a batch entry, and stamps the time', async () => {
		const db = setup();
		const id = await logPrediction(db, {
			...batch(0),
			at: undefined,
			studentId: 'S9',
			input: { a: 1 },
			latencyMs: NaN
		});
		const e = await db.predictionLog.get(id);
		expect(e?.studentId).toBeNull();
		expect(e?.input).toBeNull();
		expect(e?.latencyMs).toBe(0);
		expect(e?.at).toBeGreaterThan(0);
		await expect(logPrediction(db, { ...single(1), kind: 'other' as 'single' })).rejects.toThrow(
			AppException
		);
	});

	it('clears everything, or only entries before a time', async () => {
		const db = setup();
		await seed(db);
		expect(await clearPredictionLog(db, { before: 3000 })).toBe(2);
		expect((await listPredictionLog(db)).map((e) => e.at)).toEqual([5000, 4000, 3000]);
		expect(await clearPredictionLog(db)).toBe(3);
		expect(await countPredictionLog(db)).toBe(0);
	});

	it('exports CSV with pseudonyms, never the clear identifier, and formula-safe cells', async () => {
		const db = setup();
		await seed(db);
		await logPrediction(
			db,
			single(6000, {
				modelName: '=HYPERLINK("http://x","y")',
				studentId: '=cmd|S0004',
				output: { predicted: 'fail', proba: { pass: 0.25, fail: 0.75 } }
			})
		);
		await logPrediction(db, single(7000));
		const salt = await getPseudonymSalt(db);
		const csv = await exportPredictionLog(db, {}, salt);
		const lines = csv.trimEnd().split('\r\n');
		expect(lines[0]).toBe(PREDICTION_LOG_COLUMNS.join(','));
		expect(lines).toHaveLength(8);
		expect(csv).not.toMatch(/S000[1-4]/);
		expect(csv).not.toContain('attendance');
		// Oldest first.
		const p1 = await pseudonym(salt, 'S0001');
		expect(p1).toMatch(/^S-[0-9a-f]{8}$/);
		expect(lines[1]).toBe(
			`1970-01-01T00:00:01Z,Ridge for final_exam,1,single,${p1},,61.25,50,72.5,,,,3.1`
		);
		expect(lines[2]).toBe('1970-01-01T00:00:02Z,Ridge for final_exam,1,batch,,,,,,,240,17,0');
		// The same student has the same pseudonym everywhere in the file.
		expect(lines[7]).toContain(p1);
		expect(lines[4]).toContain(await pseudonym(salt, 'S0003'));
		expect(lines[6]).toBe(
			`1970-01-01T00:00:06Z,"'=HYPERLINK(""http://x"",""y"")",1,single,${await pseudonym(salt, '=cmd|S0004')},fail,,,,pass: 0.25; fail: 0.75,,,3.1`
		);
		// Filtered exports, and inputs only on request.
		const m2 = await exportPredictionLog(db, { modelId: 'm2' }, salt);
		expect(m2.trimEnd().split('\r\n')).toHaveLength(3);
		const withInputs = await exportPredictionLog(db, { kind: 'single', to: 2000 }, salt, {
			includeInputs: true
		});
		expect(withInputs.split('\r\n')[0].endsWith(',input')).toBe(true);
		expect(withInputs).toContain('"{""attendance"":0.9,""gender"":""Female"",""cats"":null}"');
	});

	it('surfaces a full disk as the storage-full error', async () => {
		const db = setup();
		vi.spyOn(db.predictionLog, 'add').mockRejectedValue(
			new DOMException('full', 'QuotaExceededError')
		);
		const err = await logPrediction(db, single(1)).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AppException);
		expect((err as AppException).appError.code).toBe('storage-full');
	});
});
