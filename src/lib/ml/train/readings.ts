/**
 * One plain-language sentence per figure of the diagnostics page, for a teacher rather than a
 * data scientist. Template-based (no LLM): numbers are rounded
 * for people (marks to one decimal, shares to whole percentages), an undefined number is named
 * as unknown instead of printed, and a prediction is never stated as a certainty.
 */
import type {
	ClassificationDiagnostics,
	FigureKey,
	ImportanceEntry,
	LearningCurve,
	RegressionDiagnostics
} from './types';

export type Readings = Partial<Record<FigureKey, string>>;

/** Residual summary over all rows; the diagnostics keep only a sample of the rows themselves. */
export interface ResidualSummary {
	/** 10th and 90th percentiles of actual − predicted. */
	p10: number;
	p90: number;
	mean: number;
}

export type RegressionReadingInput = Omit<RegressionDiagnostics, 'readings'> & {
	residuals: ResidualSummary;
};
export type ClassificationReadingInput = Omit<ClassificationDiagnostics, 'readings'>;

/** A calibration gap (ECE) above this is visible on the chart and worth a warning. */
export const POOR_CALIBRATION = 0.1;
/** Within 2 % of the baseline's error counts as no better: fold noise is at least that large. */
const NO_BETTER = 0.98;

/**
 * A quantity for people (marks, losses): one decimal, two below 0.1 (a GPA error of 0.04 must
 * not read as 0), never an exponent, never "-0".
 */
export function num(x: number): string {
	if (!Number.isFinite(x)) return 'unknown';
	const a = Math.abs(x);
	if (a >= 1e6) return `${num(x / 1e6)} million`;
	return fixed(x, a >= 0.095 ? 1 : 2);
}

/** A 0–1 score (AUC, Brier, average precision): two decimals, as they are usually quoted. */
export function score(x: number): string {
	return Number.isFinite(x) ? fixed(x, 2) : 'unknown';
}

function fixed(x: number, digits: number): string {
	const a = Math.abs(x);
	if (a > 0 && a < 0.005) return x > 0 ? 'under 0.01' : 'just under 0';
	const s = x.toFixed(digits).replace(/\.0+$/, '');
	return /^-0(\.0+)?$/.test(s) ? '0' : s.replace(/^-/, '−');
}

/** A share as a whole percentage; a non-zero share that rounds to 0 or 100 says so. */
export function pct(share: number): string {
	if (!Number.isFinite(share)) return 'an unknown share';
	const p = Math.round(share * 100);
	if (p === 0 && share > 0) return 'under 1%';
	if (p === 100 && share < 1) return 'over 99%';
	return `${p}%`;
}

function signed(x: number): string {
	const s = num(x);
	return x > 0 && s !== '0' && !s.startsWith('under') ? `+${s}` : s;
}

