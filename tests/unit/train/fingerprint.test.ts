import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	equalWidthHistogram,
	featureDistributions,
	fingerprint,
	numpyQuantile,
	OTHER_LABEL,
	selectRanks
} from '$lib/ml/train/fingerprint';
import {
	categoricalColumn,
	makeFrame,
	MISSING_CODE,
	numericColumn,
	type Frame
} from '$lib/ml/frame';
import { generateDemo } from '$lib/ml/synthetic';
import type { FeatureDistribution } from '$lib/ml/train/types';

type Numeric = Extract<FeatureDistribution, { kind: 'numeric' }>;
type Categorical = Extract<FeatureDistribution, { kind: 'categorical' }>;

function small(): Frame {
	return makeFrame([
		numericColumn('mark', [50, 61.5, NaN, 72, 0]),
		categoricalColumn('subject', ['Maths', 'English', null, 'Maths', 'Physics'])
	]);
}

describe('fingerprint', () => {
	it('is a 16-digit hex digest, stable for the same data', () => {
		const d = fingerprint(small(), ['mark', 'subject']);
		expect(d).toMatch(/^[0-9a-f]{16}$/);
		expect(fingerprint(small(), ['mark', 'subject'])).toBe(d);
	});

	it('changes when one value changes, numeric or categorical', () => {
		const demo = generateDemo('course-records').frame;
		const cols = ['midterm_marks', 'final_marks', 'subject'];
		const base = fingerprint(demo, cols);
		const mid = demo.columns.find((c) => c.name === 'midterm_marks');
		const subj = demo.columns.find((c) => c.name === 'subject');
		if (mid?.kind !== 'numeric' || subj?.kind !== 'categorical') throw new Error('demo changed');
		const values = mid.values.slice();
		values[500] += 1;
		const codes = subj.codes.slice();
		codes[700] = (codes[700] + 1) % subj.dictionary.length;
		const withValue = {
			...demo,
			columns: demo.columns.map((c) => (c === mid ? { ...mid, values } : c))
		};
		const withCode = {
			...demo,
			columns: demo.columns.map((c) => (c === subj ? { ...subj, codes } : c))
		};
		expect(fingerprint(withValue, cols)).not.toBe(base);
		expect(fingerprint(withCode, cols)).not.toBe(base);
	});

	it('hashes labels, not codes: another dictionary order gives the same digest', () => {
		const a = makeFrame([categoricalColumn('g', ['A', 'B', 'A', null, 'C'])]);
		const dict = ['C', 'B', 'A'];
		const b = makeFrame([
			{
				kind: 'categorical',
				name: 'g',
				type: 'category',
				codes: Uint32Array.from([2, 1, 2, MISSING_CODE, 0]),
				dictionary: dict
			}
		]);
		expect(fingerprint(b, ['g'])).toBe(fingerprint(a, ['g']));
		// …while a missing cell is not the same as any label.
		const c = makeFrame([categoricalColumn('g', ['A', 'B', 'A', 'C', 'C'])]);
		expect(fingerprint(c, ['g'])).not.toBe(fingerprint(a, ['g']));
	});

	it('is sensitive to row order, column order and column names', () => {
		const f = small();
		const all = fingerprint(f, ['mark', 'subject']);
		expect(fingerprint(f, ['mark', 'subject'], [1, 0, 2, 3, 4])).not.toBe(all);
		expect(fingerprint(f, ['mark', 'subject'], [0, 1, 2, 3, 4])).toBe(all);
		expect(fingerprint(f, ['subject', 'mark'])).not.toBe(all);
		const renamed = makeFrame([numericColumn('marks', [50, 61.5, NaN, 72, 0])]);
		expect(fingerprint(renamed, ['marks'])).not.toBe(fingerprint(f, ['mark']));
	});

	it('treats every NaN as one missing value and -0 as 0', () => {
		const quiet = makeFrame([numericColumn('x', [1, NaN, 0])]);
		const odd = new Float64Array([1, 0, -0]);
		new Uint32Array(odd.buffer)[3] = 0x7ff80000 | 0x1234; // another NaN payload
		new Uint32Array(odd.buffer)[2] = 0xdead;
		expect(Number.isNaN(odd[1])).toBe(true);
		expect(fingerprint(makeFrame([numericColumn('x', odd)]), ['x'])).toBe(
			fingerprint(quiet, ['x'])
		);
	});

	it('a subset of rows equals the digest of those rows taken out', () => {
		const f = generateDemo('marks').frame;
		const rows = [5, 3, 99, 0, 42];
		const cols = ['attendance', 'gender', 'final_exam'];
		const taken = makeFrame(
			f.columns.map((c) =>
				c.kind === 'numeric'
					? numericColumn(
							c.name,
							rows.map((r) => c.values[r])
						)
					: { ...c, codes: Uint32Array.from(rows, (r) => c.codes[r]) }
			)
		);
		expect(fingerprint(f, cols, rows)).toBe(fingerprint(taken, cols));
	});

	it('throws a readable error for an unknown column', () => {
		expect(() => fingerprint(small(), ['nope'])).toThrow(/"nope" is not in this data/);
	});
});

