/**
 * The validation report shown before anything is stored: per-column profiles, every problem with
 * its place in the spreadsheet, and the rows that carry errors so "skip the listed rows" is one
 * click. It reads only typed arrays, so a million-row import is checked in one pass per column.
 */
import { MISSING_CODE, type Column } from '../ml/frame';
import type { ColumnRole, ColumnType } from '../ml/frame';
import { moments } from '../ml/stats/moments';
import { quoteField, neutraliseFormula } from './csv-write';
import type { BuiltFrame } from './infer/bad-cells';
import type { ColumnPlan, ImportPlan } from './plan';
import {
	describeLocation,
	IssueLog,
	severityTotals,
	type DataIssue,
	type IssueSeverity
} from './types';
import { findDuplicateRows } from './duplicates';

export interface ColumnReport {
	name: string;
	/** The header as written in the file. */
	original: string;
	type: ColumnType;
	role: ColumnRole;
	nMissing: number;
	missingRate: number;
	/** Exact for categories; for numbers counted up to DISTINCT_CAP (see distinctCapped). */
	nDistinct: number;
	distinctCapped: boolean;
	min: number | null;
	max: number | null;
	mean: number | null;
	std: number | null;
	/** Cells that did not convert, and values outside the plan's range. */
	nBadCells: number;
	nOutOfRange: number;
	/** Column-level problems (mostly empty, constant, looks like an id, …). */
	issues: DataIssue[];
}

export interface ValidationReport {
	nRows: number;
	columns: ColumnReport[];
	/** Groups of frame rows that are exact duplicates of each other (each group sorted). */
	rows: { duplicates: number[][] };
	/** Capped per code; `counts` has every one. */
	issues: DataIssue[];
	counts: Record<string, number>;
	errors: number;
	warnings: number;
	/** Frame rows with at least one error, sorted: what "skip the listed rows" removes. */
	rowsWithErrors: Uint32Array;
}

export const DISTINCT_CAP = 100_000;
const MOSTLY_MISSING = 0.5;

function fmt(x: number): string {
	return Number.isInteger(x) ? x.toLocaleString('en') : String(Math.round(x * 1e4) / 1e4);
}

// Scratch views for reading a double's bits without allocating.
const bitsF64 = new Float64Array(1);
const bitsU32 = new Uint32Array(bitsF64.buffer);
// Twice the cap, rounded up to a power of two, keeps the distinct-value table under half full.
const DISTINCT_SLOTS = 1 << Math.ceil(Math.log2(DISTINCT_CAP * 2));
let distinctTable: Float64Array | null = null;

/**
 * Distinct non-missing values (0 and -0 alike, as a Set counts them), counted up to DISTINCT_CAP.
 * A typed open-addressing set with NaN as the empty slot: a Set<number> boxed every non-integer
 * cell as a heap number and was most of numericStats' time on a million rows. The table is
 * reused between columns, so a column allocates nothing; a short column clears and uses only
 * the part of it that it can fill to half.
 */
export function countDistinct(values: Float64Array): { nDistinct: number; capped: boolean } {
	const table = (distinctTable ??= new Float64Array(DISTINCT_SLOTS));
	let slots = 16;
	while (slots < DISTINCT_SLOTS && slots < values.length * 2) slots *= 2;
	table.fill(NaN, 0, slots);
	const mask = slots - 1;
	let count = 0;
	for (let i = 0; i < values.length; i++) {
		let v = values[i];
		if (v !== v) continue;
		if (v === 0) v = 0;
		bitsF64[0] = v;
		// Whole numbers have an all-zero low word, so the high word is mixed in by multiplication.
		let h = Math.imul(bitsU32[1], 0x9e3779b1) ^ bitsU32[0];
		h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
		h ^= h >>> 13;
		let slot = h & mask;
		let k = table[slot];
		while (k === k && k !== v) {
			slot = (slot + 1) & mask;
			k = table[slot];
		}
		if (k === k) continue;
		table[slot] = v;
		if (++count >= DISTINCT_CAP) return { nDistinct: count, capped: true };
	}
	return { nDistinct: count, capped: false };
}

