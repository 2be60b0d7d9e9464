/**
 * How many groups? Fits k-means for k = kMin..kMax (default 2..10) and scores each k by inertia
 * (for the elbow), silhouette, Davies–Bouldin and Calinski–Harabasz.
 *
 * The rule for the automatic k: the highest mean silhouette wins, because it is the one index
 * with a fixed, explainable scale (how much closer students are to their own group than to the
 * next one); a smaller k whose silhouette is within `tieTolerance` (default 0.02) of the best is
 * preferred, since fewer personas are easier to act on and the difference is noise. The other
 * indices and the elbow are reported next to it, as agreement or disagreement. When even the
 * best silhouette is under `weakThreshold` (default 0.25, "no substantial structure" in Kaufman
 * & Rousseeuw's reading), the result carries a weak-structure warning.
 *
 * Large data: the silhouette is computed on a seeded sample of `silhouetteSampleSize` rows
 * (default 5,000; the same rows for every k, so the ks are compared fairly).
 */
import { AppException } from '../../errors';
import { noProgress, subProgress } from '../progress';
import { kmeans, type KMeansFit, type KMeansFitOptions } from './kmeans';
import { checkMatrix, countDistinctRows } from './kmeans-matrix';
import {
	calinskiHarabasz,
	clusterSizes,
	daviesBouldin,
	SILHOUETTE_EXACT_MAX,
	silhouetteScore
} from './metrics';
import type { Matrix } from './types';

export const DEFAULT_K_MIN = 2;
export const DEFAULT_K_MAX = 10;
export const DEFAULT_WEAK_THRESHOLD = 0.25;
export const DEFAULT_TIE_TOLERANCE = 0.02;

export interface ChooseKOptions extends Omit<KMeansFitOptions, 'k' | 'init'> {
	kMin?: number;
	kMax?: number;
	/** Best silhouette below this gives a weak-structure warning (default 0.25). */
	weakThreshold?: number;
	/** A smaller k within this of the best silhouette is preferred (default 0.02). */
	tieTolerance?: number;
	/** Rows in the silhouette sample when there are more (default 5,000). */
	silhouetteSampleSize?: number;
}

export interface KScore {
	k: number;
	inertia: number;
	silhouette: number;
	daviesBouldin: number;
	calinskiHarabasz: number;
	sizes: number[];
	iterations: number;
}

export interface ChooseKResult {
	/** One row per k tried, in increasing k. */
	scores: KScore[];
	/** The chosen k and its fit. */
	k: number;
	fit: KMeansFit;
	bySilhouette: number;
	byDaviesBouldin: number;
	byCalinskiHarabasz: number;
	/** Where the inertia curve bends most; null when it has no clear bend. */
	elbow: number | null;
	bestSilhouette: number;
	weakStructure: boolean;
	/** Plain-language reasons for the choice. */
	explanation: string;
	warnings: string[];
	/** Whether the silhouettes were computed on a sample of rows. */
	silhouetteSampled: boolean;
}

/** Kaufman & Rousseeuw's reading of an average silhouette width. */
export function describeSilhouette(s: number): string {
	if (!(s === s)) return 'not defined';
	if (s > 0.7) return 'strong structure: clearly separated groups';
	if (s > 0.5) return 'reasonable structure: groups are distinct';
	if (s > 0.25) return 'weak structure: groups overlap noticeably';
	return 'no substantial structure: the groups overlap a lot';
}

/**
 * The k whose normalised inertia lies furthest below the straight line from the first to the
 * last k (a simple "kneedle"); null unless that gap is at least 0.05 of the range.
 */
export function elbowOf(ks: number[], inertias: number[]): number | null {
	if (ks.length < 3) return null;
	const k0 = ks[0];
	const k1 = ks[ks.length - 1];
	const hi = Math.max(...inertias);
	const lo = Math.min(...inertias);
	if (!(hi > lo)) return null;
	let best: number | null = null;
	let gap = 0.05;
	ks.forEach((k, i) => {
		const x = (k - k0) / (k1 - k0);
		const y = (inertias[i] - lo) / (hi - lo);
		const below = 1 - x - y;
		if (below > gap) {
			gap = below;
			best = k;
		}
	});
	return best;
}

function argBest(scores: KScore[], key: keyof KScore, sign: 1 | -1): number {
	let best = NaN;
	let bestK = scores[0]?.k ?? 0;
	for (const s of scores) {
		const v = (s[key] as number) * sign;
		if (v === v && !(v <= best)) {
			best = v;
			bestK = s.k;
		}
	}
	return bestK;
}

