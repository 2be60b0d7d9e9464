import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { corePoints, dbscan, kDistances, suggestEps } from '../../../src/lib/ml/cluster/dbscan';
import type { Matrix } from '../../../src/lib/ml/cluster/types';
import { CancelSource, CancelledError } from '../../../src/lib/ml/progress';
import { AppException } from '../../../src/lib/errors';
import { createRng } from '../../../src/lib/ml/random';

// Expected labels from scikit-learn 1.2: bench/make-cluster-fixtures-2.py.
interface DbscanFixture {
	datasets: {
		name: string;
		n: number;
		d: number;
		data: number[];
		runs: { eps: number; minPts: number; labels: number[] }[];
	}[];
}
const fixture = JSON.parse(
	readFileSync(new URL('../../fixtures/cluster/dbscan.json', import.meta.url), 'utf8')
) as DbscanFixture;

const matrix = (rows: number[][]): Matrix => ({
	data: Float64Array.from(rows.flat()),
	n: rows.length,
	d: rows[0]?.length ?? 0
});

/** Brute-force reference with the textbook definition (used by the property tests). */
function bruteCore(X: Matrix, eps: number, minPts: number): Uint8Array {
	const core = new Uint8Array(X.n);
	for (let i = 0; i < X.n; i++) {
		let c = 0;
		for (let j = 0; j < X.n; j++) {
			let s = 0;
			for (let t = 0; t < X.d; t++) s += (X.data[i * X.d + t] - X.data[j * X.d + t]) ** 2;
			if (s <= eps * eps) c++;
		}
		core[i] = c >= minPts ? 1 : 0;
	}
	return core;
}

/** scikit-learn's dbscan_inner over brute-force neighbourhoods: the reference for labels. */
function referenceDbscan(X: Matrix, eps: number, minPts: number): number[] {
	const nb: number[][] = [];
	for (let i = 0; i < X.n; i++) {
		const list: number[] = [];
		for (let j = 0; j < X.n; j++) {
			let s = 0;
			for (let t = 0; t < X.d; t++) s += (X.data[i * X.d + t] - X.data[j * X.d + t]) ** 2;
			if (s <= eps * eps) list.push(j);
		}
		nb.push(list);
	}
	const labels = new Array<number>(X.n).fill(-1);
	let next = 0;
	for (let i = 0; i < X.n; i++) {
		if (labels[i] !== -1 || nb[i].length < minPts) continue;
		const stack = [i];
		while (stack.length) {
			const v = stack.pop() as number;
			if (labels[v] !== -1) continue;
			labels[v] = next;
			if (nb[v].length >= minPts) for (const w of nb[v]) if (labels[w] === -1) stack.push(w);
		}
		next++;
	}
	return labels;
}

function blobs(n: number, d: number, seed: number, k = 4): Matrix {
	const rng = createRng(seed);
	const centres = Array.from({ length: k }, () =>
		Array.from({ length: d }, () => rng.uniform(-6, 6))
	);
	const data = new Float64Array(n * d);
	for (let i = 0; i < n; i++) {
		const c = centres[i % k];
		for (let j = 0; j < d; j++) data[i * d + j] = c[j] + rng.normal();
	}
	return { data, n, d };
}

describe('dbscan vs scikit-learn', () => {
	for (const ds of fixture.datasets) {
		for (const run of ds.runs) {
			it(`${ds.name} eps=${run.eps} minPts=${run.minPts}: identical labels`, () => {
				const X = { data: Float64Array.from(ds.data), n: ds.n, d: ds.d };
				const res = dbscan(X, { eps: run.eps, minPts: run.minPts });
				expect(Array.from(res.labels)).toEqual(run.labels);
				expect(res.nClusters).toBe(Math.max(...run.labels) + 1);
				expect(res.nNoise).toBe(run.labels.filter((l) => l === -1).length);
			});
		}
	}
});

