/**
 * The descriptive half of the persona dashboard, computed in the worker from the dataset and a
 * clustering's labels: which columns to offer, per-persona feature statistics and
 * distributions, the 2-D map's sample, outlier reasons and small-group suppression. The fitting
 * itself is src/lib/ml/cluster; this file only summarises.
 */
import { matchProfile } from '../data/profiles';
import { MISSING_CODE, type Column, type Frame } from '../ml/frame';
import { createRng } from '../ml/random';
import { crossTable, groupBreakdown, shownCount } from '../ml/cluster/personas';
import type {
	BreakdownView,
	ClusterFeature,
	CrossTableView,
	DashboardFeature,
	DistributionView
} from './cluster-types';

/** The 8-feature persona model of the wellbeing survey, by canonical field. */
export const WELLBEING_PERSONA_FIELDS = [
	'hours_studied',
	'attendance',
	'access_to_resources',
	'motivation_level',
	'sleep_hours',
	'parental_involvement',
	'tutoring_sessions',
	'exam_score'
];

/** The most features offered by default on data we do not recognise. */
const MAX_DEFAULT_FEATURES = 8;
export const MAX_GROUP_LEVELS = 12;
/** The map draws at most this many students (the design's limit for a responsive chart). */
export const MAP_MAX_POINTS = 2000;

/** Level orders we know, so "Low / Medium / High" count as 0, 1, 2 whatever order they came in. */
const KNOWN_ORDERS: string[][] = [
	['low', 'medium', 'high'],
	['low', 'moderate', 'high'],
	['near', 'moderate', 'far'],
	['negative', 'neutral', 'positive'],
	['no', 'yes'],
	['high school', 'college', 'postgraduate'],
	['none', 'high school', 'college', 'postgraduate'],
	['never', 'rarely', 'sometimes', 'often', 'always']
];

export interface ColumnMeta {
	name: string;
	role: string;
	type: string;
}

/** "Hours_Studied" → "Hours studied". */
export function humanise(name: string): string {
	const s = name
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/[_\s]+/g, ' ')
		.trim()
		.toLowerCase();
	return s ? s[0].toUpperCase() + s.slice(1) : name;
}

/**
 * A categorical column's levels in a meaningful order (a known scale, else as stored) and the
 * code → position map that puts them in it.
 */
export function orderedLevels(dictionary: readonly string[]): { levels: string[]; rank: number[] } {
	const lower = dictionary.map((d) => d.trim().toLowerCase());
	for (const order of KNOWN_ORDERS) {
		if (lower.length && lower.every((l) => order.includes(l))) {
			const present = order.filter((o) => lower.includes(o));
			const rank = lower.map((l) => present.indexOf(l));
			const levels = present.map((o) => dictionary[lower.indexOf(o)]);
			return { levels, rank };
		}
	}
	return { levels: [...dictionary], rank: dictionary.map((_, i) => i) };
}

function isCandidate(c: ColumnMeta, col: Column | undefined): boolean {
	if (c.role === 'id' || c.role === 'ignore' || c.role === 'time' || c.role === 'group')
		return false;
	if (c.type === 'identifier' || c.type === 'text' || c.type === 'datetime') return false;
	if (!col) return c.type !== 'category';
	if (col.kind === 'numeric') return true;
	return col.dictionary.length >= 2 && col.dictionary.length <= MAX_GROUP_LEVELS;
}

export function describeFeature(col: Column): ClusterFeature {
	if (col.kind === 'numeric') {
		return { name: col.name, label: humanise(col.name), kind: 'numeric', levels: null };
	}
	return {
		name: col.name,
		label: humanise(col.name),
		kind: 'categorical',
		levels: orderedLevels(col.dictionary).levels
	};
}

export interface ColumnChoices {
	candidates: ClusterFeature[];
	defaultFeatures: string[];
	numeric: string[];
	trajectory: { from: string; to: string } | null;
	groupings: string[];
	defaultGroupings: string[];
	idColumn: string | null;
}

