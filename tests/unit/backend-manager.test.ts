import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { AppException } from '../../src/lib/errors';
import { CancelledError } from '../../src/lib/ml/progress';
import {
	BackendManager,
	LAST_PROBE_KEY,
	PREFERENCE_KEY,
	readAdapterFacts,
	type BackendEnvironment,
	type SettingsPort
} from '../../src/lib/worker/backend';
import type { BackendName, ProbeResult } from '../../src/lib/worker/backend-policy';
import { probeBackend } from '../../src/lib/worker/backend-probe';

function memorySettings(
	initial: Record<string, unknown> = {}
): SettingsPort & { data: Map<string, unknown> } {
	const data = new Map(Object.entries(initial));
	return {
		data,
		getSetting: async (key, fallback) => (data.has(key) ? data.get(key) : fallback),
		setSetting: async (key, value) => {
			data.set(key, value);
		}
	};
}

const fixedProbe = (ms: Partial<Record<BackendName, number>>) =>
	vi.fn(async (tf: typeof tfc, backend: BackendName): Promise<ProbeResult> => {
		await tf.setBackend(backend);
		return { backend, available: true, msPerStep: ms[backend] ?? null, error: null };
	});

function env(over: Partial<BackendEnvironment> = {}): BackendEnvironment {
	return {
		tf: tfc,
		settings: memorySettings(),
		userAgent: 'Node test',
		getAdapter: async () => null,
		probe: fixedProbe({ wasm: 2, cpu: 9 }),
		now: () => 1234,
		...over
	};
}

beforeEach(async () => {
	await tfc.setBackend('cpu');
});

describe('BackendManager', () => {
	it('probes on first use, picks the fastest, and remembers the result', async () => {
		const e = env({ probe: fixedProbe({ wasm: 7, cpu: 3 }) });
		const m = new BackendManager(e);
		const info = await m.getInfo();
		expect(info.active).toBe('cpu');
		expect(tfc.getBackend()).toBe('cpu');
		expect(info.preference).toBe('auto');
		expect(info.probedAt).toBe(1234);
		expect(info.probes.map((p) => p.backend)).toEqual(['wasm', 'cpu']);
		expect(info.reason).toBe(
			'CPU was fastest in a quick test (3.0 ms per step; WASM 7.0 ms). This browser does not offer WebGPU.'
		);
		const stored = (e.settings as ReturnType<typeof memorySettings>).data.get(LAST_PROBE_KEY);
		expect(stored).toMatchObject({ userAgent: 'Node test', probedAt: 1234 });
	});

	it('reuses a stored probe for the same browser, re-probes for another or on request', async () => {
		const settings = memorySettings();
		const first = env({ settings, probe: fixedProbe({ wasm: 2, cpu: 9 }) });
		await new BackendManager(first).getInfo();
		const again = env({ settings, probe: fixedProbe({ wasm: 2, cpu: 9 }) });
		const m2 = new BackendManager(again);
		expect((await m2.getInfo()).active).toBe('wasm');
		expect(again.probe).not.toHaveBeenCalled();
		await m2.reprobe();
		expect(again.probe).toHaveBeenCalledTimes(2);
		const newBrowser = env({ settings, userAgent: 'Node test 2', probe: fixedProbe({ wasm: 2 }) });
		await new BackendManager(newBrowser).getInfo();
		expect(newBrowser.probe).toHaveBeenCalled();
	});

	it('follows and stores a manual preference, falling back with a reason when unavailable', async () => {
		const e = env();
		const m = new BackendManager(e);
		const chosen = await m.setPreference('cpu');
		expect(chosen.active).toBe('cpu');
		expect(chosen.reason).toBe('You chose CPU in Settings.');
		expect((e.settings as ReturnType<typeof memorySettings>).data.get(PREFERENCE_KEY)).toBe('cpu');
		const webgl = await m.setPreference('webgl');
		expect(webgl.active).toBe('wasm');
		expect(webgl.reason).toMatch(
			/^You chose WebGL in Settings, but this browser does not support it\./
		);
		expect((await m.setPreference('auto')).active).toBe('wasm');
	});

	it('re-runs a job on the next backend when the active one breaks', async () => {
		const m = new BackendManager(env({ healthCheck: async (_tf, b) => b !== 'wasm' }));
		expect((await m.getInfo()).active).toBe('wasm');
		const onFallback = vi.fn();
		const seen: BackendName[] = [];
		const { value, backend } = await m.run(
			async (b) => {
				seen.push(b);
				if (b === 'wasm') throw new Error('memory access out of bounds');
				return 42;
			},
			{ rerunSafe: true, onFallback }
		);
		expect(value).toBe(42);
		expect(backend).toBe('cpu');
		expect(seen).toEqual(['wasm', 'cpu']);
		expect(onFallback).toHaveBeenCalledWith('wasm', 'cpu');
		expect(m.info.reason).toMatch(/^WASM stopped working \(memory access out of bounds\)\./);
	});

	it('moves off a backend marked as failed (e.g. a lost WebGPU device) before the next job', async () => {
		const m = new BackendManager(env());
		await m.getInfo();
		m.markFailed('wasm', 'stopped working (the graphics device was lost)');
		const { backend } = await m.run(async (b) => b);
		expect(backend).toBe('cpu');
	});

	it('does not blame a healthy backend for a failing job, nor re-run unsafe jobs', async () => {
		const m = new BackendManager(env({ healthCheck: async () => true }));
		await expect(m.run(async () => Promise.reject(new Error('bad data')))).rejects.toThrow(
			'bad data'
		);
		expect(m.info.active).toBe('wasm');
		await expect(m.run(async () => Promise.reject(new CancelledError()))).rejects.toBeInstanceOf(
			CancelledError
		);

		const broken = new BackendManager(env({ healthCheck: async () => false }));
		await broken.getInfo();
		const err = await broken
			.run(async () => Promise.reject(new Error('context lost')), { rerunSafe: false })
			.catch((e) => e);
		expect(err).toBeInstanceOf(AppException);
		expect((err as AppException).appError.code).toBe('backend-failed');
		expect(broken.info.active).toBe('cpu');
	});

	it('runs jobs one at a time', async () => {
		const m = new BackendManager(env());
		const order: string[] = [];
		const job = (name: string) => async () => {
			order.push(`${name} start`);
			await new Promise((r) => setTimeout(r, 5));
			order.push(`${name} end`);
		};
		await Promise.all([m.run(job('a')), m.run(job('b'))]);
		expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
	});
});

