/**
 * TensorFlow.js, its backends and the backend manager, as one lazily loaded piece of the worker
 * (worker.ts imports this file dynamically). Kept apart so that starting the worker for an import
 * or a table does not parse and start megabytes of tfjs first.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import './register-backends';
import { withLayers } from '../ml/nn/tf';
import type { MlRuntime } from './api';
import { BackendManager, readAdapterFacts, type SettingsPort } from './backend';

export function createMlRuntime(settings: SettingsPort): MlRuntime {
	const backend = new BackendManager({
		tf: tfc,
		settings,
		userAgent: navigator.userAgent,
		getAdapter: () => readAdapterFacts()
	});
	return { tf: withLayers(tfc, tfl), backend };
}
