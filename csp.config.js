// One Content-Security-Policy for the <meta> tag (svelte.config.js), the preview server and the
// test server (which can also send it as a header, so that it covers the worker too).
// The privacy promise in one policy: nothing may load from, or be sent to, another origin.
// 'wasm-unsafe-eval' lets TensorFlow.js compile its WebAssembly; no JavaScript eval is allowed.
// style-src keeps 'unsafe-inline' because charts set inline styles; styles cannot reach another
// origin either, since img-src, font-src and connect-src are 'self' only.

/** @type {Record<string, string[]>} */
export const cspDirectives = {
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
};

const KEYWORDS = new Set(['self', 'none', 'unsafe-inline', 'wasm-unsafe-eval', 'unsafe-eval']);

/** The policy as an HTTP header value. */
export function cspHeader() {
	return Object.entries(cspDirectives)
		.map(([k, vs]) => `${k} ${vs.map((v) => (KEYWORDS.has(v) ? `'${v}'` : v)).join(' ')}`)
		.join('; ');
}
