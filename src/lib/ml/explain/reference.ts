/**
 * The "typical student" the sampling explainer compares with, and the class medians and modes
 * the sentences quote. Both come from the training summary's distributions, since artifacts
 * keep no training rows.
 *
 * Why one reference point (the median of every number, the most common value of every
 * category) rather than a background sample: there is no training sample to draw from, the
 * median is robust to the odd extreme mark, and it is the same point the sentences name
 * ("class median 7.5"), so the explanation reads as "why this student's prediction differs from
 * a typical student's". The base of such an explanation is the prediction for that typical
 * student, not the average prediction (a "baseline Shapley" value).
 */
import { categoricalColumn, makeFrame, numericColumn, type Column } from '../frame';
import { OTHER_LABEL, transform, type Pipeline } from '../preprocess';
import type { FeatureDistribution } from '../train/types';

/** The median of a numeric distribution (its quantiles run 0, 10, …, 100 %), or null. */
export function distributionMedian(d: FeatureDistribution | undefined): number | null {
	if (!d || d.kind !== 'numeric' || d.count <= 0) return null;
	const q = d.quantiles;
	if (q.length === 0) return null;
	const mid = (q.length - 1) / 2;
	const v = Number.isInteger(mid) ? q[mid] : (q[Math.floor(mid)] + q[Math.ceil(mid)]) / 2;
	return Number.isFinite(v) ? v : null;
}

/** The most common category (never the pooled "(other)"), or null. */
export function distributionMode(d: FeatureDistribution | undefined): string | null {
	if (!d || d.kind !== 'categorical') return null;
	const top = d.categories.find((c) => c.label !== OTHER_LABEL && c.share > 0);
	return top ? top.label : null;
}

/**
 * The reference input encoded by the pipeline: per feature the distribution's median or mode,
 * else the pipeline's own training median or most frequent category (the same figures, fitted
 * on the same rows).
 */
export function encodedReference(
	pipeline: Pipeline,
	distributions?: FeatureDistribution[]
): Float32Array {
	const byName = new Map((distributions ?? []).map((d) => [d.name, d]));
	const columns: Column[] = pipeline.steps.map((step) => {
		const d = byName.get(step.column);
		if (step.kind === 'numeric') {
			return numericColumn(step.column, [distributionMedian(d) ?? step.median]);
		}
		return categoricalColumn(step.column, [distributionMode(d) ?? step.categories[0] ?? null]);
	});
	return transform(pipeline, makeFrame(columns)).X;
}
