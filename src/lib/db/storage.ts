/**
 * Browser storage quota and persistence, plus "delete everything". navigator.storage is
 * feature-detected: it is missing in Node (tests, CLI), and `persist()` exists only on the
 * window, not in workers.
 */
import Dexie from 'dexie';
import { closeDb, type ClasslensDB } from './schema';
import { dictionaryBytes } from './columns';
import { toReadException, toStorageException } from './storage-errors';

interface StorageManagerLike {
	estimate?: () => Promise<{ usage?: number; quota?: number }>;
	persist?: () => Promise<boolean>;
	persisted?: () => Promise<boolean>;
}

function storageManager(): StorageManagerLike | null {
	const nav = (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator;
	return nav?.storage ?? null;
}

/** Bytes used by this origin and the quota the browser grants it, or null if unknown. */
export async function getStorageEstimate(): Promise<{ usage: number; quota: number } | null> {
	const sm = storageManager();
	if (typeof sm?.estimate !== 'function') return null;
	try {
		const { usage, quota } = await sm.estimate();
		return typeof usage === 'number' && typeof quota === 'number' ? { usage, quota } : null;
	} catch {
		// Some browsers throw in private mode; "unknown" is the honest answer.
		return null;
	}
}

/**
 * Asks the browser not to evict our data under storage pressure. Without it, Safari and
 * Chrome may clear IndexedDB of an origin that has not been used for a while.
 */
export async function requestPersistence(): Promise<'granted' | 'denied' | 'unsupported'> {
	const sm = storageManager();
	if (typeof sm?.persist !== 'function') return 'unsupported';
	try {
		return (await sm.persist()) ? 'granted' : 'denied';
	} catch {
		return 'denied';
	}
}

/** Whether storage is already persistent; null when the browser cannot say. */
export async function isPersisted(): Promise<boolean | null> {
	const sm = storageManager();
	if (typeof sm?.persisted !== 'function') return null;
	try {
		return await sm.persisted();
	} catch {
		return null;
	}
}

/**
 * Bytes of a dataset's stored arrays and dictionaries, counted from the records themselves
 * (DatasetRecord.sizeBytes is the same estimate, kept up to date without reading any data).
 * Streams the chunks with a cursor, so it reads everything once: for the storage page, not for
 * lists.
 */
export async function byteSizeOfDataset(db: ClasslensDB, datasetId: string): Promise<number> {
	let n = 0;
	try {
		await db.transaction('r', [db.chunks, db.dictionaries], async () => {
			await db.chunks
				.where('datasetId')
				.equals(datasetId)
				.each((c) => {
					n += c.data.byteLength;
				});
			await db.dictionaries
				.where('datasetId')
				.equals(datasetId)
				.each((d) => {
					n += dictionaryBytes(d.values);
				});
		});
	} catch (e) {
		throw toReadException(e);
	}
	return n;
}

/** Empties every table in one transaction (the UI asks for confirmation first). */
export async function deleteEverything(db: ClasslensDB): Promise<void> {
	try {
		await db.transaction('rw', db.tables, async () => {
			for (const t of db.tables) await t.clear();
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

/**
 * Closes our connection and deletes the whole database. Other connections (the worker, other
 * tabs) get a versionchange event, on which Dexie closes them, so the deletion is not blocked.
 */
export async function deleteDatabase(name: string): Promise<void> {
	closeDb(name);
	try {
		await Dexie.delete(name);
	} catch (e) {
		throw toStorageException(e);
	}
}
