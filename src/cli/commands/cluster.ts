/**
 * `cluster`: groups the students of a class file by chosen columns (personas) with k-means,
 * DBSCAN, a Gaussian mixture or Ward's hierarchical clustering. The file is read by the app's
 * import pipeline; the columns are prepared as the personas page prepares them (gaps filled,
 * numbers scaled, categories one-hot; see lib/ml/cluster/prepare.ts), and the groups are
 * described in the original units. With --json the last line is one JSON object.
 */
import { frameToCsvChunks } from '../../lib/data/csv-write';
import type { ColumnPlan, ImportPlan } from '../../lib/data/plan';
import { chooseK, describeSilhouette, type ChooseKResult } from '../../lib/ml/cluster/choose-k';
import { DEFAULT_TIE_TOLERANCE } from '../../lib/ml/cluster/choose-k';
import { dbscan, kDistances, suggestEps } from '../../lib/ml/cluster/dbscan';
import { gmm, gmmSelectK } from '../../lib/ml/cluster/gmm';
import { kmeans, type KMeansFit } from '../../lib/ml/cluster/kmeans';
import {
	calinskiHarabasz,
	clusterMeans,
	clusterSizes,
	daviesBouldin,
	encodeLabels,
	inertia as inertiaOf,
	SILHOUETTE_EXACT_MAX,
	silhouetteScore
} from '../../lib/ml/cluster/metrics';
import { centersToOriginal, prepareMatrix, type Scaling } from '../../lib/ml/cluster/prepare';
import { kmeansStability, type StabilityResult } from '../../lib/ml/cluster/stability';
import type { Matrix } from '../../lib/ml/cluster/types';
import { cutTree, ward } from '../../lib/ml/cluster/ward';
import { getColumn, numericColumn, takeRows, type Column } from '../../lib/ml/frame';
import type { ProgressFn } from '../../lib/ml/progress';
import { choiceOption, intOption, numberOption, requiredOption } from '../args';
import {
	EXIT_FAILURE,
	EXIT_OK,
	INVOCATION,
	parseCommandArgs,
	table,
	UsageError,
	type CliCommand,
	type CliIo
} from '../command';
import { describeFsError, resolvePath, writeFileAtomically } from '../files';
import { num, percent, plural, textTable } from '../format';
import { fullReport, loadTable } from '../load';
import { terminalProgress } from '../progress';
import { findPlanColumn } from '../training/data';

const ALGOS = ['kmeans', 'dbscan', 'gmm', 'ward'] as const;
type Algo = (typeof ALGOS)[number];
const SCALINGS: readonly Scaling[] = ['auto', 'standard', 'robust'];
const C = 'cluster';

const help = `Usage: ${INVOCATION} cluster --data FILE [--features A,B,C] [options]

Groups students with similar profiles (personas) and describes each group in the original
units. Missing values are filled (median or most common category), numbers are scaled
(robustly when a column has far-out values), and categories count as much as one standard
deviation of a number. Identifier, free-text, time and sensitive columns are never used unless
named in --features.

Algorithms: kmeans (default) finds k round groups; with --k auto it tries 2 to --k-max groups
and keeps the best silhouette, preferring fewer groups when the difference is small. gmm fits
a Gaussian mixture (groups may be elongated and overlap; --k auto keeps the lowest BIC) and
gives each student a probability per group. ward builds a hierarchy of merges (above 10,000
rows on a sample, the rest joining the nearest group; --k auto by silhouette). dbscan finds
dense groups of any shape and marks isolated students as noise (cluster 0 in --out).

Options:
${table([
	['--data <file>', 'CSV or Excel file with one row per student'],
	['--features <a,b,…>', 'columns to group by (default: every feature column)'],
	['--algo <name>', 'kmeans (default) | gmm | ward | dbscan'],
	['--k <k|auto>', 'number of groups, or auto (default auto); kmeans, gmm, ward'],
	['--k-max <n>', 'most groups tried by --k auto (default 10)'],
	['--seed <n>', 'seed for starts and samples (default 0)'],
	['--n-init <n>', 'k-means starts; the best is kept (default 10, 3 above 100,000 rows)'],
	['--batch-size <n>', 'mini-batch k-means with this batch size, for very large files'],
	['--eps <x>', 'dbscan: neighbourhood radius in scaled units (default: from the data)'],
	[
		'--min-pts <n>',
		'dbscan: students within eps that make a dense core (default 2 × columns, ≥ 4)'
	],
	['--scaling <how>', 'auto (default) | standard | robust'],
	['--stability <n>', 'kmeans: check stability on n bootstrap resamples (e.g. 100)'],
	['--out <file.csv>', 'write each row with its cluster (1..k; 0 = noise)'],
	['--sheet <name|n>', 'Excel sheet by name, or by position counting from 1'],
	['--decimal <.|,>', 'decimal mark of numbers in the file (default: detected)'],
	['--json', 'print one JSON object (last line of output) instead of text'],
	['-h, --help', 'show this help']
])}

Examples:
  ${INVOCATION} cluster --data survey.csv
  ${INVOCATION} cluster --data marks.csv --features attendance,participation,final_exam --k 4
  ${INVOCATION} cluster --data marks.csv --k auto --stability 100 --out groups.csv --json
  ${INVOCATION} cluster --data marks.csv --algo dbscan --min-pts 8
  ${INVOCATION} cluster --data survey.csv --algo gmm --covariance diag --k 4
`;

