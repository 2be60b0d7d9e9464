#!/usr/bin/env node
// End-to-end import benchmark in headless Chromium (issue 4): a generated class-like CSV goes
// through the real /import page of a production build — inspect, full check, save to
// IndexedDB — and is timed next to bare PapaParse parsing the same file in the same browser.
// The goal it reports against: the full import takes at most 2× the bare parse.
//
// The two are measured in turns, --runs times each (a bare parse, then an import), and the best
// of each is compared: on a shared machine a busy moment would otherwise decide the ratio. Every
// round's own pair and ratio are in the summary too.
//
//   node bench/import-browser.mjs [--rows 1000000] [--runs 3] [--keep] [--seed 42] [--port 4191]
//                                 [--rebuild]
//
// Progress goes to stderr; the last line on stdout is one JSON summary.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { chromium } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
	cpSync,
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	symlinkSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_DIR = 'build-bench';
const COLUMNS = 20;
const PHASE_TIMEOUT = 30 * 60_000;

const { values: argv } = parseArgs({
	options: {
		rows: { type: 'string', default: '1000000' },
		runs: { type: 'string', default: '3' },
		keep: { type: 'boolean', default: false },
		seed: { type: 'string', default: '42' },
		// Not 4190: it is ManageSieve's port, on the Fetch standard's list of blocked ports, so
		// both Chromium and Node's fetch refuse to connect to it.
		port: { type: 'string', default: '4191' },
		rebuild: { type: 'boolean', default: false }
	}
});
const ROWS = Number(argv.rows);
if (!Number.isInteger(ROWS) || ROWS < 1) throw new Error(`--rows must be a positive integer`);
const RUNS = Number(argv.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer`);
const BASE_URL = `http://127.0.0.1:${argv.port}`;

const START = performance.now();
const log = (msg) =>
	process.stderr.write(
		`[bench:import +${((performance.now() - START) / 1000).toFixed(1)}s] ${msg}\n`
	);
const secs = (ms) => Math.round(ms) / 1000;
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------------------------------------
// 1. The CSV: seeded, streamed to disk in blocks so that even 1M rows never exist as one string.

/** mulberry32: tiny, fast, and the same numbers on every machine for a given seed. */
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const HEADER = [
	'student_id',
	'age',
	'year_of_study',
	'gender',
	'school_type',
	'parental_education',
	'hours_studied',
	'sleep_hours',
	'attendance',
	'previous_scores',
	'motivation',
	'internet_access',
	'extracurricular',
	'tutoring_sessions',
	'enrolled_on',
	'last_login',
	'assignment_score',
	'quiz_average',
	'distance_from_home_km',
	'exam_score'
];
if (HEADER.length !== COLUMNS) throw new Error('header out of step with COLUMNS');

const GENDERS = ['Female', 'Male', 'Non-binary'];
const EDUCATION = ['High School', 'College', 'Postgraduate', 'None'];
const MOTIVATION = ['Low', 'Medium', 'High'];
const pad2 = (n) => (n < 10 ? '0' : '') + n;

function makeRow(r, i) {
	const pick = (a) => a[Math.floor(r() * a.length)];
	// A few missing cells, as real exports have: empty in most places, "NA" in one column.
	const miss = (v, p = 0.01) => (r() < p ? '' : v);
	const hours = r() * 30;
	const attendance = 60 + r() * 40;
	const prev = 40 + Math.floor(r() * 61);
	const year = 1 + Math.floor(r() * 4);
	const enrolY = 2018 + Math.floor(r() * 6);
	const enrolled = `${enrolY}-${pad2(1 + Math.floor(r() * 12))}-${pad2(1 + Math.floor(r() * 28))}`;
	const login = `2024-${pad2(1 + Math.floor(r() * 12))}-${pad2(1 + Math.floor(r() * 28))}`;
	const exam = Math.min(100, Math.round(prev * 0.4 + attendance * 0.3 + hours + r() * 10));
	return [
		`S${String(i + 1).padStart(7, '0')}`,
		String(17 + year + Math.floor(r() * 3)),
		String(year),
		miss(pick(GENDERS), 0.02),
		r() < 0.7 ? 'Public' : 'Private',
		miss(pick(EDUCATION)),
		miss(hours.toFixed(1)),
		(4 + r() * 5).toFixed(1),
		`${attendance.toFixed(1)}%`,
		String(prev),
		pick(MOTIVATION),
		r() < 0.9 ? 'Yes' : 'No',
		r() < 0.05 ? 'NA' : r() < 0.4 ? 'Yes' : 'No',
		String(Math.floor(r() * 8)),
		enrolled,
		miss(login, 0.03),
		miss((r() * 100).toFixed(1)),
		(r() * 10).toFixed(2),
		(r() * 25).toFixed(2),
		String(exam)
	].join(',');
}

async function generateCsv(path, rows, seed) {
	const r = rng(seed);
	const out = createWriteStream(path);
	const BLOCK = 10_000;
	out.write(HEADER.join(',') + '\n');
	for (let start = 0; start < rows; start += BLOCK) {
		const lines = [];
		const end = Math.min(rows, start + BLOCK);
		for (let i = start; i < end; i++) lines.push(makeRow(r, i));
		// Respect backpressure: without it the stream would buffer the whole file in memory.
		if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
	}
	out.end();
	await once(out, 'finish');
	return statSync(path).size;
}

// ---------------------------------------------------------------------------------------------
// 2. A production build of our own. `build/` belongs to the test suite and `.svelte-kit/` is
// shared by every `vite build` in the checkout (a concurrent build deletes its output mid-way),
// so the app is built in a private copy of the sources and only the result lands in build-bench/.

const INPUTS = [
	'src',
	'static',
	'svelte.config.js',
	'vite.config.ts',
	'csp.config.js',
	'package.json'
];

function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	let t = s.mtimeMs;
	for (const e of readdirSync(path)) t = Math.max(t, newestMtime(join(path, e)));
	return t;
}

