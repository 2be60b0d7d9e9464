/**
 * `train --model linear|mlp|auto`: the app's training engine (src/lib/ml/train) run on the CLI's
 * TrainingData, so the command line and the app fit, cross-validate and select models the same
 * way. The CLI keeps its own choice of validation (planCrossValidation, or the file-order
 * holdout) and hands it to the engine as a scheme over extra columns of the engine's frame: the
 * student codes for grouped folds, the row order for the holdout. The report then speaks the
 * tree path's JSON, so scripts read one contract whatever the model.
 */
import {
	categoricalColumn,
	makeFrame,
	MISSING_CODE,
	numericColumn,
	type Column,
	type Frame
} from '../../lib/ml/frame';
import { encodeClasses, fitClasses, labelledRows } from '../../lib/ml/preprocess';
import type { CancelToken, ProgressFn } from '../../lib/ml/progress';
import {
	needsTf,
	planValidation,
	trainModels,
	type CandidateResult,
	type Family,
	type FamilyParams,
	type TrainOutcome,
	type TrainRequest,
	type ValidationSpec
} from '../../lib/ml/train';
import type { Fold } from '../../lib/ml/validation';
import type { Tf } from '../../lib/ml/nn/tf';
import type { NodeBackend } from '../tf';
import type { TrainingData } from './data';
import type { CvPlan, Scores } from './evaluate';
import type { TrainJson } from './report';

export type EngineModel = 'mlp' | 'linear' | 'auto';

/** The families each engine model scores (the engine always adds the baseline). */
export const ENGINE_FAMILIES: Record<EngineModel, Family[]> = {
	linear: ['linear'],
	mlp: ['mlp'],
	auto: ['linear', 'rf', 'gbdt', 'mlp']
};

export function engineNeedsTf(model: EngineModel): boolean {
	return ENGINE_FAMILIES[model].some(needsTf);
}

/** How `train` checks the model: CV folds as planned by the CLI, or the last rows of the file. */
export type EngineCheck =
	{ kind: 'cv'; plan: CvPlan; k: number } | { kind: 'holdout'; fraction: number };

export interface EngineOptions {
	model: EngineModel;
	seed: number;
	/** Network options; given ones fix auto mode's networks to one setting too. */
	epochs?: number;
	hidden?: number[];
	/** Tree options, used by auto mode's gbdt and rf candidates. */
	trees?: number;
	leaves?: number;
	lr?: number;
}

export interface EngineRun {
	outcome: TrainOutcome;
	/** The candidate reported as "the model": the chosen family's, or auto mode's selection. */
	chosen: CandidateResult;
	baseline: CandidateResult;
	/** The engine's folds over the rows of `data` (recomputed exactly as it made them). */
	folds: Fold[];
}

/** `base`, or `base (2)`, … — a name no column in `taken` has. */
function freeName(base: string, taken: ReadonlySet<string>): string {
	let name = base;
	for (let i = 2; taken.has(name); i++) name = `${base} (${i})`;
	return name;
}

/**
 * The engine's input: the feature columns plus the target, named as the target — its values for
 * regression, else the class labels (as numbers when the target was read as numbers, so the
 * engine orders the classes as the CLI does: 1, 2, …, 10 rather than "1", "10", "2").
 */
export function engineFrame(data: TrainingData, extra: Column[] = []): Frame {
	const name = data.target.name;
	let target: Column;
	if (!data.classes) target = numericColumn(name, Float64Array.from(data.y));
	else {
		const labels = data.classes;
		const numeric = data.target.type === 'integer' || data.target.type === 'number';
		target = numeric
			? numericColumn(
					name,
					Float64Array.from(data.y, (k) => Number(labels[k])),
					data.target.type === 'integer' ? 'integer' : 'number'
				)
			: categoricalColumn(
					name,
					Array.from(data.y, (k) => labels[k])
				);
	}
	return makeFrame([...data.x.columns, target, ...extra]);
}

/** The CLI's validation as an engine spec, with the column(s) it needs. */
function validationSpec(
	data: TrainingData,
	check: EngineCheck,
	taken: Set<string>
): { spec: ValidationSpec; extra: Column[] } {
	const n = data.y.length;
	if (check.kind === 'holdout') {
		// File order is the time axis: one "period" per row, so the last rows are the test rows.
		const time = freeName('(row order)', taken);
		return {
			spec: { scheme: 'time-holdout', k: 1, group: null, time, timeFraction: check.fraction },
			extra: [
				numericColumn(
					time,
					Float64Array.from({ length: n }, (_, i) => i),
					'integer'
				)
			]
		};
	}
	const { plan, k } = check;
	if (plan.scheme === 'grouped' && data.groups) {
		const codes = data.groups.codes;
		const group = freeName(data.groups.name, taken);
		return {
			spec: { scheme: 'group-kfold', k, group, time: null },
			extra: [
				numericColumn(
					group,
					Float64Array.from(codes, (c) => (c === MISSING_CODE ? NaN : c))
				)
			]
		};
	}
	const scheme = plan.scheme === 'stratified' ? 'stratified-kfold' : 'kfold';
	return { spec: { scheme, k, group: null, time: null }, extra: [] };
}

function familyParams(o: EngineOptions): FamilyParams {
	const params: FamilyParams = {};
	const mlp: NonNullable<FamilyParams['mlp']> = {};
	if (o.epochs !== undefined) mlp.epochs = o.epochs;
	if (o.hidden !== undefined) mlp.hidden = o.hidden;
	if (Object.keys(mlp).length) params.mlp = mlp;
	if (o.model === 'auto') {
		const gbdt: NonNullable<FamilyParams['gbdt']> = {};
		const rf: NonNullable<FamilyParams['rf']> = {};
		if (o.trees !== undefined) gbdt.rounds = rf.trees = o.trees;
		if (o.leaves !== undefined) gbdt.maxLeaves = rf.maxLeaves = o.leaves;
		if (o.lr !== undefined) gbdt.learningRate = o.lr;
		if (Object.keys(gbdt).length) params.gbdt = gbdt;
		if (Object.keys(rf).length) params.rf = rf;
	}
	return params;
}

