import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { getDataset, listDatasets, loadFrame, deleteStaged, type ClasslensDB } from '$lib/db';
import { cellAt } from '$lib/ml/frame';
import { createImportApi } from '$lib/worker/import-api';
import { JobRegistry } from '$lib/worker/jobs';
import { createDbPort } from '$lib/worker/db-port';
import { freshDb } from './db/helpers';

let close = () => {};
afterEach(() => close());

function csv(badRow = false): Blob {
	const lines = ['student_id,attendance,final_exam'];
	for (let i = 1; i <= 30; i++) lines.push(`S${i},${50 + i},${40 + i}`);
	if (badRow) lines[3] = 'S3,absent,43';
	return new Blob([lines.join('\n') + '\n']);
}

async function setup() {
	const f = freshDb();
	close = f.close;
	const db: ClasslensDB = f.db;
	const api = createImportApi(new JobRegistry(), createDbPort(db));
	return { db, api };
}

async function staged(db: ClasslensDB) {
	return db.datasets.filter((d) => d.staged === true).toArray();
}

async function untilStaged(db: ClasslensDB, n: number) {
	for (let i = 0; i < 100 && (await staged(db)).length !== n; i++) {
		await new Promise((r) => setTimeout(r, 10));
	}
	return staged(db);
}

