/**
 * What the /monitor page shows, kept out of the components so the rules (which columns to
 * suggest, how a logged output reads, what a date filter covers, which scores sit side by side)
 * are in one place and unit-tested.
 */
import type {
	DatasetRecord,
	ModelRecord,
	OutcomeCheckRecord,
	PredictionLogEntry
} from '$lib/db/types';
import type { PredictionLogFilter } from '$lib/db/prediction-log';
import { formatInt, formatNum, formatPct } from '$lib/format';
import type { TargetDerivation } from '$lib/ml/train/types';

/** "final_exam · Demo class — v2 (active)". */
export function modelLabel(m: ModelRecord, datasetName: string | null | undefined): string {
	return `${m.target} · ${datasetName ?? 'a deleted dataset'} — v${m.version}${m.active ? ' (active)' : ''}`;
}

/** The derivation of a model's target (a grade or pass/fail from a mark), when it has one. */
export function derivationOf(m: Pick<ModelRecord, 'artifact'>): TargetDerivation | null {
	const a = m.artifact as { derive?: TargetDerivation | null } | null;
	return a && typeof a === 'object' && a.derive ? a.derive : null;
}

/** The model's classes, from the training summary or the artifact. */
export function classesOf(m: ModelRecord): string[] {
	if (m.task === 'regression') return [];
	const a = m.artifact as { classes?: unknown } | null;
	const fromArtifact = Array.isArray(a?.classes)
		? a.classes.filter((c): c is string => typeof c === 'string')
		: [];
	return m.training?.classes ?? fromArtifact;
}

/** The student id column to suggest: role id, then group, then the first identifier. */
export function suggestIdColumn(d: Pick<DatasetRecord, 'columns'>): string {
	return (
		d.columns.find((c) => c.role === 'id')?.name ??
		d.columns.find((c) => c.role === 'group')?.name ??
		d.columns.find((c) => c.type === 'identifier')?.name ??
		d.columns[0]?.name ??
		''
	);
}

const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/**
 * The results column to suggest: one named like the model's target (or the mark a derived target
 * comes from), then the dataset's target, then the first numeric column that is not the id.
 */
export function suggestValueColumn(
	d: Pick<DatasetRecord, 'columns' | 'target'>,
	m: Pick<ModelRecord, 'target' | 'artifact'> | null,
	idColumn: string
): string {
	const names = d.columns.map((c) => c.name).filter((n) => n !== idColumn);
	const wanted = m ? [m.target, derivationOf(m)?.source].filter((x): x is string => !!x) : [];
	for (const w of wanted) {
		const hit = names.find((n) => norm(n) === norm(w));
		if (hit) return hit;
	}
	if (d.target && names.includes(d.target)) return d.target;
	return d.columns.find((c) => c.kind === 'numeric' && c.name !== idColumn)?.name ?? names[0] ?? '';
}

/** A logged prediction's output in a few words. */
export function outputText(e: Pick<PredictionLogEntry, 'output'>): string {
	const o = e.output;
	if ('rows' in o) return `${formatInt(o.rows)} rows, ${formatInt(o.atRisk)} at risk`;
	if (o.predicted !== undefined) {
		const p = o.proba?.[o.predicted];
		return p === undefined ? o.predicted : `${o.predicted} (${formatPct(p)})`;
	}
	if (o.value !== undefined) {
		const range =
			o.lower !== undefined && o.upper !== undefined
				? ` (${formatNum(o.lower, 1)}–${formatNum(o.upper, 1)})`
				: '';
		return `${formatNum(o.value, 1)}${range}`;
	}
	return '—';
}

/** Milliseconds as the log shows them: "0.4", "12", "1,250". */
export function latencyText(ms: number): string {
	if (!Number.isFinite(ms)) return '—';
	return ms < 10 ? formatNum(ms, 1) : formatInt(ms);
}

/** Local midnight of an `<input type="date">` value (YYYY-MM-DD), or undefined when empty. */
export function dayStart(value: string): number | undefined {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!m) return undefined;
	return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

/** The log filter for the page's controls; "to" includes the whole of its day. */
export function logFilter(f: {
	modelId: string;
	kind: string;
	from: string;
	to: string;
}): PredictionLogFilter {
	const out: PredictionLogFilter = {};
	if (f.modelId) out.modelId = f.modelId;
	if (f.kind === 'single' || f.kind === 'batch') out.kind = f.kind;
	const from = dayStart(f.from);
	const toDay = dayStart(f.to);
	if (from !== undefined) out.from = from;
	if (toDay !== undefined) {
		const d = new Date(toDay);
		out.to = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
	}
	return out;
}

/** "prediction-log-2025-03-14.csv" (the local date of the export). */
export function logFileName(now: Date = new Date()): string {
	const p = (n: number) => String(n).padStart(2, '0');
	return `prediction-log-${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}.csv`;
}

export interface MetricRow {
	key: string;
	label: string;
	/** Lower is better (errors) or higher is better (accuracy). */
	better: 'lower' | 'higher';
	real: number | undefined;
	validated: number | undefined;
}

const REGRESSION_ROWS: [string, string, 'lower' | 'higher'][] = [
	['rmse', 'RMSE (typical error)', 'lower'],
	['mae', 'Mean absolute error', 'lower'],
	['coverage90', 'Results inside the 90% range', 'higher'],
	['bias', 'Average over- (+) or under-prediction (−)', 'lower'],
	['r2', 'R²', 'higher']
];

const CLASSIFICATION_ROWS: [string, string, 'lower' | 'higher'][] = [
	['accuracy', 'Accuracy', 'higher'],
	['balanced_accuracy', 'Balanced accuracy', 'higher'],
	['brier_macro', 'Brier score (all classes)', 'lower'],
	['brier_risk', 'Brier score of the risk class', 'lower'],
	['log_loss', 'Log loss', 'lower'],
	['ece_risk', 'Calibration error of the risk class', 'lower']
];

/** Real and validated scores side by side; rows the check has no value for are left out. */
export function metricRows(c: OutcomeCheckRecord): MetricRow[] {
	const rows =
		c.task === 'regression' || c.primary === 'rmse' ? REGRESSION_ROWS : CLASSIFICATION_ROWS;
	return rows
		.filter(([k]) => c.metrics[k] !== undefined)
		.map(([key, label, better]) => ({
			key,
			label,
			better,
			real: c.metrics[key],
			// The 90 % interval promises 90 % coverage by construction.
			validated: key === 'coverage90' ? 0.9 : c.validated[key]
		}));
}

/** A score as the tables show it: shares as percentages, the rest with 2–3 decimals. */
export function metricText(key: string, v: number | undefined): string {
	if (v === undefined || !Number.isFinite(v)) return '—';
	if (key === 'accuracy' || key === 'balanced_accuracy' || key === 'coverage90') {
		return formatPct(v, 1);
	}
	return formatNum(v, key.startsWith('brier') || key === 'ece_risk' ? 3 : 2);
}

/** The primary metric's name for axes and headers. */
export function primaryLabel(primary: string | undefined): string {
	return primary === 'accuracy' ? 'Accuracy' : 'RMSE';
}
