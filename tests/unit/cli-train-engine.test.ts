/**
 * `train --model linear|mlp|auto` (the training engine behind the CLI) and `predict` with the
 * model files it saves. Kept small: 300 rows, few folds and a handful of epochs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../../src/cli/command';
import { planForTraining, trainingData } from '../../src/cli/training/data';
import { runEngine } from '../../src/cli/training/engine';
import { planCrossValidation } from '../../src/cli/training/evaluate';
import { parseModel, parseSavedModel } from '../../src/cli/training/model-file';
import type { TrainJson } from '../../src/cli/training/report';
import { frameToCsv } from '../../src/lib/data/csv-write';
import { buildFrame, inspectFile } from '../../src/lib/data/import';
import { bytesSource } from '../../src/lib/data/types';
import { neverCancelled, noProgress } from '../../src/lib/ml/progress';
import { generateDemo } from '../../src/lib/ml/synthetic';
import { predictArtifact } from '../../src/lib/ml/train';
import { cliWorkspace, lastJson } from './helpers/cli';

const {
	dir,
	run,
	demo,
	train,
	readRows: readCsv,
	writeRows: writeCsv,
	importFrame
} = cliWorkspace('cli-engine');
const N = 300;
const FAMILIES = ['linear', 'rf', 'gbdt', 'mlp'];
/** The top-level keys every train JSON has, tree or engine model. */
const KEYS = [
	'task',
	'model',
	'target',
	'classes',
	'rows',
	'rows_without_target',
	'features',
	'excluded',
	'params',
	'train_seconds',
	'importance',
	'data_problems',
	'saved'
];

type Cv = NonNullable<TrainJson['cv']>;
type Holdout = NonNullable<TrainJson['holdout']>;
type Reg = { rmse: number; mae: number; r2: number };
type Cls = { accuracy: number; f1_weighted: number; log_loss: number };

function expectShares(j: TrainJson): void {
	expect(j.importance.length).toBeGreaterThan(0);
	for (const i of j.importance) {
		expect(Object.keys(i).sort()).toEqual(['feature', 'share']);
		expect(j.features).toContain(i.feature);
	}
	const total = j.importance.reduce((s, i) => s + (i.share ?? 0), 0);
	expect(total).toBeCloseTo(1, 9);
}

beforeAll(async () => {
	await demo('marks', N, 5, 'marks.csv');
	// A text band to classify, and a club column whose categories a scoring file can extend.
	const rows = readCsv('marks.csv');
	const fi = rows[0].indexOf('final_exam');
	const exam = rows.slice(1).map((row) => Number(row[fi]));
	const sorted = [...exam].sort((a, b) => a - b);
	const [lo, hi] = [sorted[Math.floor(N / 3)], sorted[Math.floor((2 * N) / 3)]];
	const clubs = ['chess', 'drama', 'none'];
	writeCsv('derived.csv', [
		[...rows[0], 'band', 'club'],
		...rows
			.slice(1)
			.map((row, i) => [
				...row,
				exam[i] < lo ? 'low' : exam[i] < hi ? 'middle' : 'high',
				clubs[i % 3]
			])
	]);
	writeFileSync(join(dir, 'course.csv'), frameToCsv(generateDemo('course-records').frame));
});

