/**
 * `train`: fits a model on a class file, scores it with cross-validation (grouped by student
 * when a student has several rows) or a file-order holdout, and optionally saves it for
 * `predict`. Tree models (gbdt, rf) use the CLI's own fitting (training/evaluate.ts); linear,
 * mlp and auto go through the app's training engine (training/engine.ts) with the same folds
 * rule and the same JSON. The file is read by the app's import pipeline, so text columns arrive
 * as categories and identifiers, free text and sensitive columns stay out of the features.
 */
import { plural } from '../format';
import { choiceOption, intOption, numberOption, requiredOption } from '../args';
import {
	EXIT_FAILURE,
	EXIT_OK,
	INVOCATION,
	parseCommandArgs,
	table,
	UsageError,
	type CliCommand,
	type CliIo
} from '../command';
import { describeFsError, resolvePath, writeFileAtomically } from '../files';
import { fullReport, loadTable } from '../load';
import { terminalProgress } from '../progress';
import { planForTraining, trainingData, type Task } from '../training/data';
import {
	crossValidate,
	fitModel,
	holdoutLast,
	meanImportance,
	meanScores,
	planCrossValidation,
	type CvPlan,
	type FitSpec,
	type SplitResult
} from '../training/evaluate';
import type { EngineModel } from '../training/engine';
import { trainWithEngine } from '../training/engine-command';
import { buildSavedModel, savedColumn } from '../training/model-file';
import { featureDistributions } from '../../lib/ml/train/fingerprint';
import { trainText, type TrainJson, type TrainModel } from '../training/report';

const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass'];
// Trees first: their order is the one the usage error lists.
const MODELS: readonly TrainModel[] = ['gbdt', 'rf', 'linear', 'mlp', 'auto'];
const ENGINE_MODELS: readonly TrainModel[] = ['linear', 'mlp', 'auto'];
/** The engine's validation planner accepts at most 10 folds. */
const ENGINE_MAX_FOLDS = 10;
const DEFAULT_FOLDS = 5;
const DEFAULT_TREES = 100;
const DEFAULT_LR = 0.1;
const DEFAULT_BINS = 255;

const help = `Usage: ${INVOCATION} train --data FILE --target COLUMN [options]

Trains a model to predict one column from the others and reports how well it does on rows it
did not see, next to a baseline that ignores the features. Identifier, free-text, time,
sensitive and ignored columns are left out of the features automatically; text columns are used
as categories.

When a file has several rows per student (one per subject or semester), cross-validation keeps
all rows of a student in the same fold, so the model is always tested on students it has not
seen; otherwise folds are stratified by class, or random for a number.

Models: gbdt (gradient-boosted trees, default) and rf (random forest) are fitted directly;
linear (ridge or logistic regression), mlp (a neural network on TensorFlow.js, wasm backend with
cpu as fallback) and auto use the app's training engine. auto cross-validates small settings
grids of linear, rf, gbdt and mlp and keeps the best by RMSE or weighted F1, preferring the
simpler model when scores are within 1%.

Options:
${table([
	['--data <file>', 'CSV or Excel file to learn from'],
	['--target <column>', 'the column to predict'],
	['--task <task>', 'regression | binary | multiclass (default: from the target)'],
	['--model <model>', 'gbdt (default) | rf | linear | mlp | auto'],
	['--exclude <a,b,…>', 'more columns to leave out of the features'],
	['--cv <k>', `k-fold cross-validation, grouped or stratified (default ${DEFAULT_FOLDS})`],
	['--group <column>', 'keep rows with the same value of this column in one fold'],
	['--no-group', 'do not group folds by student, even when students have several rows'],
	['--holdout-last <f>', 'instead: train on the first rows, test on the last f (0.2 = 20%)'],
	['--seed <n>', 'seed for folds and the learner (default 0)'],
	['--trees <n>', `boosting rounds or forest trees (default ${DEFAULT_TREES}); gbdt, rf, auto`],
	['--leaves <n>', 'leaves per tree (default 31 for gbdt, unlimited for rf); gbdt, rf, auto'],
	['--lr <x>', `learning rate of boosting (default ${DEFAULT_LR}); gbdt, auto`],
	['--bins <n>', `histogram bins per feature, 2–255 (default ${DEFAULT_BINS}); gbdt, rf`],
	['--no-early-stopping', 'gbdt: use every round instead of stopping on a 10% validation split'],
	['--epochs <n>', 'mlp, auto: most training epochs (default 100, early stopping)'],
	['--hidden <a,b,…>', 'mlp, auto: units per hidden layer (default 32,16)'],
	['--save <model.json>', 'fit on all rows afterwards and save the model for predict'],
	['--sheet <name|n>', 'Excel sheet by name, or by position counting from 1'],
	['--decimal <.|,>', 'decimal mark of numbers in the file (default: detected)'],
	['--json', 'print one JSON object (last line of output) instead of text'],
	['-h, --help', 'show this help']
])}

In auto mode, --trees, --leaves and --lr fix the tree candidates, and --epochs and --hidden the
network, to one setting instead of the small grid. linear, mlp and auto take at most ${ENGINE_MAX_FOLDS} folds.

Examples:
  ${INVOCATION} train --data marks.csv --target final_exam
  ${INVOCATION} train --data marks.csv --target passed --model rf --cv 10 --json
  ${INVOCATION} train --data marks.csv --target final_exam --holdout-last 0.2 --save model.json
  ${INVOCATION} train --data courses.csv --target final_marks --group student_id
  ${INVOCATION} train --data marks.csv --target final_exam --model auto --save best.json
  ${INVOCATION} train --data marks.csv --target passed --model mlp --epochs 50 --hidden 64
`;

