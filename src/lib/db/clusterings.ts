/**
 * Saved clusterings (persona models): the algorithm, its parameters, one cluster index per
 * dataset row, the validity indices and the persona names a teacher gave. They are saved so that
 * two clusterings of the same class can be compared later, and so that renaming a persona is
 * kept. The dataset must still exist when one is saved (checked in the same transaction, so a
 * dataset deleted meanwhile cannot end up with an orphan clustering).
 */
import { MISSING_CODE } from '$lib/ml/frame';
import type { ClasslensDB } from './schema';
import {
	appError,
	datasetNotFound,
	newId,
	toReadException,
	toStorageException
} from './storage-errors';
import type { ClusteringRecord } from './types';

export type NewClustering = Omit<ClusteringRecord, 'id' | 'createdAt'>;

/** A clustering without its per-row assignments, for lists (small; many fit in memory). */
export type ClusteringSummary = Omit<ClusteringRecord, 'assignments'> & { nRows: number };

function notFound(id: string) {
	return appError(
		'clustering-not-found',
		'This saved clustering is no longer on this device. It may have been deleted in another tab.',
		{ clusteringId: id }
	);
}

function invalid(message: string, field: string): never {
	throw appError('clustering-invalid', message, { field });
}

/** Persona names: trimmed, never empty (an emptied name falls back to "Persona n"). */
export function cleanNames(names: readonly string[], k: number): string[] {
	return Array.from({ length: k }, (_, i) => {
		const s = (names[i] ?? '').trim().replace(/\s+/g, ' ').slice(0, 80);
		return s === '' ? `Persona ${i + 1}` : s;
	});
}

function check(rec: NewClustering): void {
	if (!rec.datasetId) invalid('No dataset given.', 'datasetId');
	if (!rec.algorithm) invalid('No algorithm given.', 'algorithm');
	if (!Number.isInteger(rec.k) || rec.k < 1) invalid('A clustering needs at least one group.', 'k');
	if (!(rec.assignments instanceof Uint32Array))
		invalid('The assignments are missing.', 'assignments');
	for (const a of rec.assignments) {
		if (a !== MISSING_CODE && a >= rec.k) invalid('An assignment is out of range.', 'assignments');
	}
}

export async function saveClustering(
	db: ClasslensDB,
	rec: NewClustering
): Promise<ClusteringRecord> {
	check(rec);
	const out: ClusteringRecord = {
		...rec,
		names: cleanNames(rec.names, rec.k),
		id: newId(),
		createdAt: Date.now()
	};
	try {
		return await db.transaction('rw', [db.datasets, db.clusterings], async () => {
			if (!(await db.datasets.get(rec.datasetId))) throw datasetNotFound(rec.datasetId);
			await db.clusterings.add(out);
			return out;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

function summarise(r: ClusteringRecord): ClusteringSummary {
	const { assignments, ...rest } = r;
	return { ...rest, nRows: assignments.length };
}

/** A dataset's clusterings (without assignments), newest first. */
export async function listClusterings(
	db: ClasslensDB,
	datasetId: string
): Promise<ClusteringSummary[]> {
	try {
		const rows = await db.clusterings.where('datasetId').equals(datasetId).toArray();
		return rows.map(summarise).sort((a, b) => b.createdAt - a.createdAt);
	} catch (e) {
		throw toReadException(e);
	}
}

export async function getClustering(
	db: ClasslensDB,
	id: string
): Promise<ClusteringRecord | undefined> {
	try {
		return await db.clusterings.get(id);
	} catch (e) {
		throw toReadException(e);
	}
}

async function update(
	db: ClasslensDB,
	id: string,
	change: (r: ClusteringRecord) => Partial<ClusteringRecord>
): Promise<ClusteringRecord> {
	try {
		return await db.transaction('rw', db.clusterings, async () => {
			const r = await db.clusterings.get(id);
			if (!r) throw notFound(id);
			const updated = { ...r, ...change(r) };
			await db.clusterings.put(updated);
			return updated;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

/**
 * Renames the personas (one name per cluster; empty names become "Persona n"). Descriptions,
 * when given, are kept in `params.descriptions`.
 */
export function renamePersonas(
	db: ClasslensDB,
	id: string,
	names: readonly string[],
	descriptions?: readonly string[]
): Promise<ClusteringRecord> {
	return update(db, id, (r) => ({
		names: cleanNames(names, r.k),
		...(descriptions
			? {
					params: {
						...r.params,
						descriptions: Array.from({ length: r.k }, (_, i) => (descriptions[i] ?? '').trim())
					}
				}
			: {})
	}));
}

export function updateClusteringNotes(
	db: ClasslensDB,
	id: string,
	notes: string
): Promise<ClusteringRecord> {
	return update(db, id, () => ({ notes }));
}

/** Adds or replaces metrics (bootstrap stability, computed after saving). */
export function updateClusteringMetrics(
	db: ClasslensDB,
	id: string,
	metrics: Record<string, number>
): Promise<ClusteringRecord> {
	return update(db, id, (r) => ({ metrics: { ...r.metrics, ...metrics } }));
}

export async function deleteClustering(db: ClasslensDB, id: string): Promise<void> {
	try {
		await db.clusterings.delete(id);
	} catch (e) {
		throw toStorageException(e);
	}
}
