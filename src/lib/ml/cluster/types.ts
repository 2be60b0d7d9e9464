/**
 * The contract of the clustering core (src/lib/ml/cluster): every algorithm takes a row-major
 * n × d Float64Array that has already been prepared (imputed, encoded, scaled — see prepare.ts)
 * and returns plain data that survives postMessage and IndexedDB.
 */
import type { CancelToken, ProgressFn } from '../progress';

/** A prepared data matrix: row-major, no NaN. */
export interface Matrix {
	data: Float64Array;
	n: number;
	d: number;
}

export interface RunOptions {
	onProgress?: ProgressFn;
	cancel?: CancelToken;
}

export interface KMeansOptions extends RunOptions {
	k: number;
	seed: number;
	/** Restarts from independent k-means++ seedings; the lowest inertia wins. Default 10 (≤ 3 above 100k rows). */
	nInit?: number;
	maxIter?: number;
	/** Relative tolerance on centre movement, as scikit-learn's tol (scaled by mean feature variance). */
	tol?: number;
	/** 'auto' picks Elkan for small k·d, Hamerly otherwise; 'lloyd' is the plain reference. */
	algorithm?: 'auto' | 'lloyd' | 'elkan' | 'hamerly';
	/** Mini-batch k-means (Sculley 2010) with this batch size; for very large data. */
	batchSize?: number;
}

export interface KMeansResult {
	/** Cluster index per row (0..k-1). */
	labels: Int32Array;
	/** k × d, row-major. */
	centers: Float64Array;
	k: number;
	/** Sum of squared distances of rows to their centre. */
	inertia: number;
	iterations: number;
}

export interface DbscanOptions extends RunOptions {
	eps: number;
	minPts: number;
}

export interface DbscanResult {
	/** Cluster index per row, −1 for noise. */
	labels: Int32Array;
	nClusters: number;
	nNoise: number;
}

export interface GmmOptions extends RunOptions {
	k: number;
	covariance: 'diag' | 'full';
	seed: number;
	nInit?: number;
	maxIter?: number;
	tol?: number;
	/** Added to covariance diagonals, as scikit-learn's reg_covar (default 1e-6). */
	regCovar?: number;
}

export interface GmmResult {
	labels: Int32Array;
	/** n × k membership probabilities (responsibilities), row-major. */
	proba: Float64Array;
	k: number;
	weights: Float64Array;
	/** k × d. */
	means: Float64Array;
	/** diag: k × d variances; full: k × d × d. */
	covariances: Float64Array;
	covariance: 'diag' | 'full';
	logLikelihood: number;
	bic: number;
	converged: boolean;
	iterations: number;
}

export interface WardOptions extends RunOptions {
	k: number;
	/** Rows beyond this are sampled (seeded) and the rest assigned to the nearest cluster centre. */
	maxRows?: number;
	seed?: number;
}

export interface WardResult {
	labels: Int32Array;
	k: number;
	/**
	 * Linkage of the clustered (sampled) rows in scipy's format: (m − 1) × 4 rows of
	 * [a, b, distance, size], clusters ≥ m being earlier merges.
	 */
	linkage: Float64Array;
	/** Dataset rows that were clustered directly (all rows when not sampled). */
	sampled: Uint32Array;
}
