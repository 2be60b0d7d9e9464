/**
 * The clustering core (src/lib/ml/cluster) as the persona dashboard uses it to fit and judge:
 * one entry per step (fit, score, scan k, k-distance, stability), each returning the
 * dashboard's plain shapes. The descriptive views are cluster-views.ts; I/O is cluster-api.ts.
 */
import { AppException } from '../errors';
import { noProgress, subProgress, type CancelToken, type ProgressFn } from '../ml/progress';
import { kmeans } from '../ml/cluster/kmeans';
import { dbscan, kDistances, suggestEps } from '../ml/cluster/dbscan';
import { chooseK } from '../ml/cluster/choose-k';
import { bootstrapStability as bootstrap, type Recluster } from '../ml/cluster/stability';
import {
	calinskiHarabasz,
	daviesBouldin,
	inertia as inertiaOf,
	silhouetteScore,
	SILHOUETTE_EXACT_MAX
} from '../ml/cluster/metrics';
import { gmm, gmmCollapsed as collapsed, gmmPredictProba } from '../ml/cluster/gmm';
import { cutTree, ward } from '../ml/cluster/ward';
import type { GmmResult, Matrix } from '../ml/cluster/types';
import type { ClusterRequest, KDistanceCurve, KScan, StabilityView } from './cluster-types';

export interface RunOpts {
	onProgress?: ProgressFn;
	cancel?: CancelToken;
}

/** A fitted clustering as the dashboard needs it. */
export interface Fitted {
	/** One label per matrix row, −1 = noise. */
	labels: Int32Array;
	k: number;
	autoK: { k: number; explanation: string } | null;
	params: Record<string, number | string | boolean | null>;
	extra: Record<string, number>;
	/** GMM: per persona, the mean membership probability of its members. */
	certainty?: number[];
	/** GMM: membership probabilities of one prepared row (a scenario). */
	membership?: (X: Matrix) => number[];
	/** Ward: the linkage, for the dendrogram. */
	tree?: { linkage: Float64Array; sampled: Uint32Array };
}

const K_MIN = 2;
const K_MAX = 10;

function fail(code: string, message: string): never {
	throw new AppException({ code, message });
}

function kOf(req: ClusterRequest): number | 'auto' {
	const k = req.k ?? 5;
	if (k === 'auto') return 'auto';
	if (!Number.isInteger(k) || k < 2 || k > 12)
		fail('cluster-bad-k', 'The number of personas must be a whole number from 2 to 12.');
	return k;
}

export async function fitClustering(
	X: Matrix,
	req: ClusterRequest,
	opts: RunOpts
): Promise<Fitted> {
	const seed = req.seed ?? 42;
	const onProgress = opts.onProgress ?? noProgress;
	const cancel = opts.cancel;
	const k = kOf(req);
	switch (req.algorithm) {
		case 'kmeans': {
			if (k === 'auto') {
				const r = chooseK(X, {
					seed,
					kMin: K_MIN,
					kMax: K_MAX,
					weakThreshold: req.weakThreshold,
					onProgress,
					cancel
				});
				return {
					labels: r.fit.labels,
					k: r.fit.k,
					autoK: { k: r.k, explanation: r.explanation },
					params: { k: r.fit.k, auto: true, engine: r.fit.engine },
					extra: { inertia: r.fit.inertia }
				};
			}
			if (X.n < k)
				fail(
					'cluster-too-few-rows',
					`There are only ${X.n} students, fewer than the ${k} personas asked for.`
				);
			const fit = kmeans(X, { k, seed, onProgress, cancel });
			return {
				labels: fit.labels,
				k: fit.k,
				autoK: null,
				params: { k: fit.k, engine: fit.engine },
				extra: { inertia: fit.inertia }
			};
		}
		case 'dbscan': {
			const eps = req.eps ?? 0.5;
			const minPts = Math.round(req.minPts ?? 5);
			if (!(eps > 0)) fail('cluster-bad-eps', 'The neighbourhood distance (eps) must be above 0.');
			if (!(minPts >= 2)) fail('cluster-bad-minpts', 'A dense spot needs at least 2 neighbours.');
			const r = dbscan(X, { eps, minPts, onProgress, cancel });
			if (r.nClusters === 0) {
				fail(
					'cluster-all-noise',
					`With eps = ${eps} and ${minPts} neighbours no dense group was found: every student was left out. Try a larger distance (use "Suggest a distance").`
				);
			}
			return {
				labels: r.labels,
				k: r.nClusters,
				autoK: null,
				params: { eps, minPts },
				extra: { nNoise: r.nNoise }
			};
		}
		case 'gmm':
		case 'ward':
			return fitOther(X, req, k, seed, { onProgress, cancel });
		default:
			fail('cluster-bad-algorithm', `Unknown algorithm "${String(req.algorithm)}".`);
	}
}

