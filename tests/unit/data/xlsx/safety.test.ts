/** Hostile and broken files: bombs, lying zip headers, .xls, encrypted, random bytes. */
import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listSheets, looksLikeXlsx } from '../../../../src/lib/data/xlsx';
import { bytesSource, type ByteSource } from '../../../../src/lib/data/types';
import {
	failure,
	read,
	row,
	sheetXml,
	workbook,
	workbookParts,
	zip,
	type ZipInput
} from './helpers';

const enc = new TextEncoder();

/**
 * Raw deflate of `head + unit × repeats + tail` built in milliseconds: each piece is compressed
 * with a full flush (byte-aligned, no back-references across pieces), so the compressed unit
 * block can simply be repeated. This is how real bombs are made.
 */
function bombDeflate(
	head: string,
	unit: string,
	unitsPerBlock: number,
	blocks: number,
	tail: string
) {
	const flush = (s: string) =>
		deflateRawSync(enc.encode(s), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
	const h = flush(head);
	const b = flush(unit.repeat(unitsPerBlock));
	const t = flush(tail);
	const out = new Uint8Array(h.length + b.length * blocks + t.length + 2);
	out.set(h, 0);
	for (let i = 0; i < blocks; i++) out.set(b, h.length + i * b.length);
	out.set(t, h.length + b.length * blocks);
	// A final, empty fixed-Huffman block ends the stream.
	out.set([0x03, 0x00], out.length - 2);
	const size = head.length + unit.length * unitsPerBlock * blocks + tail.length;
	return { deflated: out, size };
}

/** A workbook whose only sheet inflates to about `mb` megabytes of identical cells. */
function bombWorkbook(mb: number, lie?: { declaredSize: number }) {
	const [head, tail] = sheetXml('|').split('|') as [string, string];
	const unit = '<row><c t="inlineStr"><is><t>boom</t></is></c></row>';
	const perBlock = Math.floor((1024 * 1024) / unit.length);
	const { deflated, size } = bombDeflate(head + row(1, { A: 'x' }), unit, perBlock, mb, tail);
	const parts: ZipInput[] = workbookParts({ sheets: [{ name: 'S', rows: '' }] }).map((p) =>
		p.name === 'xl/worksheets/sheet1.xml'
			? { name: p.name, deflated, size: size % 2 ** 32, crc: 0, ...lie }
			: p
	);
	return { bytes: zip(parts), size, compressed: deflated.length };
}

/** Counts what the reader asks for, to show that a refusal reads almost nothing. */
function counting(bytes: Uint8Array): ByteSource & { bytesRead: number } {
	const inner = bytesSource('bomb.xlsx', bytes);
	const s = {
		name: inner.name,
		size: inner.size,
		bytesRead: 0,
		read: async (a: number, b: number) => {
			const r = await inner.read(a, b);
			s.bytesRead += r.length;
			return r;
		}
	};
	return s;
}

describe('zip bombs', () => {
	it('refuses a 2 GB sheet after inflating a few MB, whatever its headers say', async () => {
		const { bytes, size, compressed } = bombWorkbook(2048, { declaredSize: 4096 });
		expect(size).toBeGreaterThan(2 * 1000 ** 3);
		expect(compressed).toBeLessThan(8 * 1024 * 1024);
		const source = counting(bytes);
		const before = process.memoryUsage().arrayBuffers;
		const f = await failure(read(source));
		expect(f.code).toBe('xlsx-too-large');
		expect(f.message).toContain('bomb.xlsx');
		expect(f.message).toMatch(/save the sheet you need as CSV/);
		// Stopped by the ratio check, right after the 1 MiB floor: memory and time stay small.
		expect(f.details.inflatedBytes as number).toBeLessThan(16 * 1024 * 1024);
		expect(source.bytesRead).toBeLessThan(256 * 1024);
		expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
	});

	it('refuses past the total size limit even at a modest ratio', async () => {
		// Varied rows compress about 10×, so only the byte limit can stop this one.
		const rows =
			row(1, { A: 'id', B: 'name' }) +
			Array.from({ length: 4000 }, (_, i) =>
				row(i + 2, { A: i * 7919, B: `s${(i * 2654435761) % 1e9}` })
			).join('');
		const bytes = workbook({ sheets: [{ name: 'S', rows }] });
		const f = await failure(read(bytes, { limits: { maxUncompressedBytes: 100 * 1024 } }));
		expect(f.code).toBe('xlsx-too-large');
		expect(f.message).toContain('expands to more than 100 KB');
		expect((await read(bytes)).rows).toBe(4000);
	});

	it('refuses more cells than maxCells', async () => {
		const rows = Array.from({ length: 20 }, (_, i) => row(i + 1, { A: i })).join('');
		const bytes = workbook({ sheets: [{ name: 'S', rows }] });
		const f = await failure(read(bytes, { limits: { maxCells: 10 } }));
		expect(f.code).toBe('xlsx-too-large');
		expect(f.message).toContain('more than 10 cells');
		expect((await read(bytes, { limits: { maxCells: 20 } })).rows).toBe(19);
	});

	it('applies the limits to listSheets too', async () => {
		const { bytes } = bombWorkbook(64);
		const parts = workbookParts({ sheets: [{ name: 'S', rows: '' }] }).filter(
			(p) => p.name !== 'xl/workbook.xml'
		);
		// A bomb in place of workbook.xml, the first part listSheets reads.
		const bomb = bombDeflate('<workbook>', '<!-- boom -->', 80_000, 64, '</workbook>');
		const f = await failure(
			listSheets(
				bytesSource('b.xlsx', zip([...parts, { name: 'xl/workbook.xml', ...bomb, crc: 0 }]))
			)
		);
		expect(f.code).toBe('xlsx-too-large');
		expect((await failure(listSheets(bytesSource('b.xlsx', bytes)))).code).toBe('xlsx-too-large');
	});
});

describe('zip headers that lie', () => {
	const parts = workbookParts({
		sheets: [{ name: 'S', rows: row(1, { A: 'name' }) + row(2, { A: 'Zoë' }) }]
	});
	const withSheet = (over: Partial<ZipInput>) =>
		zip(parts.map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { ...p, ...over } : p)));

	it('reads a sheet whose declared size is far too small or huge, by counting real bytes', async () => {
		for (const declaredSize of [3, 0, 0xfffffff0]) {
			expect((await read(withSheet({ declaredSize }))).records).toEqual([
				{ row: 2, cells: ['Zoë'] }
			]);
		}
	});

	it('ignores bytes past the deflate stream when the compressed size is overstated', async () => {
		// The sheet is the last entry before the central directory, which it then reads into.
		expect((await read(withSheet({ declaredCompressedSize: 100_000 }))).rows).toBe(1);
	});

	it('calls a cut-short stream corrupt', async () => {
		expect((await failure(read(withSheet({ declaredCompressedSize: 40 })))).code).toBe(
			'xlsx-corrupt'
		);
	});

	it('reads stored (uncompressed) entries', async () => {
		expect((await read(zip(parts.map((p) => ({ ...p, method: 0 as const }))))).rows).toBe(1);
	});
});

