/**
 * Validity indices against scikit-learn 1.2 (bench/make-cluster-fixtures.py) to 1e-9, plus the
 * cases where scikit-learn refuses (returned here as NaN) and the sampled silhouette.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	calinskiHarabasz,
	clusterSizes,
	daviesBouldin,
	inertia,
	silhouetteSamples,
	silhouetteScore
} from '../../../src/lib/ml/cluster/metrics';
import type { Matrix } from '../../../src/lib/ml/cluster/types';

interface MetricsCase {
	name: string;
	n: number;
	d: number;
	X: number[];
	labels: number[];
	silhouette: number;
	silhouette_samples: number[];
	davies_bouldin: number;
	calinski_harabasz: number;
}

const fixture = JSON.parse(
	readFileSync(
		fileURLToPath(new URL('../../fixtures/cluster/metrics-sklearn.json', import.meta.url)),
		'utf8'
	)
) as { cases: MetricsCase[] };

const close = (a: number, b: number, tol = 1e-9) =>
	expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('validity indices equal scikit-learn', () => {
	for (const c of fixture.cases) {
		describe(c.name, () => {
			const X: Matrix = { data: Float64Array.from(c.X), n: c.n, d: c.d };
			it('silhouette (mean and per row)', () => {
				close(silhouetteScore(X, c.labels), c.silhouette);
				const s = silhouetteSamples(X, c.labels);
				s.forEach((v, i) => close(v, c.silhouette_samples[i]));
			});
			it('Davies–Bouldin', () => close(daviesBouldin(X, c.labels), c.davies_bouldin));
			it('Calinski–Harabasz', () => close(calinskiHarabasz(X, c.labels), c.calinski_harabasz));
		});
	}
});

describe('validity index edge cases', () => {
	const X: Matrix = { data: Float64Array.from([0, 0, 1, 0, 5, 5, 6, 5]), n: 4, d: 2 };

	it('are NaN with one cluster or one cluster per row, as scikit-learn refuses them', () => {
		for (const labels of [
			[0, 0, 0, 0],
			[0, 1, 2, 3]
		]) {
			expect(silhouetteScore(X, labels)).toBeNaN();
			expect(daviesBouldin(X, labels)).toBeNaN();
			expect(calinskiHarabasz(X, labels)).toBeNaN();
		}
	});

	it('match hand-computed values on a tiny example', () => {
		const labels = [0, 0, 1, 1];
		// a = 1 for every row; b = mean distance to the other pair.
		const b0 = (Math.hypot(5, 5) + Math.hypot(6, 5)) / 2;
		expect(silhouetteSamples(X, labels)[0]).toBeCloseTo((b0 - 1) / b0, 12);
		// Within: 4 × 0.25 = 1; between: 4 × (2.75² + 2.5²)... per row squared distance to the mean.
		const extra = 2 * ((0.5 - 3) ** 2 + (0 - 2.5) ** 2) + 2 * ((5.5 - 3) ** 2 + (5 - 2.5) ** 2);
		expect(calinskiHarabasz(X, labels)).toBeCloseTo((extra * 2) / (1 * 1), 10);
		expect(daviesBouldin(X, labels)).toBeCloseTo((0.5 + 0.5) / Math.hypot(5, 5), 12);
	});

	it('give 0 silhouette to a singleton and 0 Davies–Bouldin to identical points', () => {
		const Y: Matrix = { data: Float64Array.from([0, 0, 0, 0, 3, 3]), n: 3, d: 2 };
		expect(silhouetteSamples(Y, [0, 0, 1])[2]).toBe(0);
		expect(daviesBouldin(Y, [0, 0, 1])).toBe(0);
		expect(
			calinskiHarabasz({ data: Float64Array.from([1, 1, 2, 2]), n: 4, d: 1 }, [0, 0, 1, 1])
		).toBe(1);
	});

	it('inertia uses given centres, or the cluster means', () => {
		const labels = [0, 0, 1, 1];
		expect(inertia(X, labels)).toBeCloseTo(4 * 0.25, 12);
		expect(inertia(X, labels, Float64Array.from([0, 0, 5, 5]))).toBe(2);
		expect(clusterSizes([0, 1, 1, -1, 2], 3)).toEqual([1, 2, 1]);
	});

	it('a sampled silhouette is seeded and close to the exact one', () => {
		const c = fixture.cases.find((x) => x.name === 'overlapping-truth') as MetricsCase;
		const X2: Matrix = { data: Float64Array.from(c.X), n: c.n, d: c.d };
		const a = silhouetteScore(X2, c.labels, { sampleSize: 300, seed: 4 });
		expect(silhouetteScore(X2, c.labels, { sampleSize: 300, seed: 4 })).toBe(a);
		expect(silhouetteScore(X2, c.labels, { sampleSize: 300, seed: 5 })).not.toBe(a);
		expect(Math.abs(a - c.silhouette)).toBeLessThan(0.05);
		// A sample as large as the data is the exact value.
		close(silhouetteScore(X2, c.labels, { sampleSize: c.n }), c.silhouette);
	});
});
