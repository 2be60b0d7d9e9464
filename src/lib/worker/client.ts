/**
 * The main thread's side of the worker bridge. One worker, created on first use. `run` gives
 * every job an id, forwards progress through a comlink proxy, and cancels in two steps: first
 * cooperatively (the job stops at its next checkpoint and reports 'cancelled'), then — if it has
 * not stopped within a few seconds — by terminating the worker, which is recreated on next use.
 */
import * as Comlink from 'comlink';
import { fail, toAppError, type Result } from '../errors';
import type { Progress, ProgressFn } from '../ml/progress';
import type { WorkerApi } from './api';

export type WorkerRemote = Comlink.Remote<WorkerApi>;

export interface WorkerConnection {
	api: WorkerRemote;
	terminate(): void;
	/** Called when the worker reports an uncaught error (it may or may not still be alive). */
	onError(listener: (message: string) => void): void;
}

export interface RunOptions {
	signal?: AbortSignal;
	onProgress?: (p: Progress) => void;
}

export type JobCall<T> = (
	api: WorkerRemote,
	onProgress: ProgressFn,
	jobId: string
) => Promise<Result<T>>;

export interface WorkerClientOptions {
	/** How long a cancelled job may take to stop before the worker is terminated. */
	hardCancelMs?: number;
	/** How long a worker that reported an error has to answer a ping before it counts as dead. */
	pingTimeoutMs?: number;
}

interface PendingJob {
	conn: WorkerConnection;
	settle(r: Result<unknown>): void;
}

const CANCELLED_MESSAGE = 'The task was cancelled.';

export class WorkerClient {
	readonly #connect: () => WorkerConnection;
	readonly #hardCancelMs: number;
	readonly #pingTimeoutMs: number;
	#conn: WorkerConnection | null = null;
	readonly #pending = new Set<PendingJob>();
	#seq = 0;

	constructor(connect: () => WorkerConnection, opts: WorkerClientOptions = {}) {
		this.#connect = connect;
		this.#hardCancelMs = opts.hardCancelMs ?? 3000;
		this.#pingTimeoutMs = opts.pingTimeoutMs ?? 3000;
	}

	/** The worker's API for quick calls (ping, backend info); long jobs should go through run(). */
	get api(): WorkerRemote {
		return this.#connection().api;
	}

	/** Whether a worker is currently running (for tests and the settings page). */
	get started(): boolean {
		return this.#conn !== null;
	}

	#connection(): WorkerConnection {
		if (this.#conn) return this.#conn;
		const conn = this.#connect();
		this.#conn = conn;
		conn.onError((message) => void this.#checkAlive(conn, message));
		return conn;
	}

	/** An error event alone does not mean the worker died; one that cannot answer a ping did. */
	async #checkAlive(conn: WorkerConnection, message: string): Promise<void> {
		const timeout = new Promise<'timeout'>((resolve) =>
			setTimeout(() => resolve('timeout'), this.#pingTimeoutMs)
		);
		const answer = await Promise.race([conn.api.ping().catch(() => 'error' as const), timeout]);
		if (answer === 'pong' || this.#conn !== conn) return;
		this.#stop(conn, {
			code: 'worker-crashed',
			message: 'The background calculations stopped unexpectedly. Please try again.',
			details: { error: message }
		});
	}

	/** Terminates `conn`; jobs still running on it end with `error`. */
	#stop(
		conn: WorkerConnection,
		error: { code: string; message: string; details?: Record<string, string> }
	) {
		if (this.#conn === conn) this.#conn = null;
		conn.terminate();
		for (const job of [...this.#pending]) {
			if (job.conn === conn) job.settle(fail(error.code, error.message, error.details));
		}
	}

	/** Stops the worker now (e.g. before deleting all data); the next call starts a new one. */
	terminate(): void {
		if (this.#conn) {
			this.#stop(this.#conn, {
				code: 'worker-restarted',
				message: 'The task was interrupted. Please start it again.'
			});
		}
	}

	run<T>(name: string, call: JobCall<T>, opts: RunOptions = {}): Promise<Result<T>> {
		const { signal, onProgress } = opts;
		if (signal?.aborted) return Promise.resolve(fail('cancelled', CANCELLED_MESSAGE));
		const jobId = `${name}-${++this.#seq}-${Date.now().toString(36)}`;
		const conn = this.#connection();
		return new Promise<Result<T>>((resolve) => {
			let hardTimer: ReturnType<typeof setTimeout> | undefined;
			let settled = false;
			const job: PendingJob = {
				conn,
				settle: (r) => {
					if (settled) return;
					settled = true;
					signal?.removeEventListener('abort', onAbort);
					clearTimeout(hardTimer);
					this.#pending.delete(job);
					resolve(r as Result<T>);
				}
			};
			const onAbort = () => {
				conn.api.cancel(jobId).catch(() => undefined);
				hardTimer = setTimeout(() => {
					if (settled) return;
					job.settle(fail('cancelled', CANCELLED_MESSAGE, { hard: true }));
					// Other jobs on this worker die with it; they learn why rather than hanging.
					this.#stop(conn, {
						code: 'worker-restarted',
						message:
							'The task was interrupted because another task had to be stopped. Please start it again.'
					});
				}, this.#hardCancelMs);
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.#pending.add(job);
			// Functions cannot be cloned into the worker; a proxy is a port the worker calls back on.
			const progress = Comlink.proxy(onProgress ?? (() => undefined));
			call(conn.api, progress, jobId).then(job.settle, (e: unknown) =>
				job.settle({ ok: false, error: toAppError(e) })
			);
		});
	}
}

function connectWorker(): WorkerConnection {
	// This exact form lets Vite find, bundle and emit the worker as a module.
	const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
	return {
		api: Comlink.wrap<WorkerApi>(worker),
		terminate: () => worker.terminate(),
		onError: (listener) =>
			worker.addEventListener('error', (e) => listener(e.message || 'The worker failed to start.'))
	};
}

let client: WorkerClient | null = null;

/** The app's single worker client; the worker itself starts on first use. */
export function getWorkerClient(): WorkerClient {
	client ??= new WorkerClient(connectWorker);
	return client;
}
