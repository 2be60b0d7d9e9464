/**
 * Trains regression, binary and multiclass models here, exports them to XGBoost's JSON format,
 * loads them with Debian's python3-xgboost and checks that XGBoost's predictions agree with ours
 * to 1e-5 (on float32-representable inputs with missing values). Usage:
 *   npx tsx bench/compat-xgboost.ts
 * Prints one JSON object; exits with status 1 when any case disagrees.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFrame, numericColumn } from '../src/lib/ml/frame';
import { predict, trainGbdt, type GbdtLoss } from '../src/lib/ml/gbdt';
import { toXgboostJson } from '../src/lib/ml/gbdt/xgboost';
import { createRng } from '../src/lib/ml/random';

const n = 3000;
const F = 8;
const rng = createRng(7);
const cols = Array.from({ length: F }, () => new Float64Array(n));
const score = new Float64Array(n);
for (let i = 0; i < n; i++) {
	for (let j = 0; j < F; j++) cols[j][i] = Math.fround(rng.uniform(-2, 2));
	const x = (j: number) => cols[j][i];
	score[i] = 3 * Math.sin(x(0) * x(1)) + x(2) ** 2 + 2 * x(3) + rng.normal() * 0.5;
	for (let j = 0; j < F; j++) if (rng.next() < 0.05) cols[j][i] = NaN;
}
const frame = makeFrame(cols.map((c, j) => numericColumn(`x${j}`, c)));
const cases: { name: string; loss: GbdtLoss; y: Float64Array }[] = [
	{ name: 'regression', loss: 'squared_error', y: score },
	{ name: 'binary', loss: 'binary_logloss', y: score.map((v) => (v > 2 ? 1 : 0)) },
	{ name: 'multiclass', loss: 'multiclass', y: score.map((v) => (v > 4 ? 2 : v > 0 ? 1 : 0)) }
];

const PY = `
import sys, json, numpy as np, xgboost as xgb
n, F = int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(sys.argv[1], dtype=np.float64).reshape(n, F)
out = {}
for path in sys.argv[4:]:
    b = xgb.Booster(model_file=path)
    d = xgb.DMatrix(X, missing=np.nan, feature_names=b.feature_names)
    out[path] = b.predict(d).reshape(-1).tolist()
print(json.dumps(out))
`;

const dir = mkdtempSync(join(tmpdir(), 'classlens-xgb-'));
let ok = true;
const results: Record<string, { max_abs_diff: number; trees: number }> = {};
try {
	const data = join(dir, 'x.f64');
	const X = new Float64Array(n * F);
	for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) X[i * F + j] = cols[j][i];
	writeFileSync(data, new Uint8Array(X.buffer));
	const ours: Record<string, Float64Array> = {};
	const paths: string[] = [];
	for (const c of cases) {
		const model = trainGbdt(frame, c.y, { loss: c.loss, nRounds: 60, maxLeaves: 31, seed: 1 });
		const path = join(dir, `${c.name}.json`);
		writeFileSync(path, toXgboostJson(model));
		ours[path] = predict(model, frame);
		paths.push(path);
		results[c.name] = { max_abs_diff: NaN, trees: model.trees.length };
	}
	const out = execFileSync('/usr/bin/python3', ['-c', PY, data, String(n), String(F), ...paths], {
		env: { ...process.env, OMP_NUM_THREADS: '1' },
		encoding: 'utf8',
		maxBuffer: 1 << 26
	});
	const theirs = JSON.parse(out) as Record<string, number[]>;
	cases.forEach((c, i) => {
		const a = ours[paths[i]];
		const b = theirs[paths[i]];
		let diff = a.length === b.length ? 0 : Infinity;
		for (let r = 0; r < a.length && diff < Infinity; r++)
			diff = Math.max(diff, Math.abs(a[r] - b[r]));
		results[c.name].max_abs_diff = diff;
		if (!(diff <= 1e-5)) ok = false;
	});
} finally {
	rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify({ bench: 'compat-xgboost', rows: n, ok, results }));
if (!ok) process.exitCode = 1;
