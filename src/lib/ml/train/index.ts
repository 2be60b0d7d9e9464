export * from './types';
export {
	trainModels,
	selectCandidate,
	MIN_LABELLED_ROWS,
	TIE_TOLERANCE,
	type TrainDeps
} from './run';
export { predictArtifact, type ArtifactPrediction } from './predict';
export { buildCandidates, candidateLabel, FAMILY_NAMES, type CandidateSpec } from './candidates';
export { planValidation, groupCodes, timeValues } from './validation-plan';
export { needsTf } from './families';
