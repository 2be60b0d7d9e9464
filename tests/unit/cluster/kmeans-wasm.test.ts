/**
 * The WebAssembly k-means kernels against the TypeScript ones: the committed bytes are what
 * the generator compiles to, and every kernel and every whole fit gives bit-identical results
 * (labels, centres, inertia, iterations, and the bounds and seeding arrays themselves).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileKernels } from '../../../scripts/build-wasm.mjs';
import { kmeans, type KMeansFit } from '../../../src/lib/ml/cluster/kmeans';
import { kmeansPlusPlus, seedBuffers } from '../../../src/lib/ml/cluster/kmeans-init';
import { checkMatrix } from '../../../src/lib/ml/cluster/kmeans-matrix';
import { jsKernels, type KMeansKernels } from '../../../src/lib/ml/cluster/kmeans-kernels';
import {
	createKernels,
	kernelBytes,
	wasmKernelsAvailable
} from '../../../src/lib/ml/cluster/kmeans-wasm';
import type { Matrix } from '../../../src/lib/ml/cluster/types';
import { KMEANS_WASM_BASE64 } from '../../../src/lib/ml/cluster/wasm/kmeans-wasm-bytes';
import { createRng } from '../../../src/lib/ml/random';

/** Equal as stored numbers: NaN equals NaN and −0 differs from +0. */
function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
	return true;
}

function sameFit(a: KMeansFit, b: KMeansFit): void {
	expect(sameNumbers(a.labels, b.labels)).toBe(true);
	expect(sameNumbers(a.centers, b.centers)).toBe(true);
	expect(Object.is(a.inertia, b.inertia)).toBe(true);
	expect(a.iterations).toBe(b.iterations);
	expect(a.converged).toBe(b.converged);
	expect(a.k).toBe(b.k);
}

/** Rows with few distinct values per feature (ties, duplicates) or spread ones. */
const matrices = fc
	.record({
		n: fc.integer({ min: 1, max: 70 }),
		// 1–13 features: no whole quad, one, two, three, with every remainder.
		d: fc.integer({ min: 1, max: 13 }),
		k: fc.integer({ min: 1, max: 11 }),
		seed: fc.integer({ min: 0, max: 1000 }),
		grid: fc.boolean()
	})
	.chain(({ n, d, k, seed, grid }) =>
		fc
			.array(
				grid
					? fc.integer({ min: -2, max: 2 }).map((v) => v * 0.5)
					: fc.double({ min: -1e3, max: 1e3, noNaN: true }),
				{ minLength: n * d, maxLength: n * d }
			)
			.map((values) => ({
				X: { data: Float64Array.from(values), n, d } as Matrix,
				k: Math.min(k, n),
				seed
			}))
	);

