/**
 * Shapes sheet rows into a table: the first row with any value is the header, later rows become
 * records of exactly header.length strings. Empty columns to the left of the header are dropped
 * too, because tables laid out from B2 are common and an unnamed empty first column helps no one.
 */
import {
	clip,
	describeLocation,
	IssueLog,
	type CellLocation,
	type DataIssue,
	type RecordSink
} from '../types';
import { columnLetters, type CellNote, type SheetRow } from './sheet';

export interface TableOptions {
	file: string;
	sheet: string;
	sink: RecordSink;
	maxRows?: number;
	/** Called when maxRows is reached and another record was found: the read should stop. */
	onTruncate: () => void;
}

export class TableAssembler {
	header: string[] | undefined;
	/** The sheet row number of the header, once found. */
	headerRow: number | undefined;
	/** Sheet column of the header's first cell. */
	#offset = 0;
	#record: string[] = [];
	rows = 0;
	truncated = false;
	readonly log = new IssueLog();

	constructor(private readonly o: TableOptions) {}

	row(r: SheetRow): void {
		if (this.truncated) return;
		const { cols, values } = r;
		if (!this.header) {
			if (values.length > 0) this.#takeHeader(r);
			this.#logNotes(r);
			return;
		}
		if (values.length === 0) {
			this.#logNotes(r);
			return;
		}
		if (this.o.maxRows !== undefined && this.rows >= this.o.maxRows) {
			this.truncated = true;
			this.o.onTruncate();
			return;
		}
		this.#logNotes(r);
		const width = this.header.length;
		const rec = this.#record;
		rec.fill('');
		const offset = this.#offset;
		for (let k = 0; k < cols.length; k++) {
			const c = (cols[k] as number) - offset;
			if (c >= 0 && c < width) rec[c] = values[k] as string;
			else this.#outside(r.row, cols[k] as number, values[k] as string);
		}
		this.rows++;
		this.o.sink(rec, r.row);
	}

	#takeHeader(r: SheetRow): void {
		const { cols, values } = r;
		let first = Infinity;
		let last = -1;
		for (const c of cols) {
			if (c < first) first = c;
			if (c > last) last = c;
		}
		const header = new Array<string>(last - first + 1).fill('');
		for (let k = 0; k < cols.length; k++) header[(cols[k] as number) - first] = values[k] as string;
		this.header = header;
		this.headerRow = r.row;
		this.#offset = first;
		this.#record = new Array<string>(header.length).fill('');
	}

	#where(row: number, col?: number): CellLocation {
		const w: CellLocation = { file: this.o.file, sheet: this.o.sheet, row };
		if (col !== undefined && this.header) {
			const i = col - this.#offset;
			if (i >= 0 && i < this.header.length) {
				w.columnIndex = i;
				w.column = this.header[i];
			}
		}
		return w;
	}

	#outside(row: number, col: number, value: string): void {
		const where = this.#where(row);
		this.log.add({
			code: 'cell-outside-header',
			severity: 'warning',
			message: `${describeLocation(where)}: cell ${columnLetters(col)}${row} holds “${clip(value, 40)}” but its column has no name in the header row, so it was left out. Add a column name in row ${this.headerRow ?? 1} to import it.`,
			where,
			value: clip(value)
		});
	}

	#logNotes(r: SheetRow): void {
		for (const n of r.notes) this.log.add(this.#noteIssue(r.row, n));
	}

	#noteIssue(row: number, n: CellNote): DataIssue {
		const where = this.#where(row, n.col);
		const cell = `${columnLetters(n.col)}${row}`;
		const at = describeLocation(where);
		switch (n.code) {
			case 'excel-error-cell':
				return {
					code: n.code,
					severity: 'warning',
					message: `${at}: cell ${cell} shows the Excel error ${clip(n.value, 20)}, so it was read as empty. Fix the formula in Excel if this value matters.`,
					where,
					value: clip(n.value)
				};
			case 'formula-no-cached-value':
				return {
					code: n.code,
					severity: 'warning',
					message: `${at}: cell ${cell} has a formula whose result was never saved in the file, so it was read as empty. Open the file in Excel and save it again to store the results.`,
					where
				};
			case 'bad-shared-string':
				return {
					code: n.code,
					severity: 'warning',
					message: `${at}: cell ${cell} refers to text that is missing from the file, so it was read as empty. The file may be damaged.`,
					where,
					value: clip(n.value)
				};
		}
	}
}
