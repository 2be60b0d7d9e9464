/**
 * The two ways out of a validation report other than cancelling: fix cells in place, or skip
 * rows. Both return a new BuiltFrame (the old one stays valid for "undo") and keep the bad
 * cells, the spreadsheet row numbers and the issue log in step with the frame.
 */
import { MISSING_CODE, takeRows, type Column } from '../../ml/frame';
import type { ColumnPlan, ImportPlan } from '../plan';
import { IssueLog, clip, describeLocation, type DataIssue } from '../types';
import { badCellIssue, filterBadCells, type BadCells, type BuiltFrame } from './bad-cells';
import { makeMissingMatcher, parseBoolean, parseDate, parseNumber } from './values';

export interface CellFix {
	frameRow: number;
	/** The column's (safe) name, as in the plan and the frame. */
	column: string;
	/** The corrected text, read exactly as a cell of the file would be. Blank clears the cell. */
	value: string;
}

/** Re-creates the issue log: other issues as they were, type conflicts from the bad cells left. */
function rebuildIssues(
	old: IssueLog,
	plan: Pick<ImportPlan, 'file' | 'sheet' | 'columns'>,
	sourceRows: Uint32Array,
	bad: BadCells
): IssueLog {
	const log = new IssueLog();
	for (const [code, n] of Object.entries(old.counts)) {
		if (code === 'type-conflict') continue;
		const kept = old.issues.filter((i) => i.code === code);
		for (const i of kept) log.add(i);
		log.counts[code] = (log.counts[code] ?? 0) + (n - kept.length);
	}
	for (let i = 0; i < bad.count; i++)
		log.add(badCellIssue(plan, sourceRows[bad.frameRows[i]], bad, i));
	return log;
}

/**
 * Parses one cell of a non-categorical column: a number, NaN for missing, or undefined when the
 * text is not a value of that type. Shared with the cell fixer so a fix is read exactly like the
 * file was.
 */
export function convertCell(
	raw: string,
	kind: 'number' | 'boolean' | 'datetime',
	plan: Pick<ImportPlan, 'decimal'>,
	col: Pick<ColumnPlan, 'dateOrder'>,
	isMissing: (raw: string) => boolean
): number | undefined {
	if (isMissing(raw)) return NaN;
	const v =
		kind === 'number'
			? parseNumber(raw, plan.decimal)
			: kind === 'boolean'
				? parseBoolean(raw)
				: parseDate(raw, col.dateOrder ?? 'dmy');
	return v === v ? v : undefined;
}

const NOUN: Record<string, string> = {
	number: 'a number',
	boolean: 'a yes/no answer',
	datetime: 'a date Classlens can read'
};

