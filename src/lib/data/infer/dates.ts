/**
 * Date cells: ISO 8601 dates and date-times (with or without Z or an offset), dd/mm/yyyy or
 * mm/dd/yyyy as the column's sample decides, dd.mm.yyyy, yyyy/mm/dd, each with an optional time.
 * The ISO shapes exports and logs write are read by character codes; the rest by one regex.
 */

export type DateOrder = 'dmy' | 'mdy' | 'ymd';

const DATE =
	/^(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([ap]\.?m\.?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/i;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
	if (month !== 2) return DAYS[month - 1];
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** The pieces of a date-like cell, before the day/month order is applied. */
export interface DateParts {
	first: string;
	sep: string;
	second: string;
	third: string;
}

/** Splits a date-like cell; null when it is not shaped like a date at all. */
export function dateParts(raw: string): DateParts | null {
	const m = DATE.exec(raw.trim());
	return m ? { first: m[1], sep: m[2], second: m[3], third: m[4] } : null;
}

function fullYear(text: string): number {
	if (text.length === 4) return Number(text);
	if (text.length !== 2) return NaN;
	// Two-digit years: 00–69 are this century, 70–99 the last (the POSIX pivot).
	const y = Number(text);
	return y < 70 ? 2000 + y : 1900 + y;
}

function digit(raw: string, i: number): number {
	const d = raw.charCodeAt(i) - 48;
	return d >= 0 && d <= 9 ? d : NaN;
}

/**
 * "2024-09-02", "2024-09-02T08:15:00" and the same with "Z" or a space: what exports and logs
 * write, read by character codes. NaN sends the cell to the general parser.
 */
function parseIsoFast(raw: string): number {
	const n = raw.length;
	if (n !== 10 && n !== 19 && n !== 20) return NaN;
	if (raw.charCodeAt(4) !== 45 || raw.charCodeAt(7) !== 45) return NaN;
	const y = digit(raw, 0) * 1000 + digit(raw, 1) * 100 + digit(raw, 2) * 10 + digit(raw, 3);
	const mo = digit(raw, 5) * 10 + digit(raw, 6);
	const d = digit(raw, 8) * 10 + digit(raw, 9);
	if (!(y >= 1000) || !(mo >= 1 && mo <= 12) || !(d >= 1 && d <= daysIn(y, mo))) return NaN;
	if (n === 10) return Date.UTC(y, mo - 1, d);
	const sep = raw.charCodeAt(10);
	if ((sep !== 84 && sep !== 32) || raw.charCodeAt(13) !== 58 || raw.charCodeAt(16) !== 58) {
		return NaN;
	}
	if (n === 20 && raw.charCodeAt(19) !== 90) return NaN;
	const h = digit(raw, 11) * 10 + digit(raw, 12);
	const mi = digit(raw, 14) * 10 + digit(raw, 15);
	const sec = digit(raw, 17) * 10 + digit(raw, 18);
	if (!(h <= 23 && mi <= 59 && sec <= 59)) return NaN;
	return Date.UTC(y, mo - 1, d, h, mi, sec);
}

/**
 * Milliseconds since the epoch (UTC), or NaN. A four-digit first part is always year-first
 * (ISO 8601, yyyy/mm/dd); dotted dates are always day-first (dd.mm.yyyy, the German and
 * Scandinavian habit); otherwise `order` decides between dd/mm and mm/dd. A time without an
 * offset is read as UTC so that the same file gives the same numbers on every machine.
 */
export function parseDate(raw: string, order: DateOrder = 'dmy'): number {
	const fast = parseIsoFast(raw);
	if (fast === fast) return fast;
	const m = DATE.exec(raw.length > 40 ? '' : raw.trim());
	if (!m) return NaN;
	const [, a, sep, b, c, hh, mm, ss, fraction, ampm, zone] = m;
	let y: number;
	let mo: number;
	let d: number;
	if (a.length === 4) {
		if (c.length > 2) return NaN;
		y = Number(a);
		mo = Number(b);
		d = Number(c);
	} else {
		if (a.length > 2) return NaN;
		y = fullYear(c);
		const dayFirst = sep === '.' || order !== 'mdy';
		d = Number(dayFirst ? a : b);
		mo = Number(dayFirst ? b : a);
	}
	if (!(y >= 1000) || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return NaN;
	let h = hh === undefined ? 0 : Number(hh);
	const mi = mm === undefined ? 0 : Number(mm);
	const s = ss === undefined ? 0 : Number(ss);
	if (ampm !== undefined) {
		if (h < 1 || h > 12) return NaN;
		const pm = ampm[0].toLowerCase() === 'p';
		h = (h % 12) + (pm ? 12 : 0);
	}
	if (h > 23 || mi > 59 || s > 59) return NaN;
	const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000 + 1e-6);
	let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
	if (zone !== undefined && zone.toLowerCase() !== 'z') {
		const digits = zone.replace(':', '');
		const offset = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
		if (offset > 14 * 60) return NaN;
		t -= (zone[0] === '-' ? -1 : 1) * offset * 60_000;
	}
	return t;
}

export interface DateOrderGuess {
	order: DateOrder;
	/** True when no value showed which part is the day (every part was 12 or less). */
	ambiguous: boolean;
	/** True when some values were clearly dd/mm and others clearly mm/dd. */
	conflicting: boolean;
}

/**
 * Decides dd/mm vs mm/dd from a column's sample: a first part above 12 can only be a day, a
 * second part above 12 only a day. With no such value the column is ambiguous and `fallback`
 * (dd/mm unless configured) wins; the plan says so, so the user can flip it on the preview.
 */
export function detectDateOrder(
	samples: Iterable<string>,
	fallback: 'dmy' | 'mdy' = 'dmy'
): DateOrderGuess {
	let dmy = 0;
	let mdy = 0;
	let short = 0;
	let yearFirst = 0;
	for (const raw of samples) {
		const p = dateParts(raw);
		if (!p) continue;
		if (p.first.length === 4) {
			yearFirst++;
			continue;
		}
		if (p.sep === '.') continue;
		short++;
		if (Number(p.first) > 12) dmy++;
		if (Number(p.second) > 12) mdy++;
	}
	if (short === 0 && yearFirst > 0) return { order: 'ymd', ambiguous: false, conflicting: false };
	if (dmy === 0 && mdy === 0) return { order: fallback, ambiguous: short > 0, conflicting: false };
	return { order: mdy > dmy ? 'mdy' : 'dmy', ambiguous: false, conflicting: dmy > 0 && mdy > 0 };
}
