/**
 * The at-risk list as CSV: one row per student, most at risk first, with the reasons and next
 * steps as text. Every text cell goes through the formula guard, so a student id or a reason
 * starting with "=" cannot run as a spreadsheet formula. Pure, so it is unit-tested.
 */
import { neutraliseFormula, quoteField } from '$lib/data/csv-write';
import type { AtRiskRow, BatchResult } from '$lib/ml/predict/types';

const cell = (s: string) => quoteField(neutraliseFormula(s));
const num = (v: number | null, digits: number) =>
	v === null || !Number.isFinite(v) ? '' : String(Math.round(v * 10 ** digits) / 10 ** digits);

export function atRiskCsv(result: BatchResult, rows: AtRiskRow[]): string {
	const regression = result.policy.mode === 'mark-below';
	// Long-format data scores a row per student × term × subject: say which row.
	const withContext = rows.some((r) => r.context !== '');
	const header = [
		'rank',
		'student',
		...(withContext ? ['context'] : []),
		'prediction',
		...(regression ? ['lower_90', 'upper_90', 'p_below_pass_mark'] : ['p_risk']),
		'at_risk',
		'reasons',
		'next_steps'
	];
	const lines = [header.join(',')];
	rows.forEach((r, i) => {
		lines.push(
			[
				String(i + 1),
				cell(r.student),
				...(withContext ? [cell(r.context)] : []),
				cell(r.prediction),
				...(regression
					? [num(r.lower, 2), num(r.upper, 2), num(r.probability, 3)]
					: [num(r.probability, 3)]),
				r.atRisk ? 'yes' : 'no',
				cell(r.reasons.join(' | ')),
				cell(r.recommendations.map((x) => x.title).join(' | '))
			].join(',')
		);
	});
	return lines.join('\r\n') + '\r\n';
}

export function atRiskFileName(result: BatchResult): string {
	const safe = result.datasetName.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'class';
	return `at-risk-${safe}.csv`;
}
