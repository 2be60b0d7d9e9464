/**
 * Is the model doing in class what cross-validation promised? The real error is compared with
 * the validated one; the model is flagged for retraining when the real error is worse by more
 * than a margin (default 20 %) on at least ten students. Fewer than ten results never flag: one
 * or two surprises in a handful of students say little about the model. The message says what
 * was compared, on how many students, and stays cautious while the numbers are small.
 */
import { formatNum } from './format';
import type { OutcomeMetrics } from './metrics';

export const DEFAULT_MARGIN = 0.2;
export const MIN_STUDENTS = 10;
/** Below this many students a flag is called an early sign, not a finding. */
export const FIRM_STUDENTS = 30;

export interface CompareOptions {
	/** Fewest students to flag on (default 10). */
	minN?: number;
	/** The target's name, for the message ("final_exam"). */
	target?: string;
}

export interface OutcomeComparison {
	flagged: boolean;
	message: string;
	/** The metric compared: 'rmse' (regression) or 'accuracy' (classification). */
	metric: 'rmse' | 'accuracy';
	/** Errors compared: RMSE, or 1 − accuracy. NaN when unknown. */
	realError: number;
	validatedError: number;
	/** How much worse the real error is: realError / validatedError − 1 (NaN when unknown). */
	excess: number;
}

/** The metric compared for a task. */
export function primaryMetric(task: OutcomeMetrics['task']): 'rmse' | 'accuracy' {
	return task === 'regression' ? 'rmse' : 'accuracy';
}

const pct = (x: number) => `${formatNum(x * 100, 0)}%`;
const students = (n: number) => `${n} ${n === 1 ? 'student' : 'students'}`;

export function compareWithValidated(
	real: OutcomeMetrics,
	validated: Readonly<Record<string, number>>,
	margin: number = DEFAULT_MARGIN,
	opts: CompareOptions = {}
): OutcomeComparison {
	const minN = opts.minN ?? MIN_STUDENTS;
	const metric = primaryMetric(real.task);
	const regression = real.task === 'regression';
	const toError = (v: number | undefined) =>
		v === undefined || !Number.isFinite(v) ? NaN : regression ? v : 1 - v;
	const realError = toError(real.metrics[metric]);
	const validatedError = toError(validated[metric]);
	const excess =
		Number.isFinite(realError) && Number.isFinite(validatedError) && validatedError > 0
			? realError / validatedError - 1
			: NaN;
	const base = { metric, realError, validatedError, excess };
	const n = real.n;
	const of = opts.target ? ` of ${opts.target}` : '';
	const says = (v: number) => (regression ? `an RMSE of ${formatNum(v, 2)}` : `${pct(v)} right`);
	const realSays = says(real.metrics[metric]);

	if (n === 0 || !Number.isFinite(realError)) {
		return {
			...base,
			flagged: false,
			message:
				'No actual results match the predictions yet, so there is nothing to compare. Import the results once they are in.'
		};
	}
	if (!Number.isFinite(validatedError)) {
		return {
			...base,
			flagged: false,
			message: `On ${students(n)}, the predictions${of} had ${realSays}. This model has no cross-validated score to compare with, so no verdict is given.`
		};
	}
	const expected = says(validated[metric]);
	if (n < minN) {
		return {
			...base,
			flagged: false,
			message: `Only ${students(n)} ${n === 1 ? 'has' : 'have'} both a prediction and an actual result: too few to judge the model (at least ${minN} are needed). So far the predictions had ${realSays}, against ${expected} expected from cross-validation.`
		};
	}
	const tentative = n < FIRM_STUDENTS;
	const threshold = validatedError * (1 + margin);
	if (realError > threshold) {
		const worse =
			Number.isFinite(excess) && excess < 10 ? ` (${pct(excess)} worse)` : ' (much worse)';
		return {
			...base,
			flagged: true,
			message:
				`On the ${students(n)} whose results are in, the predictions${of} had ${realSays}, against ${expected} expected from cross-validation${worse}. ` +
				'The class may have changed since the model was trained: consider retraining it with the newer results.' +
				(tentative ? ` With ${n} students this is an early sign rather than proof.` : '')
		};
	}
	const verdict =
		realError <= validatedError
			? 'at least as well as cross-validation promised'
			: `close to what cross-validation promised (within the ${pct(margin)} margin)`;
	return {
		...base,
		flagged: false,
		message:
			`On the ${students(n)} whose results are in, the predictions${of} did ${verdict}: ${realSays}, against ${expected} expected.` +
			(tentative ? ` With ${n} students this can still change as more results come in.` : '')
	};
}
