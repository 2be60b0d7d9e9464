import { beforeAll, describe, expect, it } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { AppException } from '../../src/lib/errors';
import { categoricalColumn, makeFrame, numericColumn, type Frame } from '../../src/lib/ml/frame';
import { predictMlp, trainMlp } from '../../src/lib/ml/nn/mlp';
import { withLayers } from '../../src/lib/ml/nn/tf';
import {
	CancelSource,
	CancelledError,
	neverCancelled,
	noProgress,
	type Progress
} from '../../src/lib/ml/progress';
import { createRng } from '../../src/lib/ml/random';
import { predictQuick, trainQuick, type QuickTrainOptions } from '../../src/lib/ml/train-quick';
import { holdoutSplit } from '../../src/lib/ml/validation/holdout';

const tf = withLayers(tfc, tfl);

/** y = 3·x1 − 2·x2 + noise, plus a distractor column and a category that shifts y by group. */
function linearFrame(n: number, seed: number): Frame {
	const rng = createRng(seed);
	const x1 = new Float64Array(n);
	const x2 = new Float64Array(n);
	const x3 = new Float64Array(n);
	const y = new Float64Array(n);
	const group: string[] = [];
	for (let i = 0; i < n; i++) {
		x1[i] = rng.normal();
		x2[i] = rng.normal();
		x3[i] = rng.normal();
		group.push(i % 3 === 0 ? 'A' : 'B');
		y[i] = 3 * x1[i] - 2 * x2[i] + (group[i] === 'A' ? 1 : 0) + 0.3 * rng.normal();
	}
	// A few gaps in an input, which the pipeline must impute.
	x3[5] = NaN;
	return makeFrame([
		numericColumn('x1', x1),
		numericColumn('x2', x2),
		numericColumn('x3', x3),
		categoricalColumn('group', group),
		numericColumn('y', y)
	]);
}

/** Two classes separated by the sign of x1 + x2 (with a margin), or three blobs. */
function classFrame(n: number, seed: number, nClasses: 2 | 3): Frame {
	const rng = createRng(seed);
	const x1 = new Float64Array(n);
	const x2 = new Float64Array(n);
	const label: string[] = [];
	const centres = [
		[-2, 0],
		[2, 0],
		[0, 3]
	];
	for (let i = 0; i < n; i++) {
		const k = i % nClasses;
		const [cx, cy] = nClasses === 2 ? [k ? 1.5 : -1.5, k ? 1.5 : -1.5] : centres[k];
		x1[i] = cx + 0.7 * rng.normal();
		x2[i] = cy + 0.7 * rng.normal();
		label.push(['fail', 'pass', 'merit'][k]);
	}
	return makeFrame([
		numericColumn('x1', x1),
		numericColumn('x2', x2),
		categoricalColumn('outcome', label)
	]);
}

const regression: QuickTrainOptions = {
	target: 'y',
	features: ['x1', 'x2', 'x3', 'group'],
	task: 'regression',
	seed: 7
};

beforeAll(async () => {
	await tfc.setBackend('cpu');
});

