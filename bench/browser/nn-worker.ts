/**
 * Dedicated Web Worker entry for bench/nn-browser.mjs. One worker per backend, so a backend that
 * breaks (a lost WebGPU device, a WebGL context that will not start) cannot spoil the others'
 * figures. It registers the four backends the app ships, starts the one asked for and runs
 * bench/browser/nn-run.ts on it; a backend that does not start is reported with the reason.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { withLayers } from '../../src/lib/ml/nn/tf';
import { readAdapterFacts } from '../../src/lib/worker/backend';
import { runNnCase } from './nn-run';

interface Request {
	backend: string;
	rows: number;
	epochs: number;
	repeats: number;
}

// The project compiles with the DOM lib, where `self` is a Window; in a worker it is the
// worker scope, whose postMessage takes no target origin.
const scope = self as unknown as {
	onmessage: ((e: MessageEvent<Request>) => void) | null;
	postMessage(message: unknown): void;
	crossOriginIsolated?: boolean;
};

// The page serves the three binaries under /wasm/ (the app serves them as hashed assets).
setWasmPaths('/wasm/');

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** tf.setBackend only warns when a backend's start throws; catch the reason from the warning. */
async function start(backend: string): Promise<string | null> {
	if (tfc.findBackendFactory(backend) == null) {
		// tfjs-backend-webgpu registers only where navigator.gpu exists.
		return backend === 'webgpu' && !('gpu' in navigator)
			? 'navigator.gpu is absent: this browser exposes no WebGPU to workers'
			: 'not registered in this environment';
	}
	const warnings: string[] = [];
	const warn = console.warn;
	console.warn = (...args: unknown[]) => {
		warnings.push(args.map(message).join(' '));
		warn(...args);
	};
	try {
		const started = await Promise.race([
			tfc.setBackend(backend),
			new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), 30_000))
		]);
		if (started === 'timeout') return 'starting took longer than 30 s';
		if (!started) return warnings.join(' | ') || 'could not start';
		await tfc.ready();
		return null;
	} catch (e) {
		return message(e);
	} finally {
		console.warn = warn;
	}
}

/** What the backend runs on, for the summary: the WebGPU adapter, the WebGL renderer, wasm's mode. */
async function describe(backend: string): Promise<Record<string, unknown>> {
	if (backend === 'webgpu') return { adapter: await readAdapterFacts() };
	if (backend === 'webgl') {
		const gl = (tfc.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
		// The unmasked name says whether this is a GPU or SwiftShader's software rasteriser.
		const ext = gl?.getExtension('WEBGL_debug_renderer_info');
		return {
			webgl_version: tfc.env().getNumber('WEBGL_VERSION'),
			renderer: (gl && ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : null) ?? null
		};
	}
	if (backend === 'wasm') {
		return {
			simd: await tfc.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
			threads: await tfc.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
			cross_origin_isolated: scope.crossOriginIsolated ?? false
		};
	}
	return {};
}

scope.onmessage = async (e) => {
	const { backend, rows, epochs, repeats } = e.data;
	try {
		const failed = await start(backend);
		if (failed !== null) {
			scope.postMessage({ available: false, error: failed, ...(await describe(backend)) });
			return;
		}
		const tf = withLayers(tfc, tfl);
		const info = await describe(backend);
		const regression = await runNnCase(tf, 'regression', rows, epochs, repeats);
		const binary = await runNnCase(tf, 'binary', rows, epochs, repeats);
		scope.postMessage({ available: true, ...info, regression, binary });
	} catch (err) {
		scope.postMessage({ available: false, error: `failed while training: ${message(err)}` });
	}
};
