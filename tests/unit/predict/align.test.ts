import { describe, expect, it } from 'vitest';
import { alignFrame } from '../../../src/lib/ml/predict/align';
import { categoricalColumn, makeFrame, numericColumn } from '../../../src/lib/ml/frame';
import type { FeatureDistribution } from '../../../src/lib/ml/train/types';
import { AppException } from '../../../src/lib/errors';

const dists: FeatureDistribution[] = [
	{
		name: 'attendance',
		kind: 'numeric',
		count: 3,
		missingRate: 0,
		mean: 5,
		std: 1,
		min: 4,
		max: 6,
		quantiles: [],
		histogram: { edges: [], counts: [] }
	},
	{
		name: 'year',
		kind: 'categorical',
		count: 3,
		missingRate: 0,
		categories: [{ label: '1', share: 1 }]
	}
];

describe('lining an upload up with the model', () => {
	it('converts numbers read as text and categories read as numbers, keeps the id', () => {
		const frame = makeFrame([
			categoricalColumn('id', ['a', 'b', 'c'], 'identifier'),
			categoricalColumn('attendance', ['7,5', '', '8']),
			numericColumn('year', [1, 2, NaN])
		]);
		const out = alignFrame(frame, ['attendance', 'year'], dists, { keep: ['id'] });
		expect(out.columns.map((c) => c.name)).toEqual(['attendance', 'year', 'id']);
		const a = out.columns[0];
		expect(a.kind).toBe('numeric');
		if (a.kind === 'numeric') expect(Array.from(a.values)).toEqual([7.5, NaN, 8]);
		const y = out.columns[1];
		expect(y.kind).toBe('categorical');
		if (y.kind === 'categorical')
			expect(Array.from(y.codes, (c) => y.dictionary[c] ?? null)).toEqual(['1', '2', null]);
	});

	it('names every column that does not fit, and where', () => {
		const frame = makeFrame([categoricalColumn('attendance', ['high', 'low'])]);
		let caught: unknown;
		try {
			alignFrame(frame, ['attendance', 'year'], dists, { source: '"Term 2"' });
		} catch (e) {
			caught = e;
		}
		expect(caught).toBeInstanceOf(AppException);
		const err = (caught as AppException).appError;
		expect(err.code).toBe('features-mismatch');
		expect(err.message).toBe(
			'This data does not fit the model in "Term 2": "attendance" holds text, but the model learnt it as numbers; the column "year" is missing.'
		);
		expect(err.details).toEqual({ columns: 'attendance, year' });
	});
});
