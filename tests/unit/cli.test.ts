import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../src/cli/command';
import { COMMANDS } from '../../src/cli/commands';
import { DEMO_PROFILES } from '../../src/lib/ml/synthetic';
import { cliRunner } from './helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'classlens-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = cliRunner(dir);

function records(csv: string): string[][] {
	const rows = Papa.parse<string[]>(csv, { delimiter: ',', newline: '\r\n' }).data;
	return rows[rows.length - 1].join('') === '' ? rows.slice(0, -1) : rows;
}

describe('help', () => {
	it.each([[], ['--help'], ['-h'], ['help']])(
		'prints usage listing commands for %j',
		async (...argv) => {
			const r = await run(...argv);
			expect(r.code).toBe(EXIT_OK);
			expect(r.err).toBe('');
			expect(r.out).toContain('Usage: npm run cli -- <command>');
			for (const c of COMMANDS) expect(r.out).toContain(c.name);
			expect(r.out).toMatch(/demo\s+Write a seeded demo dataset/);
		}
	);

	it('gives each command its own help, via --help or help <command>', async () => {
		for (const c of COMMANDS) {
			const a = await run(c.name, '--help');
			const b = await run('help', c.name);
			expect(a.code).toBe(EXIT_OK);
			expect(a.out).toBe(c.help);
			expect(b.out).toBe(c.help);
		}
		const demo = await run('demo', '-h');
		for (const p of DEMO_PROFILES) expect(demo.out).toContain(p.id);
		expect(demo.out).toContain('--out');
	});

	it('keeps help lines readable in a terminal', () => {
		for (const c of COMMANDS) {
			for (const line of c.help.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
		}
	});
});

describe('usage errors exit with 2 and a clear message on stderr', () => {
	it.each([
		[['bogus'], /Unknown command 'bogus'. Commands: demo/],
		[['help', 'bogus'], /Unknown command 'bogus'/],
		[['--verbose'], /Unknown option '--verbose'/],
		[['demo', '--bogus'], /Unknown option '--bogus' for 'demo'.*demo --help/],
		[['demo', 'extra'], /Unexpected argument 'extra'/],
		[['demo', '--profile'], /Option '--profile' needs a value/],
		[['demo', '--out', 'x.csv'], /Missing --profile/],
		[['demo', '--profile', 'marks'], /Missing --out/],
		[
			['demo', '--profile', 'marks', '--out', '-', '--rows', '12x'],
			/--rows must be a whole number.*'12x'/
		],
		[['demo', '--profile', 'marks', '--out', '-', '--rows', '0'], /--rows must be a whole number/],
		[
			['demo', '--profile', 'lms-activity', '--out', '-', '--rows', '900000'],
			/number of students must be a whole number from 1 to 50,000/
		]
	])('%j', async (argv, message) => {
		const r = await run(...argv);
		expect(r.code).toBe(EXIT_USAGE);
		expect(r.err).toMatch(message);
		expect(r.out).toBe('');
	});

	it('names the bad profile and every valid one', async () => {
		const r = await run('demo', '--profile', 'grades', '--out', 'x.csv');
		expect(r.code).toBe(EXIT_USAGE);
		expect(r.err).toContain("'grades'");
		for (const p of DEMO_PROFILES) expect(r.err).toContain(p.id);
		expect(existsSync(join(dir, 'x.csv'))).toBe(false);
	});
});

describe('demo', () => {
	it('writes the CSV with the right header and row count, and a one-line summary', async () => {
		const r = await run('demo', '--profile', 'marks', '--out', 'marks.csv', '--rows', '37');
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toBe('Wrote 37 rows × 12 columns (marks, seed 2024) to marks.csv.\n');
		const rows = records(readFileSync(join(dir, 'marks.csv'), 'utf8'));
		expect(rows[0].slice(0, 3)).toEqual(['student_id', 'gender', 'attendance']);
		expect(rows[0]).toContain('final_exam');
		expect(rows).toHaveLength(38);
		expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
	});

	it('uses each profile default size', async () => {
		const r = await run('demo', '-p', 'course-records', '-o', 'course.csv');
		expect(r.code).toBe(EXIT_OK);
		const rows = records(readFileSync(join(dir, 'course.csv'), 'utf8'));
		expect(rows.length - 1).toBeGreaterThanOrEqual(1000);
		expect(new Set(rows.slice(1).map((row) => row[0])).size).toBe(120);
	});

	it('is deterministic for the same seed and differs for another', async () => {
		await run('demo', '--profile', 'wellbeing', '--seed', '9', '--rows', '50', '--out', 'a.csv');
		await run('demo', '--profile', 'wellbeing', '--seed', '9', '--rows', '50', '--out', 'b.csv');
		await run('demo', '--profile', 'wellbeing', '--seed', '10', '--rows', '50', '--out', 'c.csv');
		const read = (f: string) => readFileSync(join(dir, f));
		expect(read('a.csv').equals(read('b.csv'))).toBe(true);
		expect(read('a.csv').equals(read('c.csv'))).toBe(false);
	});

	it('writes to stdout with --out - and keeps the summary on stderr', async () => {
		const canary = 'CANARY-d41d8cd9';
		const r = await run(
			'demo',
			'--profile',
			'lms-activity',
			'--rows',
			'4',
			'--out',
			'-',
			'--canary',
			canary
		);
		expect(r.code).toBe(EXIT_OK);
		const rows = records(r.out);
		expect(rows[0]).toEqual(['student_id', 'timestamp', 'activity', 'clicks', 'duration_sec']);
		expect(rows.slice(1).some((row) => row[0] === canary)).toBe(true);
		expect(r.err).toMatch(
			/^Wrote \d+ rows × 5 columns \(lms-activity, seed 2024\) to standard output\.\n$/
		);
	});

	it('reports a path it cannot write, exits 1 and leaves nothing behind', async () => {
		const r = await run('demo', '--profile', 'marks', '--out', 'no/such/folder/m.csv');
		expect(r.code).toBe(EXIT_FAILURE);
		expect(r.err).toMatch(/Could not write no\/such\/folder\/m.csv: the folder does not exist/);
		expect(r.out).toBe('');
	});
});

describe('as a real process', () => {
	const exec = promisify(execFile);
	const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

	it('runs through tsx, writes the file and exits 0; exits 2 on a bad profile', async () => {
		const out = join(dir, 'child.csv');
		const ok = await exec(tsx, [
			'src/cli/main.ts',
			'demo',
			'--profile',
			'demographic',
			'--rows',
			'25',
			'--out',
			out
		]);
		expect(ok.stdout).toBe(`Wrote 25 rows × 9 columns (demographic, seed 2024) to ${out}.\n`);
		expect(records(readFileSync(out, 'utf8'))).toHaveLength(26);

		const bad = await exec(tsx, [
			'src/cli/main.ts',
			'demo',
			'--profile',
			'nope',
			'--out',
			out
		]).then(
			() => null,
			(e: { code: number; stderr: string }) => e
		);
		expect(bad?.code).toBe(EXIT_USAGE);
		expect(bad?.stderr).toMatch(/Unknown profile 'nope'. Choose one of: marks, course-records/);
	});
});