function parse(args: string[]) {
	const { values } = parseCommandArgs('train', args, {
		data: { type: 'string' },
		target: { type: 'string' },
		task: { type: 'string' },
		model: { type: 'string' },
		exclude: { type: 'string', multiple: true },
		cv: { type: 'string' },
		'holdout-last': { type: 'string' },
		group: { type: 'string' },
		'no-group': { type: 'boolean' },
		seed: { type: 'string' },
		trees: { type: 'string' },
		leaves: { type: 'string' },
		lr: { type: 'string' },
		bins: { type: 'string' },
		'no-early-stopping': { type: 'boolean' },
		epochs: { type: 'string' },
		hidden: { type: 'string' },
		save: { type: 'string' },
		sheet: { type: 'string' },
		decimal: { type: 'string' },
		json: { type: 'boolean' },
		help: { type: 'boolean', short: 'h' }
	});
	if (values.help) return null;
	const c = 'train';
	const model = choiceOption(c, 'model', values.model, MODELS) ?? 'gbdt';
	if (values.cv !== undefined && values['holdout-last'] !== undefined) {
		throw new UsageError('Give either --cv or --holdout-last, not both.', c);
	}
	if (values.group !== undefined && values['no-group']) {
		throw new UsageError('Give either --group or --no-group, not both.', c);
	}
	if (values.group !== undefined && values['holdout-last'] !== undefined) {
		// The holdout cuts by file order, not into folds, so there is nothing to group.
		throw new UsageError('--group applies to cross-validation, not --holdout-last.', c);
	}
	if (values.group === '') throw new UsageError('--group needs a column name.', c);
	if (model === 'rf' && values.lr !== undefined) {
		throw new UsageError('--lr applies to gbdt only; a random forest has no learning rate.', c);
	}
	checkModelOptions(model, values);
	const folds = intOption(c, 'cv', values.cv, 2, 100);
	if (ENGINE_MODELS.includes(model) && folds !== undefined && folds > ENGINE_MAX_FOLDS) {
		throw new UsageError(
			`--model ${model} cross-validates with at most ${ENGINE_MAX_FOLDS} folds; got --cv ${folds}.`,
			c
		);
	}
	const decimal = choiceOption(c, 'decimal', values.decimal, ['.', ','] as const);
	const exclude = (values.exclude ?? [])
		.flatMap((s) => s.split(','))
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (values.save === '') throw new UsageError('--save needs a file path.', c);
	return {
		data: requiredOption(c, 'data', values.data, 'the CSV or Excel file to learn from'),
		target: requiredOption(c, 'target', values.target, 'the name of the column to predict'),
		task: choiceOption(c, 'task', values.task, TASKS),
		model,
		exclude,
		folds,
		holdout: numberOption(c, 'holdout-last', values['holdout-last'], 0, 1),
		// undefined = group by the import's student column when it repeats; false = never.
		group: values['no-group'] ? (false as const) : values.group,
		seed: intOption(c, 'seed', values.seed, 0, 2 ** 32 - 1) ?? 0,
		trees: intOption(c, 'trees', values.trees, 1, 10_000) ?? DEFAULT_TREES,
		leaves: intOption(c, 'leaves', values.leaves, 2, 100_000),
		lr: numberOption(c, 'lr', values.lr, 0, 1, true) ?? DEFAULT_LR,
		given: {
			trees: intOption(c, 'trees', values.trees, 1, 10_000),
			lr: numberOption(c, 'lr', values.lr, 0, 1, true),
			epochs: intOption(c, 'epochs', values.epochs, 1, 10_000),
			hidden: hiddenOption(values.hidden)
		},
		bins: intOption(c, 'bins', values.bins, 2, 255) ?? DEFAULT_BINS,
		earlyStopping: model === 'gbdt' && !values['no-early-stopping'],
		save: values.save,
		sheet: values.sheet,
		decimal,
		json: values.json === true
	};
}

