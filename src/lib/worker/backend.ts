/**
 * Owns the choice of tfjs backend inside the worker: reads the user's preference and the last
 * speed test from settings, probes when needed, activates the chosen backend, and falls back
 * (next fastest, finally CPU) when one fails to start or breaks during work — re-running the job
 * when the caller says that is safe. The policy itself is pure (backend-policy.ts).
 */
import { AppException } from '../errors';
import { CancelledError } from '../ml/progress';
import type { TfCore } from '../ml/nn/tf';
import {
	BACKEND_LABELS,
	BACKEND_NAMES,
	decideBackend,
	isBackendPreference,
	isStoredProbe,
	probeCandidates,
	shouldProbe,
	type AdapterFacts,
	type BackendInfo,
	type BackendName,
	type BackendPreference,
	type ProbeResult,
	type StoredProbe
} from './backend-policy';
import { probeBackend, startBackend } from './backend-probe';

export const PREFERENCE_KEY = 'backend.preference';
export const LAST_PROBE_KEY = 'backend.lastProbe';

export interface SettingsPort {
	getSetting(
		key: typeof PREFERENCE_KEY | typeof LAST_PROBE_KEY,
		fallback: unknown
	): Promise<unknown>;
	setSetting(key: typeof PREFERENCE_KEY | typeof LAST_PROBE_KEY, value: unknown): Promise<void>;
}

export interface BackendEnvironment {
	tf: TfCore;
	settings: SettingsPort;
	userAgent: string;
	/** Facts about navigator.gpu's adapter, or null when there is none. */
	getAdapter(): Promise<AdapterFacts | null>;
	/** Defaults to the real speed test; tests inject fixed numbers. */
	probe?: (tf: TfCore, backend: BackendName) => Promise<ProbeResult>;
	/** Whether a backend still computes correctly after a job failed on it. */
	healthCheck?: (tf: TfCore, backend: BackendName) => Promise<boolean>;
	now?: () => number;
	startTimeoutMs?: number;
}

export interface RunOptions {
	/** The job only computes (writes nothing), so running it again from the start is harmless. */
	rerunSafe?: boolean;
	/** Told when the job is restarted on another backend. */
	onFallback?: (from: BackendName, to: BackendName) => void;
}

/** The part of WebGPUBackend we rely on; tfjs does not export a type for it. */
interface GpuDeviceLike {
	lost?: Promise<{ reason?: string; message?: string }>;
}

async function defaultHealthCheck(tf: TfCore, backend: BackendName): Promise<boolean> {
	if (tf.getBackend() !== backend) return false;
	try {
		const t = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
		const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000));
		const v = await Promise.race([t.data(), timeout]);
		t.dispose();
		return v !== null && v[0] === 2;
	} catch {
		return false;
	}
}