describe('not a workbook', () => {
	it('recognises zip magic', () => {
		expect(looksLikeXlsx(workbook({ sheets: [{ name: 'S', rows: '' }] }).subarray(0, 4))).toBe(
			true
		);
		expect(looksLikeXlsx(enc.encode('name,mark\n'))).toBe(false);
		expect(looksLikeXlsx(new Uint8Array(0))).toBe(false);
	});

	it('refuses legacy .xls with a hint to save as .xlsx or CSV', async () => {
		const xls = new Uint8Array(4096);
		xls.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		xls.set([0x09, 0x00], 0x1e);
		const f = await failure(read(bytesSource('old.xls', xls)));
		expect(f.code).toBe('xls-unsupported');
		expect(f.message).toMatch(/old\.xls .*\.xlsx.*CSV/);
		expect(f.details.encrypted).toBe(false);
	});

	it('recognises a password-protected workbook', async () => {
		const ole = new Uint8Array(4096);
		ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		ole.set([0x09, 0x00], 0x1e); // 512-byte sectors
		// Directory starts at sector 0 (file offset 512); its second entry is EncryptedPackage.
		const name = 'EncryptedPackage';
		for (let k = 0; k < name.length; k++) ole[512 + 128 + 2 * k] = name.charCodeAt(k);
		const f = await failure(listSheets(bytesSource('secret.xlsx', ole)));
		expect(f.code).toBe('xls-unsupported');
		expect(f.message).toContain('password');
		expect(f.details.encrypted).toBe(true);
	});

	it('calls random bytes, empty files, truncated and foreign zips corrupt', async () => {
		let seed = 42;
		const random = new Uint8Array(8192).map(
			() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24
		);
		expect((await failure(read(random))).code).toBe('xlsx-corrupt');
		const pk = random.slice();
		pk.set([0x50, 0x4b, 0x03, 0x04]);
		expect((await failure(read(pk))).code).toBe('xlsx-corrupt');
		expect((await failure(read(new Uint8Array(0)))).code).toBe('xlsx-corrupt');
		const good = workbook({ sheets: [{ name: 'S', rows: row(1, { A: 'x' }) }] });
		expect((await failure(read(good.subarray(0, good.length - 30)))).code).toBe('xlsx-corrupt');
		const xlsb = zip([
			{
				name: '_rels/.rels',
				data: '<Relationships><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>'
			},
			{ name: 'xl/workbook.bin', data: new Uint8Array([0x83, 0x01, 0x00]) }
		]);
		expect((await failure(read(xlsb))).message).toContain('.xlsb');
		const docx = zip([{ name: 'word/document.xml', data: '<w:document/>' }]);
		const f = await failure(read(docx));
		expect(f.code).toBe('xlsx-corrupt');
		expect(f.message).toContain('not an Excel workbook');
	});

	it('calls malformed XML corrupt', async () => {
		const bytes = workbook({
			sheets: [{ name: 'S', rows: '<row r="1"><c r="A1" t=s><v>0</v></c></row>' }]
		});
		expect((await failure(read(bytes))).code).toBe('xlsx-corrupt');
		const farRight = workbook({
			sheets: [{ name: 'S', rows: '<row r="1"><c r="ZZZZ1"><v>1</v></c></row>' }]
		});
		expect((await failure(read(farRight))).code).toBe('xlsx-corrupt');
		// Varied digits, so that the ratio limit does not fire first.
		let x = 7;
		const digits = Array.from(
			{ length: 2_000_000 },
			() => (x = (x * 48271) % 2147483647) % 10
		).join('');
		const huge = workbook({
			sheets: [{ name: 'S', rows: `<row r="1"><c r="A1"><v>${digits}</v></c></row>` }]
		});
		const tooLong = await failure(read(huge));
		expect(tooLong.code).toBe('xlsx-corrupt');
		expect(tooLong.details.reason).toMatch(/million characters/);
	});
});
