import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
import type { TrainJson } from '../../src/cli/training/report';
import { parseSavedModel } from '../../src/cli/training/model-file';
import { buildFrame, inspectFile } from '../../src/lib/data/import';
import { bytesSource } from '../../src/lib/data/types';
import { getColumn, sliceRows, type Column, type Frame } from '../../src/lib/ml/frame';
import { predict, trainGbdt } from '../../src/lib/ml/gbdt';
import { rmse } from '../../src/lib/ml/metrics';

const dir = mkdtempSync(join(tmpdir(), 'classlens-cli-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const N = 300;

interface Run {
	code: number;
	out: string;
	err: string;
}

async function run(...argv: string[]): Promise<Run> {
	let out = '';
	let err = '';
	const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd: dir };
	return { code: await main(argv, io), out, err };
}

function lastJson<T>(out: string): T {
	const lines = out.trimEnd().split('\n');
	return JSON.parse(lines[lines.length - 1]) as T;
}

async function train(...argv: string[]): Promise<TrainJson> {
	const r = await run('train', ...argv, '--json');
	expect(r.err).toBe('');
	expect(r.code).toBe(EXIT_OK);
	return lastJson<TrainJson>(r.out);
}

function readCsv(name: string): string[][] {
	return Papa.parse<string[]>(readFileSync(join(dir, name), 'utf8'), { skipEmptyLines: true }).data;
}

function writeCsv(name: string, rows: string[][]): void {
	writeFileSync(join(dir, name), Papa.unparse(rows, { newline: '\n' }) + '\n');
}

/** The file as the app imports it, for in-process comparisons. */
async function importFrame(name: string): Promise<Frame> {
	const src = bytesSource(name, new Uint8Array(readFileSync(join(dir, name))));
	const ins = await inspectFile(src);
	return (await buildFrame(src, ins, ins.plan)).built.frame;
}

let exam: number[] = [];

beforeAll(async () => {
	const r = await run(
		'demo',
		'--profile',
		'marks',
		'--rows',
		String(N),
		'--seed',
		'5',
		'--out',
		'marks.csv'
	);
	expect(r.code).toBe(EXIT_OK);
	// Derived targets: pass/fail (yes/no → a boolean column), a text band, and a club with
	// a category that a later scoring file will not have seen.
	const rows = readCsv('marks.csv');
	const fi = rows[0].indexOf('final_exam');
	exam = rows.slice(1).map((row) => Number(row[fi]));
	const sorted = [...exam].sort((a, b) => a - b);
	const [lo, hi] = [sorted[Math.floor(N / 3)], sorted[Math.floor((2 * N) / 3)]];
	const clubs = ['chess', 'drama', 'none'];
	writeCsv('derived.csv', [
		[...rows[0], 'passed', 'band', 'club'],
		...rows
			.slice(1)
			.map((row, i) => [
				...row,
				exam[i] >= 50 ? 'yes' : 'no',
				exam[i] < lo ? 'low' : exam[i] < hi ? 'middle' : 'high',
				clubs[i % 3]
			])
	]);
});

describe('train: regression', () => {
	it('cross-validates and clearly beats predicting the mean', async () => {
		const j = await train('--data', 'marks.csv', '--target', 'final_exam');
		expect(j.task).toBe('regression');
		expect(j.model).toBe('gbdt');
		expect(j.rows).toBe(N);
		expect(j.features).not.toContain('student_id');
		expect(j.features).not.toContain('final_exam');
		expect(j.excluded.map((e) => e.name)).toEqual(['student_id', 'gender']);
		expect(j.cv?.folds).toBe(5);
		expect(j.cv?.per_fold.reduce((s, f) => s + f.n_test, 0)).toBe(N);
		// The mean baseline computed here, independently of the CLI.
		const mean = exam.reduce((s, v) => s + v, 0) / N;
		const sd = Math.sqrt(exam.reduce((s, v) => s + (v - mean) ** 2, 0) / N);
		const cv = j.cv as NonNullable<TrainJson['cv']> & { rmse: number; r2: number; mae: number };
		expect(cv.rmse).toBeLessThan(0.7 * sd);
		expect(cv.r2).toBeGreaterThan(0.4);
		expect(cv.mae).toBeLessThan(cv.rmse);
		expect(j.train_seconds).toBeGreaterThan(0);
		expect(j.importance[0].gain_share).toBeGreaterThan(0);
		expect(j.saved).toBeNull();
	});

	it('is reproducible: same seed, same JSON; another seed, other folds', async () => {
		const strip = (j: TrainJson) => ({ ...j, train_seconds: 0 });
		const args = ['--data', 'marks.csv', '--target', 'final_exam', '--trees', '30', '--cv', '3'];
		const a = await train(...args, '--seed', '7');
		const b = await train(...args, '--seed', '7');
		const c = await train(...args, '--seed', '8');
		expect(strip(a)).toEqual(strip(b));
		expect(a.cv).not.toEqual(c.cv);
	});

	it('holdout-last trains on the first rows and tests on exactly the last ones', async () => {
		const j = await train(
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--holdout-last',
			'0.2',
			'--trees',
			'40',
			'--no-early-stopping'
		);
		const h = j.holdout as NonNullable<TrainJson['holdout']> & { rmse: number };
		expect(j.cv).toBeUndefined();
		expect([h.n_train, h.n_test]).toEqual([240, 60]);
		// Header is row 1, so data row k is file row k + 1.
		expect([h.first_test_row, h.last_test_row]).toEqual([242, 301]);
		// The same fit done here on rows 0..239 gives the same test RMSE, to the last bit.
		const frame = await importFrame('marks.csv');
		const x: Frame = {
			nRows: N,
			columns: j.features.map((f) => getColumn(frame, f) as Column)
		};
		const y = Float64Array.from(exam);
		const model = trainGbdt(sliceRows(x, 0, 240), y.subarray(0, 240), {
			loss: 'squared_error',
			nRounds: 40,
			learningRate: 0.1,
			maxBins: 255,
			seed: 0,
			earlyStopping: false
		});
		expect(h.rmse).toBe(rmse(y.subarray(240), predict(model, sliceRows(x, 240, N))));
	});

	it('also trains a random forest', async () => {
		const j = await train(
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--model',
			'rf',
			'--trees',
			'30',
			'--cv',
			'3'
		);
		const cv = j.cv as NonNullable<TrainJson['cv']> & { rmse: number; baseline: { rmse: number } };
		expect(j.model).toBe('rf');
		expect(j.params.lr).toBeNull();
		expect(cv.rmse).toBeLessThan(0.8 * cv.baseline.rmse);
	});

	it('prints a readable summary with the top features', async () => {
		const r = await run(
			'train',
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--trees',
			'20',
			'--cv',
			'3'
		);
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toContain(
			'Trained gradient-boosted trees (gbdt) to predict “final_exam” — regression'
		);
		expect(r.out).toContain('3-fold cross-validation (seed 0), mean over folds:');
		expect(r.out).toMatch(/RMSE\s+[\d.]+\s+[\d.]+/);
		expect(r.out).toContain('Most important features (share of split gain):');
		expect(r.out).toContain('Left out: student_id (identifier), gender (sensitive');
	});
});

describe('train: classification', () => {
	it('infers binary from a yes/no target and beats the class frequencies', async () => {
		const j = await train(
			'--data',
			'derived.csv',
			'--target',
			'passed',
			'--exclude',
			'final_exam,band'
		);
		expect(j.task).toBe('binary');
		expect(j.classes).toEqual(['false', 'true']);
		expect(j.features).not.toContain('final_exam');
		expect(j.features).toContain('club');
		const cv = j.cv as NonNullable<TrainJson['cv']> & {
			accuracy: number;
			log_loss: number;
			f1_weighted: number;
			baseline: { accuracy: number; log_loss: number };
		};
		expect(cv.stratified).toBe(true);
		expect(cv.accuracy).toBeGreaterThan(cv.baseline.accuracy + 0.05);
		expect(cv.log_loss).toBeLessThan(cv.baseline.log_loss);
		expect(cv.f1_weighted).toBeGreaterThan(0.7);
	});

	it('infers multiclass from a text band', async () => {
		const j = await train(
			'--data',
			'derived.csv',
			'--target',
			'band',
			'--exclude',
			'final_exam',
			'--exclude',
			'passed',
			'--cv',
			'3'
		);
		expect(j.task).toBe('multiclass');
		expect(j.classes).toEqual(['high', 'low', 'middle']);
		const cv = j.cv as NonNullable<TrainJson['cv']> & {
			accuracy: number;
			baseline: { accuracy: number };
		};
		expect(cv.accuracy).toBeGreaterThan(cv.baseline.accuracy + 0.1);
	});

	it.each([
		[
			['--target', 'band', '--task', 'regression'],
			/contains text, so it cannot be predicted as a number/
		],
		[['--target', 'band', '--task', 'binary'], /has 3 different values, so it cannot be a yes\/no/],
		[
			['--target', 'final_exam', '--task', 'multiclass'],
			/holds measurements rather than a few categories/
		]
	])('refuses a task that does not fit the target: %j', async (argv, message) => {
		const r = await run('train', '--data', 'derived.csv', ...argv);
		expect(r.code).toBe(EXIT_FAILURE);
		expect(r.err).toMatch(message);
	});
});

describe('train --save and predict', () => {
	it('reproduces in-process predictions exactly (regression)', async () => {
		const j = await train(
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--trees',
			'30',
			'--cv',
			'2',
			'--save',
			'reg.json'
		);
		expect(j.saved).toMatchObject({ path: 'reg.json', rows: N });
		const r = await run(
			'predict',
			'--model',
			'reg.json',
			'--data',
			'marks.csv',
			'--out',
			'reg.csv'
		);
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toMatch(/^Scored 300 rows of marks.csv with a gbdt regression model/);
		const rows = readCsv('reg.csv');
		expect(rows[0]).toEqual(['student_id', 'prediction']);
		expect(rows).toHaveLength(N + 1);
		const { ensemble } = parseSavedModel(readFileSync(join(dir, 'reg.json'), 'utf8'), 'reg.json');
		const expected = predict(ensemble, await importFrame('marks.csv'));
		expect(rows.slice(1).map((row) => Number(row[1]))).toEqual(Array.from(expected));
		expect(rows[1][0]).toBe(readCsv('marks.csv')[1][0]);
	});

	it('writes the class and one probability per class, exactly as in-process', async () => {
		await train(
			'--data',
			'derived.csv',
			'--target',
			'band',
			'--exclude',
			'final_exam,passed',
			'--trees',
			'20',
			'--cv',
			'2',
			'--save',
			'band.json'
		);
		const r = await run(
			'predict',
			'--model',
			'band.json',
			'--data',
			'derived.csv',
			'--out',
			'band.csv',
			'--json'
		);
		expect(r.code).toBe(EXIT_OK);
		const summary = lastJson<{ rows: number; columns: string[] }>(r.out);
		expect(summary.rows).toBe(N);
		const rows = readCsv('band.csv');
		expect(rows[0]).toEqual([
			'student_id',
			'prediction',
			'probability_high',
			'probability_low',
			'probability_middle'
		]);
		const { ensemble } = parseSavedModel(readFileSync(join(dir, 'band.json'), 'utf8'), 'band.json');
		const p = predict(ensemble, await importFrame('derived.csv'));
		const got = rows.slice(1).flatMap((row) => row.slice(2).map(Number));
		expect(got).toEqual(Array.from(p));
		for (const row of rows.slice(1)) {
			const probs = row.slice(2).map(Number);
			expect(probs.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
			const best = probs.indexOf(Math.max(...probs));
			expect(row[1]).toBe(['high', 'low', 'middle'][best]);
		}
	});

	it('treats a category unseen in training as missing', async () => {
		await train(
			'--data',
			'derived.csv',
			'--target',
			'passed',
			'--exclude',
			'final_exam,band',
			'--trees',
			'20',
			'--cv',
			'2',
			'--save',
			'pass.json'
		);
		const rows = readCsv('derived.csv');
		const ci = rows[0].indexOf('club');
		const unseen = rows.map((row) => row.slice());
		const blank = rows.map((row) => row.slice());
		unseen[1][ci] = 'robotics';
		blank[1][ci] = '';
		writeCsv('unseen.csv', unseen);
		writeCsv('blank.csv', blank);
		const a = await run(
			'predict',
			'--model',
			'pass.json',
			'--data',
			'unseen.csv',
			'--out',
			'a.csv',
			'--json'
		);
		const b = await run('predict', '--model', 'pass.json', '--data', 'blank.csv', '--out', 'b.csv');
		expect(a.code).toBe(EXIT_OK);
		expect(
			lastJson<{ unseen_categories: Record<string, number> }>(a.out).unseen_categories
		).toEqual({ club: 1 });
		expect(b.code).toBe(EXIT_OK);
		expect(readCsv('a.csv')).toEqual(readCsv('b.csv'));
		expect(readCsv('a.csv')[0]).toEqual([
			'student_id',
			'prediction',
			'probability_false',
			'probability_true'
		]);
		expect(['true', 'false']).toContain(readCsv('a.csv')[1][1]);
	});

	it('names a missing feature column, exits 1 and writes nothing', async () => {
		const rows = readCsv('marks.csv');
		const ci = rows[0].indexOf('cats');
		writeCsv(
			'no-cats.csv',
			rows.map((row) => row.filter((_, j) => j !== ci))
		);
		const r = await run(
			'predict',
			'--model',
			'reg.json',
			'--data',
			'no-cats.csv',
			'--out',
			'none.csv'
		);
		expect(r.code).toBe(EXIT_FAILURE);
		expect(r.err).toMatch(/no-cats\.csv has no column “cats”, which the model needs/);
		expect(existsSync(join(dir, 'none.csv'))).toBe(false);
	});

	it('refuses a file that is not a model', async () => {
		writeFileSync(join(dir, 'junk.json'), '{"hello": 1}');
		const r = await run('predict', '--model', 'junk.json', '--data', 'marks.csv', '--out', 'x.csv');
		expect(r.code).toBe(EXIT_FAILURE);
		expect(r.err).toMatch(/junk\.json is not a Classlens model file/);
	});
});

describe('usage errors exit 2 with a message', () => {
	it.each([
		[['train', '--data', 'marks.csv'], /Missing --target/],
		[['train', '--target', 'final_exam'], /Missing --data/],
		[
			['train', '--data', 'marks.csv', '--target', 'final_exam', '--cv', '1'],
			/--cv must be a whole number from 2/
		],
		[
			[
				'train',
				'--data',
				'marks.csv',
				'--target',
				'final_exam',
				'--cv',
				'3',
				'--holdout-last',
				'0.2'
			],
			/either --cv or --holdout-last/
		],
		[
			['train', '--data', 'marks.csv', '--target', 'final_exam', '--holdout-last', '1.5'],
			/--holdout-last must be a number greater than 0/
		],
		[
			['train', '--data', 'marks.csv', '--target', 'final_exam', '--model', 'xgb'],
			/--model must be one of gbdt, rf/
		],
		[
			['train', '--data', 'marks.csv', '--target', 'final_exam', '--model', 'rf', '--lr', '0.1'],
			/--lr applies to gbdt only/
		],
		[
			['train', '--data', 'marks.csv', '--target', 'final_exam', '--trees', 'ten'],
			/--trees must be a whole number/
		],
		[
			['train', '--data', 'marks.csv', '--target', 'grade'],
			/has no column “grade” to predict\. Its columns are: student_id, gender/
		],
		[
			['train', '--data', 'marks.csv', '--target', 'final_exam', '--exclude', 'shoe_size'],
			/--exclude names “shoe_size”/
		],
		[['predict', '--model', 'reg.json', '--data', 'marks.csv'], /Missing --out/],
		[
			['predict', '--model', 'reg.json', '--data', 'marks.csv', '--out', '-', '--json'],
			/--json cannot use it too/
		]
	])('%j', async (argv, message) => {
		const r = await run(...argv);
		expect(r.code).toBe(EXIT_USAGE);
		expect(r.err).toMatch(message);
		expect(r.out).toBe('');
	});
});

describe('train and predict as real processes', () => {
	it('run through tsx', async () => {
		const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
		const exec = promisify(execFile);
		const data = join(dir, 'marks.csv');
		const model = join(dir, 'child-model.json');
		const t = await exec(tsx, [
			'src/cli/main.ts',
			'train',
			'--data',
			data,
			'--target',
			'final_exam',
			'--trees',
			'10',
			'--cv',
			'2',
			'--save',
			model,
			'--json'
		]);
		const j = lastJson<TrainJson>(t.stdout);
		expect(j.cv?.folds).toBe(2);
		const out = join(dir, 'child-preds.csv');
		const p = await exec(tsx, [
			'src/cli/main.ts',
			'predict',
			'--model',
			model,
			'--data',
			data,
			'--out',
			out
		]);
		expect(p.stdout).toMatch(/^Scored 300 rows/);
		expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe('student_id,prediction');
	});
});
