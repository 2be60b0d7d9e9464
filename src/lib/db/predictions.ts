/**
 * Stored batch scores (one record per scoring run over a dataset), kept so that actual results
 * arriving later can be matched to what the model said before it knew them.
 */
import type { ClasslensDB } from './schema';
import { newId, toReadException, toStorageException } from './storage-errors';
import type { PredictionRecord } from './types';

export type NewPredictionRecord = Omit<PredictionRecord, 'id' | 'at'> & { at?: number };

export async function savePrediction(db: ClasslensDB, rec: NewPredictionRecord): Promise<string> {
	const id = newId();
	try {
		await db.predictions.add({ ...rec, id, at: rec.at ?? Date.now() });
	} catch (e) {
		throw toStorageException(e);
	}
	return id;
}

export async function getPrediction(
	db: ClasslensDB,
	id: string
): Promise<PredictionRecord | undefined> {
	try {
		return await db.predictions.get(id);
	} catch (e) {
		throw toReadException(e);
	}
}

/** Newest first; without the score arrays' copies beyond what IndexedDB returns. */
export async function listPredictions(
	db: ClasslensDB,
	filter: { modelId?: string; datasetId?: string } = {}
): Promise<PredictionRecord[]> {
	try {
		const c =
			filter.modelId !== undefined
				? db.predictions.where('modelId').equals(filter.modelId)
				: filter.datasetId !== undefined
					? db.predictions.where('datasetId').equals(filter.datasetId)
					: db.predictions.toCollection();
		const all = await c.toArray();
		return all
			.filter((p) => filter.datasetId === undefined || p.datasetId === filter.datasetId)
			.sort((a, b) => b.at - a.at);
	} catch (e) {
		throw toReadException(e);
	}
}

export async function deletePrediction(db: ClasslensDB, id: string): Promise<void> {
	try {
		await db.predictions.delete(id);
	} catch (e) {
		throw toStorageException(e);
	}
}
