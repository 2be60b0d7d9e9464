/**
 * The training measured by bench/gbdt-browser.mjs, shared by the Web Worker entry and the Node
 * run beside it so both time exactly the same code on exactly the same data: the Friedman
 * regression of bench/gbdt.ts (20 features, last 20% held out, 100 trees, 31 leaves, 255 bins,
 * learning rate 0.1, no early stopping).
 */
import { makeFrame, numericColumn, sliceRows } from '../../src/lib/ml/frame';
import { predict, trainGbdt } from '../../src/lib/ml/gbdt';
import { rmse } from '../../src/lib/ml/metrics';
import { friedman } from '../friedman';

export interface GbdtRunResult {
	rows: number;
	train_rows: number;
	train_seconds: number;
	rmse: number;
}

export function runGbdtRegression(nRows: number): GbdtRunResult {
	const { cols, score: y } = friedman(nRows);
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
