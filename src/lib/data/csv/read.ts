/**
 * Streams a CSV ByteSource into a RecordSink: bytes are read in chunks, decoded by a streaming
 * TextDecoder (characters split across chunks survive) and tokenised by PapaParse's Parser. Only
 * the unfinished last record of a chunk is carried over, so memory stays at about one chunk
 * whatever the file's size. Every record is re-parsed from its start, which makes the result
 * independent of where chunks happen to end.
 *
 * Text with no quote in it is split the way Papa's own fast path splits it (at line ends, then
 * at separators), but by us: each line is first offered whole to the caller's line sink, if it
 * has one (ReadOptions.lines), so the import converts most cells without a string per cell.
 */
import { AppException } from '../../errors';
import {
	clip,
	describeLocation,
	IssueLog,
	type ByteSource,
	type ReadOptions,
	type ReadSummary,
	type RecordSink
} from '../types';
import { decodeChunk, incompleteUtf8Tail } from './encoding';
import {
	emptyFileError,
	inspectCsv,
	tokenizer,
	type CsvDialect,
	type PapaChunkResult
} from './sniff';

export interface CsvReadOptions extends ReadOptions {
	/** Fields given here are used as they are; the rest are sniffed. */
	dialect?: Partial<CsvDialect>;
	/** Fixed chunk size in bytes (tests use tiny ones); by default chunks grow to 4 MiB. */
	chunkBytes?: number;
}

const FIRST_CHUNK = 64 * 1024;
const MAX_CHUNK = 4 * 1024 * 1024;
/**
 * Characters handed to the tokenizer at a time. Its result for a 4 MiB chunk (~25 MB of row
 * arrays and cell strings) outlives several scavenges and gets copied and promoted; 64 K
 * characters of rows die young. In Node, tokenising a 110 MB file in these slices took about a
 * third of the CPU time of 4 MiB pieces, the difference being garbage collection.
 */
const PARSE_SLICE = 64 * 1024;
/**
 * No real record is this long; an unclosed quote that swallows the rest of a 100 MB file would
 * otherwise hold all of it as one string.
 */
const MAX_PENDING_CHARS = 32 * 1024 * 1024;