/** Which models each model-specific option applies to, for the usage errors. */
const OPTION_MODELS: Record<string, readonly TrainModel[]> = {
	trees: ['gbdt', 'rf', 'auto'],
	leaves: ['gbdt', 'rf', 'auto'],
	lr: ['gbdt', 'auto'],
	bins: ['gbdt', 'rf'],
	// Meaningless for a forest, but accepted there since before engine models existed.
	'no-early-stopping': ['gbdt', 'rf'],
	epochs: ['mlp', 'auto'],
	hidden: ['mlp', 'auto']
};

function checkModelOptions(model: TrainModel, values: Record<string, unknown>): void {
	for (const [option, models] of Object.entries(OPTION_MODELS)) {
		if (values[option] === undefined || models.includes(model)) continue;
		const list = models
			.map((m) => `--model ${m}`)
			.join(', ')
			.replace(/, ([^,]*)$/, ' or $1');
		throw new UsageError(
			`--${option} does not apply to --model ${model}; it is for ${list}.`,
			'train'
		);
	}
}

const MAX_LAYERS = 8;
const MAX_UNITS = 4096;

/** "32,16" → [32, 16]: one to MAX_LAYERS whole numbers of units. */
function hiddenOption(text: string | undefined): number[] | undefined {
	if (text === undefined) return undefined;
	const parts = text.split(',').map((s) => s.trim());
	const units = parts.map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
	if (
		parts.length > MAX_LAYERS ||
		!units.every((u) => Number.isInteger(u) && u >= 1 && u <= MAX_UNITS)
	) {
		throw new UsageError(
			`--hidden must list 1 to ${MAX_LAYERS} layer sizes from 1 to ${MAX_UNITS}, separated by commas (e.g. 32,16); got '${text}'.`,
			'train'
		);
	}
	return units;
}

function isEngineModel(m: TrainModel): m is EngineModel {
	return ENGINE_MODELS.includes(m);
}

function treesKept(r: SplitResult): number {
	return r.model.trees.length / r.model.nOutputs;
}

