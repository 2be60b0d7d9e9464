/**
 * Times trainQuick in Node on the cpu and wasm backends: the 240-row marks demo, and a 20,000 ×
 * 20 synthetic regression (y = 3·x1 − 2·x2 + noise), both with default options and with 3 epochs
 * (the figure DESIGN.md quotes). Prints one JSON summary.
 *   npx tsx bench/train-quick.ts
 */
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { makeFrame, numericColumn, type Frame } from '../src/lib/ml/frame';
import { withLayers } from '../src/lib/ml/nn/tf';
import { neverCancelled } from '../src/lib/ml/progress';
import { createRng } from '../src/lib/ml/random';
import { generateDemo } from '../src/lib/ml/synthetic';
import { inferTask } from '../src/lib/ml/preprocess';
import { trainQuick } from '../src/lib/ml/train-quick';

function linearFrame(nRows: number, nCols: number, seed: number): Frame {
	const rng = createRng(seed);
	const cols = Array.from({ length: nCols }, () => new Float64Array(nRows));
	const y = new Float64Array(nRows);
	for (let i = 0; i < nRows; i++) {
		for (const c of cols) c[i] = rng.normal();
		y[i] = 3 * cols[0][i] - 2 * cols[1][i] + 0.5 * rng.normal();
	}
	return makeFrame([...cols.map((c, j) => numericColumn(`x${j + 1}`, c)), numericColumn('y', y)]);
}

const tf = withLayers(tfc, tfl);
const marks = generateDemo('marks', { seed: 1 });
const marksFeatures = Object.entries(marks.roles)
	.filter(([, role]) => role === 'feature')
	.map(([name]) => name);
const big = linearFrame(20_000, 20, 7);
const cases = [
	{ name: 'marks-240', frame: marks.frame, target: marks.target ?? '', features: marksFeatures },
	{
		name: 'linear-20000x20',
		frame: big,
		target: 'y',
		features: Array.from({ length: 20 }, (_, j) => `x${j + 1}`)
	}
];

const results: Record<string, unknown>[] = [];
for (const backend of ['cpu', 'wasm']) {
	if (!(await tfc.setBackend(backend))) continue;
	await tfc.ready();
	for (const c of cases) {
		for (const epochs of [undefined, 3]) {
			const task = inferTask(c.frame, c.target);
			const t0 = performance.now();
			const r = await trainQuick(
				tf,
				c.frame,
				{ target: c.target, features: c.features, task, seed: 1, epochs },
				() => {},
				neverCancelled
			);
			results.push({
				backend,
				dataset: c.name,
				epochs: epochs ?? 'default (early stopping)',
				epochsRun: r.history.length,
				seconds: +((performance.now() - t0) / 1000).toFixed(3),
				rmse: +r.metrics.rmse.toFixed(3),
				baselineRmse: +r.baseline.rmse.toFixed(3)
			});
		}
	}
}
console.log(JSON.stringify({ node: process.version, results }, null, 1));
