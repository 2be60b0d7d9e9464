/**
 * The data of the k-means benchmarks, the same in Node and in a browser worker: blobs-like,
 * K = 5 centres drawn uniformly in [−5, 5]^8, each row a centre plus N(0, 2²) noise per feature
 * (overlapping enough that k-means needs several iterations; scikit-learn separates them with
 * ARI ≈ 0.93).
 */
import type { Matrix } from '../src/lib/ml/cluster/types';
import { createRng } from '../src/lib/ml/random';

export const D = 8;
export const K = 5;

export function blobs(n: number, seed: number): Matrix {
	const rng = createRng(seed);
	const centers = Array.from({ length: K * D }, () => rng.uniform(-5, 5));
	const data = new Float64Array(n * D);
	for (let i = 0, o = 0; i < n; i++) {
		const c = rng.int(K) * D;
		for (let f = 0; f < D; f++, o++) data[o] = centers[c + f] + 2 * rng.normal();
	}
	return { data, n, d: D };
}
