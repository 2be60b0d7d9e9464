/**
 * Pure helpers shared by the dataset repository and the schema migrations: chunk maths, missing
 * counts, size estimates and role defaults. No Dexie here, so they are cheap to test and reuse.
 */
import {
	MISSING_CODE,
	type Column,
	type ColumnRole,
	type ColumnType,
	type Frame
} from '$lib/ml/frame';
import { appError } from './storage-errors';
import type { DatasetColumnMeta } from './types';

/** 65,536 rows: 512 KB per numeric chunk — far below the ~128 MB a single stored value can take. */
export const DEFAULT_CHUNK_ROWS = 65_536;

export const COLUMN_ROLES: readonly ColumnRole[] = [
	'id',
	'group',
	'target',
	'feature',
	'sensitive',
	'time',
	'ignore'
];

export function countMissing(data: Float64Array | Uint32Array): number {
	let n = 0;
	if (data instanceof Float64Array) {
		for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i])) n++;
	} else {
		for (let i = 0; i < data.length; i++) if (data[i] === MISSING_CODE) n++;
	}
	return n;
}

export function columnData(c: Column): Float64Array | Uint32Array {
	return c.kind === 'numeric' ? c.values : c.codes;
}

export function defaultRole(type: ColumnType, name: string, target: string | null): ColumnRole {
	if (target !== null && name === target) return 'target';
	if (type === 'identifier') return 'id';
	return 'feature';
}

/** UTF-16 code units plus a rough per-entry overhead; an estimate, not what the browser bills. */
export function dictionaryBytes(values: readonly string[]): number {
	let n = 0;
	for (const v of values) n += 2 * v.length + 8;
	return n;
}

export function estimateColumnBytes(
	kind: 'numeric' | 'categorical',
	nRows: number,
	dictionary: readonly string[] = []
): number {
	return kind === 'numeric' ? nRows * 8 : nRows * 4 + dictionaryBytes(dictionary);
}

/** What a frame will take on disk once saved; lets the UI compare against the storage quota. */
export function estimateFrameBytes(frame: Frame): number {
	let n = 0;
	for (const c of frame.columns) {
		n += estimateColumnBytes(c.kind, frame.nRows, c.kind === 'categorical' ? c.dictionary : []);
	}
	return n;
}

export function chunkCount(nRows: number, chunkRows: number): number {
	return Math.ceil(nRows / chunkRows);
}

/**
 * Splits `data` into chunks starting at chunk index `firstChunk`. Each chunk is a copy (slice,
 * not subarray): structured clone stores a view's whole underlying buffer, so storing views
 * would write the entire column once per chunk.
 */
export function splitChunks<T extends Float64Array | Uint32Array>(
	data: T,
	chunkRows: number,
	firstChunk = 0
): { chunk: number; data: T }[] {
	const out: { chunk: number; data: T }[] = [];
	for (let start = 0, i = firstChunk; start < data.length; start += chunkRows, i++) {
		out.push({ chunk: i, data: data.slice(start, start + chunkRows) as T });
	}
	return out;
}

/** Numeric subtypes that a new batch may legitimately infer differently (a batch of 0/1 ints). */
const NUMERIC_RANK: Partial<Record<ColumnType, number>> = { boolean: 0, integer: 1, number: 2 };

/**
 * The type a stored column keeps after appending a batch whose column has type `incoming`, or
 * null when the two cannot share a column (e.g. dates vs plain numbers).
 */
export function mergeColumnType(stored: ColumnType, incoming: ColumnType): ColumnType | null {
	if (stored === incoming) return stored;
	const a = NUMERIC_RANK[stored];
	const b = NUMERIC_RANK[incoming];
	if (a !== undefined && b !== undefined) return a >= b ? stored : incoming;
	const categorical: ColumnType[] = ['category', 'identifier', 'text'];
	// Inference on a small batch may call an id column "category"; the saved type wins.
	if (categorical.includes(stored) && categorical.includes(incoming)) return stored;
	return null;
}

/**
 * Keeps `target` and the 'target' role consistent: the target column always has role 'target';
 * when the target column lost that role, the first remaining 'target' column (or null) takes over.
 */
export function reconcileTarget(
	columns: DatasetColumnMeta[],
	target: string | null
): { columns: DatasetColumnMeta[]; target: string | null } {
	let t = target;
	const current = t === null ? undefined : columns.find((c) => c.name === t);
	if (!current || current.role !== 'target') {
		t = columns.find((c) => c.role === 'target')?.name ?? null;
	}
	return { columns, target: t };
}

/**
 * Checks the Frame invariants the store relies on (equal lengths, unique names, codes inside
 * the dictionary) before anything is written: a bad code would otherwise be stored and only
 * surface later as blank cells in a model's input.
 */
export function validateFrame(frame: Frame): void {
	const seen = new Set<string>();
	for (const c of frame.columns) {
		const details = { column: c.name };
		if (seen.has(c.name)) {
			throw appError('invalid-frame', `Two columns are both called "${c.name}".`, details);
		}
		seen.add(c.name);
		const data = columnData(c);
		if (data.length !== frame.nRows) {
			throw appError(
				'invalid-frame',
				`Column "${c.name}" has ${data.length} rows but the table has ${frame.nRows}.`,
				details
			);
		}
		if (c.kind === 'categorical') {
			const size = c.dictionary.length;
			for (let i = 0; i < c.codes.length; i++) {
				const code = c.codes[i];
				if (code >= size && code !== MISSING_CODE) {
					throw appError('invalid-frame', `Column "${c.name}" has an unreadable value.`, {
						column: c.name,
						row: i
					});
				}
			}
		}
	}
}
