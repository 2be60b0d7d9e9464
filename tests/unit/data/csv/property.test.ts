import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsvDialect, TextEncodingName } from '../../../../src/lib/data/csv';
import { quoteField } from '../../../../src/lib/data/csv-write';
import { bytesSource } from '../../../../src/lib/data/types';
import { collect } from './helpers';

const LATIN = [
	'a',
	'Z',
	'0',
	'.',
	' ',
	',',
	';',
	'\t',
	'|',
	'"',
	'\n',
	'\r',
	'=',
	'é',
	'ë',
	'ü',
	'€',
	'“'
];
const WIDE = ['😀', '中', 'ŝ'];

const WIN1252: Record<string, number> = { '€': 0x80, '“': 0x93 };

function encode(text: string, encoding: TextEncodingName): Uint8Array {
	switch (encoding) {
		case 'utf-8':
			return new TextEncoder().encode(text);
		case 'windows-1252':
			return Uint8Array.from([...text], (ch) => WIN1252[ch] ?? ch.charCodeAt(0));
		default: {
			const out = new Uint8Array(2 + text.length * 2);
			const le = encoding === 'utf-16le';
			out.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
			for (let i = 0; i < text.length; i++) {
				const c = text.charCodeAt(i);
				out[2 + 2 * i + (le ? 0 : 1)] = c & 0xff;
				out[2 + 2 * i + (le ? 1 : 0)] = c >> 8;
			}
			return out;
		}
	}
}

function writeCsv(table: string[][], delimiter: string, newline: string): string {
	return table
		.map((row) => {
			const line = row.map((c) => quoteField(c, delimiter)).join(delimiter);
			// A lone empty field would read back as a blank line.
			return row.length === 1 && line === '' ? '""' : line;
		})
		.join(newline);
}

const cell = (chars: string[]) => fc.string({ unit: fc.constantFrom(...chars), maxLength: 6 });

const table = (chars: string[]) =>
	fc
		.integer({ min: 1, max: 4 })
		.chain((width) =>
			fc.tuple(
				fc.array(cell(chars), { minLength: width, maxLength: width }),
				fc.array(fc.array(cell(chars), { minLength: width, maxLength: width }), { maxLength: 5 })
			)
		);

const dialectArb = fc.record({
	delimiter: fc.constantFrom<CsvDialect['delimiter']>(',', ';', '\t', '|'),
	newline: fc.constantFrom('\n', '\r\n', '\r'),
	trailingNewline: fc.boolean()
});

/**
 * What the reader promises to give back: blank header lines are skipped, and in a one-column
 * file blank values at the very end look like trailing empty lines, which are ignored.
 */
function expected(header: string[], rows: string[][]) {
	const blank = (r: string[]) => r.length === 1 && r[0].trim() === '';
	const kept = rows.slice();
	if (header.length === 1) while (kept.length > 0 && blank(kept[kept.length - 1])) kept.pop();
	return kept;
}

async function roundTrip(
	header: string[],
	rows: string[][],
	d: { delimiter: CsvDialect['delimiter']; newline: string; trailingNewline: boolean },
	encoding: TextEncodingName,
	chunks: number[]
): Promise<void> {
	// A header of nothing but blanks (e.g. a lone tab) makes a blank file, which is an error.
	if (header.every((h) => h.trim() === '')) header = ['h', ...header.slice(1)];
	const text =
		writeCsv([header, ...rows], d.delimiter, d.newline) + (d.trailingNewline ? d.newline : '');
	const source = bytesSource('prop.csv', encode(text, encoding));
	const dialect = { delimiter: d.delimiter, encoding };
	const base = await collect(source, { dialect });
	expect(base.summary.header).toEqual(header);
	expect(base.records).toEqual(expected(header, rows));
	expect(base.summary.issues).toEqual([]);
	for (const chunkBytes of chunks) {
		expect(await collect(source, { dialect, chunkBytes })).toEqual(base);
	}
}

const chunkList = fc.uniqueArray(fc.integer({ min: 1, max: 13 }), { minLength: 2, maxLength: 4 });

describe('CSV round trip (property)', () => {
	for (const encoding of ['utf-8', 'utf-16le', 'utf-16be'] as const) {
		it(`reads back what was written in ${encoding}, whatever the chunk size`, async () => {
			await fc.assert(
				fc.asyncProperty(table([...LATIN, ...WIDE]), dialectArb, chunkList, ([h, r], d, chunks) =>
					roundTrip(h, r, d, encoding, [1, ...chunks])
				),
				{ numRuns: 60 }
			);
		});
	}

	it('reads back what was written in windows-1252, whatever the chunk size', async () => {
		await fc.assert(
			fc.asyncProperty(table(LATIN), dialectArb, chunkList, ([h, r], d, chunks) =>
				roundTrip(h, r, d, 'windows-1252', [1, ...chunks])
			),
			{ numRuns: 60 }
		);
	});

	it('sniffs the same dialect and reads the same records without being told the dialect', async () => {
		const plain = ['a', 'b', 'é', '😀', ' ', '1', '.'];
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 2, max: 4 }).chain((w) =>
					fc.array(
						fc.array(
							cell(plain).filter((s) => s.trim() !== ''),
							{ minLength: w, maxLength: w }
						),
						{
							minLength: 2,
							maxLength: 5
						}
					)
				),
				dialectArb,
				async (t, d) => {
					const text = writeCsv(t, d.delimiter, d.newline);
					const source = bytesSource('s.csv', encode(text, 'utf-8'));
					const { records, summary } = await collect(source, { chunkBytes: 3 });
					expect(summary.dialect.delimiter).toBe(d.delimiter);
					expect([summary.header, ...records]).toEqual(t);
				}
			),
			{ numRuns: 60 }
		);
	});
});
