export { holdoutSplit, type HoldoutOptions, type Split } from './holdout';
export {
	foldsFromAssignment,
	groupKFold,
	groupKFoldAssignment,
	kFold,
	kFoldAssignment,
	stratifiedKFold,
	stratifiedKFoldAssignment,
	type Fold
} from './splits';
export { timeHoldout, type TimeHoldoutSpec, type TimeSplit } from './time';
export {
	chooseValidation,
	makeFolds,
	type FoldInput,
	type ChooseValidationInput,
	type ValidationChoice,
	type ValidationScheme,
	type ValidationTask
} from './choose';
