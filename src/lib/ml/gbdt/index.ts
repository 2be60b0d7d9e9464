export type {
	FeatureInfo,
	GbdtLoss,
	OutputTransform,
	RoundLog,
	Tree,
	TreeEnsemble,
	TreeParams
} from './types';
export {
	binFrame,
	categoryRemap,
	fitBinner,
	MAX_BINS,
	type BinnedData,
	type Binner
} from './binning';
export {
	DEFAULT_TREE_PARAMS,
	trainGbdt,
	type EarlyStopping,
	type GbdtParams,
	type TrainOptions
} from './boosting';
export { FOREST_TREE_DEFAULTS, trainForest, type ForestParams, type ForestTask } from './forest';
export { featureMatrix, predict, predictRaw, predictRawMatrix, transformRaw } from './predict';
export { expectedValue, shapValues } from './shap';
export { featureImportance, type FeatureImportance } from './importance';
export { fromJson, parseModel, serializeModel, toJson, type EnsembleJson } from './serialize';
export { toXgboostJson, xgbCondition, type XgbExportOptions } from './xgboost';
