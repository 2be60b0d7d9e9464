/**
 * Bootstrap stability of a clustering: would the same groups come back from a slightly
 * different class? Each resample draws n rows with replacement, clusters them again, and
 * compares the new labels with the original ones on the drawn rows by the adjusted Rand index
 * (1 = identical grouping, ≈ 0 = chance). Per cluster, Hennig's (2007) clusterwise stability is
 * the mean over resamples of the best Jaccard overlap between the original cluster and any new
 * one (rule of thumb: above 0.75 stable, 0.6–0.75 a pattern, below 0.5 dissolved).
 */
import { noProgress } from '../progress';
import { createRng, hashSeed } from '../random';
import { adjustedRandIndex } from './ari';
import { kmeans, type KMeansFitOptions } from './kmeans';
import type { Matrix, RunOptions } from './types';

export const DEFAULT_RESAMPLES = 100;

export interface StabilityOptions extends RunOptions {
	seed: number;
	/** Bootstrap resamples (default 100). */
	resamples?: number;
}

/** Clusters a resampled matrix; returns a label per row (−1 = noise, not a cluster). */
export type Recluster = (X: Matrix, seed: number) => Int32Array;

export type StabilityVerdict = 'stable' | 'moderate' | 'unstable';

export interface StabilityResult {
	resamples: number;
	/** ARI of each resample against the original labels on the drawn rows. */
	ari: Float64Array;
	meanAri: number;
	medianAri: number;
	/** 5 % and 95 % quantiles of the ARIs. */
	ariLow: number;
	ariHigh: number;
	/** Mean best Jaccard per original cluster (index = label); NaN if never drawn. */
	clusterJaccard: number[];
	verdict: StabilityVerdict;
	explanation: string;
}

function quantileOf(sorted: Float64Array, q: number): number {
	const pos = q * (sorted.length - 1);
	const lo = Math.floor(pos);
	const hi = Math.min(lo + 1, sorted.length - 1);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function bootstrapStability(
	X: Matrix,
	reference: Int32Array,
	recluster: Recluster,
	opts: StabilityOptions
): StabilityResult {
	const { data, n, d } = X;
	if (reference.length !== n) {
		throw new RangeError(`There are ${reference.length} labels for ${n} rows.`);
	}
	const B = Math.max(1, Math.floor(opts.resamples ?? DEFAULT_RESAMPLES));
	const onProgress = opts.onProgress ?? noProgress;
	const rng = createRng(opts.seed);
	let k = 0;
	for (let i = 0; i < n; i++) k = Math.max(k, reference[i] + 1);
	const jaccardSum = new Float64Array(k);
	const jaccardCount = new Float64Array(k);
	const ari = new Float64Array(B);
	const rows = new Int32Array(n);
	const Xb: Matrix = { data: new Float64Array(n * d), n, d };
	const refB = new Int32Array(n);
	for (let b = 0; b < B; b++) {
		opts.cancel?.throwIfCancelled();
		onProgress({
			fraction: b / B,
			phase: `Checking stability — resample ${b + 1} of ${B}`,
			detail: { resample: b + 1 }
		});
		for (let t = 0; t < n; t++) {
			const r = rng.int(n);
			rows[t] = r;
			refB[t] = reference[r];
			Xb.data.set(data.subarray(r * d, r * d + d), t * d);
		}
		const labels = recluster(Xb, hashSeed(`${opts.seed}/${b}`));
		ari[b] = adjustedRandIndex(refB, labels);
		addJaccard(refB, labels, k, jaccardSum, jaccardCount);
	}
	onProgress({ fraction: 1, phase: 'Checking stability — done' });
	const sorted = Float64Array.from(ari).sort();
	let mean = 0;
	for (const a of ari) mean += a / B;
	const clusterJaccard = Array.from(jaccardSum, (s, c) =>
		jaccardCount[c] > 0 ? s / jaccardCount[c] : NaN
	);
	const verdict: StabilityVerdict = mean >= 0.8 ? 'stable' : mean >= 0.6 ? 'moderate' : 'unstable';
	return {
		resamples: B,
		ari,
		meanAri: mean,
		medianAri: quantileOf(sorted, 0.5),
		ariLow: quantileOf(sorted, 0.05),
		ariHigh: quantileOf(sorted, 0.95),
		clusterJaccard,
		verdict,
		explanation: explain(verdict, mean, B, clusterJaccard)
	};
}

/** Adds, per original cluster present in the resample, its best Jaccard with a new cluster. */
function addJaccard(
	ref: Int32Array,
	labels: Int32Array,
	k: number,
	sum: Float64Array,
	count: Float64Array
): void {
	let g = 0;
	for (let t = 0; t < labels.length; t++) g = Math.max(g, labels[t] + 1);
	const inter = new Float64Array(k * g);
	const sizeA = new Float64Array(k);
	const sizeB = new Float64Array(g);
	for (let t = 0; t < ref.length; t++) {
		const a = ref[t];
		const l = labels[t];
		if (a >= 0) sizeA[a]++;
		if (l >= 0) sizeB[l]++;
		if (a >= 0 && l >= 0) inter[a * g + l]++;
	}
	for (let a = 0; a < k; a++) {
		if (sizeA[a] === 0) continue;
		let best = 0;
		for (let l = 0; l < g; l++) {
			const i = inter[a * g + l];
			if (i === 0) continue;
			const j = i / (sizeA[a] + sizeB[l] - i);
			if (j > best) best = j;
		}
		sum[a] += best;
		count[a]++;
	}
}

function explain(verdict: StabilityVerdict, mean: number, B: number, jaccard: number[]): string {
	const agreement = `Across ${B} resampled versions of the class, the groups agreed with the original by an adjusted Rand index of ${mean.toFixed(2)} on average (1 = identical).`;
	const weak = jaccard
		.map((j, c) => ({ j, c }))
		.filter(({ j }) => j < 0.6)
		.map(({ c }) => c + 1);
	const which =
		weak.length > 0
			? ` Group${weak.length > 1 ? 's' : ''} ${weak.join(', ')} often dissolve${weak.length > 1 ? '' : 's'} in resamples; treat ${weak.length > 1 ? 'them' : 'it'} with care.`
			: '';
	if (verdict === 'stable') return `${agreement} The groups are stable.${which}`;
	if (verdict === 'moderate') {
		return `${agreement} The broad picture holds, but some students move between groups.${which}`;
	}
	return `${agreement} The groups change a lot with small changes in the data: read them as loose tendencies, not fixed types.${which}`;
}

/** Stability of a k-means solution: each resample is clustered by k-means with the same k. */
export function kmeansStability(
	X: Matrix,
	reference: { labels: Int32Array; k: number },
	opts: StabilityOptions & Omit<KMeansFitOptions, 'k' | 'seed' | 'init' | 'onProgress' | 'cancel'>
): StabilityResult {
	const { resamples, onProgress, cancel, seed, ...km } = opts;
	return bootstrapStability(
		X,
		reference.labels,
		(Xb, s) => kmeans(Xb, { ...km, k: reference.k, seed: s, cancel }).labels,
		{ seed, resamples, onProgress, cancel }
	);
}
