import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
	cutHeight,
	cutTree,
	dendrogramLayout,
	ward,
	wardLinkage
} from '../../../src/lib/ml/cluster/ward';
import type { Matrix } from '../../../src/lib/ml/cluster/types';
import { AppException } from '../../../src/lib/errors';
import { CancelSource, CancelledError } from '../../../src/lib/ml/progress';
import { createRng } from '../../../src/lib/ml/random';

// Expected linkages from scipy 1.10's scipy.cluster.hierarchy.ward: bench/make-cluster-fixtures-2.py.
interface WardFixture {
	cases: {
		name: string;
		n: number;
		d: number;
		data: number[];
		linkage: number[];
		cuts: Record<string, number[]>;
	}[];
}
const fixture = JSON.parse(
	readFileSync(new URL('../../fixtures/cluster/ward.json', import.meta.url), 'utf8')
) as WardFixture;

/** Same partition, whatever the numbering. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
	const ab = new Map<number, number>();
	const ba = new Map<number, number>();
	for (let i = 0; i < a.length; i++) {
		if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
		ab.set(a[i], b[i]);
		ba.set(b[i], a[i]);
	}
	return true;
}

/** Textbook Ward on the full distance matrix (Lance–Williams), merge heights ascending. */
function bruteWardHeights(X: Matrix): number[] {
	const { n, d, data } = X;
	const D: number[][] = [];
	for (let i = 0; i < n; i++) {
		D.push([]);
		for (let j = 0; j < n; j++) {
			let s = 0;
			for (let t = 0; t < d; t++) s += (data[i * d + t] - data[j * d + t]) ** 2;
			D[i].push(Math.sqrt(s));
		}
	}
	const size = new Array<number>(n).fill(1);
	const alive = new Array<boolean>(n).fill(true);
	const heights: number[] = [];
	for (let step = 0; step < n - 1; step++) {
		let bx = -1;
		let by = -1;
		for (let i = 0; i < n; i++) {
			if (!alive[i]) continue;
			for (let j = i + 1; j < n; j++)
				if (alive[j] && (bx === -1 || D[i][j] < D[bx][by])) [bx, by] = [i, j];
		}
		const h = D[bx][by];
		heights.push(h);
		for (let i = 0; i < n; i++) {
			if (!alive[i] || i === bx || i === by) continue;
			const t = size[i] + size[bx] + size[by];
			const v = Math.sqrt(
				((size[i] + size[bx]) / t) * D[i][bx] ** 2 +
					((size[i] + size[by]) / t) * D[i][by] ** 2 -
					(size[i] / t) * h * h
			);
			D[i][by] = D[by][i] = v;
		}
		size[by] += size[bx];
		alive[bx] = false;
	}
	return heights.sort((a, b) => a - b);
}

function gauss(n: number, d: number, seed: number): Matrix {
	const rng = createRng(seed);
	return { data: Float64Array.from({ length: n * d }, () => rng.normal()), n, d };
}

describe('ward vs scipy', () => {
	for (const c of fixture.cases) {
		const ties = c.name.startsWith('ties');
		// The centroid form equals scipy up to rounding, so exact ties may break differently.
		for (const method of ties ? (['matrix'] as const) : (['matrix', 'centroid'] as const)) {
			it(`${c.name} (${method}): identical linkage (merge distances to 1e-9)`, () => {
				const Z = wardLinkage(Float64Array.from(c.data), c.n, c.d, { method });
				expect(Z.length).toBe(c.linkage.length);
				for (let i = 0; i < Z.length; i += 4) {
					expect(Z[i]).toBe(c.linkage[i]);
					expect(Z[i + 1]).toBe(c.linkage[i + 1]);
					expect(Math.abs(Z[i + 2] - c.linkage[i + 2])).toBeLessThan(
						1e-9 * Math.max(1, c.linkage[i + 2])
					);
					expect(Z[i + 3]).toBe(c.linkage[i + 3]);
				}
			});
		}
		it(`${c.name}: cutting at k gives fcluster's partition`, () => {
			const X = { data: Float64Array.from(c.data), n: c.n, d: c.d };
			for (const [k, expected] of Object.entries(c.cuts)) {
				const res = ward(X, { k: Number(k) });
				expect(samePartition(res.labels, expected)).toBe(true);
				expect(new Set(res.labels).size).toBe(Number(k));
				expect(res.sampled.length).toBe(c.n);
			}
		});
	}
});

