import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	categoricalColumn,
	cellAt,
	concatFrames,
	getColumn,
	isMissing,
	makeFrame,
	MISSING_CODE,
	numericColumn,
	requireNumeric,
	rowsAsCells,
	sliceRows,
	takeRows,
	type Cell,
	type Frame
} from '../../src/lib/ml/frame';

function sample(): Frame {
	return makeFrame([
		numericColumn('score', [1, NaN, 3.5, -2]),
		categoricalColumn('grade', ['A', null, 'B', 'A']),
		numericColumn('when', [0, 86_400_000, NaN, 1], 'datetime')
	]);
}

/** Random frames of one numeric and one categorical column, with gaps in both. */
const frameArb = fc
	.array(
		fc.tuple(
			fc.option(fc.double({ noNaN: true }), { nil: null }),
			fc.option(fc.constantFrom('a', 'b', 'c', 'd', ''), { nil: null })
		),
		{ maxLength: 30 }
	)
	.map((rows) =>
		makeFrame([
			numericColumn(
				'x',
				rows.map(([x]) => (x === null ? NaN : x))
			),
			categoricalColumn(
				'c',
				rows.map(([, c]) => c)
			)
		])
	);

const cells = (f: Frame): Cell[][] => rowsAsCells(f, 0, f.nRows);

describe('column builders', () => {
	it('keeps a Float64Array as is and copies a plain array', () => {
		const values = new Float64Array([1, 2]);
		expect(numericColumn('a', values).values).toBe(values);
		expect(numericColumn('a', [1, 2]).values).toBeInstanceOf(Float64Array);
		expect(numericColumn('a', [1]).type).toBe('number');
	});

	it('codes categories in first-seen order and maps null/undefined to MISSING_CODE', () => {
		const c = categoricalColumn('g', ['b', 'a', null, 'b', undefined, '']);
		expect(c.dictionary).toEqual(['b', 'a', '']);
		expect(Array.from(c.codes)).toEqual([0, 1, MISSING_CODE, 0, MISSING_CODE, 2]);
		expect(c.type).toBe('category');
	});
});

describe('makeFrame', () => {
	it('counts rows from the columns', () => {
		expect(sample().nRows).toBe(4);
		expect(makeFrame([]).nRows).toBe(0);
	});

	it('rejects columns of different lengths, naming the column', () => {
		expect(() => makeFrame([numericColumn('a', [1, 2]), categoricalColumn('b', ['x'])])).toThrow(
			/"b" has 1 rows; expected 2/
		);
	});

	it('rejects duplicate names', () => {
		expect(() => makeFrame([numericColumn('a', [1]), numericColumn('a', [2])])).toThrow(
			/Duplicate column name "a"/
		);
	});
});

describe('access', () => {
	const f = sample();

	it('reads cells with null for missing', () => {
		expect(cells(f)).toEqual([
			[1, 'A', 0],
			[null, null, 86_400_000],
			[3.5, 'B', null],
			[-2, 'A', 1]
		]);
		expect(isMissing(f.columns[0], 1)).toBe(true);
		expect(isMissing(f.columns[1], 1)).toBe(true);
		expect(isMissing(f.columns[1], 0)).toBe(false);
		expect(cellAt(f.columns[1], 2)).toBe('B');
	});

	it('finds columns by name and checks kinds', () => {
		expect(getColumn(f, 'grade')?.kind).toBe('categorical');
		expect(getColumn(f, 'nope')).toBeUndefined();
		expect(requireNumeric(f, 'score').values[2]).toBe(3.5);
		expect(() => requireNumeric(f, 'grade')).toThrow(TypeError);
		expect(() => requireNumeric(f, 'nope')).toThrow(/No column named "nope"/);
	});

	it('clamps rowsAsCells to the frame', () => {
		expect(rowsAsCells(f, -3, 1)).toEqual([[1, 'A', 0]]);
		expect(rowsAsCells(f, 3, 99)).toHaveLength(1);
	});
});

