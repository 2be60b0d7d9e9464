/** The UI reads through Dexie's liveQuery; the repository functions must work inside it. */
import 'fake-indexeddb/auto';
import { liveQuery } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
	appendToDataset,
	listDatasets,
	loadFrame,
	renameDataset,
	saveFrameAsDataset,
	type DatasetRecord
} from '$lib/db';
import { freshDb, sampleFrame } from './helpers';

let close = () => {};
afterEach(() => close());

/** Resolves with the first emitted value that satisfies `ok`. */
function until<T>(observable: ReturnType<typeof liveQuery<T>>, ok: (v: T) => boolean): Promise<T> {
	return new Promise((resolve, reject) => {
		const sub = observable.subscribe({
			next: (v) => {
				if (ok(v)) {
					sub.unsubscribe();
					resolve(v);
				}
			},
			error: reject
		});
	});
}

describe('liveQuery', () => {
	it('re-emits listDatasets and loadFrame results after writes', async () => {
		const f = freshDb();
		close = f.close;
		const db = f.db;
		const names = liveQuery(() => listDatasets(db));
		const firstEmpty = until(names, (l: DatasetRecord[]) => l.length === 0);
		await firstEmpty;
		const seen = until(names, (l: DatasetRecord[]) => l.length === 1 && l[0].name === 'renamed');
		const rec = await saveFrameAsDataset(
			db,
			sampleFrame(10),
			{ name: 'x', source: 'upload' },
			{
				chunkRows: 4
			}
		);
		await renameDataset(db, rec.id, 'renamed');
		await seen;

		const rows = liveQuery(() => loadFrame(db, rec.id, { columns: ['score'] }));
		const grown = until(rows, (fr) => fr.nRows === 15);
		await appendToDataset(db, rec.id, sampleFrame(5));
		expect((await grown).columns[0].name).toBe('score');
	});
});
