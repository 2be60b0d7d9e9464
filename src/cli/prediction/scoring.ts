/**
 * Scoring for `predict`: the model's raw output (as the prediction file has always been written)
 * and the same as an ArtifactPrediction for the risk scorer, for tree files and engine
 * artifacts alike, plus what the risk scorer and the explainers read of a saved model.
 */
import { predict } from '../../lib/ml/gbdt';
import type { Frame } from '../../lib/ml/frame';
import { predictedClasses } from '../../lib/ml/metrics';
import type { TfCore } from '../../lib/ml/nn/tf';
import type { RiskModel } from '../../lib/ml/risk';
import { predictArtifact, type ArtifactPrediction } from '../../lib/ml/train';
import type { FeatureDistribution } from '../../lib/ml/train/types';
import type { ParsedModel, SavedModel } from '../training/model-file';

/** Binary trees give P(second class) per row; the risk scorer wants n × 2 like the engine. */
export function treePrediction(pred: Float64Array, classes: string[] | null): ArtifactPrediction {
	if (!classes) return { values: pred, proba: null, classes: null, lower: null, upper: null };
	const K = classes.length;
	const rows = K === 2 ? pred.length : pred.length / K;
	const proba = K === 2 ? new Float64Array(rows * 2) : pred;
	if (K === 2) {
		for (let i = 0; i < rows; i++) {
			proba[2 * i] = 1 - pred[i];
			proba[2 * i + 1] = pred[i];
		}
	}
	return {
		// From `pred` itself, so a tie at 0.5 names the class the prediction column names.
		values: Float64Array.from(predictedClasses(pred, rows, K)),
		proba,
		classes: [...classes],
		lower: null,
		upper: null
	};
}

/**
 * Regression values, or n × K class probabilities (binary trees: P(second class) per row), and
 * the same as an ArtifactPrediction for the risk scorer.
 */
export async function scoreRows(
	model: ParsedModel,
	x: Frame,
	tf: TfCore | undefined
): Promise<{ pred: Float64Array; prediction: ArtifactPrediction }> {
	if (model.kind === 'trees') {
		const pred = predict(model.ensemble, x);
		return { pred, prediction: treePrediction(pred, model.saved.classes) };
	}
	const out = await predictArtifact(model.artifact, x, undefined, tf);
	return { pred: out.proba ?? out.values, prediction: out };
}

/** What the risk scorer needs of a model; tree files have no derivation or residuals. */
export function riskModel(model: ParsedModel): RiskModel {
	if (model.kind === 'artifact') return model.artifact;
	const { saved } = model;
	return {
		task: saved.task,
		target: saved.target.name,
		classes: saved.classes,
		derive: null,
		residualQuantiles: null
	};
}

/**
 * Training distributions, when a model file carries them (a later `train --save` may); a
 * malformed list is ignored rather than trusted.
 */
export function savedDistributions(saved: SavedModel): FeatureDistribution[] | null {
	const d: unknown = (saved as { distributions?: unknown }).distributions;
	if (!Array.isArray(d)) return null;
	const ok = d.every(
		(x: unknown) =>
			typeof x === 'object' &&
			x !== null &&
			typeof (x as { name?: unknown }).name === 'string' &&
			((x as { kind?: unknown }).kind === 'numeric'
				? Array.isArray((x as { quantiles?: unknown }).quantiles)
				: (x as { kind?: unknown }).kind === 'categorical' &&
					Array.isArray((x as { categories?: unknown }).categories))
	);
	return ok ? (d as FeatureDistribution[]) : null;
}
