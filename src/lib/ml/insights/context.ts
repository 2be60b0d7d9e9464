/**
 * The class a student is compared with: per-column statistics (median, quartiles, mean, sd,
 * range) and each column's scale, from the current data (a Frame) and/or the distributions a
 * model stored at training time. Built once per class, used for every student.
 */
import type { ProfileMatch } from '../../data/profiles';
import { cellAt, type Frame } from '../frame';
import { quantileSorted } from '../stats/profile';
import type { FeatureDistribution } from '../train/types';
import {
	detectScale,
	isOrdinalDictionary,
	numericValue,
	resolveConcept,
	resolveConcepts,
	scaleOf
} from './concepts';
import type { ClassContext, ColumnStats, ConceptId, Prediction, Scale, ScaleKind } from './types';

export interface ClassContextOptions {
	/** The class's rows; its numeric and Low/Medium/High columns get statistics. */
	frame?: Frame | null;
	/** Only these rows of the frame (one semester, one class group); default all. */
	rows?: ArrayLike<number> | null;
	/** From a model (TrainOutcome.distributions): used for columns the frame lacks. */
	distributions?: readonly FeatureDistribution[] | null;
	/** The predicted column; its statistics give the predicted mark its scale. */
	target?: string | null;
	/** The importer's profile match, trusted for concepts before header spellings. */
	match?: ProfileMatch | null;
	/** Scales the teacher set, by column, overriding detection. */
	scales?: Record<string, ScaleKind> | null;
	/** At-risk class labels; default: guessed from the labels (riskClassesOf). */
	riskClasses?: string[] | null;
}

const GRID = 20;

/** The value at percentile p (0–100) by linear interpolation over the stored, evenly spaced grid. */
export function percentileValue(stats: ColumnStats, p: number): number {
	const q = stats.percentiles;
	if (q.length === 0) return NaN;
	if (q.length === 1) return q[0];
	const h = (Math.min(100, Math.max(0, p)) / 100) * (q.length - 1);
	const lo = Math.floor(h);
	const hi = Math.min(q.length - 1, lo + 1);
	return q[lo] + (h - lo) * (q[hi] - q[lo]);
}

/** Mid-rank style position (0–100) of a value within the stored grid; inverse of percentileValue. */
export function percentileOf(stats: ColumnStats, v: number): number {
	const q = stats.percentiles;
	if (q.length < 2 || !Number.isFinite(v)) return NaN;
	if (v < q[0]) return 0;
	if (v > q[q.length - 1]) return 100;
	// Ties (a flat stretch of the grid) take the middle of the stretch.
	let first = -1;
	let last = -1;
	for (let i = 0; i < q.length; i++) {
		if (q[i] === v) {
			if (first < 0) first = i;
			last = i;
		}
	}
	const step = 100 / (q.length - 1);
	if (first >= 0) return ((first + last) / 2) * step;
	for (let i = 1; i < q.length; i++) {
		if (v < q[i]) return (i - 1 + (v - q[i - 1]) / (q[i] - q[i - 1])) * step;
	}
	return 100;
}

function resolveScale(
	column: string,
	min: number,
	max: number,
	concept: ConceptId | null,
	overrides: Record<string, ScaleKind> | null | undefined
): Scale {
	const o =
		overrides && Object.prototype.hasOwnProperty.call(overrides, column)
			? overrides[column]
			: undefined;
	if (o !== undefined && o !== 'raw') return scaleOf(o);
	if (o === 'raw') return detectScale(min, max, 'class_size');
	return detectScale(min, max, concept);
}

/** Statistics of the given values (NaN skipped); null when none is present. */
export function statsOf(
	column: string,
	values: ArrayLike<number>,
	concept: ConceptId | null,
	scale?: Scale
): ColumnStats | null {
	const buf = new Float64Array(values.length);
	let m = 0;
	let sum = 0;
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (!Number.isFinite(v)) continue;
		buf[m++] = v;
		sum += v;
	}
	if (m === 0) return null;
	const sorted = buf.subarray(0, m).sort();
	const mean = sum / m;
	let ss = 0;
	for (let i = 0; i < m; i++) ss += (sorted[i] - mean) * (sorted[i] - mean);
	const percentiles: number[] = [];
	for (let k = 0; k <= GRID; k++) percentiles.push(quantileSorted(sorted, k / GRID));
	const min = sorted[0];
	const max = sorted[m - 1];
	return {
		column,
		concept,
		n: m,
		mean,
		sd: m > 1 ? Math.sqrt(ss / (m - 1)) : 0,
		min,
		max,
		q25: quantileSorted(sorted, 0.25),
		median: quantileSorted(sorted, 0.5),
		q75: quantileSorted(sorted, 0.75),
		percentiles,
		scale: scale ?? detectScale(min, max, concept)
	};
}

