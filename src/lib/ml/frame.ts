/**
 * The columnar table every part of Classlens passes around. Numbers live in Float64Array
 * (NaN = missing); categories are Uint32 codes into a dictionary (MISSING_CODE = missing).
 * No per-row objects: a million rows of 20 columns is 160 MB of doubles, not 20 million objects.
 */

export type NumericType = 'integer' | 'number' | 'boolean' | 'datetime';
export type CategoricalType = 'category' | 'identifier' | 'text';
export type ColumnType = NumericType | CategoricalType;

/** What a column is for in modelling; the user can change any of these. */
export type ColumnRole = 'id' | 'group' | 'target' | 'feature' | 'sensitive' | 'time' | 'ignore';

export const MISSING_CODE = 0xffffffff;

export interface NumericColumn {
	kind: 'numeric';
	name: string;
	type: NumericType;
	/** datetime values are milliseconds since the Unix epoch (UTC). */
	values: Float64Array;
}

export interface CategoricalColumn {
	kind: 'categorical';
	name: string;
	type: CategoricalType;
	codes: Uint32Array;
	dictionary: string[];
}

export type Column = NumericColumn | CategoricalColumn;

export interface Frame {
	nRows: number;
	columns: Column[];
}

export type Cell = number | string | null;

export function numericColumn(
	name: string,
	values: Float64Array | number[],
	type: NumericType = 'number'
): NumericColumn {
	return {
		kind: 'numeric',
		name,
		type,
		values: values instanceof Float64Array ? values : Float64Array.from(values)
	};
}

/** Builds a categorical column; null/undefined become missing. Dictionary order = first seen. */
export function categoricalColumn(
	name: string,
	values: ArrayLike<string | null | undefined>,
	type: CategoricalType = 'category'
): CategoricalColumn {
	const codes = new Uint32Array(values.length);
	const dictionary: string[] = [];
	const index = new Map<string, number>();
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (v === null || v === undefined) {
			codes[i] = MISSING_CODE;
			continue;
		}
		let code = index.get(v);
		if (code === undefined) {
			code = dictionary.length;
			dictionary.push(v);
			index.set(v, code);
		}
		codes[i] = code;
	}
	return { kind: 'categorical', name, type, codes, dictionary };
}

export function columnLength(c: Column): number {
	return c.kind === 'numeric' ? c.values.length : c.codes.length;
}

/** Validates that all columns have the same length and unique names. */
export function makeFrame(columns: Column[]): Frame {
	const nRows = columns.length ? columnLength(columns[0]) : 0;
	const seen = new Set<string>();
	for (const c of columns) {
		if (columnLength(c) !== nRows) {
			throw new RangeError(
				`Column "${c.name}" has ${columnLength(c)} rows; expected ${nRows} like the first column.`
			);
		}
		if (seen.has(c.name)) throw new RangeError(`Duplicate column name "${c.name}".`);
		seen.add(c.name);
	}
	return { nRows, columns };
}

export function getColumn(frame: Frame, name: string): Column | undefined {
	return frame.columns.find((c) => c.name === name);
}

export function requireNumeric(frame: Frame, name: string): NumericColumn {
	const c = getColumn(frame, name);
	if (!c) throw new RangeError(`No column named "${name}".`);
	if (c.kind !== 'numeric') throw new TypeError(`Column "${name}" is not numeric.`);
	return c;
}

export function cellAt(c: Column, row: number): Cell {
	if (c.kind === 'numeric') {
		const v = c.values[row];
		return Number.isNaN(v) ? null : v;
	}
	const code = c.codes[row];
	return code === MISSING_CODE ? null : c.dictionary[code];
}

export function isMissing(c: Column, row: number): boolean {
	return c.kind === 'numeric' ? Number.isNaN(c.values[row]) : c.codes[row] === MISSING_CODE;
}

/** Rows [start, end) as a new frame; typed arrays are views (no copy), dictionaries shared. */
export function sliceRows(frame: Frame, start: number, end: number): Frame {
	const s = Math.max(0, Math.min(start, frame.nRows));
	const e = Math.max(s, Math.min(end, frame.nRows));
	return {
		nRows: e - s,
		columns: frame.columns.map((c) =>
			c.kind === 'numeric'
				? { ...c, values: c.values.subarray(s, e) }
				: { ...c, codes: c.codes.subarray(s, e) }
		)
	};
}

/** Gathers the given rows (in the given order) into a new frame with copied arrays. */
export function takeRows(frame: Frame, rows: ArrayLike<number>): Frame {
	const n = rows.length;
	return {
		nRows: n,
		columns: frame.columns.map((c) => {
			if (c.kind === 'numeric') {
				const out = new Float64Array(n);
				for (let i = 0; i < n; i++) out[i] = c.values[rows[i]];
				return { ...c, values: out };
			}
			const out = new Uint32Array(n);
			for (let i = 0; i < n; i++) out[i] = c.codes[rows[i]];
			return { ...c, codes: out };
		})
	};
}

/** Concatenates frames with identical column names and kinds; dictionaries are merged. */
export function concatFrames(frames: Frame[]): Frame {
	if (frames.length === 0) return { nRows: 0, columns: [] };
	const first = frames[0];
	const nRows = frames.reduce((s, f) => s + f.nRows, 0);
	const columns: Column[] = first.columns.map((c0, ci) => {
		for (const f of frames) {
			const c = f.columns[ci];
			if (!c || c.name !== c0.name || c.kind !== c0.kind) {
				throw new RangeError(`Frames differ at column ${ci} ("${c0.name}").`);
			}
		}
		if (c0.kind === 'numeric') {
			const values = new Float64Array(nRows);
			let off = 0;
			for (const f of frames) {
				const c = f.columns[ci] as NumericColumn;
				values.set(c.values, off);
				off += c.values.length;
			}
			return { ...c0, values };
		}
		const dictionary: string[] = [];
		const index = new Map<string, number>();
		const codes = new Uint32Array(nRows);
		let off = 0;
		for (const f of frames) {
			const c = f.columns[ci] as CategoricalColumn;
			const remap = c.dictionary.map((word) => {
				let code = index.get(word);
				if (code === undefined) {
					code = dictionary.length;
					dictionary.push(word);
					index.set(word, code);
				}
				return code;
			});
			for (let i = 0; i < c.codes.length; i++) {
				const code = c.codes[i];
				codes[off + i] = code === MISSING_CODE ? MISSING_CODE : remap[code];
			}
			off += c.codes.length;
		}
		return { ...c0, dictionary, codes };
	});
	return { nRows, columns };
}

/** A few rows as plain cells, for previews and tables (never for hot loops). */
export function rowsAsCells(frame: Frame, start: number, end: number): Cell[][] {
	const out: Cell[][] = [];
	const e = Math.min(end, frame.nRows);
	for (let r = Math.max(0, start); r < e; r++) out.push(frame.columns.map((c) => cellAt(c, r)));
	return out;
}