export function chooseK(X: Matrix, opts: ChooseKOptions): ChooseKResult {
	checkMatrix(X);
	const kMin = Math.max(2, Math.floor(opts.kMin ?? DEFAULT_K_MIN));
	const distinct = countDistinctRows(X, (opts.kMax ?? DEFAULT_K_MAX) + 1);
	// The silhouette needs at least one row more than clusters.
	const kMax = Math.min(Math.floor(opts.kMax ?? DEFAULT_K_MAX), X.n - 1, distinct);
	if (kMax < kMin) {
		throw new AppException({
			code: 'cluster-too-few-rows',
			message:
				distinct < X.n
					? `The data has only ${distinct} different ${distinct === 1 ? 'profile' : 'profiles'}, too few to compare ${kMin} or more groups.`
					: `There are only ${X.n} rows, too few to compare ${kMin} or more groups.`,
			details: { rows: X.n, distinct, kMin }
		});
	}
	const weak = opts.weakThreshold ?? DEFAULT_WEAK_THRESHOLD;
	const tie = opts.tieTolerance ?? DEFAULT_TIE_TOLERANCE;
	const sampleSize = opts.silhouetteSampleSize ?? SILHOUETTE_EXACT_MAX;
	const sampled = X.n > sampleSize;
	const onProgress = opts.onProgress ?? noProgress;
	const scores: KScore[] = [];
	const fits: KMeansFit[] = [];
	const span = kMax - kMin + 1;
	for (let k = kMin; k <= kMax; k++) {
		opts.cancel?.throwIfCancelled();
		const step = k - kMin;
		const fit = kmeans(X, {
			...opts,
			k,
			onProgress: subProgress(
				(p) => onProgress({ ...p, phase: `Trying ${k} groups (${kMin}–${kMax}) — ${p.phase}` }),
				step / span,
				(step + 0.8) / span
			)
		});
		onProgress({ fraction: (step + 0.8) / span, phase: `Scoring ${k} groups` });
		scores.push({
			k,
			inertia: fit.inertia,
			silhouette: silhouetteScore(X, fit.labels, sampled ? { sampleSize, seed: opts.seed } : {}),
			daviesBouldin: daviesBouldin(X, fit.labels),
			calinskiHarabasz: calinskiHarabasz(X, fit.labels),
			sizes: clusterSizes(fit.labels, fit.k),
			iterations: fit.iterations
		});
		fits.push(fit);
	}
	onProgress({ fraction: 1, phase: 'Choosing the number of groups — done' });

	const bySilhouette = argBest(scores, 'silhouette', 1);
	const best = scores.find((s) => s.k === bySilhouette) as KScore;
	const chosen =
		scores.find((s) => s.silhouette === s.silhouette && s.silhouette >= best.silhouette - tie) ??
		best;
	const byDaviesBouldin = argBest(scores, 'daviesBouldin', -1);
	const byCalinskiHarabasz = argBest(scores, 'calinskiHarabasz', 1);
	const elbow = elbowOf(
		scores.map((s) => s.k),
		scores.map((s) => s.inertia)
	);
	const weakStructure = !(best.silhouette >= weak);
	const warnings: string[] = [];
	if (weakStructure) {
		warnings.push(
			`The groups overlap a lot: the best silhouette is ${best.silhouette.toFixed(2)}, under ${weak}. Treat the personas as rough summaries of tendencies, not as distinct types of students.`
		);
	}
	const explanation = explain({
		chosen,
		best,
		kMin,
		kMax,
		byDaviesBouldin,
		byCalinskiHarabasz,
		elbow,
		sampled,
		sampleSize
	});
	return {
		scores,
		k: chosen.k,
		fit: fits[chosen.k - kMin],
		bySilhouette,
		byDaviesBouldin,
		byCalinskiHarabasz,
		elbow,
		bestSilhouette: best.silhouette,
		weakStructure,
		explanation,
		warnings,
		silhouetteSampled: sampled
	};
}

function explain(o: {
	chosen: KScore;
	best: KScore;
	kMin: number;
	kMax: number;
	byDaviesBouldin: number;
	byCalinskiHarabasz: number;
	elbow: number | null;
	sampled: boolean;
	sampleSize: number;
}): string {
	const { chosen, best } = o;
	const range = o.kMin === o.kMax ? `k = ${o.kMin}` : `${o.kMin} to ${o.kMax} groups`;
	const parts: string[] = [];
	if (chosen.k === best.k) {
		parts.push(
			`${chosen.k} groups fit best among ${range}: the silhouette is highest there (${chosen.silhouette.toFixed(2)}, ${describeSilhouette(chosen.silhouette)}).`
		);
	} else {
		parts.push(
			`${chosen.k} groups were chosen: the silhouette (${chosen.silhouette.toFixed(2)}) is within ${(best.silhouette - chosen.silhouette).toFixed(2)} of the best, ${best.k} groups (${best.silhouette.toFixed(2)}), and fewer groups are easier to act on.`
		);
	}
	parts.push(
		`The silhouette measures how much closer students are to their own group than to the next one (1 = perfectly separated, 0 = on the border).`
	);
	const agree: string[] = [];
	const differ: string[] = [];
	(o.byDaviesBouldin === chosen.k ? agree : differ).push(
		`Davies–Bouldin${o.byDaviesBouldin === chosen.k ? '' : ` (${o.byDaviesBouldin})`}`
	);
	(o.byCalinskiHarabasz === chosen.k ? agree : differ).push(
		`Calinski–Harabasz${o.byCalinskiHarabasz === chosen.k ? '' : ` (${o.byCalinskiHarabasz})`}`
	);
	if (o.elbow !== null) {
		(o.elbow === chosen.k ? agree : differ).push(
			`the bend of the inertia curve${o.elbow === chosen.k ? '' : ` (${o.elbow})`}`
		);
	}
	if (agree.length > 0) parts.push(`${joinList(agree)} ${agree.length > 1 ? 'agree' : 'agrees'}.`);
	if (differ.length > 0) {
		parts.push(
			`${joinList(differ)} ${differ.length > 1 ? 'point' : 'points'} to a different number of groups, so the choice is not clear-cut.`
		);
	}
	if (o.sampled) {
		parts.push(
			`Silhouettes were computed on a random sample of ${o.sampleSize.toLocaleString('en')} students.`
		);
	}
	return parts.join(' ');
}

function joinList(items: string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
