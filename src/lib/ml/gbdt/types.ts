/**
 * Shared shapes of the tree learner, the ensembles built on it and the models they produce.
 * Models are plain data (typed arrays + numbers) so they cross postMessage and serialise cheaply.
 */

export type GbdtLoss =
	'squared_error' | 'absolute_error' | 'huber' | 'quantile' | 'binary_logloss' | 'multiclass';

/** How raw tree sums become predictions. */
export type OutputTransform = 'identity' | 'sigmoid' | 'softmax' | 'normalize';

/** Settings of one tree; shared by boosting and the random forest. */
export interface TreeParams {
	/** Maximum leaves per tree; 0 means unlimited (grown depth-first, e.g. forest trees). */
	maxLeaves: number;
	/** 0 means unlimited. */
	maxDepth: number;
	minSamplesLeaf: number;
	/** Minimum sum of hessians in a child (for squared error: the number of rows). */
	minChildWeight: number;
	/** L2 regularisation on leaf values (XGBoost's lambda). */
	lambda: number;
	/** A split must improve G²/(H+λ) terms by more than this (XGBoost's gamma convention). */
	minSplitGain: number;
	/** Up to this many categories, categorical splits try one category against the rest. */
	maxCatOneHot: number;
	/** Added to the hessian when ordering categories by gradient ratio (LightGBM's cat_smooth). */
	catSmooth: number;
	/** At most this many categories on the smaller side of a sorted categorical split. */
	maxCatThreshold: number;
}

export interface FeatureInfo {
	name: string;
	kind: 'numeric' | 'categorical';
	/** Categorical: the training dictionary; codes in split bitsets index into it. */
	categories?: string[];
}

/**
 * One tree as flat arrays indexed by node; node 0 is the root. A leaf has feature −1.
 * Numeric split: x ≤ threshold goes left, NaN follows defaultLeft. Categorical split: a code whose
 * bit is set in catBits[catStart..] goes left; missing or unseen codes follow defaultLeft.
 */
export interface Tree {
	feature: Int32Array;
	threshold: Float64Array;
	left: Int32Array;
	right: Int32Array;
	defaultLeft: Uint8Array;
	/** Leaf value (already scaled by the learning rate); for internal nodes, the node's value. */
	value: Float64Array;
	/** Sum of hessians of the training rows that reached the node (XGBoost's cover). */
	cover: Float64Array;
	/** Split gain (0 for leaves). */
	gain: Float64Array;
	/** −1 for numeric splits and leaves; else the offset of the bitset in catBits. */
	catStart: Int32Array;
	/** Number of 32-bit words of each categorical bitset (per node, 0 if numeric). */
	catWords: Int32Array;
	catBits: Uint32Array;
}

export interface RoundLog {
	round: number;
	train: number;
	validation?: number;
}

export interface TreeEnsemble {
	kind: 'gbdt' | 'rf';
	loss: GbdtLoss;
	transform: OutputTransform;
	/** 1 for regression and binary, K for multiclass. */
	nOutputs: number;
	/** Raw score before any tree, per output. */
	baseScore: Float64Array;
	features: FeatureInfo[];
	trees: Tree[];
	/** Output (class) each tree adds to. */
	treeOutput: Int32Array;
	/** Loss per round on the training rows and the validation split (if any). */
	history: RoundLog[];
	/** Rounds kept (best validation round when early stopping), −1 if not applicable. */
	bestIteration: number;
	/** Loss-specific numbers, e.g. huber delta or quantile alpha. */
	lossParam: number;
	/** Random forest only: out-of-bag error (MSE for regression, error rate for classes). */
	oobScore?: number;
}
