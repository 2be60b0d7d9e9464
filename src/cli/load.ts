/**
 * Reads a file through the app's import pipeline (inspectFile → plan → buildFrame), so the CLI
 * sees exactly the types, roles and problems the import page shows a teacher. Shared by
 * `import`, `train` and `predict`.
 */
import { buildFrame, detectFormat, inspectFile, type BuildResult } from '../lib/data/import';
import type { FileInspection, ReadSpec } from '../lib/data/import';
import type { ImportPlan } from '../lib/data/plan';
import type { DataIssue } from '../lib/data/types';
import { listSheets } from '../lib/data/xlsx';
import type { ValidationReport } from '../lib/data/validate';
import type { ProgressFn } from '../lib/ml/progress';
import { UsageError } from './command';
import { openFileSource, type FileSource } from './node-source';

export interface LoadOptions {
	/** As typed after --sheet: a sheet name, or its 1-based position in the tab order. */
	sheet?: string;
	decimal?: '.' | ',';
	/** Changes the proposed plan before the full read (e.g. forcing a model's column types). */
	editPlan?: (plan: ImportPlan, inspection: FileInspection) => ImportPlan;
	progress?: ProgressFn;
	/** The command name, for usage errors. */
	command: string;
}

export interface LoadedTable {
	inspection: FileInspection;
	plan: ImportPlan;
	build: BuildResult;
}

/**
 * A name wins over a number (a sheet may be called "2024"); otherwise digits count tabs from 1,
 * as a person counts them. Unknown names go through unchanged so the reader's own message,
 * which lists the sheets, reaches the user.
 */
async function resolveSheet(
	source: FileSource,
	wanted: string,
	command: string
): Promise<string | number> {
	if ((await detectFormat(source)) !== 'xlsx') {
		throw new UsageError(
			`--sheet only applies to Excel workbooks; ${source.name} is CSV.`,
			command
		);
	}
	const sheets = await listSheets(source);
	const key = (s: string) => s.normalize('NFC').toLowerCase();
	if (sheets.some((s) => key(s.name) === key(wanted))) return wanted;
	if (/^\d+$/.test(wanted)) {
		const n = Number(wanted);
		if (n < 1) throw new UsageError('--sheet numbers count from 1 (the first tab).', command);
		return n - 1;
	}
	return wanted;
}

export async function loadTable(
	path: string,
	name: string,
	opts: LoadOptions
): Promise<LoadedTable> {
	const source = await openFileSource(path, name);
	try {
		const sheet =
			opts.sheet === undefined ? undefined : await resolveSheet(source, opts.sheet, opts.command);
		const inspection = await inspectFile(source, { sheet, decimal: opts.decimal });
		const plan = opts.editPlan ? opts.editPlan(inspection.plan, inspection) : inspection.plan;
		const spec: ReadSpec = {
			format: inspection.format,
			dialect: inspection.dialect,
			// The sheet inspectFile settled on, by name, so both passes read the same one.
			sheet: inspection.sheet
		};
		const build = await buildFrame(source, spec, plan, { onProgress: opts.progress });
		return { inspection, plan, build };
	} finally {
		await source.close();
	}
}

/**
 * One report with every problem: header renames from the inspection, structural problems from
 * the full read (ragged rows, bad quotes), then the validation itself. Counts are merged too,
 * so the "… and N more" lines of the CSV report include the read problems.
 */
export function fullReport(loaded: LoadedTable): ValidationReport {
	const { build, inspection } = loaded;
	const { report, readIssues } = build;
	// The inspection also saw the sample's structural problems; the full read has them all.
	const headerIssues: DataIssue[] = inspection.issues.filter((i) => !(i.code in readIssues.counts));
	const counts: Record<string, number> = {};
	const add = (code: string, n: number) => (counts[code] = (counts[code] ?? 0) + n);
	for (const i of headerIssues) add(i.code, 1);
	for (const [code, n] of Object.entries(readIssues.counts)) add(code, n);
	for (const [code, n] of Object.entries(report.counts)) add(code, n);
	const issues = [...headerIssues, ...readIssues.issues, ...report.issues];
	const severity = new Map<string, DataIssue['severity']>();
	for (const i of issues) severity.set(i.code, i.severity);
	let errors = 0;
	let warnings = 0;
	for (const [code, n] of Object.entries(counts)) {
		if (severity.get(code) === 'error') errors += n;
		else if (severity.get(code) === 'warning') warnings += n;
	}
	return { ...report, issues, counts, errors, warnings };
}
