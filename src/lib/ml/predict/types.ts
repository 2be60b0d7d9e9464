/**
 * What the predict pages get back from the worker: one student's what-if answer, and a batch
 * scoring's at-risk list. Plain data (crosses postMessage).
 */
import type { AttributionMethod, AttributionSpace, Factor } from '../explain/types';
import type { Task } from '../train/types';
import type { FieldIssue, FormValues, PredictionForm } from './form';

/** Mirror of src/lib/ml/risk's policy (kept here so the page need not import the scorer). */
export type RiskPolicyInput =
	| { mode: 'mark-below'; passMark: number }
	| { mode: 'probability-above'; riskClass: string; level: number };

export interface ModelSummary {
	id: string;
	name: string;
	version: number;
	family: string;
	task: Task;
	target: string;
	datasetId: string;
	classes: string[] | null;
	/** Validated (cross-validation) metrics, for "how far to trust this". */
	metrics: Record<string, number>;
}

export interface PredictionSetup {
	model: ModelSummary;
	form: PredictionForm;
	policy: RiskPolicyInput;
	/** The dataset's student id column, if it has one (for naming rows in lists). */
	idColumn: string | null;
}

export interface Recommendation {
	ruleId: string;
	title: string;
	message: string;
	action: string;
	priority: 'high' | 'medium' | 'low';
}

export interface SinglePrediction {
	model: ModelSummary;
	values: FormValues;
	warnings: FieldIssue[];
	/** Regression. */
	value: number | null;
	lower: number | null;
	upper: number | null;
	/** Classification: most likely class and every class's probability, most likely first. */
	predictedClass: string | null;
	probabilities: { label: string; p: number }[] | null;
	/** The at-risk reading under the policy: flagged or not, and the score it was judged on. */
	atRisk: boolean;
	/** P(risk class) for classification; an approximate P(mark < pass mark) for regression. */
	riskProbability: number | null;
	policy: RiskPolicyInput;
	/** What the factors explain, in words: "the predicted final exam mark", "the chance of fail". */
	explained: string;
	factors: Factor[];
	method: AttributionMethod;
	space: AttributionSpace;
	recommendations: Recommendation[];
	latencyMs: number;
}

export interface AtRiskRow {
	/** Dataset row index. */
	row: number;
	/** The student id (shown on screen; exports may pseudonymise). */
	student: string;
	/** Long-format data: which of the student's rows, e.g. "2024-S1 · Mathematics"; else "". */
	context: string;
	/** The predicted mark, or the predicted class. */
	prediction: string;
	value: number | null;
	lower: number | null;
	upper: number | null;
	/** P(risk class), or approximate P(below pass mark). */
	probability: number | null;
	atRisk: boolean;
	reasons: string[];
	recommendations: Recommendation[];
}

export interface BatchResult {
	predictionId: string;
	model: ModelSummary;
	datasetId: string;
	datasetName: string;
	policy: RiskPolicyInput;
	nRows: number;
	nScored: number;
	nAtRisk: number;
	/** Every scored row, most at risk first (at-risk rows carry reasons; capped, see `capped`). */
	rows: AtRiskRow[];
	/** True when only the first rows got reasons (very large data). */
	capped: boolean;
	seconds: number;
	rowsPerSecond: number;
	explained: string;
}
