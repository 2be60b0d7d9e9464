import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// BASE_PATH lets the same build be served from a sub-path such as /classlens (no trailing slash).
const base = process.env.BASE_PATH ?? '';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({
			pages: process.env.BUILD_DIR ?? 'build',
			assets: process.env.BUILD_DIR ?? 'build',
			fallback: 'index.html',
			strict: true
		}),
		paths: { base, relative: false },
		serviceWorker: { register: false },
		csp: {
			mode: 'hash',
			// The privacy promise in one header: nothing may load from, or be sent to, another origin.
			// 'wasm-unsafe-eval' lets TensorFlow.js compile its WebAssembly; no JS eval is allowed.
			// style-src keeps 'unsafe-inline' because charts set inline styles; styles cannot reach
			// other origins either, since img-src/font-src/connect-src are 'self' only.
			directives: {
				'default-src': ['self'],
				'script-src': ['self', 'wasm-unsafe-eval'],
				'worker-src': ['self'],
				'connect-src': ['self'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
