/**
 * Number and word formatting for generated persona text. Every number that reaches a sentence
 * goes through here, so no sentence shows an unrounded float, "NaN" or "undefined".
 */

/** A whole number with thousands separators ("1,234"); "0" for anything not finite. */
export function int(n: number): string {
	if (!Number.isFinite(n)) return '0';
	const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return n < 0 && Math.round(n) !== 0 ? `−${s}` : s;
}

/** A share as a whole percentage ("31%"); below 1% but above 0 reads "<1%". */
export function pct(fraction: number): string {
	if (!Number.isFinite(fraction)) return '0%';
	const p = Math.round(100 * fraction);
	if (p === 0 && fraction > 0) return '<1%';
	return `${p}%`;
}

/** A size in SD units, one decimal: "1.2 SD". */
export function sd(z: number): string {
	const v = Math.abs(z);
	return `${Number.isFinite(v) ? v.toFixed(1) : '0.0'} SD`;
}

/** A signed SD value for lists: "+1.2 SD", "−0.8 SD". */
export function signedSd(z: number): string {
	const r = Number.isFinite(z) ? Math.round(z * 10) / 10 : 0;
	return `${r < 0 ? '−' : '+'}${Math.abs(r).toFixed(1)} SD`;
}

/**
 * A value in a column's own units, rounded to what its spread justifies: whole numbers when
 * the class varies by 5 or more, one decimal above 0.5, two below.
 */
export function value(v: number, spread: number): string {
	if (!Number.isFinite(v)) return '0';
	const s = Math.abs(spread);
	const digits = s >= 5 || !Number.isFinite(s) ? 0 : s >= 0.5 ? 1 : 2;
	const text = v.toFixed(digits);
	if (!text.startsWith('-')) return text;
	return Number(text) === 0 ? text.slice(1) : `−${text.slice(1)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
	return `${int(n)} ${n === 1 ? one : many}`;
}

/** "a", "a and b", "a, b and c". */
export function listJoin(items: readonly string[]): string {
	if (items.length <= 1) return items[0] ?? '';
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "Hours_Studied" → "hours studied"; keeps acronyms ("GPA") as they are. */
export function humanise(name: string): string {
	const spaced = name
		.replace(/[_\-.]+/g, ' ')
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.replace(/\s+/g, ' ')
		.trim();
	return spaced
		.split(' ')
		.map((w) => (w.length > 1 && w === w.toUpperCase() && /[A-Z]/.test(w) ? w : w.toLowerCase()))
		.join(' ');
}

/** Lower-case alphanumerics only, for matching column names against known words. */
export function normalise(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function capitalise(s: string): string {
	return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** Lower-cases the first letter unless the first word is an acronym ("GPA …"). */
export function decapitalise(s: string): string {
	if (s.length > 1 && s[1] === s[1].toUpperCase() && /[A-Z]/.test(s[1])) return s;
	return s ? s[0].toLowerCase() + s.slice(1) : s;
}

/** “Name” in typographic quotes. */
export function q(name: string): string {
	return `“${name}”`;
}
