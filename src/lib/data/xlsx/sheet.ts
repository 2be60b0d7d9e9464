/**
 * Turns a worksheet's XML, as it streams in, into rows of display strings. Only non-empty cells
 * are kept, as (column, value) pairs: sheets are often sparse and a stray cell in column XFD
 * must not allocate 16,384 slots per row.
 */
import { excelSerialToIso, normaliseIsoDate } from './dates';
import type { Budget } from './limits';
import { RichTextCollector } from './shared-strings';
import type { DateStyles } from './styles';
import {
	checkTextLength,
	decodeEntities,
	decodeText,
	XmlSyntaxError,
	type XmlAttrs,
	type XmlHandler
} from './xml';

export type CellNoteCode = 'excel-error-cell' | 'formula-no-cached-value' | 'bad-shared-string';

/** A cell-level problem, reported by the table step once it knows the column's name. */
export interface CellNote {
	col: number;
	code: CellNoteCode;
	value: string;
}

/** One sheet row: `values[k]` is in column `cols[k]` (0-based, ascending as written). */
export interface SheetRow {
	row: number;
	cols: number[];
	values: string[];
	notes: CellNote[];
}

export interface SheetContext {
	sharedStrings: readonly string[];
	dateStyles: DateStyles;
	date1904: boolean;
	budget: Budget;
}

/** Excel's last column, XFD; anything beyond is a damaged reference. */
export const MAX_COLUMNS = 16_384;

/** "B12" → 1; undefined when the reference has no column letters. */
export function columnOfRef(ref: string): number | undefined {
	let col = 0;
	let i = 0;
	for (; i < ref.length; i++) {
		const c = ref.charCodeAt(i) | 0x20; // lower-case letters
		if (c < 97 || c > 122) break;
		col = col * 26 + (c - 96);
		if (col > MAX_COLUMNS) return MAX_COLUMNS;
	}
	return i === 0 ? undefined : col - 1;
}

/** Column letters for a 0-based index, for messages ("cell AA7"). */
export function columnLetters(col: number): string {
	let s = '';
	for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) {
		s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
	}
	return s;
}

export class SheetHandler implements XmlHandler {
	#inData = false;
	#row: SheetRow = { row: 0, cols: [], values: [], notes: [] };
	#inRow = false;
	#nextCol = 0;
	// The cell being read.
	#col = 0;
	#type = 'n';
	#style = 0;
	#v = '';
	#inV = false;
	#hasV = false;
	#hasF = false;
	#inIs = false;
	readonly #rich = new RichTextCollector();

	/**
	 * @param onRow receives each row; the object is reused, copy what you keep.
	 * @param onDimension receives <dimension ref> if the sheet has one (it precedes the data).
	 */
	constructor(
		private readonly ctx: SheetContext,
		private readonly onRow: (row: SheetRow) => void,
		private readonly onEnd: () => void,
		private readonly onDimension?: (ref: string) => void
	) {}

	open(name: string, a: XmlAttrs): void {
		if (!this.#inData) {
			if (name === 'sheetData') this.#inData = true;
			else if (name === 'dimension' && a.ref) this.onDimension?.(a.ref);
			return;
		}
		switch (name) {
			case 'row': {
				const r = this.#row;
				const n = a.r !== undefined ? parseInt(a.r, 10) : NaN;
				r.row = Number.isFinite(n) && n > 0 ? n : r.row + 1;
				r.cols.length = 0;
				r.values.length = 0;
				r.notes.length = 0;
				this.#nextCol = 0;
				this.#inRow = true;
				break;
			}
			case 'c': {
				this.ctx.budget.addCell();
				const col = a.r !== undefined ? columnOfRef(a.r) : undefined;
				this.#col = col ?? this.#nextCol;
				if (this.#col >= MAX_COLUMNS)
					throw new XmlSyntaxError(`cell reference ${a.r} beyond column XFD`);
				this.#type = a.t ?? 'n';
				this.#style = a.s !== undefined ? parseInt(a.s, 10) : 0;
				this.#v = '';
				this.#hasV = false;
				this.#hasF = false;
				this.#inIs = false;
				break;
			}
			case 'v':
				this.#inV = true;
				this.#hasV = true;
				break;
			case 'f':
				this.#hasF = true;
				break;
			case 'is':
				this.#inIs = true;
				this.#rich.reset();
				break;
			default:
				if (this.#inIs) this.#rich.open(name);
		}
	}

	close(name: string): void {
		if (!this.#inData) return;
		switch (name) {
			case 'v':
				this.#inV = false;
				break;
			case 'is':
				this.#inIs = false;
				break;
			case 'c':
				this.#endCell();
				break;
			case 'row':
				if (this.#inRow) this.onRow(this.#row);
				this.#inRow = false;
				break;
			case 'sheetData':
				this.#inData = false;
				this.onEnd();
				break;
			default:
				if (this.#inIs) this.#rich.close(name);
		}
	}

	text(raw: string): void {
		if (this.#inV) {
			this.#v += raw;
			checkTextLength(this.#v.length);
		} else if (this.#inIs) this.#rich.text(raw);
	}

	#endCell(): void {
		const col = this.#col;
		this.#nextCol = col + 1;
		const value = this.#value();
		if (value === '') return;
		this.#row.cols.push(col);
		this.#row.values.push(value);
	}

	#note(code: CellNoteCode, value: string): void {
		this.#row.notes.push({ col: this.#col, code, value });
	}

	/** The cell as Excel displays its content, normalised (numbers, ISO dates, true/false). */
	#value(): string {
		const t = this.#type;
		if (t === 'inlineStr') return this.#rich.value();
		const v = this.#v;
		// openpyxl and others write formulas as <f>…</f><v></v>: no result was ever computed.
		// (An empty t="str" result is a formula that really returned "".)
		if (!this.#hasV || (v === '' && t !== 'str')) {
			if (this.#hasF) this.#note('formula-no-cached-value', '');
			return '';
		}
		switch (t) {
			case 's': {
				const s = this.ctx.sharedStrings[parseInt(v, 10)];
				if (s === undefined) this.#note('bad-shared-string', v);
				return s ?? '';
			}
			case 'str':
				return decodeText(v);
			case 'b':
				return v === '1' || v === 'true' ? 'true' : v === '0' || v === 'false' ? 'false' : v;
			case 'e':
				this.#note('excel-error-cell', decodeEntities(v));
				return '';
			case 'd':
				return normaliseIsoDate(decodeEntities(v));
			default: {
				const text = v.trim();
				if (text === '') return '';
				const n = Number(text);
				if (Number.isNaN(n)) return decodeText(v);
				if (this.ctx.dateStyles[this.#style] === true) {
					return excelSerialToIso(n, this.ctx.date1904) ?? String(n);
				}
				return String(n);
			}
		}
	}
}
