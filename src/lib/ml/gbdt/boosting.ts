/**
 * Gradient boosting on the shared tree learner: one tree per output per round, learning rate,
 * row and column subsampling, class and sample weights, early stopping on a validation split,
 * progress and cooperative cancel between rounds. Same seed, same data → identical model.
 */
import { takeRows, type Frame } from '../frame';
import { neverCancelled, noProgress, type CancelToken, type ProgressFn } from '../progress';
import { createRng, type Rng } from '../random';
import { binFrame, fitBinner, MAX_BINS, type BinnedData } from './binning';
import { makeLoss, type Loss } from './losses';
import { leafOfBinnedRow, TreeLearner, type GrownTree } from './tree';
import type { GbdtLoss, RoundLog, Tree, TreeEnsemble, TreeParams } from './types';

export interface EarlyStopping {
	/** Share of training rows held out (seeded) when no validation set is given. Default 0.1. */
	validationFraction?: number;
	/** Rounds without improvement before stopping. Default 10. */
	patience?: number;
	/** Improvement smaller than this does not count. Default 1e-7. */
	tol?: number;
}

export interface GbdtParams extends Partial<TreeParams> {
	loss?: GbdtLoss;
	/** Number of classes for multiclass (labels 0..K−1); inferred from the labels if absent. */
	nClasses?: number;
	/** Huber delta or quantile alpha. */
	lossParam?: number;
	nRounds?: number;
	learningRate?: number;
	maxBins?: number;
	/** Share of rows per tree, drawn without replacement. */
	subsample?: number;
	/** Share of features per tree. */
	colsampleByTree?: number;
	/** Per-class weights, or 'balanced' (n / (K · count)). */
	classWeight?: number[] | 'balanced';
	earlyStopping?: EarlyStopping | false;
	/** Record train/validation loss per round (costs one pass over the rows per round). */
	recordHistory?: boolean;
	seed?: number;
}

export interface TrainOptions {
	sampleWeight?: Float64Array;
	/** Explicit validation set for early stopping (otherwise a seeded split of the rows). */
	validation?: { x: Frame; y: ArrayLike<number> };
	progress?: ProgressFn;
	cancel?: CancelToken;
}

export const DEFAULT_TREE_PARAMS: TreeParams = {
	maxLeaves: 31,
	maxDepth: 0,
	minSamplesLeaf: 20,
	minChildWeight: 1e-3,
	lambda: 0,
	minSplitGain: 0,
	maxCatOneHot: 4,
	catSmooth: 10,
	maxCatThreshold: 32
};

export function treeParamsOf(p: Partial<TreeParams>, defaults = DEFAULT_TREE_PARAMS): TreeParams {
	return {
		maxLeaves: p.maxLeaves ?? defaults.maxLeaves,
		maxDepth: p.maxDepth ?? defaults.maxDepth,
		minSamplesLeaf: p.minSamplesLeaf ?? defaults.minSamplesLeaf,
		minChildWeight: p.minChildWeight ?? defaults.minChildWeight,
		lambda: p.lambda ?? defaults.lambda,
		minSplitGain: p.minSplitGain ?? defaults.minSplitGain,
		maxCatOneHot: p.maxCatOneHot ?? defaults.maxCatOneHot,
		catSmooth: p.catSmooth ?? defaults.catSmooth,
		maxCatThreshold: p.maxCatThreshold ?? defaults.maxCatThreshold
	};
}

/** Checks labels and returns them as float64 (classes as 0..K−1). */
export function checkTarget(y: ArrayLike<number>, loss: GbdtLoss, nClasses?: number): Float64Array {
	const out = Float64Array.from(y);
	const classes = loss === 'binary_logloss' ? 2 : loss === 'multiclass' ? (nClasses ?? 0) : 0;
	for (let i = 0; i < out.length; i++) {
		const v = out[i];
		if (!Number.isFinite(v))
			throw new RangeError(`The target is missing or not finite at row ${i}.`);
		if (loss === 'binary_logloss' || loss === 'multiclass') {
			if (!Number.isInteger(v) || v < 0 || (classes > 0 && v >= classes)) {
				throw new RangeError(`Row ${i} has class ${v}; classes must be 0..${classes - 1}.`);
			}
		}
	}
	return out;
}

