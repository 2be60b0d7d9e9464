/**
 * Targets the teacher derives instead of finding in the data: a letter grade or pass/fail cut
 * from a numeric mark. The derived column is added beside the original ones (shared, never
 * copied), so deriving a target on a million rows costs one Uint32Array.
 */
import { AppException } from '../../errors';
import { getColumn, MISSING_CODE, type CategoricalColumn, type Frame } from '../frame';
import type { TargetDerivation } from './types';

/** The problem with a derivation in a sentence for the teacher, or null when it is usable. */
export function validateDerivation(d: TargetDerivation): string | null {
	if (typeof d.source !== 'string' || d.source.trim() === '') {
		return 'Choose the column the target is worked out from.';
	}
	if (d.kind === 'pass-fail') {
		if (!Number.isFinite(d.threshold)) return 'The pass mark must be a number.';
		const pass = d.passLabel.trim();
		const fail = d.failLabel.trim();
		if (pass === '' || fail === '') return 'Give both the pass and the fail label a name.';
		if (pass === fail) return `The pass and fail labels are both "${pass}": they must differ.`;
		return null;
	}
	if (d.boundaries.length === 0) return 'Add at least one grade boundary.';
	const labels = new Set<string>();
	for (let i = 0; i < d.boundaries.length; i++) {
		const { label, min } = d.boundaries[i];
		const name = label.trim();
		if (name === '') return `Grade boundary ${i + 1} has no label.`;
		if (labels.has(name)) return `The grade "${name}" is listed twice.`;
		labels.add(name);
		if (!Number.isFinite(min)) return `The lowest mark for grade "${name}" must be a number.`;
		if (i > 0 && !(min < d.boundaries[i - 1].min)) {
			const prev = d.boundaries[i - 1];
			return (
				`The lowest mark for "${name}" (${fmt(min)}) must be below the one for ` +
				`"${prev.label.trim()}" (${fmt(prev.min)}): list grades from best to worst.`
			);
		}
	}
	const below = d.below.trim();
	if (below === '') return 'Give the grade below the last boundary a label.';
	if (labels.has(below)) return `The grade "${below}" is listed twice.`;
	return null;
}

export function deriveTarget(frame: Frame, derivation: TargetDerivation, name: string): Frame {
	const problem = validateDerivation(derivation);
	if (problem !== null) {
		throw new AppException({ code: 'derive-invalid', message: problem, details: { name } });
	}
	const src = getColumn(frame, derivation.source);
	if (!src) {
		throw new AppException({
			code: 'derive-source-missing',
			message: `The column "${derivation.source}" the target is worked out from is not in this data.`,
			details: { source: derivation.source }
		});
	}
	if (src.kind !== 'numeric') {
		throw new AppException({
			code: 'derive-source-not-numeric',
			message: `"${derivation.source}" does not hold numbers, so grades cannot be worked out from it.`,
			details: { source: derivation.source, type: src.type }
		});
	}
	if (getColumn(frame, name)) {
		// Replacing a column silently could train on something other than what the teacher sees.
		throw new AppException({
			code: 'derive-name-taken',
			message: `There is already a column called "${name}": give the derived target another name.`,
			details: { name }
		});
	}
	const values = src.values;
	const codes = new Uint32Array(values.length);
	let dictionary: string[];
	if (derivation.kind === 'pass-fail') {
		const t = derivation.threshold;
		dictionary = [derivation.passLabel.trim(), derivation.failLabel.trim()];
		for (let i = 0; i < values.length; i++) {
			const v = values[i];
			codes[i] = v !== v ? MISSING_CODE : v >= t ? 0 : 1;
		}
	} else {
		const mins = Float64Array.from(derivation.boundaries, (b) => b.min);
		const k = mins.length;
		dictionary = [...derivation.boundaries.map((b) => b.label.trim()), derivation.below.trim()];
		for (let i = 0; i < values.length; i++) {
			const v = values[i];
			if (v !== v) {
				codes[i] = MISSING_CODE;
				continue;
			}
			// Boundaries are few (A–F), so a linear scan beats a binary search's branches.
			let j = 0;
			while (j < k && v < mins[j]) j++;
			codes[i] = j;
		}
	}
	const column: CategoricalColumn = {
		kind: 'categorical',
		name,
		type: 'category',
		codes,
		dictionary
	};
	return { nRows: frame.nRows, columns: [...frame.columns, column] };
}

