/**
 * Schema history. Every version ever shipped stays declared here, because a teacher may open
 * the app after months offline with a database several versions behind, and an update must
 * never destroy stored data (DESIGN.md, promise 3). Never edit a shipped version: add a new one.
 *
 * v1 — initial schema. Dictionaries lived in `chunks` as pseudo-chunk -1 records
 *      ({ datasetId, column, chunk: -1, dictionary }); column roles were a dataset-level
 *      `roles` map that was often absent; no missing counts, size or update time.
 * v2 — dictionaries move to their own `dictionaries` store (so `chunks` holds only typed
 *      arrays and a chunk range query never returns a string array); each column carries its
 *      `role` (defaults filled in) and `missingCount` (counted from the stored chunks);
 *      datasets gain `sizeBytes` and an indexed `updatedAt`; interventions gain a
 *      [datasetId+studentId] index for the student report; audit gains [type+at] so filtered
 *      listings come back newest first without sorting in memory.
 * v3 — new stores only, so no data migration: `predictionLog` (every prediction made, for the
 *      audit trail), `actuals` (students' real results), `outcomeChecks` (predictions compared
 *      with those results) and `studyPlans`. Each has a datasetId index (predictionLog too)
 *      so that deleting a dataset can find what belongs to it.
 */
import type { Transaction } from 'dexie';
import type { ColumnRole, ColumnType } from '$lib/ml/frame';
import { countMissing, defaultRole, estimateColumnBytes } from './columns';
import type { DatasetColumnMeta, DatasetRecord, DatasetSource, DictionaryRecord } from './types';

export const SCHEMA_V1 = {
	datasets: 'id, createdAt',
	chunks: '[datasetId+column+chunk], datasetId',
	models: 'id, datasetId, [datasetId+target], createdAt',
	predictions: 'id, modelId, datasetId, at',
	clusterings: 'id, datasetId, createdAt',
	interventions: 'id, datasetId, studentId, date',
	audit: '++id, at, type',
	settings: 'key'
} as const;

export const SCHEMA_V2 = {
	datasets: 'id, createdAt, updatedAt',
	chunks: '[datasetId+column+chunk], datasetId',
	dictionaries: '[datasetId+column], datasetId',
	models: 'id, datasetId, [datasetId+target], createdAt',
	predictions: 'id, modelId, datasetId, at',
	clusterings: 'id, datasetId, createdAt',
	interventions: 'id, datasetId, studentId, [datasetId+studentId], date',
	audit: '++id, at, type, [type+at]',
	settings: 'key'
} as const;

export const SCHEMA_V3 = {
	...SCHEMA_V2,
	predictionLog: '++id, at, modelId, [modelId+at], kind, datasetId',
	actuals: '[datasetId+studentId+target], datasetId, studentId, [datasetId+target]',
	outcomeChecks: 'id, at, modelId, [modelId+at]',
	studyPlans: 'id, datasetId, [datasetId+studentId], updatedAt'
} as const;

export const CURRENT_VERSION = 3;

/** Column metadata as v1 wrote it. */
export interface DatasetColumnMetaV1 {
	name: string;
	kind: 'numeric' | 'categorical';
	type: ColumnType;
	dictionarySize: number;
}

/** Dataset record as v1 wrote it. */
export interface DatasetRecordV1 {
	id: string;
	name: string;
	description?: string;
	profile?: string | null;
	source: DatasetSource;
	fileName?: string | null;
	nRows: number;
	columns: DatasetColumnMetaV1[];
	roles?: Record<string, ColumnRole>;
	target: string | null;
	chunkRows: number;
	nChunks: number;
	createdAt: number;
}

/** v1 chunk store rows: typed-array chunks (chunk >= 0) and dictionaries (chunk === -1). */
export type ChunkRecordV1 =
	| { datasetId: string; column: number; chunk: number; data: Float64Array | Uint32Array }
	| { datasetId: string; column: number; chunk: -1; dictionary: string[] };

function isDictionaryV1(
	r: ChunkRecordV1
): r is { datasetId: string; column: number; chunk: -1; dictionary: string[] } {
	return r.chunk === -1 && 'dictionary' in r;
}

/**
 * Runs inside Dexie's versionchange transaction; only Dexie promises are awaited so the
 * transaction stays alive. Datasets are processed one at a time and chunks streamed with a
 * cursor, so memory stays at one chunk plus one dataset's dictionaries.
 */
export async function upgradeV1toV2(tx: Transaction): Promise<void> {
	const datasets = tx.table<DatasetRecordV1 | DatasetRecord, string>('datasets');
	const chunks = tx.table<ChunkRecordV1, [string, number, number]>('chunks');
	const dictionaries = tx.table<DictionaryRecord, [string, number]>('dictionaries');

	const ids = (await datasets.toCollection().primaryKeys()) as string[];
	for (const id of ids) {
		const old = (await datasets.get(id)) as DatasetRecordV1 | undefined;
		if (!old) continue;
		const missing = new Array<number>(old.columns.length).fill(0);
		const dicts = new Map<number, string[]>();
		const dictKeys: [string, number, number][] = [];
		await chunks
			.where('datasetId')
			.equals(id)
			.each((rec) => {
				if (isDictionaryV1(rec)) {
					dicts.set(rec.column, rec.dictionary);
					dictKeys.push([id, rec.column, -1]);
				} else if (rec.column < missing.length) {
					missing[rec.column] += countMissing(rec.data);
				}
			});

		const moved: DictionaryRecord[] = [];
		let sizeBytes = 0;
		const columns: DatasetColumnMeta[] = old.columns.map((c, i) => {
			const dictionary = c.kind === 'categorical' ? (dicts.get(i) ?? []) : [];
			if (c.kind === 'categorical') moved.push({ datasetId: id, column: i, values: dictionary });
			sizeBytes += estimateColumnBytes(c.kind, old.nRows, dictionary);
			return {
				name: c.name,
				kind: c.kind,
				type: c.type,
				role: old.roles?.[c.name] ?? defaultRole(c.type, c.name, old.target),
				missingCount: missing[i],
				dictionarySize: dictionary.length
			};
		});
		if (old.target !== null) {
			const t = columns.find((c) => c.name === old.target);
			if (t) t.role = 'target';
		}

		const upgraded: DatasetRecord = {
			id: old.id,
			name: old.name,
			description: old.description ?? '',
			profile: old.profile ?? null,
			source: old.source,
			fileName: old.fileName ?? null,
			nRows: old.nRows,
			columns,
			target: old.target,
			chunkRows: old.chunkRows,
			nChunks: old.nChunks,
			sizeBytes,
			createdAt: old.createdAt,
			updatedAt: old.createdAt
		};
		await dictionaries.bulkPut(moved);
		await chunks.bulkDelete(dictKeys);
		await datasets.put(upgraded);
	}
}
