/**
 * The shapes shared by the rule engine, weak subjects, study plans and feedback text. All plain
 * data (strings, numbers, arrays, plain objects): rule packs are saved, exported and edited in a
 * form; recommendations cross postMessage and are stored with predictions.
 */
import type { Factor } from '../explain/types';

/** What a column means, whatever the file calls it (see concepts.ts for the spellings). */
export const CONCEPT_IDS = [
	'attendance',
	'participation',
	'assignment',
	'assignment_completion',
	'quiz',
	'midterm',
	'cats',
	'rats',
	'final_mark',
	'peer_performance',
	'previous_grade',
	'hours_studied',
	'motivation',
	'sleep',
	'tutoring',
	'physical_activity',
	'year_of_study',
	'num_subjects',
	'class_size'
] as const;
export type ConceptId = (typeof CONCEPT_IDS)[number];

/**
 * How a column is scaled, detected from its range: 0–1 (a rate), 0–4 (GPA), 0–10, 0–20,
 * 0–100 (percent or marks out of 100), or `raw` (no known bound: hours, counts, sizes).
 */
export const SCALE_KINDS = ['fraction', 'gpa4', 'ten', 'twenty', 'percent', 'raw'] as const;
export type ScaleKind = (typeof SCALE_KINDS)[number];

export interface Scale {
	kind: ScaleKind;
	/** Bounds of the scale; for `raw`, the observed range. */
	min: number;
	max: number;
	/** For people: "0–10 scale", "percent", "as recorded". */
	label: string;
}

/** One column's class statistics, from the data or from a model's FeatureDistribution. */
export interface ColumnStats {
	column: string;
	concept: ConceptId | null;
	/** Non-missing values. */
	n: number;
	mean: number;
	/** Sample standard deviation (n − 1); 0 with fewer than two values. */
	sd: number;
	min: number;
	max: number;
	q25: number;
	median: number;
	q75: number;
	/** Values at evenly spaced percentiles from 0 to 100 (21 from data, 11 from a distribution). */
	percentiles: number[];
	scale: Scale;
}

/** What the rule engine knows about the class the student is compared with. */
export interface ClassContext {
	/** Numeric (or ordinal Low/Medium/High) columns by name. */
	columns: Record<string, ColumnStats>;
	/** The column chosen for each concept present (the first that names it). */
	concepts: Partial<Record<ConceptId, string>>;
	/** The predicted column, when known: its stats give the predicted mark its scale. */
	target: string | null;
	/** Class labels that count as "at risk" ("Fail", "F", …); see riskClassesOf. */
	riskClasses: string[];
}

export type Prediction =
	| {
			kind: 'regression';
			/** The predicted mark in the target's units. */
			value: number;
			/** The interval's bounds (e.g. the 90 % interval from validation residuals). */
			lower?: number | null;
			upper?: number | null;
			/** Coverage of [lower, upper], 0–1; default 0.9. */
			level?: number;
	  }
	| {
			kind: 'classification';
			classes: string[];
			/** One probability per class, in `classes` order. */
			probabilities: number[];
	  };

/** Which outcome the factors explain, so "lowers the prediction" can be told from "raises risk". */
export type Explained = { kind: 'mark' } | { kind: 'class'; label: string };

/** Everything known about one student for the rules and the text. */
export interface StudentFacts {
	/** The student's identifier as shown to the teacher (varies the phrasing, never logged). */
	id: string;
	/** The student's values by column name; null or absent = missing. */
	values: Record<string, number | string | null>;
	prediction?: Prediction | null;
	/** The model's top factors for this student's prediction (explain/types.ts). */
	factors?: Factor[];
	/** What the factors explain; default: the mark (regression) or the predicted class. */
	explained?: Explained | null;
}

export type Priority = 'high' | 'medium' | 'low';
export const PRIORITIES: readonly Priority[] = ['high', 'medium', 'low'];

export type Operator = '<' | '<=' | '>' | '>=';
export const OPERATORS: readonly Operator[] = ['<', '<=', '>', '>='];

