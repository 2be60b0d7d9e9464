import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { gmm, gmmCollapsed, gmmPredictProba, gmmSelectK } from '../../../src/lib/ml/cluster/gmm';
import { nParameters } from '../../../src/lib/ml/cluster/gmm-core';
import { adjustedRandIndex } from '../../../src/lib/ml/cluster/ari';
import { gmmMembership } from '../../../src/lib/ml/cluster/personas';
import type { Matrix } from '../../../src/lib/ml/cluster/types';
import { AppException } from '../../../src/lib/errors';
import { CancelSource, CancelledError } from '../../../src/lib/ml/progress';
import { createRng } from '../../../src/lib/ml/random';

// Expected values from scikit-learn 1.2's GaussianMixture: bench/make-cluster-fixtures-2.py.
interface GmmCase {
	name: string;
	covariance: 'full' | 'diag';
	dataset: string;
	k: number;
	init?: { weights: number[]; means: number[]; covariances: number[] };
	weights?: number[];
	means?: number[];
	covariances?: number[];
	lowerBound?: number;
	nIter?: number;
	converged?: boolean;
	logLikelihood?: number;
	bic: number;
	labels: number[];
	proba?: number[];
}
interface GmmFixture {
	datasets: Record<string, { n: number; d: number; data: number[] }>;
	cases: GmmCase[];
	select: {
		n: number;
		d: number;
		data: number[];
		kMin: number;
		kMax: number;
		bics: number[];
		k: number;
	};
}
const fixture = JSON.parse(
	readFileSync(new URL('../../fixtures/cluster/gmm.json', import.meta.url), 'utf8')
) as GmmFixture;

const matrixOf = (name: string): Matrix => {
	const ds = fixture.datasets[name];
	return { data: Float64Array.from(ds.data), n: ds.n, d: ds.d };
};

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

function blobs(n: number, d: number, k: number, seed: number, spread = 8): Matrix {
	const rng = createRng(seed);
	const centres = Array.from({ length: k }, () =>
		Array.from({ length: d }, () => rng.uniform(-spread, spread))
	);
	const data = new Float64Array(n * d);
	for (let i = 0; i < n; i++)
		for (let j = 0; j < d; j++) data[i * d + j] = centres[i % k][j] + rng.normal();
	return { data, n, d };
}

describe('gmm vs scikit-learn from the same starting parameters', () => {
	for (const c of fixture.cases.filter((x) => x.init)) {
		it(`${c.name}: same EM path, parameters, log-likelihood and BIC`, () => {
			const X = matrixOf(c.dataset);
			const res = gmm(X, { k: c.k, covariance: c.covariance, seed: 0, init: c.init });
			expect(res.iterations).toBe(c.nIter);
			expect(res.converged).toBe(c.converged);
			expect(rel(res.logLikelihood, c.logLikelihood as number)).toBeLessThan(1e-9);
			expect(rel(res.bic, c.bic)).toBeLessThan(1e-9);
			(c.weights as number[]).forEach((w, i) => expect(res.weights[i]).toBeCloseTo(w, 9));
			(c.means as number[]).forEach((m, i) => expect(res.means[i]).toBeCloseTo(m, 9));
			(c.covariances as number[]).forEach((v, i) => expect(res.covariances[i]).toBeCloseTo(v, 9));
			expect(Array.from(res.labels)).toEqual(c.labels);
			(c.proba as number[]).forEach((p, i) => expect(res.proba[i]).toBeCloseTo(p, 5));
		});

		it(`${c.name}: scoring sklearn's fitted parameters gives sklearn's log-likelihood and BIC (1e-6)`, () => {
			const X = matrixOf(c.dataset);
			const fitted = {
				weights: c.weights as number[],
				means: c.means as number[],
				covariances: c.covariances as number[]
			};
			const res = gmm(X, { k: c.k, covariance: c.covariance, seed: 0, init: fitted, maxIter: 0 });
			expect(rel(res.logLikelihood, c.logLikelihood as number)).toBeLessThan(1e-6);
			expect(rel(res.bic, c.bic)).toBeLessThan(1e-6);
			expect(Array.from(res.labels)).toEqual(c.labels);
		});
	}
});

