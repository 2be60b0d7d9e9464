/**
 * Dataset repository: frames in, frames out. A dataset is one metadata record plus column
 * chunks and dictionaries (layout in schema.ts). Every write that touches more than one record
 * runs in a single transaction, so an import or an append is all-or-nothing (DESIGN.md,
 * promise 2): if the disk fills halfway, IndexedDB rolls the whole transaction back.
 */
import { MISSING_CODE, type Column, type ColumnRole, type Frame } from '$lib/ml/frame';
import type { CancelToken, ProgressFn } from '$lib/ml/progress';
import {
	COLUMN_ROLES,
	DEFAULT_CHUNK_ROWS,
	chunkCount,
	columnData,
	countMissing,
	defaultRole,
	estimateColumnBytes,
	reconcileTarget,
	splitChunks,
	validateFrame
} from './columns';
import type { ClasslensDB } from './schema';
import {
	appError,
	columnNotFound,
	datasetCorrupt,
	datasetNotFound,
	newId,
	toReadException,
	toStorageException
} from './storage-errors';
import type { ChunkKey, DatasetColumnMeta, DatasetRecord, DatasetSource } from './types';

export { appendToDataset, type AppendOptions } from './datasets-append';

export interface SaveDatasetMeta {
	name: string;
	description?: string;
	profile?: string | null;
	source: DatasetSource;
	fileName?: string | null;
	/** Roles for some or all columns; the rest get defaults (identifier → id, else feature). */
	roles?: Record<string, ColumnRole>;
	/** Defaults to the first column given the 'target' role, else none. */
	target?: string | null;
	/** Write it hidden, to be made visible by finaliseStaged (see staging.ts). */
	staged?: boolean;
	/**
	 * Missing values per column, in column order, when the caller has counted them already (an
	 * import's validation report has): a million-row frame is then not counted a second time.
	 */
	missingCounts?: readonly number[];
}

export interface SaveDatasetOptions {
	/** Rows per stored chunk (default 65,536). Small values are for tests. */
	chunkRows?: number;
	onProgress?: ProgressFn;
	/** Checked between columns; cancelling rolls everything back. */
	cancel?: CancelToken;
}

function checkRoles(names: ReadonlySet<string>, roles: Record<string, ColumnRole>): void {
	for (const [name, role] of Object.entries(roles)) {
		if (!names.has(name)) throw columnNotFound(name);
		if (!COLUMN_ROLES.includes(role)) {
			throw appError('invalid-role', `"${String(role)}" is not a column role Classlens knows.`, {
				column: name,
				role: String(role)
			});
		}
	}
}

/**
 * The record a frame is stored under: checks the frame and the roles, counts missing values and
 * estimates the size. Shared by the one-transaction save and the streamed write-ahead.
 */
export function buildDatasetRecord(
	frame: Frame,
	meta: SaveDatasetMeta,
	chunkRows: number = DEFAULT_CHUNK_ROWS,
	id: string = newId()
): DatasetRecord {
	if (!Number.isInteger(chunkRows) || chunkRows < 1) {
		throw appError('invalid-argument', 'The chunk size must be a positive whole number.', {
			chunkRows
		});
	}
	validateFrame(frame);
	const names = new Set(frame.columns.map((c) => c.name));
	const roles = meta.roles ?? {};
	checkRoles(names, roles);
	const requested =
		meta.target !== undefined
			? meta.target
			: (frame.columns.find((c) => roles[c.name] === 'target')?.name ?? null);
	if (requested !== null && !names.has(requested)) throw columnNotFound(requested);

	let sizeBytes = 0;
	const counted =
		meta.missingCounts?.length === frame.columns.length ? meta.missingCounts : undefined;
	const metaColumns: DatasetColumnMeta[] = frame.columns.map((c, i) => {
		const dictionary = c.kind === 'categorical' ? c.dictionary : [];
		sizeBytes += estimateColumnBytes(c.kind, frame.nRows, dictionary);
		return {
			name: c.name,
			kind: c.kind,
			type: c.type,
			role: c.name === requested ? 'target' : (roles[c.name] ?? defaultRole(c.type, c.name, null)),
			missingCount: counted ? counted[i] : countMissing(columnData(c)),
			dictionarySize: dictionary.length
		};
	});
	const { columns, target } = reconcileTarget(metaColumns, requested);
	const now = Date.now();
	return {
		id,
		name: meta.name.trim() || 'Untitled dataset',
		description: meta.description ?? '',
		profile: meta.profile ?? null,
		source: meta.source,
		fileName: meta.fileName ?? null,
		nRows: frame.nRows,
		columns,
		target,
		chunkRows,
		nChunks: chunkCount(frame.nRows, chunkRows),
		sizeBytes,
		createdAt: now,
		updatedAt: now,
		...(meta.staged ? { staged: true } : {})
	};
}

