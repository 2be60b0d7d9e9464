/**
 * The MLP training measured by `npm run bench:nn`, shared by the Web Worker entry
 * (bench/browser/nn-worker.ts) and the Node run (bench/nn.ts) so every backend times exactly the
 * same code on exactly the same data: trainMlp, hidden [32, 16], batch 256, a fixed 10 epochs
 * (no early stopping, no validation split: every row trains), on seeded 20,000 × 20 regression
 * and binary tables. One untimed 1-epoch run first compiles the kernels (shaders on webgl and
 * webgpu), so the figure is steady-state throughput: rows × epochs / seconds. The timed run is
 * repeated (up to 3 times, while the runs so far took under 30 s) and the best one reported: on a
 * shared machine, and before V8 has optimised tfjs's own JavaScript, single runs vary by 2×.
 */
import { trainMlp, type MlpData, type MlpTask } from '../../src/lib/ml/nn/mlp';
import type { Tf } from '../../src/lib/ml/nn/tf';
import { neverCancelled } from '../../src/lib/ml/progress';
import { createRng } from '../../src/lib/ml/random';

export const NN_BENCH = {
	rows: 20_000,
	cols: 20,
	hidden: [32, 16],
	batchSize: 256,
	epochs: 10,
	repeats: 3,
	repeatBudgetSeconds: 30
};

export interface NnCaseResult {
	task: MlpTask;
	rows: number;
	epochs: number;
	warmup_seconds: number;
	/** The best timed run. */
	seconds: number;
	/** Every timed run, in order. */
	runs_seconds: number[];
	samples_per_second: number;
	final_loss: number;
}

/** Regression: y = 3·x1 − 2·x2 + x3·x4 + noise. Binary: the sign of a noisy linear score. */
export function nnBenchData(task: 'regression' | 'binary', rows: number, cols: number): MlpData {
	const rng = createRng(`bench-nn:${task}`);
	const X = new Float32Array(rows * cols);
	const y = task === 'regression' ? new Float32Array(rows) : new Int32Array(rows);
	for (let i = 0; i < rows; i++) {
		const o = i * cols;
		for (let j = 0; j < cols; j++) X[o + j] = rng.normal();
		const score = 3 * X[o] - 2 * X[o + 1] + X[o + 2] * X[o + 3] + 0.5 * rng.normal();
		y[i] = task === 'regression' ? score : score > 0 ? 1 : 0;
	}
	return { X, y, nRows: rows, nCols: cols };
}

export async function runNnCase(
	tf: Tf,
	task: 'regression' | 'binary',
	rows = NN_BENCH.rows,
	epochs = NN_BENCH.epochs,
	repeats = NN_BENCH.repeats
): Promise<NnCaseResult> {
	const data = nnBenchData(task, rows, NN_BENCH.cols);
	const opts = {
		task,
		hidden: NN_BENCH.hidden,
		batchSize: NN_BENCH.batchSize,
		validationFraction: 0,
		seed: 1
	};
	const train = (n: number) =>
		trainMlp(tf, data, { ...opts, epochs: n, patience: n + 1 }, () => {}, neverCancelled);
	const w0 = performance.now();
	await train(1);
	const warmup = (performance.now() - w0) / 1000;
	const runs: number[] = [];
	let r;
	do {
		const t0 = performance.now();
		r = await train(epochs);
		runs.push((performance.now() - t0) / 1000);
	} while (runs.length < repeats && runs.reduce((a, b) => a + b) < NN_BENCH.repeatBudgetSeconds);
	const seconds = Math.min(...runs);
	return {
		task,
		rows,
		epochs: r.epochsRun,
		warmup_seconds: round(warmup, 3),
		seconds: round(seconds, 3),
		runs_seconds: runs.map((s) => round(s, 3)),
		samples_per_second: Math.round((rows * r.epochsRun) / seconds),
		final_loss: round(r.history[r.history.length - 1].loss, 4)
	};
}

function round(x: number, digits: number): number {
	return Math.round(x * 10 ** digits) / 10 ** digits;
}
