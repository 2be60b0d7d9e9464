/** `cluster` end to end, in-process: options, JSON contract, assignments file, errors. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../../../src/cli/command';
import { buildFrame, inspectFile } from '../../../src/lib/data/import';
import { bytesSource } from '../../../src/lib/data/types';
import { kmeans } from '../../../src/lib/ml/cluster/kmeans';
import { silhouetteScore } from '../../../src/lib/ml/cluster/metrics';
import { prepareMatrix } from '../../../src/lib/ml/cluster/prepare';
import { createRng } from '../../../src/lib/ml/random';
import { cliRunner, lastJson } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'classlens-cli-cluster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = cliRunner(dir);
const FEATURES = ['attendance', 'study_hours', 'quiz_avg', 'club'];

interface ClusterJson {
	algo: string;
	k: number;
	k_requested: number | 'auto' | null;
	inertia: number | null;
	silhouette: number | null;
	sizes: number[];
	fit_seconds: number;
	kmeans?: {
		algorithm: string;
		n_init: number;
		iterations: number;
		converged: boolean;
		engine: string;
	};
	rows: number;
	rows_used: number;
	features: string[];
	columns: string[];
	noise?: number;
	eps?: number;
	choose_k: { chosen: number; explanation: string; scores: { k: number }[] } | null;
	stability: { resamples: number; mean_ari: number; verdict: string } | null;
	centers: { cluster: number; size: number; numeric: Record<string, number> }[];
	warnings: string[];
	out: { path: string; rows: number } | null;
}

beforeAll(() => {
	// Three clear groups of 40 students; one attendance value missing.
	const rng = createRng(1);
	const groups = [
		[95, 12, 85],
		[70, 5, 60],
		[50, 1, 35]
	];
	const rows: string[][] = [['student_id', ...FEATURES]];
	for (let i = 0; i < 120; i++) {
		const g = groups[i % 3];
		rows.push([
			`S${String(i + 1).padStart(3, '0')}`,
			i === 4 ? '' : (g[0] + 2 * rng.normal()).toFixed(1),
			(g[1] + 0.5 * rng.normal()).toFixed(2),
			(g[2] + 2 * rng.normal()).toFixed(1),
			['chess', 'drama', 'none'][i % 3]
		]);
	}
	writeFileSync(join(dir, 'class.csv'), Papa.unparse(rows, { newline: '\n' }) + '\n');
});

async function cluster(...argv: string[]): Promise<ClusterJson> {
	const r = await run('cluster', '--data', 'class.csv', ...argv, '--json');
	expect(r.err).toBe('');
	expect(r.code).toBe(EXIT_OK);
	return lastJson<ClusterJson>(r.out);
}

describe('cluster --algo kmeans', () => {
	it('groups the students and reports what the JSON contract promises', async () => {
		const j = await cluster('--features', FEATURES.join(','), '--k', '3', '--seed', '2');
		expect(j).toMatchObject({ algo: 'kmeans', k: 3, k_requested: 3, rows: 120, rows_used: 120 });
		expect(j.sizes).toEqual([40, 40, 40]);
		expect(j.features).toEqual(FEATURES);
		expect(j.columns).toEqual([
			'attendance',
			'study_hours',
			'quiz_avg',
			'club=chess',
			'club=drama',
			'club=none'
		]);
		expect(j.fit_seconds).toBeGreaterThan(0);
		// Node 20 runs the WebAssembly kernels.
		expect(j.kmeans).toMatchObject({ algorithm: 'hamerly', n_init: 10, engine: 'wasm' });
		expect(j.silhouette).toBeGreaterThan(0.5);
		expect(j.warnings.join(' ')).toContain('1 missing value in "attendance"');
		// The same numbers as the library gives on the same prepared matrix.
		const bytes = new Uint8Array(readFileSync(join(dir, 'class.csv')));
		const src = bytesSource('class.csv', bytes);
		const ins = await inspectFile(src);
		const frame = (await buildFrame(src, ins, ins.plan)).built.frame;
		const p = prepareMatrix(frame, FEATURES, { scaling: 'auto' });
		const fit = kmeans(p.X, { k: 3, seed: 2 });
		expect(j.inertia).toBe(fit.inertia);
		expect(j.silhouette).toBeCloseTo(silhouetteScore(p.X, fit.labels), 12);
		// Centres in original units: one group averages about 12 study hours.
		const hours = j.centers.map((c) => c.numeric.study_hours).sort((a, b) => a - b);
		expect(hours[2]).toBeCloseTo(12, 0);
		expect(hours[0]).toBeCloseTo(1, 0);
	});

	it('chooses k automatically and explains the choice', async () => {
		const j = await cluster('--k', 'auto', '--k-max', '6');
		expect(j.k).toBe(3);
		expect(j.k_requested).toBe('auto');
		expect(j.choose_k?.chosen).toBe(3);
		expect(j.choose_k?.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
		expect(j.choose_k?.explanation).toContain('3 groups fit best');
		// Default features: every feature column (the id is not one).
		expect(j.features).toEqual(FEATURES);
	});

	it('checks stability on bootstrap resamples when asked', async () => {
		const j = await cluster('--k', '3', '--stability', '8', '--n-init', '2');
		expect(j.stability).toMatchObject({ resamples: 8, verdict: 'stable' });
		expect(j.stability?.mean_ari).toBeGreaterThan(0.95);
	});

	it('writes each row with its group', async () => {
		const j = await cluster('--k', '3', '--out', 'groups.csv');
		expect(j.out).toEqual({ path: 'groups.csv', rows: 120 });
		const rows = Papa.parse<string[]>(readFileSync(join(dir, 'groups.csv'), 'utf8'), {
			skipEmptyLines: true
		}).data;
		expect(rows[0]).toEqual(['row', 'student_id', 'cluster']);
		expect(rows[1][0]).toBe('2');
		expect(rows[1][1]).toBe('S001');
		const counts = [0, 0, 0];
		for (const r of rows.slice(1)) counts[Number(r[2]) - 1]++;
		expect(counts).toEqual(j.sizes);
		// Students of the same synthetic group share a cluster.
		expect(rows[1][2]).toBe(rows[4][2]);
	});

	it('prints a readable summary without --json', async () => {
		const r = await run('cluster', '--data', 'class.csv', '--k', '3');
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toContain('Grouped 120 rows of class.csv into 3 groups with k-means');
		expect(r.out).toContain('Group centres');
		expect(r.out).toMatch(/Silhouette 0\.\d+ \(/);
	});
});

describe('cluster --algo gmm and ward', () => {
	it('gmm gives BIC, certainty and centres from the mixture means', async () => {
		const fixed = await cluster('--algo', 'gmm', '--k', '3', '--covariance', 'diag');
		expect(fixed).toMatchObject({ algo: 'gmm', k: 3, inertia: null, covariance: 'diag' });
		expect(fixed.sizes).toEqual([40, 40, 40]);
		expect((fixed as unknown as { mean_certainty: number }).mean_certainty).toBeGreaterThan(0.95);
		const auto = await cluster('--algo', 'gmm', '--k-max', '5');
		expect(auto.k).toBe(3);
		expect((auto as unknown as { bics: number[] }).bics).toHaveLength(4);
	});

	it('ward cuts one tree and picks k by silhouette', async () => {
		const fixed = await cluster('--algo', 'ward', '--k', '3');
		expect(fixed.sizes).toEqual([40, 40, 40]);
		const auto = await cluster('--algo', 'ward', '--k-max', '6');
		expect(auto.k).toBe(3);
		expect((auto as unknown as { k_explanation: string }).k_explanation).toContain('3 groups give');
	});

	it('rejects options of other algorithms', async () => {
		const r = await run('cluster', '--data', 'class.csv', '--algo', 'ward', '--covariance', 'full');
		expect(r.code).toBe(EXIT_USAGE);
		expect(r.err).toContain('--covariance does not apply to --algo ward; it is for gmm');
	});
});

describe('cluster --algo dbscan', () => {
	it('finds the dense groups with a given or a suggested eps', async () => {
		const given = await cluster('--algo', 'dbscan', '--eps', '1.2', '--min-pts', '5');
		expect(given.k).toBe(3);
		expect(given.eps).toBe(1.2);
		expect(given.inertia).toBeNull();
		expect(given.sizes.reduce((a, b) => a + b, 0) + (given.noise ?? 0)).toBe(120);
		const auto = await cluster('--algo', 'dbscan');
		expect(auto.eps).toBeGreaterThan(0);
		expect(auto.k).toBeGreaterThanOrEqual(1);
	});
});

describe('cluster errors', () => {
	it('are usage errors that name the option, the file and the columns', async () => {
		const noData = await run('cluster');
		expect(noData.code).toBe(EXIT_USAGE);
		expect(noData.err).toContain('Missing --data');
		const badFeature = await run(
			'cluster',
			'--data',
			'class.csv',
			'--features',
			'attendance,shoe_size'
		);
		expect(badFeature.code).toBe(EXIT_USAGE);
		expect(badFeature.err).toContain('“shoe_size”, which class.csv does not have');
		expect(badFeature.err).toContain('Its columns are: student_id, attendance');
		const wrongAlgo = await run('cluster', '--data', 'class.csv', '--eps', '0.5');
		expect(wrongAlgo.code).toBe(EXIT_USAGE);
		expect(wrongAlgo.err).toContain('--eps does not apply to --algo kmeans');
		const badK = await run('cluster', '--data', 'class.csv', '--k', 'many');
		expect(badK.code).toBe(EXIT_USAGE);
		expect(badK.err).toContain('--k must be a whole number');
		const kMax = await run('cluster', '--data', 'class.csv', '--k', '3', '--k-max', '5');
		expect(kMax.err).toContain('--k-max goes with --k auto');
	});

	it('name a missing file, and refuse more groups than students', async () => {
		const missing = await run('cluster', '--data', 'nope.csv');
		expect(missing.code).not.toBe(EXIT_OK);
		expect(missing.err).toContain('nope.csv');
		const tooMany = await run('cluster', '--data', 'class.csv', '--k', '500');
		expect(tooMany.code).not.toBe(EXIT_OK);
		expect(tooMany.err).toContain('fewer than the 500 groups');
	});

	it('has help', async () => {
		const r = await run('cluster', '--help');
		expect(r.code).toBe(EXIT_OK);
		expect(r.out).toContain('--features <a,b,…>');
	});
});
