import { describe, expect, it } from 'vitest';
import {
	decideBackend,
	formatMs,
	isSoftwareAdapter,
	isStoredProbe,
	probeCandidates,
	shouldProbe,
	type AdapterFacts,
	type BackendName,
	type ProbeResult
} from '../../src/lib/worker/backend-policy';

const ALL: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const NVIDIA: AdapterFacts = {
	vendor: 'nvidia',
	architecture: 'ampere',
	description: '',
	isFallback: false
};
const SWIFTSHADER: AdapterFacts = {
	vendor: 'google',
	architecture: 'swiftshader',
	description: 'SwiftShader device (Subzero)',
	isFallback: false
};

const ok = (backend: BackendName, ms: number): ProbeResult => ({
	backend,
	available: true,
	msPerStep: ms,
	error: null
});
const down = (backend: BackendName, error: string): ProbeResult => ({
	backend,
	available: false,
	msPerStep: null,
	error
});

describe('isSoftwareAdapter', () => {
	it('recognises fallback flags and software rasteriser names', () => {
		expect(isSoftwareAdapter(NVIDIA)).toBe(false);
		expect(isSoftwareAdapter(SWIFTSHADER)).toBe(true);
		expect(isSoftwareAdapter({ ...NVIDIA, isFallback: true })).toBe(true);
		expect(
			isSoftwareAdapter({
				vendor: 'mesa',
				architecture: '',
				description: 'llvmpipe (LLVM 15.0.7, 256 bits)',
				isFallback: false
			})
		).toBe(true);
		expect(
			isSoftwareAdapter({
				vendor: 'microsoft',
				architecture: '',
				description: 'Microsoft Basic Render Driver',
				isFallback: false
			})
		).toBe(true);
	});
});

