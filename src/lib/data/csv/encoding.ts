/**
 * Which text encoding a CSV file uses, and whether it is text at all. Teachers' files come from
 * Excel on Windows (Windows-1252 or UTF-8 with a BOM), Excel's "Unicode text" (UTF-16 with a
 * BOM), Google Sheets and LMS exports (UTF-8): we must read all of them without asking.
 */
import { AppException } from '../../errors';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const BOMS: readonly { encoding: TextEncodingName; bytes: readonly number[] }[] = [
	{ encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
	{ encoding: 'utf-16le', bytes: [0xff, 0xfe] },
	{ encoding: 'utf-16be', bytes: [0xfe, 0xff] }
];

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
	if (head.length < bytes.length) return false;
	for (let i = 0; i < bytes.length; i++) if (head[i] !== bytes[i]) return false;
	return true;
}

/** Length of the byte order mark of `encoding` at the start of `head`, or 0. */
export function bomLengthFor(head: Uint8Array, encoding: TextEncodingName): number {
	const bom = BOMS.find((b) => b.encoding === encoding);
	return bom && startsWith(head, bom.bytes) ? bom.bytes.length : 0;
}

/**
 * UTF-16 without a BOM is rare but does occur (some LMS exports); ASCII-heavy text then has a
 * zero in every other byte, which no 8-bit text file has.
 */
function guessBomlessUtf16(head: Uint8Array): TextEncodingName | null {
	const pairs = Math.min(head.length >> 1, 4096);
	if (pairs < 4) return null;
	let zeroEven = 0;
	let zeroOdd = 0;
	for (let i = 0; i < pairs; i++) {
		if (head[2 * i] === 0) zeroEven++;
		if (head[2 * i + 1] === 0) zeroOdd++;
	}
	if (zeroOdd >= 0.4 * pairs && zeroEven <= 0.02 * pairs) return 'utf-16le';
	if (zeroEven >= 0.4 * pairs && zeroOdd <= 0.02 * pairs) return 'utf-16be';
	return null;
}

/**
 * A fatal decoder in streaming mode rejects invalid sequences but holds back an incomplete one at
 * the end, so a sample cut in the middle of "ë" still counts as valid UTF-8.
 */
export function isValidUtf8Prefix(bytes: Uint8Array): boolean {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
		return true;
	} catch {
		return false;
	}
}

/**
 * Always decodes in streaming mode and flushes with an empty call: Node >= 20.18.3 sends a
 * one-shot windows-1252 decode down a Latin-1 fast path that mangles bytes 0x80-0x9f ("€", curly
 * quotes, dashes; nodejs/node#60888), while the streaming path is correct everywhere.
 */
export function decodeChunk(decoder: TextDecoder, bytes: Uint8Array, last: boolean): string {
	const text = decoder.decode(bytes, { stream: true });
	return last ? text + decoder.decode() : text;
}

export function isAscii(bytes: Uint8Array): boolean {
	for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return false;
	return true;
}

/**
 * Guesses the encoding from the first bytes of a file: a BOM wins; then BOM-less UTF-16; then
 * UTF-8 if the bytes are valid UTF-8, else Windows-1252 (which decodes any byte, and is what
 * browsers mean by "latin1" too).
 */
export function detectEncoding(head: Uint8Array): {
	encoding: TextEncodingName;
	bomLength: number;
} {
	for (const bom of BOMS) {
		if (startsWith(head, bom.bytes)) return { encoding: bom.encoding, bomLength: bom.bytes.length };
	}
	const utf16 = guessBomlessUtf16(head);
	if (utf16) return { encoding: utf16, bomLength: 0 };
	return { encoding: isValidUtf8Prefix(head) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/**
 * How many bytes at the end of `tail` start a UTF-8 sequence that is not finished yet: a
 * streaming decoder holds these back, so a switch to another decoder must replay them.
 */
export function incompleteUtf8Tail(tail: Uint8Array): number {
	const n = tail.length;
	for (let k = 1; k <= Math.min(3, n); k++) {
		const b = tail[n - k];
		if ((b & 0xc0) === 0x80) continue;
		if (b < 0xc0) return 0;
		const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
		return need > k ? k : 0;
	}
	return 0;
}

const XLSX_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** The OLE container of old .xls (and .doc) files. */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const EXCEL_HINT =
	'If it is an Excel workbook, import the .xlsx file itself, or open it in Excel and save it as “CSV UTF-8”.';

export function notTextError(file: string, reason: string): AppException {
	return new AppException({
		code: 'not-text',
		message: `${file} does not look like a text/CSV file. ${EXCEL_HINT}`,
		details: { file, reason }
	});
}

/** Rejects files that are recognisably not CSV before anything tries to decode them. */
export function checkMagic(file: string, head: Uint8Array): void {
	if (startsWith(head, XLSX_MAGIC)) {
		throw new AppException({
			code: 'looks-like-xlsx',
			message: `${file} is an Excel workbook (or another zipped file), not a CSV file. Import it as an Excel file, or open it in Excel and save it as “CSV UTF-8”.`,
			details: { file }
		});
	}
	if (startsWith(head, OLE_MAGIC)) throw notTextError(file, 'ole-container');
}

/**
 * Text files have almost no control characters; binary data decoded as text is full of them.
 * NUL is never in a CSV (UTF-16's zeros are gone after decoding), so one is enough.
 */
export function checkDecodedText(file: string, text: string): void {
	let bad = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0) throw notTextError(file, 'nul-character');
		// Tab, LF, VT, FF, CR and the old DOS end-of-file mark (0x1a) do turn up in real exports.
		if ((c < 0x20 && (c < 0x09 || c > 0x0d) && c !== 0x1a) || c === 0x7f || c === 0xfffd) bad++;
	}
	if (bad > 4 && bad > text.length * 0.01) throw notTextError(file, 'control-characters');
}
