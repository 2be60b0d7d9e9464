/**
 * Binds the clustering calls' storage to one open database (see cluster-api.ts). Kept apart so
 * the clustering API can be tested with fakes and loads the repositories only when used.
 */
import { getActiveModel, openDb, type ClasslensDB } from '../db';
import { getClustering, saveClustering, updateClusteringMetrics } from '../db/clusterings';
import type { ClusterStorePort } from './cluster-api';

export function createClusterPort(db: ClasslensDB): ClusterStorePort {
	return {
		saveClustering: (rec) => saveClustering(db, rec),
		getClustering: (id) => getClustering(db, id),
		updateClusteringMetrics: (id, metrics) => updateClusteringMetrics(db, id, metrics),
		getActiveModel: (datasetId, target) => getActiveModel(db, datasetId, target)
	};
}

/** This context's default database (the worker's own connection). */
export function defaultClusterPort(): ClusterStorePort {
	return createClusterPort(openDb());
}