/**
 * What the dashboard offers for a dataset: the wellbeing survey's persona features when its
 * columns are recognised, else the numeric feature columns (then ordered categories), up to 8.
 * `frame` holds at least the categorical columns (for their levels).
 */
export function columnChoices(
	columns: readonly ColumnMeta[],
	frame: Frame,
	target: string | null
): ColumnChoices {
	const byName = new Map(frame.columns.map((c) => [c.name, c]));
	const cands = columns.filter((c) => isCandidate(c, byName.get(c.name)));
	// Numeric columns need not be loaded: their kind is in the metadata.
	const candidates = cands
		.map((c): ClusterFeature | null => {
			const col = byName.get(c.name);
			if (col) return describeFeature(col);
			return c.type === 'category'
				? null
				: { name: c.name, label: humanise(c.name), kind: 'numeric', levels: null };
		})
		.filter((c): c is ClusterFeature => c !== null);
	const match = matchProfile(columns.map((c) => c.name));
	const canonical = new Map<string, string>();
	if (match) for (const [col, canon] of Object.entries(match.mapping)) canonical.set(canon, col);
	const has = (n: string | undefined): n is string => !!n && candidates.some((c) => c.name === n);

	let defaults: string[] = [];
	if (match?.profile === 'wellbeing') {
		defaults = WELLBEING_PERSONA_FIELDS.map((f) => canonical.get(f)).filter(has);
	}
	if (defaults.length < 2) {
		const numericFeatures = candidates.filter((c) => c.kind === 'numeric');
		const pick = [
			...numericFeatures.filter((c) => c.name !== target),
			...numericFeatures.filter((c) => c.name === target),
			...candidates.filter((c) => c.kind === 'categorical' && isOrdered(c.levels))
		];
		defaults = [...new Set(pick.map((c) => c.name))].slice(0, MAX_DEFAULT_FEATURES);
	}

	const numeric = candidates.filter((c) => c.kind === 'numeric').map((c) => c.name);
	const to = target && numeric.includes(target) ? target : null;
	const previous =
		canonical.get('previous_scores') ??
		canonical.get('previous_cgpa') ??
		canonical.get('previous_gpa') ??
		numeric.find((n) => /prev|prior|earlier|past/i.test(n) && n !== to);
	const trajectory = to && previous && numeric.includes(previous) ? { from: previous, to } : null;

	const groupings = columns
		.filter((c) => c.role !== 'id' && c.type !== 'identifier' && c.type !== 'text')
		.map((c) => byName.get(c.name))
		.filter(
			(c): c is Column =>
				c?.kind === 'categorical' &&
				c.dictionary.length >= 2 &&
				c.dictionary.length <= MAX_GROUP_LEVELS
		)
		.map((c) => c.name);
	const defaultGroupings = groupings.filter((g) =>
		/school.?type|type.?of.?school|gender|^sex$/i.test(g)
	);
	const idColumn = columns.find((c) => c.role === 'id')?.name ?? null;
	return {
		candidates,
		defaultFeatures: defaults,
		numeric,
		trajectory,
		groupings,
		defaultGroupings,
		idColumn
	};
}

function isOrdered(levels: string[] | null): boolean {
	if (!levels) return false;
	const lower = levels.map((l) => l.toLowerCase());
	return KNOWN_ORDERS.some((o) => lower.every((l) => o.includes(l)));
}

/** A feature column as numbers per row: values, or level positions for categories; NaN = missing. */
export function featureNumbers(col: Column): Float64Array {
	if (col.kind === 'numeric') return col.values;
	const { rank } = orderedLevels(col.dictionary);
	const out = new Float64Array(col.codes.length);
	for (let i = 0; i < out.length; i++) {
		const c = col.codes[i];
		out[i] = c === MISSING_CODE ? NaN : rank[c];
	}
	return out;
}

