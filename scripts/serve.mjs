#!/usr/bin/env node
// A small static server for the built app, used by the end-to-end tests (and handy for checking
// a sub-path deployment by hand). It serves `--dir` under `--base`, falls back to index.html for
// app routes (SPA), sends the same Content-Security-Policy as the <meta> tag as a header so that it
// also covers the worker, and records every request it receives so that tests can check that no
// request carried a body or a planted canary value.
//
//   node scripts/serve.mjs --dir build --port 4173 [--base /classlens]
//
// Test-only endpoints (under /__test/, never used by the app):
//   GET /__test/requests        JSON list of recorded requests (method, url, headers, body)
//   GET /__test/reset           clears the list
//   GET /__test/bump-sw         changes the served service worker's bytes, as a new release would
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cspHeader } from '../csp.config.js';

const { values } = parseArgs({
	options: {
		dir: { type: 'string', default: 'build' },
		port: { type: 'string', default: '4173' },
		base: { type: 'string', default: '' },
		host: { type: 'string', default: '127.0.0.1' }
	}
});
const root = resolve(values.dir);
const base = (values.base ?? '').replace(/\/$/, '');
const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.wasm': 'application/wasm',
	'.txt': 'text/plain; charset=utf-8'
};
/** @type {{ method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }[]} */
let requests = [];
let swBump = 0;

async function fileFor(path) {
	const full = normalize(join(root, path));
	if (!full.startsWith(root)) return null;
	try {
		const s = await stat(full);
		if (s.isFile()) return full;
		if (s.isDirectory()) {
			const index = join(full, 'index.html');
			if ((await stat(index).catch(() => null))?.isFile()) return index;
		}
	} catch {
		return null;
	}
	return null;
}

/** @param {Buffer} html */
function metaPolicy(html) {
	const m = /<meta http-equiv="content-security-policy" content="([^"]+)"/i.exec(html.toString());
	return m ? m[1].replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"') : cspHeader();
}

const server = createServer(async (req, res) => {
	const chunks = [];
	for await (const c of req) chunks.push(c);
	const url = new URL(req.url ?? '/', 'http://x');
	if (url.pathname.startsWith('/__test/')) {
		res.setHeader('content-type', 'application/json');
		if (url.pathname === '/__test/requests') return res.end(JSON.stringify(requests));
		if (url.pathname === '/__test/reset') {
			requests = [];
			return res.end('{}');
		}
		if (url.pathname === '/__test/bump-sw') {
			swBump++;
			return res.end(JSON.stringify({ swBump }));
		}
		res.statusCode = 404;
		return res.end('{}');
	}
	requests.push({
		method: req.method ?? 'GET',
		url: req.url ?? '',
		headers: req.headers,
		body: Buffer.concat(chunks).toString('utf8')
	});
	if (!url.pathname.startsWith(base + '/') && url.pathname !== base) {
		res.statusCode = 404;
		return res.end('Not found');
	}
	const rel = decodeURIComponent(url.pathname.slice(base.length)) || '/';
	let file = await fileFor(rel);
	// App routes have no file of their own: the SPA shell handles them. Missing assets stay 404.
	if (!file && !extname(rel)) file = join(root, 'index.html');
	if (!file) {
		res.statusCode = 404;
		return res.end('Not found');
	}
	let body = await readFile(file);
	const ext = extname(file);
	if (rel === '/sw.js' && swBump)
		body = Buffer.concat([body, Buffer.from(`\n// release ${swBump}\n`)]);
	res.setHeader('content-type', TYPES[ext] ?? 'application/octet-stream');
	// An HTML page gets the exact policy of its own <meta> tag, which carries the hash of
	// SvelteKit's inline bootstrap script; scripts (the worker above all, which the <meta> tag does
	// not reach) get the same policy without page hashes.
	res.setHeader('content-security-policy', ext === '.html' ? metaPolicy(body) : cspHeader());
	res.setHeader('x-content-type-options', 'nosniff');
	res.setHeader('referrer-policy', 'no-referrer');
	res.setHeader(
		'cache-control',
		rel.includes('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache'
	);
	res.end(body);
});

server.listen(Number(values.port), values.host, () => {
	console.log(`Serving ${root} at http://${values.host}:${values.port}${base}/`);
});
