import { describe, expect, it } from 'vitest';
import { distanceKernels } from '../../../src/lib/ml/cluster/kmeans-kernels';
import { dist2, dist2Until } from '../../../src/lib/ml/cluster/kmeans-matrix';
import { createRng } from '../../../src/lib/ml/random';

describe('specialised distance kernels', () => {
	it('give the generic dist2 and dist2Until bit for bit, for d = 1..20', () => {
		const rng = createRng(7);
		for (let d = 1; d <= 20; d++) {
			const { dist2: k2, dist2Until: kU, d: kd } = distanceKernels(d);
			expect(kd).toBe(d);
			const rows = 12;
			// Mixed scales and offsets so that summation order would show in the last bits.
			const A = Float64Array.from({ length: rows * d }, () => rng.normal() * 10 ** rng.int(4));
			const B = Float64Array.from({ length: rows * d }, () => rng.uniform(-3, 3) + 1e3);
			for (let i = 0; i < rows; i++) {
				for (let j = 0; j < rows; j++) {
					const a = i * d;
					const b = j * d;
					const full = dist2(A, a, B, b, d);
					expect(k2(A, a, B, b)).toBe(full);
					for (const limit of [0, full * 0.25, full * 0.5, full, full * 2, Infinity]) {
						expect(kU(A, a, B, b, limit)).toBe(dist2Until(A, a, B, b, d, limit));
					}
				}
			}
		}
	});

	it('stop early only with a lower bound above the limit', () => {
		const d = 9;
		const { dist2Until: kU } = distanceKernels(d);
		const A = Float64Array.from({ length: d }, (_, f) => (f < 4 ? 10 : 0));
		const B = new Float64Array(d);
		const full = dist2(A, 0, B, 0, d);
		const early = kU(A, 0, B, 0, 1);
		expect(early).toBeGreaterThan(1);
		expect(early).toBeLessThanOrEqual(full);
		expect(kU(A, 0, B, 0, full)).toBe(full);
	});
});
