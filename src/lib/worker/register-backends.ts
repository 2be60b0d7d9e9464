/**
 * Registers every tfjs backend this build ships. Each registers only where its environment
 * supports it (no navigator.gpu → no webgpu); BackendManager then picks one explicitly, so the
 * registration priorities tfjs assigns never decide anything.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { configureWasmPaths } from './wasm-paths';

configureWasmPaths();
