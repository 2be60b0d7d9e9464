/**
 * Write-ahead for imports. Writing a million-row class to IndexedDB takes seconds; most of that
 * happens off the worker's thread, so the importer starts it as soon as the columns are built
 * and lets it run while the values are checked and the teacher reads the report. Saving then
 * only flips the record from staged to visible. A staged record is a complete dataset written
 * in one transaction, just hidden (listDatasets skips it): an abandoned or crashed import leaves
 * nothing a teacher can see, and the next start-up removes it. In a browser, the blocks written
 * while the file is still being read go through a writer worker of their own (see below).
 */
import type { ColumnRole, Frame } from '$lib/ml/frame';
import { columnData, DEFAULT_CHUNK_ROWS, reconcileTarget, splitChunks } from './columns';
import { buildDatasetRecord, deleteDataset, type SaveDatasetMeta } from './datasets';
import { openDb, type ClasslensDB } from './schema';
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

/**
 * Rows [k * chunkRows, (k + 1) * chunkRows) of every column, in column order. In a browser the
 * write is handed to a writer worker of its own (below): IndexedDB copies each value on the
 * calling thread, and that thread is the importer's, which is still reading the file.
 */
export async function writeStagedChunk(
	db: ClasslensDB,
	id: string,
	chunk: number,
	columns: (Float64Array | Uint32Array)[]
): Promise<void> {
	try {
		const writer = stageWriter();
		if (writer) await writer.write({ db: db.name, dataset: id, chunk, columns });
		else await putChunk(db, id, chunk, columns);
	} catch (e) {
		throw toStorageException(e);
	}
}

function putChunk(
	db: ClasslensDB,
	id: string,
	chunk: number,
	columns: (Float64Array | Uint32Array)[]
): Promise<unknown> {
	return db.chunks.bulkPut(columns.map((data, column) => ({ datasetId: id, column, chunk, data })));
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

// ---------------------------------------------------------------------------------------------
// The writer worker: this same module, started again under the name 'classlens-stage-writer'.
// The columns go to it as copies into buffers that travel there and back (transferred, not
// cloned): the importer pays one memcpy, the put's own copying and the hand-over to the
// browser's storage process run beside the import, and no block is left behind as garbage.

/** The writer's worker name: stageWriter() spells it out too, as Vite needs a literal there. */
const WRITER_NAME = 'classlens-stage-writer';

type ColumnData = Float64Array | Uint32Array;

export interface StageWriteRequest {
	seq: number;
	db: string;
	dataset: string;
	chunk: number;
	columns: ColumnData[];
}

export interface StageWriteReply {
	seq: number;
	/** The request's buffers, sent back for the next block. */
	columns: ColumnData[];
	/** The failure, as plain data (an Error does not cross postMessage with its name intact). */
	error?: { name: string; message: string };
}

/** The port a writer is reached through: a Worker, or a stand-in in tests. */
export interface StageWriterPort {
	postMessage(msg: StageWriteRequest, transfer: Transferable[]): void;
	onmessage: ((e: MessageEvent<StageWriteReply>) => void) | null;
	onerror: ((e: Event) => void) | null;
}

export interface StageWriter {
	write(req: Omit<StageWriteRequest, 'seq'>): Promise<void>;
}

/** Rebuilds a writer's failure so toStorageException can read its name (a full disk, say). */
function replyError(error: { name: string; message: string }): Error {
	const e = new Error(error.message);
	e.name = error.name;
	return e;
}

/**
 * The importer's side: one promise per write, settled by the writer's reply. The caller's arrays
 * are copied and stay theirs. `onDead` hears of a writer that failed as a whole (it could not
 * load, say), after its pending writes have been failed.
 */
export function connectStageWriter(port: StageWriterPort, onDead?: () => void): StageWriter {
	let seq = 0;
	const waiting = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();
	/** Buffers back from the writer, for the next block's copies. */
	const spare: ColumnData[] = [];
	const copyOf = (a: ColumnData): ColumnData => {
		const i = spare.findIndex((b) => b.length === a.length && b.constructor === a.constructor);
		const out =
			i >= 0 ? spare.splice(i, 1)[0] : new (a.constructor as typeof Float64Array)(a.length);
		out.set(a);
		return out;
	};
	port.onmessage = (e) => {
		const { seq: s, columns, error } = e.data;
		// A block's worth of buffers is all a writer ever holds: the next block reuses them.
		if (spare.length < 64) spare.push(...columns);
		const w = waiting.get(s);
		if (!w) return;
		waiting.delete(s);
		if (error) w.reject(replyError(error));
		else w.resolve();
	};
	port.onerror = () => {
		// The import then saves without its write-ahead, and later ones write on their own.
		for (const w of waiting.values()) w.reject(new Error('The storage writer stopped.'));
		waiting.clear();
		onDead?.();
	};
	return {
		write: (req) =>
			new Promise<void>((resolve, reject) => {
				const s = ++seq;
				const columns = req.columns.map(copyOf);
				waiting.set(s, { resolve, reject });
				port.postMessage(
					{ ...req, columns, seq: s },
					columns.map((c) => c.buffer as ArrayBuffer)
				);
			})
	};
}

/** The writer's side: each request's columns written as its chunk, in one transaction. */
export function serveStageWrites(
	port: { postMessage(reply: StageWriteReply, transfer: Transferable[]): void },
	open: (name: string) => ClasslensDB = openDb
): (e: MessageEvent<StageWriteRequest>) => Promise<void> {
	return async (e) => {
		const { seq, db: name, dataset, chunk, columns } = e.data;
		let error: StageWriteReply['error'];
		try {
			await putChunk(open(name), dataset, chunk, columns);
		} catch (err) {
			const x = err as { name?: unknown; message?: unknown };
			error = { name: String(x?.name ?? 'Error'), message: String(x?.message ?? err) };
		}
		port.postMessage(
			{ seq, columns, ...(error ? { error } : {}) },
			columns.map((c) => c.buffer as ArrayBuffer)
		);
	};
}

let writer: StageWriter | null | undefined;

/** The writer worker, started on first use; null where there are no workers (Node, tests). */
function stageWriter(): StageWriter | null {
	if (writer !== undefined) return writer;
	writer = null;
	if (typeof Worker === 'undefined' || typeof indexedDB === 'undefined') return writer;
	try {
		// Vite bundles this module again as the worker; it needs the options as literals.
		const w = new Worker(new URL('./staging.ts', import.meta.url), {
			type: 'module',
			name: 'classlens-stage-writer'
		});
		writer = connectStageWriter(w as unknown as StageWriterPort, () => {
			writer = null;
			w.terminate();
		});
	} catch {
		writer = null;
	}
	return writer;
}

// Started as the writer: serve the importer's requests.
{
	const scope = globalThis as unknown as {
		name?: unknown;
		postMessage?: unknown;
		onmessage?: unknown;
		document?: unknown;
	};
	if (
		scope.name === WRITER_NAME &&
		typeof scope.postMessage === 'function' &&
		scope.document === undefined
	) {
		scope.onmessage = serveStageWrites(
			scope as { postMessage(r: StageWriteReply, transfer: Transferable[]): void }
		);
	}
}
