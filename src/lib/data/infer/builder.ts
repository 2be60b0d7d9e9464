/**
 * Converts every record of a file straight into typed arrays as the reader delivers it: no
 * per-row objects and no strings kept beyond one per distinct category. A cell that does not
 * convert becomes missing in the frame and is remembered sparsely (bad-cells.ts), so the teacher
 * can fix it or skip its row; nothing is dropped without them seeing it.
 */
import { MISSING_CODE, makeFrame, type Column } from '../../ml/frame';
import type { ColumnPlan, ImportPlan } from '../plan';
import { IssueLog, type LineSink } from '../types';
import { BadCellList, REASON_CODE, badCellIssue, type BuiltFrame } from './bad-cells';
import { ColumnBlocks } from './column-blocks';
import { StringDictionary } from './dictionary';
import { exactBooleans, isoDayAt, isoDayFast, TextMemo } from './fast-cells';
import {
	exactBooleanSpellings,
	makeMissingMatcher,
	parseBoolean,
	parseDate,
	parseNumber,
	parsePlainNumber,
	plainNumberField,
	plainNumberInto
} from './values';

export { badCellIssue, type BadCells, type BadCellReason, type BuiltFrame } from './bad-cells';
export { applyCellFixes, convertCell, dropFrameRows, type CellFix } from './fixes';

export interface FrameBuilder {
	/** Converts one record; `row` is its spreadsheet row number (header = 1). */
	push(cells: readonly string[], row: number): void;
	/** push() of the cells text[starts[k], ends[k]), one per column of the file's header. */
	pushFields(text: string, starts: Int32Array, ends: Int32Array, row: number): void;
	/**
	 * push() of the line text[start, end) split at `delimiter`, when it has `width` fields;
	 * false, and nothing kept, otherwise (see LineSink).
	 */
	pushLine: LineSink;
	/** Rows pushed so far. */
	readonly rows: number;
	/** The frame and everything learnt on the way. The builder must not be used afterwards. */
	finish(): BuiltFrame;
	/**
	 * Rows [start, end) of every column, as they will be in the frame (numbers as Float64Array,
	 * categories as codes; codes never change once given). For writing finished row blocks to
	 * storage while the rest of the file is still being read. Read-only: a block the builder has
	 * finished filling is handed over as it is, without a copy.
	 */
	rowSlice(start: number, end: number): (Float64Array | Uint32Array)[];
}

export interface FrameBuilderOptions {
	/**
	 * Rows per storage block (default 65,536): columns are filled block by block, so they never
	 * need copying to grow, and rowSlice() of a whole filled block costs nothing.
	 */
	blockRows?: number;
}

const DEFAULT_BLOCK_ROWS = 65_536;

const K_NUMBER = 0;
const K_BOOLEAN = 1;
const K_DATE = 2;
const K_CODES = 3;

function kindOf(c: ColumnPlan): number {
	switch (c.type) {
		case 'integer':
		case 'number':
			return K_NUMBER;
		case 'boolean':
			return K_BOOLEAN;
		case 'datetime':
			return K_DATE;
		default:
			return K_CODES;
	}
}

/**
 * A parser may hand us a slice of a multi-megabyte chunk; keeping that slice as a dictionary key
 * would keep the whole chunk alive. Short strings are copied by V8 anyway; longer ones are
 * forced into a fresh copy.
 */
