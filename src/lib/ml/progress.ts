/**
 * Long jobs report progress as a fraction plus a phase a person can read, and stop when asked.
 * Cancellation is cooperative (checked between units of work, e.g. epochs or boosting rounds) so
 * partial results stay consistent; the worker bridge terminates the worker only as a fallback.
 */
export interface Progress {
	/** 0..1 over the whole job. */
	fraction: number;
	/** Short phrase, e.g. "Training — epoch 3 of 20". */
	phase: string;
	/** Optional numbers for the UI (best score so far, rows written, …). */
	detail?: Record<string, number>;
}

export type ProgressFn = (p: Progress) => void;

export interface CancelToken {
	readonly cancelled: boolean;
	/** Throws a CancelledError when cancelled; call it between units of work. */
	throwIfCancelled(): void;
}

export class CancelledError extends Error {
	constructor() {
		super('Cancelled');
		this.name = 'CancelledError';
	}
}

export class CancelSource implements CancelToken {
	#cancelled = false;
	get cancelled(): boolean {
		return this.#cancelled;
	}
	cancel(): void {
		this.#cancelled = true;
	}
	throwIfCancelled(): void {
		if (this.#cancelled) throw new CancelledError();
	}
}

export const neverCancelled: CancelToken = {
	cancelled: false,
	throwIfCancelled() {}
};

export const noProgress: ProgressFn = () => {};

/** Maps a sub-job's 0..1 progress into [from, to] of the parent's. */
export function subProgress(parent: ProgressFn, from: number, to: number): ProgressFn {
	return (p) =>
		parent({ ...p, fraction: from + (to - from) * Math.min(1, Math.max(0, p.fraction)) });
}
