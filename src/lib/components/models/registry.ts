/**
 * What the registry page shows about a model version, kept out of the components so the rules
 * (which metric is the headline, which value is best, what a delete does to the active version)
 * live in one place. Old quick models have holdout metrics and no training summary; models from
 * the training engine have cross-validated metrics and a leaderboard.
 */
import type { ModelRecord } from '$lib/db/types';
import { isModelArtifact, isQuickArtifact } from '$lib/ml/train/model-file';
import { formatInt, formatNum } from '$lib/format';

export interface ModelGroup {
	/** Unique per dataset + target and safe in an element id. */
	key: string;
	datasetId: string;
	target: string;
	/** Null when the dataset was deleted but its models were kept. */
	datasetName: string | null;
	/** Oldest (v1) first. */
	versions: ModelRecord[];
	active: ModelRecord | undefined;
}

/** One group per dataset + target; the most recently changed group first. */
export function groupModels(models: ModelRecord[], names: Map<string, string>): ModelGroup[] {
	const byKey = new Map<string, ModelRecord[]>();
	for (const m of models) {
		// Also used in element ids, so no whitespace.
		const k = `${m.datasetId}--${encodeURIComponent(m.target)}`;
		const list = byKey.get(k);
		if (list) list.push(m);
		else byKey.set(k, [m]);
	}
	const groups = [...byKey.entries()].map(([key, ms]) => {
		const versions = [...ms].sort((a, b) => a.version - b.version);
		return {
			key,
			datasetId: versions[0].datasetId,
			target: versions[0].target,
			datasetName: names.get(versions[0].datasetId) ?? null,
			versions,
			active: versions.find((v) => v.active)
		};
	});
	const newest = (g: ModelGroup) => Math.max(...g.versions.map((v) => v.createdAt));
	return groups.sort((a, b) => newest(b) - newest(a));
}

const FAMILY_LABELS: Record<string, string> = {
	baseline: 'Baseline',
	linear: 'Linear model',
	ridge: 'Ridge regression',
	logistic: 'Logistic regression',
	gbdt: 'Gradient boosting',
	rf: 'Random forest',
	'random-forest': 'Random forest',
	mlp: 'Neural network'
};

export function familyLabel(m: Pick<ModelRecord, 'family' | 'artifact'>): string {
	if (isQuickArtifact(m.artifact)) return 'Quick neural network';
	const a = m.artifact;
	if (isModelArtifact(a) && a.model.family === 'linear') {
		return a.model.kind === 'ridge' ? 'Ridge regression' : 'Logistic regression';
	}
	return FAMILY_LABELS[m.family] ?? m.family;
}

export function isGbdt(m: Pick<ModelRecord, 'artifact'>): boolean {
	return isModelArtifact(m.artifact) && m.artifact.model.family === 'gbdt';
}

type Direction = 'lower' | 'higher' | null;

const METRICS: Record<string, { label: string; better: Direction }> = {
	rmse: { label: 'RMSE', better: 'lower' },
	mae: { label: 'MAE', better: 'lower' },
	r2: { label: 'R²', better: 'higher' },
	accuracy: { label: 'Accuracy', better: 'higher' },
	balanced_accuracy: { label: 'Balanced accuracy', better: 'higher' },
	f1_weighted: { label: 'F1 (weighted)', better: 'higher' },
	precision_weighted: { label: 'Precision (weighted)', better: 'higher' },
	recall_weighted: { label: 'Recall (weighted)', better: 'higher' },
	roc_auc: { label: 'ROC AUC', better: 'higher' },
	average_precision: { label: 'Average precision', better: 'higher' },
	log_loss: { label: 'Log loss', better: 'lower' },
	brier_macro: { label: 'Brier score', better: 'lower' },
	ece: { label: 'Calibration error', better: 'lower' },
	n_train: { label: 'Training rows', better: null },
	n_test: { label: 'Held-out rows', better: null }
};
const ORDER = Object.keys(METRICS);

export function metricLabel(key: string): string {
	return METRICS[key]?.label ?? key;
}

export function metricDirection(key: string): Direction {
	return METRICS[key]?.better ?? null;
}

export function formatMetric(key: string, v: number | undefined): string {
	if (v === undefined) return '—';
	return key.startsWith('n_') ? formatInt(v) : formatNum(v, 3);
}

