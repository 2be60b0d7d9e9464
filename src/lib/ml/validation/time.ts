/**
 * Time-ordered holdout: train on earlier periods, test on the latest, as a school meets next
 * term's data. A period (semester, week, date) is never split between train and test, otherwise
 * the model would have seen classmates' results from the very term it is scored on.
 */
import { AppException } from '../../errors';
import type { Split } from './holdout';

/**
 * Which periods to hold out:
 * - `{ fraction }`: the latest whole periods whose rows come closest to that share of the data;
 * - `{ from }`: every period with time ≥ from;
 * - `{ lastPeriods }`: the latest N distinct periods.
 */
export type TimeHoldoutSpec = { fraction: number } | { from: number } | { lastPeriods: number };

export interface TimeSplit extends Split {
	/** The earliest time in the test part. */
	cutoff: number;
	trainPeriods: number;
	testPeriods: number;
	/** Rows with no (NaN) time: in neither part, because they cannot be placed in order. */
	excluded: Uint32Array;
}

/** `times` are numbers (semester index, epoch ms…); NaN = unknown. */
export function timeHoldout(times: ArrayLike<number>, spec: TimeHoldoutSpec): TimeSplit {
	const n = times.length;
	const counts = new Map<number, number>();
	for (let i = 0; i < n; i++) {
		const t = times[i];
		if (Number.isNaN(t)) continue;
		counts.set(t, (counts.get(t) ?? 0) + 1);
	}
	const periods = [...counts.keys()].sort((a, b) => a - b);
	const nKnown = periods.reduce((s, p) => s + (counts.get(p) as number), 0);
	if (periods.length < 2) {
		throw new AppException({
			code: 'too-few-periods',
			message:
				'A time-ordered check needs at least two different periods (for example two semesters); the data has ' +
				`${periods.length}.`,
			details: { periods: periods.length }
		});
	}
	// Index of the first test period; test = periods[first..].
	let first: number;
	if ('fraction' in spec) {
		const frac = spec.fraction;
		if (!(frac > 0 && frac < 1)) throw new RangeError('fraction must be between 0 and 1.');
		const target = frac * nKnown;
		first = periods.length - 1;
		let taken = counts.get(periods[first]) as number;
		// Add earlier periods while that brings the test size closer to the target.
		while (first > 1) {
			const more = taken + (counts.get(periods[first - 1]) as number);
			if (Math.abs(more - target) >= Math.abs(taken - target)) break;
			taken = more;
			first--;
		}
	} else if ('from' in spec) {
		first = periods.findIndex((p) => p >= spec.from);
		if (first <= 0) {
			throw new AppException({
				code: first < 0 ? 'no-test-period' : 'no-train-period',
				message:
					first < 0
						? 'No rows are at or after the chosen test start, so there is nothing to test on.'
						: 'Every row is at or after the chosen test start, so there is nothing earlier to train on.',
				details: { from: spec.from }
			});
		}
	} else {
		const m = spec.lastPeriods;
		if (!Number.isInteger(m) || m < 1 || m >= periods.length) {
			throw new RangeError(`lastPeriods must be between 1 and ${periods.length - 1}.`);
		}
		first = periods.length - m;
	}
	const cutoff = periods[first];
	let nTest = 0;
	let nExcluded = 0;
	for (let i = 0; i < n; i++) {
		if (Number.isNaN(times[i])) nExcluded++;
		else if (times[i] >= cutoff) nTest++;
	}
	const train = new Uint32Array(n - nTest - nExcluded);
	const test = new Uint32Array(nTest);
	const excluded = new Uint32Array(nExcluded);
	let a = 0;
	let b = 0;
	let c = 0;
	for (let i = 0; i < n; i++) {
		const t = times[i];
		if (Number.isNaN(t)) excluded[c++] = i;
		else if (t >= cutoff) test[b++] = i;
		else train[a++] = i;
	}
	return {
		train,
		test,
		cutoff,
		trainPeriods: first,
		testPeriods: periods.length - first,
		excluded
	};
}
