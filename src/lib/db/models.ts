/**
 * Model registry. Models are versioned per (dataset, target): each save is the next version and
 * becomes the active one; rolling back is activating an older version. Keeping exactly one
 * active model per pair is done inside rw transactions, which IndexedDB serialises, so two
 * saves racing from the worker and the UI cannot both end up active or share a version number.
 * An imported model file is the next version too, but stays inactive until the teacher
 * activates it. (Booleans are not valid IndexedDB keys, so `active` is filtered in memory.)
 */
import type { ClasslensDB } from './schema';
import { appError, datasetNotFound, newId, toStorageException } from './storage-errors';
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
		return await db.transaction('rw', db.models, () => addVersion(db, rec, activate));
	} catch (e) {
		throw toStorageException(e);
	}
}

/** The body of saveModel; must run inside a rw transaction that includes db.models. */
async function addVersion(
	db: ClasslensDB,
	rec: NewModelRecord,
	activate: boolean
): Promise<ModelRecord> {
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
}

/** The record's features plus any its artifact reads (they agree for models we trained). */
function neededColumns(rec: ImportedModel): string[] {
	const a = rec.artifact as { features?: unknown } | null;
	const inner = Array.isArray(a?.features) ? a.features.filter((f) => typeof f === 'string') : [];
	return [...new Set([...rec.features, ...inner])];
}

/** A model read from a model file: everything but the dataset it is attached to here. */
export type ImportedModel = Omit<NewModelRecord, 'datasetId'>;

/**
 * Stores an imported model as the next version for `datasetId` + its target. It stays inactive
 * (the teacher activates it after looking at it) unless the pair has no active model yet. The
 * dataset must exist and have every feature column the model reads, checked in the same
 * transaction so a dataset deleted meanwhile cannot end up with an orphan model.
 */
export async function importModelRecord(
	db: ClasslensDB,
	rec: ImportedModel,
	opts: { datasetId: string }
): Promise<ModelRecord> {
	const { datasetId } = opts;
	try {
		return await db.transaction('rw', [db.models, db.datasets], async () => {
			const ds = await db.datasets.get(datasetId);
			if (!ds || ds.staged) throw datasetNotFound(datasetId);
			const have = new Set(ds.columns.map((c) => c.name));
			const missing = neededColumns(rec).filter((f) => !have.has(f));
			if (missing.length > 0) {
				throw appError(
					'model-columns-missing',
					`The dataset "${ds.name}" has no column ${missing.map((m) => `"${m}"`).join(', ')}, which this model needs. Choose another dataset.`,
					{ datasetId, missing: missing.join(', ') }
				);
			}
			return addVersion(db, { ...rec, datasetId }, false);
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

/** Every version for a dataset + target, oldest (v1) first. */
export async function listVersions(
	db: ClasslensDB,
	datasetId: string,
	target: string
): Promise<ModelRecord[]> {
	const models = await siblings(db, datasetId, target).toArray();
	return models.sort((a, b) => a.version - b.version);
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

/** Read-modify-write of one model's editable fields in its own transaction. */
async function updateModel(
	db: ClasslensDB,
	id: string,
	changes: Partial<Pick<ModelRecord, 'notes' | 'name'>>
): Promise<ModelRecord> {
	try {
		return await db.transaction('rw', db.models, async () => {
			const m = await db.models.get(id);
			if (!m) throw modelNotFound(id);
			const updated = { ...m, ...changes };
			await db.models.put(updated);
			return updated;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

/** The teacher's notes on one version (free text, kept as typed). */
export async function updateModelNotes(
	db: ClasslensDB,
	id: string,
	notes: string
): Promise<ModelRecord> {
	return updateModel(db, id, { notes });
}

export const MAX_MODEL_NAME_LENGTH = 120;

/** Renames one version; the name is trimmed and must not be empty. */
export async function renameModel(db: ClasslensDB, id: string, name: string): Promise<ModelRecord> {
	const clean = name.replace(/\s+/g, ' ').trim();
	if (clean.length === 0) {
		throw appError('model-name-empty', 'A model needs a name. Type at least one letter.', {
			modelId: id
		});
	}
	if (clean.length > MAX_MODEL_NAME_LENGTH) {
		throw appError(
			'model-name-too-long',
			`A model name can be at most ${MAX_MODEL_NAME_LENGTH} characters long.`,
			{ modelId: id, length: clean.length }
		);
	}
	return updateModel(db, id, { name: clean });
}