function ensureBuild() {
	const index = join(ROOT, BUILD_DIR, 'index.html');
	const built = existsSync(index) ? statSync(index).mtimeMs : 0;
	const sources = Math.max(...INPUTS.map((p) => newestMtime(join(ROOT, p))));
	if (!argv.rebuild && built > sources) {
		log(`using the existing ${BUILD_DIR}/ (newer than the sources)`);
		return;
	}
	const work = mkdtempSync(join(tmpdir(), 'classlens-bench-build-'));
	log(`building the app in ${work} → ${BUILD_DIR}/ …`);
	try {
		// Tracked plus untracked-but-not-ignored files: exactly what a fresh checkout would build.
		const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard'], {
			cwd: ROOT,
			encoding: 'utf8'
		})
			.stdout.split('\n')
			.filter((f) => f && !f.startsWith('tests/') && !f.startsWith('docs/'));
		for (const f of files) {
			if (!existsSync(join(ROOT, f))) continue;
			mkdirSync(dirname(join(work, f)), { recursive: true });
			cpSync(join(ROOT, f), join(work, f));
		}
		symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
		const t0 = performance.now();
		const res = spawnSync('npx', ['vite', 'build'], {
			cwd: work,
			env: { ...process.env, BUILD_DIR, BASE_PATH: '' },
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024
		});
		if (res.status !== 0) {
			process.stderr.write(res.stdout + res.stderr);
			throw new Error(`vite build failed (exit ${res.status})`);
		}
		rmSync(join(ROOT, BUILD_DIR), { recursive: true, force: true });
		cpSync(join(work, BUILD_DIR), join(ROOT, BUILD_DIR), { recursive: true });
		log(`built in ${secs(performance.now() - t0)} s`);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

