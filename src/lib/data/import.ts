/**
 * The import pipeline end to end, over any ByteSource, with no storage and no DOM: the worker
 * and the CLI both call these. Three steps, each cheap to repeat:
 *   inspectFile  reads a sample (the first few thousand records) and proposes a plan;
 *   buildFrame   reads the whole file into typed arrays following the (edited) plan, and
 *                validates the result;
 *   resolveImport applies the teacher's choice (fixes, skipped rows) and gives the final frame.
 * Reading twice costs a second pass over the file but keeps memory at the columnar size: no
 * step ever holds the file's text or its rows as strings.
 */
import { AppException } from '../errors';
import { subProgress, type CancelToken, type ProgressFn } from '../ml/progress';
import { readCsv, type CsvDialect } from './csv';
import {
	applyCellFixes,
	createFrameBuilder,
	dropFrameRows,
	type BuiltFrame,
	type CellFix
} from './infer/builder';
import { proposePlan, type ImportPlan } from './plan';
import {
	IssueLog,
	type ByteSource,
	type DataIssue,
	type ReadOptions,
	type ReadSummary,
	type RecordSink
} from './types';
import { validate, type ValidationReport } from './validate';
import { listSheets, readXlsx, type SheetInfo } from './xlsx';

export type FileFormat = 'csv' | 'xlsx';

export interface InspectOptions {
	sheet?: string | number;
	/** Records read to infer types (default 5,000). */
	sampleRows?: number;
	/** Records kept as strings for the preview table (default 20). */
	previewRows?: number;
	decimal?: '.' | ',';
	missingTokens?: string[];
	dialect?: Partial<CsvDialect>;
	cancel?: CancelToken;
}

export interface FileInspection {
	file: string;
	size: number;
	format: FileFormat;
	dialect: CsvDialect | null;
	sheets: SheetInfo[] | null;
	sheet: string | null;
	header: string[];
	preview: string[][];
	sampleRows: number;
	/** False when the sample is the whole file. */
	sampleTruncated: boolean;
	plan: ImportPlan;
	/** Header renames and structural problems seen in the sample. */
	issues: DataIssue[];
}

/** How the file is read again for the full pass: what inspectFile settled. */
export interface ReadSpec {
	format: FileFormat;
	dialect: CsvDialect | null;
	/** A sheet name, or a 0-based index (a sheet may well be called "2024"). */
	sheet: string | number | null;
}

export interface BuildResult {
	built: BuiltFrame;
	report: ValidationReport;
	/** Structural problems (ragged rows, unbalanced quotes, Excel error cells). */
	readIssues: { issues: DataIssue[]; counts: Record<string, number> };
	bytes: number;
	seconds: number;
}

export interface ImportChoice {
	fixes?: CellFix[];
	/** Frame rows to leave out (e.g. report.rowsWithErrors). */
	skipRows?: ArrayLike<number>;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0);

const EXCEL_EXT = /\.(xlsx|xlsm)$/i;
const OLD_EXCEL = /\.(xls)$/i;

/** Decides by content first (a renamed file is common), then by the name. */
export async function detectFormat(source: ByteSource): Promise<FileFormat> {
	const head = await source.read(0, 8);
	const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
	const ole = head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
	if (zip || ole || EXCEL_EXT.test(source.name) || OLD_EXCEL.test(source.name)) {
		// The xlsx reader explains .xls, encrypted workbooks and non-workbook zips itself.
		return 'xlsx';
	}
	return 'csv';
}

function readWith(
	spec: ReadSpec,
	source: ByteSource,
	sink: RecordSink,
	opts: ReadOptions
): Promise<ReadSummary & { dialect?: CsvDialect; sheet?: string }> {
	if (spec.format === 'xlsx')
		return readXlsx(source, sink, { ...opts, sheet: spec.sheet ?? undefined });
	return readCsv(source, sink, { ...opts, dialect: spec.dialect ?? undefined });
}

