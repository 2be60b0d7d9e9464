import { describe, expect, it } from 'vitest';
import { listSheets, readXlsx } from '../../../../src/lib/data/xlsx';
import { bytesSource } from '../../../../src/lib/data/types';
import { CancelSource, CancelledError } from '../../../../src/lib/ml/progress';
import { failure, read, row, workbook } from './helpers';

const one = (rows: string, extra: Partial<Parameters<typeof workbook>[0]> = {}) =>
	workbook({ sheets: [{ name: 'Marks', rows }], ...extra });

describe('readXlsx: values', () => {
	it('reads shared strings and numbers, header from the first row', async () => {
		const bytes = one(
			'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
				'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>71.5</v></c></row>' +
				'<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>1.0000000000000001E-3</v></c></row>',
			{ sharedStrings: ['name', 'score', 'Zoë', 'Ana & Bo <x>'] }
		);
		const r = await read(bytes);
		expect(r.sheet).toBe('Marks');
		expect(r.header).toEqual(['name', 'score']);
		expect(r.records).toEqual([
			{ row: 2, cells: ['Zoë', '71.5'] },
			{ row: 3, cells: ['Ana & Bo <x>', '0.001'] }
		]);
		expect(r.rows).toBe(2);
		expect(r.truncated).toBe(false);
		expect(r.issues).toEqual([]);
	});

	it('reads inline strings, rich text runs, escapes and skips phonetic guides', async () => {
		const bytes = one(
			row(1, { A: 'a', B: 'b', C: 'c' }) +
				'<row r="2"><c r="A2" t="inlineStr"><is><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r></is></c>' +
				'<c r="B2" t="s"><v>0</v></c>' +
				'<c r="C2" t="inlineStr"><is><t>line1_x000D_&#10;line2 &#x263A;</t></is></c></row>',
			{
				sharedStringsXml:
					'<si><r><t>東京</t></r><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>'
			}
		);
		const r = await read(bytes);
		expect(r.records[0]?.cells).toEqual(['Bold and plain', '東京', 'line1\r\nline2 ☺']);
	});

	it('keeps real row numbers, fills gaps, skips empty rows, trims columns left of the header', async () => {
		const bytes = one(
			'<row r="3"><c r="B3" t="inlineStr"><is><t>id</t></is></c><c r="D3" t="inlineStr"><is><t>mark</t></is></c></row>' +
				'<row r="4" spans="2:4"><c r="B4"><v>1</v></c><c r="C4" s="0"/></row>' +
				'<row r="6"><c r="B6" s="0"/></row>' +
				'<row r="9"><c r="D9"><v>55</v></c><c r="F9" t="inlineStr"><is><t>stray note</t></is></c></row>' +
				'<row r="10"><c r="A10"><v>7</v></c><c r="B10"><v>2</v></c></row>'
		);
		const r = await read(bytes);
		expect(r.header).toEqual(['id', '', 'mark']);
		expect(r.records).toEqual([
			{ row: 4, cells: ['1', '', ''] },
			{ row: 9, cells: ['', '', '55'] },
			{ row: 10, cells: ['2', '', ''] }
		]);
		expect(r.issueCounts['cell-outside-header']).toBe(2);
		const stray = r.issues.find((i) => i.value === 'stray note');
		expect(stray?.where).toMatchObject({ file: 'marks.xlsx', sheet: 'Marks', row: 9 });
		expect(stray?.message).toContain('cell F9');
		expect(stray?.severity).toBe('warning');
	});

	it('places cells without an r attribute one after another', async () => {
		const bytes = one(
			'<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>y</t></is></c></row>' +
				'<row><c><v>1</v></c><c><v>2</v></c></row><row><c r="B3"><v>3</v></c><c><v>4</v></c></row>'
		);
		const r = await read(bytes);
		expect(r.header).toEqual(['x', 'y']);
		expect(r.records).toEqual([
			{ row: 2, cells: ['1', '2'] },
			{ row: 3, cells: ['', '3'] }
		]);
		expect(r.issueCounts['cell-outside-header']).toBe(1);
	});

	it('reads booleans, formulas by their cached value, and reports error cells', async () => {
		const bytes = one(
			row(1, { A: 'ok', B: 'total', C: 'ratio', D: 'label', E: 'later' }) +
				'<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2"><f>SUM(1,2)</f><v>3</v></c>' +
				'<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>' +
				'<c r="E2"><f>NOW()</f></c></row>' +
				'<row r="3"><c r="A3" t="b"><v>0</v></c><c r="C3" t="e"><v>#N/A</v></c></row>'
		);
		const r = await read(bytes);
		expect(r.records).toEqual([
			{ row: 2, cells: ['true', '3', '', 'ab', ''] },
			{ row: 3, cells: ['false', '', '', '', ''] }
		]);
		expect(r.issueCounts['excel-error-cell']).toBe(2);
		const err = r.issues.find((i) => i.code === 'excel-error-cell');
		expect(err).toMatchObject({
			severity: 'warning',
			value: '#DIV/0!',
			where: { row: 2, column: 'ratio', columnIndex: 2, sheet: 'Marks' }
		});
		expect(err?.message).toContain('marks.xlsx, sheet “Marks”, row 2, column “ratio”');
		expect(r.issueCounts['formula-no-cached-value']).toBe(1);
	});
});

