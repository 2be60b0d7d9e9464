/**
 * The slice of TensorFlow.js that ml/ uses. tf is passed in rather than imported so that the
 * caller (worker, CLI, tests) owns backend registration and selection; ml/ only imports types.
 */
import type * as TfCoreModule from '@tensorflow/tfjs-core';
import type * as TfLayersModule from '@tensorflow/tfjs-layers';

export type TfCore = typeof TfCoreModule;
export type TfLayers = typeof TfLayersModule;

/** tfjs-core plus the few tfjs-layers entry points the MLP needs. */
export type Tf = TfCore & Pick<TfLayers, 'sequential' | 'layers' | 'initializers'>;

/** Combines the two modules into the object ml/ expects: `withLayers(tfCore, tfLayers)`. */
export function withLayers(core: TfCore, layers: TfLayers): Tf {
	return Object.assign({}, core, {
		sequential: layers.sequential,
		layers: layers.layers,
		initializers: layers.initializers
	});
}
