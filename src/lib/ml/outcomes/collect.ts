/**
 * Gathers a model's predictions from several places (batches scored over datasets, single
 * predictions in the log) into one PredictionSet keyed by dataset and student. When a student
 * was predicted more than once, the latest prediction counts: it is the one the teacher last
 * saw. A batch in which a student has several rows (long-format data) makes that student
 * ambiguous: one actual result cannot be paired with several different predictions.
 */
import type { PredictionSet } from './match';

/** A batch of predictions, or one single prediction (a source of one row). */
export interface PredictionSource {
	/** When it was made (ms); later sources override earlier ones for the same student. */
	at: number;
	datasetId: string;
	/** The batch's id; null for a single prediction from the log. */
	predictionId: string | null;
	studentIds: readonly string[];
	/** Row-major, nOutputs per row, in the order of `classes`. */
	outputs: ArrayLike<number>;
	nOutputs: number;
	/** The source's class order (may differ from the model's); null for regression. */
	classes: readonly string[] | null;
	lower?: ArrayLike<number> | null;
	upper?: ArrayLike<number> | null;
}

export interface CollectedPredictions {
	/** Keyed by `predictionKey(datasetId, studentId)`. */
	set: PredictionSet;
	/** Per row of `set`: which batch it came from (null: a single prediction) and when. */
	origin: { predictionId: string | null; at: number; datasetId: string; studentId: string }[];
	/** Students left out because their latest batch had several rows for them. */
	ambiguous: number;
	/** Sources whose class labels did not fit the model's: left out. */
	skippedSources: number;
}

/** The key pairing a student in a dataset with their actual result. */
export function predictionKey(datasetId: string, studentId: string): string {
	return `${datasetId}\u0001${studentId}`;
}

interface Row {
	at: number;
	ambiguous: boolean;
	datasetId: string;
	studentId: string;
	predictionId: string | null;
	values: number[];
	lower: number;
	upper: number;
}

/** Maps a source's outputs onto the model's class order; null when a label is missing. */
function classMap(src: PredictionSource, classes: readonly string[] | null): number[] | null {
	if (!classes) return src.classes ? null : [0];
	const k = classes.length;
	// P(classes[1]) only: the binary layout of PredictionRecord.
	if (src.nOutputs === 1 && k === 2) {
		if (src.classes && (src.classes[0] !== classes[0] || src.classes[1] !== classes[1])) {
			return src.classes[0] === classes[1] && src.classes[1] === classes[0] ? [-1] : null;
		}
		return [1];
	}
	const own = src.classes ?? [];
	if (own.length !== src.nOutputs) return null;
	const idx = classes.map((c) => own.indexOf(c));
	return idx.every((i) => i >= 0) ? idx : null;
}

function rowValues(
	src: PredictionSource,
	r: number,
	map: number[],
	classes: readonly string[] | null
): number[] {
	const o = src.outputs;
	if (!classes) return [o[r * src.nOutputs]];
	if (map.length === 1 && map[0] === 1) return [1 - o[r], o[r]];
	if (map.length === 1 && map[0] === -1) return [o[r], 1 - o[r]];
	return map.map((j) => o[r * src.nOutputs + j]);
}

export function collectPredictions(
	sources: readonly PredictionSource[],
	classes: readonly string[] | null
): CollectedPredictions {
	const latest = new Map<string, Row>();
	let skippedSources = 0;
	const ordered = [...sources].sort((a, b) => a.at - b.at);
	for (const src of ordered) {
		const map = classMap(src, classes);
		if (!map) {
			skippedSources++;
			continue;
		}
		const count = new Map<string, number>();
		for (const id of src.studentIds) count.set(id, (count.get(id) ?? 0) + 1);
		for (let r = 0; r < src.studentIds.length; r++) {
			const studentId = src.studentIds[r];
			// A row without a student id cannot be paired with anyone's result.
			if (studentId === '') continue;
			const key = predictionKey(src.datasetId, studentId);
			const prev = latest.get(key);
			if (prev && prev.at > src.at) continue;
			latest.set(key, {
				at: src.at,
				ambiguous: (count.get(studentId) ?? 0) > 1,
				datasetId: src.datasetId,
				studentId,
				predictionId: src.predictionId,
				values: rowValues(src, r, map, classes),
				lower: src.lower?.[r] ?? NaN,
				upper: src.upper?.[r] ?? NaN
			});
		}
	}
	const rows = [...latest.entries()].filter(([, v]) => !v.ambiguous);
	const ambiguous = latest.size - rows.length;
	const nOutputs = classes ? classes.length : 1;
	const outputs = new Float64Array(rows.length * nOutputs);
	const lower = new Float64Array(rows.length);
	const upper = new Float64Array(rows.length);
	rows.forEach(([, v], i) => {
		outputs.set(v.values, i * nOutputs);
		lower[i] = v.lower;
		upper[i] = v.upper;
	});
	return {
		set: {
			studentIds: rows.map(([k]) => k),
			outputs,
			nOutputs,
			classes: classes ? [...classes] : null,
			lower: classes ? null : lower,
			upper: classes ? null : upper
		},
		origin: rows.map(([, v]) => ({
			predictionId: v.predictionId,
			at: v.at,
			datasetId: v.datasetId,
			studentId: v.studentId
		})),
		ambiguous,
		skippedSources
	};
}

/** A logged single prediction, as far as pairing it with a result needs. */
export interface LoggedSingle {
	at: number;
	datasetId: string | null;
	studentId: string | null;
	output:
		| { value?: number; lower?: number; upper?: number; proba?: Record<string, number> }
		| { rows: number; atRisk: number };
}

/**
 * A logged single prediction as a one-row source in the model's class order; null when it
 * names no student, or (classification) has no probabilities: without them the Brier score and
 * calibration would be made up.
 */
export function singleSource(
	e: LoggedSingle,
	classes: readonly string[] | null
): PredictionSource | null {
	if (e.datasetId === null || e.studentId === null || 'rows' in e.output) return null;
	const o = e.output;
	const base = { at: e.at, datasetId: e.datasetId, predictionId: null, studentIds: [e.studentId] };
	if (!classes) {
		if (typeof o.value !== 'number' || !Number.isFinite(o.value)) return null;
		return {
			...base,
			outputs: [o.value],
			nOutputs: 1,
			classes: null,
			lower: [o.lower ?? NaN],
			upper: [o.upper ?? NaN]
		};
	}
	const proba = o.proba;
	if (!proba || classes.some((c) => typeof proba[c] !== 'number')) return null;
	return { ...base, outputs: classes.map((c) => proba[c]), nOutputs: classes.length, classes };
}
