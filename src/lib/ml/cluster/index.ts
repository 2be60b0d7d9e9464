/**
 * The clustering core: data preparation, k-means, DBSCAN, Gaussian mixtures, Ward, PCA for the
 * map, validity indices, choosing k, bootstrap stability, and persona naming and insights.
 * Everything here is pure and runs in Node and in the worker.
 */
export type * from './types';
export * from './prepare';
export {
	autoAlgorithm,
	DEFAULT_MAX_ITER,
	DEFAULT_TOL,
	defaultNInit,
	kmeans,
	kmeansInertia,
	kmeansPredict,
	LARGE_ROWS,
	type KMeansFit,
	type KMeansFitOptions,
	type KMeansWarning
} from './kmeans';
export { defaultLocalTrials, kmeansPlusPlus, type Seeding } from './kmeans-init';
export { checkMatrix, nearestCenters } from './kmeans-matrix';
export * from './metrics';
export * from './ari';
export * from './choose-k';
export * from './stability';
export * from './dbscan';
export * from './gmm';
export * from './ward';
export * from './pca';
export * from './personas';
