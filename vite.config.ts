import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';
import { cspHeader } from './csp.config.js';

// Must match svelte.config.js: the app can live under a sub-path such as /classlens.
const base = process.env.BASE_PATH ?? '';
const scope = `${base}/`;

export default defineConfig({
	plugins: [
		sveltekit(),
		SvelteKitPWA({
			// The service worker is ours to update only when the teacher agrees (see UpdatePrompt).
			registerType: 'prompt',
			injectRegister: false,
			strategies: 'generateSW',
			scope,
			base: scope,
			manifest: {
				name: 'Classlens — class analytics on your device',
				short_name: 'Classlens',
				description:
					'Predictions, at-risk lists and student personas from your class data. Nothing leaves your device.',
				lang: 'en',
				start_url: scope,
				scope,
				display: 'standalone',
				background_color: '#f8fafc',
				theme_color: '#1d4ed8',
				icons: [
					{ src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
					{
						src: 'icons/icon-maskable-512.png',
						sizes: '512x512',
						type: 'image/png',
						purpose: 'maskable'
					}
				]
			},
			workbox: {
				// Precache everything, including the TensorFlow.js WebAssembly binaries, so that after
				// one online visit every page, the demo and training work offline.
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,webmanifest,wasm,json}'],
				maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
				cleanupOutdatedCaches: true,
				// Only Workbox's own caches are ever touched by an update; IndexedDB (the class data)
				// is never cleared by the service worker.
				clientsClaim: false,
				skipWaiting: false
			},
			kit: {
				adapterFallback: 'index.html',
				spa: true,
				includeVersionFile: true
			},
			devOptions: { enabled: false }
		})
	],
	worker: { format: 'es' },
	optimizeDeps: {
		// tfjs-backend-wasm locates its .wasm files at run time; pre-bundling breaks those paths.
		exclude: ['@tensorflow/tfjs-backend-wasm']
	},
	preview: { headers: { 'Content-Security-Policy': cspHeader() } },
	build: { target: 'es2022', chunkSizeWarningLimit: 4096 }
});
