/**
 * Turns chosen columns of a class table into the matrix the clustering algorithms work on, and
 * back: one JSON "scaler" remembers every choice so a new student (a what-if scenario) lands in
 * the same space and cluster centres can be read in the original units.
 *
 * Rules (each reported, so the personas page can say what was done):
 * - Missing values: numbers get the median of the observed values, categories the most
 *   frequent category (or, with `missing: 'drop'`, rows with any gap are left out).
 * - Numbers are centred and scaled. 'standard' uses mean and standard deviation (population,
 *   as scikit-learn's StandardScaler); 'robust' uses median and IQR / 1.349 (the IQR of a
 *   standard normal), so on normal data both give the same spread and robust and standard
 *   features weigh the same. 'auto' decides per feature: robust when more than 0.1 % of its
 *   values (and at least one) lie beyond Tukey's far-out fences, Q1 − 3·IQR or Q3 + 3·IQR;
 *   standard otherwise. A feature whose IQR is 0 (over half the values equal) is scaled by its
 *   standard deviation even when robust was asked for.
 * - 0/1 features (boolean columns, or numbers that are only 0 and 1) are kept as 0/1, not
 *   standardised: standardising would blow a rare yes up to a huge value that dominates every
 *   distance. Two students who differ in it are 1 apart in squared distance.
 * - Categories become one column per category (one-hot) holding 0 or 1/√2, so two students
 *   in different categories are also exactly 1 apart in squared distance — the same weight as
 *   a yes/no feature and as a one-standard-deviation difference in a number — however many
 *   categories there are and however rare one is. Beyond `maxCategories` (default 10) the
 *   rarest are pooled into "(other)".
 * - A feature with one value for everyone (after filling gaps) is left out of the matrix: it
 *   cannot separate anyone. It stays in the scaler so centres still show its value.
 */
import { AppException } from '../../errors';
import { MISSING_CODE, getColumn, type Column, type Frame } from '../frame';
import type { Matrix } from './types';

export type Scaling = 'standard' | 'robust' | 'auto';

export interface PrepareOptions {
	scaling: Scaling;
	/** One-hot columns per categorical feature before the rarest are pooled (default 10, ≥ 2). */
	maxCategories?: number;
	/** 'impute' (default) fills gaps; 'drop' leaves out rows with any missing feature. */
	missing?: 'impute' | 'drop';
}

export const DEFAULT_MAX_CATEGORIES = 10;
/** Value of a set one-hot indicator: two different categories are √2 · w = 1 apart. */
export const CATEGORY_WEIGHT = Math.SQRT1_2;
export const OTHER_LEVEL = '(other)';
/** Interquartile range of the standard normal distribution. */
export const NORMAL_IQR = 1.3489795003921634;
/** Tukey's far-out fences: Q1 − 3·IQR and Q3 + 3·IQR. */
export const OUTLIER_FENCE = 3;
/** 'auto' scales a feature robustly when more than this share of its values are outliers. */
export const OUTLIER_SHARE = 0.001;

export interface NumericScaler {
	kind: 'numeric';
	name: string;
	method: 'standard' | 'robust' | 'binary' | 'constant';
	/** Subtracted before scaling: mean (standard), median (robust), 0 (binary), the value (constant). */
	center: number;
	/** Divided by: SD (standard), IQR / 1.349 (robust), 1 otherwise. */
	scale: number;
	/** Used for missing values: the median of the observed values (NaN when there were none). */
	fill: number;
	/** First column in the matrix; −1 when the feature is left out (constant or empty). */
	column: number;
}

export interface CategoricalScaler {
	kind: 'categorical';
	name: string;
	/** One matrix column each, most frequent first; may end with "(other)". */
	levels: string[];
	/** Used for missing values: the most frequent category (null when there were none). */
	fill: string | null;
	/** Value of a set indicator. */
	weight: number;
	column: number;
}

export type FeatureScaler = NumericScaler | CategoricalScaler;

export interface PreparedScaler {
	version: 1;
	scaling: Scaling;
	missing: 'impute' | 'drop';
	features: FeatureScaler[];
	/** Names of the matrix columns: the feature, or "feature=category". */
	columns: string[];
}

