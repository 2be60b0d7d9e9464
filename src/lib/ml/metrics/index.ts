export { mae, mse, r2, rmse } from './regression';
export {
	accuracy,
	balancedAccuracy,
	confusionMatrix,
	f1Weighted,
	logLoss,
	predictedClasses
} from './classification';
export {
	classBalance,
	classificationReport,
	type ClassBalance,
	type ClassBalanceOptions,
	type ClassificationReport,
	type ClassScores
} from './report';
export {
	brierScore,
	reliability,
	type BrierScore,
	type Reliability,
	type ReliabilityBin,
	type ReliabilityOptions
} from './probability';
export {
	areaUnderCurve,
	averagePrecision,
	precisionRecallCurve,
	rocAuc,
	rocCurve,
	type PrCurve,
	type RocCurve,
	type RocOptions
} from './curves';