export function combinedWeights(
	y: Float64Array,
	sampleWeight: Float64Array | undefined,
	classWeight: number[] | 'balanced' | undefined,
	nClasses: number
): Float64Array | null {
	if (!sampleWeight && !classWeight) return null;
	const n = y.length;
	const w = sampleWeight ? Float64Array.from(sampleWeight) : new Float64Array(n).fill(1);
	if (classWeight) {
		let cw: number[] = Array.isArray(classWeight) ? classWeight : [];
		if (classWeight === 'balanced') {
			const counts = new Float64Array(nClasses);
			for (let i = 0; i < n; i++) counts[y[i]]++;
			cw = Array.from(counts, (c) => (c > 0 ? n / (nClasses * c) : 0));
		}
		for (let i = 0; i < n; i++) w[i] *= cw[y[i]] ?? 1;
	}
	return w;
}

/** Seeded split of row indices into train and validation parts (validation share `frac`). */
export function splitRows(
	n: number,
	frac: number,
	rng: Rng
): { train: Uint32Array; valid: Uint32Array } {
	const perm = new Uint32Array(n);
	for (let i = 0; i < n; i++) perm[i] = i;
	rng.shuffle(perm);
	const nv = Math.max(1, Math.min(n - 1, Math.round(n * frac)));
	return { valid: perm.slice(0, nv).sort(), train: perm.slice(nv).sort() };
}

/** Features for one tree: all, or a seeded sample kept in ascending order. */
export function sampleFeatures(nf: number, frac: number, rng: Rng): Int32Array {
	const all = new Int32Array(nf);
	for (let i = 0; i < nf; i++) all[i] = i;
	if (frac >= 1) return all;
	const m = Math.max(1, Math.round(nf * frac));
	rng.shuffle(all);
	return all.slice(0, m).sort();
}

function pickRows<T extends Float64Array>(a: T, rows: Uint32Array, make: (n: number) => T): T {
	const out = make(rows.length);
	for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]];
	return out;
}

/** Adds a tree's leaf values to raw scores of binned rows, walking the bin bitsets. */
export function addTreeBinned(
	grown: GrownTree,
	binned: BinnedData,
	raw: Float64Array,
	K: number,
	k: number
): void {
	const t = grown.tree;
	for (let r = 0; r < binned.nRows; r++) {
		raw[r * K + k] += t.value[leafOfBinnedRow(t, grown.binBits, binned.bins, r)];
	}
}

/** Sets leaves to a residual quantile (absolute error, quantile loss) before shrinkage. */
function refitLeafQuantiles(
	grown: GrownTree,
	rows: Uint32Array,
	y: Float64Array,
	raw: Float64Array,
	w: Float64Array | null,
	q: number,
	scratch: Float64Array
): void {
	for (const leaf of grown.leaves) {
		const s = grown.nodeStart[leaf];
		const e = grown.nodeEnd[leaf];
		const m = e - s;
		if (m === 0) continue;
		const res = scratch.subarray(0, m);
		for (let i = 0; i < m; i++) res[i] = y[rows[s + i]] - raw[rows[s + i]];
		let v: number;
		if (!w) {
			res.sort();
			const pos = q * (m - 1);
			const lo = Math.floor(pos);
			const hi = Math.ceil(pos);
			v = res[lo] + (res[hi] - res[lo]) * (pos - lo);
		} else {
			const idx = Array.from({ length: m }, (_, i) => i).sort((a, b) => res[a] - res[b] || a - b);
			let total = 0;
			for (let i = 0; i < m; i++) total += w[rows[s + i]];
			let acc = 0;
			v = res[idx[m - 1]];
			for (const i of idx) {
				acc += w[rows[s + i]];
				if (acc >= q * total) {
					v = res[i];
					break;
				}
			}
		}
		grown.tree.value[leaf] = v;
	}
}