describe('import API with write-ahead', () => {
	it('writes the checked rows ahead, hidden, and saving makes that same record visible', async () => {
		const { db, api } = await setup();
		const insp = await api.inspectImport(csv(), 'class.csv', {});
		if (!insp.ok) throw new Error(insp.error.message);
		// The teacher picks the column to predict on the preview.
		const plan = {
			...insp.value.plan,
			columns: insp.value.plan.columns.map((c) =>
				c.name === 'final_exam' ? { ...c, role: 'target' as const } : c
			)
		};
		const built = await api.buildImport(insp.value.importId, plan, undefined, 'j1');
		if (!built.ok) throw new Error(built.error.message);
		const [ahead] = await untilStaged(db, 1);
		expect(ahead.nRows).toBe(30);
		expect(await listDatasets(db)).toEqual([]);

		const saved = await api.commitImport(
			insp.value.importId,
			{ name: 'Year 9', skipErrorRows: false },
			undefined,
			'j2'
		);
		if (!saved.ok) throw new Error(saved.error.message);
		expect(saved.value.datasetId).toBe(ahead.id);
		const d = (await getDataset(db, ahead.id))!;
		expect(d.staged).toBeUndefined();
		expect(d.name).toBe('Year 9');
		expect(d.target).toBe('final_exam');
		expect((await listDatasets(db)).map((x) => x.id)).toEqual([ahead.id]);
	});

	it("stores the validation's missing counts, which are the frame's", async () => {
		const { db, api } = await setup();
		const lines = ['student_id,attendance,house'];
		for (let i = 1; i <= 30; i++)
			lines.push(`S${i},${i % 4 ? 50 + i : ''},${i % 3 ? 'Red' : 'NA'}`);
		const insp = await api.inspectImport(new Blob([lines.join('\n')]), 'm.csv', {});
		if (!insp.ok) throw new Error(insp.error.message);
		const built = await api.buildImport(insp.value.importId, insp.value.plan, undefined, 'j1');
		if (!built.ok) throw new Error(built.error.message);
		const [ahead] = await untilStaged(db, 1);
		for (let i = 0; i < 100 && (await getDataset(db, ahead.id))!.nRows === 0; i++)
			await new Promise((r) => setTimeout(r, 10));
		const d = (await getDataset(db, ahead.id))!;
		expect(d.columns.map((c) => c.missingCount)).toEqual([0, 7, 10]);
		expect(built.value.report.columns.map((c) => c.nMissing)).toEqual([0, 7, 10]);
	});

	it('skipping rows saves a fresh dataset and removes the write-ahead', async () => {
		const { db, api } = await setup();
		const insp = await api.inspectImport(csv(true), 'class.csv', {});
		if (!insp.ok) throw new Error(insp.error.message);
		const built = await api.buildImport(insp.value.importId, insp.value.plan, undefined, 'j1');
		if (!built.ok) throw new Error(built.error.message);
		expect(built.value.report.rowsWithErrors.length).toBe(1);
		const [ahead] = await untilStaged(db, 1);
		const saved = await api.commitImport(
			insp.value.importId,
			{ name: 'Skipped', skipErrorRows: true },
			undefined,
			'j2'
		);
		if (!saved.ok) throw new Error(saved.error.message);
		expect(saved.value.datasetId).not.toBe(ahead.id);
		expect(saved.value.rows).toBe(29);
		await untilStaged(db, 0);
		expect(await getDataset(db, ahead.id)).toBeUndefined();
		const f = await loadFrame(db, saved.value.datasetId, { columns: ['student_id'] });
		expect(Array.from({ length: f.nRows }, (_, r) => cellAt(f.columns[0], r))).not.toContain('S3');
	});

	it('a fix in place is saved (not the stale write-ahead), and cancelling leaves nothing', async () => {
		const { db, api } = await setup();
		const insp = await api.inspectImport(csv(true), 'class.csv', {});
		if (!insp.ok) throw new Error(insp.error.message);
		await api.buildImport(insp.value.importId, insp.value.plan, undefined, 'j1');
		const fixed = await api.fixImport(insp.value.importId, [
			{ frameRow: 2, column: 'attendance', value: '61' }
		]);
		if (!fixed.ok) throw new Error(fixed.error.message);
		const saved = await api.commitImport(
			insp.value.importId,
			{ name: 'Fixed', skipErrorRows: false },
			undefined,
			'j2'
		);
		if (!saved.ok) throw new Error(saved.error.message);
		const f = await loadFrame(db, saved.value.datasetId, { columns: ['attendance'], rows: [2, 3] });
		expect(cellAt(f.columns[0], 0)).toBe(61);
		await untilStaged(db, 0);

		const again = await api.inspectImport(csv(), 'other.csv', {});
		if (!again.ok) throw new Error(again.error.message);
		await api.buildImport(again.value.importId, again.value.plan, undefined, 'j3');
		await untilStaged(db, 1);
		await api.discardImport(again.value.importId);
		expect(await untilStaged(db, 0)).toEqual([]);
		expect((await listDatasets(db)).map((d) => d.name)).toEqual(['Fixed']);
	});

	it('start-up clean-up removes only old write-aheads', async () => {
		const { db, api } = await setup();
		const insp = await api.inspectImport(csv(), 'class.csv', {});
		if (!insp.ok) throw new Error(insp.error.message);
		await api.buildImport(insp.value.importId, insp.value.plan, undefined, 'j1');
		await untilStaged(db, 1);
		expect(await deleteStaged(db, Date.now() - 60_000)).toBe(0);
		expect(await deleteStaged(db, Date.now() + 1)).toBe(1);
		expect(await db.chunks.count()).toBe(0);
		// Saving still works: the importer writes the rows afresh.
		const saved = await api.commitImport(
			insp.value.importId,
			{ name: 'After clean-up', skipErrorRows: false },
			undefined,
			'j2'
		);
		expect(saved.ok).toBe(true);
		expect((await listDatasets(db)).map((d) => d.name)).toEqual(['After clean-up']);
	});
});

