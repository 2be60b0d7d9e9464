import type { Result } from '$lib/errors';
import type { Progress } from '$lib/ml/progress';
import { getWorkerClient } from '$lib/worker/client';
import type { WorkerApi } from '$lib/worker/api';
import type { Remote } from 'comlink';

/**
 * Runs one job in the worker with cooperative cancel (then hard cancel) and progress, in the
 * shape the Job store expects. Pages call this rather than talking to comlink themselves.
 */
export function inWorker<T>(
	name: string,
	call: (
		api: Remote<WorkerApi>,
		onProgress: (p: Progress) => void,
		jobId: string
	) => Promise<Result<T>>
): (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<Result<T>> {
	return (signal, onProgress) => getWorkerClient().run(name, call, { signal, onProgress });
}