/** GMM: the mean membership probability of each component's own members. */
function certaintyOf(fit: GmmResult): number[] {
	const sum = new Float64Array(fit.k);
	const count = new Float64Array(fit.k);
	for (let i = 0; i < fit.labels.length; i++) {
		const g = fit.labels[i];
		sum[g] += fit.proba[i * fit.k + g];
		count[g]++;
	}
	return Array.from(sum, (s, g) => (count[g] ? s / count[g] : NaN));
}

function gmmFitted(fit: GmmResult, autoK: Fitted['autoK'], auto: boolean): Fitted {
	return {
		labels: fit.labels,
		k: fit.k,
		autoK,
		params: {
			k: fit.k,
			covariance: fit.covariance,
			auto,
			collapsed: collapsed(fit, fit.means.length / fit.k)
		},
		extra: { bic: fit.bic, logLikelihood: fit.logLikelihood },
		certainty: certaintyOf(fit),
		membership: (P) => Array.from(gmmPredictProba(fit, P.data.subarray(0, P.d)))
	};
}

/** Mixture and hierarchical fits. */
async function fitOther(
	X: Matrix,
	req: ClusterRequest,
	k: number | 'auto',
	seed: number,
	opts: RunOpts
): Promise<Fitted> {
	const onProgress = opts.onProgress ?? noProgress;
	if (req.algorithm === 'gmm') {
		const covariance = req.covariance ?? 'diag';
		if (k === 'auto') {
			const sel = gmmScan(X, req, {
				onProgress: subProgress(onProgress, 0, 0.85),
				cancel: opts.cancel
			});
			const fit = gmm(X, {
				k: sel.best,
				covariance,
				seed,
				onProgress: subProgress(onProgress, 0.85, 1),
				cancel: opts.cancel
			});
			return gmmFitted(fit, { k: sel.best, explanation: sel.explanation }, true);
		}
		tooFew(X, k);
		return gmmFitted(gmm(X, { k, covariance, seed, onProgress, cancel: opts.cancel }), null, false);
	}
	// Ward: one tree; the automatic k is the best silhouette among its cuts.
	const kFit = k === 'auto' ? K_MAX : k;
	tooFew(X, Math.min(kFit, X.n));
	const fit = ward(X, {
		k: Math.min(kFit, X.n),
		seed,
		onProgress: subProgress(onProgress, 0, 0.8),
		cancel: opts.cancel
	});
	let labels = fit.labels;
	let chosen = fit.k;
	let autoK: Fitted['autoK'] = null;
	if (k === 'auto') {
		const scan = wardScan(X, fit.linkage, fit.sampled, seed, opts);
		chosen = scan.best;
		labels = wardLabels(X, fit.linkage, fit.sampled, chosen);
		autoK = { k: chosen, explanation: scan.explanation };
	}
	return {
		labels,
		k: chosen,
		autoK,
		params: { k: chosen, auto: k === 'auto' },
		extra: {},
		tree: { linkage: fit.linkage, sampled: fit.sampled }
	};
}

function tooFew(X: Matrix, k: number): void {
	if (X.n < k)
		fail(
			'cluster-too-few-rows',
			`There are only ${X.n} students, fewer than the ${k} personas asked for.`
		);
}

/** Labels of all rows from a Ward tree cut into k: the tree's rows as cut, others to the nearest mean. */
function wardLabels(X: Matrix, linkage: Float64Array, sampled: Uint32Array, k: number): Int32Array {
	const m = sampled.length;
	const sub = cutTree(linkage, m, k);
	if (m === X.n) return sub;
	const { d, data } = X;
	const means = new Float64Array(k * d);
	const counts = new Float64Array(k);
	for (let r = 0; r < m; r++) {
		counts[sub[r]]++;
		for (let j = 0; j < d; j++) means[sub[r] * d + j] += data[sampled[r] * d + j];
	}
	for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= counts[c] || 1;
	const out = new Int32Array(X.n);
	for (let i = 0; i < X.n; i++) {
		let best = 0;
		let bestD = Infinity;
		for (let c = 0; c < k; c++) {
			let s = 0;
			for (let j = 0; j < d; j++) s += (data[i * d + j] - means[c * d + j]) ** 2;
			if (s < bestD) {
				bestD = s;
				best = c;
			}
		}
		out[i] = best;
	}
	for (let r = 0; r < m; r++) out[sampled[r]] = sub[r];
	return out;
}

