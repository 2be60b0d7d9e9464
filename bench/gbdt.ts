/**
 * Training speed, held-out quality and prediction throughput of Classlens GBDT against
 * scikit-learn's HistGradientBoosting and XGBoost `hist`, all single-threaded (OMP_NUM_THREADS=1
 * for the Python peers; our learner is single-threaded), on the same data in the same run.
 *
 * Usage: npx tsx bench/gbdt.ts [--rows N] [--full] [--cases regression,binary,multiclass]
 *        [--no-python]
 * Default: 200,000 rows, all three cases. --full runs 200,000 and 1,000,000 rows.
 * Data: Friedman-style score over 20 numeric features (5 informative) plus N(0,1) noise;
 * regression fits the score, binary the score above its median, multiclass its terciles.
 * Last 20% of rows held out. 100 rounds, 31 leaves, 255 bins, learning rate 0.1, no early
 * stopping. Prints one JSON object: per case times, metrics, predict rows/s and the ratios
 * classlens / peer (time_ratio ≤ 1 means we train at least as fast; metric_ratio is RMSE or
 * log-loss, ≤ 1.01 is the goal).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFrame, numericColumn, sliceRows, type Frame } from '../src/lib/ml/frame';
import { predict, trainGbdt, type GbdtLoss } from '../src/lib/ml/gbdt';
import { accuracy, logLoss, predictedClasses, rmse } from '../src/lib/ml/metrics';
import { FRIEDMAN_FEATURES, friedman } from './friedman';

type CaseName = 'regression' | 'binary' | 'multiclass';
const ALL_CASES: CaseName[] = ['regression', 'binary', 'multiclass'];
const F = FRIEDMAN_FEATURES;
const ROUNDS = 100;
const LEAVES = 31;
const BINS = 255;
const LR = 0.1;

function argValue(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

const sizes = process.argv.includes('--full')
	? [200_000, 1_000_000]
	: [Number(argValue('--rows') ?? 200_000)];
const cases = (argValue('--cases')?.split(',') ?? ALL_CASES).filter((c): c is CaseName =>
	(ALL_CASES as string[]).includes(c)
);
const withPython = !process.argv.includes('--no-python');

interface Data {
	n: number;
	nTrain: number;
	cols: Float64Array[];
	y: Record<CaseName, Float64Array>;
	train: Frame;
	test: Frame;
}

function makeData(n: number): Data {
	const { cols, score } = friedman(n);
	const sorted = Float64Array.from(score).sort();
	const q = (p: number) => sorted[Math.floor(p * (n - 1))];
	const median = q(0.5);
	const t1 = q(1 / 3);
	const t2 = q(2 / 3);
	const frame = makeFrame(cols.map((c, j) => numericColumn(`x${j}`, c)));
	const nTrain = Math.floor(n * 0.8);
	return {
		n,
		nTrain,
		cols,
		y: {
			regression: score,
			binary: score.map((v) => (v > median ? 1 : 0)),
			multiclass: score.map((v) => (v > t2 ? 2 : v > t1 ? 1 : 0))
		},
		train: sliceRows(frame, 0, nTrain),
		test: sliceRows(frame, nTrain, n)
	};
}

interface Result {
	train_seconds: number;
	predict_rows_per_s: number;
	rmse?: number;
	log_loss?: number;
	accuracy?: number;
	version?: string;
}

const LOSS: Record<CaseName, GbdtLoss> = {
	regression: 'squared_error',
	binary: 'binary_logloss',
	multiclass: 'multiclass'
};

function runClasslens(d: Data, c: CaseName): Result {
	const y = d.y[c];
	const t0 = performance.now();
	const model = trainGbdt(d.train, y.subarray(0, d.nTrain), {
		loss: LOSS[c],
		nClasses: c === 'multiclass' ? 3 : undefined,
		nRounds: ROUNDS,
		maxLeaves: LEAVES,
		maxBins: BINS,
		learningRate: LR,
		minSamplesLeaf: 20,
		lambda: 0,
		earlyStopping: false,
		recordHistory: false,
		seed: 0
	});
	const trainSeconds = (performance.now() - t0) / 1000;
	const t1 = performance.now();
	const p = predict(model, d.test);
	const predictSeconds = (performance.now() - t1) / 1000;
	const yTest = y.subarray(d.nTrain);
	const out: Result = {
		train_seconds: trainSeconds,
		predict_rows_per_s: (d.n - d.nTrain) / predictSeconds
	};
	if (c === 'regression') out.rmse = rmse(yTest, p);
	else {
		const K = c === 'binary' ? 2 : 3;
		out.log_loss = logLoss(yTest, p, K);
		out.accuracy = accuracy(yTest, predictedClasses(p, yTest.length, K));
	}
	return out;
}

// One Python process per size: reads X and the three targets once, fits the requested cases.
const PY = `
import sys, time, json, numpy as np
path, n, F, nt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
cases = sys.argv[5].split(",")
a = np.fromfile(path, dtype=np.float64)
X = a[: n * F].reshape(n, F)
Y = {c: a[n * F + i * n : n * F + (i + 1) * n] for i, c in enumerate(["regression", "binary", "multiclass"])}
Xtr, Xte = X[:nt], X[nt:]
import sklearn, xgboost as xgb
from sklearn.ensemble import HistGradientBoostingRegressor, HistGradientBoostingClassifier
def metrics(c, p, yte):
    if c == "regression":
        return dict(rmse=float(np.sqrt(np.mean((p - yte) ** 2))))
    P = np.clip(p if p.ndim == 2 else np.stack([1 - p, p], 1), 1e-15, 1)
    yi = yte.astype(int)
    return dict(log_loss=float(-np.mean(np.log(P[np.arange(len(yi)), yi]))), accuracy=float(np.mean(P.argmax(1) == yi)))
out = {}
common = dict(max_iter=100, max_leaf_nodes=31, max_bins=255, learning_rate=0.1, min_samples_leaf=20,
              l2_regularization=0.0, early_stopping=False, random_state=0)
for c in cases:
    ytr, yte = Y[c][:nt], Y[c][nt:]
    res = {}
    m = HistGradientBoostingRegressor(**common) if c == "regression" else HistGradientBoostingClassifier(**common)
    t = time.perf_counter(); m.fit(Xtr, ytr); ts = time.perf_counter() - t
    t = time.perf_counter(); p = m.predict(Xte) if c == "regression" else m.predict_proba(Xte); tp = time.perf_counter() - t
    res["sklearn_hgb"] = dict(train_seconds=ts, predict_rows_per_s=len(yte) / tp, version=sklearn.__version__, **metrics(c, p, yte))
    obj = dict(regression=dict(objective="reg:squarederror"), binary=dict(objective="binary:logistic"),
               multiclass=dict(objective="multi:softprob", num_class=3))[c]
    params = dict(tree_method="hist", grow_policy="lossguide", max_leaves=31, max_depth=0, eta=0.1,
                  max_bin=256, nthread=1, reg_lambda=0.0, min_child_weight=1e-3, **obj)
    d = xgb.DMatrix(Xtr, ytr, nthread=1)
    t = time.perf_counter(); b = xgb.train(params, d, 100); ts = time.perf_counter() - t
    dt = xgb.DMatrix(Xte, nthread=1)
    t = time.perf_counter(); p = b.predict(dt); tp = time.perf_counter() - t
    res["xgboost_hist"] = dict(train_seconds=ts, predict_rows_per_s=len(yte) / tp, version=xgb.__version__, **metrics(c, p, yte))
    out[c] = res
print(json.dumps(out))
`;

type Peers = Record<string, Record<string, Result>>;

function runPeers(d: Data): Peers | { error: string } {
	const dir = mkdtempSync(join(tmpdir(), 'classlens-gbdt-'));
	try {
		const file = join(dir, 'data.f64');
		const { n } = d;
		const buf = new Float64Array(n * F + 3 * n);
		for (let j = 0; j < F; j++) {
			const col = d.cols[j];
			for (let i = 0; i < n; i++) buf[i * F + j] = col[i];
		}
		ALL_CASES.forEach((c, k) => buf.set(d.y[c], n * F + k * n));
		writeFileSync(file, new Uint8Array(buf.buffer));
		const out = execFileSync(
			'/usr/bin/python3',
			['-c', PY, file, String(n), String(F), String(d.nTrain), cases.join(',')],
			{
				env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
				encoding: 'utf8',
				maxBuffer: 1 << 20
			}
		);
		return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Peers;
	} catch (e) {
		return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const results: unknown[] = [];
for (const n of sizes) {
	const d = makeData(n);
	const ours: Partial<Record<CaseName, Result>> = {};
	for (const c of cases) ours[c] = runClasslens(d, c);
	const peers = withPython ? runPeers(d) : null;
	for (const c of cases) {
		const mine = ours[c] as Result;
		const peerSet = peers && !('error' in peers) ? (peers[c] ?? {}) : {};
		const ratios: Record<string, Record<string, number>> = {};
		for (const [name, p] of Object.entries(peerSet)) {
			const key = c === 'regression' ? 'rmse' : 'log_loss';
			ratios[name] = {
				time_ratio: mine.train_seconds / p.train_seconds,
				metric_ratio: (mine[key] ?? NaN) / (p[key] ?? NaN),
				predict_speed_ratio: mine.predict_rows_per_s / p.predict_rows_per_s
			};
		}
		results.push({
			case: c,
			rows: n,
			train_rows: d.nTrain,
			classlens: mine,
			peers: peers && 'error' in peers ? peers : peerSet,
			ratios_classlens_over_peer: ratios
		});
	}
}

console.log(
	JSON.stringify({
		bench: 'gbdt',
		features: F,
		trees: ROUNDS,
		leaves: LEAVES,
		bins: BINS,
		learning_rate: LR,
		threads: 1,
		node: process.version,
		results
	})
);
