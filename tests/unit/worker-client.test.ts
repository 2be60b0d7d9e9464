import { afterEach, describe, expect, it, vi } from 'vitest';
import { fail, ok, type Result } from '../../src/lib/errors';
import type { Progress } from '../../src/lib/ml/progress';
import type { WorkerApi } from '../../src/lib/worker/api';
import {
	WorkerClient,
	type WorkerConnection,
	type WorkerRemote
} from '../../src/lib/worker/client';
import { throttleProgress } from '../../src/lib/worker/throttle';

/** A stand-in for the comlink-wrapped worker: plain async methods, and a record of calls. */
function fakeConnection(impl: Partial<Record<keyof WorkerApi, (...args: never[]) => unknown>>) {
	const cancels: string[] = [];
	let errorListener: ((m: string) => void) | null = null;
	const conn = {
		terminated: false,
		cancels,
		fireError: (m: string) => errorListener?.(m),
		api: {
			ping: async () => 'pong',
			cancel: async (id: string) => void cancels.push(id),
			...impl
		} as unknown as WorkerRemote,
		terminate() {
			conn.terminated = true;
		},
		onError(listener: (m: string) => void) {
			errorListener = listener;
		}
	};
	return conn satisfies WorkerConnection;
}

type Fake = ReturnType<typeof fakeConnection>;

function clientWith(...conns: Fake[]) {
	const made: Fake[] = [];
	const client = new WorkerClient(
		() => {
			const c = conns[made.length];
			made.push(c);
			return c;
		},
		{ hardCancelMs: 30, pingTimeoutMs: 20 }
	);
	return { client, made };
}

const never = () => new Promise<never>(() => undefined);

afterEach(() => {
	vi.useRealTimers();
});

describe('WorkerClient.run', () => {
	it('starts the worker lazily, passes a job id and forwards progress', async () => {
		const conn = fakeConnection({});
		const { client, made } = clientWith(conn);
		expect(made).toHaveLength(0);
		const seen: Progress[] = [];
		const r = await client.run(
			'train',
			async (_api, onProgress, jobId) => {
				onProgress({ fraction: 0.5, phase: 'Half way' });
				return ok(jobId);
			},
			{ onProgress: (p) => seen.push(p) }
		);
		expect(r.ok && r.value).toMatch(/^train-1-/);
		expect(seen).toEqual([{ fraction: 0.5, phase: 'Half way' }]);
		expect(made).toHaveLength(1);
	});

	it('cancels cooperatively first: the job reports "cancelled" and the worker lives on', async () => {
		const conn = fakeConnection({});
		const { client } = clientWith(conn);
		const controller = new AbortController();
		let finish: (r: Result<number>) => void = () => undefined;
		const run = client.run('job', () => new Promise<Result<number>>((res) => (finish = res)), {
			signal: controller.signal
		});
		controller.abort();
		await Promise.resolve();
		expect(conn.cancels).toHaveLength(1);
		finish(fail('cancelled', 'Training was cancelled. Nothing was saved.'));
		expect(await run).toMatchObject({ ok: false, error: { code: 'cancelled' } });
		await new Promise((r) => setTimeout(r, 50));
		expect(conn.terminated).toBe(false);
	});

	it('terminates a worker that does not stop, resolves "cancelled", and starts a new one next time', async () => {
		const first = fakeConnection({});
		const second = fakeConnection({});
		const { client, made } = clientWith(first, second);
		const controller = new AbortController();
		const stuck = client.run('stuck', never, { signal: controller.signal });
		const bystander = client.run('other', never);
		controller.abort();
		const r = await stuck;
		expect(r).toMatchObject({ ok: false, error: { code: 'cancelled', details: { hard: true } } });
		expect(first.terminated).toBe(true);
		expect(await bystander).toMatchObject({ ok: false, error: { code: 'worker-restarted' } });
		expect(await client.api.ping()).toBe('pong');
		expect(made).toEqual([first, second]);
	});

	it('does not start anything for an already aborted signal', async () => {
		const { client, made } = clientWith(fakeConnection({}));
		const controller = new AbortController();
		controller.abort();
		const r = await client.run('job', never, { signal: controller.signal });
		expect(!r.ok && r.error.code).toBe('cancelled');
		expect(made).toHaveLength(0);
	});

	it('turns a transport failure into an error Result', async () => {
		const { client } = clientWith(fakeConnection({}));
		const r = await client.run('job', async () => {
			throw new Error('DataCloneError: could not be cloned');
		});
		expect(r).toMatchObject({ ok: false, error: { code: 'unexpected' } });
	});

	it('treats a worker that errors and no longer answers as crashed', async () => {
		const dead = fakeConnection({ ping: never });
		const { client } = clientWith(dead, fakeConnection({}));
		const job = client.run('job', never);
		dead.fireError('out of memory');
		expect(await job).toMatchObject({ ok: false, error: { code: 'worker-crashed' } });
		expect(dead.terminated).toBe(true);
	});

	it('keeps a worker that reports an error but still answers', async () => {
		const alive = fakeConnection({});
		const { client } = clientWith(alive);
		let finish: (r: Result<number>) => void = () => undefined;
		const job = client.run('job', () => new Promise<Result<number>>((res) => (finish = res)));
		alive.fireError('a stray error');
		await new Promise((r) => setTimeout(r, 40));
		expect(alive.terminated).toBe(false);
		finish(ok(1));
		expect(await job).toEqual(ok(1));
	});
});

describe('throttleProgress', () => {
	it('passes at most one report per interval, keeps the latest, and never holds back 100 %', () => {
		vi.useFakeTimers();
		let t = 0;
		const seen: number[] = [];
		const report = throttleProgress(
			(p) => seen.push(p.fraction),
			50,
			() => t
		);
		for (let i = 1; i <= 40; i++) {
			t = i; // 40 reports in 40 ms
			report({ fraction: i / 100, phase: 'x' });
		}
		expect(seen).toEqual([0.01]);
		t = 60;
		vi.advanceTimersByTime(60);
		expect(seen).toEqual([0.01, 0.4]);
		report({ fraction: 1, phase: 'Done' });
		expect(seen).toEqual([0.01, 0.4, 1]);
	});

	it('flush delivers a pending report; a throwing callback does not break the job', () => {
		const seen: number[] = [];
		const report = throttleProgress(
			(p) => seen.push(p.fraction),
			50,
			() => 0
		);
		report({ fraction: 0.1, phase: 'a' });
		report({ fraction: 0.2, phase: 'b' });
		report.flush();
		expect(seen).toEqual([0.1, 0.2]);
		report.dispose();
		report({ fraction: 0.3, phase: 'c' });
		expect(seen).toEqual([0.1, 0.2]);
		const throwing = throttleProgress(() => {
			throw new Error('port closed');
		});
		expect(() => throwing({ fraction: 0.5, phase: 'x' })).not.toThrow();
	});
});
