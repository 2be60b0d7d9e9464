import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
	formatDateTime,
	formatNumber,
	frameToCsv,
	frameToCsvChunks,
	neutraliseFormula,
	quoteField
} from '../../src/lib/data/csv-write';
import { AppException } from '../../src/lib/errors';
import { categoricalColumn, makeFrame, numericColumn, type Frame } from '../../src/lib/ml/frame';
import { generateDemo } from '../../src/lib/ml/synthetic';

/** Parses our output back; every record ends with a newline, so the last empty row is dropped. */
function parse(csv: string, delimiter = ',', newline: '\r\n' | '\n' = '\r\n'): string[][] {
	const result = Papa.parse<string[]>(csv, { delimiter, newline, skipEmptyLines: false });
	expect(result.errors).toEqual([]);
	const rows = result.data;
	expect(rows[rows.length - 1]).toEqual(['']);
	return rows.slice(0, -1);
}

const text = (name: string, values: (string | null)[]) => categoricalColumn(name, values, 'text');

describe('frameToCsv basics', () => {
	const frame = makeFrame([
		text('name', ['Ana', null, 'Bo']),
		numericColumn('score', [7.5, NaN, -3], 'number'),
		numericColumn('n', [1, 2, 3], 'integer')
	]);

	it('writes a header, CRLF records and empty cells for missing values', () => {
		expect(frameToCsv(frame)).toBe('name,score,n\r\nAna,7.5,1\r\n,,2\r\nBo,-3,3\r\n');
	});

	it('can leave out the header and use LF', () => {
		expect(frameToCsv(frame, { header: false, newline: '\n' })).toBe('Ana,7.5,1\n,,2\nBo,-3,3\n');
	});

	it('writes only the header for an empty frame, and nothing without columns', () => {
		expect(frameToCsv(makeFrame([numericColumn('a', []), text('b', [])]))).toBe('a,b\r\n');
		expect(frameToCsv(makeFrame([]))).toBe('');
	});

	it('starts with a byte order mark when asked (for Excel)', () => {
		expect(frameToCsv(frame, { bom: true }).startsWith('\uFEFFname,')).toBe(true);
	});

	it('quotes a lone empty field so it does not become a blank line', () => {
		const csv = frameToCsv(makeFrame([text('only', ['a', null, '', 'b'])]));
		expect(csv).toBe('only\r\na\r\n""\r\n""\r\nb\r\n');
		expect(parse(csv)).toEqual([['only'], ['a'], [''], [''], ['b']]);
	});

	it('writes booleans as true/false', () => {
		const f = makeFrame([numericColumn('ok', [1, 0, NaN], 'boolean')]);
		expect(frameToCsv(f, { header: false })).toBe('true\r\nfalse\r\n""\r\n');
	});
});

describe('quoting (RFC 4180)', () => {
	it('quotes fields with the delimiter, quotes, CR or LF and doubles inner quotes', () => {
		expect(quoteField('plain')).toBe('plain');
		expect(quoteField('a,b')).toBe('"a,b"');
		expect(quoteField('say "hi"')).toBe('"say ""hi"""');
		expect(quoteField('two\nlines')).toBe('"two\nlines"');
		expect(quoteField('cr\rhere')).toBe('"cr\rhere"');
		expect(quoteField('a;b', ';')).toBe('"a;b"');
		expect(quoteField('a,b', ';')).toBe('a,b');
	});

	it('uses another delimiter throughout, quoting numbers only if they contain it', () => {
		const f = makeFrame([text('a;b', ['x;y', 'x,y']), numericColumn('v', [1.5, 2])]);
		expect(frameToCsv(f, { delimiter: ';' })).toBe('"a;b";v\r\n"x;y";1.5\r\nx,y;2\r\n');
		expect(frameToCsv(f, { delimiter: '.', header: false })).toBe('x;y."1.5"\r\nx,y.2\r\n');
	});

	it('rejects a delimiter that cannot work', () => {
		const f = makeFrame([numericColumn('a', [1])]);
		for (const delimiter of ['', ';;', '"', '\n', '\r']) {
			expect(() => frameToCsv(f, { delimiter })).toThrow(AppException);
		}
		expect(() => frameToCsv(f, { dateFormat: 'us' as 'iso' })).toThrow(/ISO 8601/);
	});
});

