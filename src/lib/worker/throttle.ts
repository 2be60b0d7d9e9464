/**
 * Progress crosses the worker boundary as a comlink-proxied callback: every call is a
 * postMessage. A fast job (thousands of batches) must not flood the main thread, so reports are
 * throttled to one per interval, keeping the latest; the final one is always delivered.
 */
import type { Progress, ProgressFn } from '../ml/progress';

export interface ThrottledProgress extends ProgressFn {
	/** Delivers a pending report now (call before the job's result is returned). */
	flush(): void;
	/** Drops any pending report and stops the timer. */
	dispose(): void;
}

/** Calls `fn` and swallows its failures: a closed or released port must not fail the job. */
function safeCall(fn: ProgressFn, p: Progress): void {
	try {
		const r = (fn as (p: Progress) => unknown)(p);
		if (r instanceof Promise) r.catch(() => undefined);
	} catch {
		// The page went away or released the callback; the job carries on regardless.
	}
}

export function throttleProgress(
	fn: ProgressFn | undefined,
	intervalMs = 50,
	now: () => number = () => performance.now()
): ThrottledProgress {
	let last = -Infinity;
	let pending: Progress | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let disposed = false;

	const deliver = (p: Progress) => {
		last = now();
		if (fn && !disposed) safeCall(fn, p);
	};
	const flush = () => {
		if (timer !== null) clearTimeout(timer);
		timer = null;
		if (pending) {
			const p = pending;
			pending = null;
			deliver(p);
		}
	};
	const report = ((p: Progress) => {
		if (disposed || !fn) return;
		const wait = last + intervalMs - now();
		// Completion is never held back: the UI should not sit at 97 % while the job is done.
		if (wait <= 0 || p.fraction >= 1) {
			pending = null;
			if (timer !== null) clearTimeout(timer);
			timer = null;
			deliver(p);
			return;
		}
		pending = p;
		timer ??= setTimeout(flush, wait);
	}) as ThrottledProgress;
	report.flush = flush;
	report.dispose = () => {
		disposed = true;
		pending = null;
		if (timer !== null) clearTimeout(timer);
		timer = null;
	};
	return report;
}