export async function inspectFile(
	source: ByteSource,
	opts: InspectOptions = {}
): Promise<FileInspection> {
	if (source.size === 0) {
		throw new AppException({
			code: 'empty-file',
			message: `${source.name} is empty: it has no header and no rows.`,
			details: { file: source.name }
		});
	}
	const format = await detectFormat(source);
	const sheets = format === 'xlsx' ? await listSheets(source) : null;
	const sampleRows = opts.sampleRows ?? 5000;
	const previewRows = opts.previewRows ?? 20;
	const sample: string[][] = [];
	const summary = await readWith(
		{
			format,
			dialect: (opts.dialect as CsvDialect | undefined) ?? null,
			sheet: opts.sheet ?? null
		},
		source,
		(cells) => {
			sample.push(cells.slice());
		},
		{ maxRows: sampleRows, cancel: opts.cancel }
	);
	if (summary.header.length === 0) {
		throw new AppException({
			code: 'no-header',
			message: `${source.name} has no header row: Classlens needs column names in the first row.`,
			details: { file: source.name }
		});
	}
	const sheet = summary.sheet ?? null;
	const { plan, issues } = proposePlan(summary.header, sample, {
		file: source.name,
		sheet: sheet ?? undefined,
		decimal: opts.decimal ?? (summary.dialect?.decimal === ',' ? ',' : undefined),
		missingTokens: opts.missingTokens
	});
	return {
		file: source.name,
		size: source.size,
		format,
		dialect: summary.dialect ?? null,
		sheets,
		sheet,
		header: summary.header,
		preview: sample.slice(0, previewRows),
		sampleRows: sample.length,
		sampleTruncated: summary.truncated,
		plan,
		issues: [...issues, ...summary.issues]
	};
}

export interface RowBlockStream {
	/** Rows per block; block k holds rows [k * rows, (k + 1) * rows). */
	rows: number;
	/**
	 * A finished block of every column, in column order, while reading goes on. Read-only: the
	 * arrays may be the builder's own storage.
	 */
	onBlock(block: number, columns: (Float64Array | Uint32Array)[]): void;
}

export async function buildFrame(
	source: ByteSource,
	spec: ReadSpec,
	plan: ImportPlan,
	opts: {
		onProgress?: ProgressFn;
		cancel?: CancelToken;
		/**
		 * Called once the columns are built and checked, with the number of blocks already
		 * handed to `stream` (the rest are still to be written).
		 */
		onBuilt?: (built: BuiltFrame, blocksStreamed: number, report: ValidationReport) => void;
		stream?: RowBlockStream;
	} = {}
): Promise<BuildResult> {
	const t0 = performance.now();
	const stream = opts.stream;
	// Blocks of the stream's size are handed on as the builder filled them, without a copy.
	const builder = createFrameBuilder(plan, { blockRows: stream?.rows });
	const reading = opts.onProgress ? subProgress(opts.onProgress, 0, 0.9) : undefined;
	let blocks = 0;
	const summary = await readWith(spec, source, (cells, row) => builder.push(cells, row), {
		lines: builder.pushLine,
		cancel: opts.cancel,
		onProgress: (p) => {
			// Readers report once per chunk read (megabytes), a natural moment to hand on blocks.
			while (stream && builder.rows >= (blocks + 1) * stream.rows) {
				stream.onBlock(blocks, builder.rowSlice(blocks * stream.rows, (blocks + 1) * stream.rows));
				blocks++;
			}
			reading?.({
				fraction: p.totalBytes ? p.bytesRead / p.totalBytes : 0,
				phase: `Reading the file — ${p.rows.toLocaleString('en')} rows, ${mb(p.bytesRead)} of ${mb(p.totalBytes)} MB`,
				detail: { rows: p.rows, bytesRead: p.bytesRead, totalBytes: p.totalBytes }
			});
		}
	});
	opts.cancel?.throwIfCancelled();
	opts.onProgress?.({ fraction: 0.92, phase: 'Checking the values' });
	const built = builder.finish();
	const report = validate(built, plan);
	opts.onBuilt?.(built, blocks, report);
	const readLog = new IssueLog();
	readLog.merge({ issues: summary.issues, counts: summary.issueCounts });
	opts.onProgress?.({ fraction: 1, phase: 'Checked' });
	return {
		built,
		report,
		readIssues: { issues: readLog.issues, counts: readLog.counts },
		bytes: source.size,
		seconds: (performance.now() - t0) / 1000
	};
}

/** Applies fixes, then drops skipped rows, and re-validates what is left. */
export function resolveImport(
	built: BuiltFrame,
	plan: ImportPlan,
	choice: ImportChoice
): { built: BuiltFrame; report: ValidationReport; fixErrors: DataIssue[] } {
	let next = built;
	let fixErrors: DataIssue[] = [];
	if (choice.fixes?.length) {
		const r = applyCellFixes(next, choice.fixes, plan);
		next = r.built;
		fixErrors = r.failed;
	}
	if (choice.skipRows && choice.skipRows.length) next = dropFrameRows(next, choice.skipRows);
	return { built: next, report: validate(next, plan), fixErrors };
}
