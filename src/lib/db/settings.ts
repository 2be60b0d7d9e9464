/**
 * Typed key/value settings. Each key's value type lives in SettingsMap, so a typo in a key or a
 * wrong value type is a compile error. Other modules may add keys by augmenting the interface:
 *   declare module '$lib/db/settings' { interface SettingsMap { 'my.key': number } }
 */
import type { ClasslensDB } from './schema';
import { toReadException, toStorageException } from './storage-errors';

export type BackendPreference = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface SettingsMap {
	'backend.preference': BackendPreference;
	/** Result of the last compute-backend probe (shape owned by the worker). */
	'backend.lastProbe': unknown;
	/** Suppress group statistics for fewer than `privacy.minGroupSize` students in exports. */
	'privacy.suppressSmallGroups': boolean;
	'privacy.minGroupSize': number;
	/**
	 * Copy of the theme for backups; the theme store applies it from localStorage, which can be
	 * read synchronously before first paint.
	 */
	theme: 'system' | 'light' | 'dark';
}

export type SettingKey = keyof SettingsMap;

/** The stored value, or `fallback` when the key was never set. */
export async function getSetting<K extends SettingKey>(
	db: ClasslensDB,
	key: K,
	fallback: SettingsMap[K]
): Promise<SettingsMap[K]> {
	try {
		const rec = await db.settings.get(key);
		return rec === undefined ? fallback : (rec.value as SettingsMap[K]);
	} catch (e) {
		throw toReadException(e);
	}
}

export async function setSetting<K extends SettingKey>(
	db: ClasslensDB,
	key: K,
	value: SettingsMap[K]
): Promise<void> {
	try {
		await db.settings.put({ key, value });
	} catch (e) {
		throw toStorageException(e);
	}
}

/** Back to the default (getSetting returns its fallback again). */
export async function resetSetting(db: ClasslensDB, key: SettingKey): Promise<void> {
	try {
		await db.settings.delete(key);
	} catch (e) {
		throw toStorageException(e);
	}
}