/** A cell for the map's hover box and the simulator: a number, a level name or null. */
export function cellValue(col: Column, row: number): number | string | null {
	if (col.kind === 'numeric') {
		const v = col.values[row];
		return Number.isNaN(v) ? null : v;
	}
	const c = col.codes[row];
	return c === MISSING_CODE ? null : col.dictionary[c];
}

/** Class statistics of each feature over the clustered rows. */
export function featureStats(
	features: readonly ClusterFeature[],
	nums: readonly Float64Array[],
	rows: ArrayLike<number>
): DashboardFeature[] {
	return features.map((f, j) => {
		const v = nums[j];
		let s = 0;
		let s2 = 0;
		let n = 0;
		let min = Infinity;
		let max = -Infinity;
		for (let i = 0; i < rows.length; i++) {
			const x = v[rows[i]];
			if (Number.isNaN(x)) continue;
			s += x;
			s2 += x * x;
			n++;
			if (x < min) min = x;
			if (x > max) max = x;
		}
		const mean = n ? s / n : NaN;
		const sd = n > 1 ? Math.sqrt(Math.max(0, (s2 - n * mean * mean) / (n - 1))) : 0;
		return { ...f, mean, sd, min: n ? min : NaN, max: n ? max : NaN };
	});
}

/** Per-cluster mean of each feature (original units) and its z-score against the class. */
export function clusterMeans(
	feats: readonly DashboardFeature[],
	nums: readonly Float64Array[],
	rows: ArrayLike<number>,
	labels: ArrayLike<number>,
	k: number
): { centroid: number[][]; z: number[][]; sizes: number[] } {
	const sizes = new Array<number>(k).fill(0);
	for (let i = 0; i < labels.length; i++) if (labels[i] >= 0 && labels[i] < k) sizes[labels[i]]++;
	const centroid: number[][] = [];
	const z: number[][] = [];
	for (let g = 0; g < k; g++) {
		const c: number[] = [];
		const zz: number[] = [];
		feats.forEach((f, j) => {
			let s = 0;
			let n = 0;
			for (let i = 0; i < rows.length; i++) {
				if (labels[i] !== g) continue;
				const x = nums[j][rows[i]];
				if (!Number.isNaN(x)) {
					s += x;
					n++;
				}
			}
			const m = n ? s / n : NaN;
			c.push(m);
			zz.push(f.sd > 0 && Number.isFinite(m) ? (m - f.mean) / f.sd : 0);
		});
		centroid.push(c);
		z.push(zz);
	}
	return { centroid, z, sizes };
}