export async function readCsv(
	source: ByteSource,
	sink: RecordSink,
	opts: CsvReadOptions = {}
): Promise<ReadSummary & { dialect: CsvDialect }> {
	const file = source.name;
	const { maxRows, onProgress, cancel, lines } = opts;
	cancel?.throwIfCancelled();
	const insp = await inspectCsv(source, opts.dialect);
	const dialect = insp.dialect;
	const { delimiter } = dialect;
	const newline = insp.newline;
	const stripCr = insp.stripCr;
	const parser = tokenizer(delimiter, newline);
	const log = new IssueLog();

	let decoder = new TextDecoder(dialect.encoding, { ignoreBOM: true, fatal: insp.utf8Assumed });
	let fallbackPossible = insp.utf8Assumed;
	let recentBytes: Uint8Array = new Uint8Array(0);

	let header: string[] | null = null;
	let width = 0;
	/** Physical records seen, header and blank lines included: the spreadsheet row number. */
	let recordNo = 0;
	let delivered = 0;
	let truncated = false;
	let stop = false;
	/** Blank lines of a one-column file: missing values unless nothing follows them. */
	let pendingBlanks: { cells: string[]; row: number }[] = [];
	let pending = '';

	const ragged = (cells: string[], row: number): void => {
		const found = cells.length;
		const value = found > width ? cells.slice(width).join(delimiter) : cells.join(delimiter);
		const fix =
			found > width
				? `the ${found - width} extra value${found - width === 1 ? ' was' : 's were'} ignored`
				: `the missing cell${width - found === 1 ? ' was' : 's were'} left empty`;
		log.add({
			code: 'ragged-row',
			severity: 'warning',
			message: `${describeLocation({ file, row })}: expected ${width} fields (one per column of the header) but found ${found}; ${fix}.`,
			where: { file, row },
			value: clip(value)
		});
		if (found > width) cells.length = width;
		else while (cells.length < width) cells.push('');
	};

	const deliver = (cells: string[], row: number): boolean => {
		if (maxRows !== undefined && delivered >= maxRows) {
			truncated = true;
			stop = true;
			return false;
		}
		if (cells.length !== width) ragged(cells, row);
		sink(cells, row);
		delivered++;
		return true;
	};

	interface QuoteError {
		code: string;
		index: number;
		row: number;
		columnIndex: number | undefined;
		value: string | undefined;
	}

	const quoteIssue = (q: QuoteError): void => {
		const { row, columnIndex } = q;
		const column =
			header && columnIndex !== undefined && columnIndex < header.length
				? header[columnIndex]
				: undefined;
		const where = { file, row, column, columnIndex };
		if (q.code === 'MissingQuotes') {
			log.add({
				code: 'unbalanced-quote',
				severity: 'error',
				message: `${describeLocation(where)}: a quote (") opens here but never closes, so the rest of the file was read as one value. Check the quotes in this row.`,
				where,
				value: q.value === undefined ? undefined : clip(q.value)
			});
		} else {
			log.add({
				code: 'malformed-quote',
				severity: 'warning',
				message: `${describeLocation(where)}: a quoted value is followed by more text before the next separator, so this row may have been joined with the next. Check the quotes in this row.`,
				where
			});
		}
	};

	const consume = (input: string, final: boolean): void => {
		// Papa's own fast path splits quote-free text on line ends and separators and nothing
		// else; our records come out the same without a string per cell.
		if (lines !== undefined && header !== null && width > 1 && input.indexOf('"') === -1) {
			consumeUnquoted(input, 0, final);
			return;
		}
		const res = parser.parse(input, 0, !final) as PapaChunkResult;
		const rows = res.data;
		pending = final ? '' : input.substring(res.meta.cursor);
		let quoteErrors: QuoteError[] | null = null;
		for (const e of res.errors) {
			// Errors in the unfinished last record come back when it is parsed again, whole.
			if (!final && e.row >= rows.length) continue;
			// Papa reports the field it was in, i.e. the record's last one; note it before padding.
			const cells = rows[e.row] as string[] | undefined;
			const columnIndex = cells ? cells.length - 1 : undefined;
			(quoteErrors ??= []).push({
				code: e.code,
				index: e.row,
				row: recordNo + e.row + 1,
				columnIndex,
				value: cells && columnIndex !== undefined ? cells[columnIndex] : undefined
			});
		}
		const consumed = consumeRows(rows);
		if (quoteErrors) for (const q of quoteErrors) if (q.index < consumed) quoteIssue(q);
	};

	/** One record from the tokenizer; false once maxRows has stopped the reading. */
	const take = (cells: string[]): boolean => {
		recordNo++;
		if (stripCr) {
			const last = cells[cells.length - 1];
			if (last.charCodeAt(last.length - 1) === 13) cells[cells.length - 1] = last.slice(0, -1);
		}
		if (cells.length === 1 && cells[0].trim() === '') {
			if (header !== null && width === 1) pendingBlanks.push({ cells, row: recordNo });
			return true;
		}
		if (header === null) {
			header = cells;
			width = cells.length;
			return true;
		}
		if (pendingBlanks.length > 0) {
			for (const b of pendingBlanks) if (!deliver(b.cells, b.row)) return false;
			pendingBlanks = [];
		}
		return deliver(cells, recordNo);
	};

	/** Feeds records to the sink; returns how many were looked at before maxRows stopped it. */
	const consumeRows = (rows: string[][]): number => {
		for (let i = 0; i < rows.length; i++) if (!take(rows[i])) return i;
		return rows.length;
	};

	const delimCode = delimiter.charCodeAt(0);

	/**
	 * Quote-free text, tokenised as Papa's fast path does: records end at each line end, fields
	 * at each separator. Each line goes to `lines` as it lies in the text; one it does not take
	 * (blank, ragged, or simply not its kind) is cut into strings and goes the usual way.
	 */
	const consumeUnquoted = (input: string, from: number, final: boolean): void => {
		const len = input.length;
		// Where Papa stops: after the last line end, or the end itself for the final text.
		const lastBreak = input.lastIndexOf(newline);
		pending = final ? '' : input.substring(lastBreak < from ? from : lastBreak + newline.length);
		// Papa reads no record at all from an empty text.
		if (len === 0) return;
		let pos = from;
		for (;;) {
			let lineEnd = input.indexOf(newline, pos);
			const lastLine = lineEnd < 0;
			if (lastLine) {
				if (!final) return;
				lineEnd = len;
			}
			if (!takeLine(input, pos, lineEnd)) return;
			if (lastLine) return;
			pos = lineEnd + newline.length;
		}
	};

	/** take() for the record text[start, end), offered whole to `lines` first. */
	const takeLine = (text: string, start: number, end: number): boolean => {
		if (pendingBlanks.length === 0 && (maxRows === undefined || delivered < maxRows)) {
			// The CR a mixed-line-end file leaves at the end of the last field.
			const e = stripCr && end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
			if (lines!(text, start, e, recordNo + 1, delimCode, width)) {
				recordNo++;
				delivered++;
				return true;
			}
		}
		return take(text.substring(start, end).split(delimiter));
	};

	const total = source.size;
	let offset = dialect.bomLength;
	const chunk = opts.chunkBytes !== undefined ? Math.max(1, Math.floor(opts.chunkBytes)) : 0;
	let nextChunk = FIRST_CHUNK;

	const decode = (bytes: Uint8Array, last: boolean): string => {
		if (!fallbackPossible) return decodeChunk(decoder, bytes, last);
		try {
			const text = decodeChunk(decoder, bytes, last);
			recentBytes = tail3(recentBytes, bytes);
			return text;
		} catch {
			// The ASCII sample said UTF-8, this chunk says otherwise: it is an 8-bit file after all.
			// Earlier chunks decoded identically either way as long as they were ASCII.
			fallbackPossible = false;
			const held = recentBytes.subarray(recentBytes.length - incompleteUtf8Tail(recentBytes));
			const replay = new Uint8Array(held.length + bytes.length);
			replay.set(held);
			replay.set(bytes, held.length);
			decoder = new TextDecoder('windows-1252');
			dialect.encoding = 'windows-1252';
			log.add({
				code: 'encoding-guess',
				severity: 'warning',
				message: `${describeLocation({ file, row: recordNo + 1 })}: the file is not UTF-8 from here on, so it was read as Windows-1252 (Western European). If accents look wrong, save the file from Excel as “CSV UTF-8” and import it again.`,
				where: { file, row: recordNo + 1 }
			});
			return decodeChunk(decoder, replay, last);
		}
	};

	/** A chunk's text in slices, each read by Papa (or the quote-free path) with what was left. */
	const consumeSliced = (text: string, last: boolean): void => {
		// The tokenizer's records for one call are all alive at once: in slices they stay small
		// enough for the young generation to collect as garbage instead of copying them out.
		for (let at = 0; at < text.length || at === 0; at += PARSE_SLICE) {
			const end = Math.min(text.length, at + PARSE_SLICE);
			const final = last && end === text.length;
			const piece = at === 0 && end === text.length ? text : text.substring(at, end);
			consume(pending.length === 0 ? piece : pending + piece, final);
			if (stop) break;
		}
	};

	/**
	 * A quote-free chunk read where it lies: the unfinished record from the last chunk is
	 * completed with this chunk's first line(s) and read on its own, then the rest of the text is
	 * tokenised in place. The records are those of reading `pending + text` in one piece.
	 */
	const consumeInPlace = (text: string, last: boolean): void => {
		let from = 0;
		if (pending.length > 0) {
			const nl = text.indexOf(newline);
			if (nl < 0) {
				consume(pending + text, last);
				return;
			}
			from = nl + newline.length;
			consume(pending + text.substring(0, from), false);
			if (stop) return;
		}
		consumeUnquoted(text, from, last);
	};

	const readNext = (): Promise<Uint8Array> => {
		const size = chunk || nextChunk;
		nextChunk = Math.min(MAX_CHUNK, nextChunk * 2);
		return source.read(offset, Math.min(total, offset + size));
	};
	let ahead: Promise<Uint8Array> | null = null;

	while (!stop && offset < total) {
		cancel?.throwIfCancelled();
		const bytes = await (ahead ?? readNext());
		ahead = null;
		if (bytes.length === 0) break;
		offset += bytes.length;
		const last = offset >= total;
		// Reading the whole file, the next chunk is fetched while this one is parsed (a Blob read
		// waits on another process). A failure there is thrown when it is awaited, if ever.
		if (!last && maxRows === undefined) {
			ahead = readNext();
			ahead.catch(() => undefined);
		}
		const text = decode(bytes, last);
		if (
			lines !== undefined &&
			header !== null &&
			width > 1 &&
			text.indexOf('"') === -1 &&
			pending.indexOf('"') === -1
		) {
			consumeInPlace(text, last);
		} else {
			consumeSliced(text, last);
		}
		if (!last && pending.length > MAX_PENDING_CHARS)
			throw recordTooLong(file, recordNo + 1, pending);
		onProgress?.({ bytesRead: offset, totalBytes: total, rows: delivered });
		if (last) break;
	}
	// A source shorter than its size: parse what there is.
	if (!stop && offset < total) consume(pending + decoder.decode(), true);
	if (header === null) throw emptyFileError(file);
	cancel?.throwIfCancelled();

	return {
		header,
		rows: delivered,
		truncated,
		issues: log.issues,
		issueCounts: log.counts,
		dialect
	};
}

function tail3(prev: Uint8Array, bytes: Uint8Array): Uint8Array {
	if (bytes.length >= 3) return bytes.slice(bytes.length - 3);
	const joined = new Uint8Array(prev.length + bytes.length);
	joined.set(prev);
	joined.set(bytes, prev.length);
	return joined.slice(Math.max(0, joined.length - 3));
}

function recordTooLong(file: string, row: number, pending: string): AppException {
	const quoted = pending.indexOf('"') !== -1;
	return new AppException({
		code: quoted ? 'unbalanced-quote' : 'record-too-long',
		message: quoted
			? `${describeLocation({ file, row })}: a quote (") opens here and does not close for millions of characters. Check the quotes in this row.`
			: `${describeLocation({ file, row })}: this row is millions of characters long, which no class data is. The file may not be a CSV file.`,
		details: { file, row }
	});
}
