/**
 * Joins a model's prediction for one student with the recommendation rule engine
 * (src/lib/ml/insights): the class context is built once per model — from the training
 * distributions, plus the out-of-fold actual marks for the target's scale — and reused for every
 * student of a batch. A teacher's own rule pack is used when it is valid, the default otherwise.
 */
import type { Factor } from '../explain/types';
import { makeFrame, numericColumn } from '../frame';
import { buildClassContext } from '../insights/context';
import { DEFAULT_RULE_PACK } from '../insights/default-pack';
import { evaluateRules } from '../insights/evaluate';
import type { Explained, Prediction, RulePack } from '../insights/types';
import { validateRulePack } from '../insights/validate';
import type { FeatureDistribution, ModelArtifact } from '../train/types';
import type { FormValues } from './form';
import type { Recommendation } from './types';

export interface PredictionFacts {
	value: number | null;
	lower: number | null;
	upper: number | null;
	/** Classification: every class's probability (any order). */
	probabilities: { label: string; p: number }[] | null;
	riskClass: string | null;
}

export type Recommender = (
	id: string,
	values: FormValues,
	prediction: PredictionFacts,
	factors: Factor[]
) => Recommendation[];

export interface RecommenderInput {
	artifact: ModelArtifact;
	distributions: FeatureDistribution[];
	/** A sample of the target's actual values (e.g. the diagnostics' out-of-fold actuals). */
	targetSample?: ArrayLike<number> | null;
	/** The teacher's stored pack (unvalidated JSON), or null. */
	pack?: unknown;
}

/** The pack in force: the teacher's if it is valid, else the default one. */
export function packInForce(json: unknown): { pack: RulePack; custom: boolean } {
	if (json === null || json === undefined) return { pack: DEFAULT_RULE_PACK, custom: false };
	const r = validateRulePack(json);
	return r.ok ? { pack: r.pack, custom: true } : { pack: DEFAULT_RULE_PACK, custom: false };
}

export function makeRecommender(input: RecommenderInput): Recommender {
	const { artifact } = input;
	const { pack } = packInForce(input.pack);
	const sample = input.targetSample;
	const context = buildClassContext({
		frame:
			sample && sample.length > 0 && artifact.task === 'regression'
				? makeFrame([numericColumn(artifact.target, Float64Array.from(sample))])
				: null,
		distributions: input.distributions,
		target: artifact.target
	});
	return (id, values, p, factors) => {
		let prediction: Prediction | null = null;
		let explained: Explained | null = null;
		if (p.value !== null) {
			prediction = {
				kind: 'regression',
				value: p.value,
				lower: p.lower,
				upper: p.upper,
				level: 0.9
			};
			explained = { kind: 'mark' };
		} else if (p.probabilities && artifact.classes) {
			const byLabel = new Map(p.probabilities.map((x) => [x.label, x.p]));
			prediction = {
				kind: 'classification',
				classes: [...artifact.classes],
				probabilities: artifact.classes.map((c) => byLabel.get(c) ?? 0)
			};
			explained = p.riskClass ? { kind: 'class', label: p.riskClass } : null;
		}
		const ctx = p.riskClass ? { ...context, riskClasses: [p.riskClass] } : context;
		return evaluateRules(pack, { id, values, prediction, factors, explained }, ctx).map((r) => ({
			ruleId: r.ruleId,
			title: r.title,
			message: r.message,
			action: r.action,
			priority: r.priority
		}));
	};
}
