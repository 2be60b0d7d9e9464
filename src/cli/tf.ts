/**
 * TensorFlow.js for the Node CLI: tfjs-core + tfjs-layers on the WebAssembly backend, or the
 * plain-JS cpu backend when wasm cannot start. No DOM and no tfjs-node (a native build we do not
 * ship). Loaded lazily so commands that never train do not pay for parsing tfjs.
 *
 * wasm is the default because it is the faster of the two in Node: `npm run bench:nn` (trainMlp,
 * 20,000 × 20 rows, [32, 16], batch 256) measured 41–51k samples/s against cpu's 11–13k (best
 * of 3 runs); single runs on a loaded 2-core machine put it 1.35–4.6× ahead, never behind.
 * Node's wasm backend is single-threaded SIMD (tfjs turns threads off in Node) and reads its
 * .wasm binaries from its own package folder, so no path configuration is needed (unlike the
 * browser, see src/lib/worker/wasm-paths.ts).
 */
import { withLayers, type Tf } from '../lib/ml/nn/tf';

export type NodeBackend = 'wasm' | 'cpu';

export const DEFAULT_NODE_BACKEND: NodeBackend = 'wasm';

export interface NodeTf {
	tf: Tf;
	/** The backend actually running: 'cpu' when wasm was asked for but could not start. */
	backend: NodeBackend;
	/** Why the preferred backend is not the one running; absent when it is. */
	fallbackReason?: string;
}

function message(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

export async function loadNodeTf(pref: NodeBackend = DEFAULT_NODE_BACKEND): Promise<NodeTf> {
	const [core, layers] = await Promise.all([
		import('@tensorflow/tfjs-core'),
		import('@tensorflow/tfjs-layers'),
		import('@tensorflow/tfjs-backend-cpu')
	]);
	const tf = withLayers(core, layers);
	let fallbackReason: string | undefined;
	if (pref === 'wasm') {
		try {
			await import('@tensorflow/tfjs-backend-wasm');
			if (await core.setBackend('wasm')) {
				await core.ready();
				return { tf, backend: 'wasm' };
			}
			fallbackReason = 'the WebAssembly backend did not start';
		} catch (e) {
			fallbackReason = `the WebAssembly backend failed: ${message(e)}`;
		}
	}
	if (!(await core.setBackend('cpu'))) throw new Error('The tfjs cpu backend did not start.');
	await core.ready();
	return fallbackReason === undefined
		? { tf, backend: 'cpu' }
		: { tf, backend: 'cpu', fallbackReason };
}