describe('dbscan edge cases', () => {
	it('all noise when eps is tiny', () => {
		const res = dbscan(blobs(50, 3, 1), { eps: 1e-9, minPts: 2 });
		expect(res.nClusters).toBe(0);
		expect(res.nNoise).toBe(50);
	});
	it('one cluster when eps covers everything; minPts = 1 makes every point core', () => {
		const X = blobs(80, 2, 2);
		expect(dbscan(X, { eps: 1e6, minPts: 5 }).nClusters).toBe(1);
		const single = dbscan(X, { eps: 1e-12, minPts: 1 });
		expect(single.nClusters).toBe(80);
		expect(single.nNoise).toBe(0);
	});
	it('duplicates form a cluster at eps = 0; minPts counts the point itself', () => {
		const X = matrix([
			[0, 0],
			[0, 0],
			[0, 0],
			[5, 5],
			[5, 5],
			[9, 9]
		]);
		expect(Array.from(dbscan(X, { eps: 0, minPts: 3 }).labels)).toEqual([0, 0, 0, -1, -1, -1]);
		expect(Array.from(dbscan(X, { eps: 0, minPts: 2 }).labels)).toEqual([0, 0, 0, 1, 1, -1]);
	});
	it('a border point joins the first cluster that reaches it', () => {
		// 0..2 and 4..6 are dense; 3 is within reach of both cores but is not a core itself.
		const X = matrix([[0], [0.1], [0.2], [0.9], [1.6], [1.7], [1.8]]);
		const res = dbscan(X, { eps: 0.75, minPts: 4 });
		expect(Array.from(res.labels)).toEqual([0, 0, 0, 0, 1, 1, 1]);
	});
	it('tiny and empty inputs', () => {
		expect(
			dbscan({ data: new Float64Array(0), n: 0, d: 2 }, { eps: 1, minPts: 2 }).labels.length
		).toBe(0);
		expect(Array.from(dbscan(matrix([[1, 2]]), { eps: 1, minPts: 1 }).labels)).toEqual([0]);
		expect(Array.from(dbscan(matrix([[1, 2]]), { eps: 1, minPts: 2 }).labels)).toEqual([-1]);
	});
	it('constant features are harmless', () => {
		const X = matrix(Array.from({ length: 30 }, (_, i) => [i < 15 ? 0 : 10, 3, 3]));
		expect(dbscan(X, { eps: 0.5, minPts: 4 }).nClusters).toBe(2);
	});
	it('rejects nonsense parameters', () => {
		expect(() => dbscan(blobs(5, 2, 1), { eps: -1, minPts: 2 })).toThrow(AppException);
		expect(() => dbscan(blobs(5, 2, 1), { eps: 1, minPts: 0 })).toThrow(AppException);
	});
	it('reports progress and can be cancelled', () => {
		const X = blobs(2000, 3, 4);
		const phases: string[] = [];
		dbscan(X, { eps: 0.5, minPts: 5, onProgress: (p) => phases.push(p.phase) });
		expect(phases.at(-1)).toMatch(/done/);
		const cancel = new CancelSource();
		cancel.cancel();
		expect(() => dbscan(X, { eps: 0.5, minPts: 5, cancel })).toThrow(CancelledError);
	});
});