function present(values: Float64Array): Float64Array {
	let n = 0;
	for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
	const out = new Float64Array(n);
	let j = 0;
	for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[j++] = values[i];
	return out;
}

/** Marks out of 100 (or percentages): someone scored above half, nobody below 0 or above 100. */
function isPercentScale(min: number, max: number): boolean {
	return min >= 0 && max <= 100 && max > 50;
}

function quantile(sorted: Float64Array, q: number): number {
	const h = (sorted.length - 1) * q;
	const lo = Math.floor(h);
	const hi = Math.min(sorted.length - 1, lo + 1);
	return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Rounds to a step of 10^e, printed without float noise (3.4, not 3.4000000000000004). */
function roundTo(x: number, e: number): number {
	const step = 10 ** e;
	const r = Number((Math.round(x / step) * step).toFixed(Math.max(0, Math.min(20, -e))));
	// Scales below 1e-300 underflow the step; the unrounded value is better than NaN.
	return Number.isFinite(r) ? r : x;
}

const GRADE_LABELS = ['A', 'B', 'C', 'D'];

export function suggestGradeBoundaries(values: Float64Array): {
	boundaries: { label: string; min: number }[];
	below: string;
} {
	const sorted = present(values).sort();
	const fixed = [70, 60, 50, 40];
	const n = sorted.length;
	if (n === 0 || isPercentScale(sorted[0], sorted[n - 1])) {
		return { boundaries: fixed.map((min, i) => ({ label: GRADE_LABELS[i], min })), below: 'F' };
	}
	// Quintiles on an unknown scale: roughly a fifth of the class per grade, which the teacher edits.
	const qs = [0.8, 0.6, 0.4, 0.2].map((q) => quantile(sorted, q));
	const range = sorted[n - 1] - sorted[0];
	let mins: number[] = [];
	if (range > 0) {
		const mag = Math.floor(Math.log10(range));
		// Prefer numbers a teacher would type; go finer only when rounding merges two grades.
		for (let p = 1; p <= 3 && mins.length === 0; p++) {
			const r = qs.map((q) => roundTo(q, mag - p));
			if (r.every((m, i) => i === 0 || m < r[i - 1])) mins = r;
		}
	}
	if (mins.length === 0) {
		// Heavy ties (or one value): keep the distinct cut points, at least one.
		for (const q of qs) if (mins.length === 0 || q < mins[mins.length - 1]) mins.push(q);
	}
	return { boundaries: mins.map((min, i) => ({ label: GRADE_LABELS[i], min })), below: 'F' };
}

export function suggestPassThreshold(values: Float64Array): number {
	const sorted = present(values).sort();
	const n = sorted.length;
	if (n === 0 || isPercentScale(sorted[0], sorted[n - 1])) return 40;
	const max = sorted[n - 1];
	if (max > 0) return roundTo(0.4 * max, Math.floor(Math.log10(max)) - 2);
	// Nothing above zero (z-scores, say): 40 % of the max means nothing, so split at the median.
	return quantile(sorted, 0.5);
}

function fmt(x: number): string {
	return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12)));
}

export function describeDerivation(d: TargetDerivation): string {
	if (d.kind === 'pass-fail') {
		return `pass-fail from ${d.source}: ${d.passLabel} ≥ ${fmt(d.threshold)}, else ${d.failLabel}`;
	}
	const bands = d.boundaries.map((b) => `${b.label} ≥ ${fmt(b.min)}`).join(', ');
	return `grade from ${d.source}: ${bands}, else ${d.below}`;
}
