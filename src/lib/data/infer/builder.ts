/**
 * Converts every record of a file straight into typed arrays as the reader delivers it: no
 * per-row objects and no strings kept beyond one per distinct category. A cell that does not
 * convert becomes missing in the frame and is remembered sparsely (bad-cells.ts), so the teacher
 * can fix it or skip its row; nothing is dropped without them seeing it.
 */
import { MISSING_CODE, makeFrame, type Column } from '../../ml/frame';
import type { ColumnPlan, ImportPlan } from '../plan';
import { IssueLog } from '../types';
import { BadCellList, REASON_CODE, badCellIssue, type BuiltFrame } from './bad-cells';
import { StringDictionary } from './dictionary';
import { exactBooleans, isoDayFast } from './fast-cells';
import {
	exactBooleanSpellings,
	makeMissingMatcher,
	parseBoolean,
	parseDate,
	parseNumber,
	parsePlainNumber
} from './values';

export { badCellIssue, type BadCells, type BadCellReason, type BuiltFrame } from './bad-cells';
export { applyCellFixes, convertCell, dropFrameRows, type CellFix } from './fixes';

export interface FrameBuilder {
	/** Converts one record; `row` is its spreadsheet row number (header = 1). */
	push(cells: readonly string[], row: number): void;
	/** Rows pushed so far. */
	readonly rows: number;
	/** The frame and everything learnt on the way. The builder must not be used afterwards. */
	finish(): BuiltFrame;
	/**
	 * Copies of rows [start, end) of every column, as they will be in the frame (numbers as
	 * Float64Array, categories as codes; codes never change once given). For writing finished
	 * row blocks to storage while the rest of the file is still being read.
	 */
	rowSlice(start: number, end: number): (Float64Array | Uint32Array)[];
}

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

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U32 = new Uint32Array(0);

export function createFrameBuilder(plan: ImportPlan): FrameBuilder {
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
	let cap = 1024;
	let n = 0;
	let done = false;
	// Every slot holds an array so the hot loop sees one element kind; unused ones stay empty.
	let nums: Float64Array[] = cols.map((_, j) =>
		kinds[j] !== K_CODES ? new Float64Array(cap) : EMPTY_F64
	);
	let codes: Uint32Array[] = cols.map((_, j) =>
		kinds[j] === K_CODES ? new Uint32Array(cap) : EMPTY_U32
	);
	const dicts = cols.map(() => new StringDictionary());
	let sourceRows: Uint32Array = new Uint32Array(cap);
	const bad = new BadCellList();

	function grow(): void {
		cap *= 2;
		const f = (a: Float64Array): Float64Array => {
			if (a.length === 0) return a;
			const b = new Float64Array(cap);
			b.set(a);
			return b;
		};
		const u = (a: Uint32Array): Uint32Array => {
			if (a.length === 0) return a;
			const b = new Uint32Array(cap);
			b.set(a);
			return b;
		};
		// Column by column, so each old array is garbage as soon as it is copied rather than all
		// of them staying reachable until the last copy is made.
		for (let j = 0; j < nCols; j++) {
			nums[j] = f(nums[j]);
			codes[j] = u(codes[j]);
		}
		sourceRows = u(sourceRows);
	}

	function push(cells: readonly string[], row: number): void {
		if (done) throw new Error('This frame builder has already finished.');
		if (n === cap) grow();
		const r = n++;
		sourceRows[r] = row;
		for (let j = 0; j < nCols; j++) {
			const raw = cells[src[j]];
			const kind = kinds[j];
			if (kind === K_NUMBER) {
				const out = nums[j];
				if (raw === undefined) {
					out[r] = NaN;
					continue;
				}
				let v = parsePlainNumber(raw, decimal);
				if (v !== v && !isMissing(raw)) {
					v = parseNumber(raw, decimal);
					if (v !== v) bad.add(r, j, raw, REASON_CODE['not-a-number']);
				}
				out[r] = v;
			} else if (kind === K_CODES) {
				const out = codes[j];
				if (raw === undefined) {
					out[r] = MISSING_CODE;
					continue;
				}
				const dict = dicts[j];
				// Most cells repeat a category already seen, exactly as written: one lookup and done.
				// Missing tokens are never dictionary keys, so a hit cannot be a missing value.
				let code = dict.find(raw);
				if (code >= 0) {
					out[r] = code;
					continue;
				}
				const t = trimCell(raw);
				if (t.length === 0 || isMissing(t)) {
					out[r] = MISSING_CODE;
					continue;
				}
				// Only a trimmed cell can differ from the lookup that just missed: skipping the second
				// lookup matters for identifier columns, where nearly every cell is new.
				if (t !== raw) code = dict.find(t);
				if (code < 0) code = dict.add(detach(t));
				out[r] = code;
			} else {
				const out = nums[j];
				if (raw === undefined) {
					out[r] = NaN;
					continue;
				}
				// The common spellings first ("yes", "2024-09-02"), when they cannot be missing tokens
				// (yesNo leaves out any the file declares missing): the missing-token test costs more
				// than these lookups, and the general order below is only needed for the rest.
				const fast = kind === K_BOOLEAN ? yesNo.get(raw) : isoDayFast(raw);
				if (fast !== undefined && fast === fast && !(missingDates && isMissing(raw))) {
					out[r] = fast;
					continue;
				}
				if (isMissing(raw)) {
					out[r] = NaN;
					continue;
				}
				const v = kind === K_BOOLEAN ? parseBoolean(raw) : parseDate(raw, orders[j]);
				if (v !== v) {
					bad.add(r, j, raw, REASON_CODE[kind === K_BOOLEAN ? 'not-yes-no' : 'not-a-date']);
				}
				out[r] = v;
			}
		}
	}

	function finish(): BuiltFrame {
		if (done) throw new Error('This frame builder has already finished.');
		done = true;
		const issues = new IssueLog();
		// Each growable array is dropped as soon as its trimmed copy exists, so finishing holds
		// one extra column at a time rather than a second copy of the whole frame.
		const columns: Column[] = cols.map((c, j) => {
			if (kinds[j] === K_CODES) {
				const trimmed = codes[j].slice(0, n);
				codes[j] = EMPTY_U32;
				return {
					kind: 'categorical',
					name: c.name,
					type: c.type as 'category' | 'identifier' | 'text',
					codes: trimmed,
					dictionary: dicts[j].words
				};
			}
			const values = nums[j].slice(0, n);
			nums[j] = EMPTY_F64;
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
		// Release the growable buffers now; the caller may hold the builder a while.
		nums = [];
		codes = [];
		return { frame, sourceRows: rows, badCells, issues };
	}

	function rowSlice(start: number, end: number): (Float64Array | Uint32Array)[] {
		if (done) throw new Error('This frame builder has already finished.');
		const e = Math.min(end, n);
		return cols.map((_, j) => (kinds[j] === K_CODES ? codes[j] : nums[j]).slice(start, e));
	}

	return {
		push,
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
