/**
 * `import FILE`: reads a CSV or Excel file with the app's own import pipeline and prints what
 * the import page would show — the inferred schema and the validation report — as text, or as
 * one JSON object for scripts. Nothing is stored.
 */
import type { FileInspection } from '../../lib/data/import';
import { reportToCsv, type ColumnReport, type ValidationReport } from '../../lib/data/validate';
import type { ColumnPlan } from '../../lib/data/plan';
import type { DataIssue } from '../../lib/data/types';
import {
	EXIT_FAILURE,
	EXIT_OK,
	INVOCATION,
	parseCommandArgs,
	table,
	UsageError,
	type CliCommand,
	type CliIo
} from '../command';
import { describeFsError, resolvePath, writeFileAtomically } from '../files';
import { num, percent, plural, textTable } from '../format';
import { fullReport, loadTable, type LoadedTable } from '../load';
import { terminalProgress } from '../progress';

const help = `Usage: ${INVOCATION} import FILE [options]

Reads a class file (CSV or Excel .xlsx) the way the app's import page does and prints the
column types and roles it inferred and every problem it found. Nothing is stored or changed.

Options:
${table([
	['--sheet <name|n>', 'Excel sheet by name, or by position counting from 1 (default: first)'],
	['--decimal <.|,>', 'decimal mark of numbers in the file (default: detected)'],
	['--report-csv <out.csv>', 'also write every problem as CSV, one per line'],
	['--json', 'print one JSON object instead of text'],
	['-h, --help', 'show this help']
])}

Exit status: 0 when the file was read (even if it has problems, which are reported),
1 when it cannot be read, 2 for a mistake in the command line.

Examples:
  ${INVOCATION} import marks.csv
  ${INVOCATION} import results.xlsx --sheet "Term 2" --json
`;

/** Problems listed one by one in the text output; --report-csv has them all. */
const TEXT_ISSUES = 20;
/** Problems in the JSON object; `counts` has every one. */
const JSON_ISSUES = 100;

export interface ImportColumnJson {
	name: string;
	original: string;
	type: string;
	role: string;
	canonical: string | null;
	missingRate: number;
	distinct: number;
	/** Numbers as numbers; dates as ISO 8601 text; null for categories. */
	min: number | string | null;
	max: number | string | null;
	expectedRange: { min: number | null; max: number | null; label: string } | null;
}

export interface ImportJson {
	file: string;
	format: FileInspection['format'];
	dialect: FileInspection['dialect'];
	sheet: string | null;
	sheets: string[] | null;
	profile: {
		id: string;
		label: string;
		score: number;
		target: string | null;
		missing: string[];
	} | null;
	rows: number;
	columns: ImportColumnJson[];
	errors: number;
	warnings: number;
	counts: Record<string, number>;
	issues: DataIssue[];
}

function endpoint(c: ColumnReport, v: number | null): number | string | null {
	if (v === null) return null;
	return c.type === 'datetime' ? new Date(v).toISOString() : v;
}

export function importJson(loaded: LoadedTable, report: ValidationReport): ImportJson {
	const { inspection, plan } = loaded;
	const byName = new Map<string, ColumnPlan>(plan.columns.map((c) => [c.name, c]));
	const p = plan.profile;
	return {
		file: inspection.file,
		format: inspection.format,
		dialect: inspection.dialect,
		sheet: inspection.sheet,
		sheets: inspection.sheets?.map((s) => s.name) ?? null,
		profile: p
			? { id: p.profile, label: p.label, score: p.score, target: p.target, missing: p.missing }
			: null,
		rows: report.nRows,
		columns: report.columns.map((c) => {
			const cp = byName.get(c.name);
			const range = cp?.range;
			return {
				name: c.name,
				original: c.original,
				type: c.type,
				role: c.role,
				canonical: cp?.canonical ?? null,
				missingRate: c.missingRate,
				distinct: c.nDistinct,
				min: endpoint(c, c.min),
				max: endpoint(c, c.max),
				expectedRange: range
					? { min: range.min ?? null, max: range.max ?? null, label: range.label }
					: null
			};
		}),
		errors: report.errors,
		warnings: report.warnings,
		counts: report.counts,
		issues: report.issues.slice(0, JSON_ISSUES)
	};
}

function dialectText(i: Pick<ImportJson, 'format' | 'dialect' | 'sheet'>): string {
	if (i.format === 'xlsx') return `Excel workbook, sheet “${i.sheet ?? '?'}”`;
	const d = i.dialect;
	if (!d) return 'CSV';
	const delim = d.delimiter === '\t' ? 'tab' : `'${d.delimiter}'`;
	return `CSV, ${d.encoding}, delimiter ${delim}, decimal '${d.decimal}'`;
}

