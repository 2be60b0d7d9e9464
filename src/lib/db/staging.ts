/**
 * Write-ahead for imports. Writing a million-row class to IndexedDB takes seconds; most of that
 * happens off the worker's thread, so the importer starts it as soon as the columns are built
 * and lets it run while the values are checked and the teacher reads the report. Saving then
 * only flips the record from staged to visible. A staged record is a complete dataset written
 * in one transaction, just hidden (listDatasets skips it): an abandoned or crashed import leaves
 * nothing a teacher can see, and the next start-up removes it.
 */
import type { ColumnRole } from '$lib/ml/frame';
import { reconcileTarget } from './columns';
import { deleteDataset } from './datasets';
import type { ClasslensDB } from './schema';
import { appError, datasetNotFound, toStorageException } from './storage-errors';
import type { DatasetRecord } from './types';

export interface FinaliseMeta {
	name: string;
	description?: string;
	roles?: Record<string, ColumnRole>;
	target?: string | null;
}

/** Makes a staged dataset visible, with the name and roles chosen since it was written. */
export async function finaliseStaged(
	db: ClasslensDB,
	id: string,
	meta: FinaliseMeta
): Promise<DatasetRecord> {
	try {
		return await db.transaction('rw', db.datasets, async () => {
			const d = await db.datasets.get(id);
			if (!d) throw datasetNotFound(id);
			if (!d.staged) throw appError('not-staged', 'This dataset has already been saved.');
			const roles = meta.roles ?? {};
			const columns = d.columns.map((c) => ({
				...c,
				role: c.name === meta.target ? ('target' as const) : (roles[c.name] ?? c.role)
			}));
			const now = Date.now();
			const { staged: _staged, ...rest } = d;
			void _staged;
			const updated: DatasetRecord = {
				...rest,
				...reconcileTarget(columns, meta.target ?? d.target),
				name: meta.name.trim() || d.name,
				description: meta.description ?? d.description,
				createdAt: now,
				updatedAt: now
			};
			await db.datasets.put(updated);
			return updated;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

/** Removes staged datasets last written before `olderThan` (ms since epoch); returns how many. */
export async function deleteStaged(db: ClasslensDB, olderThan = Infinity): Promise<number> {
	const stale = await db.datasets
		.filter((d) => d.staged === true && d.updatedAt < olderThan)
		.primaryKeys();
	for (const id of stale) await deleteDataset(db, id);
	return stale.length;
}
