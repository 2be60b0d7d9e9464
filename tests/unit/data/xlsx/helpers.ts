/**
 * Builds workbooks for tests from hand-written XML, with a zip writer of our own so that tests
 * can also make zips that lie in their headers or hold pre-compressed bombs.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { readXlsx, type XlsxReadOptions } from '../../../../src/lib/data/xlsx';
import { bytesSource, type ByteSource, type ReadSummary } from '../../../../src/lib/data/types';

export interface ZipInput {
	name: string;
	data?: Uint8Array | string;
	/** Pre-compressed raw deflate data (then `size` and `crc` describe the inflated data). */
	deflated?: Uint8Array;
	method?: 0 | 8;
	/** Override the uncompressed size written in both headers (a lie, for tests). */
	declaredSize?: number;
	size?: number;
	crc?: number;
	/** Override the compressed size written in both headers (a lie, for tests). */
	declaredCompressedSize?: number;
}

const enc = new TextEncoder();
const u8 = (d: Uint8Array | string): Uint8Array => (typeof d === 'string' ? enc.encode(d) : d);

export function zip(entries: ZipInput[]): Uint8Array {
	const chunks: Uint8Array[] = [];
	const central: Uint8Array[] = [];
	let offset = 0;
	for (const e of entries) {
		const name = enc.encode(e.name);
		const raw = e.data !== undefined ? u8(e.data) : undefined;
		const method = e.method ?? 8;
		const body = e.deflated ?? (method === 8 ? deflateRawSync(raw ?? new Uint8Array()) : raw!);
		const crc = e.crc ?? (raw ? crc32(raw) : 0);
		const size = e.declaredSize ?? e.size ?? raw?.length ?? 0;
		const local = new Uint8Array(30 + name.length);
		const lv = new DataView(local.buffer);
		lv.setUint32(0, 0x04034b50, true);
		lv.setUint16(4, 20, true);
		lv.setUint16(6, 0x0800, true);
		lv.setUint16(8, method, true);
		lv.setUint32(14, crc, true);
		lv.setUint32(18, e.declaredCompressedSize ?? body.length, true);
		lv.setUint32(22, size, true);
		lv.setUint16(26, name.length, true);
		local.set(name, 30);
		const cd = new Uint8Array(46 + name.length);
		const cv = new DataView(cd.buffer);
		cv.setUint32(0, 0x02014b50, true);
		cv.setUint16(4, 20, true);
		cv.setUint16(6, 20, true);
		cv.setUint16(8, 0x0800, true);
		cv.setUint16(10, method, true);
		cv.setUint32(16, crc, true);
		cv.setUint32(20, e.declaredCompressedSize ?? body.length, true);
		cv.setUint32(24, size, true);
		cv.setUint16(28, name.length, true);
		cv.setUint32(42, offset, true);
		cd.set(name, 46);
		chunks.push(local, body);
		central.push(cd);
		offset += local.length + body.length;
	}
	const cdSize = central.reduce((n, c) => n + c.length, 0);
	const end = new Uint8Array(22);
	const ev = new DataView(end.buffer);
	ev.setUint32(0, 0x06054b50, true);
	ev.setUint16(8, entries.length, true);
	ev.setUint16(10, entries.length, true);
	ev.setUint32(12, cdSize, true);
	ev.setUint32(16, offset, true);
	const all = [...chunks, ...central, end];
	const out = new Uint8Array(all.reduce((n, c) => n + c.length, 0));
	let p = 0;
	for (const c of all) {
		out.set(c, p);
		p += c.length;
	}
	return out;
}

export const esc = (s: string): string =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

export interface SheetSpec {
	name: string;
	/** The content of <sheetData>. */
	rows: string;
	dimension?: string;
	hidden?: boolean;
	/** Part file name under xl/worksheets/ (default sheetN.xml by position). */
	file?: string;
}

export interface WorkbookSpec {
	sheets: SheetSpec[];
	sharedStrings?: string[];
	/** Raw <si> elements, for rich text. */
	sharedStringsXml?: string;
	/** <numFmts> content and the numFmtId of each cellXfs entry (index = style s). */
	numFmts?: Record<number, string>;
	cellXfs?: number[];
	date1904?: boolean;
	extra?: ZipInput[];
}

