/** Checked conversions of option values; each failure is a usage error naming the option. */
import { UsageError } from './command';

export function intOption(
	command: string,
	option: string,
	text: string | undefined,
	min: number,
	max: number
): number | undefined {
	if (text === undefined) return undefined;
	const n = /^\d+$/.test(text) ? Number(text) : NaN;
	if (!(n >= min && n <= max)) {
		throw new UsageError(
			`--${option} must be a whole number from ${min} to ${max.toLocaleString('en')}; got '${text}'.`,
			command
		);
	}
	return n;
}

/** A decimal number strictly inside (min, max), or up to max when `maxInclusive`. */
export function numberOption(
	command: string,
	option: string,
	text: string | undefined,
	min: number,
	max: number,
	maxInclusive = false
): number | undefined {
	if (text === undefined) return undefined;
	const n = /^(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(text) ? Number(text) : NaN;
	if (!(n > min && (maxInclusive ? n <= max : n < max))) {
		throw new UsageError(
			`--${option} must be a number greater than ${min} and ${maxInclusive ? 'at most' : 'less than'} ${max}; got '${text}'.`,
			command
		);
	}
	return n;
}

export function choiceOption<T extends string>(
	command: string,
	option: string,
	text: string | undefined,
	choices: readonly T[]
): T | undefined {
	if (text === undefined) return undefined;
	if (!(choices as readonly string[]).includes(text)) {
		throw new UsageError(
			`--${option} must be one of ${choices.join(', ')}; got '${text}'.`,
			command
		);
	}
	return text as T;
}

/** A required string option: missing or empty is a usage error that says what to give. */
export function requiredOption(
	command: string,
	option: string,
	text: string | undefined,
	what: string
): string {
	if (text === undefined || text === '') {
		throw new UsageError(`Missing --${option}: ${what}.`, command);
	}
	return text;
}
