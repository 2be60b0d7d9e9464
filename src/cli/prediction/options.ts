/**
 * `predict`'s explanation and at-risk options: `--explain [K]` takes an optional count, which
 * node:util parseArgs cannot express, so it is lifted out of the arguments first; `--at-risk`
 * reads as a pass mark or a probability level depending on the model's task.
 */
import { UsageError } from '../command';
import {
	chooseRiskClass,
	validatePolicy,
	type RiskModel,
	type RiskPolicy
} from '../../lib/ml/risk';

export const DEFAULT_EXPLAIN = 3;
export const MAX_EXPLAIN = 20;

/**
 * Removes `--explain`, `--explain K` and `--explain=K` from `args`; K is 3 when not given. A
 * bare number right after `--explain` is its count: predict takes no positional arguments.
 */
export function liftExplain(
	command: string,
	args: string[]
): { args: string[]; explain: number | null } {
	const rest: string[] = [];
	let explain: number | null = null;
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a === '--') {
			rest.push(...args.slice(i));
			break;
		}
		let text: string | undefined;
		if (a === '--explain') {
			if (i + 1 < args.length && /^\d+$/.test(args[i + 1])) text = args[++i];
		} else if (a.startsWith('--explain=')) text = a.slice('--explain='.length);
		else {
			rest.push(a);
			continue;
		}
		const k = text === undefined ? DEFAULT_EXPLAIN : /^\d+$/.test(text) ? Number(text) : NaN;
		if (!(k >= 1 && k <= MAX_EXPLAIN)) {
			throw new UsageError(
				`--explain takes how many reasons to give per row, a whole number from 1 to ${MAX_EXPLAIN}; got '${text}'.`,
				command
			);
		}
		explain = k;
	}
	return { args: rest, explain };
}

export interface RiskChoice {
	policy: RiskPolicy;
	/** Why this risk class, when the command chose it; null when the user named it. */
	note: string | null;
}

/** The at-risk policy from `--at-risk` (and `--risk-class`), checked against the model. */
export function riskPolicyOption(
	command: string,
	model: RiskModel,
	atRisk: string | undefined,
	riskClass: string | undefined
): RiskChoice | null {
	if (atRisk === undefined) {
		if (riskClass !== undefined) {
			throw new UsageError(
				'--risk-class needs --at-risk: give the probability from which a row counts as at risk, e.g. --at-risk 0.5.',
				command
			);
		}
		return null;
	}
	const value = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(atRisk.trim()) ? Number(atRisk) : NaN;
	if (model.task === 'regression') {
		if (riskClass !== undefined) {
			throw new UsageError(
				'--risk-class is for models that predict a class; this one predicts a number, so --at-risk is the pass mark alone.',
				command
			);
		}
		if (!Number.isFinite(value)) {
			throw new UsageError(
				`--at-risk must be a pass mark (a number) for this model; got '${atRisk}'.`,
				command
			);
		}
		return { policy: { mode: 'mark-below', passMark: value }, note: null };
	}
	if (!(value > 0 && value <= 1)) {
		const hint = value > 1 && value <= 100 ? ` (for ${value}% write ${value / 100})` : '';
		throw new UsageError(
			`--at-risk must be a probability above 0 and at most 1 for a model that predicts a class${hint}; got '${atRisk}'.`,
			command
		);
	}
	const chosen = riskClass === undefined ? chooseRiskClass(model) : null;
	const policy: RiskPolicy = {
		mode: 'probability-above',
		riskClass: riskClass ?? chosen!.label,
		level: value
	};
	const problem = validatePolicy(policy, model);
	if (problem) throw new UsageError(`--risk-class: ${problem}`, command);
	return { policy, note: chosen ? chosen.reason : null };
}
