/** The adjusted Rand index against scikit-learn's adjusted_rand_score, special cases included. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, pairConfusion } from '../../../src/lib/ml/cluster/ari';

const fixture = JSON.parse(
	readFileSync(
		fileURLToPath(new URL('../../fixtures/cluster/metrics-ari.json', import.meta.url)),
		'utf8'
	)
) as { cases: { a: number[]; b: number[]; ari: number }[] };

describe('adjusted Rand index', () => {
	it('equals scikit-learn on every stored case', () => {
		for (const c of fixture.cases) {
			const got = adjustedRandIndex(c.a, c.b);
			expect(Math.abs(got - c.ari)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(c.ari)));
		}
	});

	it('counts ordered pairs as pair_confusion_matrix does', () => {
		// 3 rows: pairs (0,1) together in both; (0,2), (1,2) apart in both.
		expect(pairConfusion([0, 0, 1], [4, 4, 2])).toEqual({ tn: 4n, fp: 0n, fn: 0n, tp: 2n });
	});

	it('is 1 for relabelled copies, symmetric, and at most 1', () => {
		const labelings = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 80 });
		fc.assert(
			fc.property(
				labelings,
				fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 80, maxLength: 80 }),
				(a, noise) => {
					const b = a.map((v, i) => (noise[i] < 2 ? noise[i] : v));
					expect(
						adjustedRandIndex(
							a,
							a.map((v) => 10 - v)
						)
					).toBe(1);
					expect(adjustedRandIndex(a, b)).toBeCloseTo(adjustedRandIndex(b, a), 14);
					expect(adjustedRandIndex(a, b)).toBeLessThanOrEqual(1);
				}
			)
		);
	});

	it('refuses labelings of different lengths', () => {
		expect(() => adjustedRandIndex([0, 1], [0])).toThrow(/different lengths/);
	});
});
