import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { editCells, getDataset, saveFrameAsDataset, type ClasslensDB } from '$lib/db';
import { generateDemo } from '$lib/ml/synthetic';
import { categoricalColumn, makeFrame, numericColumn } from '$lib/ml/frame';
import { createDatasetApi, csvFileName } from '$lib/worker/dataset-api';
import { createDbPort } from '$lib/worker/db-port';
import { freshDb } from './db/helpers';

let close = () => {};
afterEach(() => close());

async function setup(n = 3000) {
	const f = freshDb();
	close = f.close;
	const db: ClasslensDB = f.db;
	const marks = Array.from({ length: n }, (_, i) => (i % 97 === 5 ? NaN : (i * 7) % 101));
	const names = Array.from({ length: n }, (_, i) => (i === 2 ? '=HYPERLINK("x")' : `S${i}`));
	const { id } = await saveFrameAsDataset(
		db,
		makeFrame([categoricalColumn('name', names, 'identifier'), numericColumn('mark', marks)]),
		{ name: 'Year 9 — maths!', source: 'upload' },
		{ chunkRows: 700 }
	);
	return { db, id, api: createDatasetApi(createDbPort(db)), marks, names };
}

describe('dataset API', () => {
	it('reads any window, across chunk and block boundaries, cell for cell', async () => {
		const { api, id, marks, names } = await setup();
		for (const [s, e] of [
			[0, 10],
			[1020, 1030],
			[695, 2100],
			[2990, 5000]
		]) {
			const r = await api.readRows(id, s, e);
			if (!r.ok) throw new Error(r.error.message);
			expect(r.value.columns).toEqual(['name', 'mark']);
			expect(r.value.start).toBe(s);
			const end = Math.min(e, 3000, s + 2000);
			expect(r.value.rows).toHaveLength(end - s);
			r.value.rows.forEach((row, i) => {
				expect(row[0]).toBe(names[s + i]);
				expect(row[1]).toBe(Number.isNaN(marks[s + i]) ? null : marks[s + i]);
			});
		}
	});

	it('sees an edit at once (the cache is keyed by version)', async () => {
		const { api, id, db } = await setup();
		const before = await api.readRows(id, 0, 5);
		await new Promise((r) => setTimeout(r, 2));
		await editCells(db, id, [{ row: 1, column: 'mark', value: 42.5 }]);
		const after = await api.readRows(id, 0, 5);
		if (!before.ok || !after.ok) throw new Error('read failed');
		expect(after.value.rows[1][1]).toBe(42.5);
		expect(after.value.version).not.toBe(before.value.version);
	});

	it('profiles every column', async () => {
		const { api, id } = await setup();
		const r = await api.profileDataset(id);
		if (!r.ok) throw new Error(r.error.message);
		const mark = r.value.find((p) => p.name === 'mark')!;
		expect(mark.kind).toBe('numeric');
		expect(mark.missing).toBe(31); // i % 97 === 5 for i < 3000
		const name = r.value.find((p) => p.name === 'name')!;
		expect(name.kind === 'categorical' && name.distinct).toBe(3000);
	});

	it('exports CSV that neutralises formulas unless asked not to', async () => {
		const { api, id } = await setup(4);
		const safe = await api.exportCsv(id, { neutraliseFormulas: true });
		if (!safe.ok) throw new Error(safe.error.message);
		expect(safe.value.fileName).toBe('Year-9-maths.csv');
		const text = await safe.value.blob.text();
		expect(text.split('\r\n')[0]).toBe('name,mark');
		expect(text).toContain(`"'=HYPERLINK(""x"")"`);
		const raw = await api.exportCsv(id, { neutraliseFormulas: false });
		if (!raw.ok) throw new Error(raw.error.message);
		expect(await raw.value.blob.text()).toContain('"=HYPERLINK(""x"")"');
	});

	it('combines long-format rows into one row per student, saved as a new dataset', async () => {
		const { db } = await setup(3);
		const api = createDatasetApi(createDbPort(db));
		const demo = generateDemo('course-records', { seed: 2 });
		const { id } = await saveFrameAsDataset(db, demo.frame, {
			name: 'Courses',
			source: 'demo',
			roles: { ...demo.roles, student_id: 'group', semester: 'time' },
			target: demo.target
		});
		const r = await api.deriveStudentView(id);
		if (!r.ok) throw new Error(r.error.message);
		expect(r.value.rows).toBe(120);
		const d = (await getDataset(db, r.value.datasetId))!;
		expect(d.source).toBe('derived');
		expect(d.target).toBe(`${demo.target}_latest`);
		expect(d.columns.find((c) => c.name === `${demo.target}_mean`)?.role).toBe('ignore');
		expect(d.columns.some((c) => c.name.startsWith('subject'))).toBe(false);
		// A dataset with one row per student has nothing to combine.
		const again = await api.deriveStudentView(r.value.datasetId);
		expect(again.ok).toBe(false);
	});

	it('says so when the dataset is gone', async () => {
		const { api } = await setup(3);
		const r = await api.readRows('nope', 0, 5);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error.code).toBe('dataset-not-found');
		expect(csvFileName('***')).toBe('dataset.csv');
	});
});