function list(items: string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The unit errors are read in, guessed from the target's name; no unit rather than a wrong one
 * (a GPA is not in marks).
 */
export function unitOf(target: string): string {
	const t = target.toLowerCase();
	if (/percent|pct|%|attendance|rate/.test(t)) return ' percentage points';
	if (/gpa|grade_?point/.test(t)) return ' grade points';
	if (/mark|score|exam|test|quiz|cats|rats|assignment|points/.test(t)) return ' marks';
	return '';
}

export function learningReading(lc: LearningCurve | null): string | undefined {
	if (!lc || lc.train.length === 0) return undefined;
	const steps = lc.train.length;
	const unit = lc.unit;
	const val = lc.validation && lc.validation.length > 0 ? lc.validation : null;
	if (!val) {
		return `The training ${lc.metric} went from ${num(lc.train[0])} to ${num(lc.train[steps - 1])} over ${plural(steps, unit)}; without a validation split this curve cannot show whether the model started to learn the training rows by heart.`;
	}
	let lowest = 0;
	for (let i = 1; i < val.length; i++) if (val[i] < val[lowest]) lowest = i;
	const last = val[val.length - 1];
	const rose = last > val[lowest] + 0.05 * Math.abs(val[lowest]) + 1e-12;
	if (lc.best < val.length) {
		return `The validation ${lc.metric} stopped improving, so training stopped early and the model from ${unit} ${lc.best} of ${val.length} is kept: later ${unit}s would only have fitted the training rows more closely, not new students.`;
	}
	if (rose) {
		return `The validation ${lc.metric} is lowest at ${unit} ${lowest + 1} and rises afterwards: a sign of overfitting (learning the training rows by heart), so fewer ${unit}s would likely predict new students better.`;
	}
	return `Training and validation ${lc.metric} were still level or falling at the last ${unit} (${steps}), so the model does not show signs of overfitting; more ${unit}s might help a little.`;
}

export function importanceReading(
	importance: ImportanceEntry[],
	target: string
): string | undefined {
	const top = importance
		.filter((e) => Number.isFinite(e.share))
		.sort((a, b) => b.share - a.share)
		.slice(0, 3);
	if (top.length === 0) return undefined;
	const names = list(top.map((e) => `${e.feature} (${pct(e.share)})`));
	return `The predictions lean most on ${names}; this shows what the model uses, not what causes ${target}.`;
}

function withShared(
	out: Readings,
	lc: LearningCurve | null,
	importance: ImportanceEntry[],
	target: string
): Readings {
	const learning = learningReading(lc);
	if (learning) out.learning = learning;
	const imp = importanceReading(importance, target);
	if (imp) out.importance = imp;
	return out;
}

export function regressionReadings(d: RegressionReadingInput): Readings {
	const unit = unitOf(d.target);
	const { mae, r2 } = d.metrics;
	const base = d.baseline.mae;
	const better = mae < NO_BETTER * base;
	const explained =
		r2 > 0 ? `about ${pct(r2)} of the differences` : 'almost none of the differences';
	const summary =
		`On average the predicted ${d.target} is ${num(mae)}${unit} off (guessing the class average: ${num(base)} off)` +
		(better
			? '.'
			: ', so the model is no better than guessing: treat its predictions with caution.');
	const shown =
		d.actual.length < d.nRows
			? ` (a random sample of ${d.actual.length} of the ${d.nRows} rows is shown)`
			: '';
	const scatter = `Points close to the diagonal are students predicted well and points far from it are students whose actual ${d.target} differed most from the prediction${shown}; the model explains ${explained} in ${d.target} between students.`;

	const { p10, p90, mean } = d.residuals;
	// A lean smaller than a tenth of the typical error is noise, not a habit worth reporting.
	const leans = Math.abs(mean) > 0.1 * Math.max(mae, 1e-12) && num(Math.abs(mean)) !== '0';
	const lean = !leans
		? 'the errors are spread around zero, so the model does not lean towards too high or too low'
		: mean > 0
			? `on average the predictions are ${num(mean)}${unit} too low`
			: `on average the predictions are ${num(-mean)}${unit} too high`;
	const range =
		num(p10) === num(p90)
			? `Most errors (8 students in 10) are about ${signed(p10)}${unit}`
			: `Most errors (8 students in 10) are between ${signed(p10)} and ${signed(p90)}${unit}`;
	const residuals = `${range}; ${lean}.`;

	return withShared({ summary, scatter, residuals }, d.learningCurve, d.importance, d.target);
}

/** How the teacher's class label reads in a sentence: "students whose grade is B". */
const whose = (target: string, label: string) => `students whose ${target} is ${label}`;

function classificationSummary(d: ClassificationReadingInput): string {
	const acc = d.metrics.accuracy;
	const baseAcc = d.baseline.accuracy;
	const s = `The model predicts ${d.target} correctly for ${pct(acc)} of students (always guessing the most common class: ${pct(baseAcc)}); counting each class equally it is right ${pct(d.metrics.balanced_accuracy)} of the time`;
	return acc - baseAcc > 0.02 || d.metrics.balanced_accuracy - d.baseline.balanced_accuracy > 0.02
		? `${s}.`
		: `${s}, no better than guessing, so treat its predictions with caution.`;
}

function reportReading(d: ClassificationReadingInput): string {
	let worst = -1;
	for (let c = 0; c < d.classes.length; c++) {
		const s = d.report.perClass[c];
		if (s.support === 0) continue;
		if (worst < 0 || s.recall < d.report.perClass[worst].recall) worst = c;
	}
	if (worst < 0) return `There are no rows to score the classes on.`;
	const s = d.report.perClass[worst];
	const found = d.confusion[worst][worst];
	if (s.recall === 1) {
		return `The model found every student in every class of ${d.target} in these held-out rows; new students may still be missed.`;
	}
	// "only" is a warning; a weakest class found 90% of the time does not deserve one.
	const only = s.recall < 0.7 ? 'only ' : '';
	return `The model finds ${only}${pct(s.recall)} of ${whose(d.target, d.classes[worst])} (${found} of ${s.support}), its weakest class; when it does predict ${d.classes[worst]} it is right ${pct(s.precision)} of the time.`;
}

function confusionReading(d: ClassificationReadingInput): string {
	let best = { t: -1, p: -1, count: 0 };
	d.confusion.forEach((row, t) =>
		row.forEach((count, p) => {
			if (t !== p && count > best.count) best = { t, p, count };
		})
	);
	if (best.count === 0) {
		return `Every student in these held-out rows was predicted in their actual ${d.target}; new students may still be misclassified.`;
	}
	return `Students with ${d.target} ${d.classes[best.t]} were most often predicted as ${d.classes[best.p]} (${plural(best.count, 'time')}).`;
}

function brierReading(d: ClassificationReadingInput): string {
	const b = d.metrics.brier_macro;
	const base = d.baseline.brier_macro;
	const verdict =
		b < NO_BETTER * base
			? 'lower, so the predicted chances carry real information'
			: 'not lower, so the predicted chances add little to the class shares';
	return `The Brier score measures how close the predicted chances are to what happened (0 is perfect): ${score(b)} against ${score(base)} for guessing the class shares, ${verdict}.`;
}

function reliabilityReading(d: ClassificationReadingInput): string {
	const { bins, ece, mode } = d.reliability;
	let bin = bins[0];
	for (const b of bins) if (b.count > bin.count) bin = b;
	const pos = d.classes[1];
	const example =
		mode === 'positive'
			? `When the model gives a ${pct(bin.meanPredicted)} chance of ${pos}, about ${pct(bin.observed)} of those students actually are ${pos}`
			: `When the model is about ${pct(bin.meanPredicted)} sure, it is right about ${pct(bin.observed)} of the time`;
	const verdict =
		ece > POOR_CALIBRATION
			? `its percentages are on average ${Math.round(ece * 100)} points off, which is poor calibration: read them as rough rankings, not exact chances`
			: `its percentages are on average ${Math.round(ece * 100)} points off, close enough to read them as chances`;
	return `${example}; ${verdict}.`;
}

function rocReading(d: ClassificationReadingInput): string | undefined {
	if (d.task !== 'binary') return undefined;
	const pos = d.classes[1];
	if (!d.roc) {
		return `The ROC curve needs students of both classes, but these rows hold only one, so how well the model tells ${pos} apart is unknown.`;
	}
	const auc = d.roc.auc;
	const quality =
		auc >= 0.9
			? 'very well'
			: auc >= 0.8
				? 'well'
				: auc >= 0.7
					? 'fairly'
					: auc > 0.55
						? 'weakly'
						: 'no better than a coin flip';
	return `ROC AUC ${score(auc)}: given one student who is ${pos} and one who is not, the model gives the ${pos} student the higher chance ${pct(auc)} of the time (50% is a coin flip), so it separates them ${quality}.`;
}

function prReading(d: ClassificationReadingInput): string | undefined {
	if (d.task !== 'binary') return undefined;
	const pos = d.classes[1];
	if (!d.pr) {
		return `No student in these rows is ${pos}, so how precisely the model finds ${pos} students is unknown.`;
	}
	const prevalence = d.balance.proportions[1];
	return `Average precision ${score(d.pr.averagePrecision)} against about ${score(prevalence)} for flagging students at random (the share who are ${pos}); along the curve, finding more ${pos} students costs more false alarms.`;
}

function balanceReading(d: ClassificationReadingInput): string {
	const { counts, proportions, rare, empty } = d.balance;
	const parts: string[] = [];
	if (counts.length - empty.length === 1) {
		const only = counts.findIndex((c) => c > 0);
		parts.push(
			`Only ${d.target} ${d.classes[only]} occurs in these rows, so how well the model tells the classes apart cannot be checked`
		);
	} else if (rare.length > 0) {
		const names = list(
			rare.map((c) => `${d.classes[c]} (${plural(counts[c], 'row')}, ${pct(proportions[c])})`)
		);
		parts.push(
			`${names} ${rare.length === 1 ? 'is' : 'are'} rare, so the model sees few examples and may overlook ${rare.length === 1 ? 'it' : 'them'}; consider the 'balanced' class-weight option`
		);
	} else {
		const shares = proportions.filter((_, c) => counts[c] > 0);
		parts.push(
			`The classes are reasonably balanced (from ${pct(Math.min(...shares))} to ${pct(Math.max(...shares))} of rows)`
		);
	}
	if (empty.length > 0) {
		parts.push(
			`no row has ${d.target} ${list(empty.map((c) => d.classes[c]))}, so the model has no examples of ${empty.length === 1 ? 'it' : 'them'}`
		);
	}
	return `${parts.join('; ')}.`;
}

export function classificationReadings(d: ClassificationReadingInput): Readings {
	const out: Readings = {
		summary: classificationSummary(d),
		report: reportReading(d),
		confusion: confusionReading(d),
		brier: brierReading(d),
		balance: balanceReading(d)
	};
	if (d.reliability.bins.length > 0) out.reliability = reliabilityReading(d);
	const roc = rocReading(d);
	if (roc) out.roc = roc;
	const pr = prReading(d);
	if (pr) out.pr = pr;
	return withShared(out, d.learningCurve, d.importance, d.target);
}
