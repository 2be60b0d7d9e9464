/** Global feature importance from the trees themselves: total split gain and number of splits. */
import type { TreeEnsemble } from './types';

export interface FeatureImportance {
	name: string;
	/** Sum of split gains using this feature. */
	gain: number;
	/** Share of the model's total gain (sums to 1 over features when any split exists). */
	gainShare: number;
	splits: number;
}

export function featureImportance(model: TreeEnsemble): FeatureImportance[] {
	const F = model.features.length;
	const gain = new Float64Array(F);
	const splits = new Float64Array(F);
	for (const t of model.trees) {
		for (let i = 0; i < t.feature.length; i++) {
			const f = t.feature[i];
			if (f < 0) continue;
			gain[f] += t.gain[i];
			splits[f]++;
		}
	}
	let total = 0;
	for (let f = 0; f < F; f++) total += gain[f];
	return model.features.map((info, f) => ({
		name: info.name,
		gain: gain[f],
		gainShare: total > 0 ? gain[f] / total : 0,
		splits: splits[f]
	}));
}