describe('readXlsx: dates', () => {
	// styles: 0 General, 1 built-in 14 (date), 2 built-in 22 (date time), 3 custom dd/mm/yyyy,
	// 4 custom [h]:mm (duration), 5 custom with a quoted "d" (not a date), 6 built-in 20 (h:mm),
	// 7 percent (10).
	const styles = {
		numFmts: {
			164: 'dd/mm/yyyy',
			165: '[h]:mm',
			166: '0.0 "days"',
			167: '[$-409]mmm\\ d", "yyyy;@'
		},
		cellXfs: [0, 14, 22, 164, 165, 166, 20, 10, 167]
	};

	it('converts date-formatted numbers to ISO 8601, leaves other formats as numbers', async () => {
		const bytes = one(
			row(1, {
				A: 'd',
				B: 'dt',
				C: 'custom',
				D: 'duration',
				E: 'days',
				F: 'time',
				G: 'pct',
				H: 'us'
			}) +
				'<row r="2"><c r="A2" s="1"><v>45356</v></c><c r="B2" s="2"><v>45356.604166666664</v></c>' +
				'<c r="C2" s="3"><v>45356</v></c><c r="D2" s="4"><v>1.5</v></c><c r="E2" s="5"><v>2.5</v></c>' +
				'<c r="F2" s="6"><v>0.60416666666666663</v></c><c r="G2" s="7"><v>0.85</v></c><c r="H2" s="8"><v>45356</v></c></row>',
			styles
		);
		const r = await read(bytes);
		expect(r.records[0]?.cells).toEqual([
			'2024-03-05',
			'2024-03-05T14:30:00',
			'2024-03-05',
			'1.5',
			'2.5',
			'14:30:00',
			'0.85',
			'2024-03-05'
		]);
	});

	it('honours the 1900 leap-year bug around serial 60', async () => {
		const bytes = one(
			row(1, { A: 'd' }) +
				[1, 59, 60, 61]
					.map((v, i) => `<row r="${i + 2}"><c r="A${i + 2}" s="1"><v>${v}</v></c></row>`)
					.join(''),
			styles
		);
		const r = await read(bytes);
		expect(r.records.map((x) => x.cells[0])).toEqual([
			'1900-01-01',
			'1900-02-28',
			'1900-02-28',
			'1900-03-01'
		]);
	});

	it('uses the 1904 date system when the workbook says so', async () => {
		const bytes = one(row(1, { A: 'd' }) + '<row r="2"><c r="A2" s="1"><v>43894</v></c></row>', {
			...styles,
			date1904: true
		});
		expect((await read(bytes)).records[0]?.cells).toEqual(['2024-03-05']);
	});

	it('tidies cells stored as ISO dates (t="d")', async () => {
		const bytes = one(
			row(1, { A: 'd', B: 'dt' }) +
				'<row r="2"><c r="A2" t="d"><v>2024-03-05T00:00:00Z</v></c><c r="B2" t="d"><v>2024-03-05T14:30:00</v></c></row>'
		);
		expect((await read(bytes)).records[0]?.cells).toEqual(['2024-03-05', '2024-03-05T14:30:00']);
	});
});