function rangeText(c: ImportColumnJson): string {
	if (c.type === 'boolean') return c.min === null ? '' : 'yes/no';
	if (c.min === null || c.max === null) {
		return c.distinct ? plural(c.distinct, 'distinct value') : '';
	}
	const show = (v: number | string) => (typeof v === 'number' ? num(v) : v.slice(0, 10));
	const seen = `${show(c.min)} – ${show(c.max)}`;
	return c.expectedRange ? `${seen} (expected ${c.expectedRange.label})` : seen;
}

export function importText(json: ImportJson, report: ValidationReport): string {
	const lines: string[] = [];
	lines.push(
		`${json.file} — ${plural(json.rows, 'row')} × ${plural(json.columns.length, 'column')} (${dialectText(json)})`
	);
	if (json.sheets && json.sheets.length > 1) lines.push(`Sheets: ${json.sheets.join(', ')}`);
	if (json.profile) {
		const target = json.profile.target ? `; predicts ${json.profile.target} by default` : '';
		lines.push(
			`Recognised as: ${json.profile.label} (${Math.round(json.profile.score * 100)}% of its columns)${target}`
		);
	} else lines.push('Recognised as: no known layout; types and roles inferred column by column');
	lines.push('');
	lines.push(
		textTable(
			['Column', 'Type', 'Role', 'Field', 'Missing', 'Range'],
			json.columns.map((c) => [
				c.original === c.name ? c.name : `${c.name} (“${c.original}”)`,
				c.type,
				c.role,
				c.canonical ?? '',
				percent(c.missingRate),
				rangeText(c)
			])
		)
	);
	lines.push('');
	const codes = Object.entries(json.counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
	if (codes.length === 0) {
		lines.push('Validation: no problems found.');
		return lines.join('\n') + '\n';
	}
	lines.push(
		`Validation: ${plural(json.errors, 'error')}, ${plural(json.warnings, 'warning')}` +
			(report.rowsWithErrors.length
				? ` (${plural(report.rowsWithErrors.length, 'row')} with errors)`
				: '')
	);
	const severity = new Map(report.issues.map((i) => [i.code, i.severity]));
	lines.push(
		textTable(
			['Problem', 'Count', 'Severity'],
			codes.map(([code, n]) => [code, n.toLocaleString('en'), severity.get(code) ?? ''])
		)
	);
	lines.push('');
	// Errors first: they are what the teacher must decide about before storing.
	const rank = { error: 0, warning: 1, info: 2 } as const;
	const first = report.issues
		.map((issue, k) => ({ issue, k }))
		.sort((a, b) => rank[a.issue.severity] - rank[b.issue.severity] || a.k - b.k)
		.slice(0, TEXT_ISSUES);
	const total = Object.values(json.counts).reduce((s, n) => s + n, 0);
	lines.push(
		total > first.length ? `First ${first.length} of ${plural(total, 'problem')}:` : 'Problems:'
	);
	for (const { issue } of first) lines.push(`  ${issue.severity.padEnd(7)}  ${issue.message}`);
	return lines.join('\n') + '\n';
}

export const importCommand: CliCommand = {
	name: 'import',
	summary: 'Read a CSV or Excel file and report its columns and problems',
	help,
	async run(args: string[], io: CliIo): Promise<number> {
		const { values, positionals } = parseCommandArgs(
			'import',
			args,
			{
				sheet: { type: 'string' },
				decimal: { type: 'string' },
				json: { type: 'boolean' },
				'report-csv': { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			},
			1
		);
		if (values.help) {
			io.stdout(help);
			return EXIT_OK;
		}
		const file = positionals[0];
		if (file === undefined || file === '') {
			throw new UsageError(`Missing FILE. Run '${INVOCATION} import --help'.`, 'import');
		}
		const decimal = values.decimal;
		if (decimal !== undefined && decimal !== '.' && decimal !== ',') {
			throw new UsageError(`--decimal must be '.' or ','; got '${decimal}'.`, 'import');
		}
		const reportOut = values['report-csv'];
		if (reportOut === '') throw new UsageError('--report-csv needs a file path.', 'import');

		const progress = terminalProgress(io);
		let loaded: LoadedTable;
		try {
			loaded = await loadTable(resolvePath(io, file), file, {
				command: 'import',
				sheet: values.sheet,
				decimal,
				progress: progress.report
			});
		} finally {
			progress.done();
		}
		const report = fullReport(loaded);
		const json = importJson(loaded, report);
		// With --json stdout holds only the object, so `| jq` works; notes go to stderr.
		const note = values.json ? io.stderr : io.stdout;
		if (values.json) io.stdout(JSON.stringify(json) + '\n');
		else io.stdout(importText(json, report));

		if (reportOut !== undefined) {
			try {
				writeFileAtomically(resolvePath(io, reportOut), [reportToCsv(report)]);
			} catch (e) {
				io.stderr(`Could not write ${reportOut}: ${describeFsError(e)}. Nothing was written.\n`);
				return EXIT_FAILURE;
			}
			note(`Wrote ${plural(report.issues.length, 'problem')} to ${reportOut}.\n`);
		}
		return EXIT_OK;
	}
};