describe('ward behaviour', () => {
	it('samples beyond maxRows (seeded) and assigns the rest to the nearest cluster mean', () => {
		const X = gauss(1500, 3, 8);
		const a = ward(X, { k: 4, maxRows: 400, seed: 3 });
		const b = ward(X, { k: 4, maxRows: 400, seed: 3 });
		const c = ward(X, { k: 4, maxRows: 400, seed: 4 });
		expect(a.labels.length).toBe(1500);
		expect(a.sampled.length).toBe(400);
		expect(Array.from(a.sampled)).toEqual(Array.from(b.sampled));
		expect(Array.from(a.sampled)).not.toEqual(Array.from(c.sampled));
		for (let i = 1; i < a.sampled.length; i++)
			expect(a.sampled[i]).toBeGreaterThan(a.sampled[i - 1]);
		expect(a.linkage.length).toBe(399 * 4);
		const sub = cutTree(a.linkage, 400, 4);
		a.sampled.forEach((row, r) => expect(a.labels[row]).toBe(sub[r]));
		// Every other row is nearest to its own cluster's mean (over the sampled rows).
		const means = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
		a.sampled.forEach((row, r) => {
			for (let j = 0; j < 3; j++) means[sub[r]][j] += X.data[row * 3 + j];
			means[sub[r]][3]++;
		});
		const inSample = new Set(a.sampled);
		for (let i = 0; i < 1500; i++) {
			if (inSample.has(i)) continue;
			const dist = means.map((m) =>
				[0, 1, 2].reduce((s, j) => s + (X.data[i * 3 + j] - m[j] / m[3]) ** 2, 0)
			);
			expect(dist[a.labels[i]]).toBeCloseTo(Math.min(...dist), 12);
		}
	});
	it('k = 1, k = n, tiny inputs and duplicates', () => {
		const X = gauss(12, 2, 1);
		expect(new Set(ward(X, { k: 1 }).labels).size).toBe(1);
		expect(new Set(ward(X, { k: 12 }).labels).size).toBe(12);
		const one = ward({ data: Float64Array.from([1, 2]), n: 1, d: 2 }, { k: 1 });
		expect(Array.from(one.labels)).toEqual([0]);
		expect(one.linkage.length).toBe(0);
		const dup: Matrix = { data: Float64Array.from([0, 0, 5, 5, 0, 0, 5, 5, 0, 0]), n: 5, d: 2 };
		const r = ward(dup, { k: 2 });
		expect(Array.from(r.labels)).toEqual([0, 1, 0, 1, 0]);
		expect(r.linkage[2]).toBe(0);
		const constant: Matrix = { data: new Float64Array(20).fill(3), n: 10, d: 2 };
		expect(Array.from(ward(constant, { k: 3 }).linkage.filter((_, i) => i % 4 === 2))).toEqual(
			new Array(9).fill(0)
		);
	});
	it('rejects impossible requests', () => {
		expect(() => ward(gauss(3, 2, 1), { k: 4 })).toThrow(AppException);
		expect(() => ward(gauss(3, 2, 1), { k: 0 })).toThrow(AppException);
	});
	it('reports progress and can be cancelled', () => {
		const X = gauss(600, 3, 2);
		const seen: string[] = [];
		ward(X, { k: 3, onProgress: (p) => seen.push(p.phase) });
		expect(seen.at(-1)).toMatch(/done/);
		const cancel = new CancelSource();
		cancel.cancel();
		expect(() => ward(X, { k: 3, cancel })).toThrow(CancelledError);
	});
	it('merge heights match textbook Lance–Williams Ward; both methods agree (property)', () => {
		fc.assert(
			fc.property(
				fc.record({
					n: fc.integer({ min: 2, max: 25 }),
					d: fc.integer({ min: 1, max: 3 }),
					seed: fc.integer(),
					grid: fc.boolean()
				}),
				({ n, d, seed, grid }) => {
					const rng = createRng(seed);
					const X = {
						data: Float64Array.from({ length: n * d }, () =>
							grid ? Math.round(rng.uniform(0, 4)) : rng.normal()
						),
						n,
						d
					};
					for (const method of ['matrix', 'centroid'] as const) {
						const Z = wardLinkage(X.data, n, d, { method });
						const heights = Array.from({ length: n - 1 }, (_, i) => Z[i * 4 + 2]);
						for (let i = 1; i < n - 1; i++)
							expect(heights[i]).toBeGreaterThanOrEqual(heights[i - 1]);
						// With exact ties several trees are equally valid; without, there is one.
						if (grid) continue;
						const brute = bruteWardHeights(X);
						heights.forEach((h, i) =>
							expect(Math.abs(h - brute[i])).toBeLessThan(1e-9 * Math.max(1, brute[i]))
						);
					}
					const Z = wardLinkage(X.data, n, d);
					for (let i = 0; i < n - 1; i++) {
						expect(Z[i * 4]).toBeLessThan(Z[i * 4 + 1]);
						expect(Z[i * 4 + 1]).toBeLessThan(n + i);
					}
					expect(Z[(n - 2) * 4 + 3]).toBe(n);
				}
			),
			{ numRuns: 120 }
		);
	});
});