/** Known metrics in a fixed order, then any others alphabetically. */
export function metricKeys(models: Pick<ModelRecord, 'metrics'>[]): string[] {
	const keys = new Set(models.flatMap((m) => Object.keys(m.metrics)));
	const rank = (k: string) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
	return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export interface Headline {
	key: string;
	label: string;
	value: number | undefined;
	baseline: number | undefined;
	/** 'cross-validated' for the training engine, 'held-out' for the quick models. */
	source: 'cross-validated' | 'held-out';
}

/** The main metric: RMSE for regression, weighted F1 for classes; older keys as a fallback. */
export function headline(m: ModelRecord): Headline {
	const prefer = m.task === 'regression' ? ['rmse', 'mae', 'r2'] : ['f1_weighted', 'accuracy'];
	const t = m.training;
	const cv = t?.leaderboard[t.selected]?.mean ?? {};
	const cvBase = t?.leaderboard.find((c) => c.family === 'baseline')?.mean ?? {};
	const key =
		prefer.find((k) => Number.isFinite(m.metrics[k]) || Number.isFinite(cv[k])) ?? prefer[0];
	return {
		key,
		label: metricLabel(key),
		// The pooled out-of-fold figures the compare table and diagnostics show; fold means second.
		value: m.metrics[key] ?? cv[key],
		baseline: m.baseline[key] ?? cvBase[key],
		source: t ? 'cross-validated' : 'held-out'
	};
}

/** Indices of the best value(s); none when fewer than two values can be compared. */
export function bestIndices(values: (number | undefined)[], better: Direction): Set<number> {
	const ok = values
		.map((v, i) => [v, i] as const)
		.filter((x): x is readonly [number, number] => x[0] !== undefined && Number.isFinite(x[0]));
	if (!better || ok.length < 2) return new Set();
	const best =
		better === 'lower' ? Math.min(...ok.map(([v]) => v)) : Math.max(...ok.map(([v]) => v));
	if (ok.every(([v]) => v === best)) return new Set();
	return new Set(ok.filter(([v]) => v === best).map(([, i]) => i));
}

export function validationText(m: ModelRecord): string {
	const v = m.training?.validation;
	if (!v) {
		const n = m.metrics.n_test;
		return n ? `One held-out split (${formatInt(n)} rows)` : 'One held-out split';
	}
	const schemes: Record<string, string> = {
		kfold: `${v.k}-fold cross-validation`,
		'stratified-kfold': `Stratified ${v.k}-fold cross-validation`,
		'group-kfold': `${v.k}-fold cross-validation grouped by ${v.group ?? 'student'}`,
		'time-holdout': `Latest ${v.time ?? 'period'} held out`
	};
	return schemes[v.scheme] ?? v.scheme;
}

export function paramText(v: unknown): string {
	if (typeof v === 'number') return formatNum(v, 4);
	if (typeof v === 'string') return v;
	if (v === undefined || v === null) return '—';
	return JSON.stringify(v);
}

export function featureDiff(base: string[], other: string[]) {
	const inBase = new Set(base);
	const inOther = new Set(other);
	return {
		kept: other.filter((f) => inBase.has(f)),
		added: other.filter((f) => !inBase.has(f)),
		removed: base.filter((f) => !inOther.has(f))
	};
}

/** The version that is active once `m` is deleted (deleteModel promotes the highest left). */
export function activeAfterDelete(
	versions: ModelRecord[],
	m: ModelRecord
): ModelRecord | undefined {
	const rest = versions.filter((v) => v.id !== m.id);
	if (!m.active) return rest.find((v) => v.active);
	return rest.reduce<ModelRecord | undefined>(
		(a, b) => (!a || b.version > a.version ? b : a),
		undefined
	);
}

/** The sentence in the delete dialog about which version will be in use afterwards. */
export function afterDelete(versions: ModelRecord[], m: ModelRecord): string {
	const next = activeAfterDelete(versions, m);
	if (!versions.some((v) => v.id !== m.id)) {
		return `It is the only version, so no model will be left for predicting ${m.target}.`;
	}
	if (!m.active) {
		return next ? `v${next.version} stays active.` : 'The active version does not change.';
	}
	return `v${m.version} is the active version, so v${next?.version} (the newest remaining) becomes active.`;
}
