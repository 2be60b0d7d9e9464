/**
 * What "at risk" means for a model: a predicted mark below a pass mark (regression), or a
 * probability of the risk class at or above a level (classification). The defaults are a
 * starting point the teacher is shown and can change, never a hidden rule.
 */
import type { FeatureDistribution, ModelArtifact } from '../train/types';

export type RiskPolicy =
	| { mode: 'mark-below'; passMark: number }
	| { mode: 'probability-above'; riskClass: string; level: number };

/** What the risk functions read of a model; a ModelArtifact is one. */
export type RiskModel = Pick<
	ModelArtifact,
	'task' | 'target' | 'classes' | 'derive' | 'residualQuantiles'
>;

export const DEFAULT_LEVEL = 0.5;

/**
 * 40 % of the mark scale, the usual pass mark on a 0–100 scale. The scale is read from the
 * largest mark seen: up to 1 (proportions) → 0.4, up to 10 → 4, up to 20 → 8, up to 100 → 40,
 * beyond that 40 % of the largest mark, rounded. Countries whose pass mark is not 40 %
 * (10/20 in France, 5.5/10 in the Netherlands) set theirs: the default is only a suggestion.
 */
export function defaultPassMark(largestMark: number | null | undefined): number {
	const max = largestMark ?? NaN;
	if (!Number.isFinite(max) || max <= 0) return 40;
	if (max <= 1) return 0.4;
	if (max <= 10) return 4;
	if (max <= 20) return 8;
	if (max <= 100) return 40;
	return Math.round(0.4 * max);
}

const norm = (s: string) => s.toLowerCase().replace(/[\s_\-.]+/g, '');

/** Class names that mean the bad outcome, most telling first. */
const RISK_NAMES = [
	'fail',
	'failed',
	'failing',
	'f',
	'fx',
	'atrisk',
	'risk',
	'highrisk',
	'notpassed',
	'notpass',
	'unsatisfactory',
	'insufficient',
	'dropout',
	'droppedout',
	'withdrawn',
	'low',
	'poor',
	'weak',
	'below',
	'no',
	'n',
	'false',
	'0'
];

/** Targets whose "yes" is the bad outcome ("dropout = yes", "at_risk = 1"). */
const BAD_TARGETS = /(drop|fail|risk|withdr|churn|repeat|retake|struggl)/;
const YES_NAMES = ['yes', 'y', 'true', '1', 'high', 'highrisk'];

export interface RiskClassChoice {
	label: string;
	/** One sentence on why, for the teacher. */
	reason: string;
	/** True when no name or derivation pointed at a class and the first one was taken. */
	guessed: boolean;
}

/** The class that means "at risk" for a classification model. */
export function chooseRiskClass(model: RiskModel): RiskClassChoice {
	const classes = model.classes ?? [];
	if (classes.length === 0) throw new RangeError('A regression model has no classes.');
	const has = (label: string) => classes.includes(label);
	const d = model.derive;
	if (d?.kind === 'pass-fail' && has(d.failLabel)) {
		return { label: d.failLabel, reason: `"${d.failLabel}" is the fail label.`, guessed: false };
	}
	if (d?.kind === 'grade') {
		const worstFirst = [d.below, ...[...d.boundaries].reverse().map((b) => b.label)];
		const label = worstFirst.find(has);
		if (label !== undefined) {
			return { label, reason: `"${label}" is the lowest grade.`, guessed: false };
		}
	}
	const normalised = classes.map(norm);
	if (BAD_TARGETS.test(norm(model.target))) {
		const i = normalised.findIndex((c) => YES_NAMES.includes(c));
		if (i >= 0) {
			return {
				label: classes[i],
				reason: `"${model.target}" names the outcome to avoid, so "${classes[i]}" is the risk.`,
				guessed: false
			};
		}
	}
	for (const name of RISK_NAMES) {
		const i = normalised.indexOf(name);
		if (i >= 0) {
			return {
				label: classes[i],
				reason: `"${classes[i]}" reads as the outcome to avoid.`,
				guessed: false
			};
		}
	}
	if (classes.every((c) => /^[A-Fa-f][+-]?$/.test(c.trim()))) {
		// Letter grades: the latest letter is the lowest grade (E or D when there is no F).
		const worst = [...classes].sort((a, b) => norm(b).localeCompare(norm(a)))[0];
		return { label: worst, reason: `"${worst}" is the lowest grade.`, guessed: false };
	}
	return {
		label: classes[0],
		reason: `No class name says "fail" or "at risk", so the first class, "${classes[0]}", was taken: check that it is the outcome to watch for.`,
		guessed: true
	};
}

/**
 * A starting policy: for a mark, 40 % of its scale (see defaultPassMark; the scale comes from
 * the target's distribution when one is given under the target's name, or `largestMark`); for
 * classes, the risk class chooseRiskClass picks at level 0.5.
 */
export function defaultRiskPolicy(
	model: RiskModel,
	distributions?: FeatureDistribution[],
	opts: { largestMark?: number } = {}
): RiskPolicy {
	if (model.task === 'regression') {
		const d = distributions?.find((x) => x.name === model.target);
		const max = opts.largestMark ?? (d?.kind === 'numeric' && d.count > 0 ? d.max : null);
		return { mode: 'mark-below', passMark: defaultPassMark(max) };
	}
	return {
		mode: 'probability-above',
		riskClass: chooseRiskClass(model).label,
		level: DEFAULT_LEVEL
	};
}

/** The problem with a policy for this model in a sentence for the teacher, or null. */
export function validatePolicy(policy: RiskPolicy, model: RiskModel): string | null {
	if (model.task === 'regression') {
		if (policy.mode !== 'mark-below') {
			return 'This model predicts a mark, so set a pass mark rather than a class and a probability.';
		}
		if (typeof policy.passMark !== 'number' || !Number.isFinite(policy.passMark)) {
			return 'The pass mark must be a number, e.g. 40.';
		}
		return null;
	}
	if (policy.mode !== 'probability-above') {
		return 'This model predicts a class, so choose the class that means "at risk" and a probability level rather than a pass mark.';
	}
	const classes = model.classes ?? [];
	if (!classes.includes(policy.riskClass)) {
		return `"${policy.riskClass}" is not one of this model's classes (${classes.map((c) => `"${c}"`).join(', ')}).`;
	}
	if (typeof policy.level !== 'number' || !(policy.level > 0 && policy.level <= 1)) {
		return 'The probability level must be above 0 and at most 1, e.g. 0.5 for 50%.';
	}
	return null;
}