export interface FeatureReport {
	name: string;
	kind: 'numeric' | 'categorical';
	method?: NumericScaler['method'];
	/** Missing values among the rows used (filled in when imputing). */
	missing: number;
	filledWith: number | string | null;
	/** Values beyond the far-out fences (numbers only). */
	outliers?: number;
	/** Categories pooled into "(other)". */
	pooled?: number;
	/** Why the feature is not in the matrix. */
	dropped?: 'constant' | 'all-missing';
}

export interface PrepareReport {
	features: FeatureReport[];
	rowsDropped: number;
	/** Plain-language notes for the user. */
	warnings: string[];
}

export interface PreparedMatrix {
	X: Matrix;
	columns: string[];
	scaler: PreparedScaler;
	/** Frame rows behind the matrix rows, in order. */
	rowsUsed: Uint32Array;
	report: PrepareReport;
}

function prepError(code: string, message: string, details?: Record<string, string | number>) {
	return new AppException({ code, message, details });
}

function requireColumn(frame: Frame, name: string): Column {
	const c = getColumn(frame, name);
	if (!c) {
		throw prepError('missing-column', `The data has no column called "${name}".`, {
			column: name
		});
	}
	return c;
}

/** NumPy's default (linear) quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
	const pos = q * (sorted.length - 1);
	const lo = Math.floor(pos);
	const hi = Math.min(lo + 1, sorted.length - 1);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function isMissingAt(c: Column, row: number): boolean {
	return c.kind === 'numeric' ? Number.isNaN(c.values[row]) : c.codes[row] === MISSING_CODE;
}

export function prepareMatrix(
	frame: Frame,
	features: readonly string[],
	opts: PrepareOptions
): PreparedMatrix {
	if (features.length === 0) {
		throw prepError('cluster-no-features', 'Choose at least one column to group students by.');
	}
	const seen = new Set<string>();
	for (const f of features) {
		if (seen.has(f)) {
			throw prepError('duplicate-feature', `The column "${f}" is listed twice.`, { column: f });
		}
		seen.add(f);
	}
	const maxCategories = Math.max(2, Math.floor(opts.maxCategories ?? DEFAULT_MAX_CATEGORIES));
	const missingPolicy = opts.missing ?? 'impute';
	const cols = features.map((f) => requireColumn(frame, f));

	let rows: Uint32Array;
	if (missingPolicy === 'drop') {
		const keep: number[] = [];
		for (let r = 0; r < frame.nRows; r++) {
			if (!cols.some((c) => isMissingAt(c, r))) keep.push(r);
		}
		rows = Uint32Array.from(keep);
	} else {
		rows = new Uint32Array(frame.nRows);
		for (let r = 0; r < frame.nRows; r++) rows[r] = r;
	}
	if (rows.length === 0) {
		throw prepError(
			'cluster-no-rows',
			missingPolicy === 'drop' && frame.nRows > 0
				? 'Every row has a missing value in at least one chosen column, so none is left to group.'
				: 'The data has no rows to group.'
		);
	}

	const scalers: FeatureScaler[] = [];
	const reports: FeatureReport[] = [];
	const warnings: string[] = [];
	const columns: string[] = [];
	for (const c of cols) {
		const { scaler, report } =
			c.kind === 'numeric'
				? fitNumeric(c.values, c.type, c.name, rows, opts.scaling)
				: fitCategorical(c.codes, c.dictionary, c.name, rows, maxCategories);
		if (!report.dropped) {
			scaler.column = columns.length;
			if (scaler.kind === 'numeric') columns.push(scaler.name);
			else for (const level of scaler.levels) columns.push(`${scaler.name}=${level}`);
		}
		if (report.missing > 0 && missingPolicy === 'impute' && report.filledWith !== null) {
			warnings.push(
				`${report.missing.toLocaleString('en')} missing ${report.missing === 1 ? 'value' : 'values'} in "${c.name}" filled with ${typeof report.filledWith === 'number' ? `the median, ${Number(report.filledWith.toPrecision(6))}` : `the most common category, "${report.filledWith}"`}.`
			);
		}
		if (report.dropped === 'constant') {
			warnings.push(
				`"${c.name}" has the same value for everyone, so it cannot separate groups; it was left out.`
			);
		} else if (report.dropped === 'all-missing') {
			warnings.push(`"${c.name}" has no values, so it was left out.`);
		}
		if (report.pooled) {
			warnings.push(
				`"${c.name}" has many categories; the ${report.pooled} rarest were pooled into "${OTHER_LEVEL}".`
			);
		}
		scalers.push(scaler);
		reports.push(report);
	}
	if (missingPolicy === 'drop' && rows.length < frame.nRows) {
		const dropped = frame.nRows - rows.length;
		warnings.push(
			`${dropped.toLocaleString('en')} ${dropped === 1 ? 'row was' : 'rows were'} left out because of missing values.`
		);
	}
	if (columns.length === 0) {
		throw prepError(
			'cluster-no-variation',
			'Every chosen column has the same value for all students (or no values at all), so there is nothing to group by.'
		);
	}
	const scaler: PreparedScaler = {
		version: 1,
		scaling: opts.scaling,
		missing: missingPolicy,
		features: scalers,
		columns
	};
	const X = encode(scaler, cols, rows);
	return {
		X,
		columns,
		scaler,
		rowsUsed: rows,
		report: { features: reports, rowsDropped: frame.nRows - rows.length, warnings }
	};
}

function fitNumeric(
	values: Float64Array,
	type: string,
	name: string,
	rows: Uint32Array,
	scaling: Scaling
): { scaler: NumericScaler; report: FeatureReport } {
	const observed: number[] = [];
	let isBinary = true;
	for (const r of rows) {
		const v = values[r];
		if (Number.isNaN(v)) continue;
		observed.push(v);
		if (v !== 0 && v !== 1) isBinary = false;
	}
	const missing = rows.length - observed.length;
	const report: FeatureReport = { name, kind: 'numeric', missing, filledWith: null };
	const scaler: NumericScaler = {
		kind: 'numeric',
		name,
		method: 'constant',
		center: NaN,
		scale: 1,
		fill: NaN,
		column: -1
	};
	if (observed.length === 0) {
		report.dropped = 'all-missing';
		report.method = 'constant';
		return { scaler, report };
	}
	const sorted = Float64Array.from(observed).sort();
	const median = quantile(sorted, 0.5);
	const q1 = quantile(sorted, 0.25);
	const q3 = quantile(sorted, 0.75);
	const iqr = q3 - q1;
	scaler.fill = median;
	report.filledWith = missing > 0 ? median : null;
	if (sorted[0] === sorted[sorted.length - 1]) {
		scaler.center = sorted[0];
		report.method = 'constant';
		report.dropped = 'constant';
		return { scaler, report };
	}
	let outliers = 0;
	if (iqr > 0) {
		const lo = q1 - OUTLIER_FENCE * iqr;
		const hi = q3 + OUTLIER_FENCE * iqr;
		for (const v of observed) if (v < lo || v > hi) outliers++;
	}
	report.outliers = outliers;
	if (type === 'boolean' || isBinary) {
		scaler.method = 'binary';
		scaler.center = 0;
		scaler.scale = 1;
		report.method = 'binary';
		return { scaler, report };
	}
	// Mean and SD of the filled-in column, as a fitted imputer followed by a scaler sees it.
	const n = rows.length;
	let sum = 0;
	for (const v of observed) sum += v;
	sum += missing * median;
	const mean = sum / n;
	let ss = 0;
	for (const v of observed) ss += (v - mean) ** 2;
	ss += missing * (median - mean) ** 2;
	const sd = Math.sqrt(ss / n);
	const wantRobust =
		scaling === 'robust' ||
		(scaling === 'auto' && outliers >= 1 && outliers > OUTLIER_SHARE * observed.length);
	if (wantRobust && iqr > 0) {
		scaler.method = 'robust';
		scaler.center = median;
		scaler.scale = iqr / NORMAL_IQR;
	} else {
		scaler.method = 'standard';
		scaler.center = mean;
		scaler.scale = sd > 0 ? sd : 1;
	}
	report.method = scaler.method;
	return { scaler, report };
}

function fitCategorical(
	codes: Uint32Array,
	dictionary: string[],
	name: string,
	rows: Uint32Array,
	maxCategories: number
): { scaler: CategoricalScaler; report: FeatureReport } {
	const counts = new Float64Array(dictionary.length);
	let missing = 0;
	for (const r of rows) {
		const code = codes[r];
		if (code === MISSING_CODE) missing++;
		else counts[code]++;
	}
	// Most frequent first; ties keep the order of first appearance (dictionary order).
	const present = Array.from(counts.keys())
		.filter((c) => counts[c] > 0)
		.sort((a, b) => counts[b] - counts[a] || a - b);
	const report: FeatureReport = { name, kind: 'categorical', missing, filledWith: null };
	const scaler: CategoricalScaler = {
		kind: 'categorical',
		name,
		levels: [],
		fill: null,
		weight: CATEGORY_WEIGHT,
		column: -1
	};
	if (present.length === 0) {
		report.dropped = 'all-missing';
		return { scaler, report };
	}
	scaler.fill = dictionary[present[0]];
	report.filledWith = missing > 0 ? scaler.fill : null;
	if (present.length === 1) {
		scaler.levels = [scaler.fill];
		report.dropped = 'constant';
		return { scaler, report };
	}
	if (present.length > maxCategories) {
		scaler.levels = [...present.slice(0, maxCategories - 1).map((c) => dictionary[c]), OTHER_LEVEL];
		report.pooled = present.length - (maxCategories - 1);
	} else {
		scaler.levels = present.map((c) => dictionary[c]);
	}
	return { scaler, report };
}

/** Level index of each dictionary code; unknown categories go to "(other)" when there is one. */
function levelIndex(s: CategoricalScaler, dictionary: readonly string[]): Int32Array {
	const pos = new Map(s.levels.map((l, i) => [l, i]));
	const other = pos.get(OTHER_LEVEL) ?? -1;
	return Int32Array.from(dictionary, (word) => pos.get(word) ?? other);
}

