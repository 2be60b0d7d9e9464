/**
 * Cell parsers: one raw string in, one number out (NaN when the text is not that kind of value).
 * They run once per cell of a file that may have twenty million cells, so the common shapes
 * ("123", "12.5", "2024-09-02") take a path with no regular expression and no allocation; the
 * regex-based slow paths only see the odd cell with separators, percent signs or times.
 */
import { DEFAULT_MISSING_TOKENS } from '../types';

export type DecimalMark = '.' | ',';
export type { DateOrder } from './dates';
export {
	dateParts,
	detectDateOrder,
	parseDate,
	type DateOrderGuess,
	type DateParts
} from './dates';

// Exact powers of ten: mantissa / 10^k is then a single correctly rounded IEEE division.
const POW10 = [
	1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16
];

/**
 * "123", "-12.5", ".5", "85%": digits with at most one decimal mark, an optional leading minus
 * and an optional percent sign. Up to fifteen digits the mantissa is an exact integer below 2^53
 * and 10^k is exact, so mantissa / 10^k is one correctly rounded division: exactly what Number()
 * gives, without building a string. Longer plain numbers (a spreadsheet's full-precision
 * averages) go to Number() on the text itself, which is what the slow path would end up doing
 * after its regular expressions. Anything else returns NaN and the caller decides whether to
 * try the slow path.
 */
export function parsePlainNumber(raw: string, decimal: DecimalMark): number {
	return plainNumberAt(raw, 0, raw.length, decimal);
}

/**
 * parsePlainNumber of text[start, end) without cutting the cell out of the text: the frame
 * builder reads CSV cells where the reader found them.
 */
export function plainNumberAt(
	text: string,
	start: number,
	end: number,
	decimal: DecimalMark
): number {
	return plainNumberInto(text, start, end, decimal, SCRATCH, 0) ? SCRATCH[0] : NaN;
}

const SCRATCH = new Float64Array(1);

/**
 * plainNumberAt, its number written to out[at] instead of returned; false (and out untouched)
 * where it would return NaN. A double that leaves a function not inlined into its caller is
 * boxed on the heap; one written into a typed array never is, and the frame builder calls this
 * for every numeric cell of the file.
 */
export function plainNumberInto(
	text: string,
	start: number,
	end: number,
	decimal: DecimalMark,
	out: Float64Array,
	at: number
): boolean {
	let n = end;
	if (n > start && text.charCodeAt(n - 1) === 37) n--;
	if (n === start || n - start > 40) return false;
	const mark = decimal === '.' ? 46 : 44;
	let i = start;
	let neg = false;
	if (text.charCodeAt(i) === 45) {
		neg = true;
		i++;
	}
	let mant = 0;
	let digits = 0;
	let frac = -1;
	for (; i < n; i++) {
		const c = text.charCodeAt(i);
		const d = c - 48;
		if (d >= 0 && d <= 9) {
			mant = mant * 10 + d;
			digits++;
			if (frac >= 0) frac++;
		} else if (c === mark && frac < 0) {
			frac = 0;
		} else {
			return false;
		}
	}
	if (digits === 0) return false;
	if (digits > 15) return longNumberInto(text.slice(start, n), mark, out, at);
	const v = frac > 0 ? mant / POW10[frac] : mant;
	out[at] = neg ? -v : v;
	return true;
}

/**
 * plainNumberInto for the field that starts at text[start] and runs to the next `delimiter` or
 * to `end`, without knowing beforehand where it ends: the digits are read until the first other
 * character, which must end the field (an optional percent sign before it). Returns where the
 * field ends, or -1, out untouched, where plainNumberInto of the whole field would be false,
 * or where the field goes on past what a plain number can hold (then the caller finds its end).
 */