export async function runEngine(
	data: TrainingData,
	check: EngineCheck,
	o: EngineOptions,
	deps: { tf?: Tf; progress: ProgressFn; cancel: CancelToken }
): Promise<EngineRun> {
	const taken = new Set([...data.x.columns.map((c) => c.name), data.target.name]);
	const { spec, extra } = validationSpec(data, check, taken);
	const frame = engineFrame(data, extra);
	const request: TrainRequest = {
		target: data.target.name,
		task: data.task,
		features: data.x.columns.map((c) => c.name),
		families: ENGINE_FAMILIES[o.model],
		auto: o.model === 'auto',
		validation: spec,
		classWeight: 'none',
		seed: o.seed,
		params: familyParams(o)
	};
	const outcome = await trainModels(frame, request, deps);
	const folds = engineFolds(frame, request, outcome);
	const baseline = outcome.leaderboard.find((c) => c.family === 'baseline');
	const family = ENGINE_FAMILIES[o.model];
	const chosen =
		o.model === 'auto'
			? outcome.leaderboard[outcome.selected]
			: outcome.leaderboard.find((c) => c.family === family[0]);
	if (!baseline || !chosen) throw new Error('The training engine left a candidate out.');
	return { outcome, chosen, baseline, folds };
}

/**
 * The folds trainModels validated on. It does not return them, but they are a pure function of
 * the same inputs, so planning again with those inputs gives them exactly (checked by count).
 */
function engineFolds(frame: Frame, req: TrainRequest, outcome: TrainOutcome): Fold[] {
	const rows = labelledRows(frame, req.target);
	// Every row of TrainingData has its target, so fold indices are rows of `data` too.
	if (rows.length !== frame.nRows) throw new Error('The engine saw rows without a target.');
	const task = outcome.task;
	const labels =
		task === 'regression'
			? null
			: Float64Array.from(
					encodeClasses(
						fitClasses(frame, req.target, rows, { numericAsClasses: true }),
						frame,
						req.target,
						rows
					)
				);
	const plan = planValidation(frame, req.validation, task, rows, labels, req.seed);
	const k = outcome.leaderboard[0]?.folds.length;
	if (plan.used.k !== outcome.validation.k || plan.folds.length !== k) {
		throw new Error('The validation folds could not be reproduced.');
	}
	return plan.folds;
}

/** The three scores the tree path reports, from an engine metrics record. */
export function pickScores(data: Pick<TrainingData, 'task'>, m: Record<string, number>): Scores {
	return data.task === 'regression'
		? { rmse: m.rmse, mae: m.mae, r2: m.r2 }
		: { accuracy: m.accuracy, f1_weighted: m.f1_weighted, log_loss: m.log_loss };
}

/** The engine's parameter names (learningRate) in the JSON's style (learning_rate); C stays C. */
function snakeCase<T>(params: Record<string, T>): Record<string, T> {
	return Object.fromEntries(
		Object.entries(params).map(([k, v]) => [
			k.replace(/(?<=[a-z])[A-Z]/g, (c) => `_${c.toLowerCase()}`),
			v
		])
	);
}

/** The tree path's JSON for an engine run (see TrainJson for the differences). */
export function engineTrainJson(
	data: TrainingData,
	check: EngineCheck,
	run: EngineRun,
	o: EngineOptions & { backend?: NodeBackend; problems: { errors: number; warnings: number } }
): TrainJson {
	const { outcome, chosen, baseline, folds } = run;
	const evaluation = {
		...pickScores(data, chosen.mean),
		baseline: pickScores(data, baseline.mean)
	};
	const json: TrainJson = {
		task: data.task,
		model: o.model,
		target: data.target.name,
		classes: outcome.classes,
		rows: data.y.length,
		rows_without_target: data.unlabelled,
		features: data.features.map((f) => f.name),
		excluded: data.excluded,
		params: { seed: o.seed, ...snakeCase(chosen.params) },
		train_seconds: o.model === 'auto' ? outcome.trainSeconds : chosen.seconds,
		...(check.kind === 'holdout'
			? {
					holdout: {
						fraction: check.fraction,
						n_train: folds[0].train.length,
						n_test: folds[0].test.length,
						// Spreadsheet rows of the engine's actual test rows (the last ones, in order).
						first_test_row: data.sourceRows[folds[0].test[0]],
						last_test_row: data.sourceRows[folds[0].test[folds[0].test.length - 1]],
						...evaluation
					}
				}
			: {
					cv: {
						folds: folds.length,
						stratified: check.plan.scheme === 'stratified',
						scheme: check.plan.scheme,
						...(check.plan.group !== null ? { group: check.plan.group } : {}),
						reason: check.plan.reason,
						...evaluation,
						per_fold: folds.map((f, i) => ({
							n_train: f.train.length,
							n_test: f.test.length,
							...pickScores(data, chosen.folds[i])
						}))
					}
				}),
		importance: outcome.diagnostics.importance.map((i) => ({
			feature: i.feature,
			share: i.share
		})),
		data_problems: o.problems,
		saved: null
	};
	if (o.model === 'auto') {
		json.selected = chosen.family;
		json.leaderboard = outcome.leaderboard.map((c) => ({
			family: c.family,
			label: c.label,
			score: c.score,
			seconds: c.seconds
		}));
	}
	if (o.backend) json.backend = o.backend;
	return json;
}
