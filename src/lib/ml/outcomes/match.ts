/**
 * Pairing predictions with the actual results that came in later. Predictions are identified by
 * student; a student whose id appears more than once among the predictions (long-format data:
 * one row per subject or term) is left out rather than guessed at, and counted, so the message
 * can say why fewer students were compared than expected.
 */
import type { TargetDerivation } from '../train/types';

export type ActualValue = number | string;

/** One set of predictions, in the layout PredictionRecord stores them. */
export interface PredictionSet {
	/** The student of each prediction row. */
	studentIds: readonly string[];
	/**
	 * Row-major, `nOutputs` values per row: regression → the prediction; binary → P(classes[1])
	 * (nOutputs 1) or both probabilities (nOutputs 2); multiclass → one probability per class.
	 */
	outputs: ArrayLike<number>;
	nOutputs: number;
	/** Class labels for classification; null for regression. */
	classes: readonly string[] | null;
	/** Regression: the 90 % interval per row, when the model gave one. */
	lower?: ArrayLike<number> | null;
	upper?: ArrayLike<number> | null;
}

export interface MatchOptions {
	/**
	 * A derived target's rule (grade bands, pass mark): a numeric result (the mark) is turned
	 * into the class the model predicts before comparing.
	 */
	derive?: TargetDerivation | null;
}

export interface OutcomeMatch {
	/** Prediction rows that have a usable actual result, ascending. */
	rows: Uint32Array;
	/** The actual result per matched row: the value (regression) or the class index. */
	actual: Float64Array;
	/** Predicted students with no actual result yet. */
	pending: number;
	/** Students predicted more than once: left out. */
	ambiguous: number;
	/** Results that do not fit the target: text for a number, a label the model does not know. */
	unusable: number;
	/** Up to five of those values, for the message. */
	unusableExamples: string[];
	/** Results for students who have no prediction. */
	unpredicted: number;
}

const MAX_EXAMPLES = 5;

/** The class a derived target gives a mark: the same rule as deriveTarget (ml/train/derive). */
export function derivedLabel(value: number, d: TargetDerivation): string | null {
	if (!Number.isFinite(value)) return null;
	if (d.kind === 'pass-fail') return (value >= d.threshold ? d.passLabel : d.failLabel).trim();
	for (const b of d.boundaries) if (value >= b.min) return b.label.trim();
	return d.below.trim();
}

/** "61,5" and " 61.5 " read as 61.5; anything else that is not a number gives NaN. */
export function parseNumber(s: string): number {
	const t = s.trim().replace(/^(-?\d+),(\d+)$/, '$1.$2');
	return t === '' ? NaN : Number(t);
}

/** Resolves labels to class indices: exact first, then ignoring case and surrounding spaces. */
function classLookup(classes: readonly string[]): (label: string) => number {
	const exact = new Map<string, number>();
	const loose = new Map<string, number>();
	classes.forEach((c, i) => {
		if (!exact.has(c)) exact.set(c, i);
		const k = c.trim().toLowerCase();
		if (!loose.has(k)) loose.set(k, i);
	});
	return (label) => exact.get(label) ?? loose.get(label.trim().toLowerCase()) ?? -1;
}

/** The actual result as the model's target: a number, a class index, or null when unusable. */
function reader(
	classes: readonly string[] | null,
	derive: TargetDerivation | null
): (v: ActualValue) => number | null {
	if (!classes) {
		return (v) => {
			const x = typeof v === 'number' ? v : parseNumber(v);
			return Number.isFinite(x) ? x : null;
		};
	}
	const find = classLookup(classes);
	return (v) => {
		if (typeof v === 'string') {
			const i = find(v);
			if (i >= 0) return i;
			if (!derive) return null;
			const label = derivedLabel(parseNumber(v), derive);
			return label === null ? null : nonNegative(find(label));
		}
		if (!Number.isFinite(v)) return null;
		if (derive) {
			const label = derivedLabel(v, derive);
			return label === null ? null : nonNegative(find(label));
		}
		return nonNegative(find(String(v)));
	};
}

const nonNegative = (i: number): number | null => (i >= 0 ? i : null);

export function matchOutcomes(
	predictions: PredictionSet,
	actuals: ReadonlyMap<string, ActualValue>,
	opts: MatchOptions = {}
): OutcomeMatch {
	const ids = predictions.studentIds;
	const seen = new Map<string, number>();
	for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
	const read = reader(predictions.classes, opts.derive ?? null);
	const rows: number[] = [];
	const actual: number[] = [];
	let pending = 0;
	let ambiguous = 0;
	let unusable = 0;
	const unusableExamples: string[] = [];
	const counted = new Set<string>();
	for (let r = 0; r < ids.length; r++) {
		const id = ids[r];
		if ((seen.get(id) ?? 0) > 1) {
			if (!counted.has(id)) {
				counted.add(id);
				ambiguous++;
			}
			continue;
		}
		const v = actuals.get(id);
		if (v === undefined) {
			pending++;
			continue;
		}
		const y = read(v);
		if (y === null) {
			unusable++;
			const text = String(v);
			if (unusableExamples.length < MAX_EXAMPLES && !unusableExamples.includes(text)) {
				unusableExamples.push(text);
			}
			continue;
		}
		rows.push(r);
		actual.push(y);
	}
	let unpredicted = 0;
	for (const id of actuals.keys()) if (!seen.has(id)) unpredicted++;
	return {
		rows: Uint32Array.from(rows),
		actual: Float64Array.from(actual),
		pending,
		ambiguous,
		unusable,
		unusableExamples,
		unpredicted
	};
}