describe('probeBackend (real, in Node)', () => {
	it('times cpu and wasm without leaking tensors', async () => {
		const before = tfc.memory().numTensors;
		for (const b of ['cpu', 'wasm'] as const) {
			const r = await probeBackend(tfc, b, { steps: 2, budgetMs: 100 });
			expect(r).toMatchObject({ backend: b, available: true, error: null });
			expect(r.msPerStep).toBeGreaterThan(0);
		}
		await tfc.setBackend('cpu');
		expect(tfc.memory().numTensors).toBe(before);
	});

	it('reports a backend that is not registered as unavailable', async () => {
		const r = await probeBackend(tfc, 'webgl');
		expect(r).toMatchObject({ backend: 'webgl', available: false, msPerStep: null });
	});
});

describe('readAdapterFacts', () => {
	it('reads adapter.info, or the older requestAdapterInfo, and the fallback flag', async () => {
		expect(await readAdapterFacts(undefined)).toBeNull();
		const modern = {
			requestAdapter: async () => ({
				info: {
					vendor: 'apple',
					architecture: 'metal-3',
					description: '',
					isFallbackAdapter: false
				}
			})
		};
		expect(await readAdapterFacts(modern)).toEqual({
			vendor: 'apple',
			architecture: 'metal-3',
			description: '',
			isFallback: false
		});
		const older = {
			requestAdapter: async () => ({
				isFallbackAdapter: true,
				requestAdapterInfo: async () => ({ vendor: 'google', architecture: 'swiftshader' })
			})
		};
		expect(await readAdapterFacts(older)).toMatchObject({
			architecture: 'swiftshader',
			isFallback: true
		});
		expect(await readAdapterFacts({ requestAdapter: async () => null })).toBeNull();
		const hangs = { requestAdapter: () => new Promise<null>(() => undefined) };
		expect(await readAdapterFacts(hangs, 20)).toBeNull();
	});
});
