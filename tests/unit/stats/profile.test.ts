import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	histogram,
	niceStep,
	profileColumn,
	quantileSorted,
	type CategoricalProfile,
	type NumericProfile
} from '$lib/ml/stats/profile';
import { categoricalColumn, numericColumn } from '$lib/ml/frame';

// Reference numbers from numpy 1.24 (mean, std ddof=1, quantile default 'linear').
const V = [3.5, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8.25, 9, 7, 9, 3, 2, 3, 8, 4];

describe('profileColumn (numeric)', () => {
	it('matches numpy on a small column, ignoring missing values', () => {
		const p = profileColumn(numericColumn('m', [NaN, ...V, NaN])) as NumericProfile;
		expect(p.n).toBe(22);
		expect(p.missing).toBe(2);
		expect(p.mean).toBeCloseTo(4.8875, 12);
		expect(p.std).toBeCloseTo(2.7004811949373995, 12);
		expect([p.q25, p.median, p.q75]).toEqual([3, 4.5, 7.25]);
		expect([p.min, p.max]).toEqual([1, 9]);
		expect(p.distinct).toBe(11);
		expect(p.histogram.reduce((s, b) => s + b.count, 0)).toBe(20);
	});

	it('gives one bar per value for small integer ranges', () => {
		const p = profileColumn(
			numericColumn('year', [1, 2, 2, 3, 4, 4, 4], 'integer')
		) as NumericProfile;
		expect(p.histogram.map((b) => b.count)).toEqual([1, 2, 1, 3]);
		expect(p.histogram[0].x0).toBe(0.5);
	});

	it('handles all-missing and single-value columns without NaN bins', () => {
		const empty = profileColumn(numericColumn('x', [NaN, NaN])) as NumericProfile;
		expect(empty.missing).toBe(2);
		expect(empty.histogram).toEqual([]);
		expect(Number.isNaN(empty.mean)).toBe(true);
		const one = profileColumn(numericColumn('x', [5, 5, 5])) as NumericProfile;
		expect(one.std).toBe(0);
		expect(one.histogram.reduce((s, b) => s + b.count, 0)).toBe(3);
	});

	it('is numerically stable for timestamps', () => {
		const t0 = 1.7e12;
		const p = profileColumn(numericColumn('t', [t0, t0 + 1, t0 + 2], 'datetime')) as NumericProfile;
		expect(p.mean).toBe(t0 + 1);
		expect(p.std).toBeCloseTo(1, 9);
	});
});

describe('histogram', () => {
	it('counts every value exactly once, whatever the data (property)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
				fc.integer({ min: 1, max: 40 }),
				(xs, bins) => {
					const v = Float64Array.from(xs);
					const min = Math.min(...xs);
					const max = Math.max(...xs);
					const h = histogram(v, min, max, { bins });
					expect(h.reduce((s, b) => s + b.count, 0)).toBe(xs.length);
					expect(h[0].x0).toBeLessThanOrEqual(min);
					expect(h[h.length - 1].x1).toBeGreaterThanOrEqual(max);
					expect(h.length).toBeLessThanOrEqual(bins * 2.5 + 2);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('uses nice steps', () => {
		expect(niceStep(0, 100, 10)).toBe(10);
		expect(niceStep(0, 1, 20)).toBe(0.05);
		expect(niceStep(0, 7, 20)).toBe(0.5);
	});
});

describe('quantileSorted', () => {
	it('interpolates like numpy', () => {
		const s = Float64Array.from([1, 2, 3, 4]);
		expect(quantileSorted(s, 0.5)).toBe(2.5);
		expect(quantileSorted(s, 0.25)).toBe(1.75);
		expect(Number.isNaN(quantileSorted(new Float64Array(0), 0.5))).toBe(true);
	});
});

describe('profileColumn (categorical)', () => {
	it('lists the most frequent values and counts the rest', () => {
		const values = ['b', 'a', 'b', null, 'c', 'b', 'a', 'd', null];
		const p = profileColumn(categoricalColumn('g', values), { top: 2 }) as CategoricalProfile;
		expect(p.missing).toBe(2);
		expect(p.distinct).toBe(4);
		expect(p.top).toEqual([
			{ value: 'b', count: 3 },
			{ value: 'a', count: 2 }
		]);
		expect(p.otherCount).toBe(2);
	});
});
