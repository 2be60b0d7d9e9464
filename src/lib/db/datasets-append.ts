/**
 * Appending a batch of rows (e.g. next term's export) to a stored dataset. Columns are matched
 * by name, so a batch with the same columns in another order is accepted. The last stored chunk
 * is usually partial; it is rewritten together with the new rows so chunk k keeps covering rows
 * [k * chunkRows, (k + 1) * chunkRows) and loadFrame's arithmetic stays valid.
 */
import type { Column, ColumnType, Frame } from '$lib/ml/frame';
import type { CancelToken, ProgressFn } from '$lib/ml/progress';
import {
	chunkCount,
	columnData,
	countMissing,
	estimateColumnBytes,
	mergeColumnType,
	splitChunks,
	validateFrame
} from './columns';
import type { ClasslensDB } from './schema';
import { appError, datasetCorrupt, datasetNotFound, toStorageException } from './storage-errors';
import type { DatasetColumnMeta, DatasetRecord } from './types';

export interface AppendOptions {
	onProgress?: ProgressFn;
	cancel?: CancelToken;
}

const TYPE_WORDS: Record<ColumnType, string> = {
	integer: 'whole numbers',
	number: 'numbers',
	boolean: 'yes/no values',
	datetime: 'dates',
	category: 'categories',
	identifier: 'identifiers',
	text: 'text'
};

function mismatch(column: string, message: string, expected: string, found: string) {
	return appError('schema-mismatch', `${message} Nothing was added.`, { column, expected, found });
}

/** The batch's columns in stored order, plus the merged types; throws on any difference. */
function matchSchema(d: DatasetRecord, frame: Frame): { cols: Column[]; types: ColumnType[] } {
	const byName = new Map(frame.columns.map((c) => [c.name, c]));
	const stored = new Set(d.columns.map((c) => c.name));
	for (const c of frame.columns) {
		if (!stored.has(c.name)) {
			throw mismatch(
				c.name,
				`The new rows have a column "${c.name}" that the saved dataset does not have.`,
				'absent',
				c.type
			);
		}
	}
	const cols: Column[] = [];
	const types: ColumnType[] = [];
	for (const meta of d.columns) {
		const c = byName.get(meta.name);
		if (!c) {
			throw mismatch(
				meta.name,
				`The new rows have no column "${meta.name}", which the saved dataset has.`,
				meta.type,
				'absent'
			);
		}
		const type = c.kind === meta.kind ? mergeColumnType(meta.type, c.type) : null;
		if (type === null) {
			throw mismatch(
				meta.name,
				`Column "${meta.name}" holds ${TYPE_WORDS[meta.type]} in the saved dataset but ${TYPE_WORDS[c.type]} in the new rows.`,
				meta.type,
				c.type
			);
		}
		cols.push(c);
		types.push(type);
	}
	return { cols, types };
}

/** Adds the rows of `frame` to dataset `id` in one transaction; returns the updated record. */
export async function appendToDataset(
	db: ClasslensDB,
	id: string,
	frame: Frame,
	opts: AppendOptions = {}
): Promise<DatasetRecord> {
	validateFrame(frame);
	const report = opts.onProgress;
	try {
		return await db.transaction('rw', [db.datasets, db.chunks, db.dictionaries], async () => {
			const d = await db.datasets.get(id);
			if (!d) throw datasetNotFound(id);
			const { cols, types } = matchSchema(d, frame);
			const cr = d.chunkRows;
			const nNew = d.nRows + frame.nRows;
			// First chunk to (re)write: the partial last one if any, else the next fresh one.
			const firstChunk = Math.floor(d.nRows / cr);
			const carried = d.nRows % cr;
			let sizeBytes = 0;
			const columns: DatasetColumnMeta[] = [];

			for (let ci = 0; ci < d.columns.length; ci++) {
				opts.cancel?.throwIfCancelled();
				const meta = d.columns[ci];
				const c = cols[ci];
				let data = columnData(c);
				let dictionary: string[] = [];
				if (c.kind === 'categorical') {
					const rec = await db.dictionaries.get([id, ci]);
					if (!rec) throw datasetCorrupt(id, `column ${ci} dictionary`);
					dictionary = rec.values;
					const before = dictionary.length;
					const index = new Map(dictionary.map((w, k) => [w, k]));
					// Same merge as concatFrames: every batch word, in batch order, after the old ones.
					const remap = c.dictionary.map((w) => {
						let k = index.get(w);
						if (k === undefined) {
							k = dictionary.length;
							dictionary.push(w);
							index.set(w, k);
						}
						return k;
					});
					const codes = new Uint32Array(c.codes.length);
					for (let i = 0; i < codes.length; i++) {
						const code = c.codes[i];
						codes[i] = code < remap.length ? remap[code] : code;
					}
					data = codes;
					if (dictionary.length !== before) {
						await db.dictionaries.put({ datasetId: id, column: ci, values: dictionary });
					}
				}
				if (frame.nRows > 0) {
					if (carried > 0) {
						const last = await db.chunks.get([id, ci, firstChunk]);
						if (!last || last.data.length !== carried) {
							throw datasetCorrupt(id, `column ${ci} chunk ${firstChunk}`);
						}
						const joined =
							data instanceof Float64Array
								? new Float64Array(carried + data.length)
								: new Uint32Array(carried + data.length);
						joined.set(last.data);
						joined.set(data, carried);
						data = joined;
					}
					await db.chunks.bulkPut(
						splitChunks(data, cr, firstChunk).map((p) => ({
							datasetId: id,
							column: ci,
							chunk: p.chunk,
							data: p.data
						}))
					);
				}
				sizeBytes += estimateColumnBytes(meta.kind, nNew, dictionary);
				columns.push({
					...meta,
					type: types[ci],
					missingCount: meta.missingCount + countMissing(columnData(c)),
					dictionarySize: dictionary.length
				});
				report?.({
					fraction: (ci + 1) / d.columns.length,
					phase: 'Adding rows to the dataset',
					detail: { columnsWritten: ci + 1, columns: d.columns.length }
				});
			}

			const updated: DatasetRecord = {
				...d,
				columns,
				nRows: nNew,
				nChunks: chunkCount(nNew, cr),
				sizeBytes,
				updatedAt: Date.now()
			};
			await db.datasets.put(updated);
			return updated;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}