function parse(args: string[]) {
	const { values } = parseCommandArgs(C, args, {
		data: { type: 'string' },
		features: { type: 'string', multiple: true },
		algo: { type: 'string' },
		k: { type: 'string' },
		'k-max': { type: 'string' },
		seed: { type: 'string' },
		'n-init': { type: 'string' },
		'batch-size': { type: 'string' },
		eps: { type: 'string' },
		'min-pts': { type: 'string' },
		covariance: { type: 'string' },
		scaling: { type: 'string' },
		stability: { type: 'string' },
		out: { type: 'string' },
		sheet: { type: 'string' },
		decimal: { type: 'string' },
		json: { type: 'boolean' },
		help: { type: 'boolean', short: 'h' }
	});
	if (values.help) return null;
	const algo = choiceOption(C, 'algo', values.algo, ALGOS) ?? 'kmeans';
	const only = (option: string, algos: Algo[]) => {
		if ((values as Record<string, unknown>)[option] !== undefined && !algos.includes(algo)) {
			throw new UsageError(
				`--${option} does not apply to --algo ${algo}; it is for ${algos.join(', ')}.`,
				C
			);
		}
	};
	only('k', ['kmeans', 'gmm', 'ward']);
	only('k-max', ['kmeans', 'gmm', 'ward']);
	only('n-init', ['kmeans', 'gmm']);
	only('batch-size', ['kmeans']);
	only('stability', ['kmeans']);
	only('eps', ['dbscan']);
	only('min-pts', ['dbscan']);
	only('covariance', ['gmm']);
	let k: number | 'auto' = 'auto';
	if (values.k !== undefined && values.k !== 'auto') {
		k = intOption(C, 'k', values.k, 1, 1000) as number;
	}
	if (k !== 'auto' && values['k-max'] !== undefined) {
		throw new UsageError('--k-max goes with --k auto, not with a fixed --k.', C);
	}
	const features = (values.features ?? [])
		.flatMap((s) => s.split(','))
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (values.out === '') throw new UsageError('--out needs a file path.', C);
	return {
		data: requiredOption(C, 'data', values.data, 'the CSV or Excel file with the students'),
		features,
		algo,
		k,
		kMax: intOption(C, 'k-max', values['k-max'], 2, 50) ?? 10,
		seed: intOption(C, 'seed', values.seed, 0, 2 ** 32 - 1) ?? 0,
		nInit: intOption(C, 'n-init', values['n-init'], 1, 1000),
		batchSize: intOption(C, 'batch-size', values['batch-size'], 1, 10_000_000),
		eps: numberOption(C, 'eps', values.eps, 0, Infinity),
		minPts: intOption(C, 'min-pts', values['min-pts'], 1, 100_000),
		covariance:
			choiceOption(C, 'covariance', values.covariance, ['full', 'diag'] as const) ?? 'full',
		scaling: choiceOption(C, 'scaling', values.scaling, SCALINGS) ?? 'auto',
		stability: intOption(C, 'stability', values.stability, 1, 10_000),
		out: values.out,
		sheet: values.sheet,
		decimal: choiceOption(C, 'decimal', values.decimal, ['.', ','] as const),
		json: values.json === true
	};
}

type Options = NonNullable<ReturnType<typeof parse>>;