describe('dbscan properties', () => {
	const arb = fc
		.record({
			n: fc.integer({ min: 1, max: 70 }),
			d: fc.integer({ min: 1, max: 4 }),
			seed: fc.integer(),
			eps: fc.double({ min: 0, max: 2, noNaN: true }),
			minPts: fc.integer({ min: 1, max: 8 }),
			grid: fc.boolean()
		})
		.map(({ n, d, seed, eps, minPts, grid }) => {
			const rng = createRng(seed);
			// A coarse grid gives many exact ties and duplicates.
			const data = Float64Array.from({ length: n * d }, () =>
				grid ? Math.round(rng.uniform(-3, 3) * 2) / 2 : rng.normal()
			);
			return { X: { data, n, d }, eps, minPts };
		});

	it('labels equal scikit-learn’s algorithm on brute-force neighbourhoods; core points are never noise', () => {
		fc.assert(
			fc.property(arb, ({ X, eps, minPts }) => {
				const res = dbscan(X, { eps, minPts });
				expect(Array.from(res.labels)).toEqual(referenceDbscan(X, eps, minPts));
				const core = bruteCore(X, eps, minPts);
				expect(Array.from(corePoints(X, eps, minPts))).toEqual(Array.from(core));
				for (let i = 0; i < X.n; i++) if (core[i]) expect(res.labels[i]).toBeGreaterThanOrEqual(0);
				// Clusters are numbered by their first core point, as scikit-learn's expansion does
				// (a border row earlier in the data may carry a later cluster's number).
				let next = 0;
				for (let i = 0; i < X.n; i++) {
					if (!core[i]) continue;
					if (res.labels[i] === next) next++;
					else expect(res.labels[i]).toBeLessThan(next);
				}
				expect(next).toBe(res.nClusters);
			}),
			{ numRuns: 150 }
		);
	});
});

describe('k-distance curve and eps suggestion', () => {
	it('kDistances is sorted and equals the brute-force k-th neighbour distance', () => {
		const X = blobs(120, 3, 9);
		const k = 4;
		const brute: number[] = [];
		for (let i = 0; i < X.n; i++) {
			const ds: number[] = [];
			for (let j = 0; j < X.n; j++) {
				if (i === j) continue;
				let s = 0;
				for (let t = 0; t < X.d; t++) s += (X.data[i * X.d + t] - X.data[j * X.d + t]) ** 2;
				ds.push(Math.sqrt(s));
			}
			ds.sort((a, b) => a - b);
			brute.push(ds[k - 1]);
		}
		brute.sort((a, b) => a - b);
		const got = kDistances(X, k);
		expect(got.length).toBe(X.n);
		for (let i = 0; i < X.n; i++) expect(got[i]).toBeCloseTo(brute[i], 12);
	});
	it('a k-distance ≤ eps is exactly a core point with minPts = k + 1', () => {
		const X = blobs(200, 2, 10);
		const eps = 0.4;
		const kd = kDistances(X, 4);
		const cores = corePoints(X, eps, 5).reduce((a, b) => a + b, 0);
		expect(kd.filter((v) => v <= eps).length).toBe(cores);
	});
	it('handles tiny inputs and duplicates', () => {
		expect(kDistances(matrix([[1]]), 3).length).toBe(0);
		expect(Array.from(kDistances(matrix([[0], [1], [3]]), 5))).toEqual([2, 3, 3]);
		const dup = suggestEps(new Float64Array(100));
		expect(dup.eps).toBeGreaterThan(0);
	});
	it('suggestEps finds the knee between dense blobs and scattered noise', () => {
		const rng = createRng(5);
		const centres = [
			[-8, 0],
			[0, 8],
			[8, 0]
		];
		const rows: number[][] = [];
		for (let i = 0; i < 600; i++) rows.push(centres[i % 3].map((c) => c + rng.normal()));
		for (let i = 0; i < 60; i++) rows.push([rng.uniform(-20, 20), rng.uniform(-20, 20)]);
		const all = matrix(rows);
		const kd = kDistances(all, 4);
		const s = suggestEps(kd, 4);
		expect(s.eps).toBeGreaterThan(0.2);
		expect(s.eps).toBeLessThan(3);
		expect(s.explanation).toMatch(/4th nearest neighbour/);
		expect(s.explanation).not.toMatch(/NaN|undefined|\d\.\d{3,}/);
		const res = dbscan(all, { eps: s.eps, minPts: 5 });
		expect(res.nClusters).toBeGreaterThanOrEqual(3);
		expect(res.nNoise).toBeGreaterThan(20);
	});
	it('short curves fall back to a readable default', () => {
		expect(suggestEps(new Float64Array([0.5, 1])).explanation).toMatch(/Too few/);
	});
});