describe('WebAssembly k-means kernels', () => {
	it('are compiled from the generator as committed (run npm run build:wasm after editing)', async () => {
		const bytes = await compileKernels();
		expect(Buffer.from(bytes).toString('base64')).toBe(KMEANS_WASM_BASE64);
	});

	it('run in this Node (so the tests below compare two engines, not one with itself)', () => {
		expect(wasmKernelsAvailable()).toBe(true);
		const X = { data: new Float64Array(12), n: 3, d: 4 };
		expect(createKernels(X, { k: 2, localTrials: 3 }).engine).toBe('wasm');
		expect(createKernels(X, { k: 2, localTrials: 3 }, 'js').engine).toBe('js');
	});

	it('give every whole fit bit for bit as the TypeScript engine, and Hamerly and Elkan as Lloyd', () => {
		fc.assert(
			fc.property(matrices, ({ X, k, seed }) => {
				const fits = (['lloyd', 'hamerly', 'elkan'] as const).map((algorithm) => {
					const opts = { k, seed, nInit: 2, algorithm, tol: seed % 2 ? 0 : 1e-4 };
					const fit = kmeans(X, { ...opts, engine: 'wasm' });
					sameFit(fit, kmeans(X, { ...opts, engine: 'js' }));
					return fit;
				});
				// And the bounded variants are exact: Lloyd's result bit for bit.
				for (const fit of fits.slice(1)) sameFit(fit, fits[0]);
			}),
			{ numRuns: 150 }
		);
	});

	it('seed identically: centres, nearest, distances and runner-up bounds', () => {
		fc.assert(
			fc.property(matrices, fc.integer({ min: 2, max: 7 }), ({ X, k, seed }, trials) => {
				const run = (kernels: KMeansKernels) =>
					kmeansPlusPlus(X, k, createRng(seed), {
						kernels,
						localTrials: trials,
						buffers: seedBuffers(kernels, trials, k)
					});
				const plan = { k, localTrials: trials, perCenter: true };
				const a = run(createKernels(X, plan, 'wasm'));
				const b = run(jsKernels(X));
				expect(sameNumbers(a.centers, b.centers)).toBe(true);
				expect(sameNumbers(a.labels, b.labels)).toBe(true);
				expect(sameNumbers(a.closest, b.closest)).toBe(true);
				expect(sameNumbers(a.second, b.second)).toBe(true);
				expect(sameNumbers(a.perCenter ?? [], b.perCenter ?? [])).toBe(true);
			}),
			{ numRuns: 150 }
		);
	});

	it('leave the same bounds, sums and labels after each assignment step', () => {
		fc.assert(
			fc.property(matrices, ({ X, k, seed }) => {
				const rng = createRng(seed);
				const centres = Float64Array.from({ length: k * X.d }, () => rng.uniform(-500, 500));
				const moved = centres.map((v) => v + rng.normal());
				const halves = Float64Array.from({ length: k }, () => rng.uniform(0, 2));
				const step = (kernels: KMeansKernels) =>
					kernels.scope(() => {
						const block = kernels.f64(k * X.d);
						block.set(centres);
						const st = {
							centers: block,
							k,
							labels: kernels.i32(X.n).fill(-1),
							counts: kernels.f64(k),
							sums: kernels.f64(k * X.d),
							upperNet: kernels.f64(X.n),
							lowerNet: kernels.f64(X.n),
							cum: kernels.f64(k).fill(0.25),
							cumOther: kernels.f64(k),
							s: kernels.f64(k),
							margin: 1e-9,
							first: true
						};
						st.s.set(halves);
						st.cumOther.set(halves.map((h) => h / 3));
						const changed = [kernels.assignHamerly(st)];
						st.first = false;
						block.set(moved);
						changed.push(kernels.assignHamerly(st));
						const lloyd = { ...st, labels: kernels.i32(X.n).fill(-1) };
						lloyd.counts = kernels.f64(k);
						lloyd.sums = kernels.f64(k * X.d);
						changed.push(kernels.assignLloyd(lloyd));
						return {
							changed,
							arrays: [st.labels, st.counts, st.sums, st.upperNet, st.lowerNet].map((a) =>
								Array.from(a)
							),
							lloyd: [lloyd.labels, lloyd.counts, lloyd.sums].map((a) => Array.from(a)),
							inertia: kernels.inertia(block, st.labels)
						};
					});
				const a = step(createKernels(X, { k, localTrials: 2 }, 'wasm'));
				const b = step(jsKernels(X));
				expect(a.changed).toEqual(b.changed);
				a.arrays.forEach((arr, i) => expect(sameNumbers(arr, b.arrays[i])).toBe(true));
				a.lloyd.forEach((arr, i) => expect(sameNumbers(arr, b.lloyd[i])).toBe(true));
				expect(Object.is(a.inertia, b.inertia)).toBe(true);
			}),
			{ numRuns: 150 }
		);
	});

	it('summarise the data exactly as checkMatrix does, and report any NaN or infinity', () => {
		fc.assert(
			fc.property(
				matrices,
				fc.constantFrom(NaN, Infinity, -Infinity),
				fc.nat(),
				({ X }, bad, where) => {
					const kernels = createKernels(X, { k: 1, localTrials: 2 }, 'wasm');
					expect(kernels.summary()).toEqual(checkMatrix(X));
					const spoiled = Float64Array.from(X.data);
					spoiled[where % spoiled.length] = bad;
					const Y = { ...X, data: spoiled };
					expect(createKernels(Y, { k: 1, localTrials: 2 }, 'wasm').summary()).toBeNull();
					expect(() => checkMatrix(Y)).toThrow(/Row \d+, feature \d+/);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('agree where squared distances overflow to infinity (huge values)', () => {
		const rng = createRng(4);
		const n = 40;
		const d = 6;
		const data = Float64Array.from({ length: n * d }, () => rng.uniform(-1, 1) * 1e300);
		const X = { data, n, d };
		for (const algorithm of ['lloyd', 'hamerly', 'elkan'] as const) {
			const opts = { k: 3, seed: 1, nInit: 1, algorithm, maxIter: 5 };
			const a = kmeans(X, { ...opts, engine: 'wasm' });
			sameFit(a, kmeans(X, { ...opts, engine: 'js' }));
		}
	});

	it('agree on a larger overlapping set with restarts, as the benchmark runs them', () => {
		const rng = createRng(7);
		const n = 20_000;
		const d = 8;
		const centres = Array.from({ length: 5 * d }, () => rng.uniform(-5, 5));
		const data = new Float64Array(n * d);
		for (let i = 0, o = 0; i < n; i++) {
			const c = rng.int(5) * d;
			for (let f = 0; f < d; f++, o++) data[o] = centres[c + f] + 2 * rng.normal();
		}
		const X = { data, n, d };
		for (const k of [5, 9]) {
			const a = kmeans(X, { k, seed: 3, nInit: 3, engine: 'wasm' });
			expect(a.algorithm).toBe('hamerly');
			sameFit(a, kmeans(X, { k, seed: 3, nInit: 3, engine: 'js' }));
		}
	});

	it('plan their memory from the shape, and fall back to TypeScript beyond it', () => {
		const small = kernelBytes(1000, 8, { k: 5, localTrials: 3 });
		// The data, seeding's three per-row arrays and its trials, and a run's bounds.
		expect(small).toBeGreaterThan(1000 * 8 * 8 + 1000 * 8 * 6);
		expect(kernelBytes(1000, 8, { k: 5, localTrials: 3, perCenter: true })).toBeGreaterThan(
			small + 1000 * 5 * 8
		);
		// 2^31 bytes is the limit: 40 million rows of 8 features would need more, so such a fit
		// runs on the TypeScript engine (which needs no copy), or is refused if 'wasm' was asked.
		const plan = { k: 5, localTrials: 3 };
		expect(kernelBytes(40_000_000, 8, plan)).toBeGreaterThan(2 ** 31);
		const huge = { data: new Float64Array(0), n: 40_000_000, d: 8 };
		expect(createKernels(huge, plan).engine).toBe('js');
		expect(() => createKernels(huge, plan, 'wasm')).toThrow(/cannot run here/);
	});

	it('reuse a released memory for the next fit, never one still in use, and start it clean', () => {
		const X = { data: Float64Array.from({ length: 400 }, (_, i) => i % 7), n: 100, d: 4 };
		const plan = { k: 3, localTrials: 3 };
		const a = createKernels(X, plan, 'wasm');
		const b = createKernels(X, plan, 'wasm');
		expect(b.X.data.buffer).not.toBe(a.X.data.buffer);
		const dirty = a.f64(50).fill(7);
		a.release();
		const c = createKernels(X, plan, 'wasm');
		expect(c.X.data.buffer).toBe(a.X.data.buffer);
		// Blocks over memory an earlier fit wrote come back zeroed, as new typed arrays do.
		expect(c.f64(50).every((v) => v === 0)).toBe(true);
		expect(dirty.buffer).toBe(c.X.data.buffer);
		c.release();
		b.release();
	});

	it('check that arrays handed to them are theirs', () => {
		const X = { data: new Float64Array(8), n: 2, d: 4 };
		const kernels = createKernels(X, { k: 1, localTrials: 2 }, 'wasm');
		expect(() => kernels.seedFirst(0, new Float64Array(2))).toThrow(/not from these kernels/);
		const closest = kernels.f64(2);
		expect(kernels.seedFirst(1, closest)).toBe(0);
	});
});