describe('gmm with its own k-means start', () => {
	for (const c of fixture.cases.filter((x) => !x.init)) {
		it(`${c.name}: ARI ≥ 0.99 with scikit-learn's labels and the same BIC`, () => {
			const res = gmm(matrixOf(c.dataset), { k: c.k, covariance: c.covariance, seed: 3 });
			expect(adjustedRandIndex(c.labels, Array.from(res.labels))).toBeGreaterThanOrEqual(0.99);
			expect(rel(res.bic, c.bic)).toBeLessThan(1e-6);
		});
	}

	it('gmmSelectK picks scikit-learn’s k by BIC, with the same BIC where the optimum is unique', () => {
		const s = fixture.select;
		const X = { data: Float64Array.from(s.data), n: s.n, d: s.d };
		const sel = gmmSelectK(X, {
			kMin: s.kMin,
			kMax: s.kMax,
			covariance: 'full',
			seed: 1,
			nInit: 3
		});
		expect(sel.k).toBe(s.k);
		expect(sel.bics).toHaveLength(s.kMax - s.kMin + 1);
		for (let k = 1; k <= s.k; k++) expect(rel(sel.bics[k - 1], s.bics[k - 1])).toBeLessThan(1e-6);
		expect(sel.explanation).toMatch(/3 groups give the lowest BIC/);
		expect(sel.explanation).not.toMatch(/NaN|undefined|\d\.\d{3,}/);
	});

	it('is deterministic for a seed, and more starts never lower the likelihood bound', () => {
		const X = blobs(300, 3, 4, 7, 3);
		const a = gmm(X, { k: 4, covariance: 'full', seed: 5 });
		const b = gmm(X, { k: 4, covariance: 'full', seed: 5 });
		expect(Array.from(a.proba)).toEqual(Array.from(b.proba));
		const many = gmm(X, { k: 4, covariance: 'full', seed: 5, nInit: 4 });
		expect(many.logLikelihood).toBeGreaterThanOrEqual(
			a.logLikelihood - 1e-6 * Math.abs(a.logLikelihood)
		);
	});

	it('BIC counts parameters as scikit-learn does', () => {
		expect(nParameters(3, 4, 'full')).toBe(3 * 10 + 12 + 2);
		expect(nParameters(3, 4, 'diag')).toBe(12 + 12 + 2);
		const X = blobs(200, 2, 2, 2);
		for (const covariance of ['full', 'diag'] as const) {
			const r = gmm(X, { k: 2, covariance, seed: 0 });
			expect(r.bic).toBeCloseTo(
				-2 * r.logLikelihood + nParameters(2, 2, covariance) * Math.log(200),
				8
			);
		}
	});
});

describe('gmm edge cases', () => {
	it('k = 1 is the sample mean and (biased) covariance plus reg_covar', () => {
		const X = blobs(50, 2, 3, 4);
		const r = gmm(X, { k: 1, covariance: 'full', seed: 0 });
		const mean = [0, 1].map(
			(j) => X.data.filter((_, i) => i % 2 === j).reduce((a, b) => a + b, 0) / 50
		);
		expect(r.means[0]).toBeCloseTo(mean[0], 10);
		expect(r.means[1]).toBeCloseTo(mean[1], 10);
		let c01 = 0;
		for (let i = 0; i < 50; i++) c01 += (X.data[2 * i] - mean[0]) * (X.data[2 * i + 1] - mean[1]);
		expect(r.covariances[1]).toBeCloseTo(c01 / 50, 10);
		expect(Array.from(r.labels).every((l) => l === 0)).toBe(true);
		expect(r.converged).toBe(true);
	});
	it('constant features, duplicates and n = k stay finite', () => {
		const constant: Matrix = {
			data: Float64Array.from({ length: 40 }, (_, i) => (i % 2 ? 3 : i < 20 ? 0 : 5)),
			n: 20,
			d: 2
		};
		const dup: Matrix = { data: new Float64Array(30).fill(1), n: 10, d: 3 };
		const tiny: Matrix = { data: Float64Array.from([0, 0, 5, 5, 9, 1]), n: 3, d: 2 };
		for (const X of [constant, dup, tiny]) {
			for (const covariance of ['full', 'diag'] as const) {
				const r = gmm(X, { k: Math.min(2, X.n), covariance, seed: 1 });
				expect(Number.isFinite(r.logLikelihood)).toBe(true);
				expect(Array.from(r.proba).every(Number.isFinite)).toBe(true);
				expect(Array.from(r.covariances).every(Number.isFinite)).toBe(true);
			}
		}
		const exact = gmm(tiny, { k: 3, covariance: 'diag', seed: 0 });
		expect(new Set(exact.labels).size).toBe(3);
	});
	it('perfectly collinear features do not break the full covariance', () => {
		const data = new Float64Array(200);
		for (let i = 0; i < 100; i++) {
			data[2 * i] = i % 2 ? i : -i;
			data[2 * i + 1] = 2 * data[2 * i];
		}
		const r = gmm({ data, n: 100, d: 2 }, { k: 2, covariance: 'full', seed: 0, regCovar: 0 });
		expect(Number.isFinite(r.bic)).toBe(true);
	});
	it('rejects impossible requests with a message a teacher can read', () => {
		const X = blobs(5, 2, 1, 1);
		expect(() => gmm(X, { k: 6, covariance: 'diag', seed: 0 })).toThrow(AppException);
		expect(() => gmm(X, { k: 0, covariance: 'diag', seed: 0 })).toThrow(/at least 1/);
		expect(() =>
			gmm(X, {
				k: 2,
				covariance: 'diag',
				seed: 0,
				init: { weights: [1], means: [0], covariances: [1] }
			})
		).toThrow(/do not match/);
		expect(() => gmmSelectK(X, { kMin: 4, kMax: 2, covariance: 'diag', seed: 0 })).toThrow(
			AppException
		);
	});
	it('reports progress and can be cancelled', () => {
		const X = blobs(200, 2, 3, 3);
		const seen: number[] = [];
		gmm(X, { k: 3, covariance: 'diag', seed: 0, onProgress: (p) => seen.push(p.fraction) });
		expect(seen.at(-1)).toBe(1);
		const cancel = new CancelSource();
		cancel.cancel();
		expect(() => gmm(X, { k: 3, covariance: 'diag', seed: 0, cancel })).toThrow(CancelledError);
	});
});

