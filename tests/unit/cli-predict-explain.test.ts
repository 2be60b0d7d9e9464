/**
 * `predict --explain [K]` and `--at-risk`: reason columns, risk columns, the rows most at risk
 * first, and the JSON summary's n_at_risk — for tree files and engine artifacts alike.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../../src/cli/command';
import { signedContribution } from '../../src/cli/prediction/columns';
import { liftExplain } from '../../src/cli/prediction/options';
import { parseModel } from '../../src/cli/training/model-file';
import { explainTrees } from '../../src/lib/ml/explain';
import { cliWorkspace, lastJson } from './helpers/cli';

const { dir, run, readRecords: readCsv, importFrame } = cliWorkspace('cli-explain');
const N = 240;

interface PredictJson {
	columns: string[];
	rows: number;
	n_at_risk?: number;
	at_risk?: Record<string, unknown>;
	explanation?: { method: string; space: string; reasons: number };
}

async function ok(...argv: string[]): Promise<string> {
	const r = await run(...argv);
	if (r.code !== EXIT_OK) throw new Error(`exit ${r.code}: ${r.err}`);
	return r.out;
}

async function predictJson(...argv: string[]): Promise<PredictJson> {
	return lastJson<PredictJson>(await ok('predict', ...argv, '--json'));
}

function expectReadable(rows: Record<string, string>[], k: number): void {
	for (const row of rows) {
		for (let j = 1; j <= k; j++) {
			const text = row[`reason_${j}`];
			expect(text).not.toMatch(/NaN|undefined|null|Infinity|\d\.\d{3}/);
			if (text)
				expect(text).toMatch(
					/ is the (largest|second-largest|third-largest) factor|another factor/
				);
			if (row[`factor_${j}`]) expect(row[`factor_${j}`]).toMatch(/^[\w ]+:[+-]\d/);
		}
	}
}

beforeAll(async () => {
	await ok('demo', '--profile', 'marks', '--rows', String(N), '--seed', '3', '--out', 'marks.csv');
	const rows = Papa.parse<string[]>(readFileSync(join(dir, 'marks.csv'), 'utf8'), {
		skipEmptyLines: true
	}).data;
	const fi = rows[0].indexOf('final_exam');
	const marks = rows.slice(1).map((r) => Number(r[fi]));
	const sorted = [...marks].sort((a, b) => a - b);
	const [lo, hi] = [sorted[Math.floor(N / 3)], sorted[Math.floor((2 * N) / 3)]];
	writeFileSync(
		join(dir, 'derived.csv'),
		Papa.unparse(
			[
				[...rows[0], 'result', 'band'],
				...rows
					.slice(1)
					.map((r, i) => [
						...r,
						marks[i] < lo ? 'fail' : 'pass',
						marks[i] < lo ? 'low' : marks[i] < hi ? 'middle' : 'high'
					])
			],
			{ newline: '\n' }
		)
	);
	await ok(
		'train',
		'--data',
		'marks.csv',
		'--target',
		'final_exam',
		'--cv',
		'2',
		'--save',
		'gbdt.json'
	);
}, 60_000);

describe('predict --explain --at-risk with a tree file', () => {
	it('adds reasons and risk, lists the rows most at risk first, counts them in the JSON', async () => {
		const j = await predictJson(
			'--model',
			'gbdt.json',
			'--data',
			'marks.csv',
			'--out',
			'gbdt.csv',
			'--explain',
			'--at-risk',
			'40'
		);
		expect(j.columns).toEqual([
			'student_id',
			'prediction',
			'risk',
			'at_risk',
			'reason_1',
			'reason_2',
			'reason_3',
			'factor_1',
			'factor_2',
			'factor_3'
		]);
		expect(j.explanation).toEqual({ method: 'tree-shap', space: 'value', reasons: 3 });
		expect(j.at_risk).toEqual({ pass_mark: 40 });
		const rows = readCsv('gbdt.csv');
		expect(rows).toHaveLength(N);
		const flagged = rows.filter((r) => r.at_risk === 'yes');
		expect(j.n_at_risk).toBe(flagged.length);
		expect(flagged.length).toBeGreaterThan(0);
		expect(flagged.length).toBeLessThan(N);
		// At-risk rows first, by risk; risk = pass mark − prediction.
		expect(rows.slice(0, flagged.length).every((r) => r.at_risk === 'yes')).toBe(true);
		for (let i = 0; i < rows.length; i++) {
			expect(Number(rows[i].risk)).toBeCloseTo(40 - Number(rows[i].prediction), 9);
			expect(rows[i].at_risk).toBe(Number(rows[i].prediction) < 40 ? 'yes' : 'no');
			if (i > 0) expect(Number(rows[i].risk)).toBeLessThanOrEqual(Number(rows[i - 1].risk));
		}
		expect(rows[0].reason_1).toMatch(
			/^\w[\w ]* \(.+\) is the largest factor lowering the predicted final exam\.$/
		);
		expectReadable(rows, 3);
		// The top factor is TreeSHAP's largest contribution, as computed in-process.
		const parsed = parseModel(readFileSync(join(dir, 'gbdt.json'), 'utf8'), 'gbdt.json');
		if (parsed.kind !== 'trees') throw new Error('expected a tree file');
		const frame = await importFrame('marks.csv');
		const ids = frame.columns.find((c) => c.name === 'student_id');
		if (ids?.kind !== 'categorical') throw new Error('ids');
		const first = ids.dictionary.indexOf(rows[0].student_id);
		const r = ids.codes.indexOf(first);
		const attr = explainTrees(parsed.ensemble, frame, Uint32Array.of(r));
		let best = 0;
		for (let f = 1; f < attr.features.length; f++) {
			if (Math.abs(attr.values[f]) > Math.abs(attr.values[best])) best = f;
		}
		expect(rows[0].factor_1).toBe(
			`${attr.features[best]}:${signedContribution(attr.values[best])}`
		);
	});

	it('keeps the plain output when neither option is given, and --explain=K takes a count', async () => {
		const plain = await predictJson(
			'--model',
			'gbdt.json',
			'--data',
			'marks.csv',
			'--out',
			'plain.csv'
		);
		expect(plain.columns).toEqual(['student_id', 'prediction']);
		expect(plain).not.toHaveProperty('n_at_risk');
		expect(plain).not.toHaveProperty('explanation');
		const one = await predictJson(
			'--model',
			'gbdt.json',
			'--explain=1',
			'--data',
			'marks.csv',
			'--out',
			'one.csv'
		);
		expect(one.columns).toEqual(['student_id', 'prediction', 'reason_1', 'factor_1']);
		// Row order is the file's without --at-risk.
		expect(readCsv('one.csv').map((r) => r.student_id)).toEqual(
			readCsv('plain.csv').map((r) => r.student_id)
		);
		const r = await run(
			'predict',
			'--model',
			'gbdt.json',
			'--data',
			'marks.csv',
			'--out',
			'-',
			'--explain',
			'2'
		);
		expect(r.code).toBe(EXIT_OK);
		expect(r.out.split('\n')[0].trim()).toBe(
			'student_id,prediction,reason_1,reason_2,factor_1,factor_2'
		);
		expect(r.err).toMatch(/Reasons: the 2 largest factors per row \(exact\)\./);
	});
});

describe('predict --at-risk with a binary forest file', () => {
	it('reads the probability of the risk class from the trees', async () => {
		await ok(
			'train',
			'--data',
			'derived.csv',
			'--target',
			'result',
			'--exclude',
			'final_exam,band',
			'--model',
			'rf',
			'--cv',
			'2',
			'--save',
			'rf.json'
		);
		const j = await predictJson(
			'--model',
			'rf.json',
			'--data',
			'derived.csv',
			'--out',
			'rf.csv',
			'--at-risk',
			'0.4',
			'--explain',
			'1'
		);
		expect(j.at_risk).toEqual({ risk_class: 'fail', level: 0.4 });
		expect(j.explanation).toEqual({ method: 'tree-shap', space: 'probability', reasons: 1 });
		const rows = readCsv('rf.csv');
		expect(j.n_at_risk).toBe(rows.filter((r) => r.at_risk === 'yes').length);
		for (const row of rows) {
			expect(Number(row.risk)).toBeCloseTo(Number(row.probability_fail), 12);
			expect(row.at_risk).toBe(Number(row.risk) >= 0.4 ? 'yes' : 'no');
			if (row.reason_1) expect(row.reason_1).toContain("the chance of 'fail'");
		}
		expectReadable(rows, 1);
	});
});

describe('predict --explain --at-risk with engine models', () => {
	it('binary: the risk class by name, or the one asked for, explained in its direction', async () => {
		await ok(
			'train',
			'--data',
			'derived.csv',
			'--target',
			'result',
			'--exclude',
			'final_exam,band',
			'--model',
			'linear',
			'--cv',
			'2',
			'--save',
			'pass.json'
		);
		const j = await predictJson(
			'--model',
			'pass.json',
			'--data',
			'derived.csv',
			'--out',
			'pass.csv',
			'--explain',
			'2',
			'--at-risk',
			'0.5'
		);
		expect(j.at_risk).toEqual({ risk_class: 'fail', level: 0.5 });
		expect(j.explanation).toEqual({ method: 'linear-shap', space: 'log-odds', reasons: 2 });
		const rows = readCsv('pass.csv');
		expect(j.n_at_risk).toBe(rows.filter((r) => r.at_risk === 'yes').length);
		for (const row of rows) {
			expect(Number(row.risk)).toBe(Number(row.probability_fail));
			expect(row.at_risk).toBe(Number(row.probability_fail) >= 0.5 ? 'yes' : 'no');
			if (row.reason_1) expect(row.reason_1).toContain("the chance of 'fail'");
		}
		expectReadable(rows, 2);
		const other = await predictJson(
			'--model',
			'pass.json',
			'--data',
			'derived.csv',
			'--out',
			'pass2.csv',
			'--explain',
			'1',
			'--at-risk',
			'0.9',
			'--risk-class',
			'pass'
		);
		expect(other.at_risk).toEqual({ risk_class: 'pass', level: 0.9 });
		const rows2 = readCsv('pass2.csv');
		// Explaining the other class flips every contribution's sign.
		const byId = new Map(rows.map((r) => [r.student_id, r]));
		for (const r2 of rows2.slice(0, 20)) {
			const r1 = byId.get(r2.student_id)!;
			if (r1.factor_1 && r2.factor_1) {
				const [f1, c1] = r1.factor_1.split(':');
				const [f2, c2] = r2.factor_1.split(':');
				expect(f2).toBe(f1);
				expect(c2.slice(1)).toBe(c1.slice(1));
				expect(c2[0]).not.toBe(c1[0]);
			}
		}
	});

	it('multiclass without --at-risk: each row is explained towards its predicted class', async () => {
		await ok(
			'train',
			'--data',
			'derived.csv',
			'--target',
			'band',
			'--exclude',
			'final_exam,result',
			'--model',
			'linear',
			'--cv',
			'2',
			'--save',
			'band.json'
		);
		const j = await predictJson(
			'--model',
			'band.json',
			'--data',
			'derived.csv',
			'--out',
			'band.csv',
			'--explain'
		);
		expect(j.columns.slice(-6)).toEqual([
			'reason_1',
			'reason_2',
			'reason_3',
			'factor_1',
			'factor_2',
			'factor_3'
		]);
		const rows = readCsv('band.csv');
		for (const row of rows)
			if (row.reason_1) expect(row.reason_1).toContain(`the chance of '${row.prediction}'`);
		expectReadable(rows, 3);
	});

	it('a network is explained by sampling, the same way twice', async () => {
		await ok(
			'train',
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
		const argv = [
			'--model',
			'mlp.json',
			'--data',
			'marks.csv',
			'--explain',
			'1',
			'--at-risk',
			'45'
		];
		const j = await predictJson(...argv, '--out', 'mlp1.csv');
		await predictJson(...argv, '--out', 'mlp2.csv');
		expect(j.explanation).toEqual({ method: 'sampling-shap', space: 'value', reasons: 1 });
		expect(j.columns).toContain('p_below_pass');
		expect(readFileSync(join(dir, 'mlp1.csv'), 'utf8')).toBe(
			readFileSync(join(dir, 'mlp2.csv'), 'utf8')
		);
		const rows = readCsv('mlp1.csv');
		expect(rows.some((r) => r.reason_1 !== '')).toBe(true);
		for (const r of rows) {
			const p = Number(r.p_below_pass);
			expect(p >= 0 && p <= 1).toBe(true);
		}
		expectReadable(rows, 1);
	}, 60_000);
});

describe('usage errors', () => {
	it('names the option and what it wants', async () => {
		const cases: [string[], RegExp][] = [
			[
				['--explain', '0'],
				/--explain takes how many reasons to give per row, a whole number from 1 to 20; got '0'/
			],
			[['--explain=many'], /got 'many'/],
			[['--risk-class', 'fail'], /--risk-class needs --at-risk/],
			[
				['--at-risk', 'forty'],
				/--at-risk must be a pass mark \(a number\) for this model; got 'forty'/
			],
			[
				['--at-risk', '40', '--risk-class', 'fail'],
				/--risk-class is for models that predict a class/
			]
		];
		for (const [extra, message] of cases) {
			const r = await run(
				'predict',
				'--model',
				'gbdt.json',
				'--data',
				'marks.csv',
				'--out',
				'x.csv',
				...extra
			);
			expect(r.code).toBe(EXIT_USAGE);
			expect(r.err).toMatch(message);
		}
		const a = await run(
			'predict',
			'--model',
			'pass.json',
			'--data',
			'derived.csv',
			'--out',
			'x.csv',
			'--at-risk',
			'50'
		);
		expect(a.code).toBe(EXIT_USAGE);
		expect(a.err).toMatch(
			/a probability above 0 and at most 1 .* \(for 50% write 0\.5\); got '50'/
		);
		const b = await run(
			'predict',
			'--model',
			'pass.json',
			'--data',
			'derived.csv',
			'--out',
			'x.csv',
			'--at-risk',
			'0.5',
			'--risk-class',
			'F'
		);
		expect(b.code).toBe(EXIT_USAGE);
		expect(b.err).toMatch(/"F" is not one of this model's classes \("fail", "pass"\)/);
	});

	it('lifts --explain and its optional count out of the arguments', () => {
		expect(liftExplain('predict', ['--explain', '--json'])).toEqual({
			args: ['--json'],
			explain: 3
		});
		expect(liftExplain('predict', ['--out', 'x', '--explain', '5'])).toEqual({
			args: ['--out', 'x'],
			explain: 5
		});
		expect(liftExplain('predict', ['--json'])).toEqual({ args: ['--json'], explain: null });
		expect(liftExplain('predict', ['--', '--explain'])).toEqual({
			args: ['--', '--explain'],
			explain: null
		});
	});

	it('documents the options in the help', async () => {
		const r = await run('predict', '--help');
		expect(r.out).toMatch(/--explain \[K\]/);
		expect(r.out).toMatch(/--at-risk <threshold>/);
		expect(r.out).toMatch(/--risk-class <label>/);
		expect(r.out).toMatch(/factor_1…factor_K/);
	});
});