describe('numbers and dates', () => {
	it('prints integers as integers and decimals without float noise', () => {
		expect(formatNumber(3)).toBe('3');
		expect(formatNumber(-0)).toBe('0');
		expect(formatNumber(0.1)).toBe('0.1');
		expect(formatNumber(7.3)).toBe('7.3');
		expect(formatNumber(Math.round(2.675 * 100) / 100)).toBe('2.68');
		expect(formatNumber(1e21)).toBe('1e+21');
		expect(formatNumber(NaN)).toBe('');
	});

	it('round-trips every finite double exactly with the shortest text', () => {
		fc.assert(
			fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
				const s = formatNumber(x);
				expect(Number(s)).toBe(x === 0 ? 0 : x);
				expect(s).not.toMatch(/0{10,}\d|9{10,}\d/);
			})
		);
	});

	it('writes datetimes as ISO 8601 UTC', () => {
		expect(formatDateTime(Date.UTC(2024, 8, 2, 8, 15))).toBe('2024-09-02T08:15:00Z');
		expect(formatDateTime(Date.UTC(2024, 8, 2, 8, 15, 1, 250))).toBe('2024-09-02T08:15:01.250Z');
		expect(formatDateTime(NaN)).toBe('');
		expect(formatDateTime(1e300)).toBe('1e+300');
		const f = makeFrame([numericColumn('t', [0, NaN], 'datetime')]);
		expect(frameToCsv(f)).toBe('t\r\n1970-01-01T00:00:00Z\r\n""\r\n');
	});
});

describe('formula neutralisation', () => {
	const risky = ['=SUM(A1:A9)', '+44 20', '-x', '@cmd', '\tx', '\rx', 'safe', ''];

	it('prefixes text that a spreadsheet would run', () => {
		expect(risky.map(neutraliseFormula)).toEqual([
			"'=SUM(A1:A9)",
			"'+44 20",
			"'-x",
			"'@cmd",
			"'\tx",
			"'\rx",
			'safe',
			''
		]);
	});

	it('is on by default for text cells and headers, never for numbers', () => {
		const f = makeFrame([
			text('=name', risky),
			numericColumn('delta', [-5, -0.5, 1, 2, 3, 4, 5, 6])
		]);
		const rows = parse(frameToCsv(f));
		expect(rows[0]).toEqual(["'=name", 'delta']);
		expect(rows.slice(1).map((r) => r[0])).toEqual(risky.map(neutraliseFormula));
		expect(rows[1][1]).toBe('-5');
		expect(rows[2][1]).toBe('-0.5');
	});

	it('can be turned off', () => {
		const f = makeFrame([text('=name', risky)]);
		expect(parse(frameToCsv(f, { neutraliseFormulas: false }))).toEqual([
			['=name'],
			...risky.map((r) => [r])
		]);
	});
});

describe('frameToCsvChunks', () => {
	const f = generateDemo('marks', { rows: 1003 }).frame;

	it('yields pieces that concatenate to the whole CSV, header in the first only', () => {
		const chunks = [...frameToCsvChunks(f, {}, 100)];
		expect(chunks).toHaveLength(11);
		expect(chunks.join('')).toBe(frameToCsv(f));
		expect(chunks[0].startsWith('student_id,gender,')).toBe(true);
		expect(chunks[1].startsWith('S')).toBe(true);
		expect(chunks.every((c) => c.endsWith('\r\n'))).toBe(true);
	});

	it('treats a silly chunk size as one row per chunk', () => {
		const small = makeFrame([numericColumn('a', [1, 2])]);
		expect([...frameToCsvChunks(small, {}, 0)]).toEqual(['a\r\n1\r\n', '2\r\n']);
	});
});

describe('round trip through PapaParse', () => {
	const unit = fc.oneof(
		{
			weight: 3,
			arbitrary: fc.constantFrom('"', ',', '\n', '\r', '\r\n', ';', "'", ' ', '=', '\t')
		},
		{ weight: 5, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
		{ weight: 1, arbitrary: fc.constantFrom('é', 'ß', '漢字', '😀', '\u00a0', '\u2028') }
	);
	const cell = fc.option(
		fc.array(unit, { maxLength: 6 }).map((parts) => parts.join('')),
		{ nil: null, freq: 8 }
	);

	it('gives back the same cells for random strings (neutralisation off)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 4 }),
				fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { maxLength: 12 }),
				fc.constantFrom(',', ';', '\t'),
				(nCols, rows, delimiter) => {
					const names = Array.from({ length: nCols }, (_, j) => `col ${j}, "${j}"`);
					const frame: Frame = makeFrame(
						names.map((name, j) =>
							text(
								name,
								rows.map((r) => r[j])
							)
						)
					);
					const csv = frameToCsv(frame, { neutraliseFormulas: false, delimiter });
					const back = parse(csv, delimiter);
					expect(back).toEqual([names, ...rows.map((r) => r.slice(0, nCols).map((c) => c ?? ''))]);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('round-trips a demo dataset: numbers and ids come back unchanged', () => {
		const d = generateDemo('lms-activity', { rows: 10 });
		const back = parse(frameToCsv(d.frame, { newline: '\n' }), ',', '\n');
		expect(back[0]).toEqual(d.frame.columns.map((c) => c.name));
		expect(back).toHaveLength(d.frame.nRows + 1);
		const ts = d.frame.columns[1];
		const dur = d.frame.columns[4];
		if (ts.kind !== 'numeric' || dur.kind !== 'numeric') throw new Error('kind');
		for (let i = 0; i < d.frame.nRows; i++) {
			expect(Date.parse(back[i + 1][1])).toBe(ts.values[i]);
			const v = back[i + 1][4];
			expect(v === '' ? NaN : Number(v)).toStrictEqual(dur.values[i]);
		}
	});
});