/**
 * What a condition looks at: a concept (resolved to whichever column means it), a named column,
 * the predicted mark, the predicted probability of an at-risk class, or the outcome (the final
 * mark when known, otherwise the predicted mark).
 */
export type ConditionSubject =
	| { kind: 'concept'; concept: ConceptId }
	| { kind: 'column'; column: string }
	| { kind: 'predicted-mark' }
	| { kind: 'risk-probability' }
	| { kind: 'outcome' };

/**
 * A threshold in a stated unit:
 * - `points`: in the column's own units; with `scale`, it applies only to columns on that scale
 *   ("5 on a 0–10 scale").
 * - `percent`: 0–100 % of the column's scale (needs a bounded scale); for the risk probability,
 *   the probability in percent.
 * - `percentile`: relative to the class: 25 = the bottom quartile's upper edge.
 * - `z`: relative to the class: mean + z × sd.
 */
export type Threshold =
	| { unit: 'points'; value: number; scale?: ScaleKind }
	| { unit: 'percent'; value: number }
	| { unit: 'percentile'; value: number }
	| { unit: 'z'; value: number };
export type ThresholdUnit = Threshold['unit'];

export interface Condition {
	subject: ConditionSubject;
	op: Operator;
	/** Tried in order: the first that fits the column (its scale, its class statistics) is used. */
	thresholds: Threshold[];
}

export interface Rule {
	id: string;
	title: string;
	/** ANDed; a condition whose value is missing or whose threshold fits no scale is not met. */
	conditions: Condition[];
	/** Placeholders: see TEMPLATE_PLACEHOLDERS in template.ts. */
	message: string;
	/** The next step for the teacher. */
	action: string;
	priority: Priority;
	enabled: boolean;
}

export interface RulePack {
	id: string;
	name: string;
	/** Integer ≥ 1; bumped when a teacher edits the pack. */
	version: number;
	rules: Rule[];
}

/** The data behind one met condition, in the column's units and as displayed. */
export interface Trigger {
	/** The column looked at; null for the predicted mark and risk probability. */
	column: string | null;
	/** For people: "Attendance", "Predicted mark", "Risk of Fail". */
	label: string;
	concept: ConceptId | null;
	value: number;
	/** The threshold in the column's units, as compared. */
	threshold: number;
	op: Operator;
	/** The threshold as the rule states it (unit and value). */
	stated: Threshold;
	scale: ScaleKind;
	/** Rounded for display: "4.5/10", "72%". */
	display: { value: string; threshold: string };
}

export interface Recommendation {
	ruleId: string;
	title: string;
	/** The filled template, plus a sentence when a trigger is among the factors lowering the prediction. */
	message: string;
	priority: Priority;
	action: string;
	/** 0–1: how far past the thresholds, plus the factor's share when one is linked. */
	strength: number;
	triggers: Trigger[];
	/** The model factor linked to a trigger, when one is among the factors working against the student. */
	factor: { feature: string; rank: number; share: number } | null;
}

/** An error a teacher can act on, with where it is in the pack or entry. */
export interface FieldError {
	/** E.g. "rules[2].conditions[0].thresholds[0].value". */
	path: string;
	message: string;
}

/** One subject compared with the class (subjects.ts). */
export interface SubjectStanding {
	subject: string;
	/** The student's mark (the mean when the subject appears more than once in the semester). */
	mark: number;
	classMean: number;
	/** Sample standard deviation; 0 with fewer than two students. */
	classSd: number;
	/** (mark − classMean) / classSd; 0 when classSd is 0. */
	z: number;
	/** Mid-rank percentile of the mark in the class (0–100). */
	percentile: number;
	weak: boolean;
	strong: boolean;
	/** Students with a mark in this subject (and semester). */
	n: number;
	/** The semester compared, or null when there is no semester column. */
	semester: string | null;
}

export interface StudyPlanEntry {
	subject: string;
	title: string;
	note: string;
	link?: string;
}
