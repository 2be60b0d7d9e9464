/**
 * One-line plain-language readings of validation metrics for a teacher. Template-based: the
 * numbers are rounded for people and uncertainty is never hidden.
 */
export type Task = 'regression' | 'binary' | 'multiclass';

function round(x: number, digits = 1): string {
	if (!Number.isFinite(x)) return '—';
	const f = 10 ** digits;
	return String(Math.round(x * f) / f);
}

export function readMetrics(
	task: Task,
	target: string,
	metrics: Record<string, number>,
	baseline: Record<string, number>,
	nTest: number
): string[] {
	const lines: string[] = [];
	const held = `the ${nTest} held-out rows the model never saw during training`;
	if (task === 'regression') {
		const { mae, rmse, r2 } = metrics;
		if (Number.isFinite(mae)) {
			lines.push(
				`On ${held}, the predicted ${target} was on average ${round(mae)} off (typical error ${round(rmse)}).`
			);
		}
		if (Number.isFinite(baseline.mae)) {
			const better = baseline.mae > 0 ? 1 - mae / baseline.mae : 0;
			lines.push(
				better > 0.02
					? `That is ${Math.round(better * 100)}% smaller than guessing the class average for everyone (${round(baseline.mae)} off).`
					: `That is no better than guessing the class average for everyone (${round(baseline.mae)} off): treat these predictions with caution.`
			);
		}
		if (Number.isFinite(r2)) {
			lines.push(
				`The model explains about ${Math.max(0, Math.round(r2 * 100))}% of the differences in ${target} between students (R² ${round(r2, 2)}).`
			);
		}
	} else {
		const { accuracy, f1_weighted: f1 } = metrics;
		if (Number.isFinite(accuracy)) {
			lines.push(
				`On ${held}, the model predicted ${target} correctly for ${Math.round(accuracy * 100)}% of them.`
			);
		}
		if (Number.isFinite(baseline.accuracy)) {
			lines.push(
				accuracy - baseline.accuracy > 0.02
					? `Always guessing the most common outcome would be right for ${Math.round(baseline.accuracy * 100)}%.`
					: `Always guessing the most common outcome would do as well (${Math.round(baseline.accuracy * 100)}%): the data may not hold enough signal yet.`
			);
		}
		if (Number.isFinite(f1)) {
			lines.push(
				`Weighted F1 ${round(f1, 2)} (1 is perfect; it balances missed and false alarms per class).`
			);
		}
	}
	return lines;
}

/** How each stored metric key is named on screen. */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
	rmse: 'RMSE (typical error)',
	mae: 'MAE (average error)',
	r2: 'R² (share explained)',
	accuracy: 'Accuracy',
	balanced_accuracy: 'Balanced accuracy',
	f1_weighted: 'F1 (weighted)',
	f1_macro: 'F1 (macro)',
	log_loss: 'Log-loss',
	brier: 'Brier score',
	auc: 'ROC AUC'
};

export function metricLabel(key: string): string {
	return METRIC_LABELS[key] ?? key.replace(/_/g, ' ');
}