interface IndexRow {
	k: number;
	labels: Int32Array;
	silhouette: number;
	daviesBouldin: number;
	calinskiHarabasz: number;
	inertia: number;
}

function indicesFor(X: Matrix, k: number, labels: Int32Array, seed: number): IndexRow {
	const sampled = X.n > SILHOUETTE_EXACT_MAX;
	return {
		k,
		labels,
		silhouette: silhouetteScore(
			X,
			labels,
			sampled ? { sampleSize: SILHOUETTE_EXACT_MAX, seed } : {}
		),
		daviesBouldin: daviesBouldin(X, labels),
		calinskiHarabasz: calinskiHarabasz(X, labels),
		inertia: inertiaOf(X, labels)
	};
}

/** The smallest k whose silhouette is within 0.02 of the best (as choose-k.ts decides). */
function bestBySilhouette(rows: IndexRow[]): IndexRow {
	const top = Math.max(
		...rows.map((r) => (Number.isFinite(r.silhouette) ? r.silhouette : -Infinity))
	);
	return rows.find((r) => r.silhouette >= top - 0.02) ?? rows[0];
}

function wardScan(
	X: Matrix,
	linkage: Float64Array,
	sampled: Uint32Array,
	seed: number,
	opts: RunOpts
) {
	const rows: IndexRow[] = [];
	const kMax = Math.min(K_MAX, sampled.length - 1);
	for (let k = K_MIN; k <= kMax; k++) {
		opts.cancel?.throwIfCancelled();
		opts.onProgress?.({
			fraction: 0.8 + (0.2 * (k - K_MIN)) / Math.max(1, kMax - K_MIN + 1),
			phase: `Scoring ${k} groups`
		});
		rows.push(indicesFor(X, k, wardLabels(X, linkage, sampled, k), seed));
	}
	if (!rows.length)
		fail('cluster-too-few-rows', 'There are too few students to compare numbers of groups.');
	const best = bestBySilhouette(rows);
	const explanation = `${best.k} groups: cutting the merge tree there gives the highest silhouette (${best.silhouette.toFixed(2)}), or one within 0.02 of it with fewer groups. The silhouette measures how much closer students are to their own group than to the next one (1 = perfectly separated, 0 = on the border).`;
	return { rows, best: best.k, explanation };
}

/** Means of each cluster's rows in the prepared space (k × d); noise is left out. */
export function clusterCenters(X: Matrix, labels: Int32Array, k: number): Float64Array {
	const { n, d, data } = X;
	const c = new Float64Array(k * d);
	const count = new Float64Array(k);
	for (let i = 0; i < n; i++) {
		const g = labels[i];
		if (g < 0 || g >= k) continue;
		count[g]++;
		for (let j = 0; j < d; j++) c[g * d + j] += data[i * d + j];
	}
	for (let g = 0; g < k; g++) for (let j = 0; j < d; j++) c[g * d + j] /= count[g] || 1;
	return c;
}

/** The rows not marked noise, as their own matrix and labels (indices computed without noise). */
function withoutNoise(X: Matrix, labels: Int32Array): { X: Matrix; labels: Int32Array } {
	let m = 0;
	for (const l of labels) if (l >= 0) m++;
	if (m === X.n) return { X, labels };
	const data = new Float64Array(m * X.d);
	const out = new Int32Array(m);
	let t = 0;
	for (let i = 0; i < X.n; i++) {
		if (labels[i] < 0) continue;
		data.set(X.data.subarray(i * X.d, i * X.d + X.d), t * X.d);
		out[t++] = labels[i];
	}
	return { X: { data, n: m, d: X.d }, labels: out };
}

