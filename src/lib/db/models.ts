/**
 * Model registry. Models are versioned per (dataset, target): each save is the next version and
 * becomes the active one; rolling back is activating an older version. Keeping exactly one
 * active model per pair is done inside rw transactions, which IndexedDB serialises, so two
 * saves racing from the worker and the UI cannot both end up active or share a version number.
 * (Booleans are not valid IndexedDB keys, so `active` is filtered in memory, not indexed.)
 */
import type { ClasslensDB } from './schema';
import { appError, newId, toStorageException } from './storage-errors';
import type { ModelRecord, NewModelRecord } from './types';

function modelNotFound(id: string) {
	return appError(
		'model-not-found',
		'This model is no longer on this device. It may have been deleted in another tab.',
		{ modelId: id }
	);
}

function siblings(db: ClasslensDB, datasetId: string, target: string) {
	return db.models.where('[datasetId+target]').equals([datasetId, target]);
}

export interface SaveModelOptions {
	/** Make the new version the active one (default true); false keeps the current one active. */
	activate?: boolean;
}

/** Stores a trained model as the next version for its dataset + target. */
export async function saveModel(
	db: ClasslensDB,
	rec: NewModelRecord,
	opts: SaveModelOptions = {}
): Promise<ModelRecord> {
	const activate = opts.activate ?? true;
	try {
		return await db.transaction('rw', db.models, async () => {
			const others = await siblings(db, rec.datasetId, rec.target).toArray();
			const version = others.reduce((m, o) => Math.max(m, o.version), 0) + 1;
			// With no active version yet, the first saved one becomes active regardless.
			const active = activate || !others.some((o) => o.active);
			const model: ModelRecord = { ...rec, id: newId(), version, active, createdAt: Date.now() };
			if (active) {
				await siblings(db, rec.datasetId, rec.target)
					.filter((o) => o.active)
					.modify({ active: false });
			}
			await db.models.add(model);
			return model;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

/** Newest first; filter by dataset and/or target. */
export async function listModels(
	db: ClasslensDB,
	filter: { datasetId?: string; target?: string } = {}
): Promise<ModelRecord[]> {
	const { datasetId, target } = filter;
	let models: ModelRecord[];
	if (datasetId !== undefined && target !== undefined) {
		models = await siblings(db, datasetId, target).toArray();
	} else if (datasetId !== undefined) {
		models = await db.models.where('datasetId').equals(datasetId).toArray();
	} else {
		models = await db.models.toArray();
		if (target !== undefined) models = models.filter((m) => m.target === target);
	}
	return models.sort((a, b) => b.createdAt - a.createdAt || b.version - a.version);
}

export async function getModel(db: ClasslensDB, id: string): Promise<ModelRecord | undefined> {
	return db.models.get(id);
}

/** Makes `id` the active version for its dataset + target (rollback = activate an older one). */
export async function activateModel(db: ClasslensDB, id: string): Promise<ModelRecord> {
	try {
		return await db.transaction('rw', db.models, async () => {
			const m = await db.models.get(id);
			if (!m) throw modelNotFound(id);
			await siblings(db, m.datasetId, m.target)
				.filter((o) => o.active && o.id !== id)
				.modify({ active: false });
			const updated = { ...m, active: true };
			await db.models.put(updated);
			return updated;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

export async function getActiveModel(
	db: ClasslensDB,
	datasetId: string,
	target: string
): Promise<ModelRecord | undefined> {
	return siblings(db, datasetId, target)
		.filter((m) => m.active)
		.first();
}

/**
 * Deletes a model and its predictions. If it was the active one, the highest remaining version
 * becomes active, so a dataset + target that still has models always has one in use.
 */
export async function deleteModel(db: ClasslensDB, id: string): Promise<void> {
	try {
		await db.transaction('rw', [db.models, db.predictions], async () => {
			const m = await db.models.get(id);
			if (!m) return;
			await db.models.delete(id);
			await db.predictions.where('modelId').equals(id).delete();
			if (!m.active) return;
			const rest = await siblings(db, m.datasetId, m.target).toArray();
			if (rest.length === 0) return;
			const latest = rest.reduce((a, b) => (b.version > a.version ? b : a));
			await db.models.update(latest.id, { active: true });
		});
	} catch (e) {
		throw toStorageException(e);
	}
}
