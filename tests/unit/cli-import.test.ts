import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from '../../src/cli/command';
import type { ImportJson } from '../../src/cli/commands/import';
import { main } from '../../src/cli/main';
import { openFileSource } from '../../src/cli/node-source';
import { AppException } from '../../src/lib/errors';
import { cliRunner, lastJson } from './helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'classlens-cli-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = cliRunner(dir);
const fixture = (name: string) => join(process.cwd(), 'tests', 'fixtures', 'csv', name);
const xlsx = join(process.cwd(), 'tests', 'fixtures', 'xlsx', 'marks.xlsx');

async function importJson(...argv: string[]): Promise<ImportJson> {
	const r = await run('import', ...argv, '--json');
	expect(r.err).toBe('');
	expect(r.code).toBe(EXIT_OK);
	return lastJson<ImportJson>(r.out);
}

const col = (j: ImportJson, name: string) => {
	const c = j.columns.find((x) => x.name === name);
	if (!c) throw new Error(`no column ${name}`);
	return c;
};

beforeAll(async () => {
	const r = await run(
		'demo',
		'--profile',
		'marks',
		'--rows',
		'60',
		'--seed',
		'3',
		'--out',
		'marks.csv'
	);
	expect(r.code).toBe(EXIT_OK);
});

describe('import --json', () => {
	it('recognises the marks profile, its roles, types and ranges', async () => {
		const j = await importJson('marks.csv');
		expect(j.file).toBe('marks.csv');
		expect(j.format).toBe('csv');
		expect(j.dialect).toMatchObject({ delimiter: ',', decimal: '.', encoding: 'utf-8' });
		expect(j.sheet).toBeNull();
		expect(j.profile).toMatchObject({ id: 'marks', target: 'final_exam' });
		expect(j.rows).toBe(60);
		expect(j.columns).toHaveLength(12);
		expect(col(j, 'student_id')).toMatchObject({ type: 'identifier', role: 'id', min: null });
		expect(col(j, 'gender')).toMatchObject({ type: 'category', role: 'sensitive' });
		const exam = col(j, 'final_exam');
		expect(exam).toMatchObject({ type: 'integer', role: 'target', canonical: 'final_exam' });
		expect(exam.min).toBeGreaterThanOrEqual(0);
		expect(exam.max).toBeLessThanOrEqual(100);
		expect(j.errors).toBe(0);
		expect(j.counts).toEqual({});
		expect(j.issues).toEqual([]);
	});

	it('reads a semicolon file with decimal commas', async () => {
		const j = await importJson(fixture('semicolon-decimal.csv'));
		expect(j.dialect).toMatchObject({ delimiter: ';', decimal: ',' });
		expect(j.rows).toBe(3);
		expect(col(j, 'score')).toMatchObject({ type: 'number', min: 7.25, max: 12.5 });
		expect(col(j, 'grade').type).toBe('category');
	});

	it('detects Windows-1252 and still reads the decimal commas', async () => {
		const j = await importJson(fixture('windows-1252.csv'));
		expect(j.dialect).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
		expect(col(j, 'score')).toMatchObject({ min: 9.25, max: 13 });
		expect(j.rows).toBe(3);
	});

	it('reports ragged rows with file and row, as warnings', async () => {
		const file = fixture('ragged.csv');
		const j = await importJson(file);
		expect(j.counts['ragged-row']).toBe(2);
		expect(j.warnings).toBeGreaterThanOrEqual(2);
		const ragged = j.issues.filter((i) => i.code === 'ragged-row');
		expect(ragged.map((i) => i.where.row)).toEqual([2, 3]);
		expect(ragged.every((i) => i.where.file === file && i.severity === 'warning')).toBe(true);
	});

	it('makes hostile headers safe and reports the renames', async () => {
		const j = await importJson(fixture('hostile-header.csv'));
		const names = j.columns.map((c) => c.name);
		expect(names).not.toContain('__proto__');
		expect(new Set(names).size).toBe(names.length);
		expect(col(j, '__proto___col').original).toBe('__proto__');
		expect(j.counts['header-renamed']).toBeGreaterThan(0);
	});

	it('reports out-of-range values as errors with row and column, and still exits 0', async () => {
		// Enough clean rows that one typo does not change what the column is inferred to be.
		const lines = ['student_id,attendance_percentage,final_marks'];
		for (let i = 1; i <= 30; i++) lines.push(`S${i},${60 + i},${40 + i}`);
		lines[2] = 'S2,130,55';
		lines[3] = 'S3,80,abc';
		writeFileSync(join(dir, 'attendance.csv'), lines.join('\n') + '\n');
		const j = await importJson('attendance.csv');
		expect(j.errors).toBeGreaterThanOrEqual(2);
		const range = j.issues.find((i) => i.code === 'out-of-range');
		expect(range?.where).toMatchObject({
			file: 'attendance.csv',
			row: 3,
			column: 'attendance_percentage'
		});
		const conflict = j.issues.find((i) => i.code === 'type-conflict');
		expect(conflict?.where).toMatchObject({ row: 4, column: 'final_marks' });
		expect(conflict?.value).toBe('abc');
	});

	it('picks an Excel sheet by position (from 1) or by name', async () => {
		const second = await importJson(xlsx, '--sheet', '2');
		expect(second.format).toBe('xlsx');
		expect(second.sheet).toBe('Présence 2ᵉ trimestre');
		expect(second.sheets).toEqual(['Marks', 'Présence 2ᵉ trimestre', 'lookup']);
		const byName = await importJson(xlsx, '--sheet', 'marks');
		expect(byName.sheet).toBe('Marks');
		const missing = await run('import', xlsx, '--sheet', '9');
		expect(missing.code).toBe(EXIT_FAILURE);
		expect(missing.err).toMatch(/has no a sheet number 9|sheet number 9/);
	});
});

