import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	clearEvents,
	deleteDatabase,
	deleteEverything,
	getSetting,
	getStorageEstimate,
	isPersisted,
	listEvents,
	logEvent,
	MAX_SUMMARY_LENGTH,
	openDb,
	requestPersistence,
	resetSetting,
	saveFrameAsDataset,
	saveModel,
	setSetting,
	type ClasslensDB
} from '$lib/db';
import { freshDb, sampleFrame } from './helpers';

let close = () => {};
afterEach(() => {
	vi.unstubAllGlobals();
	close();
});

function setup(): ClasslensDB {
	const f = freshDb();
	close = f.close;
	return f.db;
}

describe('settings', () => {
	it('returns the fallback until set, then the stored value', async () => {
		const db = setup();
		expect(await getSetting(db, 'backend.preference', 'auto')).toBe('auto');
		expect(await getSetting(db, 'privacy.suppressSmallGroups', true)).toBe(true);
		await setSetting(db, 'backend.preference', 'wasm');
		await setSetting(db, 'privacy.suppressSmallGroups', false);
		await setSetting(db, 'backend.lastProbe', { webgpu: false, wasm: { simd: true } });
		expect(await getSetting(db, 'backend.preference', 'auto')).toBe('wasm');
		expect(await getSetting(db, 'privacy.suppressSmallGroups', true)).toBe(false);
		expect(await getSetting(db, 'backend.lastProbe', null)).toEqual({
			webgpu: false,
			wasm: { simd: true }
		});
		await setSetting(db, 'backend.preference', 'webgl');
		expect(await getSetting(db, 'backend.preference', 'auto')).toBe('webgl');
		await resetSetting(db, 'backend.preference');
		expect(await getSetting(db, 'backend.preference', 'auto')).toBe('auto');
	});
});

describe('audit log', () => {
	it('logs, lists newest first with limit and type filter, truncates, and clears', async () => {
		const db = setup();
		for (let i = 0; i < 5; i++) {
			await logEvent(db, { type: i % 2 ? 'train' : 'import', summary: `event ${i}`, at: 1000 + i });
		}
		const id = await logEvent(db, { type: 'export', summary: 'x'.repeat(2000), datasetId: 'd' });
		expect(typeof id).toBe('number');
		const all = await listEvents(db);
		expect(all.map((e) => e.type)).toEqual([
			'export',
			'import',
			'train',
			'import',
			'train',
			'import'
		]);
		expect(all[0].summary.length).toBe(MAX_SUMMARY_LENGTH);
		expect(all[0].datasetId).toBe('d');
		expect((await listEvents(db, { limit: 2 })).length).toBe(2);
		expect((await listEvents(db, { type: 'import' })).map((e) => e.summary)).toEqual([
			'event 4',
			'event 2',
			'event 0'
		]);
		expect((await listEvents(db, { type: 'import', limit: 1 })).map((e) => e.at)).toEqual([1004]);
		await clearEvents(db, { before: 1003 });
		expect((await listEvents(db)).length).toBe(3);
		await clearEvents(db);
		expect(await listEvents(db)).toEqual([]);
	});
});

describe('storage', () => {
	it('degrades gracefully where navigator.storage is missing (Node, old browsers)', async () => {
		vi.stubGlobal('navigator', undefined);
		expect(await getStorageEstimate()).toBeNull();
		expect(await requestPersistence()).toBe('unsupported');
		expect(await isPersisted()).toBeNull();
		vi.stubGlobal('navigator', { storage: {} });
		expect(await getStorageEstimate()).toBeNull();
		expect(await requestPersistence()).toBe('unsupported');
	});

	it('uses navigator.storage where present', async () => {
		vi.stubGlobal('navigator', {
			storage: {
				estimate: async () => ({ usage: 1234, quota: 10_000 }),
				persist: async () => false,
				persisted: async () => true
			}
		});
		expect(await getStorageEstimate()).toEqual({ usage: 1234, quota: 10_000 });
		expect(await requestPersistence()).toBe('denied');
		expect(await isPersisted()).toBe(true);
		vi.stubGlobal('navigator', {
			storage: {
				estimate: async () => {
					throw new Error('private mode');
				},
				persist: async () => true
			}
		});
		expect(await getStorageEstimate()).toBeNull();
		expect(await requestPersistence()).toBe('granted');
	});

	it('deleteEverything empties every table but keeps the database usable', async () => {
		const db = setup();
		const d = await saveFrameAsDataset(
			db,
			sampleFrame(20),
			{ name: 'x', source: 'upload' },
			{
				chunkRows: 7
			}
		);
		await saveModel(db, {
			datasetId: d.id,
			target: 'score',
			task: 'regression',
			family: 'ridge',
			name: 'm',
			features: [],
			params: {},
			metrics: {},
			baseline: {},
			artifact: null,
			trainSeconds: 0,
			notes: ''
		});
		await setSetting(db, 'theme', 'dark');
		await logEvent(db, { type: 'import', summary: 'Imported 20 rows' });
		await deleteEverything(db);
		for (const t of db.tables) expect(await t.count(), t.name).toBe(0);
		await saveFrameAsDataset(db, sampleFrame(3), { name: 'again', source: 'upload' });
		expect(await db.datasets.count()).toBe(1);
	});

	it('deleteDatabase closes and removes the database entirely', async () => {
		const { db, name } = freshDb();
		await saveFrameAsDataset(db, sampleFrame(3), { name: 'x', source: 'upload' });
		expect(await Dexie.exists(name)).toBe(true);
		await deleteDatabase(name);
		expect(await Dexie.exists(name)).toBe(false);
		// openDb after deletion gives a fresh, empty database.
		const again = openDb(name);
		expect(await again.datasets.count()).toBe(0);
		close = () => again.close();
	});

	it('openDb memoises per name', () => {
		const { db, name } = freshDb();
		close = () => db.close();
		expect(openDb(name)).toBe(db);
	});
});
