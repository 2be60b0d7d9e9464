/**
 * The at-risk list as plain rows for a table or a CSV: who, what the model predicts with its
 * uncertainty, how the row was judged and why, most at risk first. Numbers arrive rounded for
 * people; chances never read as certainties ("over 99%", not "100%").
 */
import { formatNum } from '../../format';
import type { Factor } from '../explain/types';
import type { ArtifactPrediction } from '../train/predict';
import type { RiskModel, RiskPolicy } from './policy';
import type { RiskScores } from './score';

export interface RiskTableRow {
	/** 1 = most at risk. */
	rank: number;
	/** Index of the row in the prediction. */
	row: number;
	/** The student id, or "Row n" (1-based) without one. */
	id: string;
	/** The predicted mark (rounded) or class. */
	prediction: string;
	/** Regression: the 90 % interval, e.g. "35–52"; null without residual quantiles. */
	interval: string | null;
	/** Classification: P(risk class). Regression: approximate P(mark < pass mark), if known. */
	probability: number | null;
	/** As RiskScores.risk. */
	risk: number;
	/** How the row was judged, in words. */
	riskText: string;
	atRisk: boolean;
	/** The reasons as one text (sentences joined by spaces); "" when none were asked for. */
	reasons: string;
}

export interface RiskRowsOptions {
	/** Student id per prediction row, or a function of the row. */
	ids?: ArrayLike<string | number> | ((row: number) => string | null);
	/** Reasons per prediction row: factors (their sentences are joined) or a text. */
	reasons?: (row: number) => Factor[] | string | null | undefined;
	/** Only the flagged rows (default true). */
	onlyAtRisk?: boolean;
	/** At most this many rows. */
	limit?: number;
}

function rounded(v: number): string {
	const a = Math.abs(v);
	return formatNum(v, a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

/** "63%", but "over 99%" / "under 1%" at the ends: a model is never certain. */
export function chanceText(p: number): string {
	if (!Number.isFinite(p)) return 'unknown';
	if (p > 0.99) return 'over 99%';
	if (p < 0.01) return 'under 1%';
	return `${Math.round(p * 100)}%`;
}

function idOf(opts: RiskRowsOptions, row: number): string {
	const ids = opts.ids;
	let v: string | number | null | undefined;
	if (typeof ids === 'function') v = ids(row);
	else if (ids) v = ids[row];
	if (v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v)))
		return `Row ${row + 1}`;
	return String(v);
}

function reasonText(opts: RiskRowsOptions, row: number): string {
	const r = opts.reasons?.(row);
	if (!r) return '';
	return typeof r === 'string' ? r : r.map((f) => f.text).join(' ');
}

export function atRiskRows(
	prediction: ArtifactPrediction,
	scores: RiskScores,
	model: RiskModel,
	policy: RiskPolicy,
	opts: RiskRowsOptions = {}
): RiskTableRow[] {
	const onlyAtRisk = opts.onlyAtRisk ?? true;
	const limit = opts.limit ?? Infinity;
	const classes = prediction.classes ?? model.classes;
	const K = classes?.length ?? 0;
	const k = policy.mode === 'probability-above' && classes ? classes.indexOf(policy.riskClass) : -1;
	const out: RiskTableRow[] = [];
	for (let i = 0; i < scores.order.length && out.length < limit; i++) {
		const r = scores.order[i];
		const flagged = scores.atRisk[r] === 1;
		if (onlyAtRisk && !flagged) break;
		const v = prediction.values[r];
		let predictionText: string;
		let interval: string | null = null;
		let probability: number | null = null;
		let riskText: string;
		if (policy.mode === 'mark-below') {
			predictionText = Number.isFinite(v) ? rounded(v) : 'no prediction';
			const lo = prediction.lower?.[r];
			const hi = prediction.upper?.[r];
			if (lo !== undefined && hi !== undefined && Number.isFinite(lo) && Number.isFinite(hi)) {
				interval = `${rounded(lo)}–${rounded(hi)}`;
			}
			const p = scores.pBelow?.[r];
			probability = p !== undefined && Number.isFinite(p) ? p : null;
			const pass = rounded(policy.passMark);
			const gap = scores.risk[r];
			riskText = !Number.isFinite(gap)
				? 'no prediction'
				: gap > 0
					? `predicted ${rounded(gap)} below the pass mark of ${pass}`
					: gap < 0
						? `predicted ${rounded(-gap)} above the pass mark of ${pass}`
						: `predicted at the pass mark of ${pass}`;
			if (probability !== null) {
				riskText += `; approximate chance of a mark below ${pass}: ${chanceText(probability)}`;
			}
		} else {
			predictionText = classes && Number.isFinite(v) ? classes[v] : 'no prediction';
			const p = prediction.proba && k >= 0 ? prediction.proba[r * K + k] : NaN;
			probability = Number.isFinite(p) ? p : null;
			riskText =
				probability === null
					? 'no prediction'
					: `${chanceText(probability)} chance of '${policy.riskClass}' (flagged from ${Math.round(policy.level * 100)}%)`;
		}
		out.push({
			rank: i + 1,
			row: r,
			id: idOf(opts, r),
			prediction: predictionText,
			interval,
			probability,
			risk: scores.risk[r],
			riskText,
			atRisk: flagged,
			reasons: reasonText(opts, r)
		});
	}
	return out;
}