describe('import as text', () => {
	it('prints the schema table and the problems, and writes --report-csv', async () => {
		const r = await run('import', 'attendance.csv', '--report-csv', 'report.csv');
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toMatch(
			/attendance\.csv — 30 rows × 3 columns \(CSV, utf-8, delimiter ',', decimal '\.'\)/
		);
		expect(r.out).toMatch(/Column\s+Type\s+Role\s+Field\s+Missing\s+Range/);
		expect(r.out).toMatch(/attendance_percentage\s+integer\s+feature/);
		expect(r.out).toMatch(/Validation: \d+ errors/);
		expect(r.out).toMatch(/out-of-range\s+1\s+error/);
		expect(r.out).toContain('attendance.csv, row 3, column “attendance_percentage”');
		expect(r.out).toContain('Wrote ');
		const rows = Papa.parse<string[]>(readFileSync(join(dir, 'report.csv'), 'utf8'), {
			skipEmptyLines: true
		}).data;
		expect(rows[0]).toEqual(['file', 'row', 'column', 'severity', 'code', 'message', 'value']);
		expect(rows.some((row) => row[1] === '3' && row[4] === 'out-of-range')).toBe(true);
	});

	it('says when there is nothing wrong', async () => {
		const r = await run('import', 'marks.csv');
		expect(r.out).toContain('Recognised as: Class marks');
		expect(r.out).toContain('Validation: no problems found.');
		// Progress is drawn only on a terminal.
		expect(r.err).toBe('');
	});
});

describe('progress', () => {
	it('is drawn on stderr only when stderr is a terminal, and erased afterwards', async () => {
		let out = '';
		let err = '';
		const io: CliIo = {
			stdout: (t) => void (out += t),
			stderr: (t) => void (err += t),
			cwd: dir,
			stderrIsTTY: true
		};
		expect(await main(['import', 'marks.csv', '--json'], io)).toBe(EXIT_OK);
		expect(err).toContain('\r\u001b[2K');
		expect(err).toMatch(/\(\d+%\)/);
		expect(err.endsWith('\r\x1b[2K')).toBe(true);
		expect(lastJson<ImportJson>(out).rows).toBe(60);
	});
});

describe('import failures', () => {
	it.each([
		['empty.csv', /is empty/],
		['garbage.csv', /does not look like a text\/CSV file/],
		['no-such-file.csv', /Could not read .*no-such-file\.csv: the file does not exist/]
	])('%s exits 1 with the reason on stderr', async (name, message) => {
		const r = await run('import', fixture(name));
		expect(r.code).toBe(EXIT_FAILURE);
		expect(r.err).toMatch(message);
		expect(r.out).toBe('');
	});

	it('refuses a folder', async () => {
		mkdirSync(join(dir, 'folder.csv'), { recursive: true });
		const r = await run('import', 'folder.csv');
		expect(r.code).toBe(EXIT_FAILURE);
		expect(r.err).toMatch(/that path is a folder/);
	});

	it.each([
		[[], /Missing FILE/],
		[['a.csv', 'b.csv'], /Unexpected argument 'b.csv'/],
		[['marks.csv', '--decimal', ';'], /--decimal must be '\.' or ','/],
		[['marks.csv', '--sheet', '1'], /--sheet only applies to Excel workbooks/],
		[['marks.csv', '--bogus'], /Unknown option '--bogus' for 'import'/]
	])('usage error %j exits 2', async (argv, message) => {
		const r = await run('import', ...argv);
		expect(r.code).toBe(EXIT_USAGE);
		expect(r.err).toMatch(message);
	});
});

describe('node file source', () => {
	it('reads exactly the ranges asked for, clamped to the file', async () => {
		const path = join(dir, 'bytes.bin');
		const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
		writeFileSync(path, bytes);
		const src = await openFileSource(path, 'bytes.bin');
		try {
			expect(src.size).toBe(1000);
			expect(src.name).toBe('bytes.bin');
			expect(Array.from(await src.read(10, 20))).toEqual(Array.from(bytes.subarray(10, 20)));
			expect(Array.from(await src.read(990, 5000))).toEqual(Array.from(bytes.subarray(990)));
			expect((await src.read(2000, 3000)).length).toBe(0);
		} finally {
			await src.close();
			await src.close();
		}
	});

	it('turns a missing file into an AppException a person can read', async () => {
		await expect(openFileSource(join(dir, 'nope.csv'), 'nope.csv')).rejects.toBeInstanceOf(
			AppException
		);
	});
});

describe('import as a real process', () => {
	it('runs through tsx and prints the JSON as its last line', async () => {
		const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
		const r = await promisify(execFile)(tsx, [
			'src/cli/main.ts',
			'import',
			fixture('semicolon-decimal.csv'),
			'--json'
		]);
		const j = lastJson<ImportJson>(r.stdout);
		expect(j.rows).toBe(3);
		expect(j.dialect?.decimal).toBe(',');
		expect(r.stderr).toBe('');
	});
});
