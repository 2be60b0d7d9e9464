import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../../src/lib/data/csv';
import { bytesSource, type ByteSource, type ReadProgress } from '../../../../src/lib/data/types';
import { AppException } from '../../../../src/lib/errors';
import { CancelledError, CancelSource } from '../../../../src/lib/ml/progress';
import { collect, fixture, textSource } from './helpers';

const CHUNKS = [undefined, 1, 2, 3, 5, 7];

/** Reads with every chunk size and checks they all agree; returns the default-size result. */
async function readAll(source: ByteSource) {
	const first = await collect(source);
	for (const chunkBytes of CHUNKS.slice(1)) {
		const other = await collect(source, { chunkBytes });
		expect(other).toEqual(first);
	}
	return first;
}

async function appError(p: Promise<unknown>) {
	const e = await p.then(
		() => null,
		(err: unknown) => err
	);
	expect(e).toBeInstanceOf(AppException);
	return (e as AppException).appError;
}

const ACCENTS = [
	['Zoë', '12.5'],
	['José', '13'],
	['Müller', '9']
];

describe('encodings', () => {
	it('reads UTF-8 with and without a BOM', async () => {
		for (const name of ['utf8-bom.csv', 'utf8-accents.csv']) {
			const { records, summary } = await readAll(fixture(name));
			expect(summary.header).toEqual(['name', 'score']);
			expect(records).toEqual(ACCENTS);
		}
	});

	it('reads UTF-16 LE and BE with a BOM, astral characters included', async () => {
		for (const name of ['utf16le-bom.csv', 'utf16be-bom.csv']) {
			const { records, summary } = await readAll(fixture(name));
			expect(summary.header).toEqual(['name', 'score']);
			expect(records).toEqual([ACCENTS[0], ACCENTS[1], ['Müller 😀', '9']]);
			expect(summary.dialect.delimiter).toBe('\t');
		}
	});

	it('reads Windows-1252 with accents and decimal commas', async () => {
		const { records, summary } = await readAll(fixture('windows-1252.csv'));
		expect(summary.dialect).toMatchObject({ encoding: 'windows-1252', decimal: ',' });
		expect(records).toEqual([
			['Zoë', '12,5', '€5'],
			['José', '13', '“free”'],
			['Müller', '9,25', '–']
		]);
	});

	it('switches to Windows-1252 when a non-UTF-8 byte comes after an ASCII-only sample', async () => {
		const head = new TextEncoder().encode('name,n\n' + 'Ana,1\n'.repeat(12_000));
		const tail = new Uint8Array([0x5a, 0x6f, 0xeb, 0x2c, 0x32, 0x0a]); // "Zoë,2\n" in 1252
		const bytes = new Uint8Array(head.length + tail.length);
		bytes.set(head);
		bytes.set(tail, head.length);
		const { records, summary } = await collect(bytesSource('late.csv', bytes));
		expect(records).toHaveLength(12_001);
		expect(records.at(-1)).toEqual(['Zoë', '2']);
		expect(summary.dialect.encoding).toBe('windows-1252');
		expect(summary.issueCounts['encoding-guess']).toBe(1);
	});

	it("switches even when the only non-UTF-8 byte is the file's last", async () => {
		const head = new TextEncoder().encode('name\n' + 'Ana\n'.repeat(20_000) + 'Zo');
		const bytes = new Uint8Array(head.length + 1);
		bytes.set(head);
		bytes[head.length] = 0xeb;
		for (const chunkBytes of [undefined, 1, 4096]) {
			const { records } = await collect(bytesSource('end.csv', bytes), { chunkBytes });
			expect(records.at(-1)).toEqual(['Zoë']);
		}
	});

	it('honours an encoding given by the caller', async () => {
		const { records } = await collect(fixture('windows-1252.csv'), {
			dialect: { encoding: 'windows-1252', delimiter: ';' }
		});
		expect(records[0][0]).toBe('Zoë');
	});
});

describe('dialects', () => {
	it('reads semicolon files with decimal commas', async () => {
		const { records, summary } = await readAll(fixture('semicolon-decimal.csv'));
		expect(summary.dialect).toMatchObject({ delimiter: ';', decimal: ',' });
		expect(records[0]).toEqual(['Ana', '12,5', 'B']);
	});

	it('reads tab- and pipe-separated files', async () => {
		const tab = await readAll(fixture('tab.tsv'));
		expect(tab.records).toEqual([
			['Ana', '12.5', 'good, steady'],
			['Bo', '7', '']
		]);
		const pipe = await readAll(fixture('pipe.csv'));
		expect(pipe.records).toEqual([
			['Ana', '12.5', 'a, b; c'],
			['Bo', '7', 'x']
		]);
	});

	it('reads a one-column file, keeping blank lines between values as missing ones', async () => {
		const { records, rowNumbers, summary } = await readAll(fixture('single-column.csv'));
		expect(summary.header).toEqual(['score']);
		expect(records).toEqual([['12,5'], ['13'], [''], ['14']]);
		expect(rowNumbers).toEqual([2, 3, 4, 5]);
		expect(summary.issues).toEqual([]);
	});
});

