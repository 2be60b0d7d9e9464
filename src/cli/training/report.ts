/** The `train` command's result: the JSON object scripts read, and its text for people. */
import type { Family } from '../../lib/ml/train';
import type { NodeBackend } from '../tf';
import type { ExcludedColumn, Task } from './data';
import type { EngineModel } from './engine';
import type {
	ClassificationScores,
	CvScheme,
	Importance,
	ModelKind,
	RegressionScores,
	Scores
} from './evaluate';
import { num, percent, plural, textTable } from '../format';

type Evaluation = Scores & { baseline: Scores };

export type TrainModel = ModelKind | EngineModel;

/** The tree path's options, as given (or defaulted). */
export type TreeParams = {
	seed: number;
	trees: number;
	leaves: number | null;
	lr: number | null;
	bins: number;
	early_stopping: boolean;
};

/**
 * Engine models: the seed and the reported candidate's parameters, snake_case (alpha, C,
 * hidden = layer sizes, dropout, epochs, learning_rate, rounds, max_leaves, …).
 */
export type EngineParams = { seed: number } & Record<
	string,
	number | string | boolean | number[] | null
>;

/**
 * Tree models report each feature's share of split gain (and its splits); engine models its
 * share of the selected model's importance (tree gain, |standardised coefficient| or, for a
 * network, permutation importance), fitted on all rows.
 */
export type ImportanceRow =
	| (Importance & { share?: never })
	| { feature: string; share: number; gain_share?: never; splits?: never };

export interface LeaderboardRow {
	family: Family;
	label: string;
	/** Cross-validated RMSE (lower is better) or weighted F1 (higher is better). */
	score: number;
	/** Fitting time summed over the folds. */
	seconds: number;
}

export interface TrainJson {
	task: Task;
	model: TrainModel;
	target: string;
	classes: string[] | null;
	/** Rows used: those with a target. */
	rows: number;
	rows_without_target: number;
	features: string[];
	excluded: ExcludedColumn[];
	params: TreeParams | EngineParams;
	/**
	 * Seconds spent fitting (all folds, or the holdout fit); reading and scoring excluded. For
	 * --model auto, the whole engine run (every candidate, the final fit and the diagnostics).
	 */
	train_seconds: number;
	cv?: Evaluation & {
		folds: number;
		/** True for the stratified scheme only (kept from before `scheme` existed). */
		stratified: boolean;
		scheme: CvScheme;
		/** The column whose rows stay in one fold; present only when grouped. */
		group?: string;
		/** One sentence on why this scheme was used. */
		reason: string;
		/** `trees` (kept per fold) for tree models only. */
		per_fold: ({ n_train: number; n_test: number; trees?: number } & Scores)[];
	};
	holdout?: Evaluation & {
		fraction: number;
		n_train: number;
		n_test: number;
		first_test_row: number;
		last_test_row: number;
		trees?: number;
	};
	importance: ImportanceRow[];
	data_problems: { errors: number; warnings: number };
	/** fit_seconds is null for engine models: their refit on all rows is part of the run. */
	saved: { path: string; rows: number; fit_seconds: number | null } | null;
	/** --model auto: the family selected, and every candidate scored (baseline included), best first. */
	selected?: Family;
	leaderboard?: LeaderboardRow[];
	/** The TensorFlow.js backend, when a network was trained. */
	backend?: NodeBackend;
}

/** What the text report says beyond the JSON. */
export interface TrainNotes {
	/** Why auto mode selected its model. */
	selectionReason?: string;
	/** Why TensorFlow.js is not on its preferred backend. */
	backendFallback?: string;
}

const MODEL_NAMES: Record<TrainModel, string> = {
	gbdt: 'gradient-boosted trees',
	rf: 'random forest',
	linear: 'a linear model',
	mlp: 'a neural network',
	auto: 'and compared models automatically'
};

const FAMILY_NAMES: Record<Family, string> = {
	baseline: 'baseline',
	linear: 'linear model',
	rf: 'random forest',
	gbdt: 'gradient-boosted trees',
	mlp: 'neural network'
};

const TOP_FEATURES = 10;

function scoreRows(e: Evaluation, task: Task): string[][] {
	if (task === 'regression') {
		const m = e as RegressionScores & { baseline: RegressionScores };
		return [
			['RMSE', num(m.rmse), num(m.baseline.rmse)],
			['MAE', num(m.mae), num(m.baseline.mae)],
			['R²', num(m.r2, 3), num(m.baseline.r2, 3)]
		];
	}
	const m = e as ClassificationScores & { baseline: ClassificationScores };
	return [
		['accuracy', percent(m.accuracy), percent(m.baseline.accuracy)],
		['F1 (weighted)', num(m.f1_weighted, 3), num(m.baseline.f1_weighted, 3)],
		['log loss', num(m.log_loss, 3), num(m.baseline.log_loss, 3)]
	];
}

