/**
 * Feature preprocessing that is fitted on training rows only and stored with the model as plain
 * JSON, so a model trained today encodes next term's upload exactly as it encoded its training
 * data. Numbers: median imputation (+ a missing indicator when the training column had gaps) and
 * standardisation. Categories: one-hot over the most frequent training categories, with an
 * "other" slot for the rest and for categories never seen in training.
 */
import { AppException } from '../../errors';
import { MISSING_CODE, getColumn, type Column, type Frame } from '../frame';

export const MAX_CATEGORIES = 30;

export interface NumericStep {
	kind: 'numeric';
	column: string;
	/** Training median, used for missing values (0 when the training column was all missing). */
	median: number;
	/** Mean and standard deviation of the imputed training values (std 0 is stored as 1). */
	mean: number;
	std: number;
	/** Whether an extra 0/1 column marks missing values (only when training had some). */
	missingIndicator: boolean;
}

export interface CategoricalStep {
	kind: 'categorical';
	column: string;
	/** One slot each, most frequent first; everything else goes to the "other" slot. */
	categories: string[];
	/** Whether missing values get their own slot (only when training had some). */
	missingSlot: boolean;
}

export type PipelineStep = NumericStep | CategoricalStep;

export interface Pipeline {
	version: 1;
	features: string[];
	steps: PipelineStep[];
	/** Names of the encoded columns, in output order (e.g. "attendance", "gender=F"). */
	columnNames: string[];
	nTrainRows: number;
}

export interface EncodedMatrix {
	/** Row-major nRows × nCols. */
	X: Float32Array;
	nRows: number;
	nCols: number;
	columnNames: string[];
}

export interface FitPipelineOptions {
	/** One-hot slots per categorical column before the rest is pooled into "other". */
	maxCategories?: number;
}

export const OTHER_LABEL = '(other)';
export const MISSING_LABEL = '(missing)';

/** The named column, or an error a teacher can read when the data lacks it. */
export function requireFeature(frame: Frame, name: string): Column {
	const c = getColumn(frame, name);
	if (!c) {
		throw new AppException({
			code: 'missing-column',
			message: `The data has no column called "${name}", which the model needs.`,
			details: { column: name }
		});
	}
	return c;
}

