import { beforeAll, describe, expect, it } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import {
	balancedClassWeights,
	defaultL2,
	predictMlp,
	trainMlp,
	type MlpData,
	type MlpOptions,
	type MlpTrainResult
} from '../../../src/lib/ml/nn/mlp';
import { withLayers } from '../../../src/lib/ml/nn/tf';
import { neverCancelled, noProgress } from '../../../src/lib/ml/progress';
import { createRng } from '../../../src/lib/ml/random';

const tf = withLayers(tfc, tfl);

beforeAll(async () => {
	await tfc.setBackend('cpu');
});

/**
 * Two overlapping Gaussian classes, `rare` of the rows in class 1, shifted by 1.2 sd on x1 and
 * x2: at threshold 0.5 an unweighted model calls most of the rare class "0".
 */
function imbalanced(n: number, seed: number, rare = 0.1): MlpData {
	const rng = createRng(seed);
	const nCols = 4;
	const X = new Float32Array(n * nCols);
	const y = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		y[i] = rng.next() < rare ? 1 : 0;
		for (let j = 0; j < nCols; j++) X[i * nCols + j] = rng.normal() + (j < 2 ? 1.2 * y[i] : 0);
	}
	return { X, y, nRows: n, nCols };
}

/** Three classes; class 2 is rare and overlaps class 1. */
function threeClass(n: number, seed: number): MlpData {
	const rng = createRng(seed);
	const centres = [
		[-1.5, 0],
		[1, 0],
		[1.8, 0.6]
	];
	const X = new Float32Array(n * 2);
	const y = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		const u = rng.next();
		const k = u < 0.08 ? 2 : u < 0.54 ? 1 : 0;
		y[i] = k;
		X[2 * i] = centres[k][0] + 0.8 * rng.normal();
		X[2 * i + 1] = centres[k][1] + 0.8 * rng.normal();
	}
	return { X, y, nRows: n, nCols: 2 };
}

function regressionData(n: number, seed: number): MlpData {
	const rng = createRng(seed);
	const nCols = 6;
	const X = new Float32Array(n * nCols);
	const y = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < nCols; j++) X[i * nCols + j] = rng.normal();
		y[i] = 2 * X[i * nCols] - X[i * nCols + 1] + 0.5 * rng.normal();
	}
	return { X, y, nRows: n, nCols };
}

const train = (data: MlpData, opts: MlpOptions) =>
	trainMlp(tf, data, opts, noProgress, neverCancelled);

/** Recall of `cls`, predicting the most probable class (binary: P(1) ≥ 0.5). */
function recall(p: Float32Array, data: MlpData, k: number, cls: number): number {
	let hit = 0;
	let total = 0;
	for (let i = 0; i < data.nRows; i++) {
		if (data.y[i] !== cls) continue;
		total++;
		let pred: number;
		if (k === 1) pred = p[i] >= 0.5 ? 1 : 0;
		else {
			pred = 0;
			for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + pred]) pred = c;
		}
		if (pred === cls) hit++;
	}
	return hit / total;
}

function sumSquaredKernels(r: MlpTrainResult): number {
	let s = 0;
	for (const w of r.weights) {
		if (w.shape.length !== 2) continue;
		for (const v of w.values) s += v * v;
	}
	return s;
}

describe('balancedClassWeights', () => {
	it('gives n / (k · n_c), and 1 to an absent class', () => {
		expect(balancedClassWeights([0, 0, 0, 1], 2)).toEqual([4 / 6, 2]);
		expect(balancedClassWeights([0, 2, 2, 2], 3)).toEqual([4 / 3, 1, 4 / 9]);
	});
});

