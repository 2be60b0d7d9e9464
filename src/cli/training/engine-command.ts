/**
 * The I/O half of `train --model linear|mlp|auto`: load TensorFlow.js when a network is among
 * the candidates, run the engine (training/engine.ts) with terminal progress, write the model
 * file for `predict` and print the report. train.ts parses the options and reads the data.
 */
import type { ImportPlan } from '../../lib/data/plan';
import { neverCancelled, noProgress } from '../../lib/ml/progress';
import { EXIT_FAILURE, EXIT_OK, INVOCATION, type CliIo } from '../command';
import { describeFsError, resolvePath, writeFileAtomically } from '../files';
import { plural } from '../format';
import { terminalProgress } from '../progress';
import { loadNodeTf, type NodeTf } from '../tf';
import type { TrainingData } from './data';
import {
	engineNeedsTf,
	engineTrainJson,
	runEngine,
	type EngineCheck,
	type EngineOptions
} from './engine';
import { planCrossValidation } from './evaluate';
import { buildArtifactModel, savedColumn } from './model-file';
import { trainText } from './report';

export interface EngineCommandOptions extends EngineOptions {
	/** The --data argument as typed, for the note on validation errors. */
	data: string;
	/** --cv k (default applied by the caller) or --holdout-last f. */
	folds: number;
	holdout?: number;
	save?: string;
	json: boolean;
}

export async function trainWithEngine(
	o: EngineCommandOptions,
	data: TrainingData,
	plan: ImportPlan,
	problems: { errors: number; warnings: number },
	io: CliIo
): Promise<number> {
	const check: EngineCheck =
		o.holdout !== undefined
			? { kind: 'holdout', fraction: o.holdout }
			: { kind: 'cv', k: o.folds, plan: planCrossValidation(data, o.folds, o.seed) };
	// TensorFlow.js only when a network trains: parsing it costs a second or two.
	let tf: NodeTf | undefined;
	if (engineNeedsTf(o.model)) tf = await loadNodeTf();
	const progress = terminalProgress(io);
	let run;
	try {
		run = await runEngine(data, check, o, {
			tf: tf?.tf,
			progress: progress.report ?? noProgress,
			cancel: neverCancelled
		});
	} finally {
		progress.done();
	}
	const json = engineTrainJson(data, check, run, {
		...o,
		backend: tf?.backend,
		problems: { errors: problems.errors, warnings: problems.warnings }
	});
	if (o.save !== undefined) {
		const saved = buildArtifactModel({
			task: data.task,
			model: o.model,
			target: savedColumn(data.target),
			classes: run.outcome.classes,
			features: data.features.map(savedColumn),
			idColumns: plan.columns.filter((c) => c.role === 'id').map((c) => c.name),
			params: json.params,
			trainedRows: run.outcome.nLabelled,
			distributions: run.outcome.distributions,
			artifact: run.outcome.artifact
		});
		try {
			writeFileAtomically(resolvePath(io, o.save), [JSON.stringify(saved) + '\n']);
		} catch (e) {
			io.stderr(`Could not write ${o.save}: ${describeFsError(e)}. Nothing was written.\n`);
			return EXIT_FAILURE;
		}
		// The engine always refits the model on every labelled row; that fit is part of its run.
		json.saved = { path: o.save, rows: run.outcome.nLabelled, fit_seconds: null };
	}
	if (o.json) {
		io.stdout(JSON.stringify(json) + '\n');
		return EXIT_OK;
	}
	io.stdout(
		trainText(json, plan.file, {
			selectionReason: o.model === 'auto' ? run.outcome.selectionReason : undefined,
			backendFallback: tf?.fallbackReason
		})
	);
	if (problems.errors > 0) {
		io.stderr(
			`Note: ${plan.file} has ${plural(problems.errors, 'validation error')}; values that did not convert were treated as missing. Run '${INVOCATION} import ${o.data}' to see them.\n`
		);
	}
	return EXIT_OK;
}
