/**
 * The contract between the import pipeline's parts. A file format reader (csv/, xlsx/) turns
 * bytes into records of raw string cells; the inference step (infer/) picks a type per column
 * from a sample; column builders convert every cell straight into typed arrays; validation
 * (validate/) reports problems before anything is stored. Nothing here needs the DOM, so the
 * same code runs in the worker, in Node tests and in the CLI.
 */
import type { CancelToken } from '../ml/progress';

/**
 * Random access to a file's bytes: a browser File (via Blob.slice) or a Node file handle.
 * Reading by ranges keeps memory bounded and lets the importer read a file twice (a sample to
 * infer types, then the whole file) without holding it.
 */
export interface ByteSource {
	/** The file's name as the user knows it, used in every message ("marks.csv, row 12"). */
	readonly name: string;
	readonly size: number;
	/** Bytes [start, end) (end clamped to size). */
	read(start: number, end: number): Promise<Uint8Array>;
}

/** A ByteSource over bytes already in memory (tests, small files, xlsx entries). */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
	return {
		name,
		size: bytes.byteLength,
		read: async (start, end) => bytes.subarray(start, Math.min(end, bytes.byteLength))
	};
}

/** Where a problem is, in the words a teacher would use to find it in their spreadsheet. */
export interface CellLocation {
	file: string;
	/** Excel sheet name, when the file is a workbook. */
	sheet?: string;
	/**
	 * 1-based row number as a spreadsheet shows it: the header is row 1, the first data record
	 * is row 2. For CSV with embedded newlines this is the record's number, not a physical line.
	 */
	row?: number;
	/** Column name as written in the file's header (before it was made safe). */
	column?: string;
	/** 0-based column index. */
	columnIndex?: number;
}

export type IssueSeverity = 'error' | 'warning' | 'info';

/** One problem found while reading, inferring or validating. */
export interface DataIssue {
	/** Stable machine code, e.g. 'ragged-row', 'out-of-range', 'type-conflict'. */
	code: string;
	severity: IssueSeverity;
	/** A sentence a teacher understands, naming the file, row and column where it applies. */
	message: string;
	where: CellLocation;
	/** The offending raw text, shortened to at most 80 characters. */
	value?: string;
}

/**
 * Receives each data record (the header is not a record). `cells` may be reused by the reader
 * after the call returns: copy what you keep. `row` is the spreadsheet row number (header = 1).
 */
export type RecordSink = (cells: readonly string[], row: number) => void;

/**
 * A record the reader has not cut into strings: the line text[start, end) of a quote-free CSV
 * file (no line end, no trailing CR), whose fields are separated by the character `delimiter`
 * and should number `width`. The sink converts it and returns true, or returns false having
 * kept nothing of it (a line with another number of fields, say), and the reader then cuts it
 * into cells and hands it to the RecordSink as usual.
 */
export type LineSink = (
	text: string,
	start: number,
	end: number,
	row: number,
	delimiter: number,
	width: number
) => boolean;

export interface ReadProgress {
	bytesRead: number;
	totalBytes: number;
	rows: number;
}

export interface ReadOptions {
	/** Stop after this many data records (for a preview or an inference sample). */
	maxRows?: number;
	onProgress?: (p: ReadProgress) => void;
	cancel?: CancelToken;
	/**
	 * Where a reader may offer a record before cutting it into strings for the sink (the CSV
	 * reader does, for lines with no quotes). Records come in file order across both.
	 */
	lines?: LineSink;
}

/** What a reader learnt about the file, for the preview and the report. */
export interface ReadSummary {
	/** Header names exactly as in the file (not yet made safe, see headers.ts). */
	header: string[];
	/** Data records delivered to the sink. */
	rows: number;
	/** True when maxRows stopped the read before the end of the file. */
	truncated: boolean;
	/** Problems in the file's structure (ragged rows, unbalanced quotes, …). */
	issues: DataIssue[];
	/** Issues of the same code beyond the cap are counted here, never dropped silently. */
	issueCounts: Record<string, number>;
}

/** Missing-value tokens recognised by default (compared after trimming, case-insensitively). */
export const DEFAULT_MISSING_TOKENS: readonly string[] = ['', 'na', 'n/a', 'null', '-', '?', 'nan'];

/** How many issues of one code are kept with full detail; the rest are only counted. */
export const MAX_ISSUES_PER_CODE = 200;

/** Shortens a raw value for a message: a 5 MB cell must not become a 5 MB report. */
export function clip(value: string, max = 80): string {
	return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** "marks.csv, row 12, column “attendance”" — the one way every message names a place. */
export function describeLocation(w: CellLocation): string {
	const parts = [w.sheet ? `${w.file}, sheet “${w.sheet}”` : w.file];
	if (w.row !== undefined) parts.push(`row ${w.row}`);
	if (w.column !== undefined) parts.push(`column “${w.column}”`);
	return parts.join(', ');
}

/** Two issue lists as one (e.g. the reader's and the validation's): counts summed per code. */
export function combineIssues(
	...lists: { issues: readonly DataIssue[]; counts: Readonly<Record<string, number>> }[]
): { issues: DataIssue[]; counts: Record<string, number> } {
	const issues: DataIssue[] = [];
	const counts: Record<string, number> = {};
	for (const l of lists) {
		issues.push(...l.issues);
		for (const [code, n] of Object.entries(l.counts)) counts[code] = (counts[code] ?? 0) + n;
	}
	return { issues, counts };
}

/**
 * Errors and warnings over every issue, also those past the per-code cap (counted only): a code
 * always has one severity, read from the issues kept. Info notes are in neither.
 */
export function severityTotals(list: {
	issues: readonly DataIssue[];
	counts: Readonly<Record<string, number>>;
}): { errors: number; warnings: number } {
	const severityOf = new Map<string, IssueSeverity>();
	for (const i of list.issues) severityOf.set(i.code, i.severity);
	let errors = 0;
	let warnings = 0;
	for (const [code, n] of Object.entries(list.counts)) {
		const s = severityOf.get(code);
		if (s === 'error') errors += n;
		else if (s === 'warning') warnings += n;
	}
	return { errors, warnings };
}

/** Collects issues with a per-code cap, counting every one. */
export class IssueLog {
	readonly issues: DataIssue[] = [];
	readonly counts: Record<string, number> = {};
	constructor(private readonly cap = MAX_ISSUES_PER_CODE) {}
	add(issue: DataIssue): void {
		const n = (this.counts[issue.code] ?? 0) + 1;
		this.counts[issue.code] = n;
		if (n <= this.cap) this.issues.push(issue);
	}
	merge(other: { issues: readonly DataIssue[]; counts: Record<string, number> }): void {
		for (const [code, n] of Object.entries(other.counts)) {
			const kept = other.issues.filter((i) => i.code === code);
			for (const i of kept) this.add(i);
			// Count the ones the other log only counted.
			this.counts[code] = (this.counts[code] ?? 0) + (n - kept.length);
		}
	}
}