/** The named columns (by safe name or header), or every column the import marked a feature. */
function featureColumns(plan: ImportPlan, wanted: string[]): ColumnPlan[] {
	const columns = plan.columns.map((c) => c.original).join(', ');
	if (wanted.length === 0) {
		const features = plan.columns.filter((c) => c.role === 'feature');
		if (features.length === 0) {
			throw new UsageError(
				`${plan.file} has no column that looks like a feature; name the columns with --features. Its columns are: ${columns}.`,
				C
			);
		}
		return features;
	}
	return wanted.map((name) => {
		const col = findPlanColumn(plan, name);
		if (!col) {
			throw new UsageError(
				`--features names “${name}”, which ${plan.file} does not have. Its columns are: ${columns}.`,
				C
			);
		}
		return col;
	});
}

interface Clustering {
	labels: Int32Array;
	k: number;
	/** k × d in the prepared space: k-means centres, or the means of each cluster's rows. */
	centers: Float64Array;
	fit?: KMeansFit;
	choice?: ChooseKResult;
	extra: Record<string, unknown>;
	warnings: string[];
}

function cluster(X: Matrix, o: Options, onProgress: ProgressFn | undefined): Clustering {
	if (o.algo === 'dbscan') {
		const minPts = o.minPts ?? Math.max(4, 2 * X.d);
		let eps = o.eps;
		let epsExplanation: string | null = null;
		if (eps === undefined) {
			const suggestion = suggestEps(kDistances(X, minPts - 1, { seed: o.seed }), minPts - 1);
			eps = suggestion.eps;
			epsExplanation = suggestion.explanation;
		}
		const r = dbscan(X, { eps, minPts, onProgress });
		return {
			labels: r.labels,
			k: r.nClusters,
			centers: meansOf(X, r.labels, r.nClusters),
			extra: { eps, min_pts: minPts, eps_explanation: epsExplanation, noise: r.nNoise },
			warnings:
				r.nClusters < 2
					? [`DBSCAN found ${plural(r.nClusters, 'group')}; try another --eps or --min-pts.`]
					: []
		};
	}
	if (o.algo === 'gmm') return clusterGmm(X, o, onProgress);
	if (o.algo === 'ward') return clusterWard(X, o, onProgress);
	const base = {
		seed: o.seed,
		nInit: o.nInit,
		batchSize: o.batchSize,
		onProgress
	};
	if (o.k === 'auto') {
		const choice = chooseK(X, { ...base, kMax: o.kMax });
		return {
			labels: choice.fit.labels,
			k: choice.fit.k,
			centers: choice.fit.centers,
			fit: choice.fit,
			choice,
			extra: {},
			warnings: [...choice.fit.warnings.map((w) => w.message), ...choice.warnings]
		};
	}
	const fit = kmeans(X, { ...base, k: o.k });
	return {
		labels: fit.labels,
		k: fit.k,
		centers: fit.centers,
		fit,
		extra: {},
		warnings: fit.warnings.map((w) => w.message)
	};
}

function clusterGmm(X: Matrix, o: Options, onProgress: ProgressFn | undefined): Clustering {
	let k = o.k;
	let selection: { bics: number[]; explanation: string } | null = null;
	if (k === 'auto') {
		const kMax = Math.min(o.kMax, X.n);
		const picked = gmmSelectK(X, {
			kMin: Math.min(2, kMax),
			kMax,
			covariance: o.covariance,
			seed: o.seed,
			nInit: o.nInit,
			onProgress
		});
		k = picked.k;
		selection = { bics: picked.bics, explanation: picked.explanation };
	}
	const r = gmm(X, { k, covariance: o.covariance, seed: o.seed, nInit: o.nInit, onProgress });
	// How sure the model is, on average, of each student's group (1 = no overlap at all).
	let certainty = 0;
	for (let i = 0; i < X.n; i++) {
		let top = 0;
		for (let c = 0; c < r.k; c++) top = Math.max(top, r.proba[i * r.k + c]);
		certainty += top / X.n;
	}
	return {
		labels: r.labels,
		k: r.k,
		centers: r.means,
		extra: {
			covariance: r.covariance,
			bic: r.bic,
			log_likelihood: r.logLikelihood,
			converged: r.converged,
			iterations: r.iterations,
			mean_certainty: certainty,
			...(selection ? { bics: selection.bics, k_explanation: selection.explanation } : {})
		},
		warnings: r.converged
			? []
			: [`The mixture did not settle in ${r.iterations} iterations; the groups may still shift.`]
	};
}