function median(sorted: Float64Array): number {
	const n = sorted.length;
	if (n === 0) return 0;
	const mid = n >> 1;
	return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function fitNumeric(values: Float64Array, rows: Uint32Array, column: string): NumericStep {
	const present = new Float64Array(rows.length);
	let nPresent = 0;
	for (let i = 0; i < rows.length; i++) {
		const v = values[rows[i]];
		// Infinity is as unusable as NaN for a model, so it counts as missing everywhere.
		if (Number.isFinite(v)) present[nPresent++] = v;
	}
	const sorted = present.subarray(0, nPresent).sort();
	const med = median(sorted);
	const nMissing = rows.length - nPresent;
	// Mean and std of the imputed column, as a scaler placed after the imputer would see it.
	let sum = med * nMissing;
	for (let i = 0; i < nPresent; i++) sum += sorted[i];
	const mean = rows.length ? sum / rows.length : 0;
	let ss = nMissing * (med - mean) ** 2;
	for (let i = 0; i < nPresent; i++) ss += (sorted[i] - mean) ** 2;
	const std = rows.length ? Math.sqrt(ss / rows.length) : 0;
	// A (near-)constant column carries no information; dividing by ~0 would only amplify noise.
	const safeStd = std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1;
	return {
		kind: 'numeric',
		column,
		median: med,
		mean,
		std: safeStd,
		missingIndicator: nMissing > 0
	};
}

function fitCategorical(
	codes: Uint32Array,
	dictionary: string[],
	rows: Uint32Array,
	column: string,
	maxCategories: number
): CategoricalStep {
	const counts = new Float64Array(dictionary.length);
	let nMissing = 0;
	for (let i = 0; i < rows.length; i++) {
		const code = codes[rows[i]];
		if (code === MISSING_CODE) nMissing++;
		else counts[code]++;
	}
	const seen: number[] = [];
	for (let code = 0; code < counts.length; code++) if (counts[code] > 0) seen.push(code);
	// Ties broken by the label itself so that the slot order never depends on row order.
	seen.sort((a, b) => {
		const d = counts[b] - counts[a];
		if (d !== 0) return d;
		const la = dictionary[a];
		const lb = dictionary[b];
		return la < lb ? -1 : la > lb ? 1 : 0;
	});
	return {
		kind: 'categorical',
		column,
		categories: seen.slice(0, maxCategories).map((code) => dictionary[code]),
		missingSlot: nMissing > 0
	};
}

function stepColumnNames(step: PipelineStep): string[] {
	if (step.kind === 'numeric') {
		return step.missingIndicator ? [step.column, `${step.column} ${MISSING_LABEL}`] : [step.column];
	}
	const names = step.categories.map((c) => `${step.column}=${c}`);
	names.push(`${step.column}=${OTHER_LABEL}`);
	if (step.missingSlot) names.push(`${step.column}=${MISSING_LABEL}`);
	return names;
}

/** How many encoded columns a step produces. */
export function stepWidth(step: PipelineStep): number {
	return step.kind === 'numeric'
		? step.missingIndicator
			? 2
			: 1
		: step.categories.length + 1 + (step.missingSlot ? 1 : 0);
}

/** Fits the pipeline on `trainRows` only: nothing about the other rows can leak into it. */
export function fitPipeline(
	frame: Frame,
	features: string[],
	trainRows: Uint32Array,
	opts: FitPipelineOptions = {}
): Pipeline {
	const maxCategories = opts.maxCategories ?? MAX_CATEGORIES;
	for (let i = 0; i < trainRows.length; i++) {
		if (trainRows[i] >= frame.nRows) throw new RangeError(`Row ${trainRows[i]} is out of range.`);
	}
	const steps = features.map((name): PipelineStep => {
		const c = requireFeature(frame, name);
		return c.kind === 'numeric'
			? fitNumeric(c.values, trainRows, name)
			: fitCategorical(c.codes, c.dictionary, trainRows, name, maxCategories);
	});
	return {
		version: 1,
		features: [...features],
		steps,
		columnNames: steps.flatMap(stepColumnNames),
		nTrainRows: trainRows.length
	};
}

function allRows(n: number): Uint32Array {
	const rows = new Uint32Array(n);
	for (let i = 0; i < n; i++) rows[i] = i;
	return rows;
}

/**
 * Encodes `rows` (default: all) of `frame` into a dense row-major Float32 matrix. The frame may be
 * a different upload than the training one: categories are matched by label, not by code.
 */
export function transform(
	pipeline: Pipeline,
	frame: Frame,
	rows?: ArrayLike<number>
): EncodedMatrix {
	const sel = rows ?? allRows(frame.nRows);
	const nRows = sel.length;
	const nCols = pipeline.columnNames.length;
	const X = new Float32Array(nRows * nCols);
	let offset = 0;
	for (const step of pipeline.steps) {
		const c = requireFeature(frame, step.column);
		if (step.kind === 'numeric') {
			if (c.kind !== 'numeric') {
				throw new AppException({
					code: 'column-type-changed',
					message: `The column "${step.column}" should contain numbers, but it contains text.`,
					details: { column: step.column }
				});
			}
			const { median: med, mean, std, missingIndicator } = step;
			for (let i = 0; i < nRows; i++) {
				const v = c.values[sel[i]];
				const ok = Number.isFinite(v);
				const base = i * nCols + offset;
				X[base] = ((ok ? v : med) - mean) / std;
				if (missingIndicator) X[base + 1] = ok ? 0 : 1;
			}
		} else {
			const slotOf = categorySlots(step, c);
			const missingSlot = step.missingSlot ? step.categories.length + 1 : step.categories.length;
			for (let i = 0; i < nRows; i++) {
				const code = slotOf.codes[sel[i]];
				// Missing without a missing slot (training had none) is as unknown as a new label.
				const slot = code === MISSING_CODE ? missingSlot : slotOf.map[code];
				X[i * nCols + offset + slot] = 1;
			}
		}
		offset += stepWidth(step);
	}
	return { X, nRows, nCols, columnNames: [...pipeline.columnNames] };
}

/** Maps the frame's own dictionary codes to the step's slots (unseen → the "other" slot). */
function categorySlots(step: CategoricalStep, c: Column): { codes: Uint32Array; map: Int32Array } {
	const other = step.categories.length;
	if (c.kind === 'categorical') {
		const index = new Map(step.categories.map((label, i) => [label, i]));
		const map = Int32Array.from(c.dictionary, (label) => index.get(label) ?? other);
		return { codes: c.codes, map };
	}
	// A column that was text in training but parsed as numbers now: match labels by their text.
	const dictionary: string[] = [];
	const seen = new Map<string, number>();
	const codes = new Uint32Array(c.values.length);
	for (let i = 0; i < codes.length; i++) {
		const v = c.values[i];
		if (Number.isNaN(v)) {
			codes[i] = MISSING_CODE;
			continue;
		}
		const label = String(v);
		let code = seen.get(label);
		if (code === undefined) {
			code = dictionary.length;
			dictionary.push(label);
			seen.set(label, code);
		}
		codes[i] = code;
	}
	return categorySlots(step, {
		kind: 'categorical',
		name: c.name,
		type: 'category',
		codes,
		dictionary
	});
}