function errorText(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

export class BackendManager {
	readonly #env: BackendEnvironment;
	#ready: Promise<void> | null = null;
	#active: BackendName = 'cpu';
	#order: BackendName[] = ['cpu'];
	#preference: BackendPreference = 'auto';
	#reason = '';
	#adapter: AdapterFacts | null = null;
	#probes: ProbeResult[] = [];
	#probedAt = 0;
	#failed: Partial<Record<BackendName, string>> = {};
	/** Jobs and backend changes run one at a time so a probe never switches tf under a job. */
	#queue: Promise<unknown> = Promise.resolve();

	constructor(env: BackendEnvironment) {
		this.#env = env;
	}

	#registered(): BackendName[] {
		return BACKEND_NAMES.filter((b) => this.#env.tf.findBackendFactory(b) != null);
	}

	#serial<T>(fn: () => Promise<T>): Promise<T> {
		const run = this.#queue.then(fn, fn);
		this.#queue = run.catch(() => undefined);
		return run;
	}

	#ensureReady(): Promise<void> {
		this.#ready ??= this.#serial(() => this.#configure(false)).catch((e) => {
			this.#ready = null;
			throw e;
		});
		return this.#ready;
	}

	get info(): BackendInfo {
		return {
			active: this.#active,
			preference: this.#preference,
			reason: this.#reason,
			adapter: this.#adapter,
			probes: this.#probes.map((p) => ({ ...p })),
			probedAt: this.#probedAt
		};
	}

	async getInfo(): Promise<BackendInfo> {
		await this.#ensureReady();
		return this.info;
	}

	/** A fresh speed test on request; backends that failed earlier get another chance. */
	async reprobe(): Promise<BackendInfo> {
		await this.#ensureReady();
		await this.#serial(() => {
			this.#failed = {};
			return this.#configure(true);
		});
		return this.info;
	}

	async setPreference(preference: BackendPreference): Promise<BackendInfo> {
		if (!isBackendPreference(preference)) throw new RangeError(`Unknown backend "${preference}".`);
		await this.#ensureReady();
		await this.#serial(async () => {
			await this.#env.settings.setSetting(PREFERENCE_KEY, preference);
			// A backend the user picks by hand deserves a fresh chance even if it failed earlier.
			if (preference !== 'auto') delete this.#failed[preference];
			await this.#configure(false);
		});
		return this.info;
	}

	/**
	 * Marks a backend as broken for this session; the next job moves off it. `clause` completes
	 * a sentence that starts with the backend's name: "stopped working (the device was lost)".
	 */
	markFailed(backend: BackendName, clause: string): void {
		this.#failed[backend] = clause;
	}

	/**
	 * Runs `job` on the active backend. If it fails and the backend turns out to be broken (lost
	 * device, context loss, failed health check), moves to the next backend and — when
	 * `rerunSafe` — runs the job again there.
	 */
	async run<T>(
		job: (backend: BackendName) => Promise<T>,
		opts: RunOptions = {}
	): Promise<{ value: T; backend: BackendName }> {
		await this.#ensureReady();
		return this.#serial(async () => {
			for (;;) {
				if (this.#failed[this.#active] !== undefined && this.#active !== 'cpu') {
					await this.#activate(this.#decide());
				}
				const backend = this.#active;
				try {
					return { value: await job(backend), backend };
				} catch (e) {
					if (e instanceof CancelledError || e instanceof AppException) throw e;
					if (backend === 'cpu' || this.#failed[backend] === undefined) {
						const check = this.#env.healthCheck ?? defaultHealthCheck;
						if (await check(this.#env.tf, backend)) throw e;
						this.markFailed(backend, `stopped working (${errorText(e)})`);
					}
					if (backend === 'cpu') throw e;
					await this.#activate(this.#decide());
					if (!opts.rerunSafe) {
						throw new AppException({
							code: 'backend-failed',
							message: `The calculation stopped because ${BACKEND_LABELS[backend]} stopped working. Classlens has switched to ${BACKEND_LABELS[this.#active]}; please try again.`,
							details: { backend, error: errorText(e) }
						});
					}
					opts.onFallback?.(backend, this.#active);
				}
			}
		});
	}

	#decide() {
		return decideBackend({
			preference: this.#preference,
			registered: this.#registered(),
			adapter: this.#adapter,
			probes: this.#probes,
			failed: this.#failed
		});
	}

	async #configure(forceProbe: boolean): Promise<void> {
		const { settings, userAgent } = this.#env;
		const pref = await settings.getSetting(PREFERENCE_KEY, 'auto');
		this.#preference = isBackendPreference(pref) ? pref : 'auto';
		const stored = await settings.getSetting(LAST_PROBE_KEY, null);
		const last = isStoredProbe(stored) ? stored : null;
		this.#adapter = await this.#env.getAdapter().catch(() => null);
		const registered = this.#registered();
		const probe = shouldProbe({
			preference: this.#preference,
			registered,
			adapter: this.#adapter,
			lastProbe: last,
			userAgent,
			force: forceProbe
		});
		if (probe) {
			await this.#runProbes(registered);
		} else if (last && last.userAgent === userAgent) {
			this.#probes = last.probes;
			this.#probedAt = last.probedAt;
		}
		await this.#activate(this.#decide());
	}

	async #runProbes(registered: BackendName[]): Promise<void> {
		const { tf } = this.#env;
		const probe = this.#env.probe ?? ((t: TfCore, b: BackendName) => probeBackend(t, b));
		const results: ProbeResult[] = [];
		for (const b of probeCandidates(registered, this.#adapter)) {
			results.push(await probe(tf, b));
		}
		this.#probes = results;
		this.#probedAt = (this.#env.now ?? Date.now)();
		const stored: StoredProbe = {
			userAgent: this.#env.userAgent,
			probedAt: this.#probedAt,
			adapter: this.#adapter,
			probes: results
		};
		await this.#env.settings.setSetting(LAST_PROBE_KEY, stored);
	}

	/** Starts the decided backend, or the next in its order; failures become part of the reason. */
	async #activate(decision: ReturnType<typeof decideBackend>): Promise<void> {
		let d = decision;
		for (let attempt = 0; attempt < BACKEND_NAMES.length + 1; attempt++) {
			const b = d.backend;
			const started = await startBackend(this.#env.tf, b, this.#env.startTimeoutMs ?? 5000);
			if (started.ok) {
				this.#active = b;
				this.#order = d.order;
				this.#reason = d.reason;
				if (b === 'webgpu') this.#watchDevice();
				return;
			}
			this.markFailed(
				b,
				started.error === 'could not start' ? started.error : `could not start (${started.error})`
			);
			if (b === 'cpu') break;
			d = this.#decide();
		}
		throw new AppException({
			code: 'no-backend',
			message: 'This browser could not start any way of running the calculations.',
			details: { tried: Object.keys(this.#failed).join(', ') }
		});
	}

	/** A lost WebGPU device (driver reset, sleep, another tab's crash) marks WebGPU as failed. */
	#watchDevice(): void {
		const device = (this.#env.tf.backend() as unknown as { device?: GpuDeviceLike }).device;
		void device?.lost?.then((info) => {
			if (info.reason === 'destroyed') return;
			this.markFailed(
				'webgpu',
				`the graphics device was lost${info.message ? `: ${info.message}` : ''}`
			);
		});
	}

	/** Order of backends to try, for the settings page. */
	get order(): BackendName[] {
		return [...this.#order];
	}
}

interface GpuAdapterInfoLike {
	vendor?: string;
	architecture?: string;
	description?: string;
	isFallbackAdapter?: boolean;
}

interface GpuAdapterLike {
	info?: GpuAdapterInfoLike;
	isFallbackAdapter?: boolean;
	requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}

interface GpuLike {
	requestAdapter(opts?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/**
 * What navigator.gpu says about its best adapter. Older browsers lack `adapter.info` (they had
 * requestAdapterInfo) and `isFallbackAdapter`; the policy also reads the names for software
 * rasterisers (SwiftShader, llvmpipe).
 */
export async function readAdapterFacts(
	gpu: GpuLike | undefined = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu,
	timeoutMs = 3000
): Promise<AdapterFacts | null> {
	if (!gpu) return null;
	const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
	const read = async (): Promise<AdapterFacts | null> => {
		const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
		if (!adapter) return null;
		const info =
			adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined)) ?? {};
		return {
			vendor: info.vendor ?? '',
			architecture: info.architecture ?? '',
			description: info.description ?? '',
			isFallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false)
		};
	};
	try {
		return await Promise.race([read(), timeout]);
	} catch {
		return null;
	}
}