describe('records and row numbers', () => {
	it('keeps quoted line breaks and doubled quotes, numbering rows per record', async () => {
		const { records, rowNumbers } = await readAll(fixture('quoted-newlines.csv'));
		expect(records).toEqual([
			['1', 'line one\nline two', '5'],
			['2', 'she said "hi"', '6'],
			['3', 'a,b\r\nc', '7'],
			['4', 'plain', '8']
		]);
		expect(rowNumbers).toEqual([2, 3, 4, 5]);
	});

	it('reads CRLF and lone-CR files and ignores trailing empty lines', async () => {
		const crlf = await readAll(fixture('crlf.csv'));
		expect(crlf.records).toEqual([
			['1', '2'],
			['3', '4']
		]);
		const cr = await readAll(fixture('cr.csv'));
		expect(cr.records).toEqual([
			['1', '2'],
			['x\ry', '4']
		]);
	});

	it('reads a file mixing CRLF and LF without stray CRs', async () => {
		const { records } = await readAll(textSource('a,b\r\n1,2\n3,4\r\n5,"6"\n'));
		expect(records).toEqual([
			['1', '2'],
			['3', '4'],
			['5', '6']
		]);
	});

	it('keeps a line of only delimiters as a record of empty cells', async () => {
		const { records } = await readAll(textSource('a,b,c\n,,\n1,2,3\n\n\n'));
		expect(records).toEqual([
			['', '', ''],
			['1', '2', '3']
		]);
	});

	it('skips blank lines in a multi-column file but still counts them as rows', async () => {
		const { records, rowNumbers } = await readAll(textSource('a,b\n1,2\n\n3,4\n'));
		expect(records).toEqual([
			['1', '2'],
			['3', '4']
		]);
		expect(rowNumbers).toEqual([2, 4]);
	});

	it('passes duplicate and hostile header names through untouched', async () => {
		const { summary, records } = await readAll(fixture('hostile-header.csv'));
		expect(summary.header).toEqual(['name', 'name', '__proto__', 'constructor', '']);
		expect(records).toEqual([['Ana', 'Ana2', 'p', 'c', 'x']]);
	});

	it('keeps formula-like cells verbatim as text', async () => {
		const { records } = await readAll(fixture('formulas.csv'));
		expect(records).toEqual([
			['Ana', '=SUM(A1)', '=HYPERLINK("http://x")'],
			['Bo', '+1', '@cmd']
		]);
	});
});

describe('problems in the file', () => {
	it('pads short rows and truncates long ones, reporting each', async () => {
		const { records, summary } = await readAll(fixture('ragged.csv'));
		expect(records).toEqual([
			['1', '2', ''],
			['3', '4', '5'],
			['7', '8', '9'],
			['', '', '']
		]);
		expect(summary.issueCounts).toEqual({ 'ragged-row': 2 });
		const [short, long] = summary.issues;
		expect(short).toMatchObject({ code: 'ragged-row', severity: 'warning', where: { row: 2 } });
		expect(short.message).toContain('ragged.csv, row 2');
		expect(short.message).toMatch(/expected 3 .* found 2/);
		expect(long.message).toMatch(/row 3: expected 3 .* found 4/);
		expect(long.value).toBe('6');
	});

	it('caps ragged-row details but counts them all', async () => {
		const { summary } = await collect(textSource('a,b\n' + '1,2,3\n'.repeat(250)));
		expect(summary.issueCounts['ragged-row']).toBe(250);
		expect(summary.issues).toHaveLength(200);
	});

	it('reports an unbalanced quote at the row where it opened', async () => {
		const { records, summary } = await readAll(fixture('unbalanced-quote.csv'));
		expect(records[0]).toEqual(['Ana', 'ok']);
		const issue = summary.issues.find((i) => i.code === 'unbalanced-quote');
		expect(issue).toMatchObject({
			severity: 'error',
			where: { file: 'unbalanced-quote.csv', row: 3, column: 'comment', columnIndex: 1 }
		});
		expect(issue?.message).toContain('unbalanced-quote.csv, row 3');
		expect(summary.issueCounts['unbalanced-quote']).toBe(1);
	});

	it('throws empty-file for an empty or blank file, naming it', async () => {
		for (const name of ['empty.csv', 'whitespace-only.csv']) {
			const err = await appError(collect(fixture(name)));
			expect(err.code).toBe('empty-file');
			expect(err.message).toContain(name);
		}
	});

	it('returns no rows and no error for a header-only file', async () => {
		const { records, summary } = await readAll(fixture('header-only.csv'));
		expect(records).toEqual([]);
		expect(summary).toMatchObject({ header: ['a', 'b', 'c'], rows: 0, truncated: false });
	});

	it('refuses binary files and workbooks', async () => {
		const garbage = await appError(collect(fixture('garbage.csv')));
		expect(garbage.code).toBe('not-text');
		expect(garbage.message).toMatch(
			/garbage\.csv does not look like a text\/CSV file\. If it is an Excel workbook/
		);
		const nul = await appError(collect(textSource('a,b\n1,\u0000\n')));
		expect(nul.code).toBe('not-text');
		const xlsx = await appError(collect(fixture('workbook.csv')));
		expect(xlsx.code).toBe('looks-like-xlsx');
	});
});