// Reference values from numpy 2.4.6: np.percentile(a, range(0, 101, 10)), np.histogram(a, 20).
const A = [
	3.5, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8.25, 9, 7, 9, 3, 2, 3, 8, 4, 0.1, 0.7, 13.3, -2.2, 5.55, 6.01,
	7.77
];
const A_QUANTILES = [-2.2, 0.88, 2.0, 3.0, 3.7, 5.0, 5.33, 6.207999999999999, 7.954, 9.0, 13.3];
const A_COUNTS = [1, 0, 1, 1, 2, 2, 3, 1, 2, 3, 3, 1, 1, 2, 3, 0, 0, 0, 0, 1];
const A_EDGES = [
	-2.2, -1.4250000000000003, -0.6500000000000001, 0.125, 0.8999999999999999, 1.6749999999999998,
	2.45, 3.2249999999999996, 4.0, 4.775, 5.55, 6.325, 7.1000000000000005, 7.875000000000001,
	8.649999999999999, 9.425, 10.2, 10.975000000000001, 11.75, 12.524999999999999, 13.3
];

describe('featureDistributions (numeric)', () => {
	it('matches numpy to the last bit on quantiles, mean, std and histogram', () => {
		const f = makeFrame([numericColumn('a', [NaN, ...A, NaN, Infinity])]);
		const [d] = featureDistributions(f, ['a']) as [Numeric];
		expect(d.kind).toBe('numeric');
		expect(d.count).toBe(27);
		expect(d.missingRate).toBeCloseTo(3 / 30, 15);
		expect(d.quantiles).toEqual(A_QUANTILES);
		expect(d.mean).toBeCloseTo(4.777037037037037, 13);
		expect(d.std).toBeCloseTo(3.386770355821709, 13);
		expect([d.min, d.max]).toEqual([-2.2, 13.3]);
		expect(d.histogram.counts).toEqual(A_COUNTS);
		expect(d.histogram.edges).toEqual(A_EDGES);
	});

	it('matches numpy on 998 values whose quantiles fall between order statistics', () => {
		const v = Float64Array.from(
			{ length: 998 },
			(_, i) => ((i * 7919) % 1009) / 7.3 + (i % 13) * 0.11
		);
		const [d] = featureDistributions(makeFrame([numericColumn('v', v)]), ['v']) as [Numeric];
		expect(d.quantiles).toEqual([
			0.0, 14.560589041095893, 28.041890410958903, 41.96820547945205, 55.80569863013699,
			69.74260273972602, 83.50972602739725, 97.51990410958904, 111.27934246575343,
			125.16021917808219, 139.29219178082192
		]);
		expect(d.histogram.counts).toEqual([
			46, 51, 50, 50, 50, 51, 51, 50, 49, 50, 51, 50, 49, 50, 52, 50, 50, 51, 51, 46
		]);
		expect(d.mean).toBeCloseTo(69.76683764789853, 11);
		expect(d.std).toBeCloseTo(39.948249126347555, 11);
	});

	it('uses numpy’s lerp, which turns around at t ≥ 0.5 (a plain lerp is one ulp off here)', () => {
		const v = Float64Array.of(1.44, 3.12, 4.09, 4.23, 5.5, 8.28, 9.49, 9.5);
		expect(numpyQuantile(v, 0.7)).toBe(8.001999999999997);
		const [d] = featureDistributions(makeFrame([numericColumn('v', v)]), ['v']) as [Numeric];
		expect(d.quantiles).toEqual([
			1.44, 2.616, 3.508, 4.104, 4.202, 4.865, 6.056, 8.001999999999997, 9.006, 9.493, 9.5
		]);
	});

	it('uses only the given rows and makes one bin of all-equal values', () => {
		const f = makeFrame([numericColumn('x', [7, 1, 7, 2, 7])]);
		const [d] = featureDistributions(f, ['x'], [0, 2, 4]) as [Numeric];
		expect(d.count).toBe(3);
		expect(d.std).toBe(0);
		expect(d.quantiles).toEqual(Array(11).fill(7));
		expect(d.histogram).toEqual({ edges: [7, 7], counts: [3] });
	});

	it('stays JSON-safe when a column has no values at all', () => {
		const f = makeFrame([numericColumn('x', [NaN, NaN]), numericColumn('z', [-0, 0])]);
		const d = featureDistributions(f, ['x', 'z']);
		expect(JSON.parse(JSON.stringify(d))).toEqual(d);
		expect(d[0]).toMatchObject({ count: 0, missingRate: 1, quantiles: [] });
	});

	it('quantiles are monotone and within min..max (property)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN)), {
					minLength: 1,
					maxLength: 200
				}),
				(xs) => {
					const [d] = featureDistributions(makeFrame([numericColumn('x', xs)]), ['x']) as [Numeric];
					if (d.count === 0) return;
					expect(d.quantiles[0]).toBe(d.min);
					expect(d.quantiles[10]).toBe(d.max);
					for (let k = 1; k <= 10; k++) {
						expect(d.quantiles[k]).toBeGreaterThanOrEqual(d.quantiles[k - 1]);
						expect(d.quantiles[k]).toBeLessThanOrEqual(d.max);
					}
					expect(d.histogram.counts.reduce((s, c) => s + c, 0)).toBe(d.count);
				}
			)
		);
	});

	it('selectRanks puts the asked ranks where a sort would, keeping the values (property)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true })), {
					minLength: 1,
					maxLength: 400
				}),
				fc.array(fc.nat(), { maxLength: 25 }),
				(xs, picks) => {
					const a = Float64Array.from(xs);
					const sorted = Float64Array.from(xs).sort();
					const ranks = [...new Set(picks.map((p) => p % a.length))].sort((x, y) => x - y);
					selectRanks(a, ranks);
					for (const k of ranks) expect(a[k] === sorted[k]).toBe(true); // -0 and 0 tie
					expect(Float64Array.from(a).sort()).toEqual(sorted);
				}
			)
		);
	});

	it('numpyQuantile and equalWidthHistogram handle the edges', () => {
		expect(numpyQuantile(new Float64Array(0), 0.5)).toBeNaN();
		expect(numpyQuantile(Float64Array.of(4), 0.3)).toBe(4);
		expect(equalWidthHistogram(new Float64Array(0), 0, 0)).toEqual({ edges: [], counts: [] });
	});
});