/** Silhouette, Davies–Bouldin, Calinski–Harabasz (noise left out) and the fit's own numbers. */
export function scoreClustering(
	X: Matrix,
	labels: Int32Array,
	k: number,
	seed: number,
	fitted: Pick<Fitted, 'extra'>
): Record<string, number> {
	const clean = withoutNoise(X, labels);
	const sampled = clean.X.n > SILHOUETTE_EXACT_MAX;
	const out: Record<string, number> = {
		silhouette: silhouetteScore(
			clean.X,
			clean.labels,
			sampled ? { sampleSize: SILHOUETTE_EXACT_MAX, seed } : {}
		),
		daviesBouldin: daviesBouldin(clean.X, clean.labels),
		calinskiHarabasz: calinskiHarabasz(clean.X, clean.labels),
		nNoise: X.n - clean.X.n,
		k
	};
	out.inertia = fitted.extra.inertia ?? inertiaOf(clean.X, clean.labels);
	for (const [key, v] of Object.entries(fitted.extra)) if (!(key in out)) out[key] = v;
	return out;
}

export async function scanKValues(X: Matrix, req: ClusterRequest, opts: RunOpts): Promise<KScan> {
	const seed = req.seed ?? 42;
	if (req.algorithm === 'kmeans' || req.algorithm === 'dbscan') {
		const r = chooseK(X, {
			seed,
			kMin: K_MIN,
			kMax: K_MAX,
			weakThreshold: req.weakThreshold,
			onProgress: opts.onProgress,
			cancel: opts.cancel
		});
		return {
			algorithm: 'kmeans',
			ks: r.scores.map((s) => s.k),
			inertia: r.scores.map((s) => s.inertia),
			silhouette: r.scores.map((s) => s.silhouette),
			daviesBouldin: r.scores.map((s) => s.daviesBouldin),
			calinskiHarabasz: r.scores.map((s) => s.calinskiHarabasz),
			bic: null,
			best: r.k,
			explanation: [r.explanation, ...r.warnings].join(' ')
		};
	}
	return scanOther(X, req, opts);
}

async function scanOther(X: Matrix, req: ClusterRequest, opts: RunOpts): Promise<KScan> {
	const seed = req.seed ?? 42;
	const onProgress = opts.onProgress ?? noProgress;
	if (req.algorithm === 'ward') {
		const fit = ward(X, {
			k: 2,
			seed,
			onProgress: subProgress(onProgress, 0, 0.8),
			cancel: opts.cancel
		});
		const scan = wardScan(X, fit.linkage, fit.sampled, seed, opts);
		return {
			algorithm: 'ward',
			ks: scan.rows.map((r) => r.k),
			inertia: scan.rows.map((r) => r.inertia),
			silhouette: scan.rows.map((r) => r.silhouette),
			daviesBouldin: scan.rows.map((r) => r.daviesBouldin),
			calinskiHarabasz: scan.rows.map((r) => r.calinskiHarabasz),
			bic: null,
			best: scan.best,
			explanation: scan.explanation
		};
	}
	const scan = gmmScan(X, req, opts);
	return {
		algorithm: 'gmm',
		ks: scan.rows.map((r) => r.k),
		inertia: null,
		silhouette: scan.rows.map((r) => r.silhouette),
		daviesBouldin: scan.rows.map((r) => r.daviesBouldin),
		calinskiHarabasz: scan.rows.map((r) => r.calinskiHarabasz),
		bic: scan.bics,
		best: scan.best,
		explanation: scan.explanation
	};
}

