/**
 * The dedicated worker's entry: all heavy work (parsing, training, analysis) runs here, behind
 * the comlink API in api.ts. Created by client.ts; never imported by the page itself.
 */
import * as Comlink from 'comlink';
import { deleteStaged, openDb } from '../db';
import { generateDemo } from '../ml/synthetic';
import { createWorkerApi } from './api';
import { createDbPort } from './db-port';
import { createPredictPort } from './predict-port';
import { createOutcomesPort } from './outcomes-api';

const database = openDb();
const db = createDbPort(database);
// Write-aheads of imports abandoned more than an hour ago (a closed or crashed tab) are removed;
// a younger one may belong to an import still open in another tab.
void deleteStaged(database, Date.now() - 60 * 60 * 1000).catch(() => undefined);

// TensorFlow.js loads on the first job that needs it. The backend is then chosen (and, in a new
// browser, speed-tested, which takes seconds) on first use by training or the settings page:
// an import started right away does not queue behind either.
const ml = () => import('./ml-runtime').then((m) => m.createMlRuntime(db));

Comlink.expose(
	createWorkerApi({
		ml,
		db,
		predictions: createPredictPort(database),
		outcomes: createOutcomesPort(database),
		generateDemo
	})
);
