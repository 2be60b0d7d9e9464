export {
	MAX_CATEGORIES,
	MISSING_LABEL,
	OTHER_LABEL,
	fitPipeline,
	requireFeature,
	stepWidth,
	transform,
	type CategoricalStep,
	type EncodedMatrix,
	type FitPipelineOptions,
	type NumericStep,
	type Pipeline,
	type PipelineStep
} from './pipeline';
export {
	MAX_NUMERIC_CLASSES,
	encodeClasses,
	fitClasses,
	inferTask,
	labelledRows,
	regressionTarget,
	type ClassOptions,
	type Task
} from './target';