/** GMMs for k = 2..10: the lowest BIC among the fits with no collapsed component. */
function gmmScan(X: Matrix, req: ClusterRequest, opts: RunOpts) {
	const seed = req.seed ?? 42;
	const onProgress = opts.onProgress ?? noProgress;
	const covariance = req.covariance ?? 'diag';
	const rows: IndexRow[] = [];
	const bics: number[] = [];
	const broken: number[] = [];
	const kMax = Math.min(K_MAX, X.n - 1);
	const span = kMax - K_MIN + 1;
	for (let k = K_MIN; k <= kMax; k++) {
		const at = k - K_MIN;
		const fit = gmm(X, {
			k,
			covariance,
			seed,
			cancel: opts.cancel,
			onProgress: (p) =>
				onProgress({
					...p,
					fraction: (at + p.fraction) / span,
					phase: `Trying ${k} groups — ${p.phase}`
				})
		});
		rows.push(indicesFor(X, k, fit.labels, seed));
		bics.push(fit.bic);
		if (collapsed(fit, X.d)) broken.push(k);
	}
	if (!rows.length)
		fail('cluster-too-few-rows', 'There are too few students to compare numbers of groups.');
	const bySil = bestBySilhouette(rows);
	let best = -1;
	for (let i = 0; i < bics.length; i++) {
		if (broken.includes(rows[i].k)) continue;
		if (best < 0 || bics[i] < bics[best]) best = i;
	}
	const skipped = broken.length
		? ` ${listK(broken)} ${broken.length === 1 ? 'was' : 'were'} left out: a group there collapsed onto single values of a feature (whole numbers or categories), which makes BIC look better than the grouping is.`
		: '';
	if (best < 0) {
		return {
			rows,
			bics,
			best: bySil.k,
			explanation: `Every number of groups had a group collapse onto single values of a feature, so BIC cannot be trusted here; ${bySil.k} groups have the best silhouette (${bySil.silhouette.toFixed(2)}). Consider k-means or Ward for data made of whole numbers and categories.`
		};
	}
	const k = rows[best].k;
	return {
		rows,
		bics,
		best: k,
		explanation: `${k} groups have the lowest BIC (${bics[best].toFixed(0)}): BIC rewards fitting the students well and charges for every extra group, so it stops adding groups once they only describe noise.${skipped}${bySil.k !== k ? ` The silhouette prefers ${bySil.k} groups, so the choice is not clear-cut.` : ' The silhouette agrees.'}`
	};
}

function listK(ks: number[]): string {
	const words = ks.map((k) => `k = ${k}`);
	return words.length <= 1
		? words.join('')
		: `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** The sorted k-distance curve, thinned for the chart, and the suggested eps. */
export function kDistanceCurve(X: Matrix, minPts: number, seed: number): KDistanceCurve {
	const m = Math.max(2, Math.round(minPts));
	const kd = kDistances(X, m - 1, { seed });
	const s = suggestEps(kd, m - 1);
	const step = Math.max(1, Math.ceil(kd.length / 500));
	const x: number[] = [];
	const y: number[] = [];
	for (let i = 0; i < kd.length; i += step) {
		x.push(i + 1);
		y.push(kd[i]);
	}
	if (kd.length && x[x.length - 1] !== kd.length) {
		x.push(kd.length);
		y.push(kd[kd.length - 1]);
	}
	return { minPts: m, x, y, eps: s.eps, explanation: s.explanation, n: X.n };
}

/** Refits each bootstrap resample with the run's algorithm and settings. */
export async function bootstrapStability(
	X: Matrix,
	labels: Int32Array,
	k: number,
	req: ClusterRequest,
	opts: RunOpts & { resamples: number; seed: number }
): Promise<StabilityView> {
	let recluster: Recluster;
	if (req.algorithm === 'dbscan') {
		const eps = req.eps ?? 0.5;
		const minPts = Math.round(req.minPts ?? 5);
		recluster = (Xb) => dbscan(Xb, { eps, minPts }).labels;
	} else if (req.algorithm === 'kmeans') {
		recluster = (Xb, s) => kmeans(Xb, { k, seed: s, nInit: 3 }).labels;
	} else {
		recluster = otherRecluster(req, k);
	}
	const r = bootstrap(X, labels, recluster, {
		seed: opts.seed,
		resamples: opts.resamples,
		onProgress: opts.onProgress,
		cancel: opts.cancel
	});
	const jaccard = r.clusterJaccard.map((j) => (Number.isFinite(j) ? j : 0));
	const meanJaccard = jaccard.length ? jaccard.reduce((s, j) => s + j, 0) / jaccard.length : NaN;
	return { resamples: r.resamples, jaccard, meanJaccard, ari: r.meanAri, verdict: r.explanation };
}

/** Resamples for stability are refitted with the same method and k. */
function otherRecluster(req: ClusterRequest, k: number): Recluster {
	if (req.algorithm === 'gmm') {
		const covariance = req.covariance ?? 'diag';
		return (Xb, s) => gmm(Xb, { k, covariance, seed: s }).labels;
	}
	// Ward is quadratic in rows: each resample clusters at most 2,000 and assigns the rest.
	return (Xb, s) => ward(Xb, { k, seed: s, maxRows: 2000 }).labels;
}
