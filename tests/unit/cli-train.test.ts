import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../src/cli/command';
import { planForTraining, trainingData } from '../../src/cli/training/data';
import { planCrossValidation } from '../../src/cli/training/evaluate';
import type { TrainJson } from '../../src/cli/training/report';
import { parseSavedModel } from '../../src/cli/training/model-file';
import { frameToCsv } from '../../src/lib/data/csv-write';
import { buildFrame, inspectFile } from '../../src/lib/data/import';
import { bytesSource } from '../../src/lib/data/types';
import { getColumn, sliceRows, type Column, type Frame } from '../../src/lib/ml/frame';
import { predict, trainGbdt } from '../../src/lib/ml/gbdt';
import { rmse } from '../../src/lib/ml/metrics';
import { generateDemo } from '../../src/lib/ml/synthetic';
import { cliWorkspace, lastJson } from './helpers/cli';

const {
	dir,
	run,
	demo,
	train,
	readRows: readCsv,
	writeRows: writeCsv,
	importFrame
} = cliWorkspace('cli-train');
const N = 300;

let exam: number[] = [];

beforeAll(async () => {
	await demo('marks', N, 5, 'marks.csv');
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
		// One row per student: nothing to group, so plain k-fold for a number.
		expect(j.cv?.scheme).toBe('kfold');
		expect(j.cv?.stratified).toBe(false);
		expect(j.cv).not.toHaveProperty('group');
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
		expect(r.out).toContain('Each row is scored once: rows are split at random into 3 folds');
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
		expect(cv.scheme).toBe('stratified');
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

describe('train: grouped cross-validation of a long-format file', () => {
	const TARGET = 'final_marks';
	const fast = ['--data', 'course.csv', '--target', TARGET, '--trees', '15'];

	beforeAll(() => {
		// Several rows per student (one per subject and semester): the import marks student_id
		// as the column that groups a student's rows.
		writeFileSync(join(dir, 'course.csv'), frameToCsv(generateDemo('course-records').frame));
	});

	/** The folds `train` uses for course.csv, built the way the command builds them. */
	async function courseFolds(group?: string | false) {
		const src = bytesSource('course.csv', new Uint8Array(readFileSync(join(dir, 'course.csv'))));
		const ins = await inspectFile(src);
		const plan = planForTraining(ins.plan, TARGET, []);
		const { built } = await buildFrame(src, ins, plan);
		const data = trainingData(built.frame, plan, built.sourceRows, {
			target: TARGET,
			exclude: [],
			group
		});
		return { data, cv: planCrossValidation(data, 5, 0) };
	}

	/** Student id of each data row, straight from the CSV text (header = file row 1). */
	function studentOfFileRow(): (fileRow: number) => string {
		const rows = readCsv('course.csv');
		const si = rows[0].indexOf('student_id');
		return (fileRow) => rows[fileRow - 1][si];
	}

	/** Students with rows on both sides of some fold. */
	function leakedStudents(
		folds: { train: Uint32Array; test: Uint32Array }[],
		sourceRows: Uint32Array
	): Set<string> {
		const student = studentOfFileRow();
		const leaked = new Set<string>();
		for (const f of folds) {
			const trainIds = new Set(Array.from(f.train, (r) => student(sourceRows[r])));
			for (const r of f.test) {
				const id = student(sourceRows[r]);
				if (trainIds.has(id)) leaked.add(id);
			}
		}
		return leaked;
	}

	it('groups folds by student_id by default, and no student is in train and test', async () => {
		const j = await train(...fast);
		expect(j.excluded).toContainEqual({ name: 'student_id', reason: 'groups rows (student id)' });
		const cv = j.cv as NonNullable<TrainJson['cv']>;
		expect(cv.scheme).toBe('grouped');
		expect(cv.group).toBe('student_id');
		expect(cv.stratified).toBe(false);
		expect(cv.reason).toMatch(
			/^Students have several rows \([\d,]+ students in student_id over [\d,]+ rows\)/
		);

		const { data, cv: planned } = await courseFolds();
		expect(planned.scheme).toBe('grouped');
		// These are the command's folds: the same sizes, fold by fold.
		expect(planned.folds.map((f) => [f.train.length, f.test.length])).toEqual(
			cv.per_fold.map((f) => [f.n_train, f.n_test])
		);
		expect(cv.per_fold.reduce((s, f) => s + f.n_test, 0)).toBe(j.rows);
		expect(data.groups?.nGroups).toBeLessThan(j.rows);
		expect(leakedStudents(planned.folds, data.sourceRows).size).toBe(0);
	});

	it('--no-group falls back to plain k-fold, which does mix students, and says so', async () => {
		const j = await train(...fast, '--no-group');
		const cv = j.cv as NonNullable<TrainJson['cv']>;
		expect(cv.scheme).toBe('kfold');
		expect(cv).not.toHaveProperty('group');
		expect(cv.reason).toMatch(/^Grouping by student_id is off \(--no-group\).*optimistic\.$/);
		// The reason grouping is the default: random folds put most students on both sides.
		const { data, cv: planned } = await courseFolds(false);
		expect(planned.scheme).toBe('kfold');
		expect(leakedStudents(planned.folds, data.sourceRows).size).toBeGreaterThan(0);
	});

	it('explains the grouping in the text report', async () => {
		const r = await run('train', ...fast);
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toMatch(
			/Students have several rows \([\d,]+ students in student_id over [\d,]+ rows\), so all rows of a student are kept in one fold and the model is always tested on students it has not seen\.\n5-fold cross-validation, grouped by student_id \(seed 0\), mean over folds:/
		);
	});

	it('--group forces a grouping column and keeps it out of the features', async () => {
		const j = await train(...fast, '--group', 'subject');
		expect(j.cv?.scheme).toBe('grouped');
		expect(j.cv?.group).toBe('subject');
		expect(j.features).not.toContain('subject');
		expect(j.excluded).toContainEqual({ name: 'subject', reason: 'groups rows (--group)' });
		expect(j.cv?.reason).toMatch(/^Rows with the same subject \([\d,]+ values over [\d,]+ rows\)/);
		// A one-row-per-student file can be grouped on request too.
		const m = await train(
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--trees',
			'10',
			'--group',
			'student_id'
		);
		expect(m.cv?.scheme).toBe('grouped');
		expect(m.cv?.group).toBe('student_id');
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
		[
			['train', '--data', 'marks.csv', '--target', 'final_exam', '--group', 'a', '--no-group'],
			/either --group or --no-group/
		],
		[
			[
				'train',
				'--data',
				'marks.csv',
				'--target',
				'final_exam',
				'--group',
				'student_id',
				'--holdout-last',
				'0.2'
			],
			/--group applies to cross-validation/
		],
		[
			['train', '--data', 'marks.csv', '--target', 'final_exam', '--group', 'class'],
			/--group names “class”, which marks.csv does not have/
		],
		[
			['train', '--data', 'marks.csv', '--target', 'final_exam', '--group', 'final_exam'],
			/--group cannot be the column to predict/
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
