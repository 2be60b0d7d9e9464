import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { derivedLabel, matchOutcomes, parseNumber, type PredictionSet } from '$lib/ml/outcomes';

function regressionSet(ids: string[], values: number[]): PredictionSet {
	return { studentIds: ids, outputs: Float64Array.from(values), nOutputs: 1, classes: null };
}

describe('matchOutcomes', () => {
	it('pairs regression predictions with results and counts what was left out, and why', () => {
		const preds = regressionSet(['a', 'b', 'c', 'd', 'b', 'f'], [10, 20, 30, 40, 50, 60]);
		const actuals = new Map<string, number | string>([
			['a', 12],
			['b', 21],
			['c', ' 27,5 '],
			['d', 'absent'],
			['e', 5]
		]);
		const m = matchOutcomes(preds, actuals);
		expect(Array.from(m.rows)).toEqual([0, 2]);
		expect(Array.from(m.actual)).toEqual([12, 27.5]);
		expect(m.ambiguous).toBe(1); // b was predicted twice
		expect(m.unusable).toBe(1);
		expect(m.unusableExamples).toEqual(['absent']);
		expect(m.pending).toBe(1); // f has no result yet
		expect(m.unpredicted).toBe(1); // e was never predicted
	});

	it('reads class labels exactly, then loosely, and marks through a derived pass mark', () => {
		const preds: PredictionSet = {
			studentIds: ['s1', 's2', 's3', 's4', 's5', 's6'],
			outputs: Float64Array.from([0.1, 0.9, 0.5, 0.5, 0.2, 0.7]),
			nOutputs: 1,
			classes: ['pass', 'fail']
		};
		const derive = {
			kind: 'pass-fail' as const,
			source: 'final_exam',
			threshold: 50,
			passLabel: 'pass',
			failLabel: 'fail'
		};
		const actuals = new Map<string, number | string>([
			['s1', 'pass'],
			['s2', ' FAIL'],
			['s3', 49],
			['s4', 50],
			['s5', 'maybe'],
			['s6', '38']
		]);
		const m = matchOutcomes(preds, actuals, { derive });
		expect(Array.from(m.rows)).toEqual([0, 1, 2, 3, 5]);
		expect(Array.from(m.actual)).toEqual([0, 1, 1, 0, 1]);
		expect(m.unusable).toBe(1);
		// Without the derivation a mark is not a class.
		const plain = matchOutcomes(preds, actuals);
		expect(Array.from(plain.rows)).toEqual([0, 1]);
		expect(plain.unusable).toBe(4);
	});

	it('reads numeric classes written as numbers', () => {
		const preds: PredictionSet = {
			studentIds: ['x', 'y'],
			outputs: Float64Array.from([0.8, 0.3]),
			nOutputs: 1,
			classes: ['0', '1']
		};
		const m = matchOutcomes(
			preds,
			new Map([
				['x', 1],
				['y', 0]
			])
		);
		expect(Array.from(m.actual)).toEqual([1, 0]);
	});

	it('derives grades with the same rule as the training engine', () => {
		const d = {
			kind: 'grade' as const,
			source: 'mark',
			boundaries: [
				{ label: 'A', min: 70 },
				{ label: 'B', min: 60 }
			],
			below: 'F'
		};
		expect([75, 70, 69.9, 60, 12].map((v) => derivedLabel(v, d))).toEqual([
			'A',
			'A',
			'B',
			'B',
			'F'
		]);
		expect(derivedLabel(NaN, d)).toBeNull();
		expect(parseNumber('61,5')).toBe(61.5);
		expect(parseNumber('')).toBeNaN();
	});

	it('accounts for every prediction row (property)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 30 }),
				fc.dictionary(
					fc.constantFrom('a', 'b', 'c', 'd', 'h'),
					fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant('x'))
				),
				(ids, dict) => {
					const actuals = new Map(Object.entries(dict));
					const m = matchOutcomes(
						regressionSet(
							ids,
							ids.map((_, i) => i)
						),
						actuals
					);
					const counts = new Map<string, number>();
					for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
					const ambiguousRows = ids.filter((id) => (counts.get(id) ?? 0) > 1).length;
					expect(m.rows.length + m.pending + m.unusable + ambiguousRows).toBe(ids.length);
					expect(m.ambiguous).toBe([...counts.values()].filter((c) => c > 1).length);
					for (let i = 0; i < m.rows.length; i++) {
						const v = actuals.get(ids[m.rows[i]]);
						expect(v).toBe(m.actual[i]);
					}
				}
			)
		);
	});
});
