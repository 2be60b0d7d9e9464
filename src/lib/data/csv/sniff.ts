/**
 * Guesses a CSV file's dialect from its first ~64 KB: encoding, line ends, delimiter and decimal
 * mark. Excel writes ';' with decimal commas in most of Europe, ',' elsewhere, tabs for "Unicode
 * text"; teachers cannot be asked which one they have.
 */
import Papa from 'papaparse';
import { AppException } from '../../errors';
import type { ByteSource } from '../types';
import {
	bomLengthFor,
	checkDecodedText,
	checkMagic,
	decodeChunk,
	detectEncoding,
	isAscii,
	type TextEncodingName
} from './encoding';

export interface CsvDialect {
	encoding: TextEncodingName;
	/** Bytes of byte order mark to skip at the start of the file. */
	bomLength: number;
	delimiter: ',' | ';' | '\t' | '|';
	/** Decimal mark of numbers in the file; ',' in comma-decimal locales. */
	decimal: '.' | ',';
}

export type Newline = '\n' | '\r\n' | '\r';

export const SAMPLE_BYTES = 64 * 1024;

/** In order of preference when two fit equally well. */
const DELIMITERS: readonly CsvDialect['delimiter'][] = [',', ';', '\t', '|'];
const SNIFF_RECORDS = 50;

/** Minimal shape of PapaParse's low-level tokenizer result (its typings say `any`). */
export interface PapaChunkResult {
	data: string[][];
	errors: { code: string; row: number; index: number }[];
	meta: { cursor: number };
}

export function tokenizer(delimiter: string, newline: Newline, preview?: number): Papa.Parser {
	return new Papa.Parser({ delimiter, newline, quoteChar: '"', preview });
}

/**
 * Line ends outside quoted fields, counted. A file with both CRLF and bare LF (rows appended by
 * another tool) is read with LF and a CR is stripped from each record's end.
 */
export function detectNewline(text: string): { newline: Newline; mixed: boolean } {
	let crlf = 0;
	let lf = 0;
	let cr = 0;
	// A CR that ends the sample may be half of a CRLF; it decides only when nothing else does.
	let trailingCr = false;
	let quoted = false;
	let fieldStart = true;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (quoted) {
			if (c === 0x22) {
				if (text.charCodeAt(i + 1) === 0x22) i++;
				else quoted = false;
			}
			continue;
		}
		if (c === 0x22 && fieldStart) {
			quoted = true;
			continue;
		}
		if (c === 0x0d) {
			if (text.charCodeAt(i + 1) === 0x0a) {
				crlf++;
				i++;
			} else if (i + 1 < text.length) cr++;
			else trailingCr = true;
			fieldStart = true;
		} else if (c === 0x0a) {
			lf++;
			fieldStart = true;
		} else {
			// Any candidate delimiter may start a field: the delimiter is not known yet.
			fieldStart = c === 0x2c || c === 0x3b || c === 0x09 || c === 0x7c;
		}
	}
	if (crlf > 0 && lf > 0) return { newline: '\n', mixed: true };
	if (crlf === 0 && lf === 0 && (cr > 0 || trailingCr)) return { newline: '\r', mixed: false };
	if (cr > crlf && cr > lf) return { newline: '\r', mixed: false };
	return { newline: crlf > 0 ? '\r\n' : '\n', mixed: false };
}

function isBlank(row: readonly string[]): boolean {
	return row.length === 1 && row[0].trim() === '';
}

/** The first records of the sample; the last is dropped when it may have been cut off. */
function sampleRecords(text: string, delimiter: string, newline: Newline): string[][] {
	const res = tokenizer(delimiter, newline, SNIFF_RECORDS + 1).parse(
		text,
		0,
		false
	) as PapaChunkResult;
	const rows = res.data;
	if (rows.length > 2) rows.pop();
	return rows.filter((r) => !isBlank(r));
}

/**
 * The delimiter that splits the header into 2+ fields and the most records into as many fields
 * as the header. Judging against the header (not the most common count) keeps a one-column file
 * of "12,5"-style numbers from being split on its decimal commas.
 */