function encode(scaler: PreparedScaler, cols: Column[], rows: Uint32Array): Matrix {
	const d = scaler.columns.length;
	const n = rows.length;
	const data = new Float64Array(n * d);
	scaler.features.forEach((s, fi) => {
		if (s.column < 0) return;
		const c = cols[fi];
		if (s.kind === 'numeric' && c.kind === 'numeric') {
			const { values } = c;
			for (let i = 0; i < n; i++) {
				const v = values[rows[i]];
				data[i * d + s.column] = ((Number.isNaN(v) ? s.fill : v) - s.center) / s.scale;
			}
		} else if (s.kind === 'categorical' && c.kind === 'categorical') {
			const index = levelIndex(s, c.dictionary);
			const fillLevel = s.fill === null ? -1 : s.levels.indexOf(s.fill);
			for (let i = 0; i < n; i++) {
				const code = c.codes[rows[i]];
				const level = code === MISSING_CODE ? fillLevel : index[code];
				if (level >= 0) data[i * d + s.column + level] = s.weight;
			}
		}
	});
	return { data, n, d };
}

export interface AppliedMatrix {
	X: Matrix;
	/** Missing values filled in (with the fitted median or most common category). */
	imputed: number;
	/**
	 * Values that are not one of the fitted named categories: placed in "(other)" when the
	 * feature has one, otherwise in no category (all its indicators 0).
	 */
	unknownCategories: number;
}