export function applyCellFixes(
	built: BuiltFrame,
	fixes: readonly CellFix[],
	plan: ImportPlan
): { built: BuiltFrame; failed: DataIssue[] } {
	const isMissing = makeMissingMatcher(plan.missingTokens);
	const columns: Column[] = built.frame.columns.slice();
	const copied = new Set<number>();
	const indexes = new Map<number, Map<string, number>>();
	const fixed = new Set<string>();
	const failed: DataIssue[] = [];

	for (const fix of fixes) {
		const j = plan.columns.findIndex((c) => c.name === fix.column);
		const col = plan.columns[j];
		const where = {
			file: plan.file,
			sheet: plan.sheet,
			row: built.sourceRows[fix.frameRow],
			column: col?.original ?? fix.column,
			columnIndex: col?.index
		};
		if (!col || !columns[j] || !(fix.frameRow >= 0 && fix.frameRow < built.frame.nRows)) {
			failed.push({
				code: 'fix-not-applied',
				severity: 'error',
				message: `${plan.file}: there is no cell at row ${fix.frameRow + 2} of column “${fix.column}” to fix.`,
				where: { file: plan.file, sheet: plan.sheet, column: fix.column },
				value: clip(fix.value)
			});
			continue;
		}
		if (!copied.has(j)) {
			const c = columns[j];
			columns[j] =
				c.kind === 'numeric'
					? { ...c, values: c.values.slice() }
					: { ...c, codes: c.codes.slice(), dictionary: c.dictionary.slice() };
			copied.add(j);
		}
		const c = columns[j];
		if (c.kind === 'categorical') {
			const t = fix.value.trim();
			let code = MISSING_CODE;
			if (!isMissing(t)) {
				let index = indexes.get(j);
				if (!index) {
					index = new Map(c.dictionary.map((w, k) => [w, k]));
					indexes.set(j, index);
				}
				const known = index.get(t);
				if (known === undefined) {
					code = c.dictionary.length;
					c.dictionary.push(t);
					index.set(t, code);
				} else {
					code = known;
				}
			}
			c.codes[fix.frameRow] = code;
		} else {
			const kind = c.type === 'integer' ? 'number' : c.type;
			const v = convertCell(fix.value, kind, plan, col, isMissing);
			if (v === undefined) {
				failed.push({
					code: 'fix-not-converted',
					severity: 'error',
					message: `${describeLocation(where)}: “${clip(fix.value)}” is still not ${NOUN[kind]}; the cell is unchanged.`,
					where,
					value: clip(fix.value)
				});
				continue;
			}
			c.values[fix.frameRow] = v;
		}
		fixed.add(`${fix.frameRow}:${j}`);
	}

	const bad = built.badCells;
	const badCells = filterBadCells(bad, (i) => !fixed.has(`${bad.frameRows[i]}:${bad.columns[i]}`));
	return {
		built: {
			frame: { nRows: built.frame.nRows, columns },
			sourceRows: built.sourceRows,
			badCells,
			issues: rebuildIssues(built.issues, plan, built.sourceRows, badCells)
		},
		failed
	};
}

/**
 * Skips the given frame rows (the teacher chose "skip the listed rows"). With the plan, the
 * type-conflict issues are re-derived from the bad cells that remain; without it they are
 * filtered, which is exact unless more conflicts were counted than kept.
 */
export function dropFrameRows(
	built: BuiltFrame,
	frameRows: ArrayLike<number>,
	plan?: Pick<ImportPlan, 'file' | 'sheet' | 'columns'>
): BuiltFrame {
	const n = built.frame.nRows;
	const drop = new Uint8Array(n);
	for (let i = 0; i < frameRows.length; i++) {
		const r = frameRows[i];
		if (r >= 0 && r < n) drop[r] = 1;
	}
	const newIndex = new Int32Array(n);
	const keep: number[] = [];
	for (let r = 0; r < n; r++) {
		newIndex[r] = drop[r] ? -1 : keep.length;
		if (!drop[r]) keep.push(r);
	}
	const frame = takeRows(built.frame, keep);
	const sourceRows = Uint32Array.from(keep, (r) => built.sourceRows[r]);
	const bad = built.badCells;
	const badCells = filterBadCells(
		bad,
		(i) => drop[bad.frameRows[i]] === 0,
		(r) => newIndex[r]
	);
	let issues: IssueLog;
	if (plan) {
		issues = rebuildIssues(built.issues, plan, sourceRows, badCells);
	} else {
		const dropped = new Set<number>();
		for (let r = 0; r < n; r++) if (drop[r]) dropped.add(built.sourceRows[r]);
		issues = new IssueLog();
		for (const i of built.issues.issues) {
			if (i.code === 'type-conflict' && i.where.row !== undefined && dropped.has(i.where.row))
				continue;
			issues.add(i);
		}
		for (const [code, k] of Object.entries(built.issues.counts)) {
			if (code === 'type-conflict') issues.counts[code] = badCells.count;
			else issues.counts[code] = k;
		}
		if (badCells.count === 0) delete issues.counts['type-conflict'];
	}
	return { frame, sourceRows, badCells, issues };
}
