/**
 * The dedicated worker's entry: all heavy work (parsing, training, analysis) runs here, behind
 * the comlink API in api.ts. Created by client.ts; never imported by the page itself.
 */
import * as Comlink from 'comlink';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import './register-backends';
import { deleteStaged, openDb } from '../db';
import { withLayers } from '../ml/nn/tf';
import { generateDemo } from '../ml/synthetic';
import { createWorkerApi } from './api';
import { BackendManager, readAdapterFacts } from './backend';
import { createDbPort } from './db-port';

const database = openDb();
const db = createDbPort(database);
// Write-aheads of imports abandoned more than an hour ago (a closed or crashed tab) are removed;
// a younger one may belong to an import still open in another tab.
void deleteStaged(database, Date.now() - 60 * 60 * 1000).catch(() => undefined);
const backend = new BackendManager({
	tf: tfc,
	settings: db,
	userAgent: navigator.userAgent,
	getAdapter: () => readAdapterFacts()
});

Comlink.expose(createWorkerApi({ tf: withLayers(tfc, tfl), backend, db, generateDemo }));

// The backend is chosen (and, in a new browser, speed-tested, which takes seconds) on first
// use by training or the settings page, not at start-up: an import started right away must not
// queue behind a speed test it does not need.
