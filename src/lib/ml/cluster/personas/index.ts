/** Persona naming, descriptions, trajectories, insights and the scenario simulator's lookups. */
export {
	namePersonas,
	personaTraits,
	readFeatures,
	traitOf,
	type PersonaName,
	type PersonaNamingOptions,
	type Trait
} from './naming';
export {
	findLexeme,
	LEXICON,
	polarity,
	readFeature,
	type FeatureMeaning,
	type Lexeme
} from './lexicon';
export {
	crossTable,
	groupBreakdown,
	MIN_CELL,
	shownCount,
	type BreakdownLevel,
	type CrossTable,
	type SuppressionOptions
} from './tables';
export { trajectoryClusters, trajectoryNames, type TrajectoryGroups } from './trajectory';
export {
	personaInsights,
	PERSONA_INSIGHT_KEYS,
	type InsightGroupColumn,
	type PersonaInsightInput,
	type PersonaInsightKey,
	type PersonaInsights
} from './insights';
export { gmmMembership, nearestPersona, type GmmMembership, type NearestPersona } from './scenario';
