/**
 * The classification report (per-class precision, recall, F1 and support, with macro and
 * weighted averages) and the class balance summary. Definitions follow scikit-learn's
 * precision_recall_fscore_support with zero_division=0: a ratio with a zero denominator is 0.
 */
import { confusionMatrix } from './classification';

export interface ClassScores {
	precision: number;
	recall: number;
	f1: number;
	/** True rows of the class. */
	support: number;
}

export interface ClassificationReport {
	/** One entry per class index 0..nClasses−1. */
	perClass: ClassScores[];
	/** Unweighted mean over all nClasses classes (a rare class counts as much as a common one). */
	macro: ClassScores;
	/** Mean weighted by support (what the "auto" mode selects on). */
	weighted: ClassScores;
	accuracy: number;
	/** Row count. */
	total: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function classificationReport(
	yTrue: ArrayLike<number>,
	yPred: ArrayLike<number>,
	nClasses: number
): ClassificationReport {
	const m = confusionMatrix(yTrue, yPred, nClasses);
	const perClass: ClassScores[] = [];
	let hits = 0;
	let total = 0;
	for (let c = 0; c < nClasses; c++) {
		let support = 0;
		let predicted = 0;
		for (let j = 0; j < nClasses; j++) {
			support += m[c][j];
			predicted += m[j][c];
		}
		const tp = m[c][c];
		hits += tp;
		total += support;
		const precision = ratio(tp, predicted);
		const recall = ratio(tp, support);
		perClass.push({
			precision,
			recall,
			f1: ratio(2 * precision * recall, precision + recall),
			support
		});
	}
	const avg = (weighted: boolean): ClassScores => {
		let p = 0;
		let r = 0;
		let f = 0;
		let w = 0;
		for (const s of perClass) {
			const wc = weighted ? s.support : 1;
			p += wc * s.precision;
			r += wc * s.recall;
			f += wc * s.f1;
			w += wc;
		}
		return { precision: ratio(p, w), recall: ratio(r, w), f1: ratio(f, w), support: total };
	};
	return {
		perClass,
		macro: avg(false),
		weighted: avg(true),
		accuracy: ratio(hits, total),
		total
	};
}

export interface ClassBalance {
	counts: number[];
	proportions: number[];
	/** Most and least frequent class among those present (ties → lower index). */
	majority: number;
	minority: number;
	/** Largest count over smallest present count (1 = perfectly balanced). */
	imbalanceRatio: number;
	/** Classes with no rows at all (a known label that never occurs). */
	empty: number[];
	/** Classes that are rare: under `rareShare` of the rows or fewer than `rareCount` rows. */
	rare: number[];
}

export interface ClassBalanceOptions {
	/** Default 0.1: a class under 10 % of rows is flagged. */
	rareShare?: number;
	/** Default 10: too few rows to estimate a class's recall (a fold would hold about two). */
	rareCount?: number;
}

/** Counts per class and the flags the training page turns into a warning + class-weight offer. */
export function classBalance(
	labels: ArrayLike<number>,
	nClasses: number,
	opts: ClassBalanceOptions = {}
): ClassBalance {
	const rareShare = opts.rareShare ?? 0.1;
	const rareCount = opts.rareCount ?? 10;
	const counts = new Array<number>(nClasses).fill(0);
	for (let i = 0; i < labels.length; i++) {
		const c = labels[i];
		if (c >= 0 && c < nClasses) counts[c]++;
	}
	const n = counts.reduce((s, c) => s + c, 0);
	let majority = -1;
	let minority = -1;
	const empty: number[] = [];
	const rare: number[] = [];
	for (let c = 0; c < nClasses; c++) {
		if (counts[c] === 0) {
			empty.push(c);
			continue;
		}
		if (majority < 0 || counts[c] > counts[majority]) majority = c;
		if (minority < 0 || counts[c] < counts[minority]) minority = c;
		if (counts[c] < rareShare * n || counts[c] < rareCount) rare.push(c);
	}
	return {
		counts,
		proportions: counts.map((c) => ratio(c, n)),
		majority,
		minority,
		imbalanceRatio: majority < 0 ? NaN : counts[majority] / counts[minority],
		empty,
		rare
	};
}