function leaderboardText(j: TrainJson, board: LeaderboardRow[]): string[] {
	const regression = j.task === 'regression';
	const metric = regression ? 'RMSE' : 'F1 (weighted)';
	return [
		`Candidates, best first (${j.cv ? 'cross-validated' : 'holdout'} ${metric}, ${regression ? 'lower' : 'higher'} is better):`,
		textTable(
			['', 'family', 'model', metric, 'fit time'],
			board.map((c, i) => [
				String(i + 1),
				c.family,
				c.label,
				num(c.score, regression ? 4 : 3),
				`${c.seconds.toFixed(2)} s`
			])
		)
	];
}

function importanceText(j: TrainJson): string[] {
	const engine = j.importance.some((i) => i.share !== undefined);
	if (engine) {
		const top = j.importance.filter((i) => (i.share ?? 0) > 0).slice(0, TOP_FEATURES);
		if (!top.length) return ['No feature carried any importance in the model.'];
		return [
			'',
			'Most important features (share of importance, model fitted on all rows):',
			textTable(
				['feature', 'share'],
				top.map((i) => [i.feature, percent(i.share ?? 0)])
			)
		];
	}
	const top = j.importance.filter((i) => (i.gain_share ?? 0) > 0).slice(0, TOP_FEATURES);
	if (!top.length)
		return ['The model made no splits: the features did not help predict the target.'];
	return [
		'',
		'Most important features (share of split gain):',
		textTable(
			['feature', 'share', 'splits'],
			top.map((i) => [i.feature, percent(i.gain_share ?? 0), num(i.splits, 3)])
		)
	];
}

export function trainText(j: TrainJson, file: string, notes: TrainNotes = {}): string {
	const out: string[] = [];
	const what =
		j.task === 'regression'
			? 'a number'
			: `${plural(j.classes?.length ?? 0, 'class', 'classes')}: ${(j.classes ?? []).join(', ')}`;
	if (j.model === 'auto') {
		const picked = j.selected ? ` — selected ${FAMILY_NAMES[j.selected]} (${j.selected})` : '';
		out.push(`Compared models (auto) to predict “${j.target}” — ${j.task}, ${what}${picked}.`);
	} else {
		out.push(
			`Trained ${MODEL_NAMES[j.model]} (${j.model}) to predict “${j.target}” — ${j.task}, ${what}.`
		);
	}
	out.push(
		`Data: ${file}, ${plural(j.rows, 'row')}` +
			(j.rows_without_target
				? ` (${plural(j.rows_without_target, 'row')} without a target left out)`
				: '') +
			`, ${plural(j.features.length, 'feature')}.`
	);
	if (j.excluded.length) {
		out.push(`Left out: ${j.excluded.map((e) => `${e.name} (${e.reason})`).join(', ')}.`);
	}
	if (j.backend) {
		out.push(
			`Neural networks ran on TensorFlow.js, ${j.backend} backend` +
				(notes.backendFallback ? ` (${notes.backendFallback}).` : '.')
		);
	}
	out.push('');
	if (j.leaderboard) {
		out.push(...leaderboardText(j, j.leaderboard));
		if (notes.selectionReason) out.push(notes.selectionReason);
		out.push('');
	}
	let e: Evaluation;
	if (j.cv) {
		e = j.cv;
		const how =
			j.cv.scheme === 'grouped'
				? `, grouped by ${j.cv.group ?? 'group'}`
				: j.cv.scheme === 'stratified'
					? ', stratified by class'
					: '';
		out.push(j.cv.reason);
		out.push(`${j.cv.folds}-fold cross-validation${how} (seed ${j.params.seed}), mean over folds:`);
	} else if (j.holdout) {
		e = j.holdout;
		out.push(
			`Holdout: trained on the first ${plural(j.holdout.n_train, 'row')}, tested on the last ${plural(j.holdout.n_test, 'row')} (file rows ${j.holdout.first_test_row}–${j.holdout.last_test_row}):`
		);
	} else throw new RangeError('No evaluation to report.');
	const baseline = j.task === 'regression' ? 'predicting the mean' : 'class frequencies only';
	out.push(textTable(['', 'model', `baseline (${baseline})`], scoreRows(e, j.task)));
	out.push('');
	if (j.model === 'auto') {
		out.push(
			`The whole run took ${j.train_seconds.toFixed(2)} s (${plural(j.leaderboard?.length ?? 0, 'candidate')}, the final fit on all rows and its diagnostics).`
		);
	} else {
		out.push(
			`Fitting took ${j.train_seconds.toFixed(2)} s${j.cv ? ` over ${j.cv.folds} folds` : ''}.`
		);
	}
	out.push(...importanceText(j));
	if (j.saved) {
		out.push('');
		out.push(
			`Saved the model, refitted on all ${plural(j.saved.rows, 'row')}, to ${j.saved.path}.`
		);
	}
	return out.join('\n') + '\n';
}
