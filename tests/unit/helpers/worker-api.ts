/**
 * The worker API exactly as worker.ts builds it (database, prediction and outcomes storage), but
 * on fake-indexeddb and TensorFlow.js's cpu backend, for the worker tests. Import
 * 'fake-indexeddb/auto' before this module.
 */
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach } from 'vitest';
import { closeDb, openDb, type ClasslensDB } from '../../../src/lib/db';
import type { Result } from '../../../src/lib/errors';
import { withLayers } from '../../../src/lib/ml/nn/tf';
import { generateDemo } from '../../../src/lib/ml/synthetic';
import { createWorkerApi, type WorkerApi } from '../../../src/lib/worker/api';
import { BackendManager } from '../../../src/lib/worker/backend';
import type { BackendName } from '../../../src/lib/worker/backend-policy';
import { createDbPort } from '../../../src/lib/worker/db-port';
import { createOutcomesPort } from '../../../src/lib/worker/outcomes-api';
import { createPredictPort } from '../../../src/lib/worker/predict-port';

let count = 0;
const opened: string[] = [];

afterEach(() => {
	for (const name of opened.splice(0)) closeDb(name);
});

/** A fresh database named after `prefix`, closed after the test. */
export function workerApiOnFakeDb(prefix: string): { api: WorkerApi; db: ClasslensDB } {
	const name = `${prefix}-${++count}`;
	opened.push(name);
	const db = openDb(name);
	const port = createDbPort(db);
	const backend = new BackendManager({
		tf: tfc,
		settings: port,
		userAgent: 'Node test',
		getAdapter: async () => null,
		probe: async (tf, b: BackendName) => {
			await tf.setBackend(b);
			return { backend: b, available: true, msPerStep: b === 'cpu' ? 1 : null, error: null };
		}
	});
	const api = createWorkerApi({
		ml: async () => ({ tf: withLayers(tfc, tfl), backend }),
		db: port,
		predictions: createPredictPort(db),
		outcomes: createOutcomesPort(db),
		generateDemo
	});
	return { api, db };
}

/** The value of an ok Result; a failed one fails the test with its code and message. */
export function value<T>(r: Result<T>): T {
	if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
	return r.value;
}
