#!/usr/bin/env node
// `npm test`: unit tests (Vitest), the two production builds the browser tests need (served from
// / and from /classlens), then the end-to-end tests (Playwright + axe). Ends with one line
// "N passed, N failed" summed over both runners, and exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

mkdirSync('.reports', { recursive: true });
for (const f of ['.reports/vitest.json', '.reports/playwright.json']) rmSync(f, { force: true });

function run(cmd, args, env = {}) {
	console.log(`\n$ ${cmd} ${args.join(' ')}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	return r.status ?? 1;
}

let failedSteps = 0;
run('npx', [
	'vitest',
	'run',
	'--reporter=default',
	'--reporter=json',
	'--outputFile.json=.reports/vitest.json'
]);

const skipE2E = process.env.SKIP_E2E === '1';
if (!skipE2E) {
	if (run('npx', ['vite', 'build'], { BUILD_DIR: 'build', BASE_PATH: '' }) !== 0) failedSteps++;
	if (run('npx', ['vite', 'build'], { BUILD_DIR: 'build-sub', BASE_PATH: '/classlens' }) !== 0)
		failedSteps++;
	if (!failedSteps) run('npx', ['playwright', 'test']);
}

function readJson(path) {
	if (!existsSync(path)) return null;
	try {
		return JSON.parse(readFileSync(path, 'utf8'));
	} catch {
		return null;
	}
}

let passed = 0;
let failed = failedSteps;
const v = readJson('.reports/vitest.json');
if (v) {
	passed += v.numPassedTests ?? 0;
	failed += (v.numFailedTests ?? 0) + (v.success === false && !v.numFailedTests ? 1 : 0);
} else failed++;
if (!skipE2E) {
	const p = readJson('.reports/playwright.json');
	if (p?.stats) {
		passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
		failed += p.stats.unexpected ?? 0;
		if ((p.errors ?? []).length) failed += p.errors.length;
	} else if (!failedSteps) failed++;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
