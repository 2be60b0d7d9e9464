import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { editCells, getDataset, loadFrame, saveFrameAsDataset, type ClasslensDB } from '$lib/db';
import { AppException } from '$lib/errors';
import { cellAt } from '$lib/ml/frame';
import { expectSameFrame, freshDb, sampleFrame } from './helpers';

let close = () => {};
afterEach(() => close());

async function setup(chunkRows = 16): Promise<{ db: ClasslensDB; id: string }> {
	const f = freshDb();
	close = f.close;
	const { id } = await saveFrameAsDataset(
		f.db,
		sampleFrame(50),
		{ name: 'Edits', source: 'upload' },
		{ chunkRows }
	);
	return { db: f.db, id };
}

async function cell(db: ClasslensDB, id: string, column: string, row: number) {
	const f = await loadFrame(db, id, { columns: [column], rows: [row, row + 1] });
	return cellAt(f.columns[0], 0);
}

describe('editCells', () => {
	it('changes numbers and categories across chunks, keeps counts right, and undoes exactly', async () => {
		const { db, id } = await setup();
		const before = await loadFrame(db, id);
		const d0 = (await getDataset(db, id))!;
		const { inverse, dataset } = await editCells(db, id, [
			{ row: 0, column: 'score', value: 99.5 },
			{ row: 4, column: 'score', value: 12 }, // was missing (i % 9 === 4)
			{ row: 40, column: 'grade', value: 'A*' }, // a new category, in another chunk
			{ row: 3, column: 'grade', value: 'B' }, // was missing (i % 11 === 3)
			{ row: 17, column: 'grade', value: null }
		]);
		expect(await cell(db, id, 'score', 0)).toBe(99.5);
		expect(await cell(db, id, 'score', 4)).toBe(12);
		expect(await cell(db, id, 'grade', 40)).toBe('A*');
		expect(await cell(db, id, 'grade', 3)).toBe('B');
		expect(await cell(db, id, 'grade', 17)).toBeNull();
		const score = dataset.columns.find((c) => c.name === 'score')!;
		const grade = dataset.columns.find((c) => c.name === 'grade')!;
		const score0 = d0.columns.find((c) => c.name === 'score')!;
		const grade0 = d0.columns.find((c) => c.name === 'grade')!;
		expect(score.missingCount).toBe(score0.missingCount - 1);
		expect(grade.missingCount).toBe(grade0.missingCount); // one filled, one emptied
		expect(grade.dictionarySize).toBe(grade0.dictionarySize + 1);
		expect(dataset.sizeBytes).toBeGreaterThan(d0.sizeBytes);

		await editCells(db, id, inverse);
		const after = await loadFrame(db, id);
		// Undo restores every value; the new category stays in the dictionary, unused.
		for (const c of before.columns) {
			const a = after.columns.find((x) => x.name === c.name)!;
			for (let r = 0; r < before.nRows; r++) expect(cellAt(a, r)).toEqual(cellAt(c, r));
		}
		expectSameFrame(
			{ nRows: after.nRows, columns: after.columns.filter((c) => c.name !== 'grade') },
			{ nRows: before.nRows, columns: before.columns.filter((c) => c.name !== 'grade') }
		);
	});

	it('the same cell edited twice in one call undoes to the original', async () => {
		const { db, id } = await setup();
		const original = await cell(db, id, 'year', 5);
		const { inverse } = await editCells(db, id, [
			{ row: 5, column: 'year', value: 7 },
			{ row: 5, column: 'year', value: 8 }
		]);
		expect(await cell(db, id, 'year', 5)).toBe(8);
		await editCells(db, id, inverse);
		expect(await cell(db, id, 'year', 5)).toBe(original);
	});

	it.each([
		[{ row: 0, column: 'nope', value: 1 }, 'column-not-found'],
		[{ row: 50, column: 'score', value: 1 }, 'invalid-row'],
		[{ row: -1, column: 'score', value: 1 }, 'invalid-row'],
		[{ row: 0, column: 'score', value: 'ten' }, 'invalid-value'],
		[{ row: 0, column: 'score', value: Infinity }, 'invalid-value'],
		[{ row: 0, column: 'year', value: 2.5 }, 'invalid-value'],
		[{ row: 0, column: 'grade', value: 3 }, 'invalid-value']
	])('refuses %j with %s and changes nothing', async (edit, code) => {
		const { db, id } = await setup();
		const before = await loadFrame(db, id);
		const err = await editCells(db, id, [{ row: 1, column: 'score', value: -3 }, edit]).catch(
			(e: unknown) => e
		);
		expect(err).toBeInstanceOf(AppException);
		expect((err as AppException).appError.code).toBe(code);
		expect((err as AppException).message).toMatch(/\w/);
		expectSameFrame(await loadFrame(db, id), before);
	});
});
