/** Choosing k: the scan, the silhouette rule with its tie preference, the elbow and warnings. */
import { describe, expect, it } from 'vitest';
import { AppException } from '../../../src/lib/errors';
import { chooseK, describeSilhouette, elbowOf } from '../../../src/lib/ml/cluster/choose-k';
import { silhouetteScore } from '../../../src/lib/ml/cluster/metrics';
import type { Matrix } from '../../../src/lib/ml/cluster/types';
import { createRng } from '../../../src/lib/ml/random';

function blobs(n: number, d: number, k: number, seed: number, spread: number): Matrix {
	const rng = createRng(seed);
	const centers = Array.from({ length: k * d }, () => rng.uniform(-10, 10));
	const data = new Float64Array(n * d);
	for (let i = 0; i < n; i++) {
		const c = i % k;
		for (let f = 0; f < d; f++) data[i * d + f] = centers[c * d + f] + spread * rng.normal();
	}
	return { data, n, d };
}

describe('chooseK', () => {
	it('finds the number of well-separated groups and explains it', () => {
		const X = blobs(400, 3, 4, 1, 0.5);
		const r = chooseK(X, { seed: 0, nInit: 4 });
		expect(r.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(r.k).toBe(4);
		expect(r.fit.k).toBe(4);
		expect(r.bySilhouette).toBe(4);
		expect(r.byDaviesBouldin).toBe(4);
		expect(r.byCalinskiHarabasz).toBe(4);
		expect(r.elbow).toBe(4);
		expect(r.weakStructure).toBe(false);
		expect(r.warnings).toEqual([]);
		expect(r.explanation).toMatch(/^4 groups fit best among 2 to 10 groups/);
		expect(r.explanation).toContain(
			'Davies–Bouldin, Calinski–Harabasz and the bend of the inertia curve agree'
		);
		const four = r.scores[2];
		expect(four.sizes).toEqual([100, 100, 100, 100]);
		expect(four.silhouette).toBeCloseTo(silhouetteScore(X, r.fit.labels), 12);
		// Inertia falls as k grows (each k has its best of several starts).
		for (let i = 1; i < r.scores.length; i++) {
			expect(r.scores[i].inertia).toBeLessThan(r.scores[i - 1].inertia);
		}
	});

	it('warns when there is no real structure', () => {
		const rng = createRng(3);
		// Gaussian noise in 8 dimensions: k-means still cuts it, but nothing separates.
		const X = { data: Float64Array.from({ length: 2400 }, () => rng.normal()), n: 300, d: 8 };
		const r = chooseK(X, { seed: 0, nInit: 2, kMax: 6 });
		expect(r.weakStructure).toBe(true);
		expect(r.warnings[0]).toMatch(/overlap a lot: the best silhouette is 0\.\d\d, under 0.25/);
		const strict = chooseK(X, { seed: 0, nInit: 2, kMax: 6, weakThreshold: 0.05 });
		expect(strict.weakStructure).toBe(false);
	});

	it('prefers fewer groups when the silhouette is practically tied', () => {
		const X = blobs(300, 2, 3, 5, 2.5);
		const loose = chooseK(X, { seed: 1, nInit: 3, kMax: 6, tieTolerance: 1 });
		expect(loose.k).toBe(2);
		const exact = chooseK(X, { seed: 1, nInit: 3, kMax: 6, tieTolerance: 0 });
		expect(exact.k).toBe(exact.bySilhouette);
		if (loose.k !== exact.k)
			expect(loose.explanation).toContain('fewer groups are easier to act on');
	});

	it('samples the silhouette for large data, the same rows for every k', () => {
		const X = blobs(1200, 2, 3, 2, 1);
		const r = chooseK(X, { seed: 0, nInit: 1, kMax: 4, silhouetteSampleSize: 500 });
		expect(r.silhouetteSampled).toBe(true);
		expect(r.explanation).toContain('random sample of 500 students');
		expect(r.k).toBe(3);
	});

	it('caps k by rows and distinct profiles, and refuses when none is left', () => {
		const tiny = { data: Float64Array.from([0, 0, 1, 1, 5, 5, 6, 6]), n: 4, d: 2 };
		expect(chooseK(tiny, { seed: 0 }).scores.map((s) => s.k)).toEqual([2, 3]);
		const twins = { data: Float64Array.from([1, 1, 1, 1, 1, 1]), n: 3, d: 2 };
		expect(() => chooseK(twins, { seed: 0 })).toThrow(AppException);
	});

	it('reports progress over the whole scan', () => {
		const fractions: number[] = [];
		chooseK(blobs(200, 2, 2, 1, 1), {
			seed: 0,
			nInit: 1,
			kMax: 4,
			onProgress: (p) => fractions.push(p.fraction)
		});
		expect(fractions.at(-1)).toBe(1);
		expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);
	});
});

describe('helpers', () => {
	it('elbow: the furthest point below the chord, or none for a straight line', () => {
		expect(elbowOf([2, 3, 4, 5, 6], [100, 40, 10, 8, 6])).toBe(4);
		expect(elbowOf([2, 3, 4], [3, 2, 1])).toBeNull();
	});
	it('silhouette reading', () => {
		expect(describeSilhouette(0.8)).toContain('strong');
		expect(describeSilhouette(0.1)).toContain('no substantial structure');
	});
});
