import type { AppError, Result } from '$lib/errors';
import { toAppError } from '$lib/errors';
import type { Progress } from '$lib/ml/progress';

/**
 * UI state of one long job in the worker: progress bar, cancel button, error or result.
 * The job itself is a function that receives an AbortSignal and a progress callback, so this
 * stays independent of which worker call it wraps.
 */
export class Job<T> {
	running = $state(false);
	cancelling = $state(false);
	progress = $state<Progress | null>(null);
	error = $state<AppError | null>(null);
	result = $state<T | null>(null);
	#controller: AbortController | null = null;

	async start(
		fn: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<Result<T>>
	): Promise<Result<T>> {
		if (this.running) return { ok: false, error: { code: 'busy', message: 'Already running.' } };
		const controller = new AbortController();
		this.#controller = controller;
		this.running = true;
		this.cancelling = false;
		this.progress = null;
		this.error = null;
		this.result = null;
		let outcome: Result<T>;
		try {
			outcome = await fn(controller.signal, (p) => {
				if (this.#controller === controller) this.progress = p;
			});
		} catch (e) {
			outcome = { ok: false, error: toAppError(e) };
		}
		if (this.#controller === controller) {
			this.running = false;
			this.cancelling = false;
			this.#controller = null;
			if (outcome.ok) this.result = outcome.value;
			else if (outcome.error.code !== 'cancelled') this.error = outcome.error;
		}
		return outcome;
	}

	cancel(): void {
		if (!this.#controller) return;
		this.cancelling = true;
		this.#controller.abort();
	}

	reset(): void {
		this.error = null;
		this.result = null;
		this.progress = null;
	}
}
