/**
 * The outcomes feedback loop's pure core: pair predictions with the actual results that came in,
 * score them as the model was scored in cross-validation, and say whether it needs retraining.
 */
export {
	derivedLabel,
	matchOutcomes,
	parseNumber,
	type ActualValue,
	type MatchOptions,
	type OutcomeMatch,
	type PredictionSet
} from './match';
export {
	outcomeMetrics,
	probabilityAt,
	riskClassIndex,
	type OutcomeMetricOptions,
	type OutcomeMetrics
} from './metrics';
export {
	compareWithValidated,
	primaryMetric,
	DEFAULT_MARGIN,
	FIRM_STUDENTS,
	MIN_STUDENTS,
	type CompareOptions,
	type OutcomeComparison
} from './compare';
export { outcomeSeries, type CheckLike, type OutcomePoint, type VersionSeries } from './series';
export {
	collectPredictions,
	predictionKey,
	singleSource,
	type CollectedPredictions,
	type LoggedSingle,
	type PredictionSource
} from './collect';
export { actualAt, readActuals, studentIdAt, studentIds, type ActualsRead } from './actuals';
