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