describe('sliceRows', () => {
	it('returns views that share memory and dictionaries', () => {
		const f = sample();
		const s = sliceRows(f, 1, 3);
		expect(s.nRows).toBe(2);
		expect(cells(s)).toEqual([
			[null, null, 86_400_000],
			[3.5, 'B', null]
		]);
		const col = s.columns[0];
		const orig = f.columns[0];
		if (col.kind !== 'numeric' || orig.kind !== 'numeric') throw new Error('kind');
		expect(col.values.buffer).toBe(orig.values.buffer);
		col.values[1] = 99;
		expect(orig.values[2]).toBe(99);
		const g = s.columns[1];
		const og = f.columns[1];
		if (g.kind !== 'categorical' || og.kind !== 'categorical') throw new Error('kind');
		expect(g.dictionary).toBe(og.dictionary);
	});

	it('clamps out-of-range and reversed bounds to an empty or partial frame', () => {
		const f = sample();
		expect(sliceRows(f, -5, 2).nRows).toBe(2);
		expect(sliceRows(f, 3, 100).nRows).toBe(1);
		expect(sliceRows(f, 3, 1).nRows).toBe(0);
		expect(sliceRows(f, 10, 20).nRows).toBe(0);
	});

	it('partitions a frame: consecutive slices concatenate back to the original', () => {
		fc.assert(
			fc.property(frameArb, fc.nat(), (f, cut) => {
				const k = f.nRows === 0 ? 0 : cut % (f.nRows + 1);
				const back = concatFrames([sliceRows(f, 0, k), sliceRows(f, k, f.nRows)]);
				expect(cells(back)).toEqual(cells(f));
			})
		);
	});
});

describe('takeRows', () => {
	it('gathers rows in the given order, repeats allowed, into copies', () => {
		const f = sample();
		const t = takeRows(f, [3, 0, 3]);
		expect(cells(t)).toEqual([
			[-2, 'A', 1],
			[1, 'A', 0],
			[-2, 'A', 1]
		]);
		const col = t.columns[0];
		if (col.kind !== 'numeric') throw new Error('kind');
		col.values[0] = 42;
		expect(requireNumeric(f, 'score').values[3]).toBe(-2);
		expect(t.columns[2].type).toBe('datetime');
	});

	it('matches cell-by-cell gathering for any index list', () => {
		fc.assert(
			fc.property(frameArb, fc.array(fc.nat(), { maxLength: 40 }), (f, raw) => {
				const rows = f.nRows === 0 ? [] : raw.map((r) => r % f.nRows);
				const all = cells(f);
				expect(cells(takeRows(f, Uint32Array.from(rows)))).toEqual(rows.map((r) => all[r]));
			})
		);
	});
});

describe('concatFrames', () => {
	it('merges dictionaries and keeps MISSING_CODE', () => {
		const a = makeFrame([numericColumn('x', [1, 2]), categoricalColumn('g', ['p', null])]);
		const b = makeFrame([numericColumn('x', [NaN]), categoricalColumn('g', ['q'])]);
		const c = makeFrame([numericColumn('x', [4, 5]), categoricalColumn('g', ['q', 'p'])]);
		const f = concatFrames([a, b, c]);
		expect(f.nRows).toBe(5);
		const g = f.columns[1];
		if (g.kind !== 'categorical') throw new Error('kind');
		expect(g.dictionary).toEqual(['p', 'q']);
		expect(Array.from(g.codes)).toEqual([0, MISSING_CODE, 1, 1, 0]);
		expect(cells(f)).toEqual([
			[1, 'p'],
			[2, null],
			[null, 'q'],
			[4, 'q'],
			[5, 'p']
		]);
	});

	it('returns an empty frame for no frames', () => {
		expect(concatFrames([])).toEqual({ nRows: 0, columns: [] });
	});

	it('rejects frames whose columns differ in name or kind', () => {
		const a = makeFrame([numericColumn('x', [1])]);
		expect(() => concatFrames([a, makeFrame([numericColumn('y', [1])])])).toThrow(/"x"/);
		expect(() => concatFrames([a, makeFrame([categoricalColumn('x', ['1'])])])).toThrow(
			/Frames differ at column 0/
		);
		expect(() => concatFrames([a, makeFrame([])])).toThrow(RangeError);
	});

	it('preserves every cell of any list of frames', () => {
		fc.assert(
			fc.property(fc.array(frameArb, { minLength: 1, maxLength: 4 }), (frames) => {
				const f = concatFrames(frames);
				expect(f.nRows).toBe(frames.reduce((s, x) => s + x.nRows, 0));
				expect(cells(f)).toEqual(frames.flatMap(cells));
				const g = f.columns[1];
				if (g.kind !== 'categorical') throw new Error('kind');
				expect(new Set(g.dictionary).size).toBe(g.dictionary.length);
			})
		);
	});
});
