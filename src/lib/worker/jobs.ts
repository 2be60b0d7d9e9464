/**
 * Long jobs in the worker: each gets a cancel token registered under its id (synchronously, so
 * a cancel that arrives right after the call finds it), throttled progress, and a finish step
 * that releases the page's progress callback. Shared by every part of the worker API.
 */
import { releaseProxy } from 'comlink';
import { fail, toAppError, type Result } from '../errors';
import { CancelSource, CancelledError, type ProgressFn } from '../ml/progress';
import { throttleProgress, type ThrottledProgress } from './throttle';

const CANCELLED_IDS_KEPT = 64;

/** Releases a comlink-proxied callback's port once the job is over (plain functions: no-op). */
function releaseCallback(fn: unknown): void {
	if (typeof fn !== 'function') return;
	const release = (fn as unknown as Record<symbol, unknown>)[releaseProxy];
	if (typeof release === 'function') {
		try {
			release.call(fn);
		} catch {
			// Already released.
		}
	}
}

export interface RunningJob {
	token: CancelSource;
	report: ThrottledProgress;
	finish(): void;
}

export class JobRegistry {
	readonly #jobs = new Map<string, CancelSource>();
	readonly #cancelledEarly = new Set<string>();

	start(jobId: string | undefined, onProgress: ProgressFn | undefined): RunningJob {
		const token = new CancelSource();
		if (jobId !== undefined) {
			if (this.#cancelledEarly.delete(jobId)) token.cancel();
			this.#jobs.set(jobId, token);
		}
		const report = throttleProgress(onProgress);
		const finish = () => {
			if (jobId !== undefined) this.#jobs.delete(jobId);
			report.flush();
			report.dispose();
			releaseCallback(onProgress);
		};
		return { token, report, finish };
	}

	/**
	 * Runs a job from start to finish: a thrown error becomes a Result (cancellation with the
	 * job's own message), and the progress callback is released whatever happens.
	 */
	async run<T>(
		jobId: string | undefined,
		onProgress: ProgressFn | undefined,
		cancelledMessage: string,
		body: (job: Pick<RunningJob, 'token' | 'report'>) => Promise<Result<T>>
	): Promise<Result<T>> {
		const { token, report, finish } = this.start(jobId, onProgress);
		try {
			return await body({ token, report });
		} catch (e) {
			return failure(e, cancelledMessage);
		} finally {
			finish();
		}
	}

	/** Asks the job to stop at its next checkpoint; unknown ids are remembered briefly. */
	cancel(jobId: string): void {
		const token = this.#jobs.get(jobId);
		if (token) {
			token.cancel();
			return;
		}
		this.#cancelledEarly.add(jobId);
		if (this.#cancelledEarly.size > CANCELLED_IDS_KEPT) {
			this.#cancelledEarly.delete(this.#cancelledEarly.values().next().value as string);
		}
	}
}

/** A thrown error as a Result; cancellation gets the job's own "nothing was saved" message. */
export function failure<T>(e: unknown, cancelledMessage: string): Result<T> {
	if (e instanceof CancelledError) return fail('cancelled', cancelledMessage);
	return { ok: false, error: toAppError(e) };
}