export function plainNumberField(
	text: string,
	start: number,
	end: number,
	delimiter: number,
	decimal: DecimalMark,
	out: Float64Array,
	at: number
): number {
	const mark = decimal === '.' ? 46 : 44;
	let i = start;
	let neg = false;
	if (i < end && text.charCodeAt(i) === 45) {
		neg = true;
		i++;
	}
	let mant = 0;
	let digits = 0;
	let frac = -1;
	for (; i < end; i++) {
		const c = text.charCodeAt(i);
		const d = c - 48;
		if (d >= 0 && d <= 9) {
			mant = mant * 10 + d;
			digits++;
			if (frac >= 0) frac++;
		} else if (c === mark && frac < 0 && c !== delimiter) {
			frac = 0;
		} else {
			break;
		}
	}
	// i is where the number stops; a percent sign may follow, then the field must end.
	const stop = i < end && text.charCodeAt(i) === 37 ? i + 1 : i;
	if (stop < end && text.charCodeAt(stop) !== delimiter) return -1;
	if (digits === 0 || i - start > 40) return -1;
	if (digits > 15) return longNumberInto(text.slice(start, i), mark, out, at) ? stop : -1;
	const v = frac > 0 ? mant / POW10[frac] : mant;
	out[at] = neg ? -v : v;
	return stop;
}

/** A plain number of more than fifteen digits: Number() on its text (see parsePlainNumber). */
function longNumberInto(cut: string, mark: number, out: Float64Array, at: number): boolean {
	// The shape is checked already: only digits, one mark and a leading minus remain.
	const v = Number(mark === 46 ? cut : cut.replace(',', '.'));
	if (!Number.isFinite(v)) return false;
	out[at] = v;
	return true;
}

// Spaces people and spreadsheets put between thousands: plain, no-break, narrow no-break, thin.
const SPACE_GROUPS = ' \u00a0\u202f\u2009';
const DIGITS = /^\d+$/;
const SCIENTIFIC = /^(\d+\.?\d*|\.\d+)[eE][+-]?\d{1,3}$/;

function isGroupChar(ch: string, decimal: DecimalMark): boolean {
	return SPACE_GROUPS.includes(ch) || ch === "'" || ch === (decimal === '.' ? ',' : '.');
}

/** "1,234" / "1 234" / "1.234": a 1–3 digit head, then groups of exactly three, one separator kind. */
function ungroup(int: string, decimal: DecimalMark): string | null {
	if (DIGITS.test(int)) return int;
	let sep = '';
	let out = '';
	let group = 0;
	for (let i = 0; i < int.length; i++) {
		const ch = int[i];
		if (ch >= '0' && ch <= '9') {
			out += ch;
			group++;
			continue;
		}
		if (!isGroupChar(ch, decimal)) return null;
		if (sep === '') {
			if (group < 1 || group > 3) return null;
			sep = ch;
		} else if (ch !== sep || group !== 3) {
			return null;
		}
		group = 0;
	}
	return sep !== '' && group !== 3 ? null : out;
}

/**
 * Any number a teacher's spreadsheet might hold: thousands separators ("1,234.5", "1.234,5",
 * "1 234,5"), a percent sign ("85%" is 85, the number printed, not 0.85), a leading + or a
 * typographic minus, scientific notation. Grouping must be regular (groups of three) so that
 * "1,5" in a '.'-decimal file is rejected rather than silently read as 15.
 */
export function parseNumber(raw: string, decimal: DecimalMark = '.'): number {
	const fast = parsePlainNumber(raw, decimal);
	if (fast === fast) return fast;
	let s = raw.trim();
	if (s.endsWith('%')) s = s.slice(0, -1).trimEnd();
	let sign = '';
	const c0 = s[0];
	if (c0 === '-' || c0 === '+' || c0 === '\u2212') {
		sign = c0 === '+' ? '' : '-';
		s = s.slice(1);
	}
	if (s.length === 0) return NaN;
	const plain = decimal === ',' ? s.replace(',', '.') : s;
	if (SCIENTIFIC.test(plain)) return Number(sign + plain);
	const at = s.indexOf(decimal);
	if (at !== s.lastIndexOf(decimal)) return NaN;
	const intPart = at < 0 ? s : s.slice(0, at);
	const fracPart = at < 0 ? '' : s.slice(at + 1);
	if (fracPart !== '' && !DIGITS.test(fracPart)) return NaN;
	if (intPart === '' && fracPart === '') return NaN;
	const digits = intPart === '' ? '0' : ungroup(intPart, decimal);
	if (digits === null) return NaN;
	const v = Number(`${sign}${digits}.${fracPart || '0'}`);
	return Number.isFinite(v) ? v : NaN;
}