function fromDistribution(d: FeatureDistribution, concept: ConceptId | null): ColumnStats | null {
	if (d.kind !== 'numeric' || d.count === 0 || d.quantiles.length < 2) return null;
	const stats: ColumnStats = {
		column: d.name,
		concept,
		n: d.count,
		mean: d.mean,
		sd: d.std,
		min: d.min,
		max: d.max,
		q25: 0,
		median: 0,
		q75: 0,
		percentiles: d.quantiles.slice(),
		scale: detectScale(d.min, d.max, concept)
	};
	stats.q25 = percentileValue(stats, 25);
	stats.median = percentileValue(stats, 50);
	stats.q75 = percentileValue(stats, 75);
	return stats;
}

/**
 * Labels that mean "at risk": fail, at risk, dropout, withdrawn, unsatisfactory, "not passed",
 * and the lowest letter grades (F, E, U, NC); "not at risk" and "no risk" are not. Yes/No and
 * 0/1 labels say nothing by themselves (is "yes" passed or at risk?): pass riskClasses to
 * buildClassContext for those, or rules on the risk probability simply do not apply.
 */
export function riskClassesOf(classes: readonly string[]): string[] {
	return classes.filter((c) => {
		const l = c.trim().toLowerCase();
		if (/^(f|e|u|nc)$/.test(l)) return true;
		const bad = /fail|risk|drop|withdr|unsatisf|below|insufficient/.test(l);
		if (/^(not|no|non)\b/.test(l)) return !bad && /pass|complet|succe|satisf/.test(l);
		return bad;
	});
}

/** The probability (0–1) of the at-risk classes, or null when the prediction has none. */
export function riskProbability(
	prediction: Prediction | null | undefined,
	riskClasses: readonly string[]
): number | null {
	if (!prediction || prediction.kind !== 'classification') return null;
	const risk = riskClasses.length ? riskClasses : riskClassesOf(prediction.classes);
	let p = 0;
	let any = false;
	prediction.classes.forEach((c, i) => {
		if (!risk.includes(c)) return;
		const v = prediction.probabilities[i];
		if (Number.isFinite(v)) {
			p += v;
			any = true;
		}
	});
	return any ? Math.min(1, Math.max(0, p)) : null;
}

export function buildClassContext(opts: ClassContextOptions): ClassContext {
	const columns: Record<string, ColumnStats> = {};
	const names: string[] = [];
	const frame = opts.frame ?? null;
	if (frame) {
		const rows = opts.rows ?? null;
		const n = rows ? rows.length : frame.nRows;
		for (const c of frame.columns) {
			const concept = resolveConcept(c.name, opts.match);
			let values: Float64Array | null = null;
			if (c.kind === 'numeric' && c.type !== 'datetime') {
				values = rows ? Float64Array.from({ length: n }, (_, i) => c.values[rows[i]]) : c.values;
			} else if (
				c.kind === 'categorical' &&
				c.type === 'category' &&
				isOrdinalDictionary(c.dictionary)
			) {
				const level = c.dictionary.map((l) => numericValue(l) ?? NaN);
				values = new Float64Array(n);
				for (let i = 0; i < n; i++) {
					const code = c.codes[rows ? rows[i] : i];
					values[i] = code < level.length ? level[code] : NaN;
				}
			}
			if (!values) continue;
			const first = statsOf(c.name, values, concept);
			if (!first) continue;
			first.scale = resolveScale(c.name, first.min, first.max, concept, opts.scales);
			columns[c.name] = first;
			names.push(c.name);
		}
	}
	for (const d of opts.distributions ?? []) {
		if (Object.prototype.hasOwnProperty.call(columns, d.name)) continue;
		const concept = resolveConcept(d.name, opts.match);
		const s = fromDistribution(d, concept);
		if (!s) continue;
		s.scale = resolveScale(d.name, s.min, s.max, concept, opts.scales);
		columns[d.name] = s;
		names.push(d.name);
	}
	return {
		columns,
		concepts: resolveConcepts(names, opts.match),
		target: opts.target ?? null,
		riskClasses: opts.riskClasses ? opts.riskClasses.slice() : []
	};
}

/** One row's cells by column name, for StudentFacts.values. */
export function valuesOfRow(frame: Frame, row: number): Record<string, number | string | null> {
	const out: Record<string, number | string | null> = {};
	for (const c of frame.columns) out[c.name] = cellAt(c, row);
	return out;
}
