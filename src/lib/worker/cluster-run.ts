/**
 * One clustering run, from the loaded columns to the dashboard: the features encoded (ordered
 * categories as their level number) and prepared, the fit (or a saved clustering's labels),
 * validity indices, names, trajectories, breakdowns, the map, distributions, outliers and the
 * insights — and the fitted state the worker keeps for the simulator, stability and saving.
 */
import { AppException } from '../errors';
import { MISSING_CODE, numericColumn, makeFrame, type Column, type Frame } from '../ml/frame';
import { subProgress, type CancelToken, type ProgressFn } from '../ml/progress';
import { prepareMatrix, type PreparedMatrix } from '../ml/cluster/prepare';
import type { InsightGroupColumn } from '../ml/cluster/personas';
import type { DbPort } from './api';
import {
	breakdownOf,
	cellValue,
	clusterMeans,
	columnChoices,
	describeFeature,
	distributions,
	featureNumbers,
	featureStats,
	groupCodes,
	MAP_MAX_POINTS,
	orderedLevels,
	outlierReason,
	samplePoints,
	suppressedCrossTable
} from './cluster-dashboard';
import { clusterCenters, fitClustering, scoreClustering, type Fitted } from './cluster-engine';
import {
	insightsFor,
	mapCoordinates,
	personaText,
	trajectoryGroups,
	treeView
} from './cluster-views';
import type {
	BreakdownView,
	ClusterFeature,
	ClusterRequest,
	DashboardFeature,
	PersonaDashboard,
	PersonaView
} from './cluster-types';

export const DEFAULT_MIN_GROUP = 10;
export const DEFAULT_WEAK_THRESHOLD = 0.25;
const OUTLIERS_LISTED = 200;

export type DatasetMeta = NonNullable<Awaited<ReturnType<DbPort['getDataset']>>>;

/** How one feature enters the matrix: as stored, or ordered levels as their rank 0, 1, 2, …. */
export interface FeatureEncoding {
	name: string;
	rank: { levels: string[]; byCode: number[] } | null;
}

/** What the worker keeps of a run for the simulator, stability and saving. */
export interface RunContext {
	runId: string;
	savedId: string | null;
	datasetId: string;
	req: Required<Pick<ClusterRequest, 'features' | 'algorithm' | 'seed'>> & ClusterRequest;
	params: Record<string, number | string | boolean | null>;
	encodings: FeatureEncoding[];
	prepared: PreparedMatrix;
	/** One label per matrix row (−1 = noise). */
	labels: Int32Array;
	k: number;
	/** k × d centres in the prepared space (the members' means). */
	centers: Float64Array;
	fitted: Fitted;
	dashboard: PersonaDashboard;
	nRows: number;
}

/** A saved clustering's labels and names, to rebuild its dashboard without fitting. */
export interface GivenRun {
	labels: Int32Array;
	k: number;
	names?: string[];
	descriptions?: string[];
	params?: Record<string, unknown>;
	savedId?: string;
	metrics?: Record<string, number>;
}

export function bad(message: string, details?: Record<string, string | number>): never {
	throw new AppException({ code: 'cluster-invalid', message, details });
}