async function startServer() {
	const child = spawn(
		process.execPath,
		[join(ROOT, 'scripts/serve.mjs'), '--dir', join(ROOT, BUILD_DIR), '--port', argv.port],
		{ cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }
	);
	child.stdout.resume();
	const deadline = Date.now() + 20_000;
	let lastError = null;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`serve.mjs exited (${child.exitCode})`);
		try {
			const res = await fetch(`${BASE_URL}/`);
			if (res.ok) return child;
		} catch (e) {
			// not listening yet
			lastError = e;
		}
		if (Date.now() > deadline)
			throw new Error(`serve.mjs did not answer on ${BASE_URL}: ${lastError}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

// ---------------------------------------------------------------------------------------------
// 3. Memory: RSS of our own browser's renderer processes (the page and its dedicated worker
// live there). Other engineers may run Chromium at the same time, so only Chromium processes
// descending from this Node process (Playwright spawns the browser as our child) count.

function procRead(pid, file) {
	try {
		return readFileSync(`/proc/${pid}/${file}`, 'utf8');
	} catch {
		return null;
	}
}

function ppidOf(pid) {
	const stat = procRead(pid, 'stat');
	if (!stat) return 0;
	// The command name may contain spaces and parentheses: fields start after the last ')'.
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function rssKb(pid) {
	const m = /VmRSS:\s+(\d+)/.exec(procRead(pid, 'status') ?? '');
	return m ? Number(m[1]) : 0;
}

function descends(pid, root) {
	for (let p = pid, hops = 0; p > 1 && hops < 16; p = ppidOf(p), hops++)
		if (p === root) return true;
	return false;
}

function sampleRss(rootPid) {
	let renderer = 0;
	let all = 0;
	for (const e of readdirSync('/proc')) {
		const pid = Number(e);
		if (!pid || pid === rootPid) continue;
		const cmd = procRead(pid, 'cmdline');
		if (!cmd || !cmd.includes('chrom') || !descends(pid, rootPid)) continue;
		const kb = rssKb(pid);
		all += kb;
		if (cmd.includes('--type=renderer')) renderer += kb;
	}
	return { renderer, all };
}

function startSampler(rootPid) {
	// Renderer peaks per phase, too: they say which step holds the memory.
	const peak = { renderer: 0, all: 0, samples: 0, phase: '', byPhase: {} };
	const timer = setInterval(() => {
		const s = sampleRss(rootPid);
		peak.renderer = Math.max(peak.renderer, s.renderer);
		peak.all = Math.max(peak.all, s.all);
		peak.byPhase[peak.phase] = Math.max(peak.byPhase[peak.phase] ?? 0, s.renderer);
		peak.samples++;
	}, 200);
	return { peak, stop: () => clearInterval(timer) };
}

// ---------------------------------------------------------------------------------------------
// 4. The two measurements.

/** Bare PapaParse on the same File, strings only, main thread, 4 MiB chunks: the yardstick. */
async function barePapaParse(browser, csvPath) {
	const context = await browser.newContext({ bypassCSP: true });
	try {
		const page = await context.newPage();
		// Any same-origin URL will do; a missing asset is a tiny 404 with no app code running.
		await page.goto(`${BASE_URL}/__bench-blank.txt`);
		await page.setContent('<!doctype html><input type="file" id="f">');
		await page.addScriptTag({ path: join(ROOT, 'node_modules/papaparse/papaparse.min.js') });
		await page.setInputFiles('#f', csvPath);
		return await page.evaluate(
			() =>
				new Promise((done, fail) => {
					const file = document.querySelector('#f').files[0];
					let rows = 0;
					const t0 = performance.now();
					// Papa is the global that the script tag defined.
					/** @type {any} */ (window).Papa.parse(file, {
						worker: false,
						chunkSize: 4 * 1024 * 1024,
						skipEmptyLines: true,
						chunk: (res) => {
							rows += res.data.length;
						},
						complete: () => done({ rows, ms: performance.now() - t0 }),
						error: (e) => fail(new Error(String(e)))
					});
				})
		);
	} finally {
		await context.close();
	}
}

/** Long tasks on the page's main thread: a busy worker must not freeze the UI. */
function watchLongTasks() {
	const w = /** @type {any} */ (window);
	w.__longTasks = { count: 0, totalMs: 0, maxMs: 0 };
	try {
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) {
				w.__longTasks.count++;
				w.__longTasks.totalMs += e.duration;
				w.__longTasks.maxMs = Math.max(w.__longTasks.maxMs, e.duration);
			}
		}).observe({ type: 'longtask', buffered: false });
	} catch {
		// longtask timing unsupported: the figures stay at zero
	}
}

/** A fresh browser profile on /import, after the backend speed test a first visit runs. */
async function openImportPage(browser) {
	const context = await browser.newContext({ serviceWorkers: 'block' });
	await context.addInitScript(watchLongTasks);
	const page = await context.newPage();
	page.on('pageerror', (e) => log(`page error: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error') log(`console error: ${m.text()}`);
	});
	// A fresh profile makes the worker speed-test the compute backends as soon as it starts
	// (worker.ts), which would otherwise run during the import and be billed to it. Let it
	// finish on the settings page, which shows the result; it is stored, so the worker that
	// /import starts next reuses it.
	const p0 = performance.now();
	await page.goto(`${BASE_URL}/settings`);
	await page.getByTestId('backend-active').waitFor({ state: 'visible', timeout: PHASE_TIMEOUT });
	const probeMs = performance.now() - p0;
	log(`backend speed test (first visit) ${secs(probeMs)} s`);
	return { context, page, probeMs };
}