/** Saves a whole frame as a new dataset in one transaction; returns the stored record. */
export async function saveFrameAsDataset(
	db: ClasslensDB,
	frame: Frame,
	meta: SaveDatasetMeta,
	opts: SaveDatasetOptions = {}
): Promise<DatasetRecord> {
	const chunkRows = opts.chunkRows ?? DEFAULT_CHUNK_ROWS;
	const record = buildDatasetRecord(frame, meta, chunkRows);

	const report = opts.onProgress;
	const total = frame.columns.length;
	report?.({ fraction: 0, phase: 'Saving to this device', detail: { columns: total } });
	try {
		await db.transaction('rw', [db.datasets, db.chunks, db.dictionaries], async () => {
			await db.datasets.add(record);
			for (let ci = 0; ci < total; ci++) {
				opts.cancel?.throwIfCancelled();
				const c: Column = frame.columns[ci];
				if (c.kind === 'categorical') {
					await db.dictionaries.add({ datasetId: record.id, column: ci, values: c.dictionary });
				}
				const parts = splitChunks(columnData(c), chunkRows);
				await db.chunks.bulkAdd(
					parts.map((p) => ({ datasetId: record.id, column: ci, chunk: p.chunk, data: p.data }))
				);
				report?.({
					fraction: (ci + 1) / Math.max(1, total),
					phase: 'Saving to this device',
					detail: { columnsWritten: ci + 1, columns: total }
				});
			}
		});
	} catch (e) {
		throw toStorageException(e);
	}
	return record;
}

export interface LoadFrameOptions {
	/** Only these columns, in this order (default: all, in stored order). */
	columns?: string[];
	/** Rows [start, end), clamped to the dataset; only the chunks overlapping it are read. */
	rows?: [start: number, end: number];
}

/** Reassembles a frame (or a column / row window of it) from the stored chunks. */
export async function loadFrame(
	db: ClasslensDB,
	datasetId: string,
	opts: LoadFrameOptions = {}
): Promise<Frame> {
	try {
		return await db.transaction('r', [db.datasets, db.chunks, db.dictionaries], async () => {
			const d = await db.datasets.get(datasetId);
			if (!d) throw datasetNotFound(datasetId);
			const indices = opts.columns
				? opts.columns.map((name) => {
						const i = d.columns.findIndex((c) => c.name === name);
						if (i < 0) throw columnNotFound(name);
						return i;
					})
				: d.columns.map((_, i) => i);
			if (new Set(indices).size !== indices.length) {
				throw appError('invalid-argument', 'The same column was asked for twice.');
			}
			const [rs, re] = opts.rows ?? [0, d.nRows];
			const start = Math.max(0, Math.min(Math.floor(rs), d.nRows));
			const end = Math.max(start, Math.min(Math.ceil(re), d.nRows));
			const cr = d.chunkRows;
			const c0 = Math.floor(start / cr);
			const c1 = end > start ? Math.floor((end - 1) / cr) : c0 - 1;

			const keys: ChunkKey[] = [];
			for (const ci of indices) for (let k = c0; k <= c1; k++) keys.push([datasetId, ci, k]);
			const chunks = await db.chunks.bulkGet(keys);
			const catIndices = indices.filter((ci) => d.columns[ci].kind === 'categorical');
			const dicts = await db.dictionaries.bulkGet(
				catIndices.map((ci): [string, number] => [datasetId, ci])
			);

			let next = 0;
			const columns: Column[] = indices.map((ci) => {
				const meta = d.columns[ci];
				const out =
					meta.kind === 'numeric' ? new Float64Array(end - start) : new Uint32Array(end - start);
				for (let k = c0; k <= c1; k++) {
					const rec = chunks[next++];
					const chunkStart = k * cr;
					const expected = Math.min(cr, d.nRows - chunkStart);
					if (
						!rec ||
						rec.data.length !== expected ||
						(meta.kind === 'numeric') !== rec.data instanceof Float64Array
					) {
						throw datasetCorrupt(datasetId, `column ${ci} chunk ${k}`);
					}
					const a = Math.max(start, chunkStart);
					const b = Math.min(end, chunkStart + expected);
					out.set(rec.data.subarray(a - chunkStart, b - chunkStart), a - start);
				}
				if (meta.kind === 'numeric') {
					return { kind: 'numeric', name: meta.name, type: meta.type, values: out } as Column;
				}
				const dict = dicts[catIndices.indexOf(ci)];
				if (!dict) throw datasetCorrupt(datasetId, `column ${ci} dictionary`);
				const codes = out as Uint32Array;
				for (let i = 0; i < codes.length; i++) {
					if (codes[i] >= dict.values.length && codes[i] !== MISSING_CODE) {
						throw datasetCorrupt(datasetId, `column ${ci} code out of range`);
					}
				}
				return {
					kind: 'categorical',
					name: meta.name,
					type: meta.type,
					codes,
					dictionary: dict.values
				} as Column;
			});
			return { nRows: end - start, columns };
		});
	} catch (e) {
		throw toReadException(e);
	}
}

