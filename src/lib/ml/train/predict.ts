/**
 * Scoring with a saved model artifact, whatever its family: the same preprocessing and the same
 * prediction path the cross-validation used, so a teacher's new upload is scored exactly as the
 * validated rows were. Regression intervals come from the out-of-fold residuals.
 */
import type { Frame } from '../frame';
import type { TfCore } from '../nn/tf';
import { predictArtifactRows } from './families';
import type { ModelArtifact } from './types';

export interface ArtifactPrediction {
	/** Regression: the predicted value per row. Classification: the most likely class index. */
	values: Float64Array;
	/** Classification: row-major n × classes.length probabilities; null for regression. */
	proba: Float64Array | null;
	classes: string[] | null;
	/** Regression: a 90 % interval from the validation residuals; null otherwise. */
	lower: Float64Array | null;
	upper: Float64Array | null;
}

export async function predictArtifact(
	artifact: ModelArtifact,
	frame: Frame,
	rows?: Uint32Array,
	tf?: TfCore
): Promise<ArtifactPrediction> {
	const sel = rows ?? Uint32Array.from({ length: frame.nRows }, (_, i) => i);
	const out = await predictArtifactRows(artifact, frame, sel, tf);
	const n = sel.length;
	if (!artifact.classes) {
		const q = artifact.residualQuantiles;
		return {
			values: out,
			proba: null,
			classes: null,
			lower: q ? out.map((v) => v + q.q05) : null,
			upper: q ? out.map((v) => v + q.q95) : null
		};
	}
	const k = artifact.classes.length;
	const values = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		let best = 0;
		for (let c = 1; c < k; c++) if (out[i * k + c] > out[i * k + best]) best = c;
		values[i] = best;
	}
	return { values, proba: out, classes: [...artifact.classes], lower: null, upper: null };
}
