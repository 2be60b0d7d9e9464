import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { appendToDataset, loadFrame, saveFrameAsDataset, type ClasslensDB } from '$lib/db';
import { AppException } from '$lib/errors';
import {
	categoricalColumn,
	concatFrames,
	makeFrame,
	numericColumn,
	sliceRows,
	type Frame
} from '$lib/ml/frame';
import { expectSameFrame, freshDb } from './helpers';

let close = () => {};
afterEach(() => close());

function setup(): ClasslensDB {
	const f = freshDb();
	close = f.close;
	return f.db;
}

function batch(n: number, offset: number, words: string[]): Frame {
	return makeFrame([
		numericColumn(
			'score',
			Array.from({ length: n }, (_, i) => (i % 5 === 2 ? NaN : offset + i)),
			'integer'
		),
		categoricalColumn(
			'grade',
			Array.from({ length: n }, (_, i) => (i % 6 === 1 ? null : words[i % words.length]))
		)
	]);
}

async function appError(p: Promise<unknown>) {
	try {
		await p;
	} catch (e) {
		if (e instanceof AppException) return e.appError;
		throw e;
	}
	throw new Error('expected a rejection');
}

describe('appendToDataset', () => {
	it('fills the partial last chunk, merges dictionaries and remaps codes', async () => {
		const db = setup();
		const a = batch(10, 0, ['B', 'A']);
		const b = batch(17, 100, ['C', 'A', 'D']);
		const c = batch(7, 200, ['D']);
		const rec = await saveFrameAsDataset(db, a, { name: 'x', source: 'upload' }, { chunkRows: 7 });
		const afterB = await appendToDataset(db, rec.id, b);
		expect(afterB.nRows).toBe(27);
		expect(afterB.nChunks).toBe(4);
		expect(afterB.columns[1].dictionarySize).toBe(4);
		expect(afterB.columns.map((m) => m.missingCount)).toEqual([2 + 3, 2 + 3]);
		expect(afterB.updatedAt).toBeGreaterThanOrEqual(rec.updatedAt);
		expectSameFrame(await loadFrame(db, rec.id), concatFrames([a, b]));
		expect((await db.dictionaries.get([rec.id, 1]))?.values).toEqual(['B', 'A', 'C', 'D']);

		const afterC = await appendToDataset(db, rec.id, c);
		expect(afterC.nRows).toBe(34);
		expect(afterC.nChunks).toBe(5);
		expectSameFrame(await loadFrame(db, rec.id), concatFrames([a, b, c]));
		expectSameFrame(
			await loadFrame(db, rec.id, { rows: [5, 30] }),
			sliceRows(concatFrames([a, b, c]), 5, 30)
		);
		// Chunk boundaries stay fixed: every chunk but the last holds exactly chunkRows rows.
		const lens = (await db.chunks.where('datasetId').equals(rec.id).toArray())
			.filter((ch) => ch.column === 0)
			.map((ch) => ch.data.length);
		expect(lens).toEqual([7, 7, 7, 7, 6]);
	});

	it('accepts the same columns in another order and an empty batch', async () => {
		const db = setup();
		const a = batch(5, 0, ['A']);
		const rec = await saveFrameAsDataset(db, a, { name: 'x', source: 'upload' }, { chunkRows: 4 });
		const b = batch(3, 10, ['Z']);
		await appendToDataset(db, rec.id, { nRows: 3, columns: [b.columns[1], b.columns[0]] });
		await appendToDataset(db, rec.id, batch(0, 0, []));
		expectSameFrame(await loadFrame(db, rec.id), concatFrames([a, b]));
	});

	it('widens integer to number but keeps categorical types', async () => {
		const db = setup();
		const rec = await saveFrameAsDataset(db, batch(3, 0, ['A']), { name: 'x', source: 'upload' });
		const wider = makeFrame([
			numericColumn('score', [1.5], 'number'),
			categoricalColumn('grade', ['A'], 'identifier')
		]);
		const d = await appendToDataset(db, rec.id, wider);
		expect(d.columns.map((c) => c.type)).toEqual(['number', 'category']);
	});

	it('rejects a batch whose schema differs, naming the column, and changes nothing', async () => {
		const db = setup();
		const a = batch(5, 0, ['A']);
		const rec = await saveFrameAsDataset(db, a, { name: 'x', source: 'upload' });
		const cases: [Frame, string][] = [
			[makeFrame([a.columns[0]]), 'grade'],
			[makeFrame([...a.columns, numericColumn('extra', [1, 2, 3, 4, 5])]), 'extra'],
			[makeFrame([a.columns[0], numericColumn('grade', [1, 2, 3, 4, 5])]), 'grade'],
			[makeFrame([numericColumn('score', [1, 2, 3, 4, 5], 'datetime'), a.columns[1]]), 'score']
		];
		for (const [frame, column] of cases) {
			const err = await appError(appendToDataset(db, rec.id, frame));
			expect(err.code).toBe('schema-mismatch');
			expect(err.details?.column).toBe(column);
			expect(err.message).toContain(`"${column}"`);
		}
		expect(await db.datasets.get(rec.id)).toEqual(rec);
		expectSameFrame(await loadFrame(db, rec.id), a);
		expect((await appError(appendToDataset(db, 'missing', a))).code).toBe('dataset-not-found');
	});
});
