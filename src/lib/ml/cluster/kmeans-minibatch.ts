/**
 * Mini-batch k-means (Sculley 2010) for data too large for full passes to be worth it: centres
 * learn from random batches with a per-centre rate of 1 / (rows seen so far), as in
 * scikit-learn's MiniBatchKMeans. Seeding is k-means++ on a sample of 3 × batch size rows (the
 * best of nInit seedings on that sample); training stops after maxIter passes' worth of batches,
 * or earlier when the smoothed batch inertia has not improved for 10 batches, or when the centres
 * move less than tol (if tol > 0). Centres that attract almost nothing (under 1 % of the busiest
 * centre's rows) are moved to random rows of the current batch every 10 batches, so no centre
 * is wasted. Final labels and inertia use every row.
 */
import { noProgress, type CancelToken, type ProgressFn } from '../progress';
import { createRng } from '../random';
import type { CoreRun } from './kmeans-core';
import { kmeansPlusPlus } from './kmeans-init';
import { checkMatrix, inertiaOf, nearestCenters } from './kmeans-matrix';
import type { Matrix } from './types';

export interface MiniBatchOptions {
	k: number;
	seed: number;
	batchSize: number;
	nInit: number;
	/** Passes over the data, at most. */
	maxIter: number;
	/** Relative to the mean feature variance, like full k-means; 0 = off. */
	tol: number;
	onProgress?: ProgressFn;
	cancel?: CancelToken;
}

const NO_IMPROVEMENT_STEPS = 10;
const REASSIGN_EVERY = 10;
const REASSIGN_RATIO = 0.01;

export function miniBatchKMeans(X: Matrix, o: MiniBatchOptions): CoreRun {
	const { data, n, d } = X;
	const { k } = o;
	const onProgress = o.onProgress ?? noProgress;
	const b = Math.max(1, Math.min(Math.floor(o.batchSize), n));
	const rng = createRng(o.seed);
	const tolAbs = o.tol > 0 ? o.tol * checkMatrix(X).meanVariance : 0;

	// Seeding on a sample drawn without replacement (partial Fisher–Yates).
	const initSize = Math.min(n, Math.max(3 * b, 3 * k));
	const perm = new Uint32Array(n);
	for (let i = 0; i < n; i++) perm[i] = i;
	const sample = new Float64Array(initSize * d);
	for (let i = 0; i < initSize; i++) {
		const j = i + rng.int(n - i);
		const t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
		sample.set(data.subarray(perm[i] * d, perm[i] * d + d), i * d);
	}
	const S: Matrix = { data: sample, n: initSize, d };
	let centers: Float64Array | null = null;
	let bestInertia = Infinity;
	const sampleLabels = new Int32Array(initSize);
	for (let r = 0; r < Math.max(1, o.nInit); r++) {
		o.cancel?.throwIfCancelled();
		const c = kmeansPlusPlus(S, k, rng, { cancel: o.cancel }).centers;
		const inertia = inertiaOf(S, c, nearestCenters(S, c, k, sampleLabels));
		if (inertia < bestInertia) {
			bestInertia = inertia;
			centers = c;
		}
	}
	const C = centers as Float64Array;

	const counts = new Float64Array(k);
	const sums = new Float64Array(k * d);
	const batchCounts = new Float64Array(k);
	const batch = new Int32Array(b);
	const steps = Math.max(1, Math.ceil((o.maxIter * n) / b));
	const alpha = Math.min(1, (2 * b) / (n + 1));
	let ewa = NaN;
	let bestEwa = Infinity;
	let stale = 0;
	let step = 0;
	let converged = false;
	while (step < steps) {
		o.cancel?.throwIfCancelled();
		sums.fill(0);
		batchCounts.fill(0);
		let batchInertia = 0;
		for (let t = 0; t < b; t++) {
			const i = rng.int(n);
			batch[t] = i;
			const xo = i * d;
			let best = 0;
			let bestD = Infinity;
			for (let j = 0, co = 0; j < k; j++, co += d) {
				let s = 0;
				for (let f = 0; f < d; f++) {
					const u = data[xo + f] - C[co + f];
					s += u * u;
				}
				if (s < bestD) {
					bestD = s;
					best = j;
				}
			}
			batchInertia += bestD;
			batchCounts[best]++;
			for (let f = 0, co = best * d; f < d; f++) sums[co + f] += data[xo + f];
		}
		let moved = 0;
		for (let j = 0; j < k; j++) {
			if (batchCounts[j] === 0) continue;
			const total = counts[j] + batchCounts[j];
			for (let f = 0, co = j * d; f < d; f++) {
				const updated = (C[co + f] * counts[j] + sums[co + f]) / total;
				moved += (updated - C[co + f]) ** 2;
				C[co + f] = updated;
			}
			counts[j] = total;
		}
		step++;
		if ((step & 15) === 0) {
			onProgress({
				fraction: step / steps,
				phase: `Mini-batch K-Means (k = ${k}) — batch ${step}`,
				detail: { batch: step }
			});
		}
		if (step % REASSIGN_EVERY === 0) reassign(C, counts, batch, data, k, d, rng.int);
		const mean = batchInertia / b;
		ewa = Number.isNaN(ewa) ? mean : ewa * (1 - alpha) + mean * alpha;
		if (ewa < bestEwa) {
			bestEwa = ewa;
			stale = 0;
		} else if (++stale >= NO_IMPROVEMENT_STEPS) {
			converged = true;
			break;
		}
		if (tolAbs > 0 && moved <= tolAbs) {
			converged = true;
			break;
		}
	}
	const labels = nearestCenters(X, C, k);
	return { labels, centers: C, inertia: inertiaOf(X, C, labels), iterations: step, converged };
}

function reassign(
	C: Float64Array,
	counts: Float64Array,
	batch: Int32Array,
	data: Float64Array,
	k: number,
	d: number,
	randInt: (n: number) => number
): void {
	let max = 0;
	for (let j = 0; j < k; j++) max = Math.max(max, counts[j]);
	const cut = REASSIGN_RATIO * max;
	let minKept = Infinity;
	for (let j = 0; j < k; j++) if (counts[j] >= cut) minKept = Math.min(minKept, counts[j]);
	for (let j = 0; j < k; j++) {
		if (counts[j] >= cut) continue;
		const r = batch[randInt(batch.length)];
		C.set(data.subarray(r * d, r * d + d), j * d);
		counts[j] = minKept;
	}
}
