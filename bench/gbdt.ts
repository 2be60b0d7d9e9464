/**
 * Training speed and held-out RMSE of Classlens GBDT against scikit-learn's
 * HistGradientBoostingRegressor and XGBoost `hist`, all single-threaded, on the same data in the
 * same run. Usage: npx tsx bench/gbdt.ts [--rows N] [--no-python]
 * Friedman-style regression with 20 numeric features (5 informative), last 20% held out,
 * 100 trees, 31 leaves, 255 bins, learning rate 0.1, no early stopping. Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFrame, numericColumn, sliceRows } from '../src/lib/ml/frame';
import { predict, trainGbdt } from '../src/lib/ml/gbdt';
import { rmse } from '../src/lib/ml/metrics';
import { createRng } from '../src/lib/ml/random';

function arg(name: string, fallback: number): number {
	const i = process.argv.indexOf(name);
	return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const nRows = arg('--rows', 200_000);
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
const train = sliceRows(frame, 0, nTrain);
const test = sliceRows(frame, nTrain, nRows);

const t0 = performance.now();
const model = trainGbdt(train, y.subarray(0, nTrain), {
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
const t1 = performance.now();
const pred = predict(model, test);
const predictSeconds = (performance.now() - t1) / 1000;
const classlens = {
	train_seconds: trainSeconds,
	rmse: rmse(y.subarray(nTrain), pred),
	predict_rows_per_s: (nRows - nTrain) / predictSeconds
};

const PY = `
import sys, time, json, numpy as np
n, F, nt = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
a = np.fromfile(sys.argv[1], dtype=np.float64)
X = a[: n * F].reshape(n, F); y = a[n * F :]
Xtr, Xte, ytr, yte = X[:nt], X[nt:], y[:nt], y[nt:]
out = {}
from sklearn.ensemble import HistGradientBoostingRegressor
m = HistGradientBoostingRegressor(max_iter=100, max_leaf_nodes=31, max_bins=255, learning_rate=0.1,
    min_samples_leaf=20, l2_regularization=0.0, early_stopping=False, random_state=0)
t = time.perf_counter(); m.fit(Xtr, ytr); ts = time.perf_counter() - t
t = time.perf_counter(); p = m.predict(Xte); tp = time.perf_counter() - t
out["sklearn_hgb"] = dict(train_seconds=ts, rmse=float(np.sqrt(np.mean((p - yte) ** 2))), predict_rows_per_s=len(yte) / tp, version=__import__("sklearn").__version__)
import xgboost as xgb
d = xgb.DMatrix(Xtr, ytr, nthread=1)
params = dict(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, eta=0.1,
    max_bin=256, nthread=1, reg_lambda=0.0, min_child_weight=1e-3, objective="reg:squarederror")
t = time.perf_counter(); b = xgb.train(params, d, 100); ts = time.perf_counter() - t
dt = xgb.DMatrix(Xte, nthread=1)
t = time.perf_counter(); p = b.predict(dt); tp = time.perf_counter() - t
out["xgboost_hist"] = dict(train_seconds=ts, rmse=float(np.sqrt(np.mean((p - yte) ** 2))), predict_rows_per_s=len(yte) / tp, version=xgb.__version__)
print(json.dumps(out))
`;

type Peer = { train_seconds: number; rmse: number; predict_rows_per_s: number; version: string };
let peers: Record<string, Peer> | { error: string } | null = null;
if (!process.argv.includes('--no-python')) {
	const dir = mkdtempSync(join(tmpdir(), 'classlens-gbdt-'));
	try {
		const file = join(dir, 'data.f64');
		const buf = new Float64Array(nRows * F + nRows);
		for (let i = 0; i < nRows; i++) for (let j = 0; j < F; j++) buf[i * F + j] = cols[j][i];
		buf.set(y, nRows * F);
		writeFileSync(file, new Uint8Array(buf.buffer));
		const out = execFileSync(
			'/usr/bin/python3',
			['-c', PY, file, String(nRows), String(F), String(nTrain)],
			{
				env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
				encoding: 'utf8',
				maxBuffer: 1 << 20
			}
		);
		peers = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, Peer>;
	} catch (e) {
		peers = { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const ratios: Record<string, { time_ratio: number; rmse_ratio: number }> = {};
if (peers && !('error' in peers)) {
	for (const [name, p] of Object.entries(peers)) {
		ratios[name] = {
			time_ratio: classlens.train_seconds / p.train_seconds,
			rmse_ratio: classlens.rmse / p.rmse
		};
	}
}
console.log(
	JSON.stringify({
		bench: 'gbdt-regression',
		rows: nRows,
		train_rows: nTrain,
		features: F,
		trees: 100,
		leaves: 31,
		bins: 255,
		learning_rate: 0.1,
		node: process.version,
		classlens,
		peers,
		ratios_classlens_over_peer: ratios
	})
);
