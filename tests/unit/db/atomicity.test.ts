/**
 * All-or-nothing imports: a write failing halfway (disk full, unstorable value, cancel) must
 * leave no trace of the new dataset and must not disturb earlier ones.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	appendToDataset,
	isQuotaError,
	listDatasets,
	loadFrame,
	saveFrameAsDataset,
	STORAGE_FULL_MESSAGE,
	type ClasslensDB
} from '$lib/db';
import { AppException } from '$lib/errors';
import { CancelSource, CancelledError } from '$lib/ml/progress';
import { expectSameFrame, freshDb, sampleFrame } from './helpers';

let close = () => {};
afterEach(() => {
	vi.restoreAllMocks();
	close();
});

async function setupWithEarlier(): Promise<{ db: ClasslensDB; earlierId: string }> {
	const f = freshDb();
	close = f.close;
	const earlier = await saveFrameAsDataset(
		f.db,
		sampleFrame(30),
		{ name: 'earlier', source: 'upload' },
		{
			chunkRows: 7
		}
	);
	return { db: f.db, earlierId: earlier.id };
}

/** Lets the first bulkAdd through, then fails every later one with `error`. */
function failAfterFirstBulkAdd(db: ClasslensDB, error: () => unknown) {
	const original = db.chunks.bulkAdd.bind(db.chunks);
	let calls = 0;
	return vi.spyOn(db.chunks, 'bulkAdd').mockImplementation(((
		...args: Parameters<typeof original>
	) => {
		calls++;
		if (calls > 1) throw error();
		return original(...args);
	}) as typeof original);
}

async function expectNothingNewAndEarlierIntact(db: ClasslensDB, earlierId: string) {
	const all = await listDatasets(db);
	expect(all.map((d) => d.id)).toEqual([earlierId]);
	const chunkOwners = new Set((await db.chunks.toArray()).map((c) => c.datasetId));
	expect([...chunkOwners]).toEqual([earlierId]);
	const dictOwners = new Set((await db.dictionaries.toArray()).map((d) => d.datasetId));
	expect([...dictOwners]).toEqual([earlierId]);
	expectSameFrame(await loadFrame(db, earlierId), sampleFrame(30));
}

async function caught(p: Promise<unknown>): Promise<unknown> {
	try {
		await p;
	} catch (e) {
		return e;
	}
	throw new Error('expected a rejection');
}

describe('all-or-nothing saves', () => {
	it('rolls back everything when the disk fills after the first chunk batch', async () => {
		const { db, earlierId } = await setupWithEarlier();
		const spy = failAfterFirstBulkAdd(
			db,
			() => new DOMException('Quota exceeded', 'QuotaExceededError')
		);
		const e = await caught(
			saveFrameAsDataset(db, sampleFrame(50), { name: 'new', source: 'upload' }, { chunkRows: 7 })
		);
		expect(spy.mock.calls.length).toBe(2);
		expect(e).toBeInstanceOf(AppException);
		const err = (e as AppException).appError;
		expect(err.code).toBe('storage-full');
		expect(err.message).toBe(STORAGE_FULL_MESSAGE);
		expect(err.details?.name).toBe('QuotaExceededError');
		await expectNothingNewAndEarlierIntact(db, earlierId);
	});

	it('recognises quota errors wrapped by Dexie (QuotaExceededError, AbortError.inner, BulkError)', async () => {
		const quota = () => new DOMException('Quota exceeded', 'QuotaExceededError');
		const wrapped: (() => unknown)[] = [
			() => new Dexie.QuotaExceededError('Quota exceeded', quota()),
			() => new Dexie.AbortError('Transaction aborted', quota()),
			() => new Dexie.AbortError('Transaction aborted', new Dexie.QuotaExceededError(quota())),
			() => new Dexie.BulkError('1 of 2 failed', { 1: quota() }),
			() => Object.assign(new Error('quota'), { name: 'NS_ERROR_DOM_QUOTA_REACHED' })
		];
		for (const make of wrapped) expect(isQuotaError(make())).toBe(true);
		expect(isQuotaError(new Dexie.AbortError('Transaction aborted', new Error('x')))).toBe(false);
		expect(isQuotaError(new DOMException('x', 'DataCloneError'))).toBe(false);

		const { db, earlierId } = await setupWithEarlier();
		for (const make of wrapped.slice(0, 3)) {
			failAfterFirstBulkAdd(db, make);
			const e = await caught(
				saveFrameAsDataset(db, sampleFrame(50), { name: 'new', source: 'upload' }, { chunkRows: 7 })
			);
			expect((e as AppException).appError.code).toBe('storage-full');
			vi.restoreAllMocks();
			await expectNothingNewAndEarlierIntact(db, earlierId);
		}
	});

	it('maps a real (unmocked) IndexedDB failure midway to storage-failed and rolls back', async () => {
		const { db, earlierId } = await setupWithEarlier();
		const frame = sampleFrame(50);
		// A function cannot be structured-cloned: the real put of the second column's dictionary
		// throws DataCloneError after the first column's chunks were already written.
		const grade = frame.columns[3];
		if (grade.kind !== 'categorical') throw new Error('fixture');
		const poisoned = { ...frame, columns: [...frame.columns] };
		poisoned.columns[3] = {
			...grade,
			dictionary: Object.assign([...grade.dictionary], { bad: () => 1 })
		};
		const e = await caught(
			saveFrameAsDataset(db, poisoned, { name: 'new', source: 'upload' }, { chunkRows: 7 })
		);
		expect((e as AppException).appError.code).toBe('storage-failed');
		expect((e as AppException).appError.details?.name).toBe('DataCloneError');
		await expectNothingNewAndEarlierIntact(db, earlierId);
	});

	it('cancelling midway rolls back and rethrows CancelledError', async () => {
		const { db, earlierId } = await setupWithEarlier();
		const cancel = new CancelSource();
		const e = await caught(
			saveFrameAsDataset(
				db,
				sampleFrame(50),
				{ name: 'new', source: 'upload' },
				{
					chunkRows: 7,
					cancel,
					onProgress: (p) => {
						if (p.fraction > 0.4) cancel.cancel();
					}
				}
			)
		);
		expect(e).toBeInstanceOf(CancelledError);
		await expectNothingNewAndEarlierIntact(db, earlierId);
	});

	it('an append that fails midway leaves the dataset exactly as it was', async () => {
		const { db, earlierId } = await setupWithEarlier();
		const before = await db.datasets.get(earlierId);
		const original = db.chunks.bulkPut.bind(db.chunks);
		let calls = 0;
		vi.spyOn(db.chunks, 'bulkPut').mockImplementation(((...args: Parameters<typeof original>) => {
			if (++calls > 2) throw new DOMException('Quota exceeded', 'QuotaExceededError');
			return original(...args);
		}) as typeof original);
		const e = await caught(appendToDataset(db, earlierId, sampleFrame(12)));
		expect((e as AppException).appError.code).toBe('storage-full');
		expect(await db.datasets.get(earlierId)).toEqual(before);
		await expectNothingNewAndEarlierIntact(db, earlierId);
	});
});