function quantile(sorted: Float64Array, q: number): number {
	if (!sorted.length) return NaN;
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Box statistics (numbers) or level shares (categories) of every feature in every persona. */
export function distributions(
	feats: readonly DashboardFeature[],
	nums: readonly Float64Array[],
	rows: ArrayLike<number>,
	labels: ArrayLike<number>,
	names: readonly string[],
	minGroup: number
): DistributionView[] {
	const k = names.length;
	const members: number[][] = Array.from({ length: k }, () => []);
	for (let i = 0; i < labels.length; i++)
		if (labels[i] >= 0 && labels[i] < k) members[labels[i]].push(rows[i]);
	return feats.map((f, j) => ({
		feature: f.name,
		label: f.label,
		levels: f.kind === 'categorical' ? f.levels : null,
		rows: members.map((m, g) => {
			const vals = Float64Array.from(
				m.map((r) => nums[j][r]).filter((x) => !Number.isNaN(x))
			).sort();
			if (m.length < minGroup || !vals.length) {
				return { index: g, label: names[g], stats: null, shares: null };
			}
			let s = 0;
			for (const x of vals) s += x;
			const stats = {
				min: vals[0],
				q1: quantile(vals, 0.25),
				median: quantile(vals, 0.5),
				q3: quantile(vals, 0.75),
				max: vals[vals.length - 1],
				mean: s / vals.length,
				n: vals.length
			};
			let shares: number[] | null = null;
			if (f.kind === 'categorical' && f.levels) {
				shares = f.levels.map(() => 0);
				for (const x of vals) shares[x] += 1 / vals.length;
			}
			return { index: g, label: names[g], stats, shares };
		})
	}));
}

/** Up to `max` of the clustered rows, seeded, keeping every noise row if there is room. */
export function samplePoints(n: number, max: number, seed: number): Uint32Array {
	if (n <= max) return Uint32Array.from({ length: n }, (_, i) => i);
	const rng = createRng(`persona-map:${seed}`);
	const idx = Uint32Array.from({ length: n }, (_, i) => i);
	for (let i = 0; i < max; i++) {
		const j = i + Math.floor(rng.next() * (n - i));
		const t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
	return idx.subarray(0, max).sort();
}

/** Counts of two labelings against each other, small cells (and totals) suppressed. */
export function suppressedCrossTable(
	a: ArrayLike<number>,
	b: ArrayLike<number>,
	rows: string[],
	cols: string[],
	labels: { row: string; col: string },
	minGroup: number
): CrossTableView {
	const t = crossTable(a, b, rows.length, cols.length);
	const opts = { minCell: minGroup };
	let suppressedCells = 0;
	const counts = rows.map((_, i) =>
		cols.map((_, j) => {
			const v = shownCount(t.counts[i * cols.length + j], opts);
			if (v === null) suppressedCells++;
			return v;
		})
	);
	return {
		rowLabel: labels.row,
		colLabel: labels.col,
		rows,
		cols,
		counts,
		rowTotals: Array.from(t.rowTotals, (v) => shownCount(v, opts)),
		colTotals: Array.from(t.colTotals, (v) => shownCount(v, opts)),
		suppressedCells
	};
}

/** A grouping column's levels against the personas (codes in the levels' order), suppressed. */
export function breakdownOf(
	col: Column,
	rows: Uint32Array,
	labels: Int32Array,
	k: number,
	minGroup: number
): BreakdownView | null {
	if (col.kind !== 'categorical') return null;
	const { levels, rank } = orderedLevels(col.dictionary);
	const codes = groupCodes(col, rows, rank);
	return {
		column: col.name,
		label: humanise(col.name),
		levels: groupBreakdown(labels, codes, levels, k, { minCell: minGroup })
	};
}

/** A categorical column's level positions for the given rows (−1 = missing). */
export function groupCodes(col: Column, rows: Uint32Array, rank?: number[]): Int32Array {
	if (col.kind !== 'categorical') return new Int32Array(rows.length).fill(-1);
	const r = rank ?? orderedLevels(col.dictionary).rank;
	return Int32Array.from(rows, (row) => {
		const c = col.codes[row];
		return c === MISSING_CODE ? -1 : r[c];
	});
}

/**
 * Why a student fits no group, in words: the features on which they are furthest from the class
 * (in standard deviations), at most two.
 */
export function outlierReason(
	feats: readonly DashboardFeature[],
	nums: readonly Float64Array[],
	row: number
): string {
	const parts = feats
		.map((f, j) => ({ f, z: f.sd > 0 ? (nums[j][row] - f.mean) / f.sd : 0 }))
		.filter((p) => Number.isFinite(p.z))
		.sort((x, y) => Math.abs(y.z) - Math.abs(x.z))
		.slice(0, 2)
		.filter((p) => Math.abs(p.z) >= 1);
	if (!parts.length) return 'An unusual mix of otherwise ordinary values.';
	return `${parts
		.map((p) => `${p.z > 0 ? 'much higher' : 'much lower'} ${p.f.label.toLowerCase()} than most`)
		.join('; ')
		.replace(/^./, (c) => c.toUpperCase())}.`;
}
