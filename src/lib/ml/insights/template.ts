/**
 * Message templates and the numbers in them. Every number a teacher, parent or student reads
 * goes through formatOnScale, so there is no float noise ("4.499999"), and every placeholder
 * is filled with text, never "undefined" or "NaN".
 */
import { formatNum } from '../../format';
import type { Scale } from './types';

/** Shown for a placeholder with nothing to fill it (no class statistics, no interval). */
export const NOT_AVAILABLE = 'n/a';

/** Placeholders a message template may use; `value2`, `threshold3`, `label2`… name later conditions. */
export const TEMPLATE_PLACEHOLDERS = [
	'value',
	'threshold',
	'label',
	'classMedian',
	'classMean',
	'classQ1',
	'classQ3',
	'scale',
	'predicted',
	'interval',
	'risk',
	'student'
] as const;

const INDEXED = /^(value|threshold|label)([1-9])$/;

export function isKnownPlaceholder(name: string): boolean {
	return (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name) || INDEXED.test(name);
}

/** The placeholder names a template uses, in order, repeats included. */
export function placeholdersOf(template: string): string[] {
	return [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1].trim());
}

/** Fills {name} placeholders; one with no value becomes NOT_AVAILABLE, other text is kept. */
export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
	const filled = template.replace(/\{([^{}]*)\}/g, (_, raw: string) => {
		const name = raw.trim();
		const v = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
		return v === undefined || v === '' ? NOT_AVAILABLE : v;
	});
	return filled.replace(/[ \t]{2,}/g, ' ').trim();
}

/**
 * Decimals worth showing on a scale: tenths out of 10, 20 or 100, hundredths of a GPA. Coarse
 * (for students and parents): whole percents, tenths of a GPA.
 */
function digitsFor(scale: Scale, v: number, coarse: boolean): number {
	switch (scale.kind) {
		case 'gpa4':
			return coarse ? 1 : 2;
		case 'fraction':
		case 'percent':
			return coarse ? 0 : 1;
		case 'ten':
		case 'twenty':
			return 1;
		default: {
			const a = Math.abs(v);
			return a >= 100 || (coarse && a >= 10) ? 0 : a >= 10 ? 1 : coarse ? 1 : 2;
		}
	}
}

/** A number rounded for people, with at most `digits` decimals; "n/a" for anything not finite. */
export function formatNumber(v: number, digits = 1): string {
	if (!Number.isFinite(v)) return NOT_AVAILABLE;
	return formatNum(v, digits);
}

/** A value on its scale: "72%", "4.5/10", "13/20", "3.25/4", or the rounded number. */
export function formatOnScale(v: number, scale: Scale, coarse = false): string {
	if (!Number.isFinite(v)) return NOT_AVAILABLE;
	const d = digitsFor(scale, v, coarse);
	switch (scale.kind) {
		case 'fraction':
			return `${formatNum(v * 100, d)}%`;
		case 'percent':
			return `${formatNum(v, d)}%`;
		case 'ten':
			return `${formatNum(v, d)}/10`;
		case 'twenty':
			return `${formatNum(v, d)}/20`;
		case 'gpa4':
			return `${formatNum(v, d)}/4`;
		default:
			return formatNum(v, d);
	}
}

/** A probability (0–1) as a whole percent, kept off 0 % and 100 %: a model is never that sure. */
export function formatProbability(p: number): string {
	if (!Number.isFinite(p)) return NOT_AVAILABLE;
	const pct = Math.round(p * 100);
	return `${Math.min(99, Math.max(1, pct))}%`;
}

/** Small stable hash of a string (FNV-1a), to vary phrasing per student deterministically. */
export function hashString(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
	if (items.length === 0) return '';
	if (items.length === 1) return items[0];
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Text from data (labels, subjects, names) with control characters and spacing tidied. */
export function cleanText(s: string, max = 120): string {
	const t = s.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
	return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
