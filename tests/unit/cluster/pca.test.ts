import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { pca2, project2, symmetricEigen } from '../../../src/lib/ml/cluster/pca';
import { createRng } from '../../../src/lib/ml/random';

// Expected values from scikit-learn 1.2's PCA(2, svd_solver='full'): bench/make-cluster-fixtures-2.py.
interface PcaFixture {
	cases: {
		name: string;
		n: number;
		d: number;
		data: number[];
		explained: number[];
		components: number[];
		mean: number[];
		coords: number[];
	}[];
}
const fixture = JSON.parse(
	readFileSync(new URL('../../fixtures/cluster/pca.json', import.meta.url), 'utf8')
) as PcaFixture;

describe('pca2 vs scikit-learn', () => {
	for (const c of fixture.cases) {
		it(`${c.name}: explained ratios to 1e-9; components, coordinates and mean equal up to sign`, () => {
			const p = pca2({ data: Float64Array.from(c.data), n: c.n, d: c.d });
			expect(Math.abs(p.explained[0] - c.explained[0])).toBeLessThan(1e-9);
			expect(Math.abs(p.explained[1] - c.explained[1])).toBeLessThan(1e-9);
			c.mean.forEach((m, j) => expect(p.mean[j]).toBeCloseTo(m, 10));
			for (let r = 0; r < 2; r++) {
				// scikit-learn 1.2 fixes signs by the scores (svd_flip on U); we fix them by loadings.
				const sign = Math.sign(
					Array.from(
						{ length: c.d },
						(_, j) => p.components[r * c.d + j] * c.components[r * c.d + j]
					).reduce((a, b) => a + b, 0)
				);
				for (let j = 0; j < c.d; j++)
					expect(p.components[r * c.d + j]).toBeCloseTo(sign * c.components[r * c.d + j], 9);
				for (let i = 0; i < c.n; i++)
					expect(p.coords[2 * i + r]).toBeCloseTo(sign * c.coords[2 * i + r], 8);
			}
		});
	}
});

describe('pca2 conventions and edge cases', () => {
	it("each component's largest-magnitude loading is positive", () => {
		for (const c of fixture.cases) {
			const p = pca2({ data: Float64Array.from(c.data), n: c.n, d: c.d });
			for (let r = 0; r < 2; r++) {
				const row = Array.from(p.components.subarray(r * c.d, r * c.d + c.d));
				const big = row.reduce((b, v, j) => (Math.abs(v) > Math.abs(row[b]) ? j : b), 0);
				expect(row[big]).toBeGreaterThan(0);
			}
		}
	});
	it('constant data: no variance, zero coordinates, no NaN', () => {
		const p = pca2({ data: new Float64Array(30).fill(4), n: 10, d: 3 });
		expect(p.explained).toEqual([0, 0]);
		expect(Array.from(p.coords).every((v) => v === 0)).toBe(true);
		expect(Array.from(p.components).every(Number.isFinite)).toBe(true);
	});
	it('one feature, one row and two rows', () => {
		const one = pca2({ data: Float64Array.from([1, 2, 4]), n: 3, d: 1 });
		expect(one.explained).toEqual([1, 0]);
		expect(Array.from(one.components)).toEqual([1, 0]);
		expect(one.coords[0]).toBeCloseTo(-4 / 3, 12);
		const single = pca2({ data: Float64Array.from([1, 2]), n: 1, d: 2 });
		expect(Array.from(single.coords)).toEqual([0, 0]);
		const two = pca2({ data: Float64Array.from([0, 0, 3, 4]), n: 2, d: 2 });
		expect(two.explained[0]).toBeCloseTo(1, 12);
		expect(Math.hypot(two.coords[0] - two.coords[2], two.coords[1] - two.coords[3])).toBeCloseTo(
			5,
			12
		);
	});
	it('Jacobi eigen-decomposition reconstructs the matrix', () => {
		const A = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
		const { values, vectors } = symmetricEigen(A, 3);
		expect(values[0]).toBeGreaterThanOrEqual(values[1]);
		for (let a = 0; a < 3; a++) {
			for (let b = 0; b < 3; b++) {
				let s = 0;
				for (let r = 0; r < 3; r++) s += values[r] * vectors[r * 3 + a] * vectors[r * 3 + b];
				expect(s).toBeCloseTo(A[a * 3 + b], 12);
			}
		}
	});
});

describe('pca2 properties', () => {
	it('coordinates are centred, components orthonormal, ratios ordered, project2 agrees', () => {
		fc.assert(
			fc.property(
				fc.record({
					n: fc.integer({ min: 2, max: 60 }),
					d: fc.integer({ min: 2, max: 7 }),
					seed: fc.integer()
				}),
				({ n, d, seed }) => {
					const rng = createRng(seed);
					const scale = Array.from({ length: d }, () => rng.uniform(0.1, 5));
					const data = Float64Array.from(
						{ length: n * d },
						(_, i) => rng.normal() * scale[i % d] + 3
					);
					const p = pca2({ data, n, d });
					for (let r = 0; r < 2; r++) {
						let m = 0;
						for (let i = 0; i < n; i++) m += p.coords[2 * i + r];
						expect(Math.abs(m / n)).toBeLessThan(1e-9 * Math.max(...scale));
					}
					const dot = (a: number, b: number) =>
						Array.from(
							{ length: d },
							(_, j) => p.components[a * d + j] * p.components[b * d + j]
						).reduce((s, v) => s + v, 0);
					expect(dot(0, 0)).toBeCloseTo(1, 10);
					expect(dot(1, 1)).toBeCloseTo(1, 10);
					expect(dot(0, 1)).toBeCloseTo(0, 10);
					expect(p.explained[0]).toBeGreaterThanOrEqual(p.explained[1]);
					expect(p.explained[0] + p.explained[1]).toBeLessThanOrEqual(1 + 1e-12);
					const i = n - 1;
					const [x, y] = project2(p, data.subarray(i * d, i * d + d));
					expect(x).toBeCloseTo(p.coords[2 * i], 9);
					expect(y).toBeCloseTo(p.coords[2 * i + 1], 9);
				}
			),
			{ numRuns: 100 }
		);
	});
});
