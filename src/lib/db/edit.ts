/**
 * Editing single cells of a stored dataset (a teacher fixing a typo in a mark). Each call is one
 * transaction that rewrites only the chunks it touches, and returns the inverse edits, so the
 * page can offer undo by applying them. A value that does not fit the column is refused with a
 * message, never stored half-way.
 */
import { MISSING_CODE } from '$lib/ml/frame';
import type { ClasslensDB } from './schema';
import { dictionaryBytes } from './columns';
import {
	appError,
	columnNotFound,
	datasetCorrupt,
	datasetNotFound,
	toStorageException
} from './storage-errors';
import type { ChunkKey, ChunkRecord, DatasetRecord, DictionaryRecord } from './types';

/** `value` null means "make this cell missing". Numeric columns take numbers, others text. */
export interface CellEdit {
	row: number;
	column: string;
	value: number | string | null;
}

export interface EditResult {
	/** Apply these (in this order) to undo the edit. */
	inverse: CellEdit[];
	dataset: DatasetRecord;
}

function checkValue(d: DatasetRecord, ci: number, e: CellEdit): void {
	const meta = d.columns[ci];
	if (!Number.isInteger(e.row) || e.row < 0 || e.row >= d.nRows) {
		throw appError('invalid-row', `Row ${e.row + 1} does not exist in this dataset.`, {
			row: e.row
		});
	}
	if (e.value === null) return;
	if (meta.kind === 'numeric') {
		if (typeof e.value !== 'number' || !Number.isFinite(e.value)) {
			throw appError(
				'invalid-value',
				`Column “${meta.name}” holds numbers; “${String(e.value)}” is not one.`,
				{ column: meta.name, row: e.row }
			);
		}
		if (meta.type === 'integer' && !Number.isInteger(e.value)) {
			throw appError(
				'invalid-value',
				`Column “${meta.name}” holds whole numbers; ${e.value} has a fraction.`,
				{ column: meta.name, row: e.row }
			);
		}
		if (meta.type === 'boolean' && e.value !== 0 && e.value !== 1) {
			throw appError('invalid-value', `Column “${meta.name}” holds yes/no values (1 or 0).`, {
				column: meta.name,
				row: e.row
			});
		}
	} else if (typeof e.value !== 'string') {
		throw appError('invalid-value', `Column “${meta.name}” holds text; enter the value as text.`, {
			column: meta.name,
			row: e.row
		});
	}
}

export async function editCells(
	db: ClasslensDB,
	datasetId: string,
	edits: readonly CellEdit[]
): Promise<EditResult> {
	if (edits.length === 0) {
		const d = await db.datasets.get(datasetId);
		if (!d) throw datasetNotFound(datasetId);
		return { inverse: [], dataset: d };
	}
	try {
		return await db.transaction(
			'rw',
			[db.datasets, db.chunks, db.dictionaries],
			async (): Promise<EditResult> => {
				const d = await db.datasets.get(datasetId);
				if (!d) throw datasetNotFound(datasetId);
				const colIndex = new Map(d.columns.map((c, i) => [c.name, i]));
				const located = edits.map((e) => {
					const ci = colIndex.get(e.column);
					if (ci === undefined) throw columnNotFound(e.column);
					checkValue(d, ci, e);
					return { e, ci, chunk: Math.floor(e.row / d.chunkRows) };
				});

				// Load every touched chunk and dictionary once.
				const chunkKeys = new Map<string, ChunkKey>();
				for (const { ci, chunk } of located)
					chunkKeys.set(`${ci}:${chunk}`, [datasetId, ci, chunk]);
				const keys = [...chunkKeys.values()];
				const recs = await db.chunks.bulkGet(keys);
				const chunks = new Map<string, ChunkRecord>();
				keys.forEach((k, i) => {
					const rec = recs[i];
					if (!rec) throw datasetCorrupt(datasetId, `column ${k[1]} chunk ${k[2]}`);
					// Copy: the record may be shared with a cached read in this context.
					const data = rec.data.slice() as Float64Array | Uint32Array;
					chunks.set(`${k[1]}:${k[2]}`, { ...rec, data });
				});
				const catCols = [...new Set(located.map((l) => l.ci))].filter(
					(ci) => d.columns[ci].kind === 'categorical'
				);
				const dictRecs = await db.dictionaries.bulkGet(catCols.map((ci) => [datasetId, ci]));
				const dicts = new Map<number, { rec: DictionaryRecord; index: Map<string, number> }>();
				catCols.forEach((ci, i) => {
					const rec = dictRecs[i];
					if (!rec) throw datasetCorrupt(datasetId, `column ${ci} dictionary`);
					const values = rec.values.slice();
					dicts.set(ci, {
						rec: { ...rec, values },
						index: new Map(values.map((v, j) => [v, j]))
					});
				});

				const inverse: CellEdit[] = [];
				const missingDelta = new Array<number>(d.columns.length).fill(0);
				for (const { e, ci, chunk } of located) {
					const data = chunks.get(`${ci}:${chunk}`)!.data;
					const at = e.row - chunk * d.chunkRows;
					if (data instanceof Float64Array) {
						const old = data[at];
						inverse.push({ row: e.row, column: e.column, value: Number.isNaN(old) ? null : old });
						const next = e.value === null ? NaN : (e.value as number);
						missingDelta[ci] += (Number.isNaN(next) ? 1 : 0) - (Number.isNaN(old) ? 1 : 0);
						data[at] = next;
					} else {
						const dict = dicts.get(ci)!;
						const old = data[at];
						inverse.push({
							row: e.row,
							column: e.column,
							value: old === MISSING_CODE ? null : dict.rec.values[old]
						});
						let next = MISSING_CODE;
						if (e.value !== null) {
							const text = e.value as string;
							let code = dict.index.get(text);
							if (code === undefined) {
								code = dict.rec.values.length;
								dict.rec.values.push(text);
								dict.index.set(text, code);
							}
							next = code;
						}
						missingDelta[ci] += (next === MISSING_CODE ? 1 : 0) - (old === MISSING_CODE ? 1 : 0);
						data[at] = next;
					}
				}

				await db.chunks.bulkPut([...chunks.values()]);
				if (dicts.size) await db.dictionaries.bulkPut([...dicts.values()].map((x) => x.rec));
				const columns = d.columns.map((c, ci) => {
					const dict = dicts.get(ci);
					return {
						...c,
						missingCount: c.missingCount + missingDelta[ci],
						dictionarySize: dict ? dict.rec.values.length : c.dictionarySize
					};
				});
				// Size only changes through new dictionary entries; re-estimate those columns.
				let sizeBytes = d.sizeBytes;
				for (const [ci, dict] of dicts) {
					const before = d.columns[ci].dictionarySize;
					const added = dict.rec.values.slice(before);
					sizeBytes += dictionaryBytes(added);
				}
				const updated: DatasetRecord = { ...d, columns, sizeBytes, updatedAt: Date.now() };
				await db.datasets.put(updated);
				return { inverse: inverse.reverse(), dataset: updated };
			}
		);
	} catch (e) {
		throw toStorageException(e);
	}
}
