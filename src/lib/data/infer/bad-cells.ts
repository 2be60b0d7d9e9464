/**
 * Cells that did not convert, kept sparsely beside the frame: a file with three typos in a
 * million rows costs three entries, not a second copy of the file. Each becomes a
 * 'type-conflict' error the teacher can fix in place or skip by row.
 */
import type { Frame } from '../../ml/frame';
import type { ImportPlan } from '../plan';
import { clip, describeLocation, type DataIssue, type IssueLog } from '../types';

export type BadCellReason = 'not-a-number' | 'not-a-date' | 'not-yes-no';

/** Index = the code stored in BadCells.reasons. */
export const BAD_CELL_REASONS: readonly BadCellReason[] = [
	'not-a-number',
	'not-a-date',
	'not-yes-no'
];
export const REASON_CODE: Record<BadCellReason, number> = {
	'not-a-number': 0,
	'not-a-date': 1,
	'not-yes-no': 2
};

/** Parallel arrays, in the order the cells were met (frame row, then column). */
export interface BadCells {
	count: number;
	frameRows: Uint32Array;
	/** Index into plan.columns (= the frame's column index). */
	columns: Uint32Array;
	/** The cell's text, shortened to 200 characters. */
	raw: string[];
	/** Index into BAD_CELL_REASONS. */
	reasons: Uint8Array;
}

export interface BuiltFrame {
	frame: Frame;
	/** Frame row -> spreadsheet row number (header = 1), for every message and for skipping. */
	sourceRows: Uint32Array;
	badCells: BadCells;
	issues: IssueLog;
}

const MAX_RAW = 200;

/** Growable store used while building. */
export class BadCellList {
	private rows = new Uint32Array(16);
	private cols = new Uint32Array(16);
	private codes = new Uint8Array(16);
	private texts: string[] = [];
	private n = 0;

	add(frameRow: number, column: number, raw: string, reason: number): void {
		if (this.n === this.rows.length) {
			const cap = this.n * 2;
			const r = new Uint32Array(cap);
			r.set(this.rows);
			this.rows = r;
			const c = new Uint32Array(cap);
			c.set(this.cols);
			this.cols = c;
			const k = new Uint8Array(cap);
			k.set(this.codes);
			this.codes = k;
		}
		this.rows[this.n] = frameRow;
		this.cols[this.n] = column;
		this.codes[this.n] = reason;
		// Copy: the reader's string may be a slice of a large chunk we must not keep alive.
		this.texts.push(JSON.parse(JSON.stringify(clip(raw, MAX_RAW))) as string);
		this.n++;
	}

	/** Cells listed so far. */
	get size(): number {
		return this.n;
	}

	/** Forgets the cells listed after the first `size` (a record that was taken back). */
	truncate(size: number): void {
		if (size >= this.n) return;
		this.n = size;
		this.texts.length = size;
	}

	toBadCells(): BadCells {
		return {
			count: this.n,
			frameRows: this.rows.slice(0, this.n),
			columns: this.cols.slice(0, this.n),
			raw: this.texts.slice(),
			reasons: this.codes.slice(0, this.n)
		};
	}
}

export function emptyBadCells(): BadCells {
	return {
		count: 0,
		frameRows: new Uint32Array(0),
		columns: new Uint32Array(0),
		raw: [],
		reasons: new Uint8Array(0)
	};
}

/** Keeps the entries for which `keep(i)` is true, optionally renumbering frame rows. */
export function filterBadCells(
	b: BadCells,
	keep: (i: number) => boolean,
	remapRow: (frameRow: number) => number = (r) => r
): BadCells {
	const idx: number[] = [];
	for (let i = 0; i < b.count; i++) if (keep(i)) idx.push(i);
	return {
		count: idx.length,
		frameRows: Uint32Array.from(idx, (i) => remapRow(b.frameRows[i])),
		columns: Uint32Array.from(idx, (i) => b.columns[i]),
		raw: idx.map((i) => b.raw[i]),
		reasons: Uint8Array.from(idx, (i) => b.reasons[i])
	};
}

const WHAT: Record<BadCellReason, string> = {
	'not-a-number': 'is not a number',
	'not-a-date': 'is not a date Classlens can read',
	'not-yes-no': 'is not a yes/no answer'
};

/** The 'type-conflict' error for bad cell `i`, naming file, row, column and the value. */
export function badCellIssue(
	plan: Pick<ImportPlan, 'file' | 'sheet' | 'columns'>,
	sourceRow: number,
	b: BadCells,
	i: number
): DataIssue {
	const col = plan.columns[b.columns[i]];
	const reason = BAD_CELL_REASONS[b.reasons[i]] ?? 'not-a-number';
	const where = {
		file: plan.file,
		sheet: plan.sheet,
		row: sourceRow,
		column: col?.original ?? `column ${b.columns[i] + 1}`,
		columnIndex: col?.index
	};
	const value = clip(b.raw[i]);
	return {
		code: 'type-conflict',
		severity: 'error',
		message: `${describeLocation(where)}: “${value}” ${WHAT[reason]}, so the cell is left empty until you fix it or skip the row.`,
		where,
		value
	};
}