function sniffDelimiter(text: string, newline: Newline): CsvDialect['delimiter'] {
	let best: CsvDialect['delimiter'] = ',';
	let bestScore = 0;
	let bestWidth = 0;
	for (const d of DELIMITERS) {
		if (text.indexOf(d) === -1) continue;
		const rows = sampleRecords(text, d, newline);
		if (rows.length === 0) continue;
		const width = rows[0].length;
		if (width < 2) continue;
		// Records as wide as the header count fully; records the delimiter splits at all (e.g.
		// trailing empty fields, a missing column) half.
		let score = 0;
		for (let i = 1; i < rows.length; i++) {
			const n = rows[i].length;
			score += n === width ? 1 : n > 1 ? 0.5 : 0;
		}
		score = rows.length === 1 ? 1 : score / (rows.length - 1);
		if (score > bestScore || (score === bestScore && width > bestWidth)) {
			best = d;
			bestScore = score;
			bestWidth = width;
		}
	}
	if (bestScore > 0) return best;
	// One column: pick a delimiter that never occurs, so "12,5" or "Smith, J" stay whole.
	return DELIMITERS.find((d) => text.indexOf(d) === -1) ?? ',';
}

const COMMA_DECIMAL = /^\s*[-+]?(\d{1,3}(\.\d{3})+|\d+),(\d+)\s*$/;
const DOT_DECIMAL = /^\s*[-+]?(\d{1,3}(,\d{3})+|\d*)\.\d+\s*$/;

/** Decimal commas win when numbers like "12,5" outnumber numbers like "12.5". */
function sniffDecimal(
	text: string,
	delimiter: CsvDialect['delimiter'],
	newline: Newline
): CsvDialect['decimal'] {
	const rows = sampleRecords(text, delimiter, newline);
	let comma = 0;
	let dot = 0;
	for (let r = 1; r < rows.length; r++) {
		for (const cell of rows[r]) {
			const m = COMMA_DECIMAL.exec(cell);
			// In a comma-separated file such a cell was quoted, and "1,234" there is more likely
			// an English thousands separator than a decimal.
			if (m && !(delimiter === ',' && m[3].length === 3)) comma++;
			else if (DOT_DECIMAL.test(cell)) dot++;
		}
	}
	return comma > dot ? ',' : '.';
}

/** Delimiter and decimal mark of a sample of decoded text (the last line may be cut off). */
export function sniffDialect(sampleText: string): {
	delimiter: CsvDialect['delimiter'];
	decimal: CsvDialect['decimal'];
} {
	const { newline } = detectNewline(sampleText);
	const delimiter = sniffDelimiter(sampleText, newline);
	return { delimiter, decimal: sniffDecimal(sampleText, delimiter, newline) };
}

export function emptyFileError(file: string): AppException {
	return new AppException({
		code: 'empty-file',
		message: `${file} is empty: it has no header row and no data. Check that you chose the right file.`,
		details: { file }
	});
}

/** What the reader needs beyond the public dialect. */
export interface Inspection {
	dialect: CsvDialect;
	newline: Newline;
	/** Strip a CR left at the end of a record (file mixes CRLF and LF). */
	stripCr: boolean;
	/**
	 * UTF-8 was only assumed (no BOM, sample all ASCII): a later non-UTF-8 byte switches the
	 * reader to Windows-1252 instead of turning "é" into "�".
	 */
	utf8Assumed: boolean;
}

export async function inspectCsv(
	source: ByteSource,
	override: Partial<CsvDialect> = {}
): Promise<Inspection> {
	const head = await source.read(0, Math.min(source.size, SAMPLE_BYTES));
	const complete = head.length >= source.size;
	if (source.size === 0) throw emptyFileError(source.name);
	checkMagic(source.name, head);
	const detected = detectEncoding(head);
	const encoding = override.encoding ?? detected.encoding;
	const bomLength =
		override.bomLength ??
		(encoding === detected.encoding ? detected.bomLength : bomLengthFor(head, encoding));
	const decoder = new TextDecoder(encoding, { ignoreBOM: true });
	const text = decodeChunk(decoder, head.subarray(bomLength), complete);
	if (complete && text.trim() === '') throw emptyFileError(source.name);
	checkDecodedText(source.name, text);
	const { newline, mixed } = detectNewline(text);
	const delimiter = override.delimiter ?? sniffDelimiter(text, newline);
	const decimal = override.decimal ?? sniffDecimal(text, delimiter, newline);
	return {
		dialect: { encoding, bomLength, delimiter, decimal },
		newline,
		stripCr: mixed,
		utf8Assumed:
			override.encoding === undefined && encoding === 'utf-8' && bomLength === 0 && isAscii(head)
	};
}

/** Reads the first ~64 KB of `source` and guesses its dialect; throws for non-text files. */
export async function sniffCsv(source: ByteSource): Promise<CsvDialect> {
	return (await inspectCsv(source)).dialect;
}