describe('decideBackend', () => {
	it('hardware WebGPU wins without a speed test', () => {
		const d = decideBackend({ preference: 'auto', registered: ALL, adapter: NVIDIA, probes: [] });
		expect(d.backend).toBe('webgpu');
		expect(d.order).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
		expect(d.reason).toBe(
			'WebGPU is used because a hardware graphics card was found (nvidia, ampere).'
		);
		expect(
			shouldProbe({
				preference: 'auto',
				registered: ALL,
				adapter: NVIDIA,
				lastProbe: null,
				userAgent: 'x'
			})
		).toBe(false);
	});

	it('software WebGPU is probed with the others and usually loses', () => {
		expect(probeCandidates(ALL, SWIFTSHADER)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
		expect(
			shouldProbe({
				preference: 'auto',
				registered: ALL,
				adapter: SWIFTSHADER,
				lastProbe: null,
				userAgent: 'x'
			})
		).toBe(true);
		const d = decideBackend({
			preference: 'auto',
			registered: ALL,
			adapter: SWIFTSHADER,
			probes: [ok('webgpu', 120), ok('webgl', 38), ok('wasm', 4.1), ok('cpu', 22)]
		});
		expect(d.backend).toBe('wasm');
		expect(d.order).toEqual(['wasm', 'cpu', 'webgl', 'webgpu']);
		expect(d.reason).toBe(
			'WASM was fastest in a quick test (4.1 ms per step; WebGPU 120 ms; WebGL 38 ms; CPU 22 ms). ' +
				'No hardware GPU was found (WebGPU offers only a software adapter).'
		);
	});

	it('the fastest probe wins; unavailable and unfinished backends are skipped', () => {
		const d = decideBackend({
			preference: 'auto',
			registered: ['webgl', 'wasm', 'cpu'],
			adapter: null,
			probes: [
				ok('webgl', 3.2),
				down('wasm', 'could not start'),
				{ backend: 'cpu', available: true, msPerStep: null, error: 'timed out' }
			]
		});
		expect(d.backend).toBe('webgl');
		expect(d.order).toEqual(['webgl', 'cpu']);
		expect(d.reason).toBe(
			'WebGL was fastest in a quick test (3.2 ms per step; WASM could not start; CPU did not finish). This browser does not offer WebGPU.'
		);
		expect(probeCandidates(['webgl', 'wasm', 'cpu'], null)).toEqual(['webgl', 'wasm', 'cpu']);
	});

	it('never probes WebGPU without an adapter, and mentions the missing adapter', () => {
		expect(probeCandidates(ALL, null)).toEqual(['webgl', 'wasm', 'cpu']);
		const d = decideBackend({
			preference: 'auto',
			registered: ALL,
			adapter: null,
			probes: [ok('cpu', 5), ok('wasm', 6)]
		});
		expect(d.backend).toBe('cpu');
		expect(d.reason).toContain('No graphics adapter for WebGPU was found.');
	});

	it('respects a manual preference', () => {
		const d = decideBackend({
			preference: 'webgl',
			registered: ALL,
			adapter: SWIFTSHADER,
			probes: [ok('webgl', 38), ok('wasm', 4.1), ok('cpu', 22)]
		});
		expect(d.backend).toBe('webgl');
		expect(d.order).toEqual(['webgl', 'wasm', 'cpu']);
		expect(d.reason).toBe('You chose WebGL in Settings.');
		expect(
			shouldProbe({
				preference: 'webgl',
				registered: ALL,
				adapter: null,
				lastProbe: null,
				userAgent: 'x'
			})
		).toBe(false);
	});

	it('falls back with a reason when the manual preference is unavailable', () => {
		const notHere = decideBackend({
			preference: 'webgpu',
			registered: ['webgl', 'wasm', 'cpu'],
			adapter: null,
			probes: [ok('webgl', 38), ok('wasm', 4.1), ok('cpu', 22)]
		});
		expect(notHere.backend).toBe('wasm');
		expect(notHere.reason).toMatch(
			/^You chose WebGPU in Settings, but this browser does not support it\. WASM is used instead\. WASM was fastest/
		);

		const broken = decideBackend({
			preference: 'webgl',
			registered: ALL,
			adapter: null,
			probes: [ok('webgl', 3), ok('wasm', 4.1), ok('cpu', 22)],
			failed: { webgl: 'stopped working (the WebGL context was lost)' }
		});
		expect(broken.backend).toBe('wasm');
		expect(broken.reason).toContain('but it stopped working (the WebGL context was lost)');

		const cannotStart = decideBackend({
			preference: 'wasm',
			registered: ALL,
			adapter: null,
			probes: [down('wasm', 'no WebAssembly'), ok('cpu', 22)]
		});
		expect(cannotStart.backend).toBe('cpu');
		expect(cannotStart.reason).toContain('but it could not start here (no WebAssembly)');
	});

	it('moves off a backend that failed during work, to the next fastest, finally CPU', () => {
		const probes = [ok('webgl', 3), ok('wasm', 4), ok('cpu', 20)];
		const d1 = decideBackend({
			preference: 'auto',
			registered: ALL,
			adapter: NVIDIA,
			probes,
			failed: { webgpu: 'stopped working (the graphics device was lost)' }
		});
		expect(d1.backend).toBe('webgl');
		expect(d1.reason).toMatch(
			/^WebGPU stopped working \(the graphics device was lost\)\. WebGL was fastest/
		);
		const d2 = decideBackend({
			preference: 'auto',
			registered: ALL,
			adapter: NVIDIA,
			probes,
			failed: {
				webgpu: 'stopped working',
				webgl: 'stopped working',
				wasm: 'could not start',
				cpu: 'stopped working'
			}
		});
		expect(d2.backend).toBe('cpu');
		expect(d2.order).toEqual(['cpu']);
		expect(d2.reason).toBe(
			'WebGPU stopped working. WebGL stopped working. WASM could not start. CPU is used because no faster option works here.'
		);
	});

	it('only mentions failures that changed the outcome', () => {
		const d = decideBackend({
			preference: 'auto',
			registered: ALL,
			adapter: null,
			probes: [ok('webgl', 40), ok('wasm', 4), ok('cpu', 20)],
			failed: { webgpu: 'could not start', webgl: 'stopped working (context lost)' }
		});
		expect(d.backend).toBe('wasm');
		expect(d.reason).toMatch(/^WASM was fastest/);
	});

	it('without any probe results, prefers WASM, then WebGL, then CPU', () => {
		const d = decideBackend({
			preference: 'auto',
			registered: ['webgl', 'wasm', 'cpu'],
			adapter: null,
			probes: []
		});
		expect(d.order).toEqual(['wasm', 'webgl', 'cpu']);
		expect(d.reason).toContain('no speed test results');
	});
});

describe('shouldProbe / stored probes', () => {
	const last = { userAgent: 'Firefox 130', probedAt: 1, adapter: null, probes: [ok('wasm', 3)] };
	it('re-probes when the browser changes or when asked, not otherwise', () => {
		const base = { preference: 'auto' as const, registered: ALL, adapter: null };
		expect(shouldProbe({ ...base, lastProbe: last, userAgent: 'Firefox 130' })).toBe(false);
		expect(shouldProbe({ ...base, lastProbe: last, userAgent: 'Firefox 131' })).toBe(true);
		expect(shouldProbe({ ...base, lastProbe: last, userAgent: 'Firefox 130', force: true })).toBe(
			true
		);
	});

	it('validates what comes back from settings', () => {
		expect(isStoredProbe(last)).toBe(true);
		expect(isStoredProbe(null)).toBe(false);
		expect(
			isStoredProbe({
				...last,
				probes: [{ backend: 'tpu', available: true, msPerStep: 1, error: null }]
			})
		).toBe(false);
	});

	it('formats times like a person would', () => {
		expect(formatMs(4.08)).toBe('4.1 ms');
		expect(formatMs(37.6)).toBe('38 ms');
	});
});
