/**
 * Reading .xlsx workbooks, in the worker and in Node.
 *
 * Why fflate plus our own SpreadsheetML reader, not a spreadsheet library: the product must
 * refuse a zip bomb while decompressing, counting real inflated bytes, and must stream a big
 * sheet without building a DOM. fflate (0.8, maintained, no dependencies, 8 kB) has an
 * incremental Inflate whose output we can count and abandon after any chunk. The full
 * libraries do not give that: exceljs inflates whole entries through JSZip (and pulls Node
 * stream polyfills into the worker), read-excel-file unzips the whole file before parsing, and
 * the npm `xlsx` 0.18 is unmaintained with known vulnerabilities. What we need from
 * SpreadsheetML is small (sheet names and order, shared strings, cell values, which styles are
 * dates), so a purpose-written tokenizer (xml.ts) is less code to trust than a general XML
 * parser, and fast: it scans with indexOf and keeps only an unfinished tag between chunks.
 *
 * Files: zip.ts (central directory, .xls detection), inflate.ts (streaming + limits),
 * limits.ts, xml.ts, workbook.ts (rels, sheet list), styles.ts + dates.ts (date cells),
 * shared-strings.ts, sheet.ts (cells → rows), table.ts (rows → header + records).
 */
import type { ByteSource, ReadOptions, ReadSummary, RecordSink } from '../types';
import { sheetNotFound } from './errors';
import { scanEntry, type EntryContext } from './inflate';
import { Budget, resolveLimits, type XlsxLimits } from './limits';
import { readSharedStrings } from './shared-strings';
import { SheetHandler } from './sheet';
import { readDateStyles } from './styles';
import { TableAssembler } from './table';
import { readWorkbook, type SheetRef, type WorkbookInfo } from './workbook';
import { checkMagic, looksLikeZip, readZipDirectory, type ZipDirectory } from './zip';

export { DEFAULT_XLSX_LIMITS, type XlsxLimits } from './limits';
export { excelSerialToIso, isDateFormatCode } from './dates';

export interface SheetInfo {
	name: string;
	/** 0-based position among the workbook's worksheets, in tab order; pass it as `sheet`. */
	index: number;
	/** The sheet's used range as Excel recorded it ("A1:F31"), when it did. */
	dimension?: string;
	/** Hidden in Excel; still readable. */
	hidden?: boolean;
}

export type XlsxReadOptions = ReadOptions & {
	/** Sheet name (case-insensitive) or 0-based index; default: the first visible sheet. */
	sheet?: string | number;
	limits?: Partial<XlsxLimits>;
};

/** True for a zip, which is what every .xlsx is (check the extension too: .docx is a zip). */
export function looksLikeXlsx(head: Uint8Array): boolean {
	return looksLikeZip(head);
}

interface Opened {
	ctx: EntryContext;
	zip: ZipDirectory;
	wb: WorkbookInfo;
}

async function open(
	source: ByteSource,
	limits: Partial<XlsxLimits> | undefined,
	cancel: ReadOptions['cancel']
): Promise<Opened> {
	const budget = new Budget(resolveLimits(limits), source.name);
	await checkMagic(source);
	const zip = await readZipDirectory(source);
	const ctx: EntryContext = { source, budget, cancel };
	const wb = await readWorkbook(ctx, zip);
	return { ctx, zip, wb };
}

export async function listSheets(
	source: ByteSource,
	limits?: Partial<XlsxLimits>
): Promise<SheetInfo[]> {
	const { ctx, zip, wb } = await open(source, limits, undefined);
	const out: SheetInfo[] = [];
	for (const [index, s] of wb.sheets.entries()) {
		const info: SheetInfo = { name: s.name, index };
		if (s.hidden) info.hidden = true;
		const entry = zip.get(s.path);
		if (entry) {
			// <dimension> sits before <sheetData>, in the first kilobytes of the part.
			const noStrings = { sharedStrings: [], dateStyles: [], date1904: false, budget: ctx.budget };
			await scanEntry(
				ctx,
				entry,
				(stop) =>
					new SheetHandler(noStrings, stop, stop, (ref) => {
						info.dimension = ref;
						stop();
					})
			);
		}
		out.push(info);
	}
	return out;
}

function pickSheet(fileName: string, sheets: SheetRef[], wanted?: string | number): SheetRef {
	const names = sheets.map((s) => s.name);
	if (wanted === undefined) {
		const first = sheets.find((s) => !s.hidden) ?? sheets[0];
		if (!first) throw sheetNotFound(fileName, 0, names);
		return first;
	}
	if (typeof wanted === 'number') {
		const s = sheets[wanted];
		if (!s) throw sheetNotFound(fileName, wanted, names);
		return s;
	}
	const exact = sheets.find((s) => s.name === wanted);
	if (exact) return exact;
	// Excel treats sheet names as case-insensitive; NFC so that "é" typed or pasted matches.
	const key = (n: string) => n.normalize('NFC').toLocaleLowerCase();
	const loose = sheets.find((s) => key(s.name) === key(wanted));
	if (!loose) throw sheetNotFound(fileName, wanted, names);
	return loose;
}

/**
 * Reads one sheet: its first non-empty row is the header, every later non-empty row goes to
 * `sink` with its real sheet row number. Progress counts the sheet's compressed bytes (its
 * inflated size is only what the zip claims). Throws AppException 'xlsx-too-large',
 * 'xlsx-corrupt', 'xls-unsupported' or 'sheet-not-found', or CancelledError.
 */
export async function readXlsx(
	source: ByteSource,
	sink: RecordSink,
	opts: XlsxReadOptions = {}
): Promise<ReadSummary & { sheet: string }> {
	const { ctx, zip, wb } = await open(source, opts.limits, opts.cancel);
	const sheet = pickSheet(source.name, wb.sheets, opts.sheet);
	const entry = zip.get(sheet.path);
	if (!entry) throw sheetNotFound(source.name, sheet.name, []);
	const dateStyles = wb.styles ? await readDateStyles(ctx, wb.styles) : [];
	const sharedStrings = wb.sharedStrings ? await readSharedStrings(ctx, wb.sharedStrings) : [];
	let stopRead = (): void => {};
	const table = new TableAssembler({
		file: source.name,
		sheet: sheet.name,
		sink,
		maxRows: opts.maxRows,
		onTruncate: () => stopRead()
	});
	const onProgress = opts.onProgress;
	await scanEntry(
		ctx,
		entry,
		(stop) => {
			stopRead = stop;
			return new SheetHandler(
				{ sharedStrings, dateStyles, date1904: wb.date1904, budget: ctx.budget },
				(row) => table.row(row),
				stop
			);
		},
		{
			onProgress: onProgress
				? (done, total) => onProgress({ bytesRead: done, totalBytes: total, rows: table.rows })
				: undefined
		}
	);
	opts.cancel?.throwIfCancelled();
	return {
		sheet: sheet.name,
		header: table.header ?? [],
		rows: table.rows,
		truncated: table.truncated,
		issues: table.log.issues,
		issueCounts: table.log.counts
	};
}