export function detach(s: string): string {
	return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

function trimCell(raw: string): string {
	const n = raw.length;
	return n > 0 && raw.charCodeAt(0) > 32 && raw.charCodeAt(n - 1) > 32 ? raw : raw.trim();
}

export function createFrameBuilder(plan: ImportPlan, opts: FrameBuilderOptions = {}): FrameBuilder {
	const cols = plan.columns;
	const nCols = cols.length;
	const decimal = plan.decimal;
	const isMissing = makeMissingMatcher(plan.missingTokens);
	const yesNo = exactBooleans(exactBooleanSpellings(), isMissing);
	// A file may declare a sentinel date ("1900-01-01") missing; then the date shortcut checks.
	const missingDates = plan.missingTokens.some((t) => !Number.isNaN(isoDayFast(t.trim())));
	const kinds = Uint8Array.from(cols, kindOf);
	const src = Uint32Array.from(cols, (c) => c.index);
	const orders = cols.map((c) => c.dateOrder ?? 'dmy');
	const blockRows = Math.max(1, Math.floor(opts.blockRows ?? DEFAULT_BLOCK_ROWS));
	const store = new ColumnBlocks(
		cols.map((_, j) => kinds[j] === K_CODES),
		blockRows
	);
	// The current blocks, by column; grow() replaces their arrays, never the lists themselves.
	const nums = store.nums;
	const codes = store.codes;
	let n = 0;
	let done = false;
	const dicts = cols.map(() => new StringDictionary());
	const memos = cols.map(() => new TextMemo());
	let sourceRows: Uint32Array = new Uint32Array(1024);
	const bad = new BadCellList();

	/** Makes room for row n: in the source-row list, and in the current blocks. */
	function grow(): void {
		if (n === sourceRows.length) {
			const b = new Uint32Array(sourceRows.length * 2);
			b.set(sourceRows);
			sourceRows = b;
		}
		if (n - store.base === store.cap) store.grow();
	}

	/** A number cell's general path: plain shapes, missing tokens, then every other spelling. */
	function numberCell(r: number, j: number, raw: string): number {
		let v = parsePlainNumber(raw, decimal);
		if (v !== v && !isMissing(raw)) {
			v = parseNumber(raw, decimal);
			if (v !== v) bad.add(r, j, raw, REASON_CODE['not-a-number']);
		}
		return v;
	}

	/** A category cell's code, adding the (trimmed) word to the dictionary when it is new. */
	function codeCell(j: number, raw: string): number {
		const dict = dicts[j];
		// Most cells repeat a category already seen, exactly as written: one lookup and done.
		// Missing tokens are never dictionary keys, so a hit cannot be a missing value.
		let code = dict.find(raw);
		if (code >= 0) return code;
		const t = trimCell(raw);
		if (t.length === 0 || isMissing(t)) return MISSING_CODE;
		// Only a trimmed cell can differ from the lookup that just missed: skipping the second
		// lookup matters for identifier columns, where nearly every cell is new.
		if (t !== raw) code = dict.find(t);
		if (code < 0) code = dict.add(detach(t));
		return code;
	}

	/** A yes/no or date cell. */
	function otherCell(r: number, j: number, kind: number, raw: string): number {
		// The common spellings first ("yes", "2024-09-02"), when they cannot be missing tokens
		// (yesNo leaves out any the file declares missing): the missing-token test costs more
		// than these lookups, and the general order below is only needed for the rest.
		const fast = kind === K_BOOLEAN ? yesNo.get(raw) : isoDayFast(raw);
		if (fast !== undefined && fast === fast && !(missingDates && isMissing(raw))) return fast;
		if (isMissing(raw)) return NaN;
		const v = kind === K_BOOLEAN ? parseBoolean(raw) : parseDate(raw, orders[j]);
		if (v !== v) {
			bad.add(r, j, raw, REASON_CODE[kind === K_BOOLEAN ? 'not-yes-no' : 'not-a-date']);
		}
		return v;
	}

	function push(cells: readonly string[], row: number): void {
		if (done) throw new Error('This frame builder has already finished.');
		if (n === sourceRows.length || n - store.base === store.cap) grow();
		// `fr` is the frame row (what bad cells record), `r` its slot in the current block.
		const fr = n++;
		const r = fr - store.base;
		sourceRows[fr] = row;
		for (let j = 0; j < nCols; j++) {
			const raw = cells[src[j]];
			const kind = kinds[j];
			if (kind === K_CODES) codes[j][r] = raw === undefined ? MISSING_CODE : codeCell(j, raw);
			else if (raw === undefined) nums[j][r] = NaN;
			else if (kind === K_NUMBER) nums[j][r] = numberCell(fr, j, raw);
			else nums[j][r] = otherCell(fr, j, kind, raw);
		}
	}

	/**
	 * push() for a record the reader has not cut into strings: field k is text[starts[k],
	 * ends[k]), and there is one per column of the header. Numbers and ISO dates are read in
	 * place and repeated categories matched in place; anything else is cut out and goes the
	 * general way, so the frame is the same as push() of the cut-out cells would give.
	 */
	function pushFields(text: string, starts: Int32Array, ends: Int32Array, row: number): void {
		if (done) throw new Error('This frame builder has already finished.');
		if (n === sourceRows.length || n - store.base === store.cap) grow();
		const fr = n++;
		const r = fr - store.base;
		sourceRows[fr] = row;
		for (let j = 0; j < nCols; j++) {
			const f = src[j];
			const s = starts[f];
			const e = ends[f];
			const kind = kinds[j];
			if (kind === K_NUMBER) {
				const out = nums[j];
				if (!plainNumberInto(text, s, e, decimal, out, r))
					out[r] = numberCell(fr, j, text.substring(s, e));
			} else if (kind === K_CODES) {
				const memo = memos[j];
				let code = memo.find(text, s, e);
				if (code === -1) {
					const raw = text.substring(s, e);
					code = codeCell(j, raw);
					// Any cell's code depends on its text alone: a code once given stays.
					if (memo.open) memo.remember(detach(raw), code);
				}
				codes[j][r] = code;
			} else if (kind === K_DATE) {
				const day = missingDates ? NaN : isoDayAt(text, s, e);
				nums[j][r] = day === day ? day * 86_400_000 : otherCell(fr, j, kind, text.substring(s, e));
			} else {
				const memo = memos[j];
				let v = memo.find(text, s, e);
				if (v === -1) {
					const raw = text.substring(s, e);
					v = otherCell(fr, j, kind, raw);
					// Only a yes or a no: a cell that did not convert is listed, every time.
					if (v === v && memo.open) memo.remember(detach(raw), v);
				}
				nums[j][r] = v;
			}
		}
	}

	// A line can be read field by field straight into the columns when the plan's columns are
	// the file's, in order; otherwise its fields are found first and read as ranges.
	const inOrder = cols.every((c, j) => c.index === j);
	let lineStarts = new Int32Array(Math.max(16, nCols + 1));
	let lineEnds = new Int32Array(lineStarts.length);

	/** Where the field that starts at text[start] ends: the next delimiter, or `end`. */
	function fieldEnd(text: string, start: number, end: number, delimiter: string): number {
		const i = text.indexOf(delimiter, start);
		return i < 0 || i > end ? end : i;
	}

	/**
	 * Reads a line's fields one after another straight into the columns, each field's end found
	 * by reading it (a number stops at the first character that is not part of one) rather than
	 * by a search first; only the odd cell is cut out as a string.
	 */
	function pushLine(
		text: string,
		start: number,
		end: number,
		row: number,
		delimiter: number,
		width: number
	): boolean {
		if (done) throw new Error('This frame builder has already finished.');
		// A blank line (the one after a file's last line break, say) has one field.
		if (start === end && width !== 1) return false;
		const delim = String.fromCharCode(delimiter);
		if (!inOrder || width !== nCols) return pushScanned(text, start, end, row, delim, width);
		if (n === sourceRows.length || n - store.base === store.cap) grow();
		const fr = n;
		const r = fr - store.base;
		const badBefore = bad.size;
		let pos = start;
		for (let j = 0; j < nCols; j++) {
			const kind = kinds[j];
			let e: number;
			if (kind === K_NUMBER) {
				const out = nums[j];
				e = plainNumberField(text, pos, end, delimiter, decimal, out, r);
				if (e < 0) {
					e = fieldEnd(text, pos, end, delim);
					out[r] = numberCell(fr, j, text.substring(pos, e));
				}
			} else if (kind === K_CODES) {
				const memo = memos[j];
				let code = memo.findField(text, pos, end, delimiter);
				if (code === -1) {
					e = fieldEnd(text, pos, end, delim);
					const raw = text.substring(pos, e);
					code = codeCell(j, raw);
					// Any cell's code depends on its text alone: a code once given stays.
					if (memo.open) memo.remember(detach(raw), code);
				} else {
					e = pos + memo.matched;
				}
				codes[j][r] = code;
			} else if (kind === K_DATE) {
				const stop = pos + 10;
				const day =
					!missingDates && stop <= end && (stop === end || text.charCodeAt(stop) === delimiter)
						? isoDayAt(text, pos, stop)
						: NaN;
				if (day === day) {
					e = stop;
					nums[j][r] = day * 86_400_000;
				} else {
					e = fieldEnd(text, pos, end, delim);
					nums[j][r] = otherCell(fr, j, kind, text.substring(pos, e));
				}
			} else {
				const memo = memos[j];
				let v = memo.findField(text, pos, end, delimiter);
				if (v === -1) {
					e = fieldEnd(text, pos, end, delim);
					const raw = text.substring(pos, e);
					v = otherCell(fr, j, kind, raw);
					// Only a yes or a no: a cell that did not convert is listed, every time.
					if (v === v && memo.open) memo.remember(detach(raw), v);
				} else {
					e = pos + memo.matched;
				}
				nums[j][r] = v;
			}
			// Every field but the last ends at a delimiter, the last at the line's end. A line with
			// other fields is given back: what it wrote is overwritten by the next row, its bad
			// cells are forgotten, and words it added to a dictionary are the ones push() will add.
			if (j < nCols - 1 ? e >= end : e !== end) {
				bad.truncate(badBefore);
				return false;
			}
			pos = e + 1;
		}
		n++;
		sourceRows[fr] = row;
		return true;
	}

	/** pushLine() for a plan that is not the file's columns in order: fields first, then ranges. */
	function pushScanned(
		text: string,
		start: number,
		end: number,
		row: number,
		delim: string,
		width: number
	): boolean {
		let count = 0;
		let field = start;
		for (let i = text.indexOf(delim, start); i >= 0 && i < end; i = text.indexOf(delim, i + 1)) {
			if (count + 1 >= lineStarts.length) {
				const s2 = new Int32Array(lineStarts.length * 2);
				s2.set(lineStarts);
				lineStarts = s2;
				const e2 = new Int32Array(s2.length);
				e2.set(lineEnds);
				lineEnds = e2;
			}
			lineStarts[count] = field;
			lineEnds[count] = i;
			count++;
			field = i + 1;
		}
		lineStarts[count] = field;
		lineEnds[count] = end;
		count++;
		if (count !== width) return false;
		pushFields(text, lineStarts, lineEnds, row);
		return true;
	}

	function finish(): BuiltFrame {
		if (done) throw new Error('This frame builder has already finished.');
		done = true;
		const issues = new IssueLog();
		// Each column's blocks are dropped as soon as its whole copy exists, so finishing holds
		// one extra column at a time rather than a second copy of the whole frame.
		const columns: Column[] = cols.map((c, j) => {
			const all = store.take(j, n);
			if (kinds[j] === K_CODES) {
				return {
					kind: 'categorical',
					name: c.name,
					type: c.type as 'category' | 'identifier' | 'text',
					codes: all as Uint32Array,
					dictionary: dicts[j].words
				};
			}
			const values = all as Float64Array;
			let type = c.type as 'integer' | 'number' | 'boolean' | 'datetime';
			if (type === 'integer' && !allIntegers(values)) {
				// A fraction in a whole-number column is a valid value, not an error: widen the type.
				type = 'number';
				issues.add({
					code: 'integer-has-fractions',
					severity: 'info',
					message: `${plan.file}: column “${c.original}” was expected to hold whole numbers but some have decimals, so it is treated as numbers with decimals.`,
					where: { file: plan.file, sheet: plan.sheet, column: c.original, columnIndex: c.index }
				});
			}
			return { kind: 'numeric', name: c.name, type, values };
		});
		const frame = makeFrame(columns);
		const badCells = bad.toBadCells();
		const rows = sourceRows.slice(0, n);
		for (let i = 0; i < badCells.count; i++) {
			issues.add(badCellIssue(plan, rows[badCells.frameRows[i]], badCells, i));
		}
		return { frame, sourceRows: rows, badCells, issues };
	}

	function rowSlice(start: number, end: number): (Float64Array | Uint32Array)[] {
		if (done) throw new Error('This frame builder has already finished.');
		return store.rows(start, end, n);
	}

	return {
		push,
		pushFields,
		pushLine,
		finish,
		rowSlice,
		get rows() {
			return n;
		}
	};
}

function allIntegers(values: Float64Array): boolean {
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (v === v && Math.floor(v) !== v) return false;
	}
	return true;
}