function newRunId(): string {
	return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The feature columns as the clustering sees them: ordered categories (Low / Medium / High, or
 * any two-level column) become their level number, so "more motivated" means something.
 */
export function encodeFeatures(
	frame: Frame,
	features: readonly string[]
): { frame: Frame; encodings: FeatureEncoding[] } {
	const encodings: FeatureEncoding[] = [];
	const columns: Column[] = features.map((name) => {
		const col = frame.columns.find((c) => c.name === name);
		if (!col) bad(`The dataset has no column called "${name}".`, { column: name });
		if (col.kind === 'numeric') {
			encodings.push({ name, rank: null });
			return col;
		}
		const { levels, rank } = orderedLevels(col.dictionary);
		const ordered =
			levels.length <= 2 || levels.some((l, i) => l !== col.dictionary[i]) || isKnownOrder(levels);
		if (!ordered) {
			encodings.push({ name, rank: null });
			return col;
		}
		encodings.push({ name, rank: { levels, byCode: rank } });
		return numericColumn(name, featureNumbers(col), 'integer');
	});
	return { frame: makeFrame(columns), encodings };
}

function isKnownOrder(levels: string[]): boolean {
	return orderedLevels([...levels].reverse()).levels.join('\u0000') === levels.join('\u0000');
}

/** A scenario's values as a one-row frame in the encoded space. */
export function scenarioFrame(
	encodings: FeatureEncoding[],
	values: Record<string, number | string>,
	base: Frame
): Frame {
	return makeFrame(
		encodings.map((e) => {
			const v = values[e.name];
			const col = base.columns.find((c) => c.name === e.name);
			if (e.rank) {
				const i = typeof v === 'string' ? e.rank.levels.indexOf(v) : Number(v);
				return numericColumn(e.name, [i >= 0 ? i : NaN], 'integer');
			}
			if (col?.kind === 'categorical') {
				const s = v === undefined || v === null ? null : String(v);
				const code = s === null ? -1 : col.dictionary.indexOf(s);
				return {
					kind: 'categorical',
					name: e.name,
					type: 'category',
					codes: Uint32Array.of(code >= 0 ? code : MISSING_CODE),
					dictionary: col.dictionary
				};
			}
			const num = typeof v === 'number' ? v : Number(v);
			return numericColumn(e.name, [Number.isFinite(num) ? num : NaN]);
		})
	);
}

/** The matrix of a request's features (ordered categories as level numbers, standardised). */
export function prepareFeatures(frame: Frame, features: string[]) {
	if (features.length < 2) bad('Choose at least two features to group students by.');
	const { frame: encoded, encodings } = encodeFeatures(frame, features);
	const prepared = prepareMatrix(encoded, features, { scaling: 'standard', missing: 'drop' });
	return { encoded, encodings, prepared };
}

export async function buildRun(
	ds: DatasetMeta,
	req: ClusterRequest,
	frame: Frame,
	given: GivenRun | null,
	report: ProgressFn,
	token: CancelToken
): Promise<RunContext> {
	const seed = req.seed ?? 42;
	const minGroup = Math.max(1, Math.round(req.minGroup ?? DEFAULT_MIN_GROUP));
	const weakThreshold = req.weakThreshold ?? DEFAULT_WEAK_THRESHOLD;
	report({ fraction: 0.05, phase: 'Preparing the features' });
	const { encoded, encodings, prepared } = prepareFeatures(frame, req.features);
	const X = prepared.X;
	const rows = prepared.rowsUsed;
	token.throwIfCancelled();

	let fitted: Fitted;
	if (given) {
		fitted = { labels: given.labels, k: given.k, autoK: null, params: {}, extra: {} };
	} else {
		fitted = await fitClustering(X, req, {
			onProgress: (p) => subProgress(report, 0.08, 0.6)(p),
			cancel: token
		});
	}
	const { labels, k } = fitted;
	token.throwIfCancelled();
	report({ fraction: 0.62, phase: 'Measuring how distinct the personas are' });
	const metrics = { ...scoreClustering(X, labels, k, seed, fitted), ...(given?.metrics ?? {}) };
	const centers = clusterCenters(X, labels, k);

	// Descriptive statistics in each feature's own units.
	const features: ClusterFeature[] = req.features.map((f) => {
		const col = frame.columns.find((c) => c.name === f) as Column;
		return describeFeature(col);
	});
	const nums = req.features.map((f) =>
		featureNumbers(encoded.columns.find((c) => c.name === f) as Column)
	);
	const feats: DashboardFeature[] = featureStats(features, nums, rows);
	const { centroid, z, sizes } = clusterMeans(feats, nums, rows, labels, k);

	report({ fraction: 0.7, phase: 'Naming the personas' });
	const text = personaText(feats, z, sizes);
	// A persona of fewer than minGroup students is not named or described from its statistics:
	// both would describe those few students.
	let small = 0;
	const tiny = sizes.map((n) => n < minGroup);
	const generated = text.names.map((n, g) => (tiny[g] ? `Small group ${++small}` : n));
	const names = given?.names?.length === k ? given.names : generated;
	const descriptions =
		given?.descriptions?.length === k
			? given.descriptions
			: text.descriptions.map((d, g) =>
					tiny[g]
						? `Fewer than ${minGroup} students: not described, to protect them. Look at them one by one on the map.`
						: d
				);

	// Trajectory (previous → final score), 3 groups ordered high → at risk.
	const defaults = columnChoices(ds.columns, frame, ds.target);
	const traj = req.trajectory === undefined ? defaults.trajectory : req.trajectory;
	const outcomeCol =
		traj?.to ?? (ds.target && frame.columns.some((c) => c.name === ds.target) ? ds.target : null);
	const outcome = outcomeCol ? frame.columns.find((c) => c.name === outcomeCol) : undefined;
	const personaOutcome = (g: number) => {
		if (outcome?.kind !== 'numeric') return null;
		let s = 0;
		let n = 0;
		for (let i = 0; i < rows.length; i++) {
			if (labels[i] !== g) continue;
			const v = outcome.values[rows[i]];
			if (!Number.isNaN(v)) {
				s += v;
				n++;
			}
		}
		return n ? s / n : null;
	};
	const total = labels.reduce((s, l) => s + (l >= 0 ? 1 : 0), 0);
	const personas: PersonaView[] = Array.from({ length: k }, (_, g) => ({
		index: g,
		name: names[g],
		description: descriptions[g],
		size: sizes[g],
		share: total ? sizes[g] / rows.length : 0,
		suppressed: sizes[g] < minGroup,
		centroid: centroid[g],
		z: z[g],
		outcome: sizes[g] < minGroup ? null : personaOutcome(g),
		certainty: fitted.certainty?.[g] ?? null
	}));

	report({ fraction: 0.74, phase: 'Grouping score trajectories' });
	let trajectory = null as PersonaDashboard['trajectory'];
	let crossTable = null as PersonaDashboard['crossTable'];
	let trajLabels: Int32Array | null = null;
	if (traj) {
		const t = trajectoryGroups(frame, traj.from, traj.to, rows);
		if (t) {
			trajectory = t.view;
			trajLabels = t.labels;
			crossTable = suppressedCrossTable(
				labels,
				t.labels,
				names,
				t.view.names,
				{ row: 'Persona', col: 'Trajectory' },
				minGroup
			);
		}
	}
	token.throwIfCancelled();

	report({ fraction: 0.8, phase: 'Breaking down by group' });
	const groupings = (req.groupings ?? defaults.defaultGroupings).filter((g) =>
		frame.columns.some((c) => c.name === g && c.kind === 'categorical')
	);
	const breakdowns: BreakdownView[] = groupings
		.map((g) =>
			breakdownOf(frame.columns.find((c) => c.name === g) as Column, rows, labels, k, minGroup)
		)
		.filter((b): b is BreakdownView => b !== null);

	report({ fraction: 0.84, phase: 'Drawing the map' });
	const sample = samplePoints(rows.length, MAP_MAX_POINTS, seed);
	const coords = mapCoordinates(X, sample, prepared.columns);
	const idCol = defaults.idColumn
		? frame.columns.find((c) => c.name === defaults.idColumn)
		: undefined;
	const idOf = (row: number) =>
		idCol ? String(cellValue(idCol, row) ?? `Row ${row + 1}`) : `Row ${row + 1}`;
	const featureCols = req.features.map((f) => frame.columns.find((c) => c.name === f) as Column);
	const map = {
		x: coords.x,
		y: coords.y,
		group: Array.from(sample, (i) => labels[i]),
		labels: Array.from(sample, (i) => idOf(rows[i])),
		rows: Array.from(sample, (i) => rows[i]),
		values: Array.from(sample, (i) => featureCols.map((c) => cellValue(c, rows[i]))),
		explained: coords.explained,
		axisLabels: coords.axisLabels,
		shown: sample.length,
		total: rows.length
	};

	report({ fraction: 0.9, phase: 'Writing the insights' });
	const outliers = [];
	for (let i = 0; i < labels.length && outliers.length < OUTLIERS_LISTED; i++) {
		if (labels[i] >= 0) continue;
		outliers.push({
			row: rows[i],
			id: idOf(rows[i]),
			reason: outlierReason(feats, nums, rows[i])
		});
	}
	const nNoise = labels.reduce((s, l) => s + (l < 0 ? 1 : 0), 0);
	const dists = distributions(feats, nums, rows, labels, names, minGroup);
	const silhouette = metrics.silhouette;
	const weak =
		k < 2
			? {
					threshold: weakThreshold,
					silhouette,
					message:
						req.algorithm === 'dbscan'
							? 'DBSCAN found a single group: with this distance almost every student is connected to every other. Try a smaller distance (eps) or more neighbours to see separate groups.'
							: 'Only one group was formed, so there are no personas to compare.'
				}
			: fitted.params.collapsed === true
				? {
						threshold: weakThreshold,
						silhouette,
						message:
							'At least one group of the mixture collapsed onto single values of a feature (whole numbers or categories), so its membership probabilities look more certain than they are. Try fewer groups, the axis-aligned shape, or k-means.'
					}
				: Number.isFinite(silhouette) && silhouette < weakThreshold
					? {
							threshold: weakThreshold,
							silhouette,
							message: `The silhouette is ${silhouette.toFixed(2)}, below ${weakThreshold}: students do not fall into clearly separate groups on these features. Treat the personas as rough descriptions of a continuum, not as distinct types.`
						}
					: null;
	const suppressed: string[] = [];
	for (const p of personas) {
		if (p.suppressed)
			suppressed.push(
				`“${p.name}” has fewer than ${minGroup} students: its size, averages, distributions and outcome are hidden.`
			);
	}
	if (crossTable?.suppressedCells)
		suppressed.push(
			`${crossTable.suppressedCells} persona × trajectory ${crossTable.suppressedCells === 1 ? 'cell' : 'cells'}.`
		);
	for (const b of breakdowns) {
		const n = b.levels.reduce(
			(s, l) => s + (l.suppressed ? 1 : (l.counts ?? []).filter((c) => c === null).length),
			0
		);
		if (n)
			suppressed.push(
				`${n} ${n === 1 ? 'value' : 'values'} in the breakdown by ${b.label.toLowerCase()}.`
			);
	}

	const dashboard: PersonaDashboard = {
		datasetId: ds.id,
		datasetName: ds.name,
		algorithm: req.algorithm,
		params: {
			...fitted.params,
			...(given?.params as Record<string, number | string | boolean | null> | undefined),
			seed,
			scaling: 'standard'
		},
		k,
		features: feats,
		personas,
		nRows: frame.nRows,
		rowsUsed: rows.length,
		metrics,
		weak,
		autoK: fitted.autoK,
		trajectory,
		crossTable,
		breakdowns,
		map,
		distributions: dists,
		outliers,
		nNoise,
		dendrogram: fitted.tree ? treeView(fitted.tree, labels, k) : null,
		insights: insightsFor({
			names,
			features: feats,
			z,
			labels,
			trajectory: trajectory && trajLabels ? { labels: trajLabels, names: trajectory.names } : null,
			gender: insightColumn(frame, defaults.groupings, /gender|^sex$/i, rows),
			school: insightColumn(frame, defaults.groupings, /school.?type|type.?of.?school/i, rows),
			minGroup,
			weak: weak !== null
		}),
		suppressed,
		minGroup,
		outcome: outcomeCol
	};
	const runId = newRunId();
	const ctx: RunContext = {
		runId,
		savedId: given?.savedId ?? null,
		datasetId: ds.id,
		req: { ...req, seed, features: req.features, algorithm: req.algorithm },
		params: dashboard.params,
		encodings,
		prepared,
		labels,
		k,
		centers,
		fitted,
		dashboard,
		nRows: frame.nRows
	};
	report({ fraction: 1, phase: 'Done' });
	return ctx;
}

/** The gender or school-type column for the insights, as level codes of the clustered rows. */
function insightColumn(
	frame: Frame,
	groupings: string[],
	pattern: RegExp,
	rows: Uint32Array
): InsightGroupColumn | null {
	const name = groupings.find((g) => pattern.test(g));
	const col = name ? frame.columns.find((c) => c.name === name) : undefined;
	if (!col || col.kind !== 'categorical') return null;
	const { levels, rank } = orderedLevels(col.dictionary);
	return { name: col.name, codes: groupCodes(col, rows, rank), levels };
}
