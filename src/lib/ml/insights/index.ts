/**
 * Insights: the rule engine and recommendation packs, weak subjects and study plans, and
 * template feedback text. Pure TypeScript (no DOM): runs in the worker, the CLI and tests.
 */
export * from './types';
export {
	CONCEPTS,
	columnLabel,
	detectScale,
	humanise,
	isConceptId,
	numericValue,
	rawScale,
	resolveConcept,
	resolveConcepts,
	scaleOf,
	type ConceptDef
} from './concepts';
export {
	buildClassContext,
	percentileOf,
	percentileValue,
	riskClassesOf,
	riskProbability,
	statsOf,
	valuesOfRow,
	type ClassContextOptions
} from './context';
export { DEFAULT_RULE_PACK, defaultRulePack } from './default-pack';
export {
	evaluateRules,
	factorSentence,
	harmfulFactors,
	helpfulFactors,
	resolveSubject,
	thresholdFor,
	type ResolvedSubject
} from './evaluate';
export { validateRulePack, RULE_PACK_LIMITS, type RulePackResult } from './validate';
export {
	compareSemesters,
	subjectStanding,
	type SubjectColumns,
	type SubjectStandingOptions
} from './subjects';
export {
	GENERAL_SUBJECT,
	STUDY_PLAN_LIMITS,
	suggestStudyPlan,
	validateStudyPlanEntry,
	weakSubjectEntry,
	type StudyPlanEntryResult
} from './study-plan';
export { feedbackText, type FeedbackInput, type FeedbackText, type Tone } from './feedback';
export {
	NOT_AVAILABLE,
	TEMPLATE_PLACEHOLDERS,
	fillTemplate,
	formatOnScale,
	formatProbability
} from './template';
