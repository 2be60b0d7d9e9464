/**
 * Binds the Dexie repositories to one open database, in the shapes the worker API and the
 * backend manager take. Kept apart from api.ts so that the API logic can be tested with fakes.
 */
import {
	appendToDataset,
	beginStaged,
	completeStaged,
	writeStagedChunk,
	deleteDataset,
	finaliseStaged,
	getDataset,
	getSetting,
	loadFrame,
	logEvent,
	saveFrameAsDataset,
	saveModel,
	setSetting,
	type ClasslensDB
} from '../db';
import type { DbPort } from './api';
import type { SettingsPort } from './backend';
import { isBackendPreference } from './backend-policy';

export function createDbPort(db: ClasslensDB): DbPort & SettingsPort {
	return {
		saveFrameAsDataset: (frame, meta, opts) => saveFrameAsDataset(db, frame, meta, opts),
		getDataset: (id) => getDataset(db, id),
		appendToDataset: (id, frame, opts) => appendToDataset(db, id, frame, opts),
		finaliseStaged: (id, meta) => finaliseStaged(db, id, meta),
		deleteDataset: (id) => deleteDataset(db, id),
		beginStaged: (meta) => beginStaged(db, meta),
		writeStagedChunk: (id, chunk, columns) => writeStagedChunk(db, id, chunk, columns),
		completeStaged: (id, frame, meta, fromChunk) => completeStaged(db, id, frame, meta, fromChunk),
		loadFrame: (id, opts) => loadFrame(db, id, opts),
		saveModel: (rec) => saveModel(db, rec),
		logEvent: (e) => logEvent(db, e),
		getSetting: (key, fallback) =>
			key === 'backend.preference'
				? getSetting(db, key, isBackendPreference(fallback) ? fallback : 'auto')
				: getSetting(db, key, fallback),
		setSetting: async (key, value) => {
			if (key === 'backend.preference') {
				if (!isBackendPreference(value))
					throw new RangeError(`Unknown backend "${String(value)}".`);
				await setSetting(db, key, value);
			} else {
				await setSetting(db, key, value);
			}
		}
	};
}
