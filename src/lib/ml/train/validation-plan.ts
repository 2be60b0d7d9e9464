/**
 * Turns the request's validation settings into folds over the labelled rows, with the reason in
 * words. 'auto' follows chooseValidation (grouped by student whenever a student has several
 * rows); an explicit choice is honoured, and when it lets a student's rows sit on both sides the
 * reason says the scores may be optimistic instead of hiding it.
 */
import { AppException } from '../../errors';
import { MISSING_CODE, getColumn, type Frame } from '../frame';
import { chooseValidation, makeFolds, type Fold, type ValidationScheme } from '../validation';
import type { Task, ValidationSpec, ValidationUsed } from './types';

function column(frame: Frame, name: string, what: string) {
	const c = getColumn(frame, name);
	if (!c) {
		throw new AppException({
			code: 'missing-column',
			message: `The ${what} column "${name}" is not in this data.`,
			details: { column: name }
		});
	}
	return c;
}

/** Group code per labelled row; missing → MISSING_CODE (each such row is its own group). */
export function groupCodes(frame: Frame, name: string, rows: Uint32Array): Uint32Array {
	const c = column(frame, name, 'student');
	const out = new Uint32Array(rows.length);
	if (c.kind === 'categorical') {
		for (let i = 0; i < rows.length; i++) out[i] = c.codes[rows[i]];
		return out;
	}
	const seen = new Map<number, number>();
	for (let i = 0; i < rows.length; i++) {
		const v = c.values[rows[i]];
		if (Number.isNaN(v)) {
			out[i] = MISSING_CODE;
			continue;
		}
		let code = seen.get(v);
		if (code === undefined) seen.set(v, (code = seen.size));
		out[i] = code;
	}
	return out;
}

/** Time per labelled row: numbers as they are; text (e.g. "2024-S1") by its sorted position. */
export function timeValues(frame: Frame, name: string, rows: Uint32Array): Float64Array {
	const c = column(frame, name, 'time');
	if (c.kind === 'numeric') return Float64Array.from(rows, (r) => c.values[r]);
	const order = c.dictionary
		.map((label, code) => ({ label, code }))
		.sort((a, b) => a.label.localeCompare(b.label, 'en', { numeric: true }));
	const rank = new Float64Array(c.dictionary.length);
	order.forEach((o, i) => (rank[o.code] = i));
	return Float64Array.from(rows, (r) => (c.codes[r] === MISSING_CODE ? NaN : rank[c.codes[r]]));
}

function repeats(groups: Uint32Array): boolean {
	const seen = new Set<number>();
	for (const g of groups) {
		if (g === MISSING_CODE) continue;
		if (seen.has(g)) return true;
		seen.add(g);
	}
	return false;
}

function distinct(groups: Uint32Array): number {
	const seen = new Set<number>();
	let singles = 0;
	for (const g of groups) {
		if (g === MISSING_CODE) singles++;
		else seen.add(g);
	}
	return seen.size + singles;
}

export interface ValidationPlan {
	used: ValidationUsed;
	folds: Fold[];
}

export function planValidation(
	frame: Frame,
	spec: ValidationSpec,
	task: Task,
	rows: Uint32Array,
	labels: Float64Array | null,
	seed: number
): ValidationPlan {
	const n = rows.length;
	const groups = spec.group ? groupCodes(frame, spec.group, rows) : undefined;
	const times = spec.time ? timeValues(frame, spec.time, rows) : undefined;
	const k = Math.max(2, Math.min(10, Math.round(spec.k) || 5));
	const foldSeed = `cv:${seed}`;
	const input = {
		nRows: n,
		groups,
		times,
		labels: labels ? Int32Array.from(labels) : undefined,
		timeFraction: spec.timeFraction
	};
	let scheme: ValidationScheme;
	let kUsed: number;
	let reason: string;
	if (spec.scheme === 'auto') {
		const choice = chooseValidation({ ...input, task, k });
		scheme = choice.scheme;
		kUsed = choice.k;
		reason = choice.reason;
	} else {
		scheme = spec.scheme;
		kUsed = Math.min(k, n);
		const shared =
			groups && repeats(groups)
				? ` Students have several rows and grouping is off, so a student's rows can sit on both sides: the scores may be optimistic.`
				: '';
		switch (scheme) {
			case 'kfold':
				reason = `The rows are split at random into ${kUsed} parts; each part is predicted by a model trained on the others.${shared}`;
				break;
			case 'stratified-kfold':
				reason = `The rows are split into ${kUsed} parts with the same mix of outcomes as the whole class; each part is predicted by a model trained on the others.${shared}`;
				break;
			case 'group-kfold': {
				if (!groups) {
					throw new AppException({
						code: 'no-group-column',
						message:
							'Grouped cross-validation needs a student column: choose one, or another scheme.'
					});
				}
				const nGroups = distinct(groups);
				kUsed = Math.max(2, Math.min(kUsed, nGroups));
				reason = `All rows of a ${spec.group} value stay in one of ${kUsed} parts, so the model is always tested on students it has not seen (${nGroups} students).`;
				break;
			}
			case 'time-holdout':
				if (!times) {
					throw new AppException({
						code: 'no-time-column',
						message:
							'A time-ordered check needs a time column (semester, term or date): choose one, or another scheme.'
					});
				}
				kUsed = 1;
				reason = `The model learns from earlier ${spec.time} values and is tested on the latest ones, as it will be used: predicting a term it has not seen.`;
				break;
		}
	}
	if (scheme === 'time-holdout' && !times) {
		throw new AppException({
			code: 'no-time-column',
			message: 'A time-ordered check needs a time column (semester, term or date).'
		});
	}
	const folds = makeFolds(scheme, kUsed, input, foldSeed);
	const empty = folds.find((f) => f.train.length === 0 || f.test.length === 0);
	if (empty) {
		throw new AppException({
			code: 'validation-too-small',
			message:
				scheme === 'time-holdout'
					? `There is only one ${spec.time} value with known outcomes, so there is no earlier period to learn from. Choose another check.`
					: 'There are too few rows to split for checking the model. Use fewer folds or add rows.',
			details: { scheme, rows: n }
		});
	}
	if (scheme === 'time-holdout') {
		reason += ` ${folds[0].train.length} rows to learn from, ${folds[0].test.length} to test on.`;
	}
	return {
		used: {
			scheme,
			k: kUsed,
			group: scheme === 'group-kfold' ? spec.group : null,
			time: scheme === 'time-holdout' ? spec.time : null,
			reason,
			nRows: n
		},
		folds
	};
}