function scaleTree(t: Tree, lr: number): void {
	for (let i = 0; i < t.value.length; i++) t.value[i] *= lr;
}

export function trainGbdt(
	x: Frame,
	yIn: ArrayLike<number>,
	params: GbdtParams = {},
	options: TrainOptions = {}
): TreeEnsemble {
	const lossName = params.loss ?? 'squared_error';
	const seed = params.seed ?? 0;
	const rng = createRng(seed);
	let nClasses = params.nClasses ?? 0;
	if (lossName === 'multiclass' && !nClasses) {
		for (let i = 0; i < yIn.length; i++) nClasses = Math.max(nClasses, yIn[i] + 1);
	}
	if (lossName === 'binary_logloss') nClasses = 2;
	const yAll = checkTarget(yIn, lossName, nClasses || undefined);
	if (x.nRows !== yAll.length) throw new RangeError('The data and the target differ in length.');
	const wAll = combinedWeights(yAll, options.sampleWeight, params.classWeight, nClasses);
	const progress = options.progress ?? noProgress;
	const cancel = options.cancel ?? neverCancelled;

	// Validation split (seeded), only when early stopping is on.
	const es =
		params.earlyStopping === false || params.earlyStopping === undefined
			? null
			: params.earlyStopping;
	let xTrain = x;
	let y = yAll;
	let w = wAll;
	let xValid: Frame | null = null;
	let yValid: Float64Array | null = null;
	let wValid: Float64Array | null = null;
	if (options.validation) {
		xValid = options.validation.x;
		yValid = checkTarget(options.validation.y, lossName, nClasses || undefined);
	} else if (es) {
		const { train, valid } = splitRows(x.nRows, es.validationFraction ?? 0.1, rng.fork());
		xTrain = takeRows(x, train);
		xValid = takeRows(x, valid);
		y = pickRows(yAll, train, (n) => new Float64Array(n));
		yValid = pickRows(yAll, valid, (n) => new Float64Array(n));
		if (wAll) {
			w = pickRows(wAll, train, (n) => new Float64Array(n));
			wValid = pickRows(wAll, valid, (n) => new Float64Array(n));
		}
	}

	progress({ fraction: 0, phase: 'Binning features' });
	const binner = fitBinner(xTrain, params.maxBins ?? MAX_BINS, seed);
	const binned = binFrame(binner, xTrain);
	const binnedValid = xValid ? binFrame(binner, xValid) : null;
	const n = binned.nRows;
	const nf = binner.features.length;

	const loss: Loss = makeLoss(
		lossName,
		nClasses,
		params.lossParam ?? (lossName === 'quantile' ? 0.5 : 1)
	);
	const K = loss.nOutputs;
	const base = loss.baseScore(y, w);
	const raw = new Float64Array(n * K);
	for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) raw[i * K + k] = base[k];
	const rawValid = binnedValid ? new Float64Array(binnedValid.nRows * K) : null;
	if (rawValid) for (let i = 0; i < rawValid.length; i++) rawValid[i] = base[i % K];

	const tp = treeParamsOf(params);
	const learner = new TreeLearner(binned, binner, tp, n);
	const g = new Float64Array(n);
	const h = new Float64Array(n);
	const constHessian = loss.constHessian && !w;
	const allRows = new Uint32Array(n);
	for (let i = 0; i < n; i++) allRows[i] = i;
	const sampleRows = new Uint32Array(n);
	const scratch = loss.leafQuantile !== undefined ? new Float64Array(n) : new Float64Array(0);
	const gradG: Float64Array[] = [];
	const gradH: Float64Array[] = [];
	for (let k = 0; k < K; k++) {
		gradG.push(K === 1 ? g : new Float64Array(n));
		gradH.push(K === 1 ? h : new Float64Array(n));
	}

	const nRounds = params.nRounds ?? 100;
	const lr = params.learningRate ?? 0.1;
	const subsample = params.subsample ?? 1;
	const colsample = params.colsampleByTree ?? 1;
	const record = params.recordHistory ?? true;
	const patience = es?.patience ?? 10;
	const tol = es?.tol ?? 1e-7;
	const trees: Tree[] = [];
	const treeOutput: number[] = [];
	const history: RoundLog[] = [];
	let bestLoss = Infinity;
	let bestRound = -1;
	const treeRng = rng.fork();

	for (let round = 0; round < nRounds; round++) {
		cancel.throwIfCancelled();
		loss.prepare(raw, n);
		let nRows = n;
		let rows = allRows;
		if (subsample < 1) {
			nRows = 0;
			for (let i = 0; i < n; i++) if (treeRng.next() < subsample) sampleRows[nRows++] = i;
			rows = sampleRows;
		}
		const features = sampleFeatures(nf, colsample, treeRng);
		// Gradients of all outputs are taken before any tree of this round changes `raw`.
		for (let k = 0; k < K; k++) loss.gradients(y, raw, k, gradG[k], gradH[k], w);
		for (let k = 0; k < K; k++) {
			const grown = learner.grow({
				g: gradG[k],
				h: gradH[k],
				constHessian,
				rows,
				nRows,
				identityRows: nRows === n,
				features,
				nodeFeatureFraction: 1,
				rng: treeRng
			});
			const t = grown.tree;
			if (loss.leafQuantile !== undefined) {
				refitLeafQuantiles(grown, learner.rows, y, raw, w, loss.leafQuantile, scratch);
			}
			scaleTree(t, lr);
			if (nRows === n) {
				const lrows = learner.rows;
				for (const leaf of grown.leaves) {
					const v = t.value[leaf];
					const e = grown.nodeEnd[leaf];
					for (let i = grown.nodeStart[leaf]; i < e; i++) raw[lrows[i] * K + k] += v;
				}
			} else addTreeBinned(grown, binned, raw, K, k);
			if (binnedValid && rawValid) addTreeBinned(grown, binnedValid, rawValid, K, k);
			trees.push(t);
			treeOutput.push(k);
		}
		const log: RoundLog = { round, train: record ? loss.loss(y, raw, w, n) : NaN };
		if (rawValid && yValid && binnedValid) {
			const v = loss.loss(yValid, rawValid, wValid, binnedValid.nRows);
			log.validation = v;
			if (v < bestLoss - tol) {
				bestLoss = v;
				bestRound = round;
			}
		}
		history.push(log);
		progress({
			fraction: (round + 1) / nRounds,
			phase: `Boosting — round ${round + 1} of ${nRounds}`,
			detail:
				log.validation !== undefined
					? { train: log.train, validation: log.validation }
					: { train: log.train }
		});
		if (es && bestRound >= 0 && round - bestRound >= patience) break;
	}
	const keep = es && bestRound >= 0 ? (bestRound + 1) * K : trees.length;
	return {
		kind: 'gbdt',
		loss: lossName,
		transform:
			lossName === 'binary_logloss'
				? 'sigmoid'
				: lossName === 'multiclass'
					? 'softmax'
					: 'identity',
		nOutputs: K,
		baseScore: base,
		features: binner.features.map((f) => f.info),
		trees: trees.slice(0, keep),
		treeOutput: Int32Array.from(treeOutput.slice(0, keep)),
		history,
		bestIteration: es && bestRound >= 0 ? bestRound : -1,
		lossParam: params.lossParam ?? (lossName === 'quantile' ? 0.5 : lossName === 'huber' ? 1 : 0)
	};
}
