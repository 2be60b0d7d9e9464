/**
 * Writes a Frame as RFC 4180 CSV. Pure string building (no DOM, no Node APIs) so the same code
 * serves a browser download, the worker and the CLI; the chunked generator lets a caller stream
 * a large table to a file or a Blob without holding one giant string.
 */
import { AppException } from '../errors';
import { MISSING_CODE, type Column, type Frame } from '../ml/frame';

export interface CsvWriteOptions {
	/**
	 * Prefix text cells that a spreadsheet would run as a formula (= + - @ tab CR) with an
	 * apostrophe. Default true: exported class lists are opened in Excel, and a student-supplied
	 * "=HYPERLINK(…)" must stay text. Numbers, including negative ones, are never altered.
	 */
	neutraliseFormulas?: boolean;
	/** One character; default ",". Semicolon suits spreadsheets in comma-decimal locales. */
	delimiter?: string;
	/** How datetime columns are written; ISO 8601 in UTC is the only format so far. */
	dateFormat?: 'iso';
	/** Record separator; RFC 4180 says CRLF (the default). */
	newline?: '\r\n' | '\n';
	/** Write the column names as the first record (default true). */
	header?: boolean;
	/** Start with a UTF-8 byte order mark so Excel on Windows reads accents correctly. */
	bom?: boolean;
}

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/** A text cell a spreadsheet would treat as a formula gets a leading apostrophe. */
export function neutraliseFormula(text: string): string {
	return text.length > 0 && FORMULA_START.has(text[0]) ? `'${text}` : text;
}

/** Quotes a field when it holds the delimiter, a quote, CR or LF; quotes inside are doubled. */
export function quoteField(text: string, delimiter = ','): string {
	let needs = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '"' || ch === '\n' || ch === '\r' || ch === delimiter) {
			needs = true;
			break;
		}
	}
	return needs ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * JavaScript's number-to-string is already the shortest text that reads back as the same double
 * (so 0.1 stays "0.1", 3 stays "3"); -0 prints as "0".
 */
export function formatNumber(x: number): string {
	return Number.isNaN(x) ? '' : String(x);
}

/** ISO 8601 in UTC; milliseconds only when there are any. Out-of-range values print as numbers. */
export function formatDateTime(ms: number): string {
	if (Number.isNaN(ms)) return '';
	const d = new Date(ms);
	if (Number.isNaN(d.getTime())) return String(ms);
	const iso = d.toISOString();
	return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

interface Resolved {
	neutralise: boolean;
	delimiter: string;
	newline: string;
	header: boolean;
	bom: boolean;
}

function resolve(opts: CsvWriteOptions): Resolved {
	const delimiter = opts.delimiter ?? ',';
	if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
		throw new AppException({
			code: 'csv-invalid-delimiter',
			message: 'The separator must be a single character other than a quote or a line break.',
			details: { delimiter }
		});
	}
	if (opts.dateFormat !== undefined && opts.dateFormat !== 'iso') {
		throw new AppException({
			code: 'csv-invalid-date-format',
			message: 'Dates can only be written as ISO 8601 (for example 2024-09-02T08:15:00Z).',
			details: { dateFormat: String(opts.dateFormat) }
		});
	}
	return {
		neutralise: opts.neutraliseFormulas ?? true,
		delimiter,
		newline: opts.newline ?? '\r\n',
		header: opts.header ?? true,
		bom: opts.bom ?? false
	};
}

type CellWriter = (row: number) => string;

function cellWriter(c: Column, o: Resolved): CellWriter {
	if (c.kind === 'categorical') {
		// Escape each distinct value once, not once per row: dictionaries are small, rows are many.
		const text = c.dictionary.map((w) =>
			quoteField(o.neutralise ? neutraliseFormula(w) : w, o.delimiter)
		);
		const codes = c.codes;
		return (r) => {
			const code = codes[r];
			return code === MISSING_CODE ? '' : text[code];
		};
	}
	const v = c.values;
	// Numbers never hold quotes or line breaks; they need quoting only under an odd delimiter
	// such as '.', so the check stays but almost never fires.
	const guard = (s: string): string => quoteField(s, o.delimiter);
	switch (c.type) {
		case 'datetime':
			return (r) => guard(formatDateTime(v[r]));
		case 'boolean':
			return (r) => (Number.isNaN(v[r]) ? '' : v[r] !== 0 ? 'true' : 'false');
		default:
			return (r) => guard(formatNumber(v[r]));
	}
}

function headerLine(frame: Frame, o: Resolved): string {
	const names = frame.columns.map((c) =>
		quoteField(o.neutralise ? neutraliseFormula(c.name) : c.name, o.delimiter)
	);
	if (names.length === 1 && names[0] === '') return '""';
	return names.join(o.delimiter);
}

/**
 * Yields the CSV in pieces of `rowsPerChunk` records (the header rides with the first piece).
 * Every record ends with the newline, so pieces concatenate without a separator.
 */
export function* frameToCsvChunks(
	frame: Frame,
	opts: CsvWriteOptions = {},
	rowsPerChunk = 10_000
): Generator<string, void, undefined> {
	const o = resolve(opts);
	if (frame.columns.length === 0) return;
	const step = Math.max(1, Math.floor(rowsPerChunk));
	const writers = frame.columns.map((c) => cellWriter(c, o));
	const nCols = writers.length;
	const { delimiter, newline } = o;
	let prefix = o.bom ? '\uFEFF' : '';
	if (o.header) prefix += headerLine(frame, o) + newline;
	if (frame.nRows === 0) {
		if (prefix) yield prefix;
		return;
	}
	for (let start = 0; start < frame.nRows; start += step) {
		const end = Math.min(frame.nRows, start + step);
		let out = prefix;
		prefix = '';
		for (let r = start; r < end; r++) {
			let line = writers[0](r);
			for (let j = 1; j < nCols; j++) line += delimiter + writers[j](r);
			// A lone empty field would be a blank line, which readers skip; quote it instead.
			out += (nCols === 1 && line === '' ? '""' : line) + newline;
		}
		yield out;
	}
}

export function frameToCsv(frame: Frame, opts: CsvWriteOptions = {}): string {
	let out = '';
	for (const chunk of frameToCsvChunks(frame, opts, 65_536)) out += chunk;
	return out;
}
