/**
 * Random forest on the boosting tree learner: each tree fits the targets (gradient −y, hessian
 * 1, so a leaf is the mean and a split's gain is its drop in squared error — Gini for 0/1
 * targets) on a bootstrap sample, with a fresh feature sample at every split and deep trees.
 * Multiclass forests grow one tree per class on one-vs-rest indicators from the same bootstrap.
 * Leaf values are divided by the number of trees, so prediction is the same sum as for
 * boosting. Out-of-bag rows give an honest error estimate for free.
 */
import type { Frame } from '../frame';
import { neverCancelled, noProgress } from '../progress';
import { createRng } from '../random';
import { binFrame, fitBinner, MAX_BINS } from './binning';
import { checkTarget, sampleFeatures, treeParamsOf, type TrainOptions } from './boosting';
import { leafOfBinnedRow, TreeLearner } from './tree';
import type { Tree, TreeEnsemble, TreeParams } from './types';

export type ForestTask = 'regression' | 'binary' | 'multiclass';

export interface ForestParams extends Partial<TreeParams> {
	task: ForestTask;
	nClasses?: number;
	nTrees?: number;
	/** Share of features tried at each split; default √F/F for classes, all for regression. */
	maxFeatures?: number | 'sqrt';
	/** Draw rows with replacement (default); otherwise every tree sees all rows. */
	bootstrap?: boolean;
	/** Bootstrap size as a share of the rows. Default 1. */
	maxSamples?: number;
	maxBins?: number;
	seed?: number;
}

export const FOREST_TREE_DEFAULTS: TreeParams = {
	maxLeaves: 0,
	maxDepth: 0,
	minSamplesLeaf: 1,
	minChildWeight: 0,
	lambda: 0,
	minSplitGain: 0,
	maxCatOneHot: 4,
	catSmooth: 0,
	maxCatThreshold: 64
};

export function trainForest(
	x: Frame,
	yIn: ArrayLike<number>,
	params: ForestParams,
	options: Omit<TrainOptions, 'validation'> = {}
): TreeEnsemble {
	const task = params.task;
	const lossName =
		task === 'regression' ? 'squared_error' : task === 'binary' ? 'binary_logloss' : 'multiclass';
	let nClasses = params.nClasses ?? 0;
	if (task === 'multiclass' && !nClasses) {
		for (let i = 0; i < yIn.length; i++) nClasses = Math.max(nClasses, yIn[i] + 1);
	}
	const y = checkTarget(yIn, lossName, task === 'multiclass' ? nClasses : undefined);
	const n = x.nRows;
	if (y.length !== n) throw new RangeError('The data and the target differ in length.');
	const seed = params.seed ?? 0;
	const rng = createRng(seed);
	const progress = options.progress ?? noProgress;
	const cancel = options.cancel ?? neverCancelled;
	const w = options.sampleWeight ?? null;

	progress({ fraction: 0, phase: 'Binning features' });
	const binner = fitBinner(x, params.maxBins ?? MAX_BINS, seed);
	const binned = binFrame(binner, x);
	const nf = binner.features.length;
	const K = task === 'multiclass' ? nClasses : 1;
	const tp = treeParamsOf(params, FOREST_TREE_DEFAULTS);
	const nTrees = params.nTrees ?? 100;
	const maxFeatures = params.maxFeatures ?? (task === 'regression' ? 1 : 'sqrt');
	const nodeFrac = maxFeatures === 'sqrt' ? Math.sqrt(nf) / nf : maxFeatures;
	const bootstrap = params.bootstrap ?? true;
	const m = bootstrap ? Math.max(1, Math.round(n * (params.maxSamples ?? 1))) : n;
	const learner = new TreeLearner(binned, binner, tp, m);

	const g: Float64Array[] = [];
	const h = new Float64Array(n);
	for (let i = 0; i < n; i++) h[i] = w ? w[i] : 1;
	for (let k = 0; k < K; k++) {
		const gk = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			const t = K === 1 ? y[i] : y[i] === k ? 1 : 0;
			gk[i] = -t * h[i];
		}
		g.push(gk);
	}
	const rows = new Uint32Array(m);
	const inBag = new Uint8Array(n);
	const oobSum = new Float64Array(n * K);
	const oobCount = new Uint32Array(n);
	const trees: Tree[] = [];
	const treeOutput: number[] = [];
	const treeRng = rng.fork();

	for (let t = 0; t < nTrees; t++) {
		cancel.throwIfCancelled();
		inBag.fill(0);
		if (bootstrap) {
			for (let i = 0; i < m; i++) rows[i] = treeRng.int(n);
			rows.sort();
			for (let i = 0; i < m; i++) inBag[rows[i]] = 1;
		} else for (let i = 0; i < n; i++) rows[i] = i;
		const features = sampleFeatures(nf, 1, treeRng);
		for (let k = 0; k < K; k++) {
			const grown = learner.grow({
				g: g[k],
				h,
				constHessian: !w,
				rows,
				nRows: m,
				identityRows: !bootstrap,
				features,
				nodeFeatureFraction: nodeFrac,
				rng: treeRng
			});
			if (bootstrap) {
				for (let r = 0; r < n; r++) {
					if (inBag[r]) continue;
					const leaf = leafOfBinnedRow(grown.tree, grown.binBits, binned.bins, r);
					oobSum[r * K + k] += grown.tree.value[leaf];
				}
			}
			trees.push(grown.tree);
			treeOutput.push(k);
		}
		if (bootstrap) for (let r = 0; r < n; r++) if (!inBag[r]) oobCount[r]++;
		progress({ fraction: (t + 1) / nTrees, phase: `Random forest — tree ${t + 1} of ${nTrees}` });
	}
	for (const tree of trees) for (let i = 0; i < tree.value.length; i++) tree.value[i] /= nTrees;
	return {
		kind: 'rf',
		loss: lossName,
		transform: task === 'multiclass' ? 'normalize' : 'identity',
		nOutputs: K,
		baseScore: new Float64Array(K),
		features: binner.features.map((f) => f.info),
		trees,
		treeOutput: Int32Array.from(treeOutput),
		history: [],
		bestIteration: -1,
		lossParam: 0,
		oobScore: bootstrap ? oobError(task, y, oobSum, oobCount, K) : undefined
	};
}

/** MSE (regression) or error rate (classes) over rows that were out of bag at least once. */
function oobError(
	task: ForestTask,
	y: Float64Array,
	sum: Float64Array,
	count: Uint32Array,
	K: number
): number {
	let err = 0;
	let used = 0;
	for (let r = 0; r < y.length; r++) {
		const c = count[r];
		if (c === 0) continue;
		used++;
		if (task === 'regression') err += (sum[r] / c - y[r]) ** 2;
		else if (task === 'binary') err += (sum[r] / c >= 0.5 ? 1 : 0) !== y[r] ? 1 : 0;
		else {
			let best = 0;
			for (let k = 1; k < K; k++) if (sum[r * K + k] > sum[r * K + best]) best = k;
			err += best !== y[r] ? 1 : 0;
		}
	}
	return used ? err / used : NaN;
}