describe('streamed write-ahead', () => {
	it('writes blocks while reading, and the saved dataset equals the checked frame', async () => {
		const f = freshDb();
		close = f.close;
		const db = f.db;
		const api = createImportApi(new JobRegistry(), createDbPort(db), { stageBlockRows: 1000 });
		const lines = ['student_id,attendance,grade,final_exam'];
		for (let i = 0; i < 20_000; i++) {
			lines.push(`S${i},${i % 101},${'ABCD'[i % 4]},${i % 97 === 0 ? '' : (i * 7) % 100}`);
		}
		const insp = await api.inspectImport(new Blob([lines.join('\n')]), 'big.csv', {});
		if (!insp.ok) throw new Error(insp.error.message);
		const built = await api.buildImport(insp.value.importId, insp.value.plan, undefined, 'j1');
		if (!built.ok) throw new Error(built.error.message);
		const saved = await api.commitImport(
			insp.value.importId,
			{ name: 'Big', skipErrorRows: false },
			undefined,
			'j2'
		);
		if (!saved.ok) throw new Error(saved.error.message);
		const d = (await getDataset(db, saved.value.datasetId))!;
		expect(d.staged).toBeUndefined();
		expect(d.nRows).toBe(20_000);
		expect(d.chunkRows).toBe(1000);
		expect(await db.chunks.where('datasetId').equals(d.id).count()).toBe(20 * 4);
		const frame = await loadFrame(db, d.id);
		for (const r of [0, 999, 1000, 12_345, 19_999]) {
			expect(cellAt(frame.columns[0], r)).toBe(`S${r}`);
			expect(cellAt(frame.columns[1], r)).toBe(r % 101);
			expect(cellAt(frame.columns[3], r)).toBe(r % 97 === 0 ? null : (r * 7) % 100);
		}
		expect(d.columns.find((c) => c.name === 'final_exam')?.missingCount).toBe(
			Math.ceil(20_000 / 97)
		);
	});

	it('a cancelled check leaves no hidden rows behind', async () => {
		const f = freshDb();
		close = f.close;
		const db = f.db;
		const jobs = new JobRegistry();
		const api = createImportApi(jobs, createDbPort(db), { stageBlockRows: 500 });
		const lines = ['id,x'];
		for (let i = 0; i < 30_000; i++) lines.push(`r${i},${i}`);
		const insp = await api.inspectImport(new Blob([lines.join('\n')]), 'c.csv', {});
		if (!insp.ok) throw new Error(insp.error.message);
		jobs.cancel('jc'); // arrives before the job starts, as a fast click can
		const r = await api.buildImport(insp.value.importId, insp.value.plan, undefined, 'jc');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error.code).toBe('cancelled');
		for (let i = 0; i < 100 && (await db.datasets.count()) > 0; i++) {
			await new Promise((res) => setTimeout(res, 10));
		}
		expect(await db.datasets.count()).toBe(0);
		expect(await db.chunks.count()).toBe(0);
	});

	it('a write-ahead that fails (a full disk) does not fail the check; saving retries for real', async () => {
		const f = freshDb();
		close = f.close;
		const db = f.db;
		const port = createDbPort(db);
		let failWrites = true;
		const api = createImportApi(
			new JobRegistry(),
			{
				...port,
				writeStagedChunk: async (id, chunk, columns) => {
					if (failWrites) throw new DOMException('full', 'QuotaExceededError');
					await port.writeStagedChunk(id, chunk, columns);
				}
			},
			{ stageBlockRows: 1000 }
		);
		const lines = ['id,x'];
		for (let i = 0; i < 20_000; i++) lines.push(`r${i},${i}`);
		const insp = await api.inspectImport(new Blob([lines.join('\n')]), 'q.csv', {});
		if (!insp.ok) throw new Error(insp.error.message);
		const built = await api.buildImport(insp.value.importId, insp.value.plan, undefined, 'j1');
		expect(built.ok).toBe(true);
		failWrites = false; // space was freed
		const saved = await api.commitImport(
			insp.value.importId,
			{ name: 'Q', skipErrorRows: false },
			undefined,
			'j2'
		);
		if (!saved.ok) throw new Error(saved.error.message);
		for (let i = 0; i < 100 && (await db.datasets.count()) > 1; i++) {
			await new Promise((res) => setTimeout(res, 10));
		}
		expect((await listDatasets(db)).map((d) => [d.name, d.nRows])).toEqual([['Q', 20_000]]);
		expect(await db.datasets.count()).toBe(1);
	});
});
