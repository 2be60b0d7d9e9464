/**
 * Serves the tfjs WebAssembly binaries from our own origin (the CSP allows no CDN): Vite emits
 * each .wasm as a hashed asset and `?url` gives its URL, which the PWA precaches for offline use.
 * Vite-specific, so it is kept out of everything the Node tests import.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export function configureWasmPaths(): void {
	setWasmPaths({
		'tfjs-backend-wasm.wasm': wasmUrl,
		'tfjs-backend-wasm-simd.wasm': simdUrl,
		'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdUrl
	});
}
