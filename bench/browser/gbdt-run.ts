/**
 * The training measured by bench/gbdt-browser.mjs, shared by the Web Worker entry and the Node
 * run beside it so both time exactly the same code on exactly the same data: the Friedman
 * regression of bench/gbdt.ts (20 features, last 20% held out, 100 trees, 31 leaves, 255 bins,
 * learning rate 0.1, no early stopping).
 */
import { makeFrame, numericColumn, sliceRows } from '../../src/lib/ml/frame';
import { predict, trainGbdt } from '../../src/lib/ml/gbdt';
import { rmse } from '../../src/lib/ml/metrics';
import { createRng } from '../../src/lib/ml/random';

export interface GbdtRunResult {
	rows: number;
	train_rows: number;
	train_seconds: number;
	rmse: number;
}

export function runGbdtRegression(nRows: number): GbdtRunResult {
	const F = 20;
	const rng = createRng(2024);
	const cols = Array.from({ length: F }, () => new Float64Array(nRows));
	const y = new Float64Array(nRows);
	for (let i = 0; i < nRows; i++) {
		for (let j = 0; j < F; j++) cols[j][i] = rng.next();
		const x = (j: number) => cols[j][i];
		y[i] =
			10 * Math.sin(Math.PI * x(0) * x(1)) +
			20 * (x(2) - 0.5) ** 2 +
			10 * x(3) +
			5 * x(4) +
			rng.normal();
	}
	const frame = makeFrame(cols.map((c, j) => numericColumn(`x${j}`, c)));
	const nTrain = Math.floor(nRows * 0.8);
	const t0 = performance.now();
	const model = trainGbdt(sliceRows(frame, 0, nTrain), y.subarray(0, nTrain), {
		nRounds: 100,
		maxLeaves: 31,
		maxBins: 255,
		learningRate: 0.1,
		minSamplesLeaf: 20,
		lambda: 0,
		earlyStopping: false,
		recordHistory: false,
		seed: 0
	});
	const trainSeconds = (performance.now() - t0) / 1000;
	const p = predict(model, sliceRows(frame, nTrain, nRows));
	return {
		rows: nRows,
		train_rows: nTrain,
		train_seconds: trainSeconds,
		rmse: rmse(y.subarray(nTrain), p)
	};
}