describe('MLP classWeight', () => {
	it('raises the recall of a rare binary class', async () => {
		const data = imbalanced(600, 1);
		const test = imbalanced(2000, 2);
		const base: MlpOptions = { task: 'binary', seed: 5, epochs: 15, patience: 15, batchSize: 32 };
		const plain = await train(data, base);
		const weighted = await train(data, {
			...base,
			classWeight: balancedClassWeights(data.y, 2)
		});
		const pPlain = await predictMlp(tf, plain.artifact, test.X, test.nRows, test.nCols);
		const pWeighted = await predictMlp(tf, weighted.artifact, test.X, test.nRows, test.nCols);
		const rPlain = recall(pPlain, test, 1, 1);
		const rWeighted = recall(pWeighted, test, 1, 1);
		expect(rWeighted).toBeGreaterThan(rPlain + 0.25);
		// The price: some of the common class is now called rare, but most still is not.
		expect(recall(pWeighted, test, 1, 0)).toBeGreaterThan(0.6);
		expect(weighted.history.every((h) => h.valLoss !== undefined)).toBe(true);
	});

	it('raises the recall of a rare class among three', async () => {
		const data = threeClass(600, 3);
		const test = threeClass(2000, 4);
		const base: MlpOptions = {
			task: 'multiclass',
			nClasses: 3,
			seed: 2,
			epochs: 15,
			patience: 15,
			batchSize: 32
		};
		const plain = await train(data, base);
		const weighted = await train(data, { ...base, classWeight: balancedClassWeights(data.y, 3) });
		const rPlain = recall(await predictMlp(tf, plain.artifact, test.X, test.nRows, 2), test, 3, 2);
		const rWeighted = recall(
			await predictMlp(tf, weighted.artifact, test.X, test.nRows, 2),
			test,
			3,
			2
		);
		expect(rWeighted).toBeGreaterThan(rPlain + 0.2);
	});

	it('with equal weights trains (nearly) the same model as without', async () => {
		const data = imbalanced(300, 6);
		const base: MlpOptions = { task: 'binary', seed: 9, epochs: 5, patience: 5 };
		const a = await train(data, base);
		const b = await train(data, { ...base, classWeight: [1, 1] });
		const pa = await predictMlp(tf, a.artifact, data.X, data.nRows, data.nCols);
		const pb = await predictMlp(tf, b.artifact, data.X, data.nRows, data.nCols);
		for (let i = 0; i < pa.length; i++) expect(pb[i]).toBeCloseTo(pa[i], 3);
	});

	it('rejects weights of the wrong length, negative ones, and regression', async () => {
		const data = imbalanced(100, 7);
		await expect(train(data, { task: 'binary', seed: 1, classWeight: [1] })).rejects.toThrow(
			RangeError
		);
		await expect(train(data, { task: 'binary', seed: 1, classWeight: [1, -1] })).rejects.toThrow(
			RangeError
		);
		await expect(
			train(regressionData(50, 1), { task: 'regression', seed: 1, classWeight: [1, 1] })
		).rejects.toThrow(/classification/);
		await expect(train(data, { task: 'binary', seed: 1, l2: -0.1 })).rejects.toThrow(RangeError);
	});
});

describe('defaultL2', () => {
	it('is 0.01 for class-sized data and shrinks as 10 / n beyond 1,000 rows', () => {
		expect(defaultL2(150)).toBe(0.01);
		expect(defaultL2(1000)).toBe(0.01);
		expect(defaultL2(20_000)).toBeCloseTo(5e-4, 10);
	});
});

describe('MLP l2', () => {
	it('shrinks the kernels, more for a larger penalty', async () => {
		const data = regressionData(400, 11);
		const base: MlpOptions = {
			task: 'regression',
			seed: 4,
			epochs: 10,
			patience: 10,
			batchSize: 32
		};
		const none = sumSquaredKernels(await train(data, { ...base, l2: 0 }));
		const some = sumSquaredKernels(await train(data, { ...base, l2: 1e-3 }));
		const more = sumSquaredKernels(await train(data, { ...base, l2: 1e-2 }));
		expect(some).toBeLessThan(none);
		expect(more).toBeLessThan(0.7 * some);
	});

	it('leaves validation loss unpenalised: it stays comparable to training without l2', async () => {
		const data = regressionData(400, 12);
		const r = await train(data, { task: 'regression', seed: 4, epochs: 5, patience: 5, l2: 0.1 });
		const last = r.history[r.history.length - 1];
		// The training loss carries 0.1 · Σw² on top of the fit, the validation loss does not.
		expect(last.loss).toBeGreaterThan(last.valLoss ?? Infinity);
	});
});

describe('MLP determinism', () => {
	const run = async (data: MlpData, opts: MlpOptions) => {
		const r = await train(data, opts);
		return { weights: r.weights.map((w) => Array.from(w.values)), history: r.history };
	};

	it('same seed, same model and history — also with classWeight, l2 and dropout', async () => {
		const data = imbalanced(300, 21);
		const opts: MlpOptions = {
			task: 'binary',
			seed: 13,
			epochs: 6,
			dropout: 0.1,
			l2: 1e-3,
			classWeight: balancedClassWeights(data.y, 2)
		};
		const a = await run(data, opts);
		const b = await run(data, opts);
		expect(b).toEqual(a);
		const c = await run(data, { ...opts, seed: 14 });
		expect(c.weights).not.toEqual(a.weights);
	});

	it('no l2 means defaultL2 of the training rows; l2: 0 turns it off', async () => {
		const data = regressionData(200, 22);
		const opts: MlpOptions = { task: 'regression', seed: 3, epochs: 4, validationFraction: 0 };
		const auto = await run(data, opts);
		expect(await run(data, { ...opts, l2: defaultL2(200) })).toEqual(auto);
		expect((await run(data, { ...opts, l2: 0 })).weights).not.toEqual(auto.weights);
	});
});