describe('readXlsx: sheets', () => {
	const two = workbook({
		sheets: [
			// Part names in creation order differ from tab order on purpose.
			{
				name: 'Notes – été',
				rows: row(1, { A: 'note' }) + row(2, { A: 'hi' }),
				file: 'sheet2.xml',
				dimension: 'A1:A2'
			},
			{
				name: 'Marks & Grades',
				rows: row(1, { A: 'mark' }) + row(2, { A: 80 }) + row(3, { A: 90 }),
				file: 'sheet1.xml'
			}
		]
	});

	it('lists sheets in tab order with their dimensions', async () => {
		expect(await listSheets(bytesSource('book.xlsx', two))).toEqual([
			{ name: 'Notes – été', index: 0, dimension: 'A1:A2' },
			{ name: 'Marks & Grades', index: 1 }
		]);
	});

	it('reads the first sheet by default, or the one picked by name or index', async () => {
		expect((await read(two)).sheet).toBe('Notes – été');
		const byName = await read(two, { sheet: 'marks & grades' });
		expect(byName.sheet).toBe('Marks & Grades');
		expect(byName.records.map((x) => x.cells[0])).toEqual(['80', '90']);
		expect((await read(two, { sheet: 1 })).header).toEqual(['mark']);
		expect((await read(two, { sheet: 'Notes – e\u0301te\u0301' })).sheet).toBe('Notes – été');
	});

	it('says which sheets exist when the wanted one does not', async () => {
		const f = await failure(read(two, { sheet: 'Term 3' }));
		expect(f.code).toBe('sheet-not-found');
		expect(f.message).toContain('“Term 3”');
		expect(f.message).toContain('“Notes – été”, “Marks & Grades”');
		expect((await failure(read(two, { sheet: 2 }))).code).toBe('sheet-not-found');
	});

	it('skips a hidden first sheet by default', async () => {
		const bytes = workbook({
			sheets: [
				{ name: 'lookup', rows: row(1, { A: 'x' }), hidden: true },
				{ name: 'data', rows: row(1, { A: 'y' }) }
			]
		});
		expect((await read(bytes)).sheet).toBe('data');
		expect((await listSheets(bytesSource('b.xlsx', bytes)))[0]).toMatchObject({ hidden: true });
	});

	it('handles an empty sheet and a header-only sheet', async () => {
		const empty = await read(one(''));
		expect(empty).toMatchObject({ header: [], rows: 0, truncated: false, records: [] });
		const blankRows = await read(one('<row r="1"/><row r="2"><c r="A2" s="1"/></row>'));
		expect(blankRows.header).toEqual([]);
		const headerOnly = await read(one(row(5, { B: 'name', C: 'mark' })));
		expect(headerOnly).toMatchObject({ header: ['name', 'mark'], rows: 0, records: [] });
	});
});

describe('readXlsx: options', () => {
	const rows = row(1, { A: 'n' }) + [2, 3, 4, 5].map((r) => row(r, { A: r })).join('');

	it('stops at maxRows and says so only when rows were left', async () => {
		const r = await read(one(rows), { maxRows: 2 });
		expect(r.records.map((x) => x.row)).toEqual([2, 3]);
		expect(r.truncated).toBe(true);
		const all = await read(one(rows), { maxRows: 4 });
		expect(all).toMatchObject({ rows: 4, truncated: false });
	});

	it('reuses nothing the sink keeps only if it copies: cells has header.length entries', async () => {
		const seen: number[] = [];
		await readXlsx(bytesSource('m.xlsx', one(rows)), (cells) => seen.push(cells.length));
		expect(seen).toEqual([1, 1, 1, 1]);
	});

	it('reports progress in compressed bytes of the sheet, ending at the total', async () => {
		const big = one(
			row(1, { A: 'n', B: 's' }) +
				Array.from({ length: 3000 }, (_, i) => row(i + 2, { A: i, B: `student ${i * 7919}` })).join(
					''
				)
		);
		const seen: { bytesRead: number; totalBytes: number; rows: number }[] = [];
		await read(big, { onProgress: (p) => seen.push(p) });
		expect(seen.length).toBeGreaterThan(0);
		const last = seen[seen.length - 1]!;
		expect(last.bytesRead).toBe(last.totalBytes);
		expect(last.rows).toBeGreaterThan(0);
	});

	it('keeps multi-byte characters whole across inflate and decode chunk boundaries', async () => {
		const names = Array.from({ length: 6000 }, (_, i) => `Zoë ${i} 東京 ☺ 𝄞`);
		const bytes = one(row(1, { A: 'name' }) + names.map((n, i) => row(i + 2, { A: n })).join(''));
		const r = await read(bytes);
		expect(r.records.map((x) => x.cells[0])).toEqual(names);
	});

	it('cancels between chunks of a big sheet', async () => {
		const cancel = new CancelSource();
		const big = one(
			row(1, { A: 'n' }) +
				Array.from({ length: 20000 }, (_, i) => row(i + 2, { A: `r${i * 7919}` })).join('')
		);
		const seen: number[] = [];
		const p = read(big, { cancel, onProgress: (x) => (seen.push(x.rows), cancel.cancel()) });
		await expect(p).rejects.toBeInstanceOf(CancelledError);
		expect(seen.length).toBe(1);
	});

	it('throws CancelledError when cancelled', async () => {
		const cancel = new CancelSource();
		cancel.cancel();
		await expect(read(one(rows), { cancel })).rejects.toBeInstanceOf(CancelledError);
	});
});
