/**
 * Binds the prediction calls' storage to one open database (see predict-api.ts). Kept apart from
 * db-port.ts so the prediction API can be built and tested on its own.
 */
import { getModel, getSetting, type ClasslensDB } from '../db';
import { logPrediction } from '../db/prediction-log';
import { savePrediction } from '../db/predictions';
import type { PredictPort } from './predict-api';

declare module '../db/settings' {
	interface SettingsMap {
		/** The teacher's edited recommendation rule pack (validated when read); null = default. */
		'insights.rulePack': unknown;
	}
}

export function createPredictPort(db: ClasslensDB): PredictPort {
	return {
		getModel: (id) => getModel(db, id),
		savePrediction: (rec) => savePrediction(db, rec),
		logPrediction: (entry) => logPrediction(db, entry),
		getRulePack: () => getSetting(db, 'insights.rulePack', null)
	};
}