describe('trainQuick (cpu)', () => {
	it('learns y = 3·x1 − 2·x2 + noise far better than the mean', async () => {
		const r = await trainQuick(tf, linearFrame(500, 1), regression, noProgress, neverCancelled);
		expect(r.metrics.rmse).toBeLessThan(0.3 * r.baseline.rmse);
		expect(r.metrics.r2).toBeGreaterThan(0.9);
		expect(r.metrics.n_test).toBe(100);
		expect(r.metrics.n_train).toBe(400);
		expect(r.artifact.classes).toBeNull();
		expect(r.history.length).toBeGreaterThan(0);
		expect(r.bestEpoch).toBeGreaterThan(0);
		expect(r.trainSeconds).toBeGreaterThan(0);
	});

	it('separates two classes with accuracy > 0.9 (stratified holdout)', async () => {
		const f = classFrame(300, 2, 2);
		const r = await trainQuick(
			tf,
			f,
			{ target: 'outcome', features: ['x1', 'x2'], task: 'binary', seed: 3 },
			noProgress,
			neverCancelled
		);
		expect(r.artifact.classes).toEqual(['fail', 'pass']);
		expect(r.metrics.accuracy).toBeGreaterThan(0.9);
		expect(r.metrics.log_loss).toBeLessThan(r.baseline.log_loss);
		expect(r.baseline.accuracy).toBeCloseTo(0.5, 1);
	});

	it('handles three classes and returns probabilities that sum to one', async () => {
		const f = classFrame(300, 4, 3);
		const r = await trainQuick(
			tf,
			f,
			{ target: 'outcome', features: ['x1', 'x2'], task: 'multiclass', seed: 3 },
			noProgress,
			neverCancelled
		);
		expect(r.artifact.classes).toEqual(['fail', 'merit', 'pass']);
		expect(r.metrics.accuracy).toBeGreaterThan(0.85);
		expect(r.metrics.balanced_accuracy).toBeGreaterThan(0.85);
		const p = await predictQuick(tfc, r.artifact, f, [0, 1, 2]);
		expect(p.proba).not.toBeNull();
		for (let i = 0; i < 3; i++) {
			const row = Array.from((p.proba as Float32Array).subarray(i * 3, i * 3 + 3));
			expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
		}
	});

	it('same seed, same numbers; another seed, other numbers', async () => {
		const f = linearFrame(200, 5);
		const opts = { ...regression, epochs: 8 };
		const a = await trainQuick(tf, f, opts, noProgress, neverCancelled);
		const b = await trainQuick(tf, f, opts, noProgress, neverCancelled);
		const c = await trainQuick(tf, f, { ...opts, seed: 8 }, noProgress, neverCancelled);
		expect(b.metrics).toEqual(a.metrics);
		expect(b.history).toEqual(a.history);
		expect(b.artifact).toEqual(a.artifact);
		expect(c.metrics.rmse).not.toBe(a.metrics.rmse);
	});

	it('is deterministic with dropout too (masks are seeded per batch)', async () => {
		const rng = createRng(6);
		const X = Float32Array.from({ length: 400 }, () => rng.normal());
		const y = Float32Array.from({ length: 200 }, (_, i) => 3 * X[2 * i] - 2 * X[2 * i + 1]);
		const run = () =>
			trainMlp(
				tf,
				{ X, y, nRows: 200, nCols: 2 },
				{ task: 'regression', seed: 1, epochs: 5, dropout: 0.2 },
				noProgress,
				neverCancelled
			);
		const a = await run();
		const b = await run();
		expect(b.weights).toEqual(a.weights);
		expect(b.history).toEqual(a.history);
		// Dropout is active in training: the training loss differs from a run without it.
		const plain = await trainMlp(
			tf,
			{ X, y, nRows: 200, nCols: 2 },
			{ task: 'regression', seed: 1, epochs: 5 },
			noProgress,
			neverCancelled
		);
		expect(plain.history[0].loss).not.toBe(a.history[0].loss);
	});

	it('leaks no tensors, whether it finishes or is cancelled', async () => {
		const f = linearFrame(200, 7);
		const before = tfc.memory().numTensors;
		const r = await trainQuick(tf, f, { ...regression, epochs: 5 }, noProgress, neverCancelled);
		await predictQuick(tfc, r.artifact, f);
		expect(tfc.memory().numTensors).toBe(before);
		const cancel = new CancelSource();
		await expect(
			trainQuick(
				tf,
				f,
				{ ...regression, epochs: 50 },
				(p) => {
					if ((p.detail?.epoch ?? 0) >= 2) cancel.cancel();
				},
				cancel
			)
		).rejects.toBeInstanceOf(CancelledError);
		expect(tfc.memory().numTensors).toBe(before);
	});

	it('stops at the next epoch when cancelled, and reports progress per epoch', async () => {
		const seen: Progress[] = [];
		const cancel = new CancelSource();
		const run = trainQuick(
			tf,
			linearFrame(300, 8),
			{ ...regression, epochs: 40 },
			(p) => {
				seen.push(p);
				if (p.detail?.epoch === 3) cancel.cancel();
			},
			cancel
		);
		await expect(run).rejects.toThrow(CancelledError);
		const epochs = seen.filter((p) => p.phase.startsWith('Training — epoch'));
		expect(epochs.map((p) => p.detail?.epoch)).toEqual([0, 1, 2, 3]);
		expect(epochs[3].phase).toBe('Training — epoch 3 of 40');
		expect(epochs[3].detail).toMatchObject({ epoch: 3 });
		expect(typeof epochs[3].detail?.loss).toBe('number');
		expect(typeof epochs[3].detail?.valLoss).toBe('number');
		for (let i = 1; i < seen.length; i++) {
			expect(seen[i].fraction).toBeGreaterThanOrEqual(seen[i - 1].fraction);
		}
	});

	it('keeps the best epoch weights when early stopping', async () => {
		const r = await trainQuick(
			tf,
			linearFrame(120, 9),
			{ ...regression, epochs: 300, learningRate: 0.05 },
			noProgress,
			neverCancelled
		);
		expect(r.history.length).toBeLessThan(300);
		const best = Math.min(...r.history.map((h) => h.valLoss ?? Infinity));
		expect(r.history[r.bestEpoch - 1].valLoss).toBe(best);
	});

	it('the artifact is plain JSON and predicts the same after a round trip', async () => {
		const f = linearFrame(200, 10);
		const r = await trainQuick(tf, f, { ...regression, epochs: 5 }, noProgress, neverCancelled);
		const copy = JSON.parse(JSON.stringify(r.artifact));
		const a = await predictQuick(tfc, r.artifact, f);
		const b = await predictQuick(tfc, copy, f);
		expect(Array.from(b.values)).toEqual(Array.from(a.values));
	});

	it('explains bad requests in words', async () => {
		const f = linearFrame(8, 11);
		await expect(trainQuick(tf, f, regression, noProgress, neverCancelled)).rejects.toMatchObject({
			appError: { code: 'too-few-rows' }
		});
		const oneClass = makeFrame([
			numericColumn('x', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
			categoricalColumn('y', Array(12).fill('pass'))
		]);
		const err = await trainQuick(
			tf,
			oneClass,
			{ target: 'y', features: ['x'], task: 'binary', seed: 1 },
			noProgress,
			neverCancelled
		).catch((e) => e);
		expect(err).toBeInstanceOf(AppException);
		expect((err as AppException).appError.code).toBe('one-class');
		await expect(
			trainQuick(tf, f, { ...regression, features: ['y'] }, noProgress, neverCancelled)
		).rejects.toMatchObject({ appError: { code: 'target-in-features' } });
	});
});

describe('trainMlp / predictMlp', () => {
	it('rejects malformed data before touching tf', async () => {
		const before = tfc.memory().numTensors;
		const X = new Float32Array(6);
		await expect(
			trainMlp(
				tf,
				{ X, y: new Int32Array([0, 1, 2]), nRows: 3, nCols: 2 },
				{ task: 'binary', seed: 1 },
				noProgress,
				neverCancelled
			)
		).rejects.toThrow(/not a valid binary target/);
		expect(tfc.memory().numTensors).toBe(before);
	});

	it('checks the input width at prediction time', async () => {
		const r = await trainMlp(
			tf,
			{ X: new Float32Array(20), y: new Float32Array(10).fill(1), nRows: 10, nCols: 2 },
			{ task: 'regression', seed: 1, epochs: 1 },
			noProgress,
			neverCancelled
		);
		await expect(predictMlp(tfc, r.artifact, new Float32Array(3), 1, 3)).rejects.toThrow(
			/expects 2/
		);
	});
});

describe('holdoutSplit', () => {
	it('stratifies: each class keeps its share in train and test', () => {
		const strata = Int32Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 1));
		const { train, test } = holdoutSplit(100, { testFraction: 0.2, seed: 1, strata });
		expect(train.length + test.length).toBe(100);
		expect(Array.from(test).filter((i) => i >= 90).length).toBe(2);
		expect(new Set([...train, ...test]).size).toBe(100);
		const again = holdoutSplit(100, { testFraction: 0.2, seed: 1, strata });
		expect(Array.from(again.test)).toEqual(Array.from(test));
	});

	it('keeps at least one row of every class for training', () => {
		const { train } = holdoutSplit(3, { testFraction: 0.5, seed: 2, strata: [0, 1, 1] });
		expect(Array.from(train)).toContain(0);
	});
});

describe('trainQuick (wasm in Node)', () => {
	it('gives a model as good as on cpu, without leaks', async () => {
		const ok = await tfc.setBackend('wasm');
		expect(ok).toBe(true);
		try {
			const before = tfc.memory().numTensors;
			const r = await trainQuick(tf, linearFrame(500, 1), regression, noProgress, neverCancelled);
			expect(r.metrics.rmse).toBeLessThan(0.3 * r.baseline.rmse);
			expect(tfc.memory().numTensors).toBe(before);
		} finally {
			await tfc.setBackend('cpu');
		}
	});
});