export const TRUE_TOKENS: readonly string[] = ['true', 'yes', 'y', 't', '1'];
export const FALSE_TOKENS: readonly string[] = ['false', 'no', 'n', 'f', '0'];
const TRUE_SET = new Set(TRUE_TOKENS);
const FALSE_SET = new Set(FALSE_TOKENS);
// The spellings files actually use, looked up as they are: no lower-casing for the common case.
const EXACT_BOOLEAN = new Map<string, number>();
for (const [tokens, v] of [
	[TRUE_TOKENS, 1],
	[FALSE_TOKENS, 0]
] as const) {
	for (const t of tokens) {
		EXACT_BOOLEAN.set(t, v);
		EXACT_BOOLEAN.set(t.toUpperCase(), v);
		EXACT_BOOLEAN.set(t[0].toUpperCase() + t.slice(1), v);
	}
}

/** The exact spellings parseBoolean knows without case folding, with their values. */
export function exactBooleanSpellings(): ReadonlyMap<string, number> {
	return EXACT_BOOLEAN;
}

/**
 * 1 for true/yes/y/t/1, 0 for false/no/n/f/0 (any case), NaN otherwise. Only call this for a
 * column already known to be yes/no: on its own, "1" is a number, not a yes.
 */
export function parseBoolean(raw: string): number {
	const exact = EXACT_BOOLEAN.get(raw);
	if (exact !== undefined) return exact;
	const t = raw.length <= 5 ? raw.toLowerCase() : raw.trim().toLowerCase();
	if (TRUE_SET.has(t)) return 1;
	if (FALSE_SET.has(t)) return 0;
	const u = t.trim();
	return TRUE_SET.has(u) ? 1 : FALSE_SET.has(u) ? 0 : NaN;
}

/** The boolean word a cell holds ('yes', 'f', …), lower-cased, or null. */
export function booleanToken(raw: string): string | null {
	const t = raw.trim().toLowerCase();
	return TRUE_SET.has(t) || FALSE_SET.has(t) ? t : null;
}

const matcherCache = new WeakMap<readonly string[], (raw: string) => boolean>();

/**
 * A fast "is this cell missing?" test for a token list. A blank or whitespace-only cell is
 * always missing, whatever the list says: there is no value in it to keep. Cells longer than
 * every token and not padded with spaces are rejected on their length alone, which is almost
 * every cell of a real file.
 */
export function makeMissingMatcher(
	tokens: readonly string[] = DEFAULT_MISSING_TOKENS
): (raw: string) => boolean {
	const cached = matcherCache.get(tokens);
	if (cached) return cached;
	const set = new Set(tokens.map((t) => t.trim().toLowerCase()));
	let longest = 0;
	for (const t of set) longest = Math.max(longest, t.length);
	const matcher = (raw: string): boolean => {
		const n = raw.length;
		if (n === 0) return true;
		if (n > longest && raw.charCodeAt(0) > 32 && raw.charCodeAt(n - 1) > 32) {
			const c0 = raw.charCodeAt(0);
			const cn = raw.charCodeAt(n - 1);
			if (c0 < 127 && cn < 127) return false;
		}
		const t = raw.trim().toLowerCase();
		return t.length === 0 || set.has(t);
	};
	matcherCache.set(tokens, matcher);
	return matcher;
}

/** True when the cell is blank or one of the missing tokens (trimmed, any case). */
export function isMissing(
	raw: string,
	tokens: readonly string[] = DEFAULT_MISSING_TOKENS
): boolean {
	return makeMissingMatcher(tokens)(raw);
}
