/**
 * The shortcuts taken for speed on a million-row import must give exactly what the general code
 * gives: each is checked here against a plain reference on generated inputs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateRows } from '../../../src/lib/data/duplicates';
import { createFrameBuilder } from '../../../src/lib/data/infer/builder';
import { StringDictionary } from '../../../src/lib/data/infer/dictionary';
import { isoDayFast } from '../../../src/lib/data/infer/fast-cells';
import { parseDate, parseNumber, parsePlainNumber } from '../../../src/lib/data/infer/values';
import { proposePlan } from '../../../src/lib/data/plan';
import { countDistinct, DISTINCT_CAP } from '../../../src/lib/data/validate';
import { MISSING_CODE, type Column, type Frame } from '../../../src/lib/ml/frame';

const digitString = (min: number, max: number) =>
	fc
		.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max })
		.map((d) => d.join(''));

/** Plain numeric text: optional minus, digits, optional mark and digits, optional percent. */
const plainNumber = (mark: '.' | ',') =>
	fc
		.record({
			neg: fc.boolean(),
			int: digitString(0, 20),
			frac: fc.option(digitString(0, 20), { nil: undefined }),
			pct: fc.boolean()
		})
		.map(({ neg, int, frac, pct }) => ({
			text: `${neg ? '-' : ''}${int}${frac === undefined ? '' : mark + frac}${pct ? '%' : ''}`,
			// What Number() reads: the same digits with a '.' mark and no percent sign.
			js: `${neg ? '-' : ''}${int}${frac === undefined ? '' : '.' + frac}`,
			hasDigits: (int + (frac ?? '')).length > 0
		}));

describe('parsePlainNumber', () => {
	for (const mark of ['.', ','] as const) {
		it(`equals Number() on plain numbers with a '${mark}' decimal mark`, () => {
			fc.assert(
				fc.property(plainNumber(mark), ({ text, js, hasDigits }) => {
					const fast = parsePlainNumber(text, mark);
					if (!hasDigits) expect(fast).toBeNaN();
					else expect(Object.is(fast, Number(js))).toBe(true);
					// And the general parser, which tries the shortcut first, agrees with it.
					if (hasDigits) expect(Object.is(parseNumber(text, mark), fast)).toBe(true);
				}),
				{ numRuns: 2000 }
			);
		});
	}

	it('equals Number() on the shortest text of any double', () => {
		fc.assert(
			fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
				const s = String(x);
				const fast = parsePlainNumber(s, '.');
				if (!Number.isNaN(fast)) expect(Object.is(fast, Number(s))).toBe(true);
				const comma = s.replace('.', ',');
				const fastComma = parsePlainNumber(comma, ',');
				if (!Number.isNaN(fastComma)) expect(Object.is(fastComma, Number(s))).toBe(true);
			}),
			{ numRuns: 2000 }
		);
	});

	it('reads long full-precision numbers and leaves unusual text to the slow path', () => {
		expect(parsePlainNumber('0.12345678901234567', '.')).toBe(Number('0.12345678901234567'));
		expect(parsePlainNumber('-12345678901234567,5', ',')).toBe(Number('-12345678901234567.5'));
		expect(parsePlainNumber('1'.repeat(39), '.')).toBe(Number('1'.repeat(39)));
		for (const s of ['1e5', '+1', '1,234.5', ' 1', '1 ', '1.2.3', '--1', '%', '-', '.', '12,5']) {
			expect(parsePlainNumber(s, '.')).toBeNaN();
		}
	});
});