function clusterWard(X: Matrix, o: Options, onProgress: ProgressFn | undefined): Clustering {
	let k = o.k;
	let explanation: string | null = null;
	if (k === 'auto') {
		// One tree, cut at every k and scored by silhouette on the rows in the tree.
		const tree = ward(X, { k: 1, seed: o.seed, onProgress });
		const m = tree.sampled.length;
		const sub = subMatrix(X, Array.from(tree.sampled));
		const sampled = m > SILHOUETTE_EXACT_MAX;
		const scores: { k: number; silhouette: number }[] = [];
		for (let kk = 2; kk <= Math.min(o.kMax, m - 1); kk++) {
			const labels = cutTree(tree.linkage, m, kk);
			const sil = silhouetteScore(
				sub,
				labels,
				sampled ? { sampleSize: SILHOUETTE_EXACT_MAX, seed: o.seed } : {}
			);
			scores.push({ k: kk, silhouette: sil });
		}
		if (scores.length === 0)
			throw new UsageError('There are too few rows to compare numbers of groups; give --k.', C);
		const best = scores.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
		const chosen =
			scores.find((s) => s.silhouette >= best.silhouette - DEFAULT_TIE_TOLERANCE) ?? best;
		k = chosen.k;
		explanation =
			`${k} groups give ${chosen.k === best.k ? 'the highest' : 'practically the highest'} silhouette (${chosen.silhouette.toFixed(2)}, ${describeSilhouette(chosen.silhouette)}) among cuts of the tree into 2 to ${scores[scores.length - 1].k} groups` +
			(chosen.k === best.k
				? '.'
				: `; ${best.k} groups score ${best.silhouette.toFixed(2)}, and fewer groups are easier to act on.`);
	}
	const r = ward(X, { k, seed: o.seed, onProgress });
	return {
		labels: r.labels,
		k: r.k,
		centers: meansOf(X, r.labels, r.k),
		extra: {
			tree_rows: r.sampled.length,
			...(explanation ? { k_explanation: explanation } : {})
		},
		warnings:
			r.sampled.length < X.n
				? [
						`The hierarchy was built on a random sample of ${r.sampled.length.toLocaleString('en')} rows; the others joined the nearest group.`
					]
				: []
	};
}

/** k × d means of the rows labelled 0..k−1 (noise left out). */
function meansOf(X: Matrix, labels: Int32Array, k: number): Float64Array {
	const rows = labels.reduce((acc, l, i) => (l >= 0 ? acc.concat(i) : acc), [] as number[]);
	if (k === 0) return new Float64Array(0);
	const sub = subMatrix(X, rows);
	const enc = encodeLabels(rows.map((i) => labels[i]));
	return clusterMeans(sub, enc);
}

function subMatrix(X: Matrix, rows: number[]): Matrix {
	const data = new Float64Array(rows.length * X.d);
	rows.forEach((r, i) => data.set(X.data.subarray(r * X.d, r * X.d + X.d), i * X.d));
	return { data, n: rows.length, d: X.d };
}

/** Silhouette, Davies–Bouldin and Calinski–Harabasz of the clustered (non-noise) rows. */
function quality(X: Matrix, labels: Int32Array, seed: number) {
	const rows: number[] = [];
	labels.forEach((l, i) => l >= 0 && rows.push(i));
	const Y = rows.length === X.n ? X : subMatrix(X, rows);
	const y = rows.length === X.n ? labels : Int32Array.from(rows, (i) => labels[i]);
	const sampled = Y.n > SILHOUETTE_EXACT_MAX;
	const finite = (x: number) => (Number.isFinite(x) ? x : null);
	return {
		silhouette: finite(
			silhouetteScore(Y, y, sampled ? { sampleSize: SILHOUETTE_EXACT_MAX, seed } : {})
		),
		silhouette_sampled: sampled,
		davies_bouldin: finite(daviesBouldin(Y, y)),
		calinski_harabasz: finite(calinskiHarabasz(Y, y)),
		within_ss: Y.n > 0 ? inertiaOf(Y, y) : null
	};
}