describe('streaming controls', () => {
	const big = 'a,b\n' + Array.from({ length: 1000 }, (_, i) => `${i},x`).join('\n') + '\n';

	it('stops at maxRows and says so', async () => {
		const { records, summary } = await collect(textSource(big), { maxRows: 10, chunkBytes: 64 });
		expect(records).toHaveLength(10);
		expect(summary).toMatchObject({ rows: 10, truncated: true });
		const exact = await collect(textSource('a\n1\n2\n\n'), { maxRows: 2 });
		expect(exact.summary.truncated).toBe(false);
	});

	it('reads in chunks of the requested size, never the whole file at once', async () => {
		const src = textSource(big);
		const sizes: number[] = [];
		await readCsv({ ...src, read: (s, e) => (sizes.push(e - s), src.read(s, e)) }, () => {}, {
			chunkBytes: 512
		});
		// The first read is the 64 KB sniffing sample; the rest are chunks.
		expect(Math.max(...sizes.slice(1))).toBe(512);
	});

	it('reads ahead the same ranges in order, and a failed read still fails the import', async () => {
		const src = textSource(big);
		const ranges: [number, number][] = [];
		const tracked = {
			...src,
			read: async (s: number, e: number) => {
				ranges.push([s, e]);
				await new Promise((r) => setTimeout(r, 1));
				return src.read(s, e);
			}
		};
		const seen: string[][] = [];
		let readsAtFirstRecord = 0;
		await readCsv(
			tracked,
			(cells) => {
				if (seen.length === 0) readsAtFirstRecord = ranges.length;
				seen.push([...cells]);
			},
			{ chunkBytes: 700 }
		);
		expect(seen).toEqual((await collect(src, { chunkBytes: 700 })).records);
		// The sniffing sample, then consecutive chunks of the file.
		const chunks = ranges.slice(1);
		expect(chunks[0][0]).toBe(0);
		for (let i = 1; i < chunks.length; i++) expect(chunks[i][0]).toBe(chunks[i - 1][1]);
		expect(chunks.at(-1)![1]).toBe(src.size);
		// The second chunk was asked for before the first one's records were handed over.
		expect(readsAtFirstRecord).toBe(3);

		let calls = 0;
		const failing = {
			...src,
			read: (s: number, e: number) =>
				++calls === 4 ? Promise.reject(new Error('disk gone')) : src.read(s, e)
		};
		await expect(readCsv(failing, () => {}, { chunkBytes: 700 })).rejects.toThrow('disk gone');
		// A sample (maxRows) reads nothing beyond what it parses.
		ranges.length = 0;
		await readCsv(tracked, () => {}, { chunkBytes: 700, maxRows: 3 });
		expect(ranges.length).toBe(2);
	});

	it('reports progress once per chunk', async () => {
		const seen: ReadProgress[] = [];
		const src = textSource(big);
		await readCsv(src, () => {}, { chunkBytes: 1000, onProgress: (p) => seen.push(p) });
		expect(seen.length).toBe(Math.ceil(src.size / 1000));
		expect(seen.at(-1)).toEqual({ bytesRead: src.size, totalBytes: src.size, rows: 1000 });
		for (let i = 1; i < seen.length; i++)
			expect(seen[i].rows).toBeGreaterThanOrEqual(seen[i - 1].rows);
	});

	it('throws CancelledError between chunks', async () => {
		const cancel = new CancelSource();
		let n = 0;
		const run = readCsv(textSource(big), () => {}, {
			chunkBytes: 100,
			cancel,
			onProgress: () => {
				if (++n === 3) cancel.cancel();
			}
		});
		await expect(run).rejects.toBeInstanceOf(CancelledError);
		expect(n).toBe(3);
	});
});