export const trainCommand: CliCommand = {
	name: 'train',
	summary: 'Train a model (gbdt, rf, linear, mlp or auto) and cross-validate it',
	help,
	async run(args: string[], io: CliIo): Promise<number> {
		const o = parse(args);
		if (!o) {
			io.stdout(help);
			return EXIT_OK;
		}
		const progress = terminalProgress(io);
		let loaded;
		try {
			loaded = await loadTable(resolvePath(io, o.data), o.data, {
				command: 'train',
				sheet: o.sheet,
				decimal: o.decimal,
				editPlan: (plan) =>
					planForTraining(plan, o.target, o.exclude, o.group === false ? undefined : o.group),
				progress: progress.report
			});
		} finally {
			progress.done();
		}
		const { plan, build } = loaded;
		const problems = fullReport(loaded);
		const data = trainingData(build.built.frame, plan, build.built.sourceRows, {
			target: o.target,
			exclude: o.exclude,
			task: o.task,
			group: o.group
		});
		if (isEngineModel(o.model)) {
			return trainWithEngine(
				{
					model: o.model,
					seed: o.seed,
					// As given: an option left out keeps the engine candidates' own settings.
					...o.given,
					leaves: o.leaves,
					data: o.data,
					folds: o.folds ?? DEFAULT_FOLDS,
					holdout: o.holdout,
					save: o.save,
					json: o.json
				},
				data,
				plan,
				problems,
				io
			);
		}
		const spec: FitSpec = {
			task: data.task,
			model: o.model,
			nClasses: data.classes?.length ?? 0,
			seed: o.seed,
			trees: o.trees,
			leaves: o.leaves,
			learningRate: o.lr,
			bins: o.bins,
			earlyStopping: o.earlyStopping
		};

		const check: { kind: 'holdout'; fraction: number } | { kind: 'cv'; plan: CvPlan } =
			o.holdout !== undefined
				? { kind: 'holdout', fraction: o.holdout }
				: { kind: 'cv', plan: planCrossValidation(data, o.folds ?? DEFAULT_FOLDS, o.seed) };
		const splits =
			check.kind === 'cv'
				? crossValidate(data.x, data.y, check.plan, spec)
				: [holdoutLast(data.x, data.y, check.fraction, spec)];
		const perSplit = splits.map((s) => ({
			n_train: s.nTrain,
			n_test: s.nTest,
			trees: treesKept(s),
			...s.scores
		}));
		const evaluation = {
			...meanScores(splits.map((s) => s.scores)),
			baseline: meanScores(splits.map((s) => s.baseline))
		};
		const json: TrainJson = {
			task: data.task,
			model: spec.model,
			target: data.target.name,
			classes: data.classes,
			rows: data.y.length,
			rows_without_target: data.unlabelled,
			features: data.features.map((f) => f.name),
			excluded: data.excluded,
			params: {
				seed: o.seed,
				trees: o.trees,
				leaves: o.leaves ?? null,
				lr: o.model === 'gbdt' ? o.lr : null,
				bins: o.bins,
				early_stopping: o.earlyStopping
			},
			train_seconds: splits.reduce((s, r) => s + r.seconds, 0),
			...(check.kind === 'holdout'
				? {
						holdout: {
							fraction: check.fraction,
							n_train: splits[0].nTrain,
							n_test: splits[0].nTest,
							// Spreadsheet rows, so "the last 20%" can be checked against the file.
							first_test_row: data.sourceRows[splits[0].nTrain],
							last_test_row: data.sourceRows[data.sourceRows.length - 1],
							trees: treesKept(splits[0]),
							...evaluation
						}
					}
				: {
						cv: {
							folds: splits.length,
							stratified: check.plan.scheme === 'stratified',
							scheme: check.plan.scheme,
							...(check.plan.group !== null ? { group: check.plan.group } : {}),
							reason: check.plan.reason,
							...evaluation,
							per_fold: perSplit
						}
					}),
			importance: meanImportance(splits.map((s) => s.model)),
			data_problems: { errors: problems.errors, warnings: problems.warnings },
			saved: null
		};

		if (o.save !== undefined) {
			const t0 = performance.now();
			const final = fitModel(data.x, data.y, spec);
			const fitSeconds = (performance.now() - t0) / 1000;
			const idColumns = plan.columns.filter((c) => c.role === 'id').map((c) => c.name);
			const saved = buildSavedModel({
				task: data.task,
				model: spec.model,
				target: savedColumn(data.target),
				classes: data.classes,
				features: final.features.map((f) => {
					const col = data.features.find((c) => c.name === f.name);
					if (!col) throw new RangeError(`Feature “${f.name}” is not a column.`);
					return savedColumn(col);
				}),
				idColumns,
				params: json.params,
				trainedRows: data.y.length,
				distributions: featureDistributions(
					data.x,
					final.features.map((f) => f.name)
				),
				trees: final
			});
			try {
				writeFileAtomically(resolvePath(io, o.save), [JSON.stringify(saved) + '\n']);
			} catch (e) {
				io.stderr(`Could not write ${o.save}: ${describeFsError(e)}. Nothing was written.\n`);
				return EXIT_FAILURE;
			}
			json.saved = { path: o.save, rows: data.y.length, fit_seconds: fitSeconds };
		}

		if (o.json) io.stdout(JSON.stringify(json) + '\n');
		else io.stdout(trainText(json, plan.file));
		if (!o.json && problems.errors > 0) {
			io.stderr(
				`Note: ${plan.file} has ${plural(problems.errors, 'validation error')}; values that did not convert were treated as missing. Run '${INVOCATION} import ${o.data}' to see them.\n`
			);
		}
		return EXIT_OK;
	}
};