describe('featureDistributions (categorical)', () => {
	it('gives shares of the non-missing rows, most frequent first, ties by label', () => {
		const f = makeFrame([categoricalColumn('c', ['b', 'a', 'b', null, 'c', 'a', 'd', 'b'])]);
		const [d] = featureDistributions(f, ['c']) as [Categorical];
		expect(d.count).toBe(7);
		expect(d.missingRate).toBeCloseTo(1 / 8, 15);
		expect(d.categories).toEqual([
			{ label: 'b', share: 3 / 7 },
			{ label: 'a', share: 2 / 7 },
			{ label: 'c', share: 1 / 7 },
			{ label: 'd', share: 1 / 7 }
		]);
	});

	it('keeps the top 50 and sums the rest into "(other)"', () => {
		const labels: string[] = [];
		for (let k = 0; k < 60; k++) for (let r = 0; r <= k; r++) labels.push(`L${k}`);
		const [d] = featureDistributions(makeFrame([categoricalColumn('c', labels)]), ['c']) as [
			Categorical
		];
		expect(d.categories).toHaveLength(51);
		expect(d.categories[0].label).toBe('L59');
		expect(d.categories[50].label).toBe(OTHER_LABEL);
		expect(d.categories[50].share).toBeCloseTo(55 / labels.length, 12); // 1+…+10 rows
		expect(d.categories.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 12);
	});

	it('describes the course-records demo in plain JSON', () => {
		const f = generateDemo('course-records').frame;
		const d = featureDistributions(f, ['subject', 'attendance_percentage', 'quiz_marks']);
		expect(JSON.parse(JSON.stringify(d))).toEqual(d);
		expect(d.map((x) => x.kind)).toEqual(['categorical', 'numeric', 'numeric']);
		expect((d[1] as Numeric).missingRate).toBeGreaterThan(0);
	});
});
