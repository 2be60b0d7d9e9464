/** Small readers of the Attributions layout (row-major rows × features × outputs). */
import type { Attributions } from './types';

/** The contribution of feature j to output k on row r. */
export function attributionAt(a: Attributions, r: number, j: number, k = 0): number {
	return a.values[(r * a.features.length + j) * a.nOutputs + k];
}

/** base + Σ contributions: the model's output in `a.space` for row r and output k. */
export function rowOutput(a: Attributions, r: number, k = 0): number {
	const F = a.features.length;
	let s = a.base[k];
	for (let j = 0; j < F; j++) s += a.values[(r * F + j) * a.nOutputs + k];
	return s;
}