export const clusterCommand: CliCommand = {
	name: 'cluster',
	summary: 'Group students into personas (k-means, GMM, Ward or DBSCAN) and describe them',
	help,
	async run(args: string[], io: CliIo): Promise<number> {
		const o = parse(args);
		if (!o) {
			io.stdout(help);
			return EXIT_OK;
		}
		const progress = terminalProgress(io);
		let loaded;
		let chosen: ColumnPlan[] = [];
		try {
			loaded = await loadTable(resolvePath(io, o.data), o.data, {
				command: C,
				sheet: o.sheet,
				decimal: o.decimal,
				editPlan: (plan) => {
					chosen = featureColumns(plan, o.features);
					return plan;
				},
				progress: progress.report
			});
		} finally {
			progress.done();
		}
		const { plan, build } = loaded;
		const frame = build.built.frame;
		const features = chosen.map((c) => c.name);
		const prepared = prepareMatrix(frame, features, { scaling: o.scaling });
		const { X, scaler } = prepared;

		const t0 = performance.now();
		const run = terminalProgress(io);
		let result: Clustering;
		let stability: StabilityResult | null = null;
		try {
			result = cluster(X, o, run.report);
			if (o.stability !== undefined && result.fit) {
				stability = kmeansStability(X, result.fit, {
					seed: o.seed,
					resamples: o.stability,
					nInit: o.nInit,
					batchSize: o.batchSize,
					onProgress: run.report
				});
			}
		} finally {
			run.done();
		}
		const fitSeconds = (performance.now() - t0) / 1000;
		const sizes = clusterSizes(result.labels, result.k);
		const originals = centersToOriginal(scaler, result.centers, result.k);
		const q = quality(X, result.labels, o.seed);
		const problems = fullReport(loaded);

		let outInfo: { path: string; rows: number } | null = null;
		if (o.out !== undefined) {
			const ids = plan.columns.filter((c) => c.role === 'id').map((c) => c.name);
			const rowNumbers = Float64Array.from(build.built.sourceRows);
			const columns: Column[] = [
				numericColumn('row', rowNumbers, 'integer'),
				...ids.map((name) => getColumn(frame, name)).filter((c): c is Column => !!c),
				numericColumn(
					'cluster',
					Float64Array.from(result.labels, (l) => l + 1),
					'integer'
				)
			];
			const out = takeRows({ nRows: frame.nRows, columns }, prepared.rowsUsed);
			try {
				writeFileAtomically(resolvePath(io, o.out), frameToCsvChunks(out, {}, 20_000));
			} catch (e) {
				io.stderr(`Could not write ${o.out}: ${describeFsError(e)}. Nothing was written.\n`);
				return EXIT_FAILURE;
			}
			outInfo = { path: o.out, rows: out.nRows };
		}

		const json = {
			algo: o.algo,
			data: o.data,
			rows: frame.nRows,
			rows_used: X.n,
			features,
			columns: prepared.columns,
			scaling: Object.fromEntries(
				scaler.features.map((s) => [s.name, s.kind === 'numeric' ? s.method : 'one-hot'])
			),
			seed: o.seed,
			k: result.k,
			k_requested: o.algo === 'dbscan' ? null : o.k,
			inertia: result.fit ? result.fit.inertia : null,
			...q,
			sizes,
			fit_seconds: fitSeconds,
			...(result.fit
				? {
						kmeans: {
							algorithm: result.fit.algorithm,
							n_init: result.fit.nInit,
							iterations: result.fit.iterations,
							converged: result.fit.converged,
							engine: result.fit.engine
						}
					}
				: {}),
			...result.extra,
			choose_k: result.choice
				? {
						chosen: result.choice.k,
						by_silhouette: result.choice.bySilhouette,
						by_davies_bouldin: result.choice.byDaviesBouldin,
						by_calinski_harabasz: result.choice.byCalinskiHarabasz,
						elbow: result.choice.elbow,
						weak_structure: result.choice.weakStructure,
						explanation: result.choice.explanation,
						scores: result.choice.scores.map((s) => ({
							k: s.k,
							inertia: s.inertia,
							silhouette: s.silhouette,
							davies_bouldin: s.daviesBouldin,
							calinski_harabasz: s.calinskiHarabasz,
							sizes: s.sizes
						}))
					}
				: null,
			stability: stability
				? {
						resamples: stability.resamples,
						mean_ari: stability.meanAri,
						median_ari: stability.medianAri,
						ari_5: stability.ariLow,
						ari_95: stability.ariHigh,
						cluster_jaccard: stability.clusterJaccard,
						verdict: stability.verdict,
						explanation: stability.explanation
					}
				: null,
			centers: originals.map((c, j) => ({ cluster: j + 1, size: sizes[j], ...c })),
			prepared: {
				imputed: prepared.report.features
					.filter((f) => f.missing > 0)
					.map((f) => ({ feature: f.name, missing: f.missing, filled_with: f.filledWith })),
				left_out: prepared.report.features
					.filter((f) => f.dropped)
					.map((f) => ({ feature: f.name, reason: f.dropped }))
			},
			warnings: [...prepared.report.warnings, ...result.warnings],
			data_problems: { errors: problems.errors, warnings: problems.warnings },
			out: outInfo
		};
		if (o.json) io.stdout(JSON.stringify(json) + '\n');
		else io.stdout(clusterText(json, plan.file));
		return EXIT_OK;
	}
};

