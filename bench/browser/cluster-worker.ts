/**
 * Dedicated Web Worker entry for `npm run bench:cluster:browser` (bench/cluster-browser.ts): the
 * app's k-means, as the personas dashboard runs it in its worker, on the benchmark data, with
 * each kernel engine (WebAssembly SIMD and the TypeScript fallback). Each timing is the best of
 * `repeats` fits per seed; the data check, seeding and every restart are inside it.
 */
import { kmeans } from '../../src/lib/ml/cluster/kmeans';
import { wasmKernelsAvailable, type KernelChoice } from '../../src/lib/ml/cluster/kmeans-wasm';
import { blobs, D, K } from '../cluster-data';

interface Request {
	rows: number;
	seeds: number[];
	repeats: number;
	engines: KernelChoice[];
	nInit: number;
}

const scope = self as unknown as {
	onmessage: ((e: MessageEvent<Request>) => void) | null;
	postMessage(message: unknown): void;
};

function run(req: Request) {
	const X = blobs(req.rows, 1);
	// Warm-up on a slice so the engines' code is optimised before the timed fits.
	const slice = { data: X.data.subarray(0, 20_000 * D), n: 20_000, d: D };
	for (const engine of req.engines) kmeans(slice, { k: K, seed: 0, nInit: 1, engine });
	const results: Record<string, unknown> = {};
	for (const engine of req.engines) {
		const perSeed = req.seeds.map((seed) => {
			let best = Infinity;
			let fit: ReturnType<typeof kmeans> | undefined;
			for (let r = 0; r < req.repeats; r++) {
				const t0 = performance.now();
				fit = kmeans(X, { k: K, seed, nInit: req.nInit, engine });
				best = Math.min(best, (performance.now() - t0) / 1000);
			}
			const f = fit as ReturnType<typeof kmeans>;
			return { seconds: best, inertia: f.inertia, iterations: f.iterations, engine: f.engine };
		});
		results[engine] = {
			seconds: perSeed.reduce((a, r) => a + r.seconds, 0),
			inertia: Math.min(...perSeed.map((r) => r.inertia)),
			per_seed: perSeed
		};
	}
	return { available: true, wasm: wasmKernelsAvailable(), results };
}

scope.onmessage = (e) => {
	try {
		scope.postMessage(run(e.data));
	} catch (err) {
		scope.postMessage({
			available: false,
			error: err instanceof Error ? err.message : String(err)
		});
	}
};
