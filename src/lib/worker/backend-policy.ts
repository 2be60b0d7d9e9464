/**
 * Which TensorFlow.js backend to train on, as a pure decision: given what the browser offers
 * (registered backends, the WebGPU adapter), what a quick speed test measured, the user's
 * preference and what has failed this session, pick a backend, a fallback order and a sentence
 * a teacher can read. No tf, no DOM: unit-tested in Node.
 */

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export const BACKEND_LABELS: Record<BackendName, string> = {
	webgpu: 'WebGPU',
	webgl: 'WebGL',
	wasm: 'WASM',
	cpu: 'CPU'
};

/** Without speed-test results: WASM is rarely slow on tabular work; CPU always works. */
const DEFAULT_ORDER: readonly BackendName[] = ['wasm', 'webgl', 'cpu'];

export interface AdapterFacts {
	vendor: string;
	architecture: string;
	description: string;
	/** True for a fallback (software) adapter, or when the name says it is software. */
	isFallback: boolean;
}

export interface ProbeResult {
	backend: BackendName;
	/** Whether the backend started at all. */
	available: boolean;
	/** Mean time of one training step of the probe network; null if it did not finish. */
	msPerStep: number | null;
	error: string | null;
}

export interface BackendInfo {
	active: BackendName;
	preference: BackendPreference;
	/** Plain sentences: why this backend, and what the alternatives measured. */
	reason: string;
	adapter: AdapterFacts | null;
	probes: ProbeResult[];
	/** When the probes were measured (ms since epoch); 0 if never. */
	probedAt: number;
}

/** What is remembered in settings ('backend.lastProbe') between sessions. */
export interface StoredProbe {
	userAgent: string;
	probedAt: number;
	adapter: AdapterFacts | null;
	probes: ProbeResult[];
}

const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

/** A fallback adapter, or one whose name gives away a software rasteriser. */
export function isSoftwareAdapter(a: AdapterFacts): boolean {
	return a.isFallback || SOFTWARE_NAMES.test(`${a.vendor} ${a.architecture} ${a.description}`);
}

export function isBackendName(x: unknown): x is BackendName {
	return typeof x === 'string' && (BACKEND_NAMES as readonly string[]).includes(x);
}

export function isBackendPreference(x: unknown): x is BackendPreference {
	return x === 'auto' || isBackendName(x);
}

function isProbeResult(x: unknown): x is ProbeResult {
	const p = x as ProbeResult;
	return (
		typeof x === 'object' &&
		x !== null &&
		isBackendName(p.backend) &&
		typeof p.available === 'boolean' &&
		(p.msPerStep === null || typeof p.msPerStep === 'number') &&
		(p.error === null || typeof p.error === 'string')
	);
}

/** Settings survive app updates, so a stored probe is checked before it is trusted. */
export function isStoredProbe(x: unknown): x is StoredProbe {
	const s = x as StoredProbe;
	return (
		typeof x === 'object' &&
		x !== null &&
		typeof s.userAgent === 'string' &&
		typeof s.probedAt === 'number' &&
		Array.isArray(s.probes) &&
		s.probes.every(isProbeResult) &&
		(s.adapter === null || typeof s.adapter === 'object')
	);
}

function hasHardwareGpu(adapter: AdapterFacts | null, registered: readonly BackendName[]) {
	return adapter !== null && !isSoftwareAdapter(adapter) && registered.includes('webgpu');
}

/** Backends worth timing: WebGL, WASM, CPU, and WebGPU only when it offers a (software) adapter. */
export function probeCandidates(
	registered: readonly BackendName[],
	adapter: AdapterFacts | null
): BackendName[] {
	return BACKEND_NAMES.filter(
		(b) => registered.includes(b) && (b !== 'webgpu' || adapter !== null)
	);
}

/** Probe when choosing automatically without a hardware GPU, unless this browser was timed already. */
export function shouldProbe(input: {
	preference: BackendPreference;
	registered: readonly BackendName[];
	adapter: AdapterFacts | null;
	lastProbe: StoredProbe | null;
	userAgent: string;
	force?: boolean;
}): boolean {
	if (input.force) return true;
	if (input.preference !== 'auto') return false;
	if (hasHardwareGpu(input.adapter, input.registered)) return false;
	return input.lastProbe === null || input.lastProbe.userAgent !== input.userAgent;
}

export interface DecisionInput {
	preference: BackendPreference;
	/** Backends this build registered and this environment accepts. */
	registered: readonly BackendName[];
	adapter: AdapterFacts | null;
	probes: readonly ProbeResult[];
	/**
	 * Backends that failed this session, each with a clause that completes "WebGPU …", e.g.
	 * "could not start" or "stopped working (the graphics device was lost)".
	 */
	failed?: Partial<Record<BackendName, string>>;
}

export interface Decision {
	backend: BackendName;
	/** The chosen backend first, then what to try if it fails; CPU is always last. */
	order: BackendName[];
	reason: string;
}

