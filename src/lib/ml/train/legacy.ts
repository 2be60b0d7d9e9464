/**
 * The artifact of the "quick model", the single neural network the app trained before the
 * training engine existed. No new ones are made, but models saved then are still listed,
 * exported and imported by the registry, so their shape stays known here.
 */
import type { MlpArtifact } from '../nn/mlp';
import type { Pipeline, Task } from '../preprocess';

export interface QuickArtifact {
	kind: 'quick-mlp';
	version: 1;
	task: Task;
	target: string;
	features: string[];
	/** Class labels (index = model output) for classification; null for regression. */
	classes: string[] | null;
	pipeline: Pipeline;
	mlp: MlpArtifact;
}