function numericStats(values: Float64Array): {
	nMissing: number;
	nDistinct: number;
	capped: boolean;
	min: number | null;
	max: number | null;
	mean: number | null;
	std: number | null;
} {
	const { n, min, max, mean, m2 } = moments(values);
	const { nDistinct, capped } = countDistinct(values);
	return {
		nMissing: values.length - n,
		nDistinct,
		capped,
		min: n ? min : null,
		max: n ? max : null,
		mean: n ? mean : null,
		std: n > 1 ? Math.sqrt(m2 / (n - 1)) : n === 1 ? 0 : null
	};
}

function codeStats(c: Column & { kind: 'categorical' }): { nMissing: number; nDistinct: number } {
	const used = new Uint8Array(c.dictionary.length);
	let nMissing = 0;
	let nDistinct = 0;
	for (let i = 0; i < c.codes.length; i++) {
		const code = c.codes[i];
		if (code === MISSING_CODE) nMissing++;
		else if (used[code] === 0) {
			used[code] = 1;
			nDistinct++;
		}
	}
	return { nMissing, nDistinct };
}

export function validate(built: BuiltFrame, plan: ImportPlan): ValidationReport {
	const { frame, sourceRows, badCells } = built;
	const nRows = frame.nRows;
	const log = new IssueLog();
	log.merge(built.issues);
	const errorRow = new Uint8Array(nRows);
	for (let i = 0; i < badCells.count; i++) errorRow[badCells.frameRows[i]] = 1;
	const badPerColumn = new Uint32Array(frame.columns.length);
	for (let i = 0; i < badCells.count; i++) badPerColumn[badCells.columns[i]]++;
	const byName = new Map(plan.columns.map((c) => [c.name, c]));
	const place = (c: ColumnPlan | undefined, name: string, row?: number) => ({
		file: plan.file,
		sheet: plan.sheet,
		row,
		column: c?.original ?? name,
		columnIndex: c?.index
	});

	const columns: ColumnReport[] = frame.columns.map((col, j) => {
		const cp = byName.get(col.name);
		const role: ColumnRole = cp?.role ?? 'feature';
		const issues: DataIssue[] = [];
		const colIssue = (code: string, severity: IssueSeverity, message: string): void => {
			const issue: DataIssue = { code, severity, message, where: place(cp, col.name) };
			issues.push(issue);
			log.add(issue);
		};
		let nOutOfRange = 0;
		let report: Omit<ColumnReport, 'issues' | 'nBadCells' | 'nOutOfRange'>;
		const base = { name: col.name, original: cp?.original ?? col.name, type: col.type, role };
		if (col.kind === 'numeric') {
			const s = numericStats(col.values);
			report = {
				...base,
				...s,
				distinctCapped: s.capped,
				missingRate: nRows ? s.nMissing / nRows : 0
			};
			const range = cp?.range;
			if (range && (col.type === 'integer' || col.type === 'number')) {
				const lo = range.min ?? -Infinity;
				const hi = range.max ?? Infinity;
				const v = col.values;
				for (let r = 0; r < nRows; r++) {
					const x = v[r];
					if (!(x < lo || x > hi)) continue;
					nOutOfRange++;
					errorRow[r] = 1;
					const where = place(cp, col.name, sourceRows[r]);
					log.add({
						code: 'out-of-range',
						severity: 'error',
						message: `${describeLocation(where)}: ${fmt(x)} is outside the expected range for ${range.label}.`,
						where,
						value: String(x)
					});
				}
			}
		} else {
			const s = codeStats(col);
			report = {
				...base,
				...s,
				distinctCapped: false,
				missingRate: nRows ? s.nMissing / nRows : 0,
				min: null,
				max: null,
				mean: null,
				std: null
			};
		}
		const present = nRows - report.nMissing;
		const name = `column “${report.original}”`;
		if (nRows > 0 && report.missingRate > MOSTLY_MISSING) {
			colIssue(
				'mostly-missing',
				'warning',
				`${plan.file}: ${name} is empty in ${Math.round(report.missingRate * 100)}% of rows, so it tells a model little.`
			);
		}
		if (present > 1 && report.nDistinct === 1) {
			colIssue(
				'constant-column',
				'warning',
				`${plan.file}: every filled-in value in ${name} is the same, so it cannot help tell students apart.`
			);
		}
		const countable = col.kind === 'categorical' || col.type === 'integer';
		if (
			role === 'feature' &&
			countable &&
			present >= 20 &&
			report.nDistinct === present &&
			!report.distinctCapped
		) {
			colIssue(
				'looks-like-id',
				'warning',
				`${plan.file}: every value in ${name} is different, so it may be an identifier rather than something to learn from. Consider setting its role to “id”.`
			);
		}
		if (role === 'target' && report.nMissing > 0) {
			colIssue(
				'target-missing',
				'warning',
				`${plan.file}: ${name} (what you want to predict) is empty in ${report.nMissing.toLocaleString('en')} ${report.nMissing === 1 ? 'row' : 'rows'}; those rows cannot be used to train a model.`
			);
		}
		return { ...report, nBadCells: badPerColumn[j], nOutOfRange, issues };
	});

	const duplicates = findDuplicateRows(frame);
	for (const group of duplicates) {
		const rows = group.map((r) => sourceRows[r]);
		const listed =
			rows.length > 6
				? `${rows.slice(0, 6).join(', ')} and ${rows.length - 6} more`
				: `${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`;
		log.add({
			code: 'duplicate-rows',
			severity: 'warning',
			message: `${plan.file}: rows ${listed} are exact copies of each other; a student may have been entered twice.`,
			where: { file: plan.file, sheet: plan.sheet, row: rows[0] }
		});
	}

	const { errors, warnings } = severityTotals(log);
	let nErr = 0;
	for (let r = 0; r < nRows; r++) nErr += errorRow[r];
	const rowsWithErrors = new Uint32Array(nErr);
	for (let r = 0, k = 0; r < nRows; r++) if (errorRow[r]) rowsWithErrors[k++] = r;

	return {
		nRows,
		columns,
		rows: { duplicates },
		issues: log.issues,
		counts: { ...log.counts },
		errors,
		warnings,
		rowsWithErrors
	};
}

