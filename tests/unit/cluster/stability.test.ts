/** Bootstrap stability: ARI per resample against the original labels, per-cluster Jaccard. */
import { describe, expect, it } from 'vitest';
import { kmeans } from '../../../src/lib/ml/cluster/kmeans';
import { bootstrapStability, kmeansStability } from '../../../src/lib/ml/cluster/stability';
import type { Matrix } from '../../../src/lib/ml/cluster/types';
import { CancelSource, CancelledError } from '../../../src/lib/ml/progress';
import { createRng } from '../../../src/lib/ml/random';

function blobs(n: number, k: number, seed: number, spread: number): Matrix {
	const rng = createRng(seed);
	const data = new Float64Array(n * 2);
	for (let i = 0; i < n; i++) {
		const c = i % k;
		data[i * 2] = c * 10 + spread * rng.normal();
		data[i * 2 + 1] = (c % 2) * 10 + spread * rng.normal();
	}
	return { data, n, d: 2 };
}

describe('bootstrap stability', () => {
	it('is high for well-separated groups, with per-group Jaccard near 1', () => {
		const X = blobs(300, 3, 1, 0.5);
		const fit = kmeans(X, { k: 3, seed: 0 });
		const r = kmeansStability(X, fit, { seed: 1, resamples: 20, nInit: 3 });
		expect(r.resamples).toBe(20);
		expect(r.ari.length).toBe(20);
		expect(r.meanAri).toBeGreaterThan(0.99);
		expect(r.clusterJaccard.every((j) => j > 0.99)).toBe(true);
		expect(r.verdict).toBe('stable');
		expect(r.explanation).toContain('20 resampled versions');
		expect(r.ariLow).toBeLessThanOrEqual(r.medianAri);
		expect(r.medianAri).toBeLessThanOrEqual(r.ariHigh);
	});

	it('is low when the groups are an arbitrary cut of noise', () => {
		const rng = createRng(2);
		const X = { data: Float64Array.from({ length: 400 }, () => rng.normal()), n: 200, d: 2 };
		const fit = kmeans(X, { k: 6, seed: 0 });
		const r = kmeansStability(X, fit, { seed: 1, resamples: 15, nInit: 1 });
		expect(r.meanAri).toBeLessThan(0.8);
		expect(r.verdict).not.toBe('stable');
	});

	it('compares labels on the drawn rows, with any reclustering function, deterministically', () => {
		const X = blobs(60, 2, 3, 0.3);
		const reference = Int32Array.from({ length: 60 }, (_, i) => i % 2);
		// A "clustering" that splits by the first feature reproduces the reference exactly.
		const split = (Xb: Matrix) =>
			Int32Array.from({ length: Xb.n }, (_, i) => (Xb.data[i * 2] > 5 ? 1 : 0));
		const r = bootstrapStability(X, reference, split, { seed: 4, resamples: 10 });
		expect(Array.from(r.ari)).toEqual(new Array(10).fill(1));
		// Seeds handed to the function differ per resample, and the whole run repeats exactly.
		const seeds: number[] = [];
		const rnd = (Xb: Matrix, s: number) => {
			seeds.push(s);
			const g = createRng(s);
			return Int32Array.from({ length: Xb.n }, () => g.int(2));
		};
		const a = bootstrapStability(X, reference, rnd, { seed: 4, resamples: 5 });
		const b = bootstrapStability(X, reference, rnd, { seed: 4, resamples: 5 });
		expect(new Set(seeds.slice(0, 5)).size).toBe(5);
		expect(b.ari).toEqual(a.ari);
	});

	it('reports progress and can be cancelled between resamples', () => {
		const X = blobs(100, 2, 5, 0.5);
		const fit = kmeans(X, { k: 2, seed: 0 });
		const cancel = new CancelSource();
		const phases: string[] = [];
		expect(() =>
			kmeansStability(X, fit, {
				seed: 0,
				resamples: 50,
				cancel,
				onProgress: (p) => {
					phases.push(p.phase);
					if (phases.length === 3) cancel.cancel();
				}
			})
		).toThrow(CancelledError);
		expect(phases[0]).toBe('Checking stability — resample 1 of 50');
	});
});
