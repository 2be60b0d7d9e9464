/**
 * The reader's quote-free path offers each record as a line of its text before cutting it into
 * strings. Whatever the text, however it is cut into chunks, and whichever lines the line sink
 * takes or gives back, the records (cells and row numbers, in order) and the summary must be
 * exactly those of the string path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv, type CsvReadOptions } from '../../../../src/lib/data/csv';
import { bytesSource, type ByteSource } from '../../../../src/lib/data/types';
import { collect, textSource } from './helpers';

/** Records from both sinks, in the order they came, cut into strings. */
async function collectBoth(
	source: ByteSource,
	opts: CsvReadOptions,
	refuse: (row: number) => boolean
) {
	const records: string[][] = [];
	const rowNumbers: number[] = [];
	let viaLines = 0;
	const summary = await readCsv(
		source,
		(cells, row) => {
			records.push([...cells]);
			rowNumbers.push(row);
		},
		{
			...opts,
			lines: (text, start, end, row, delimiter, width) => {
				const cells = text.slice(start, end).split(String.fromCharCode(delimiter));
				// As the frame builder does: only a line with one field per column, and not always.
				if (cells.length !== width || refuse(row)) return false;
				records.push(cells);
				rowNumbers.push(row);
				viaLines++;
				return true;
			}
		}
	);
	return { result: { records, rowNumbers, summary }, viaLines };
}

/** Reads `source` both ways, expects the same, and says how many records came as lines. */
async function same(
	source: ByteSource,
	opts: CsvReadOptions = {},
	refuse: (row: number) => boolean = () => false
): Promise<number> {
	const base = await collect(source, opts);
	const { result, viaLines } = await collectBoth(source, opts, refuse);
	expect(result).toEqual(base);
	return viaLines;
}

const piece = fc.constantFrom(
	'a',
	'1',
	'2.5',
	' ',
	'',
	'é',
	'😀',
	'\r',
	'x y',
	'"q"',
	'"a,b"',
	'"l\nm"',
	'NA'
);
const line = fc
	.array(piece, { minLength: 1, maxLength: 5 })
	.map((cells) => cells.join(','))
	.chain((l) => fc.constantFrom(l, l + ',', ''));

describe('readCsv whole lines', () => {
	it('give the records and summary of the string path, for any text and chunking', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(line, { minLength: 0, maxLength: 40 }),
				fc.constantFrom('\n', '\r\n', '\r'),
				fc.boolean(),
				fc.constantFrom(undefined, 1, 3, 7, 16, 64),
				fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
				fc.integer({ min: 0, max: 3 }),
				async (lines, newline, trailing, chunkBytes, maxRows, refuseEvery) => {
					const text = ['h1,h2,h3', ...lines].join(newline) + (trailing ? newline : '');
					await same(textSource(text), { chunkBytes, maxRows }, (row) =>
						refuseEvery ? row % refuseEvery === 0 : false
					);
				}
			),
			{ numRuns: 400 }
		);
	});

	it('gives the same records with mixed line ends, stray CRs and other separators', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.tuple(
						fc.array(fc.constantFrom('a', '1', '', '\r', ' b '), { minLength: 1, maxLength: 4 }),
						fc.constantFrom('\n', '\r\n')
					),
					{ maxLength: 30 }
				),
				fc.constantFrom(';', '\t', '|'),
				fc.constantFrom(1, 2, 5, 11),
				async (rows, sep, chunkBytes) => {
					const text = `h1${sep}h2${sep}h3\r\n` + rows.map(([c, nl]) => c.join(sep) + nl).join('');
					await same(textSource(text), { chunkBytes });
				}
			),
			{ numRuns: 300 }
		);
	});

	it('reads a large quote-free file in place, and one with a few quotes the usual way', async () => {
		const lines = ['id,score,house'];
		for (let i = 0; i < 40_000; i++)
			lines.push(`S${i},${(i * 7) % 101}.5,${['Red', 'Blue'][i % 2]}`);
		const plain = lines.join('\n') + '\n';
		// All but the first chunk, which holds the header and goes the usual way.
		expect(await same(textSource(plain))).toBeGreaterThan(30_000);
		// Ragged and blank lines in the middle of in-place chunks take the string path.
		const ragged = plain
			.replace('\nS20000,', '\nS20000,extra,')
			.replace('\nS30000,', '\n\nS30000,');
		await same(textSource(ragged));
		const quoted = plain.replace('\nS25000,', '\n"S25,000",').replace('\nS5,', '\n"S\n5",');
		await same(textSource(quoted));
		await same(textSource(quoted), { chunkBytes: 50_000 });
		await same(bytesSource('crlf.csv', new TextEncoder().encode(plain.replace(/\n/g, '\r\n'))));
	});

	it('is not used for one-column files, where blank lines are values', async () => {
		const text = 'h\n' + Array.from({ length: 30_000 }, (_, i) => (i % 7 ? `${i}` : '')).join('\n');
		expect(await same(textSource(text))).toBe(0);
	});
});
