/** The `train` command's result: the JSON object scripts read, and its text for people. */
import type { ExcludedColumn, Task } from './data';
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

export interface TrainJson {
	task: Task;
	model: ModelKind;
	target: string;
	classes: string[] | null;
	/** Rows used: those with a target. */
	rows: number;
	rows_without_target: number;
	features: string[];
	excluded: ExcludedColumn[];
	params: {
		seed: number;
		trees: number;
		leaves: number | null;
		lr: number | null;
		bins: number;
		early_stopping: boolean;
	};
	/** Seconds spent fitting (all folds, or the holdout fit); reading and scoring excluded. */
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
		per_fold: ({ n_train: number; n_test: number; trees: number } & Scores)[];
	};
	holdout?: Evaluation & {
		fraction: number;
		n_train: number;
		n_test: number;
		first_test_row: number;
		last_test_row: number;
		trees: number;
	};
	importance: Importance[];
	data_problems: { errors: number; warnings: number };
	saved: { path: string; rows: number; fit_seconds: number } | null;
}

const MODEL_NAMES: Record<ModelKind, string> = {
	gbdt: 'gradient-boosted trees',
	rf: 'random forest'
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

export function trainText(j: TrainJson, file: string): string {
	const out: string[] = [];
	const what =
		j.task === 'regression'
			? 'a number'
			: `${plural(j.classes?.length ?? 0, 'class', 'classes')}: ${(j.classes ?? []).join(', ')}`;
	out.push(
		`Trained ${MODEL_NAMES[j.model]} (${j.model}) to predict “${j.target}” — ${j.task}, ${what}.`
	);
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
	out.push('');
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
	out.push(
		`Fitting took ${j.train_seconds.toFixed(2)} s${j.cv ? ` over ${j.cv.folds} folds` : ''}.`
	);
	const top = j.importance.filter((i) => i.gain_share > 0).slice(0, TOP_FEATURES);
	if (top.length) {
		out.push('');
		out.push('Most important features (share of split gain):');
		out.push(
			textTable(
				['feature', 'share', 'splits'],
				top.map((i) => [i.feature, percent(i.gain_share), num(i.splits, 3)])
			)
		);
	} else out.push('The model made no splits: the features did not help predict the target.');
	if (j.saved) {
		out.push('');
		out.push(
			`Saved the model, refitted on all ${plural(j.saved.rows, 'row')}, to ${j.saved.path}.`
		);
	}
	return out.join('\n') + '\n';
}