export function sheetXml(rows: string, dimension?: string): string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="${NS}" xmlns:r="${RNS}">${dimension ? `<dimension ref="${dimension}"/>` : ''}<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData>${rows}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
}

export function workbookParts(spec: WorkbookSpec): ZipInput[] {
	const files = spec.sheets.map((s, i) => s.file ?? `sheet${i + 1}.xml`);
	const sheetsXml = spec.sheets
		.map(
			(s, i) =>
				`<sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`
		)
		.join('');
	const rels = spec.sheets.map(
		(_, i) =>
			`<Relationship Id="rId${i + 1}" Type="${RNS}/worksheet" Target="worksheets/${files[i]}"/>`
	);
	const parts: ZipInput[] = [
		{
			name: '[Content_Types].xml',
			data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`
		},
		{
			name: '_rels/.rels',
			data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${REL}"><Relationship Id="rId1" Type="${RNS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`
		},
		{
			name: 'xl/workbook.xml',
			data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${RNS}">${spec.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<bookViews><workbookView/></bookViews><sheets>${sheetsXml}</sheets><calcPr calcId="191029"/></workbook>`
		}
	];
	if (spec.sharedStrings || spec.sharedStringsXml) {
		const si =
			spec.sharedStringsXml ??
			(spec.sharedStrings ?? [])
				.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`)
				.join('');
		rels.push(`<Relationship Id="rIdS" Type="${RNS}/sharedStrings" Target="sharedStrings.xml"/>`);
		parts.push({
			name: 'xl/sharedStrings.xml',
			data: `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">${si}</sst>`
		});
	}
	if (spec.cellXfs) {
		const fmts = Object.entries(spec.numFmts ?? {})
			.map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${esc(code)}"/>`)
			.join('');
		const xfs = spec.cellXfs.map((id) => `<xf numFmtId="${id}" fontId="0" xfId="0"/>`).join('');
		rels.push(`<Relationship Id="rIdT" Type="${RNS}/styles" Target="styles.xml"/>`);
		parts.push({
			name: 'xl/styles.xml',
			data: `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${NS}"><numFmts>${fmts}</numFmts><fonts count="1"><font/></fonts><cellStyleXfs count="1"><xf numFmtId="22"/></cellStyleXfs><cellXfs count="${spec.cellXfs.length}">${xfs}</cellXfs></styleSheet>`
		});
	}
	parts.push({
		name: 'xl/_rels/workbook.xml.rels',
		data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${REL}">${rels.join('')}</Relationships>`
	});
	spec.sheets.forEach((s, i) =>
		parts.push({ name: `xl/worksheets/${files[i]}`, data: sheetXml(s.rows, s.dimension) })
	);
	return [...parts, ...(spec.extra ?? [])];
}

export function workbook(spec: WorkbookSpec): Uint8Array {
	return zip(workbookParts(spec));
}

/** A row of cells: numbers stay numbers, strings become inline strings. */
export function row(r: number, cells: Record<string, string | number>): string {
	const cs = Object.entries(cells)
		.map(([col, v]) =>
			typeof v === 'number'
				? `<c r="${col}${r}"><v>${v}</v></c>`
				: `<c r="${col}${r}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`
		)
		.join('');
	return `<row r="${r}">${cs}</row>`;
}

export interface ReadResult extends ReadSummary {
	sheet: string;
	records: { row: number; cells: string[] }[];
}

export async function read(
	bytes: Uint8Array | ByteSource,
	opts: XlsxReadOptions = {}
): Promise<ReadResult> {
	const source = bytes instanceof Uint8Array ? bytesSource('marks.xlsx', bytes) : bytes;
	const records: { row: number; cells: string[] }[] = [];
	const summary = await readXlsx(
		source,
		(cells, r) => records.push({ row: r, cells: [...cells] }),
		opts
	);
	return { ...summary, records };
}

/** The AppError code (and message) of what `p` rejects with. */
export async function failure(
	p: Promise<unknown>
): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
	try {
		await p;
	} catch (e) {
		const err = e as {
			appError?: { code: string; message: string; details?: Record<string, unknown> };
		};
		if (err.appError) return { ...err.appError, details: err.appError.details ?? {} };
		throw e;
	}
	throw new Error('expected a rejection');
}
