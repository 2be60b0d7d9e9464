import { describe, expect, it } from 'vitest';
import { collectPredictions, predictionKey, type PredictionSource } from '$lib/ml/outcomes';

const src = (over: Partial<PredictionSource>): PredictionSource => ({
	at: 1,
	datasetId: 'd1',
	predictionId: 'p1',
	studentIds: [],
	outputs: [],
	nOutputs: 1,
	classes: null,
	...over
});

describe('collectPredictions', () => {
	it('keeps the latest prediction per student and drops students repeated within a batch', () => {
		const c = collectPredictions(
			[
				src({
					at: 2,
					predictionId: 'new',
					studentIds: ['a', 'b', 'b'],
					outputs: [11, 21, 22],
					lower: [9, 19, 20],
					upper: [13, 23, 24]
				}),
				src({ at: 1, predictionId: 'old', studentIds: ['a', 'c', ''], outputs: [10, 30, 40] }),
				src({ at: 3, datasetId: 'd2', predictionId: null, studentIds: ['a'], outputs: [99] })
			],
			null
		);
		expect(c.set.studentIds).toEqual([
			predictionKey('d1', 'a'),
			predictionKey('d1', 'c'),
			predictionKey('d2', 'a')
		]);
		expect(Array.from(c.set.outputs)).toEqual([11, 30, 99]);
		expect(Array.from(c.set.lower ?? [])).toEqual([9, NaN, NaN]);
		expect(c.ambiguous).toBe(1);
		expect(c.origin.map((o) => o.predictionId)).toEqual(['new', 'old', null]);
	});

	it('puts every source into the model class order, whichever layout it used', () => {
		const classes = ['pass', 'fail'];
		const c = collectPredictions(
			[
				src({ studentIds: ['a'], outputs: [0.9], classes }),
				src({ studentIds: ['b'], outputs: [0.3, 0.7], nOutputs: 2, classes: ['fail', 'pass'] }),
				src({ studentIds: ['c'], outputs: [0.2], classes: ['fail', 'pass'] }),
				src({ studentIds: ['d'], outputs: [0.5, 0.5], nOutputs: 2, classes: ['x', 'y'] })
			],
			classes
		);
		expect(c.set.nOutputs).toBe(2);
		const out = Array.from(c.set.outputs);
		expect(out[0]).toBeCloseTo(0.1, 12);
		expect(out[1]).toBeCloseTo(0.9, 12);
		expect(out.slice(2, 4)).toEqual([0.7, 0.3]);
		expect(out[4]).toBeCloseTo(0.2, 12);
		expect(out[5]).toBeCloseTo(0.8, 12);
		expect(c.skippedSources).toBe(1);
	});
});