/**
 * Newest first, by creation (default) or by last change. Metadata only; no column data. Imports
 * still being checked (staged) are not datasets yet and are left out.
 */
export async function listDatasets(
	db: ClasslensDB,
	opts: { orderBy?: 'createdAt' | 'updatedAt' } = {}
): Promise<DatasetRecord[]> {
	return db.datasets
		.orderBy(opts.orderBy ?? 'createdAt')
		.reverse()
		.filter((d) => !d.staged)
		.toArray();
}

export async function getDataset(db: ClasslensDB, id: string): Promise<DatasetRecord | undefined> {
	return db.datasets.get(id);
}

/** Read-modify-write of one dataset record in its own transaction. */
async function updateDataset(
	db: ClasslensDB,
	id: string,
	change: (d: DatasetRecord) => DatasetRecord
): Promise<DatasetRecord> {
	try {
		return await db.transaction('rw', db.datasets, async () => {
			const d = await db.datasets.get(id);
			if (!d) throw datasetNotFound(id);
			const updated = { ...change(d), updatedAt: Date.now() };
			await db.datasets.put(updated);
			return updated;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

export async function renameDataset(
	db: ClasslensDB,
	id: string,
	name: string,
	description?: string
): Promise<DatasetRecord> {
	const trimmed = name.trim();
	if (!trimmed) throw appError('invalid-name', 'Please give the dataset a name.');
	return updateDataset(db, id, (d) => ({
		...d,
		name: trimmed,
		description: description ?? d.description
	}));
}

/**
 * Changes some columns' roles. The dataset's target follows: if its column stops being a
 * 'target', the first remaining 'target' column (or none) becomes the target.
 */
export async function updateColumnRoles(
	db: ClasslensDB,
	id: string,
	roles: Record<string, ColumnRole>
): Promise<DatasetRecord> {
	return updateDataset(db, id, (d) => {
		checkRoles(new Set(d.columns.map((c) => c.name)), roles);
		const columns = d.columns.map((c) => ({ ...c, role: roles[c.name] ?? c.role }));
		return { ...d, ...reconcileTarget(columns, d.target) };
	});
}

/** Sets (or clears, with null) the column to predict; the old target goes back to its default. */
export async function setDatasetTarget(
	db: ClasslensDB,
	id: string,
	target: string | null
): Promise<DatasetRecord> {
	return updateDataset(db, id, (d) => {
		if (target !== null && !d.columns.some((c) => c.name === target)) throw columnNotFound(target);
		const columns = d.columns.map((c) => {
			if (c.name === target) return { ...c, role: 'target' as const };
			if (c.name === d.target && c.role === 'target') {
				return { ...c, role: defaultRole(c.type, c.name, null) };
			}
			return c;
		});
		return { ...d, columns, target };
	});
}

/** Removes the dataset and everything derived from it, in one transaction. */
export async function deleteDataset(db: ClasslensDB, id: string): Promise<void> {
	const tables = [
		db.datasets,
		db.chunks,
		db.dictionaries,
		db.models,
		db.predictions,
		db.clusterings,
		db.interventions,
		// Results, study plans and logged predictions name the dataset's students: they go too.
		// Outcome checks hold only scores and stay as the history of the models' accuracy.
		db.actuals,
		db.studyPlans,
		db.predictionLog
	];
	try {
		await db.transaction('rw', tables, async () => {
			await db.datasets.delete(id);
			for (const t of tables.slice(1)) await t.where('datasetId').equals(id).delete();
		});
	} catch (e) {
		throw toStorageException(e);
	}
}
