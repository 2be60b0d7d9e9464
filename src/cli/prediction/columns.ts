/**
 * The columns `predict --explain` and `--at-risk` add to a prediction file: reasons as sentences
 * and in a compact "feature:+0.12" form, the risk score and a yes/no flag.
 */
import {
	explainArtifact,
	explainTrees,
	factorsForRows,
	outcomeLabel,
	type Attributions,
	type Factor
} from '../../lib/ml/explain';
import { categoricalColumn, numericColumn, type Column, type Frame } from '../../lib/ml/frame';
import type { TreeEnsemble } from '../../lib/ml/gbdt';
import type { TfCore } from '../../lib/ml/nn/tf';
import type { RiskPolicy, RiskScores } from '../../lib/ml/risk';
import type { FeatureDistribution, ModelArtifact } from '../../lib/ml/train/types';
import type { ArtifactPrediction } from '../../lib/ml/train';

/** "+0.12", "−3.4" (ASCII minus, for spreadsheets): rounded to what a reader can use. */
export function signedContribution(c: number): string {
	const a = Math.abs(c);
	const text = a >= 10 ? a.toFixed(1) : a >= 0.1 ? a.toFixed(2) : String(Number(a.toPrecision(2)));
	return `${c < 0 ? '-' : '+'}${text}`;
}

/** A tree file's ensemble (explained by TreeSHAP directly) or an engine artifact. */
export type ExplainModel = { ensemble: TreeEnsemble } | { artifact: ModelArtifact };

export async function explainRows(
	model: ExplainModel,
	x: Frame,
	features: string[],
	distributions: FeatureDistribution[],
	tf: TfCore | undefined
): Promise<Attributions> {
	const rows = Uint32Array.from({ length: x.nRows }, (_, i) => i);
	if ('ensemble' in model) return explainTrees(model.ensemble, x, rows, features);
	return explainArtifact(model.artifact, x, rows, { distributions, tf, seed: 0 });
}

export interface ReasonSpec {
	attr: Attributions;
	x: Frame;
	k: number;
	prediction: ArtifactPrediction;
	policy: RiskPolicy | null;
	target: { name: string; original: string };
	classes: string[] | null;
	distributions: FeatureDistribution[];
	/** Safe column name → the header as written in the file. */
	originals: Record<string, string>;
}

/**
 * Which output each row's reasons speak of. Regression: the predicted mark. Classification
 * with --at-risk: the risk class for every row (so the list reads the same way down the page);
 * without: each row's predicted class. A binary model's attributions point towards classes[1],
 * so explaining classes[0] turns them round.
 */
function explainedClasses(spec: ReasonSpec): Int32Array | null {
	const { classes, prediction, policy } = spec;
	if (!classes) return null;
	const n = prediction.values.length;
	if (policy?.mode === 'probability-above') {
		return new Int32Array(n).fill(classes.indexOf(policy.riskClass));
	}
	return Int32Array.from(prediction.values);
}

export function reasonFactors(spec: ReasonSpec): Factor[][] {
	const { attr, x, k, classes } = spec;
	const n = x.nRows;
	const cls = explainedClasses(spec);
	const binary = attr.nOutputs === 1;
	const output = new Int32Array(n);
	const orientation = new Int8Array(n).fill(1);
	if (cls) {
		for (let i = 0; i < n; i++) {
			if (binary) orientation[i] = cls[i] === 1 ? 1 : -1;
			else output[i] = cls[i];
		}
	}
	const regressionLabel = outcomeLabel(spec.target.name, null, {
		[spec.target.name]: spec.target.original
	});
	const label = (r: number) =>
		cls && classes ? outcomeLabel('', classes[cls[r]]) : regressionLabel;
	return factorsForRows(attr, {
		frame: x,
		frameRows: Uint32Array.from({ length: n }, (_, i) => i),
		output,
		orientation,
		k,
		distributions: spec.distributions,
		outcomeLabel: label,
		featureLabels: spec.originals
	});
}

/** reason_1..K (sentences) then factor_1..K ("attendance:-0.12"). */
export function reasonColumns(
	factors: Factor[][],
	k: number,
	originals: Record<string, string>
): Column[] {
	const reasons: Column[] = [];
	const compact: Column[] = [];
	for (let j = 0; j < k; j++) {
		reasons.push(
			categoricalColumn(
				`reason_${j + 1}`,
				factors.map((f) => f[j]?.text ?? null)
			)
		);
		compact.push(
			categoricalColumn(
				`factor_${j + 1}`,
				factors.map((f) =>
					f[j]
						? `${originals[f[j].feature] ?? f[j].feature}:${signedContribution(f[j].contribution)}`
						: null
				)
			)
		);
	}
	return [...reasons, ...compact];
}

/** risk (and p_below_pass for a mark with known residuals), then at_risk yes/no. */
export function riskColumns(scores: RiskScores): Column[] {
	const out: Column[] = [numericColumn('risk', scores.risk)];
	if (scores.pBelow) out.push(numericColumn('p_below_pass', scores.pBelow));
	out.push(
		categoricalColumn(
			'at_risk',
			Array.from(scores.atRisk, (a, i) => (Number.isNaN(scores.risk[i]) ? null : a ? 'yes' : 'no'))
		)
	);
	return out;
}
