export {
	checkMatrix,
	columnStats,
	solveSpd,
	type DenseMatrix,
	type Standardisation
} from './matrix';
export { lbfgs, type LbfgsOptions, type LbfgsResult, type Objective } from './lbfgs';
export { fitRidge, predictRidge, type RidgeModel, type RidgeOptions } from './ridge';
export {
	balancedClassWeights,
	fitLogistic,
	predictLogisticProba,
	type LogisticModel,
	type LogisticOptions
} from './logistic';
export {
	fitMeanBaseline,
	fitPriorBaseline,
	predictBaseline,
	predictBaselineProba,
	type BaselineModel
} from './baseline';