describe('train --model linear', () => {
	it('regression: the tree JSON contract, with engine importance shares', async () => {
		const j = await train('--data', 'marks.csv', '--target', 'final_exam', '--model', 'linear');
		expect(Object.keys(j).sort()).toEqual([...KEYS, 'cv'].sort());
		expect(j.model).toBe('linear');
		expect(j.task).toBe('regression');
		expect(j.classes).toBeNull();
		expect(j.rows).toBe(N);
		expect(j.excluded.map((e) => e.name)).toEqual(['student_id', 'gender']);
		expect(j.params).toEqual({ seed: 0, alpha: 1 });
		const cv = j.cv as Cv & Reg & { baseline: Reg };
		expect(cv.folds).toBe(5);
		expect(cv.scheme).toBe('kfold');
		expect(cv.stratified).toBe(false);
		expect(cv).not.toHaveProperty('group');
		expect(cv.reason).toMatch(/^Each row is scored once: rows are split at random into 5 folds/);
		expect(cv.per_fold).toHaveLength(5);
		expect(cv.per_fold.reduce((s, f) => s + f.n_test, 0)).toBe(N);
		for (const f of cv.per_fold) {
			expect(Object.keys(f).sort()).toEqual(['mae', 'n_test', 'n_train', 'r2', 'rmse']);
			expect(f.n_train + f.n_test).toBe(N);
		}
		const mean = cv.per_fold.reduce((s, f) => s + (f as unknown as Reg).rmse, 0) / 5;
		expect(cv.rmse).toBeCloseTo(mean, 9);
		expect(Object.keys(cv.baseline).sort()).toEqual(['mae', 'r2', 'rmse']);
		expect(cv.rmse).toBeLessThan(0.7 * cv.baseline.rmse);
		expect(cv.r2).toBeGreaterThan(0.4);
		expect(j.train_seconds).toBeGreaterThan(0);
		expectShares(j);
		expect(j.saved).toBeNull();
	});

	it('classification: stratified folds, class labels and the three scores', async () => {
		const j = await train(
			'--data',
			'derived.csv',
			'--target',
			'band',
			'--exclude',
			'final_exam',
			'--model',
			'linear',
			'--cv',
			'3'
		);
		expect(Object.keys(j).sort()).toEqual([...KEYS, 'cv'].sort());
		expect(j.task).toBe('multiclass');
		expect(j.classes).toEqual(['high', 'low', 'middle']);
		expect(j.params).toEqual({ seed: 0, C: 1 });
		const cv = j.cv as Cv & Cls & { baseline: Cls };
		expect([cv.folds, cv.scheme, cv.stratified]).toEqual([3, 'stratified', true]);
		for (const f of cv.per_fold) {
			expect(Object.keys(f).sort()).toEqual([
				'accuracy',
				'f1_weighted',
				'log_loss',
				'n_test',
				'n_train'
			]);
		}
		expect(Object.keys(cv.baseline).sort()).toEqual(['accuracy', 'f1_weighted', 'log_loss']);
		expect(cv.accuracy).toBeGreaterThan(cv.baseline.accuracy + 0.15);
		expect(cv.log_loss).toBeLessThan(cv.baseline.log_loss);
		expectShares(j);
	});

	it('--holdout-last tests exactly the last rows of the file', async () => {
		const j = await train(
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--model',
			'linear',
			'--holdout-last',
			'0.2'
		);
		expect(Object.keys(j).sort()).toEqual([...KEYS, 'holdout'].sort());
		const h = j.holdout as Holdout & Reg & { baseline: Reg };
		expect(h.fraction).toBe(0.2);
		expect([h.n_train, h.n_test]).toEqual([240, 60]);
		// Header is row 1, so data row k is file row k + 1.
		expect([h.first_test_row, h.last_test_row]).toEqual([242, 301]);
		expect(h).not.toHaveProperty('trees');
		expect(h.rmse).toBeLessThan(h.baseline.rmse);
	});

	it('--holdout-last reports the rows the engine tested, whatever its rounding', async () => {
		// 15 rows × 0.1 = 1.5: the tree path rounds to 2 test rows, the engine's time holdout takes
		// the closer-or-equal smaller share (1 row). The file rows must describe what was tested.
		const rows = readCsv('marks.csv').slice(0, 16);
		writeCsv('small.csv', rows);
		const j = await train(
			'--data',
			'small.csv',
			'--target',
			'final_exam',
			'--model',
			'linear',
			'--holdout-last',
			'0.1'
		);
		const h = j.holdout as Holdout;
		expect(h.n_train + h.n_test).toBe(15);
		expect(h.last_test_row).toBe(16);
		expect(h.first_test_row).toBe(16 - h.n_test + 1);
	});

	it('prints a readable summary without the leaderboard', async () => {
		const r = await run(
			'train',
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--model',
			'linear'
		);
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toMatch(
			/^Trained a linear model \(linear\) to predict “final_exam” — regression/
		);
		expect(r.out).toMatch(/5-fold cross-validation \(seed 0\), mean over folds:/);
		expect(r.out).toMatch(/Most important features \(share of importance/);
		expect(r.out).not.toMatch(/Candidates|TensorFlow/);
	});
});

describe('train --model auto', () => {
	// One setting per tree family and a tiny network, so the comparison stays quick.
	const quick = ['--trees', '30', '--epochs', '3', '--hidden', '8'];

	it('selects a family by cross-validation and beats the baseline', async () => {
		const j = await train(
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--model',
			'auto',
			...quick
		);
		expect(Object.keys(j).sort()).toEqual(
			[...KEYS, 'cv', 'selected', 'leaderboard', 'backend'].sort()
		);
		expect(j.model).toBe('auto');
		expect(FAMILIES).toContain(j.selected);
		const board = j.leaderboard ?? [];
		// Ridge at three strengths, one forest, one boosting, one network, and the baseline.
		expect(board.map((c) => c.family).sort()).toEqual(
			['baseline', 'gbdt', 'linear', 'linear', 'linear', 'mlp', 'rf'].sort()
		);
		for (const c of board)
			expect(Object.keys(c).sort()).toEqual(['family', 'label', 'score', 'seconds']);
		const scores = board.map((c) => c.score);
		expect(scores).toEqual([...scores].sort((a, b) => a - b));
		const base = board.find((c) => c.family === 'baseline')!;
		const cv = j.cv as Cv & Reg & { baseline: Reg };
		const chosen = board.find((c) => c.family === j.selected && c.score === cv.rmse);
		expect(chosen).toBeDefined();
		expect(cv.rmse).toBeLessThan(0.8 * base.score);
		expect(cv.baseline.rmse).toBeCloseTo(base.score, 9);
		expect(['wasm', 'cpu']).toContain(j.backend);
		expect(j.train_seconds).toBeGreaterThan(board.reduce((s, c) => s + c.seconds, 0) * 0.99);
		expectShares(j);
	});

	it('prints the leaderboard and why the model was selected', async () => {
		const r = await run(
			'train',
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--model',
			'auto',
			'--cv',
			'2',
			...quick
		);
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toMatch(
			/^Compared models \(auto\) to predict “final_exam” — regression, a number — selected /
		);
		expect(r.out).toMatch(/Candidates, best first \(cross-validated RMSE, lower is better\):/);
		expect(r.out).toMatch(/Baseline \(everyone gets the average\)/);
		expect(r.out).toMatch(
			/(had the best cross-validated typical error|was chosen: its typical error)/
		);
		expect(r.out).toMatch(/Neural networks ran on TensorFlow\.js, (wasm|cpu) backend/);
	});
});

describe('train --model mlp', () => {
	it('trains a small network for a few epochs and reports the backend', async () => {
		const j = await train(
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--model',
			'mlp',
			'--epochs',
			'5',
			'--cv',
			'3'
		);
		expect(Object.keys(j).sort()).toEqual([...KEYS, 'cv', 'backend'].sort());
		expect(j.model).toBe('mlp');
		expect(['wasm', 'cpu']).toContain(j.backend);
		expect(j.params).toEqual({
			seed: 0,
			epochs: 5,
			hidden: [32, 16],
			dropout: 0.1,
			learning_rate: 0.005
		});
		const cv = j.cv as Cv & Reg;
		expect(cv.folds).toBe(3);
		expect(Number.isFinite(cv.rmse)).toBe(true);
		expect(j.train_seconds).toBeGreaterThan(0);
		expectShares(j);
	});
});

describe('train: grouped cross-validation through the engine', () => {
	const TARGET = 'final_marks';

	it('groups folds by student_id, with the CLI reason', async () => {
		const j = await train('--data', 'course.csv', '--target', TARGET, '--model', 'linear');
		const cv = j.cv as Cv;
		expect(cv.scheme).toBe('grouped');
		expect(cv.group).toBe('student_id');
		expect(cv.stratified).toBe(false);
		expect(cv.reason).toMatch(
			/^Students have several rows \([\d,]+ students in student_id over [\d,]+ rows\)/
		);
		expect(cv.per_fold.reduce((s, f) => s + f.n_test, 0)).toBe(j.rows);
		expect(j.features).not.toContain('student_id');
	});

	it('the engine folds never put a student on both sides', async () => {
		const src = bytesSource('course.csv', new Uint8Array(readFileSync(join(dir, 'course.csv'))));
		const ins = await inspectFile(src);
		const plan = planForTraining(ins.plan, TARGET, []);
		const { built } = await buildFrame(src, ins, plan);
		const data = trainingData(built.frame, plan, built.sourceRows, { target: TARGET, exclude: [] });
		const groups = data.groups!;
		const { folds } = await runEngine(
			data,
			{ kind: 'cv', k: 5, plan: planCrossValidation(data, 5, 0) },
			{ model: 'linear', seed: 0 },
			{ progress: noProgress, cancel: neverCancelled }
		);
		expect(folds).toHaveLength(5);
		for (const f of folds) {
			const train = new Set(Array.from(f.train, (r) => groups.codes[r]));
			expect(Array.from(f.test).some((r) => train.has(groups.codes[r]))).toBe(false);
		}
	});
});

describe('train --save and predict with engine models', () => {
	it('linear classification: class and probability columns, as predictArtifact gives', async () => {
		const j = await train(
			'--data',
			'derived.csv',
			'--target',
			'band',
			'--exclude',
			'final_exam',
			'--model',
			'linear',
			'--cv',
			'2',
			'--save',
			'band-linear.json'
		);
		expect(j.saved).toEqual({ path: 'band-linear.json', rows: N, fit_seconds: null });
		const r = await run(
			'predict',
			'--model',
			'band-linear.json',
			'--data',
			'derived.csv',
			'--out',
			'band-linear.csv'
		);
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toMatch(/^Scored 300 rows of derived\.csv with a linear multiclass model/);
		const rows = readCsv('band-linear.csv');
		expect(rows[0]).toEqual([
			'student_id',
			'prediction',
			'probability_high',
			'probability_low',
			'probability_middle'
		]);
		expect(rows).toHaveLength(N + 1);
		const parsed = parseModel(
			readFileSync(join(dir, 'band-linear.json'), 'utf8'),
			'band-linear.json'
		);
		if (parsed.kind !== 'artifact') throw new Error('expected an engine model file');
		expect(parsed.artifact.model.family).toBe('linear');
		const expected = await predictArtifact(parsed.artifact, await importFrame('derived.csv'));
		expect(rows.slice(1).flatMap((row) => row.slice(2).map(Number))).toEqual(
			Array.from(expected.proba!)
		);
		for (const row of rows.slice(1)) {
			const probs = row.slice(2).map(Number);
			expect(probs.every(Number.isFinite)).toBe(true);
			expect(probs.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
			expect(row[1]).toBe(['high', 'low', 'middle'][probs.indexOf(Math.max(...probs))]);
		}
	});

	it('linear: a category unseen in training is counted and goes to "(other)"', async () => {
		await train(
			'--data',
			'derived.csv',
			'--target',
			'final_exam',
			'--exclude',
			'band',
			'--model',
			'linear',
			'--cv',
			'2',
			'--save',
			'club.json'
		);
		const rows = readCsv('derived.csv');
		const ci = rows[0].indexOf('club');
		rows[1][ci] = 'robotics';
		writeCsv('robotics.csv', rows);
		const a = await run(
			'predict',
			'--model',
			'club.json',
			'--data',
			'robotics.csv',
			'--out',
			'club.csv',
			'--json'
		);
		expect(a.code).toBe(EXIT_OK);
		expect(
			lastJson<{ unseen_categories: Record<string, number> }>(a.out).unseen_categories
		).toEqual({ club: 1 });
		const b = await run('predict', '--model', 'club.json', '--data', 'robotics.csv', '--out', '-');
		expect(b.err).toMatch(
			/1 value of “club” never appeared in training and counted as the “\(other\)” category/
		);
	});

	it('mlp regression: a prediction per row, all finite', async () => {
		const j = await train(
			'--data',
			'marks.csv',
			'--target',
			'final_exam',
			'--model',
			'mlp',
			'--epochs',
			'3',
			'--hidden',
			'8',
			'--cv',
			'2',
			'--save',
			'mlp.json'
		);
		expect(j.saved).toMatchObject({ path: 'mlp.json', rows: N });
		const r = await run(
			'predict',
			'--model',
			'mlp.json',
			'--data',
			'marks.csv',
			'--out',
			'mlp.csv',
			'--json'
		);
		expect(r.code).toBe(EXIT_OK);
		expect(lastJson<{ columns: string[]; rows: number }>(r.out)).toMatchObject({
			columns: ['student_id', 'prediction'],
			rows: N
		});
		const rows = readCsv('mlp.csv');
		expect(rows[0]).toEqual(['student_id', 'prediction']);
		expect(rows).toHaveLength(N + 1);
		expect(rows.slice(1).every((row) => Number.isFinite(Number(row[1])) && row[1] !== '')).toBe(
			true
		);
	});

	it('refuses a damaged artifact with a clear message, and trees-only readers refuse artifacts', () => {
		const text = readFileSync(join(dir, 'club.json'), 'utf8');
		expect(() => parseSavedModel(text, 'club.json')).toThrow(
			/club\.json is not a Classlens model file.*\(it holds a linear model, not trees\)/
		);
		const saved = JSON.parse(text) as { artifact: { features: string[]; model: unknown } };
		const renamed = structuredClone(saved);
		renamed.artifact.features = [...renamed.artifact.features].reverse();
		expect(() => parseModel(JSON.stringify(renamed), 'x.json')).toThrow(
			/feature list does not match its artifact/
		);
		const broken = structuredClone(saved);
		broken.artifact.model = { family: 'linear', kind: 'ridge', coef: 'nope' };
		expect(() => parseModel(JSON.stringify(broken), 'x.json')).toThrow(
			/its linear model is damaged/
		);
	});

	it('predict exits 1 on a damaged artifact file', async () => {
		const saved = JSON.parse(readFileSync(join(dir, 'club.json'), 'utf8')) as {
			artifact: { model: unknown };
		};
		saved.artifact.model = { family: 'quantum' };
		writeFileSync(join(dir, 'damaged.json'), JSON.stringify(saved));
		const r = await run(
			'predict',
			'--model',
			'damaged.json',
			'--data',
			'marks.csv',
			'--out',
			'x.csv'
		);
		expect(r.code).toBe(EXIT_FAILURE);
		expect(r.err).toMatch(
			/damaged\.json is not a Classlens model file.*family "quantum" is unknown/
		);
	});
});

describe('help', () => {
	it('lists the engine models, their options and an auto example', async () => {
		const r = await run('train', '--help');
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toMatch(/--model <model> +gbdt \(default\) \| rf \| linear \| mlp \| auto/);
		expect(r.out).toMatch(/--epochs <n>/);
		expect(r.out).toMatch(/--hidden <a,b,…>/);
		expect(r.out).toMatch(/train --data marks\.csv --target final_exam --model auto/);
	});
});

describe('train: options that do not fit the model are usage errors', () => {
	const base = ['train', '--data', 'marks.csv', '--target', 'final_exam'];
	it.each([
		[['--model', 'linear', '--trees', '10'], /--trees does not apply to --model linear/],
		[
			['--model', 'mlp', '--lr', '0.1'],
			/--lr does not apply to --model mlp; it is for --model gbdt or --model auto/
		],
		[['--model', 'linear', '--epochs', '5'], /--epochs does not apply to --model linear/],
		[['--model', 'gbdt', '--hidden', '8'], /--hidden does not apply to --model gbdt/],
		[['--model', 'rf', '--epochs', '5'], /--epochs does not apply to --model rf/],
		[['--model', 'auto', '--bins', '16'], /--bins does not apply to --model auto/],
		[
			['--model', 'auto', '--no-early-stopping'],
			/--no-early-stopping does not apply to --model auto/
		],
		[['--model', 'mlp', '--leaves', '7'], /--leaves does not apply to --model mlp/],
		[['--model', 'linear', '--cv', '20'], /at most 10 folds; got --cv 20/],
		[['--model', 'mlp', '--hidden', '8,x'], /--hidden must list 1 to 8 layer sizes/],
		[['--model', 'mlp', '--hidden', '0'], /--hidden must list/],
		[['--model', 'mlp', '--epochs', '0'], /--epochs must be a whole number from 1/],
		[['--model', 'svm'], /--model must be one of gbdt, rf, linear, mlp, auto/]
	])('%j', async (argv, message) => {
		const r = await run(...base, ...argv);
		expect(r.code).toBe(EXIT_USAGE);
		expect(r.err).toMatch(message);
		expect(r.out).toBe('');
	});
});