/**
 * Places new rows (e.g. a what-if student) in a fitted space. Gaps are always filled, so every
 * row gets a place; a number typed as text or the other way round is converted when it can be.
 */
export function applyPrepared(scaler: PreparedScaler, frame: Frame): AppliedMatrix {
	let imputed = 0;
	let unknownCategories = 0;
	const cols: Column[] = scaler.features.map((s) => {
		if (s.column < 0)
			return { kind: 'numeric', name: s.name, type: 'number', values: new Float64Array(0) };
		const c = requireColumn(frame, s.name);
		if (s.kind === 'numeric' && c.kind === 'categorical') {
			const asNumber = c.dictionary.map((w) => (w.trim() === '' ? NaN : Number(w)));
			const bad = c.dictionary.find((w, i) => Number.isNaN(asNumber[i]) && w.trim() !== '');
			if (bad !== undefined) {
				throw prepError('feature-type', `"${s.name}" should hold numbers, but has "${bad}".`, {
					column: s.name,
					value: bad
				});
			}
			const values = Float64Array.from(c.codes, (code) =>
				code === MISSING_CODE ? NaN : asNumber[code]
			);
			return { kind: 'numeric', name: c.name, type: 'number', values };
		}
		if (s.kind === 'categorical' && c.kind === 'numeric') {
			const dictionary: string[] = [];
			const index = new Map<string, number>();
			const codes = Uint32Array.from(c.values, (v) => {
				if (Number.isNaN(v)) return MISSING_CODE;
				const w = String(v);
				let code = index.get(w);
				if (code === undefined) {
					code = dictionary.length;
					dictionary.push(w);
					index.set(w, code);
				}
				return code;
			});
			return { kind: 'categorical', name: c.name, type: 'category', codes, dictionary };
		}
		return c;
	});
	const rows = new Uint32Array(frame.nRows);
	for (let r = 0; r < frame.nRows; r++) rows[r] = r;
	scaler.features.forEach((s, fi) => {
		if (s.column < 0) return;
		const c = cols[fi];
		for (const r of rows) if (isMissingAt(c, r)) imputed++;
		if (s.kind === 'categorical' && c.kind === 'categorical') {
			const known = c.dictionary.map((w) => w !== OTHER_LEVEL && s.levels.includes(w));
			for (const r of rows) {
				const code = c.codes[r];
				if (code !== MISSING_CODE && !known[code]) unknownCategories++;
			}
		}
	});
	return { X: encode(scaler, cols, rows), imputed, unknownCategories };
}

