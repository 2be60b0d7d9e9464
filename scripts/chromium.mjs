// How every script here launches Chromium: Debian's /usr/bin/chromium where it exists (these
// machines cannot download Playwright's own browser), else Playwright's; with the flags that
// keep a headless browser off the network and expose WebGPU (on a software adapter when there
// is no GPU). Shared by playwright.config.ts, the screenshot script and the benchmarks.
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) =>
	existsSync(p)
);

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-quic',
	'--disable-dev-shm-usage',
	// WebGPU in headless Chromium exists only on a software adapter; Classlens must notice that
	// and measure rather than assume a GPU.
	'--enable-unsafe-webgpu',
	'--enable-unsafe-swiftshader',
	'--use-webgpu-adapter=swiftshader',
	'--enable-features=Vulkan,WebGPU',
	'--use-vulkan=swiftshader'
];
