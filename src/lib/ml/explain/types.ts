/**
 * The contract between the explainers (src/lib/ml/explain), the at-risk scoring, the rule engine
 * and text templates (src/lib/ml/insights) and the pages that show them (/predict, /students).
 * Plain data only: it crosses postMessage and is stored with predictions.
 */

/** How the contributions were computed; shown to the teacher in a footnote. */
export type AttributionMethod = 'tree-shap' | 'linear-shap' | 'sampling-shap' | 'none';

/**
 * What the contributions add up to. Regression: the predicted value in target units.
 * Classification: the log-odds (binary: of classes[1]) or, for the network, the probability.
 */
export type AttributionSpace = 'value' | 'log-odds' | 'probability';

/** Additive attributions for a batch of rows, in the artifact's feature order. */
export interface Attributions {
	features: string[];
	method: AttributionMethod;
	space: AttributionSpace;
	/** 1 for regression and binary (towards classes[1]), K for multiclass (one per class). */
	nOutputs: number;
	/** Expected model output per output over the reference data: nOutputs values. */
	base: Float64Array;
	/**
	 * Row-major nRows × features.length × nOutputs; for each row and output,
	 * base + Σ contributions equals the model's output in `space` (to rounding).
	 */
	values: Float64Array;
	nRows: number;
}

/** One feature's push on one prediction, ready to be shown or put in a sentence. */
export interface Factor {
	feature: string;
	/** The student's value as the teacher should read it: "4.5", "public", "missing". */
	value: string;
	raw: number | string | null;
	/**
	 * Signed contribution in the attribution space, oriented so that > 0 raises the outcome
	 * being explained (the predicted mark, or the probability of the class being explained).
	 */
	contribution: number;
	direction: 'up' | 'down';
	/** Share of the row's total |contribution| (0–1). */
	share: number;
	/** A plain-language sentence, e.g. "Attendance (4.5, class median 7.5) lowers the predicted mark." */
	text: string;
}
