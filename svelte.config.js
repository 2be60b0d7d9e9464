import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { cspDirectives } from './csp.config.js';

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
		// Hashes for the inline bootstrap script are added by SvelteKit; see csp.config.js.
		csp: { mode: 'hash', directives: /** @type {any} */ (cspDirectives) }
	}
};

export default config;