describe('gmm properties', () => {
	it('probability rows sum to 1, labels are their argmax, new points score like training rows', () => {
		fc.assert(
			fc.property(
				fc.record({
					n: fc.integer({ min: 3, max: 60 }),
					d: fc.integer({ min: 1, max: 4 }),
					k: fc.integer({ min: 1, max: 3 }),
					seed: fc.integer(),
					full: fc.boolean()
				}),
				({ n, d, k, seed, full }) => {
					const rng = createRng(seed);
					const X = {
						data: Float64Array.from({ length: n * d }, () => Math.round(rng.normal() * 4) / 2),
						n,
						d
					};
					const r = gmm(X, { k, covariance: full ? 'full' : 'diag', seed, maxIter: 30 });
					for (let i = 0; i < n; i++) {
						let s = 0;
						let arg = 0;
						for (let c = 0; c < k; c++) {
							const p = r.proba[i * k + c];
							expect(p).toBeGreaterThanOrEqual(0);
							s += p;
							if (p > r.proba[i * k + arg]) arg = c;
						}
						expect(s).toBeCloseTo(1, 9);
						expect(r.labels[i]).toBe(arg);
					}
					const row = X.data.subarray(0, d);
					const m = gmmMembership(r, row);
					for (let c = 0; c < k; c++) expect(m.probabilities[c]).toBeCloseTo(r.proba[c], 9);
					expect(gmmPredictProba(r, row).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
				}
			),
			{ numRuns: 60 }
		);
	});
});

describe('gmmSelectK and collapsed components', () => {
	it('leaves out fits whose groups sit on single values of a whole-number feature', () => {
		// Two separated blobs on a continuous feature, and an independent 0/1 feature: splitting a
		// blob by the 0/1 value puts a zero-variance component on it, which BIC would reward.
		const n = 400;
		const data = new Float64Array(n * 2);
		let s = 12345;
		const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
		for (let i = 0; i < n; i++) {
			const u = Math.max(rand(), 1e-12);
			const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
			data[2 * i] = (i < n / 2 ? -3 : 3) + 0.5 * normal;
			data[2 * i + 1] = rand() < 0.5 ? -1 : 1;
		}
		const X = { data, n, d: 2 };
		const sel = gmmSelectK(X, { kMin: 2, kMax: 5, covariance: 'diag', seed: 1 });
		expect(sel.collapsed.length).toBeGreaterThan(0);
		expect(sel.collapsed).not.toContain(sel.k);
		expect(sel.k).toBe(2);
		expect(sel.explanation).toMatch(/were left out: a group collapsed/);
		const two = gmm(X, { k: 2, covariance: 'diag', seed: 1 });
		expect(gmmCollapsed(two, 2)).toBe(false);
	});
});