/** One import of the file on a freshly loaded /import page, timed phase by phase. */
async function importOnce(page, csvPath, rows, mark) {
	await page.goto(`${BASE_URL}/import`);
	const input = page.getByTestId('file-input');
	await input.waitFor({ state: 'attached' });
	await page.evaluate(() => {
		/** @type {any} */ (window).__longTasks = { count: 0, totalMs: 0, maxMs: 0 };
	});

	const checkButton = page.getByRole('button', { name: 'Check the whole file' });
	mark('inspect');
	const t0 = performance.now();
	await input.setInputFiles(csvPath);
	await checkButton.waitFor({ state: 'visible', timeout: PHASE_TIMEOUT });
	const t1 = performance.now();
	log(`inspect ${secs(t1 - t0)} s (preview shown)`);

	mark('check');
	await checkButton.click();
	const report = page.getByTestId('report');
	const progress = setInterval(async () => {
		const label = await page
			.locator('[role=progressbar]')
			.first()
			.getAttribute('aria-valuetext', { timeout: 1000 })
			.catch(() => null);
		if (label) log(`  … ${label}`);
	}, 10_000);
	try {
		await report.waitFor({ state: 'visible', timeout: PHASE_TIMEOUT });
	} finally {
		clearInterval(progress);
	}
	const t2 = performance.now();
	const reportText = (await report.locator('p').first().innerText()).replace(/\s+/g, ' ');
	log(`check ${secs(t2 - t1)} s — ${reportText}`);

	const saveButton = page.getByRole('button', { name: /^Save [\d,]+ rows$/ });
	const saveLabel = await saveButton.innerText();
	mark('save');
	await saveButton.click();
	await page.waitForURL(/\/datasets\/[^/]+$/, { timeout: PHASE_TIMEOUT });
	const nRowsCell = page.getByTestId('n-rows');
	await nRowsCell.waitFor({ state: 'visible', timeout: PHASE_TIMEOUT });
	const t3 = performance.now();
	const shown = Number((await nRowsCell.innerText()).replace(/\D/g, ''));
	log(`save ${secs(t3 - t2)} s (${saveLabel}; dataset page shows ${shown} rows)`);
	if (shown !== rows) throw new Error(`the dataset page shows ${shown} rows, expected ${rows}`);

	const datasetId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
	// The stored record says exactly what was written: sizeBytes is the page's "Stored size".
	const stored = await page.evaluate(
		(id) =>
			new Promise((done, fail) => {
				const open = indexedDB.open('classlens');
				open.onerror = () => fail(open.error);
				open.onsuccess = () => {
					const get = open.result.transaction('datasets').objectStore('datasets').get(id);
					get.onerror = () => fail(get.error);
					get.onsuccess = () => {
						const d = get.result;
						open.result.close();
						done({
							sizeBytes: d.sizeBytes,
							columns: d.columns.map((c) => ({ name: c.name, kind: c.kind, type: c.type }))
						});
					};
				};
			}),
		datasetId
	);
	const longTasks = await page.evaluate(() => /** @type {any} */ (window).__longTasks);
	return {
		inspectMs: t1 - t0,
		checkMs: t2 - t1,
		saveMs: t3 - t2,
		totalMs: t3 - t0,
		stored,
		longTasks,
		reportText
	};
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const tmp = mkdtempSync(join(tmpdir(), 'classlens-bench-'));
	const csvPath = join(tmp, `class-${ROWS}.csv`);
	let server = null;
	let browser = null;
	try {
		log(`generating ${ROWS.toLocaleString('en')} rows × ${COLUMNS} columns → ${csvPath}`);
		let t = performance.now();
		const bytes = await generateCsv(csvPath, ROWS, Number(argv.seed));
		log(`generated ${(bytes / 1e6).toFixed(1)} MB in ${secs(performance.now() - t)} s`);

		ensureBuild();
		server = await startServer();
		log(`serving ${BUILD_DIR}/ at ${BASE_URL}`);

		const executablePath = CHROMIUM_PATH;
		browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
		const version = browser.version();
		log(`Chromium ${version} (${executablePath ?? "Playwright's own"})`);

		const rounds = [];
		let sampler = null;
		let baseline = { renderer: 0, all: 0 };
		let imp = null;
		const { context, page, probeMs } = await openImportPage(browser);
		try {
			for (let run = 1; run <= RUNS; run++) {
				log(`round ${run} of ${RUNS}: bare PapaParse …`);
				const papa = await barePapaParse(browser, csvPath);
				log(`bare PapaParse ${secs(papa.ms)} s, ${papa.rows} records (header included)`);
				if (papa.rows !== ROWS + 1)
					log(`warning: PapaParse saw ${papa.rows} records, expected ${ROWS + 1}`);
				log(`round ${run} of ${RUNS}: full import through /import …`);
				// Memory is the first import's, sampled from when its page is ready: later ones
				// start from whatever the earlier left behind in the same tab.
				const first = run === 1;
				let result;
				try {
					result = await importOnce(page, csvPath, ROWS, (phase) => {
						if (!first) return;
						if (!sampler) {
							baseline = sampleRss(process.pid);
							sampler = startSampler(process.pid);
						}
						sampler.peak.phase = phase;
					});
				} finally {
					if (first) sampler?.stop();
				}
				if (first && !sampler) throw new Error('the import page never became ready');
				rounds.push({ papaMs: papa.ms, imp: result });
				log(
					`round ${run}: import ${secs(result.totalMs)} s = ${round(result.totalMs / papa.ms)} × bare`
				);
				if (!imp || result.totalMs < imp.totalMs) imp = result;
			}
		} finally {
			await context.close();
		}
		const papaMs = Math.min(...rounds.map((r) => r.papaMs));

		const numeric = imp.stored.columns.filter((c) => c.kind === 'numeric').length;
		const categorical = imp.stored.columns.length - numeric;
		// Plain typed-array size, without dictionaries: the floor any columnar store needs.
		const columnarBytes = ROWS * (8 * numeric + 4 * categorical);
		const storedBytes = imp.stored.sizeBytes ?? columnarBytes;
		const peakRssMb = sampler.peak.renderer / 1024;
		log(
			`columns: ${imp.stored.columns.map((c) => `${c.name}:${c.type}`).join(' ')}` +
				`\nlong tasks on the page: ${imp.longTasks.count}, total ${Math.round(imp.longTasks.totalMs)} ms, longest ${Math.round(imp.longTasks.maxMs)} ms` +
				`\nRSS samples: ${sampler.peak.samples}; renderer baseline ${round(baseline.renderer / 1024, 0)} MB, peak ${round(peakRssMb, 0)} MB; all browser processes baseline ${round(baseline.all / 1024, 0)} MB, peak ${round(sampler.peak.all / 1024, 0)} MB` +
				`\nrenderer peak by phase (MB): ${Object.entries(sampler.peak.byPhase)
					.map(([k, v]) => `${k} ${round(v / 1024, 0)}`)
					.join(', ')}`
		);

		const summary = {
			rows: ROWS,
			columns: COLUMNS,
			bytes,
			inspect_s: secs(imp.inspectMs),
			check_s: secs(imp.checkMs),
			save_s: secs(imp.saveMs),
			total_s: secs(imp.totalMs),
			mb_per_s: round(bytes / 1e6 / (imp.totalMs / 1000)),
			rows_per_s: Math.round(ROWS / (imp.totalMs / 1000)),
			papaparse_s: secs(papaMs),
			// Best import over best bare parse; each round's own pair follows.
			ratio_vs_papaparse: round(imp.totalMs / papaMs),
			rounds: rounds.map((r) => ({
				total_s: secs(r.imp.totalMs),
				papaparse_s: secs(r.papaMs),
				ratio: round(r.imp.totalMs / r.papaMs),
				inspect_s: secs(r.imp.inspectMs),
				check_s: secs(r.imp.checkMs),
				save_s: secs(r.imp.saveMs)
			})),
			peak_rss_mb: round(peakRssMb, 0),
			stored_mb: round(storedBytes / 1e6, 1),
			peak_over_stored: round((peakRssMb * 1024 * 1024) / storedBytes),
			// The tab's own growth during the import, without what the app and tfjs hold anyway.
			growth_over_stored: round(((sampler.peak.renderer - baseline.renderer) * 1024) / storedBytes),
			columnar_mb: round(columnarBytes / 1e6, 1),
			baseline_rss_mb: round(baseline.renderer / 1024, 0),
			peak_rss_all_mb: round(sampler.peak.all / 1024, 0),
			peak_rss_by_phase_mb: Object.fromEntries(
				Object.entries(sampler.peak.byPhase).map(([k, v]) => [k, round(v / 1024, 0)])
			),
			backend_probe_s: secs(probeMs),
			longest_main_thread_task_ms: Math.round(
				Math.max(...rounds.map((r) => r.imp.longTasks.maxMs))
			),
			chromium_version: version
		};
		process.stdout.write(JSON.stringify(summary) + '\n');
	} finally {
		await browser?.close().catch(() => {});
		if (server) {
			server.kill('SIGTERM');
			await once(server, 'exit').catch(() => {});
		}
		if (argv.keep) log(`kept ${csvPath}`);
		else rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((e) => {
	log(`failed: ${e?.stack ?? e}`);
	process.exitCode = 1;
});
