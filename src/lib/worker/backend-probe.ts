/**
 * A quick speed test of one tfjs backend on work shaped like ours: a few Adam steps of a
 * 20→32→16→1 dense network on 2,048 random rows. GPU backends look fast on big matrices but pay
 * per-kernel overhead on small ones, so the tabular shape matters more than peak FLOPs.
 */
// The probe trains, so it needs gradients even when tfjs-layers (which registers them) is absent.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { TfCore } from '../ml/nn/tf';
import type { BackendName, ProbeResult } from './backend-policy';

export interface ProbeOptions {
	/** Limit for starting the backend and the first (compiling) step together. */
	startTimeoutMs?: number;
	/** Timed steps after the warm-up step; fewer if the time budget runs out. */
	steps?: number;
	/** Time budget for the timed steps. */
	budgetMs?: number;
	rows?: number;
}

const DEFAULTS = { startTimeoutMs: 1500, steps: 5, budgetMs: 200, rows: 2048 };

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const t = new Promise<never>((_, reject) => {
		const seconds = Math.round(ms / 100) / 10;
		timer = setTimeout(() => reject(new Error(`${what} took longer than ${seconds} s`)), ms);
	});
	return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function message(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

/**
 * tf.setBackend with a time limit. A backend whose start hangs is removed from the registry:
 * otherwise its late-finishing start could swap tf's backend instance under a running job.
 */
export async function startBackend(
	tf: TfCore,
	backend: BackendName,
	timeoutMs: number
): Promise<{ ok: true } | { ok: false; error: string }> {
	try {
		const started = await withTimeout(tf.setBackend(backend), timeoutMs, 'Starting');
		return started ? { ok: true } : { ok: false, error: 'could not start' };
	} catch (e) {
		try {
			tf.removeBackend(backend);
		} catch {
			// Already gone: nothing left that could swap in later.
		}
		return { ok: false, error: message(e) };
	}
}

/**
 * Switches tf to `backend` and times the probe network. Leaves tf on that backend (or wherever
 * setBackend left it); the caller activates the winner afterwards.
 */
export async function probeBackend(
	tf: TfCore,
	backend: BackendName,
	opts: ProbeOptions = {}
): Promise<ProbeResult> {
	const o = { ...DEFAULTS, ...opts };
	const started = performance.now();
	const start = await startBackend(tf, backend, o.startTimeoutMs);
	if (!start.ok) return { backend, available: false, msPerStep: null, error: start.error };

	// An abandoned probe (timed out) must stop issuing work as soon as it next looks.
	let abandoned = false;
	const work = async (): Promise<number> => {
		const vars: Variable[] = [];
		const owned: Tensor[] = [];
		const optimizer = tf.train.adam(0.01);
		try {
			const sizes = [20, 32, 16, 1];
			for (let i = 0; i + 1 < sizes.length; i++) {
				// tidy frees the initial values; the variables themselves outlive it.
				tf.tidy(() => {
					vars.push(
						tf.variable(tf.randomNormal([sizes[i], sizes[i + 1]], 0, 0.2, 'float32', 7 + i))
					);
					vars.push(tf.variable(tf.zeros([sizes[i + 1]])));
				});
			}
			const x = tf.randomNormal([o.rows, 20], 0, 1, 'float32', 1);
			const y = tf.randomNormal([o.rows, 1], 0, 1, 'float32', 2);
			owned.push(x, y);
			const step = async () => {
				const loss = optimizer.minimize(() => {
					let h: Tensor = x;
					for (let i = 0; i < vars.length; i += 2) {
						h = tf.add(tf.matMul(h, vars[i]), vars[i + 1]);
						if (i + 2 < vars.length) h = tf.relu(h);
					}
					return tf.losses.meanSquaredError(y, h) as Scalar;
				}, true);
				// Reading the loss waits for the device, so GPU steps are timed to completion.
				await loss?.data();
				loss?.dispose();
			};
			await step();
			const t0 = performance.now();
			let n = 0;
			while (n < o.steps && !abandoned) {
				await step();
				n++;
				if (performance.now() - t0 > o.budgetMs) break;
			}
			return (performance.now() - t0) / Math.max(1, n);
		} finally {
			optimizer.dispose();
			for (const v of vars) v.dispose();
			for (const t of owned) t.dispose();
		}
	};
	const remaining = Math.max(1, o.startTimeoutMs - (performance.now() - started));
	try {
		const ms = await withTimeout(work(), remaining + o.budgetMs * 2, 'The speed test');
		return { backend, available: true, msPerStep: ms, error: null };
	} catch (e) {
		abandoned = true;
		// It started, so it stays a fallback candidate; it just cannot win the speed test.
		return { backend, available: true, msPerStep: null, error: message(e) };
	}
}