export interface CategoryShares {
	/** The most common category in the cluster. */
	mode: string;
	/** Share of the cluster in each category (sums to 1 for a cluster mean). */
	shares: Record<string, number>;
}

export interface OriginalCenter {
	/** Numbers in their own units; 0/1 features as the share of 1s. */
	numeric: Record<string, number>;
	categorical: Record<string, CategoryShares>;
}

/**
 * Cluster centres (k × d in the prepared space, e.g. k-means centroids or GMM means) in the
 * original units: numbers unscaled, categories as shares per category. Left-out constant
 * features show their single value.
 */
export function centersToOriginal(
	scaler: PreparedScaler,
	centers: Float64Array,
	k: number
): OriginalCenter[] {
	const d = scaler.columns.length;
	if (centers.length !== k * d) {
		throw prepError(
			'cluster-bad-centers',
			`The centres have ${centers.length} numbers, not ${k} × ${d}.`
		);
	}
	const out: OriginalCenter[] = [];
	for (let j = 0; j < k; j++) {
		const center: OriginalCenter = { numeric: {}, categorical: {} };
		for (const s of scaler.features) {
			if (s.kind === 'numeric') {
				center.numeric[s.name] =
					s.column < 0 ? s.center : centers[j * d + s.column] * s.scale + s.center;
				continue;
			}
			if (s.column < 0) {
				if (s.fill !== null) center.categorical[s.name] = { mode: s.fill, shares: { [s.fill]: 1 } };
				continue;
			}
			const shares: Record<string, number> = {};
			let mode = s.levels[0];
			let best = -Infinity;
			s.levels.forEach((level, l) => {
				const share = Math.min(1, Math.max(0, centers[j * d + s.column + l] / s.weight));
				shares[level] = share;
				if (share > best) {
					best = share;
					mode = level;
				}
			});
			center.categorical[s.name] = { mode, shares };
		}
		out.push(center);
	}
	return out;
}
