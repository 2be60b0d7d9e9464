/**
 * The scikit-learn side of the k-means benchmarks (bench/cluster.ts in Node,
 * bench/cluster-browser.ts in a Chromium worker): KMeans single-threaded on the same matrix.
 */
import { execFileSync } from 'node:child_process';
import type { Matrix } from '../src/lib/ml/cluster/types';
import { K } from './cluster-data';

export interface Timed {
	seconds: number;
	cpu_seconds: number;
	inertia: number;
	iterations: number;
	algorithm?: string;
}

const PY = `
import json, sys, time
import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.cluster import KMeans
path, n, d, k, n_init = sys.argv[1], *map(int, sys.argv[2:6])
seeds = [int(s) for s in sys.argv[6].split(",")]
X = np.fromfile(path, dtype=np.float64).reshape(n, d)
out = {"lloyd": [], "elkan": []}
with threadpool_limits(1):
    # Warm-up on a slice, as on our side, so no one-time set-up lands in a timing.
    for algo in ("lloyd", "elkan"):
        KMeans(n_clusters=k, n_init=1, algorithm=algo, random_state=0).fit(X[:20000])
    for algo, seed in [(a, s) for a in ("lloyd", "elkan") for s in seeds]:
        c0 = time.process_time(); t0 = time.perf_counter()
        km = KMeans(n_clusters=k, init="k-means++", n_init=n_init, max_iter=300, tol=1e-4,
                    algorithm=algo, random_state=seed).fit(X)
        out[algo].append({"seconds": time.perf_counter() - t0,
                          "cpu_seconds": time.process_time() - c0,
                          "inertia": float(km.inertia_), "iterations": int(km.n_iter_)})
import sklearn
out["version"] = sklearn.__version__
print(json.dumps(out))
`;

export type Peer = Record<'lloyd' | 'elkan', Timed[]> & { version: string };

/** scikit-learn's KMeans (lloyd and elkan), once per seed, on the matrix stored in `file`. */
export function runPython(
	file: string,
	X: Matrix,
	nInit: number,
	seedList: number[]
): Peer | { error: string } {
	try {
		const out = execFileSync(
			process.env.CLASSLENS_PYTHON ?? '/usr/bin/python3',
			['-c', PY, file, String(X.n), String(X.d), String(K), String(nInit), seedList.join(',')],
			{
				env: {
					...process.env,
					OMP_NUM_THREADS: '1',
					OPENBLAS_NUM_THREADS: '1',
					MKL_NUM_THREADS: '1'
				},
				encoding: 'utf8',
				maxBuffer: 1 << 20
			}
		);
		return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Peer;
	} catch (e) {
		return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
	}
}