describe('dendrogram layout', () => {
	const c = fixture.cases[0];
	const Z = Float64Array.from(c.linkage);
	const m = c.n;

	it('truncates to the last merges, with every row under some leaf', () => {
		const lay = dendrogramLayout(Z, m, { maxLeaves: 30 });
		expect(lay.leaves).toBe(30);
		expect(lay.leafSizes.reduce((a, b) => a + b, 0)).toBe(m);
		expect(lay.segments).toHaveLength(3 * 29);
		expect(lay.maxHeight).toBe(Z[(m - 2) * 4 + 2]);
		for (const s of lay.segments) {
			for (const x of [s.x1, s.x2]) expect(x >= 0 && x <= 29).toBe(true);
			for (const y of [s.y1, s.y2]) expect(y >= 0 && y <= lay.maxHeight).toBe(true);
			expect(s.cluster).toBe(-1);
		}
	});
	it('colours branches below the cut by cluster and places the cut between merges', () => {
		for (const k of [2, 3, 5]) {
			const lay = dendrogramLayout(Z, m, { maxLeaves: 12, k });
			const labels = cutTree(Z, m, k);
			expect(new Set(lay.leafClusters).size).toBe(k);
			expect(lay.cut).toBeGreaterThan(Z[(m - k - 1) * 4 + 2]);
			expect(lay.cut).toBeLessThan(Z[(m - k) * 4 + 2]);
			expect(lay.cut).toBe(cutHeight(Z, m, k));
			// Horizontal bars above the cut are grey (−1); below it they carry a cluster.
			for (const s of lay.segments.filter((x) => x.y1 === x.y2)) {
				expect(s.cluster === -1).toBe(s.y1 > lay.cut);
			}
			expect(new Set(labels).size).toBe(k);
		}
	});
	it('shows at least k leaves and handles tiny trees', () => {
		expect(dendrogramLayout(Z, m, { maxLeaves: 3, k: 6 }).leaves).toBe(6);
		expect(dendrogramLayout(new Float64Array(0), 1).leaves).toBe(1);
		const two = dendrogramLayout(Float64Array.from([0, 1, 2.5, 2]), 2, { k: 2 });
		expect(two.segments).toHaveLength(3);
		expect(two.leafClusters).toEqual([0, 1]);
	});
	it('lays out a 2,000-row tree without recursion limits', () => {
		const X = gauss(2000, 2, 3);
		const lay = dendrogramLayout(wardLinkage(X.data, 2000, 2), 2000, { maxLeaves: 2000 });
		expect(lay.leaves).toBe(2000);
	});
});