export function formatMs(ms: number): string {
	return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function describeAdapter(a: AdapterFacts): string {
	const parts = [a.vendor, a.architecture, a.description].filter((s) => s && s.trim());
	return parts.length ? ` (${parts.join(', ')})` : '';
}

function adapterSentence(adapter: AdapterFacts | null, registered: readonly BackendName[]): string {
	if (!registered.includes('webgpu')) return 'This browser does not offer WebGPU.';
	if (adapter === null) return 'No graphics adapter for WebGPU was found.';
	if (isSoftwareAdapter(adapter)) {
		return 'No hardware GPU was found (WebGPU offers only a software adapter).';
	}
	return '';
}

function probeSummary(p: ProbeResult): string {
	const label = BACKEND_LABELS[p.backend];
	if (!p.available) return `${label} could not start`;
	return p.msPerStep === null ? `${label} did not finish` : `${label} ${formatMs(p.msPerStep)}`;
}

/** The automatic order, treating the backends in `failed` as unusable. */
function rankBackends(input: DecisionInput, failed: Partial<Record<BackendName, string>>) {
	const { registered, adapter, probes } = input;
	const usable = (b: BackendName) => registered.includes(b) && failed[b] === undefined;
	const startsFine = (b: BackendName) =>
		usable(b) && probes.find((p) => p.backend === b)?.available !== false;
	const ranked = probes
		.filter((p) => p.available && p.msPerStep !== null && usable(p.backend))
		.sort((a, b) => (a.msPerStep as number) - (b.msPerStep as number));
	const hardware = hasHardwareGpu(adapter, registered) && usable('webgpu');
	const order: BackendName[] = [];
	const push = (b: BackendName) => {
		if (startsFine(b) && !order.includes(b)) order.push(b);
	};
	if (hardware) push('webgpu');
	for (const p of ranked) push(p.backend);
	for (const b of DEFAULT_ORDER) push(b);
	// CPU is the floor: keep it even if it failed before, since nothing else is left.
	if (!order.includes('cpu')) order.push('cpu');
	return { order, ranked, hardware, startsFine };
}

/** Chooses a backend; pure, so every branch of the policy is a unit test. */
export function decideBackend(input: DecisionInput): Decision {
	const failed = input.failed ?? {};
	const { registered, adapter, probes } = input;
	const probeOf = (b: BackendName) => probes.find((p) => p.backend === b);
	const { order: autoOrder, ranked, hardware, startsFine } = rankBackends(input, failed);

	// Only failures that changed the outcome are worth a sentence: backends that would have come
	// before the chosen one. A failed WebGPU in a browser without a GPU is just noise.
	const unbroken = rankBackends(input, {}).order;
	const failures = unbroken
		.slice(0, Math.max(0, unbroken.indexOf(autoOrder[0])))
		.filter((b) => failed[b] !== undefined)
		.map((b) => `${BACKEND_LABELS[b]} ${failed[b]}.`)
		.join(' ');
	const autoReason = (): string => {
		const first = autoOrder[0];
		if (hardware && first === 'webgpu') {
			return `WebGPU is used because a hardware graphics card was found${describeAdapter(adapter as AdapterFacts)}.`;
		}
		const winner = ranked[0];
		const tail = adapterSentence(adapter, registered);
		if (winner && winner.backend === first) {
			const others = probes.filter((p) => p !== winner).map(probeSummary);
			const rest = others.length ? `; ${others.join('; ')}` : '';
			const main = `${BACKEND_LABELS[first]} was fastest in a quick test (${formatMs(winner.msPerStep as number)} per step${rest}).`;
			return tail ? `${main} ${tail}` : main;
		}
		const main =
			first === 'cpu' && autoOrder.length === 1
				? 'CPU is used because no faster option works here.'
				: `${BACKEND_LABELS[first]} is used (no speed test results are available).`;
		return tail ? `${main} ${tail}` : main;
	};

	const pref = input.preference;
	if (pref !== 'auto') {
		if (startsFine(pref)) {
			return {
				backend: pref,
				order: [pref, ...autoOrder.filter((b) => b !== pref)],
				reason: `You chose ${BACKEND_LABELS[pref]} in Settings.`
			};
		}
		const why =
			failed[pref] !== undefined
				? `it ${failed[pref]}`
				: !registered.includes(pref)
					? 'this browser does not support it'
					: `it could not start here${probeOf(pref)?.error ? ` (${probeOf(pref)?.error})` : ''}`;
		return {
			backend: autoOrder[0],
			order: autoOrder,
			reason: `You chose ${BACKEND_LABELS[pref]} in Settings, but ${why}. ${BACKEND_LABELS[autoOrder[0]]} is used instead. ${autoReason()}`
		};
	}
	const reason = autoReason();
	return {
		backend: autoOrder[0],
		order: autoOrder,
		reason: failures ? `${failures} ${reason}` : reason
	};
}
