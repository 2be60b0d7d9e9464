/**
 * Write-ahead for imports. Writing a million-row class to IndexedDB takes seconds; most of that
 * happens off the worker's thread, so the importer starts it as soon as the columns are built
 * and lets it run while the values are checked and the teacher reads the report. Saving then
 * only flips the record from staged to visible. A staged record is a complete dataset written
 * in one transaction, just hidden (listDatasets skips it): an abandoned or crashed import leaves
 * nothing a teacher can see, and the next start-up removes it.
 */
import type { ColumnRole, Frame } from '$lib/ml/frame';
import { columnData, DEFAULT_CHUNK_ROWS, reconcileTarget, splitChunks } from './columns';
import { buildDatasetRecord, deleteDataset, type SaveDatasetMeta } from './datasets';
import type { ClasslensDB } from './schema';
import { appError, datasetNotFound, newId, toStorageException } from './storage-errors';
import type { DatasetRecord } from './types';

/**
 * Streaming write-ahead, for files too big to wait for: the hidden record first (so a crash
 * leaves something the start-up clean-up can find), then each finished block of rows as it is
 * read, then the rest. Each step is its own transaction; visibility still flips in one.
 */
export async function beginStaged(
	db: ClasslensDB,
	meta: { name: string; fileName?: string | null; chunkRows?: number }
): Promise<string> {
	const now = Date.now();
	const record: DatasetRecord = {
		id: newId(),
		name: meta.name,
		description: '',
		profile: null,
		source: 'upload',
		fileName: meta.fileName ?? null,
		nRows: 0,
		columns: [],
		target: null,
		chunkRows: meta.chunkRows ?? DEFAULT_CHUNK_ROWS,
		nChunks: 0,
		sizeBytes: 0,
		createdAt: now,
		updatedAt: now,
		staged: true
	};
	try {
		await db.datasets.add(record);
	} catch (e) {
		throw toStorageException(e);
	}
	return record.id;
}

/** Rows [k * chunkRows, (k + 1) * chunkRows) of every column, in column order. */
export async function writeStagedChunk(
	db: ClasslensDB,
	id: string,
	chunk: number,
	columns: (Float64Array | Uint32Array)[]
): Promise<void> {
	try {
		await db.chunks.bulkPut(
			columns.map((data, column) => ({ datasetId: id, column, chunk, data }))
		);
	} catch (e) {
		throw toStorageException(e);
	}
}

/**
 * Writes what is left (chunks from `fromChunk` on, the dictionaries) and the full record, still
 * hidden, in one transaction. The frame must hold exactly the rows the earlier chunks came from.
 */
export async function completeStaged(
	db: ClasslensDB,
	id: string,
	frame: Frame,
	meta: SaveDatasetMeta,
	fromChunk: number
): Promise<DatasetRecord> {
	const before = await db.datasets.get(id);
	if (!before?.staged) throw datasetNotFound(id);
	const record = buildDatasetRecord(frame, { ...meta, staged: true }, before.chunkRows, id);
	record.createdAt = before.createdAt;
	try {
		await db.transaction('rw', [db.datasets, db.chunks, db.dictionaries], async () => {
			const still = await db.datasets.get(id);
			if (!still?.staged) throw datasetNotFound(id);
			for (let ci = 0; ci < frame.columns.length; ci++) {
				const c = frame.columns[ci];
				if (c.kind === 'categorical') {
					await db.dictionaries.put({ datasetId: id, column: ci, values: c.dictionary });
				}
				// Only the rows not yet written are copied.
				const rest = columnData(c).subarray(fromChunk * record.chunkRows);
				const parts = splitChunks(rest, record.chunkRows, fromChunk);
				if (parts.length) {
					await db.chunks.bulkPut(
						parts.map((p) => ({ datasetId: id, column: ci, chunk: p.chunk, data: p.data }))
					);
				}
			}
			await db.datasets.put(record);
		});
	} catch (e) {
		throw toStorageException(e);
	}
	return record;
}

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
