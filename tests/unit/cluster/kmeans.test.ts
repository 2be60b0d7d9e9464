/**
 * K-Means against scikit-learn 1.2 (bench/make-cluster-fixtures.py): from the same initial
 * centres, and from its final ones, the runs must agree; Lloyd, Elkan and Hamerly must agree
 * with each other exactly; and the edge cases behave as documented in kmeans.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppException } from '../../../src/lib/errors';
import { adjustedRandIndex } from '../../../src/lib/ml/cluster/ari';
import { kmeans, kmeansPredict } from '../../../src/lib/ml/cluster/kmeans';
import { kmeansPlusPlus } from '../../../src/lib/ml/cluster/kmeans-init';
import { nearestCenters } from '../../../src/lib/ml/cluster/kmeans-matrix';
import type { Matrix } from '../../../src/lib/ml/cluster/types';
import { CancelSource, CancelledError } from '../../../src/lib/ml/progress';
import { createRng } from '../../../src/lib/ml/random';

interface Run {
	labels: number[];
	centers: number[];
	inertia: number;
	n_iter?: number;
}
interface KMeansCase {
	name: string;
	n: number;
	d: number;
	k: number;
	X: number[];
	init: number[];
	from_init_lloyd: Run;
	from_init_elkan: Run;
	default: Run;
	minibatch_inertia: number;
	truth?: number[];
}

const fixture = JSON.parse(
	readFileSync(
		fileURLToPath(new URL('../../fixtures/cluster/kmeans-sklearn.json', import.meta.url)),
		'utf8'
	)
) as { cases: KMeansCase[] };

const matrix = (c: KMeansCase): Matrix => ({ data: Float64Array.from(c.X), n: c.n, d: c.d });

function blobs(n: number, d: number, k: number, seed: number, spread = 1): Matrix {
	const rng = createRng(seed);
	const centers = Array.from({ length: k * d }, () => rng.uniform(-10, 10));
	const data = new Float64Array(n * d);
	for (let i = 0; i < n; i++) {
		const c = rng.int(k);
		for (let f = 0; f < d; f++) data[i * d + f] = centers[c * d + f] + spread * rng.normal();
	}
	return { data, n, d };
}

function appError(fn: () => unknown): { code: string; message: string } {
	try {
		fn();
	} catch (e) {
		if (e instanceof AppException) return e.appError;
		throw e;
	}
	throw new Error('expected an error');
}

const relClose = (a: number, b: number, rel: number) =>
	expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.abs(b));

describe('k-means against scikit-learn', () => {
	for (const c of fixture.cases) {
		describe(c.name, () => {
			const X = matrix(c);
			for (const algorithm of ['lloyd', 'elkan', 'hamerly'] as const) {
				it(`${algorithm} from scikit-learn's initial centres reaches its inertia and labels`, () => {
					const fit = kmeans(X, {
						k: c.k,
						seed: 0,
						init: Float64Array.from(c.init),
						algorithm
					});
					relClose(fit.inertia, c.from_init_lloyd.inertia, 1e-6);
					expect(adjustedRandIndex(fit.labels, c.from_init_lloyd.labels)).toBe(1);
					expect(Array.from(fit.labels)).toEqual(c.from_init_lloyd.labels);
					fit.centers.forEach((v, i) => expect(v).toBeCloseTo(c.from_init_lloyd.centers[i], 8));
				});
			}
			it("stays at scikit-learn's final centres", () => {
				const fit = kmeans(X, { k: c.k, seed: 0, init: Float64Array.from(c.default.centers) });
				relClose(fit.inertia, c.default.inertia, 1e-6);
				expect(fit.iterations).toBeLessThanOrEqual(2);
				expect(Array.from(fit.labels)).toEqual(c.default.labels);
			});
			it('with its own seeding finds a solution as good as scikit-learn (n_init = 10)', () => {
				const fit = kmeans(X, { k: c.k, seed: 11, nInit: 10 });
				// Pure noise has many near-equal local optima: any of them within 1 % will do.
				const slack = c.name === 'noise' ? 1.01 : 1 + 1e-9;
				expect(fit.inertia).toBeLessThanOrEqual(c.default.inertia * slack);
				if (c.name === 'blobs') {
					expect(adjustedRandIndex(fit.labels, c.default.labels)).toBeGreaterThanOrEqual(0.99);
					expect(adjustedRandIndex(fit.labels, c.truth as number[])).toBeGreaterThanOrEqual(0.99);
				}
			});
			it('mini-batch mode comes close to full k-means', () => {
				const fit = kmeans(X, { k: c.k, seed: 1, batchSize: 64, nInit: 3 });
				expect(fit.algorithm).toBe('minibatch');
				expect(fit.inertia).toBeLessThanOrEqual(
					Math.max(c.minibatch_inertia, c.default.inertia) * 1.05
				);
			});
		});
	}
});

describe('accelerated variants', () => {
	const cases: [string, Matrix, number][] = [
		['separated', blobs(2000, 4, 6, 1, 1), 6],
		['overlapping', blobs(2000, 8, 5, 2, 6), 5],
		['many clusters', blobs(1500, 3, 12, 3, 2), 20],
		['odd width', blobs(900, 7, 4, 4, 3), 4]
	];
	for (const [name, X, k] of cases) {
		it(`give Lloyd's result bit for bit (${name})`, () => {
			const runs = (['lloyd', 'elkan', 'hamerly'] as const).map((algorithm) =>
				kmeans(X, { k, seed: 3, nInit: 2, algorithm })
			);
			for (const r of runs.slice(1)) {
				expect(r.inertia).toBe(runs[0].inertia);
				expect(r.iterations).toBe(runs[0].iterations);
				expect(r.labels).toEqual(runs[0].labels);
				expect(r.centers).toEqual(runs[0].centers);
			}
		});
	}

	it('agree on data full of exact ties (integer grid, duplicate rows)', () => {
		const rng = createRng(9);
		const n = 600;
		const data = Float64Array.from({ length: n * 2 }, () => rng.int(6));
		const X = { data, n, d: 2 };
		const runs = (['lloyd', 'elkan', 'hamerly'] as const).map((algorithm) =>
			kmeans(X, { k: 7, seed: 2, nInit: 3, algorithm })
		);
		for (const r of runs.slice(1)) {
			expect(r.labels).toEqual(runs[0].labels);
			expect(r.inertia).toBe(runs[0].inertia);
		}
	});

	it('seeding leaves the exact first assignment', () => {
		const X = blobs(3000, 5, 5, 8, 4);
		const s = kmeansPlusPlus(X, 5, createRng(1));
		const sq = new Float64Array(X.n);
		const labels = nearestCenters(X, s.centers, 5, undefined, sq);
		expect(s.labels).toEqual(labels);
		expect(s.closest).toEqual(sq);
		for (let i = 0; i < X.n; i++) {
			let second = Infinity;
			for (let j = 0; j < 5; j++) {
				if (j === labels[i]) continue;
				let t = 0;
				for (let f = 0; f < X.d; f++) t += (X.data[i * X.d + f] - s.centers[j * X.d + f]) ** 2;
				second = Math.min(second, t);
			}
			expect(s.second[i]).toBeLessThanOrEqual(second * (1 + 1e-9));
		}
	});
});

describe('k-means behaviour', () => {
	it('is deterministic for a seed and differs across seeds on ambiguous data', () => {
		const X = blobs(500, 3, 3, 5, 8);
		const a = kmeans(X, { k: 4, seed: 42, nInit: 1 });
		const b = kmeans(X, { k: 4, seed: 42, nInit: 1 });
		expect(a.labels).toEqual(b.labels);
		expect(a.inertia).toBe(b.inertia);
		const others = [1, 2, 3, 4, 5].map((s) => kmeans(X, { k: 4, seed: s, nInit: 1 }).inertia);
		expect(new Set([a.inertia, ...others]).size).toBeGreaterThan(1);
	});

	it('uses 10 restarts by default and 3 above 100,000 rows', () => {
		expect(kmeans(blobs(200, 2, 2, 1), { k: 2, seed: 0 }).nInit).toBe(10);
		const big = blobs(100_001, 2, 2, 1);
		expect(kmeans(big, { k: 2, seed: 0, maxIter: 3 }).nInit).toBe(3);
	});

	it('rejects NaN and infinite values, naming the row and feature', () => {
		const X = blobs(10, 2, 2, 1);
		X.data[7] = NaN;
		const e = appError(() => kmeans(X, { k: 2, seed: 0 }));
		expect(e.code).toBe('cluster-not-finite');
		expect(e.message).toContain('Row 4, feature 2');
		X.data[7] = Infinity;
		expect(appError(() => kmeans(X, { k: 2, seed: 0 })).message).toContain('infinite');
	});

	it('refuses fewer rows than clusters', () => {
		const e = appError(() => kmeans(blobs(3, 2, 1, 1), { k: 5, seed: 0 }));
		expect(e.code).toBe('cluster-too-few-rows');
		expect(e.message).toContain('only 3 rows');
	});

	it('reduces k to the distinct rows, with a warning', () => {
		const data = Float64Array.from([1, 1, 1, 1, 5, 5, 5, 5, 1, 1, 5, 5, 9, 0]);
		const fit = kmeans({ data, n: 7, d: 2 }, { k: 5, seed: 0 });
		expect(fit.k).toBe(3);
		expect(fit.kRequested).toBe(5);
		expect(fit.inertia).toBe(0);
		expect(fit.warnings.map((w) => w.code)).toContain('k-reduced');
		expect(fit.warnings[0].message).toContain('Only 3 different profiles');
		expect(new Set(fit.labels).size).toBe(3);
	});

	it('handles k = 1, a single row, constant features and all-identical rows', () => {
		const X = blobs(50, 3, 2, 1);
		const one = kmeans(X, { k: 1, seed: 0 });
		expect(new Set(one.labels)).toEqual(new Set([0]));
		for (let f = 0; f < 3; f++) {
			let m = 0;
			for (let i = 0; i < 50; i++) m += X.data[i * 3 + f] / 50;
			expect(one.centers[f]).toBeCloseTo(m, 10);
		}
		expect(kmeans({ data: Float64Array.from([3, 4]), n: 1, d: 2 }, { k: 1, seed: 0 }).inertia).toBe(
			0
		);
		const withConstant = { data: new Float64Array(100 * 2), n: 100, d: 2 };
		for (let i = 0; i < 100; i++) {
			withConstant.data[i * 2] = i < 50 ? 0 : 10;
			withConstant.data[i * 2 + 1] = 7;
		}
		const c = kmeans(withConstant, { k: 2, seed: 0 });
		expect(c.inertia).toBe(0);
		expect(c.converged).toBe(true);
		const same = kmeans({ data: new Float64Array(20).fill(2), n: 10, d: 2 }, { k: 3, seed: 0 });
		expect(same.k).toBe(1);
	});

	it('relocates an empty cluster to the furthest row', () => {
		// A starting centre far from all data gets no rows in the first assignment.
		const data = Float64Array.from([0, 0, 0, 1, 1, 0, 10, 10, 10, 11, 11, 10]);
		const init = Float64Array.from([0, 0, 10, 10, 100, 100]);
		for (const algorithm of ['lloyd', 'elkan', 'hamerly'] as const) {
			const fit = kmeans({ data, n: 6, d: 2 }, { k: 3, seed: 0, init, algorithm });
			expect(new Set(fit.labels).size).toBe(3);
			expect(Number.isFinite(fit.inertia)).toBe(true);
			expect(fit.centers.every(Number.isFinite)).toBe(true);
		}
	});

	it('reports progress and stops when cancelled', () => {
		const X = blobs(3000, 4, 4, 2, 5);
		const phases: string[] = [];
		kmeans(X, { k: 4, seed: 0, nInit: 2, onProgress: (p) => phases.push(p.phase) });
		expect(phases.some((p) => p.includes('start 2 of 2'))).toBe(true);
		expect(phases.at(-1)).toContain('done');
		const cancel = new CancelSource();
		expect(() =>
			kmeans(X, {
				k: 4,
				seed: 0,
				nInit: 5,
				cancel,
				onProgress: (p) => {
					if (p.phase.includes('iteration 2')) cancel.cancel();
				}
			})
		).toThrow(CancelledError);
	});

	it('places new rows at their nearest centre', () => {
		const centers = Float64Array.from([0, 0, 10, 10]);
		const X = { data: Float64Array.from([1, 1, 9, 8, 5, 5]), n: 3, d: 2 };
		// (5, 5) is equally far from both: the lower index wins.
		expect(Array.from(kmeansPredict(X, centers, 2))).toEqual([0, 1, 0]);
	});
});

describe('k-means properties', () => {
	const data = fc
		.record({
			n: fc.integer({ min: 4, max: 60 }),
			d: fc.integer({ min: 1, max: 5 }),
			k: fc.integer({ min: 1, max: 6 }),
			seed: fc.integer({ min: 0, max: 1000 })
		})
		.chain(({ n, d, k, seed }) =>
			fc
				.array(fc.double({ min: -100, max: 100, noNaN: true }), {
					minLength: n * d,
					maxLength: n * d
				})
				.map((values) => ({
					X: { data: Float64Array.from(values), n, d },
					k: Math.min(k, n),
					seed
				}))
		);

	it('labels lie in 0..k−1 and, once converged, centres are the means of their rows', () => {
		fc.assert(
			fc.property(data, ({ X, k, seed }) => {
				const fit = kmeans(X, { k, seed, nInit: 2, tol: 0 });
				expect(fit.labels.length).toBe(X.n);
				for (const l of fit.labels) expect(l >= 0 && l < fit.k).toBe(true);
				expect(fit.inertia).toBeGreaterThanOrEqual(0);
				expect(Number.isFinite(fit.inertia)).toBe(true);
				if (!fit.converged) return;
				const { d } = X;
				const sums = new Float64Array(fit.k * d);
				const counts = new Float64Array(fit.k);
				fit.labels.forEach((l, i) => {
					counts[l]++;
					for (let f = 0; f < d; f++) sums[l * d + f] += X.data[i * d + f];
				});
				for (let j = 0; j < fit.k; j++) {
					if (counts[j] === 0) continue;
					for (let f = 0; f < d; f++) {
						expect(fit.centers[j * d + f]).toBeCloseTo(sums[j * d + f] / counts[j], 9);
					}
				}
			}),
			{ numRuns: 60 }
		);
	});

	it('inertia never increases from one Lloyd iteration to the next', () => {
		fc.assert(
			fc.property(data, ({ X, k, seed }) => {
				const init = kmeansPlusPlus(X, k, createRng(seed)).centers;
				let previous = Infinity;
				for (let maxIter = 1; maxIter <= 8; maxIter++) {
					const fit = kmeans(X, { k, seed, init, maxIter, tol: 0, algorithm: 'lloyd' });
					expect(fit.inertia).toBeLessThanOrEqual(previous * (1 + 1e-12) + 1e-9);
					previous = fit.inertia;
				}
			}),
			{ numRuns: 40 }
		);
	});

	it('is the same for the same seed, whatever the algorithm', () => {
		fc.assert(
			fc.property(data, ({ X, k, seed }) => {
				const a = kmeans(X, { k, seed, nInit: 2, algorithm: 'hamerly' });
				const b = kmeans(X, { k, seed, nInit: 2, algorithm: 'hamerly' });
				const c = kmeans(X, { k, seed, nInit: 2, algorithm: 'elkan' });
				const d = kmeans(X, { k, seed, nInit: 2, algorithm: 'lloyd' });
				expect(b.labels).toEqual(a.labels);
				expect(c.labels).toEqual(a.labels);
				expect(d.labels).toEqual(a.labels);
				expect(d.inertia).toBe(a.inertia);
			}),
			{ numRuns: 60 }
		);
	});
});
