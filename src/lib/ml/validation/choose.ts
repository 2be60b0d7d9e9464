/**
 * The default validation scheme for a training run, with the reason in words a teacher can
 * read. The rule that matters most: when a student has several rows (one per subject or
 * semester), rows of one student must never sit in both train and test, or the score rewards
 * recognising the student rather than predicting the outcome.
 */
import { AppException } from '../../errors';
import { MISSING_CODE } from '../frame';
import { groupKFold, kFold, stratifiedKFold, type Fold } from './splits';
import { timeHoldout } from './time';

export type ValidationScheme = 'kfold' | 'stratified-kfold' | 'group-kfold' | 'time-holdout';
export type ValidationTask = 'regression' | 'binary' | 'multiclass';

export interface ChooseValidationInput {
	nRows: number;
	task: ValidationTask;
	/** Student (group) code per row; MISSING_CODE = unknown. */
	groups?: ArrayLike<number>;
	/** Time per row (semester index, epoch ms); NaN = unknown. */
	times?: ArrayLike<number>;
	/** Class index per row (classification). */
	labels?: ArrayLike<number>;
	/** Folds wanted; default 5, lowered when the data cannot fill them. */
	k?: number;
}

export interface ValidationChoice {
	scheme: ValidationScheme;
	/** Folds for the k-fold schemes; 1 for the time holdout. */
	k: number;
	/** One or two sentences for the teacher. */
	reason: string;
	/** Other schemes that make sense for this data, for the advanced settings. */
	alternatives: ValidationScheme[];
	/** Facts behind the choice, for the UI and the audit log. */
	facts: {
		nGroups?: number;
		maxRowsPerGroup?: number;
		nPeriods?: number;
		smallestClass?: number;
	};
}

const DEFAULT_K = 5;

function groupStats(groups: ArrayLike<number>): { nGroups: number; maxRows: number } {
	const counts = new Map<number, number>();
	let singles = 0;
	let maxRows = 0;
	for (let i = 0; i < groups.length; i++) {
		const g = groups[i];
		if (g === MISSING_CODE) {
			singles++;
			maxRows = Math.max(maxRows, 1);
			continue;
		}
		const c = (counts.get(g) ?? 0) + 1;
		counts.set(g, c);
		if (c > maxRows) maxRows = c;
	}
	return { nGroups: counts.size + singles, maxRows };
}

function countPeriods(times: ArrayLike<number>): number {
	const seen = new Set<number>();
	for (let i = 0; i < times.length; i++) if (!Number.isNaN(times[i])) seen.add(times[i]);
	return seen.size;
}

function smallestClass(labels: ArrayLike<number>): number {
	const counts = new Map<number, number>();
	for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
	let min = Infinity;
	for (const c of counts.values()) if (c < min) min = c;
	return min;
}

/**
 * Grouped k-fold when any student has several rows; otherwise stratified k-fold for classes and
 * plain k-fold for numbers. A time holdout is offered, not chosen: it scores on one period only,
 * so its number is noisier than a cross-validated one, and the user should opt in knowingly.
 */
export function chooseValidation(input: ChooseValidationInput): ValidationChoice {
	const { nRows, task, groups, times, labels } = input;
	const wanted = input.k ?? DEFAULT_K;
	if (nRows < 2) {
		throw new AppException({
			code: 'too-few-rows',
			message: `Checking a model needs at least 2 rows with a known outcome; there ${nRows === 1 ? 'is 1' : `are ${nRows}`}.`,
			details: { rows: nRows }
		});
	}
	const facts: ValidationChoice['facts'] = {};
	const alternatives: ValidationScheme[] = [];
	const nPeriods = times ? countPeriods(times) : 0;
	if (times) facts.nPeriods = nPeriods;
	if (nPeriods >= 2) alternatives.push('time-holdout');

	if (groups) {
		const { nGroups, maxRows } = groupStats(groups);
		facts.nGroups = nGroups;
		facts.maxRowsPerGroup = maxRows;
		if (maxRows > 1 && nGroups >= 2) {
			const k = Math.min(wanted, nGroups);
			return {
				scheme: 'group-kfold',
				k,
				reason:
					`Some students have several rows (up to ${maxRows}), so all rows of a student are kept ` +
					`together in ${k} groups of students: the model is always tested on students it has not seen.`,
				alternatives: [...alternatives, task === 'regression' ? 'kfold' : 'stratified-kfold'],
				facts
			};
		}
	}
	if (task !== 'regression' && labels) {
		const smallest = smallestClass(labels);
		facts.smallestClass = smallest;
		// A fold without the rare class cannot score it; fewer folds beat empty ones.
		const k = Math.max(2, Math.min(wanted, nRows, smallest));
		return {
			scheme: 'stratified-kfold',
			k,
			reason:
				`Each student is one row, so the rows are split into ${k} parts, each with the same mix of ` +
				`outcomes as the whole class` +
				(smallest < wanted
					? ` (only ${k} parts, because the rarest outcome has ${smallest} rows).`
					: '.'),
			alternatives: [...alternatives, 'kfold'],
			facts
		};
	}
	const k = Math.min(wanted, nRows);
	return {
		scheme: 'kfold',
		k,
		reason: `Each student is one row, so the rows are split at random into ${k} parts; each part is predicted by a model trained on the others.`,
		alternatives: task === 'regression' ? alternatives : [...alternatives, 'stratified-kfold'],
		facts
	};
}

export interface FoldInput {
	nRows: number;
	groups?: ArrayLike<number>;
	times?: ArrayLike<number>;
	labels?: ArrayLike<number>;
	/** Share of rows (whole periods) held out by the time holdout; default 0.2. */
	timeFraction?: number;
}

/**
 * The train/test pairs for a scheme (usually `chooseValidation`'s). The time holdout is one
 * pair; its rows with no time are in neither part.
 */
export function makeFolds(
	scheme: ValidationScheme,
	k: number,
	input: FoldInput,
	seed: number | string
): Fold[] {
	const need = <T>(x: T | undefined, what: string): T => {
		if (x === undefined) throw new RangeError(`The ${scheme} scheme needs ${what}.`);
		return x;
	};
	switch (scheme) {
		case 'kfold':
			return kFold(input.nRows, k, seed);
		case 'stratified-kfold':
			return stratifiedKFold(need(input.labels, 'class labels'), k, seed);
		case 'group-kfold':
			return groupKFold(need(input.groups, 'a student column'), k, seed);
		case 'time-holdout': {
			const { train, test } = timeHoldout(need(input.times, 'a time column'), {
				fraction: input.timeFraction ?? 0.2
			});
			return [{ train, test }];
		}
	}
}