describe('isoDayFast', () => {
	it('equals parseDate wherever it answers, and answers for every valid yyyy-mm-dd', () => {
		const text = fc
			.tuple(
				fc.integer({ min: 0, max: 9999 }),
				fc.integer({ min: 0, max: 13 }),
				fc.integer({ min: 0, max: 32 })
			)
			.map(
				([y, m, d]) =>
					`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
			);
		fc.assert(
			fc.property(text, (s) => {
				const fast = isoDayFast(s);
				const slow = parseDate(s, 'dmy');
				if (Number.isNaN(slow)) expect(fast).toBeNaN();
				else expect(fast).toBe(slow);
			}),
			{ numRuns: 3000 }
		);
		expect(isoDayFast('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
		expect(isoDayFast('1900-02-29')).toBeNaN();
		expect(isoDayFast('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
		expect(isoDayFast('1000-01-01')).toBe(Date.UTC(1000, 0, 1));
		for (const s of ['2024-9-02', '2024/09/02', '2024-09-02T00:00', ' 2024-09-02', '2024-0a-02']) {
			expect(isoDayFast(s)).toBeNaN();
		}
	});
});

describe('StringDictionary', () => {
	it('gives the codes a Map in first-seen order gives, sorted or not', () => {
		const word = fc.oneof(
			fc.constantFrom('a', 'b', 'B', 'ab', 'é', 'S001', 'S002', 'S010', ''),
			fc.string({ maxLength: 6 }),
			fc.integer({ min: 0, max: 300 }).map((i) => `S${String(i).padStart(4, '0')}`)
		);
		const words = fc.oneof(
			fc.array(word, { maxLength: 300 }),
			// Mostly increasing ids, the sorted mode's case, with an occasional repeat or step back.
			fc.array(fc.integer({ min: -3, max: 5 }), { maxLength: 300 }).map((steps) => {
				let i = 0;
				return steps.map((s) => `ID${String((i = Math.max(0, i + s))).padStart(5, '0')}`);
			})
		);
		fc.assert(
			fc.property(words, (list) => {
				const dict = new StringDictionary();
				const ref = new Map<string, number>();
				for (const w of list) {
					let code = dict.find(w);
					expect(code).toBe(ref.get(w) ?? -1);
					if (code < 0) {
						code = dict.add(w);
						ref.set(w, code);
					}
					expect(code).toBe(ref.get(w));
				}
				expect(dict.words).toEqual([...ref.keys()]);
				for (const [w, c] of ref) expect(dict.find(w)).toBe(c);
			}),
			{ numRuns: 500 }
		);
	});

	it('finds words behind the last one in sorted order, before and after it hashes them', () => {
		const dict = new StringDictionary();
		const id = (i: number) => `S${String(i).padStart(6, '0')}`;
		for (let i = 0; i < 5000; i++) {
			expect(dict.find(id(i))).toBe(-1);
			expect(dict.add(id(i))).toBe(i);
			// A blank or a repeat now and then, as long-format or gappy id columns have.
			if (i % 7 === 3) expect(dict.find('')).toBe(-1);
			if (i % 5 === 4) expect(dict.find(id(i - 3))).toBe(i - 3);
		}
		// Enough looking back that the words are hashed; every code is still where it was.
		for (let i = 0; i < 5000; i += 3) expect(dict.find(id(i))).toBe(i);
		expect(dict.find('S9')).toBe(-1);
		expect(dict.add('A')).toBe(5000);
		expect(dict.find('A')).toBe(5000);
		expect(dict.find(id(4999))).toBe(4999);
	});

	it('adds correctly when add() does not follow a miss on the same text', () => {
		const dict = new StringDictionary();
		dict.add('b');
		dict.add('a');
		expect(dict.find('zz')).toBe(-1);
		expect(dict.add('c')).toBe(2);
		expect(dict.find('c')).toBe(2);
		expect(dict.find('zz')).toBe(-1);
	});
});

/** Rows identical in every column (NaN equals NaN, 0 equals -0), by brute force. */
function naiveDuplicates(frame: Frame): number[][] {
	const key = (r: number) =>
		frame.columns
			.map((c) => {
				if (c.kind === 'categorical') return `c${c.codes[r]}`;
				const v = c.values[r];
				return v !== v ? 'nan' : `n${v === 0 ? 0 : v}`;
			})
			.join('|');
	const groups = new Map<string, number[]>();
	for (let r = 0; r < frame.nRows; r++) {
		const k = key(r);
		const g = groups.get(k);
		if (g) g.push(r);
		else groups.set(k, [r]);
	}
	return [...groups.values()].filter((g) => g.length > 1).sort((a, b) => a[0] - b[0]);
}

describe('findDuplicateRows', () => {
	it('finds the same groups as a brute-force reference', () => {
		const value = fc.constantFrom(0, -0, 1, 2, 2.5, NaN, -1e300);
		const code = fc.constantFrom(0, 1, 2, MISSING_CODE);
		const frame = fc
			.record({
				nRows: fc.integer({ min: 0, max: 60 }),
				kinds: fc.array(fc.boolean(), { maxLength: 4 })
			})
			.chain(({ nRows, kinds }) =>
				fc
					.tuple(
						...kinds.map((numeric) =>
							numeric
								? fc.array(value, { minLength: nRows, maxLength: nRows })
								: fc.array(code, { minLength: nRows, maxLength: nRows })
						)
					)
					.map((cols): Frame => ({
						nRows,
						columns: cols.map((v, j): Column =>
							kinds[j]
								? { kind: 'numeric', name: `n${j}`, type: 'number', values: Float64Array.from(v) }
								: {
										kind: 'categorical',
										name: `c${j}`,
										type: 'category',
										codes: Uint32Array.from(v),
										dictionary: ['a', 'b', 'c']
									}
						)
					}))
			);
		fc.assert(
			fc.property(frame, (f) => {
				const expected = f.columns.length === 0 ? [] : naiveDuplicates(f);
				expect(findDuplicateRows(f)).toEqual(expected);
			}),
			{ numRuns: 500 }
		);
	});
});

describe('countDistinct', () => {
	it('equals the size of a Set of the present values', () => {
		const value = fc.oneof(
			fc.constantFrom(0, -0, NaN, 1, 1e-300, 2 ** 52, -7),
			fc.integer({ min: -20, max: 20 }),
			fc.double()
		);
		fc.assert(
			fc.property(fc.array(value, { maxLength: 200 }), (xs) => {
				const set = new Set(xs.filter((x) => !Number.isNaN(x)));
				expect(countDistinct(Float64Array.from(xs))).toEqual({
					nDistinct: set.size,
					capped: false
				});
			}),
			{ numRuns: 500 }
		);
	});

	it('stops at the cap as the Set-based count did', () => {
		const xs = Float64Array.from({ length: DISTINCT_CAP + 500 }, (_, i) => i * 0.5);
		expect(countDistinct(xs)).toEqual({ nDistinct: DISTINCT_CAP, capped: true });
		const exact = Float64Array.from({ length: DISTINCT_CAP }, (_, i) => i);
		expect(countDistinct(exact)).toEqual({ nDistinct: DISTINCT_CAP, capped: true });
		const under = Float64Array.from(
			{ length: DISTINCT_CAP + 10 },
			(_, i) => i % (DISTINCT_CAP - 1)
		);
		expect(countDistinct(under)).toEqual({ nDistinct: DISTINCT_CAP - 1, capped: false });
	});
});

describe('frame builder shortcuts', () => {
	it('keeps declared missing tokens missing even when they look like yes/no or a date', () => {
		const header = ['passed', 'enrolled'];
		const records = [
			['yes', '2024-09-02'],
			['n', '1900-01-01'],
			['No', '2024-02-30'],
			['maybe', '']
		];
		const { plan } = proposePlan(header, records, {
			file: 'c.csv',
			decimal: '.',
			missingTokens: ['', 'n', '1900-01-01']
		});
		plan.columns[0].type = 'boolean';
		plan.columns[1].type = 'datetime';
		const b = createFrameBuilder(plan);
		records.forEach((r, i) => b.push(r, i + 2));
		const built = b.finish();
		const [passed, enrolled] = built.frame.columns;
		expect(passed.kind === 'numeric' && Array.from(passed.values)).toEqual([1, NaN, 0, NaN]);
		expect(enrolled.kind === 'numeric' && Array.from(enrolled.values)).toEqual([
			Date.UTC(2024, 8, 2),
			NaN,
			NaN,
			NaN
		]);
		// "n" and the sentinel date are missing, not conflicts; "maybe" and 30 February are.
		expect(Array.from(built.badCells.frameRows)).toEqual([2, 3]);
	});
});

describe('frame builder on field ranges', () => {
	const types = ['integer', 'number', 'category', 'identifier', 'text', 'boolean', 'datetime'];
	const cellText = fc.oneof(
		fc.constantFrom(
			'',
			' ',
			'NA',
			'n/a',
			'-',
			'12',
			'-3.5',
			'3,5',
			'85%',
			'1,234.5',
			'1.234,5',
			' 7 ',
			'0.12345678901234567',
			'1e3',
			'yes',
			'No',
			'Y',
			'f',
			'TRUE',
			'maybe',
			'2024-09-02',
			'2024-02-30',
			'1900-01-01',
			'03/09/2024',
			'2024-09-02T10:00:00Z',
			'Red',
			' Red',
			'Red ',
			'Blue',
			'é',
			'S0001',
			'a long category name over thirteen'
		),
		fc.string({ maxLength: 5 }),
		fc.integer({ min: 0, max: 40 }).map((i) => `S${String(i).padStart(4, '0')}`)
	);
	const setup = fc.record({
		kinds: fc.array(fc.constantFrom(...types), { minLength: 1, maxLength: 6 }),
		decimal: fc.constantFrom<'.' | ','>('.', ','),
		missing: fc.constantFrom(
			['', 'NA', 'n/a', '-'],
			['', 'n', '1900-01-01', 'Red'],
			['', 'none', '7']
		),
		order: fc.constantFrom<'dmy' | 'mdy'>('dmy', 'mdy')
	});

	it('builds the frame push() builds from the same cells', () => {
		fc.assert(
			fc.property(
				setup.chain((s) =>
					fc.tuple(
						fc.constant(s),
						fc.array(fc.array(cellText, { minLength: s.kinds.length, maxLength: s.kinds.length }), {
							maxLength: 60
						}),
						// Repeats, as real columns have, so the remembered spellings are used.
						fc.integer({ min: 1, max: 400 })
					)
				),
				([s, rows, repeat]) => {
					const header = s.kinds.map((_, i) => `c${i}`);
					const { plan } = proposePlan(header, rows, {
						file: 'f.csv',
						decimal: s.decimal,
						missingTokens: [...s.missing]
					});
					plan.columns.forEach((c, i) => {
						c.type = s.kinds[i] as typeof c.type;
						c.dateOrder = s.order;
					});
					const all = Array.from({ length: repeat }, (_, i) => rows[i % Math.max(1, rows.length)])
						.filter((r) => r !== undefined)
						.concat(rows);
					const viaCells = createFrameBuilder(plan);
					const viaFields = createFrameBuilder(plan);
					const starts = new Int32Array(header.length + 3);
					const ends = new Int32Array(header.length + 3);
					all.forEach((cells, r) => {
						viaCells.push(cells, r + 2);
						// The cells inside a longer text, as the reader leaves them.
						let text = '#';
						cells.forEach((c, k) => {
							starts[k] = text.length;
							text += c;
							ends[k] = text.length;
							text += '|';
						});
						viaFields.pushFields(text, starts, ends, r + 2);
					});
					const a = viaCells.finish();
					const b = viaFields.finish();
					expect(b.frame.nRows).toBe(a.frame.nRows);
					a.frame.columns.forEach((col, j) => {
						const other = b.frame.columns[j];
						expect(other.type).toBe(col.type);
						if (col.kind === 'numeric' && other.kind === 'numeric') {
							expect(Array.from(other.values).every((v, i) => Object.is(v, col.values[i]))).toBe(
								true
							);
						} else if (col.kind === 'categorical' && other.kind === 'categorical') {
							expect(Array.from(other.codes)).toEqual(Array.from(col.codes));
							expect(other.dictionary).toEqual(col.dictionary);
						} else {
							expect(other.kind).toBe(col.kind);
						}
					});
					expect(b.badCells).toEqual(a.badCells);
					expect(b.sourceRows).toEqual(a.sourceRows);
					expect(b.issues.issues).toEqual(a.issues.issues);
				}
			),
			{ numRuns: 300 }
		);
	});
});

describe('frame builder on whole lines', () => {
	const cellText = fc.oneof(
		fc.constantFrom(
			'',
			' ',
			'NA',
			'-',
			'%',
			'-%',
			'12',
			'-0',
			'-3.5',
			'3,5',
			'85%',
			'8%5',
			'1.2.3',
			'1,234.5',
			'0.12345678901234567',
			'1'.repeat(45),
			'yes',
			'No',
			'Y',
			'maybe',
			'2024-09-02',
			'2024-09-021',
			'2024-02-30',
			'1900-01-01',
			'03/09/2024',
			'Red',
			'Red ',
			'Redder',
			'Re',
			'Blue',
			'S0001'
		),
		fc.string({ maxLength: 4 }),
		fc.integer({ min: 0, max: 40 }).map((i) => `S${String(i).padStart(4, '0')}`)
	);
	const types = ['integer', 'number', 'category', 'identifier', 'boolean', 'datetime'];

	it('builds the frame push() builds, taking back lines with another number of fields', () => {
		fc.assert(
			fc.property(
				fc.record({
					kinds: fc.array(fc.constantFrom(...types), { minLength: 2, maxLength: 5 }),
					delimiter: fc.constantFrom(',', ';', '\t', '|'),
					decimal: fc.constantFrom<'.' | ','>('.', ','),
					missing: fc.constantFrom(['', 'NA', '-'], ['', 'n', '1900-01-01', 'Red']),
					// The plan's columns in the file's order, or some other order.
					shuffle: fc.boolean()
				}),
				fc.array(
					fc.tuple(
						fc.array(cellText, { minLength: 1, maxLength: 7 }),
						fc.integer({ min: 1, max: 5 })
					),
					{ maxLength: 60 }
				),
				(s, raw) => {
					const width = s.kinds.length;
					const header = s.kinds.map((_, i) => `c${i}`);
					// Cells never hold the delimiter in a quote-free line; most rows have `width`.
					const rows = raw.map(([cells, odd]) => {
						const clean = cells.map((c) => c.split(s.delimiter).join(''));
						if (odd > 1) return Array.from({ length: width }, (_, i) => clean[i % clean.length]);
						return clean;
					});
					const { plan } = proposePlan(header, rows, {
						file: 'l.csv',
						decimal: s.decimal,
						missingTokens: [...s.missing]
					});
					plan.columns.forEach((c, i) => (c.type = s.kinds[i] as typeof c.type));
					if (s.shuffle) plan.columns.reverse();
					const fit = (cells: string[]) =>
						cells.length > width
							? cells.slice(0, width)
							: [...cells, ...Array<string>(width - cells.length).fill('')];
					const ref = createFrameBuilder(plan);
					const viaLines = createFrameBuilder(plan);
					let taken = 0;
					// Each row three times over, so that remembered spellings come into play.
					const all = [...rows, ...rows, ...rows];
					all.forEach((cells, i) => {
						ref.push(fit(cells), i + 2);
						const line = `##${cells.join(s.delimiter)}`;
						const code = s.delimiter.charCodeAt(0);
						if (viaLines.pushLine(line, 2, line.length, i + 2, code, width)) taken++;
						else viaLines.push(fit(cells), i + 2);
					});
					const a = ref.finish();
					const b = viaLines.finish();
					expect(b.frame.nRows).toBe(a.frame.nRows);
					a.frame.columns.forEach((col, j) => {
						const other = b.frame.columns[j];
						expect(other.type).toBe(col.type);
						if (col.kind === 'numeric' && other.kind === 'numeric') {
							for (let r = 0; r < col.values.length; r++)
								expect(Object.is(other.values[r], col.values[r])).toBe(true);
						} else if (col.kind === 'categorical' && other.kind === 'categorical') {
							expect(Array.from(other.codes)).toEqual(Array.from(col.codes));
							expect(other.dictionary).toEqual(col.dictionary);
						} else {
							expect(other.kind).toBe(col.kind);
						}
					});
					expect(b.badCells).toEqual(a.badCells);
					expect(b.sourceRows).toEqual(a.sourceRows);
					expect(b.issues.issues).toEqual(a.issues.issues);
					// Lines of the right width are taken (a ragged one never is).
					const fitting = all.filter((c) => c.length === width).length;
					expect(taken).toBe(fitting);
				}
			),
			{ numRuns: 400 }
		);
	});
});