const CSV_HEADER = ['file', 'row', 'column', 'severity', 'code', 'message', 'value'];

/**
 * Every issue as CSV for the teacher to download. Text fields are neutralised so a value like
 * "=HYPERLINK(…)" copied from a student's cell cannot run as a formula when the report is opened
 * in a spreadsheet. Issues beyond the per-code cap get one summary line each, so the file says
 * how many there were even where it cannot list them.
 */
export function reportToCsv(report: ValidationReport): string {
	const text = (s: string | undefined): string => quoteField(neutraliseFormula(s ?? ''));
	const lines = [CSV_HEADER.join(',')];
	for (const i of report.issues) {
		const w = i.where;
		const file = w.sheet ? `${w.file} [${w.sheet}]` : w.file;
		lines.push(
			[
				text(file),
				w.row === undefined ? '' : String(w.row),
				text(w.column),
				i.severity,
				text(i.code),
				text(i.message),
				text(i.value)
			].join(',')
		);
	}
	for (const [code, n] of Object.entries(report.counts)) {
		const listed = report.issues.filter((i) => i.code === code);
		if (n <= listed.length || listed.length === 0) continue;
		const more = n - listed.length;
		lines.push(
			[
				text(listed[0].where.file),
				'',
				'',
				listed[0].severity,
				text(code),
				text(`… and ${more.toLocaleString('en')} more problems like this, not listed one by one.`),
				''
			].join(',')
		);
	}
	return lines.join('\r\n') + '\r\n';
}
