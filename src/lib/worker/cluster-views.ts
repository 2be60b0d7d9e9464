/**
 * The descriptive views of a clustering built with the clustering core: the 2-D map (PCA),
 * score trajectories, persona names and descriptions, the insights file and Ward's tree.
 */
import type { Frame } from '../ml/frame';
import { pca2 } from '../ml/cluster/pca';
import { dendrogramLayout } from '../ml/cluster/ward';
import type { Matrix } from '../ml/cluster/types';
import {
	namePersonas,
	personaInsights,
	trajectoryClusters,
	type InsightGroupColumn
} from '../ml/cluster/personas';
import type {
	DashboardFeature,
	DendrogramView,
	PersonaInsightsJson,
	TrajectoryView
} from './cluster-types';

/** The map's coordinates of the sampled rows (first two principal components). */
export function mapCoordinates(
	X: Matrix,
	sample: Uint32Array,
	columns: string[]
): { x: number[]; y: number[]; explained: [number, number]; axisLabels: [string, string] } {
	const p = pca2(X);
	const d = X.d;
	const label = (c: number) => {
		const w = p.components.subarray(c * d, c * d + d);
		const order = Array.from(w.keys()).sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]));
		const top = order
			.slice(0, 2)
			.filter((j) => Math.abs(w[j]) > 0)
			.map((j) => `${w[j] >= 0 ? '+' : '−'}${columns[j].replace(/_/g, ' ').toLowerCase()}`);
		return `Component ${c + 1}${top.length ? ` (${top.join(', ')})` : ''}`;
	};
	return {
		x: Array.from(sample, (i) => p.coords[2 * i]),
		y: Array.from(sample, (i) => p.coords[2 * i + 1]),
		explained: p.explained,
		axisLabels: [label(0), label(1)]
	};
}

/** Students grouped by an earlier and a later score into 3, ordered high → at risk. */
export function trajectoryGroups(
	frame: Frame,
	from: string,
	to: string,
	rows: Uint32Array
): { view: TrajectoryView; labels: Int32Array } | null {
	const a = frame.columns.find((c) => c.name === from);
	const b = frame.columns.find((c) => c.name === to);
	if (a?.kind !== 'numeric' || b?.kind !== 'numeric') return null;
	const prev = Float64Array.from(rows, (r) => a.values[r]);
	const exam = Float64Array.from(rows, (r) => b.values[r]);
	let placed = 0;
	for (let i = 0; i < rows.length; i++)
		if (Number.isFinite(prev[i]) && Number.isFinite(exam[i])) placed++;
	if (placed < 3) return null;
	const t = trajectoryClusters(prev, exam, null, 3);
	return {
		view: {
			from,
			to,
			names: t.names,
			sizes: t.sizes,
			centers: t.names.map((_, r) => ({ from: t.meanPrev[r] ?? NaN, to: t.meanExam[r] ?? NaN }))
		},
		labels: t.labels
	};
}

/** Persona names and descriptions from the standardised centroids (personas/naming.ts). */
export function personaText(
	feats: readonly DashboardFeature[],
	z: number[][],
	sizes: number[]
): { names: string[]; descriptions: string[] } {
	const named = namePersonas(
		Float64Array.from(z.flat()),
		feats.map((f) => f.name),
		{
			sizes,
			levels: feats.map((f) => f.levels),
			labels: feats.map((f) => f.label.toLowerCase()),
			scale: { mean: feats.map((f) => f.mean), sd: feats.map((f) => f.sd) }
		}
	);
	return { names: named.map((n) => n.name), descriptions: named.map((n) => n.description) };
}

export interface InsightInput {
	names: string[];
	features: DashboardFeature[];
	/** k × d standardised centroids. */
	z: number[][];
	labels: Int32Array;
	trajectory: { labels: Int32Array; names: string[] } | null;
	gender: InsightGroupColumn | null;
	school: InsightGroupColumn | null;
	minGroup: number;
	weak: boolean;
}

/** The six-key insights file (personas/insights.ts), small groups suppressed. */
export function insightsFor(o: InsightInput): PersonaInsightsJson {
	return personaInsights({
		names: o.names,
		labels: o.labels,
		profile: {
			features: o.features.map((f) => f.name),
			centersStd: Float64Array.from(o.z.flat()),
			levels: o.features.map((f) => f.levels),
			labels: o.features.map((f) => f.label.toLowerCase())
		},
		trajectory: o.trajectory,
		gender: o.gender,
		school: o.school,
		weak: o.weak,
		minCell: o.minGroup
	});
}

/** Ward's tree as segments, coloured by the persona below the cut (at most 30 leaves). */
export function treeView(
	tree: { linkage: Float64Array; sampled: Uint32Array },
	labels: Int32Array,
	k: number
): DendrogramView | null {
	void labels;
	const m = tree.sampled.length;
	if (m < 2) return null;
	const l = dendrogramLayout(tree.linkage, m, { k, maxLeaves: 30 });
	return {
		segments: l.segments,
		leaves: l.leaves,
		cut: l.cut,
		maxHeight: l.maxHeight,
		sampled: l.sampled
	};
}