type ClusterJson = {
	algo: Algo;
	rows: number;
	rows_used: number;
	features: string[];
	scaling: Record<string, string>;
	seed: number;
	k: number;
	inertia: number | null;
	silhouette: number | null;
	silhouette_sampled: boolean;
	davies_bouldin: number | null;
	calinski_harabasz: number | null;
	sizes: number[];
	fit_seconds: number;
	noise?: unknown;
	eps?: unknown;
	min_pts?: unknown;
	eps_explanation?: unknown;
	k_explanation?: unknown;
	covariance?: unknown;
	bic?: unknown;
	mean_certainty?: unknown;
	kmeans?: { n_init: number; algorithm: string };
	choose_k: { explanation: string } | null;
	stability: { explanation: string } | null;
	centers: {
		cluster: number;
		size: number;
		numeric: Record<string, number>;
		categorical: Record<string, { mode: string; shares: Record<string, number> }>;
	}[];
	warnings: string[];
	out: { path: string; rows: number } | null;
};

function clusterText(j: ClusterJson, file: string): string {
	const lines: string[] = [];
	const how =
		j.algo === 'kmeans'
			? `k-means (seed ${j.seed}, ${plural(j.kmeans?.n_init ?? 1, 'start')})`
			: j.algo === 'gmm'
				? `a Gaussian mixture (${String(j.covariance)} covariances)`
				: j.algo === 'ward'
					? "Ward's hierarchical clustering"
					: `DBSCAN (eps ${num(j.eps as number)}, min-pts ${String(j.min_pts)})`;
	lines.push(
		`Grouped ${plural(j.rows_used, 'row')} of ${file} into ${plural(j.k, 'group')} with ${how} in ${num(j.fit_seconds, 3)} s.`
	);
	const robust = Object.entries(j.scaling)
		.filter(([, m]) => m === 'robust')
		.map(([f]) => f);
	lines.push(
		`Features: ${j.features.join(', ')}${robust.length ? ` (scaled robustly: ${robust.join(', ')})` : ''}.`
	);
	if (j.choose_k) lines.push('', j.choose_k.explanation);
	if (typeof j.eps_explanation === 'string') lines.push('', j.eps_explanation);
	if (typeof j.k_explanation === 'string') lines.push('', j.k_explanation);
	if (typeof j.mean_certainty === 'number') {
		lines.push(
			'',
			`On average the model is ${percent(j.mean_certainty)} sure of a student's group (BIC ${num(j.bic as number, 6)}).`
		);
	}
	lines.push(
		'',
		`Silhouette ${num(j.silhouette, 3)}${j.silhouette !== null ? ` (${describeSilhouette(j.silhouette)})` : ''}${j.silhouette_sampled ? ', on a sample' : ''}; Davies–Bouldin ${num(j.davies_bouldin, 3)}; Calinski–Harabasz ${num(j.calinski_harabasz, 4)}${j.inertia !== null ? `; inertia ${num(j.inertia, 6)}` : ''}.`
	);
	if (typeof j.noise === 'number' && j.noise > 0) {
		lines.push(
			`${plural(j.noise, 'student')} (${percent(j.noise / j.rows_used)}) fit no group (noise).`
		);
	}
	if (j.centers.length > 0) {
		const header = ['group', 'students', ...j.features];
		const rows = j.centers.map((c) => [
			String(c.cluster),
			`${c.size} (${percent(c.size / j.rows_used)})`,
			...j.features.map((f) => {
				if (f in c.numeric) return num(c.numeric[f], 3);
				const cat = c.categorical[f];
				return cat ? `${cat.mode} ${percent(cat.shares[cat.mode] ?? 1)}` : '–';
			})
		]);
		lines.push('', 'Group centres (averages; for categories the most common one and its share):');
		lines.push(textTable(header, rows));
	}
	if (j.stability) lines.push('', j.stability.explanation);
	if (j.warnings.length) lines.push('', ...j.warnings.map((w) => `Note: ${w}`));
	if (j.out)
		lines.push('', `Wrote ${plural(j.out.rows, 'row')} with their group to ${j.out.path}.`);
	return lines.join('\n') + '\n';
}
