/**
 * Shortcuts the frame builder takes before the general cell parsers, for the shapes that fill
 * almost every cell of an export. Each returns NaN for anything it does not handle, and the
 * caller then runs the general parser, so a shortcut can only ever agree with it (the unit tests
 * check that on generated cells).
 */

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil), for
 * years 1000 to 9999 only: every quotient is of non-negative numbers, so `| 0` is the floor and
 * the result is a small integer, which V8 passes around without allocating.
 */
function daysFromCivil(y: number, m: number, d: number): number {
	const yy = m <= 2 ? y - 1 : y;
	const era = (yy / 400) | 0;
	const yoe = yy - era * 400;
	const doy = (((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) | 0) + d - 1;
	const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
	return era * 146097 + doe - 719468;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * "2024-09-02" as milliseconds since the epoch (UTC), or NaN for any other text. parseDate reads
 * the same shape with Date.UTC, which costs about twice this whole function; whole days in
 * integer arithmetic give the identical number for every year from 1000 to 9999.
 */
export function isoDayFast(raw: string): number {
	return isoDayAt(raw, 0, raw.length) * 86_400_000;
}

/**
 * The day number (days since 1970-01-01) of the ISO date text[start, end), or NaN: isoDayFast
 * without cutting the cell out of the text, and without its last multiplication, so that the
 * result stays a small integer (a large double would be boxed on its way back to the caller).
 */
export function isoDayAt(text: string, start: number, end: number): number {
	if (end - start !== 10 || text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45)
		return NaN;
	const y0 = text.charCodeAt(start) - 48;
	const y1 = text.charCodeAt(start + 1) - 48;
	const y2 = text.charCodeAt(start + 2) - 48;
	const y3 = text.charCodeAt(start + 3) - 48;
	const m1 = text.charCodeAt(start + 5) - 48;
	const m2 = text.charCodeAt(start + 6) - 48;
	const d1 = text.charCodeAt(start + 8) - 48;
	const d2 = text.charCodeAt(start + 9) - 48;
	// Unsigned, a character below '0' is also above 9.
	if (y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9) return NaN;
	if (m1 >>> 0 > 9 || m2 >>> 0 > 9 || d1 >>> 0 > 9 || d2 >>> 0 > 9) return NaN;
	const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
	const m = m1 * 10 + m2;
	const d = d1 * 10 + d2;
	if (y < 1000 || m < 1 || m > 12 || d < 1) return NaN;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	if (d > (m === 2 && leap ? 29 : DAYS[m - 1])) return NaN;
	return daysFromCivil(y, m, d);
}

/**
 * The yes/no spellings that can be read by one exact lookup, minus any the file declares missing
 * (a missing token must stay missing, so those still go through the general path).
 */
export function exactBooleans(
	spellings: ReadonlyMap<string, number>,
	isMissing: (raw: string) => boolean
): Map<string, number> {
	const out = new Map<string, number>();
	for (const [k, v] of spellings) if (!isMissing(k)) out.set(k, v);
	return out;
}

const MEMO_SIZE = 8;
/** Longer cells are not remembered: no category word is this long, and keys stay small. */
const MEMO_LONGEST = 255;

/**
 * What a category or yes/no column's cells came to, remembered by their exact text for the few
 * spellings such a column repeats ("Female", "Yes", ""), so that a CSV cell found in the text can
 * be matched where it lies instead of being cut out and hashed. Only results that depend on the
 * text alone may be remembered: a category code once given never changes, a missing token stays
 * missing. A column whose cells rarely repeat (an identifier) stops being looked up once most
 * lookups have missed, so it pays for a few hundred comparisons and no more.
 */
export class TextMemo {
	private readonly words: string[] = [];
	private readonly values: number[] = [];
	/** Length and first character of each word: most candidates are ruled out without a load. */
	private readonly keys = new Int32Array(MEMO_SIZE);
	private lookups = 0;
	private misses = 0;
	private off = false;

	/** The value remembered for text[start, end), or -1 (which is never remembered). */
	find(text: string, start: number, end: number): number {
		if (this.off) return -1;
		this.lookups++;
		const len = end - start;
		if (len <= MEMO_LONGEST) {
			const key = len === 0 ? 0 : (len << 16) | text.charCodeAt(start);
			const keys = this.keys;
			const count = this.words.length;
			for (let k = 0; k < count; k++) {
				if (keys[k] !== key) continue;
				const w = this.words[k];
				let i = 1;
				while (i < len && w.charCodeAt(i) === text.charCodeAt(start + i)) i++;
				if (i >= len) return this.values[k];
			}
		}
		if (++this.misses > 256 && this.misses * 2 > this.lookups) this.off = true;
		return -1;
	}

	/**
	 * The value remembered for the field that starts at text[start] and ends at the next
	 * `delimiter` or at `end` (whichever a remembered word reaches exactly), with the field's
	 * length in `matched`; -1 when no word is the whole field.
	 */
	findField(text: string, start: number, end: number, delimiter: number): number {
		if (this.off) return -1;
		this.lookups++;
		const words = this.words;
		for (let k = 0; k < words.length; k++) {
			const w = words[k];
			const len = w.length;
			const stop = start + len;
			// The field must end right after the word: this rules out nearly every other word.
			if (stop > end || (stop < end && text.charCodeAt(stop) !== delimiter)) continue;
			let i = 0;
			while (i < len && w.charCodeAt(i) === text.charCodeAt(start + i)) i++;
			if (i === len) {
				this.matched = len;
				return this.values[k];
			}
		}
		if (++this.misses > 256 && this.misses * 2 > this.lookups) this.off = true;
		return -1;
	}

	/** The length of the field findField() last matched. */
	matched = 0;

	/** Whether remember() would keep another word. */
	get open(): boolean {
		return !this.off && this.words.length < MEMO_SIZE;
	}

	/** Remembers `value` (not -1) for the cell text `word` while there is room. */
	remember(word: string, value: number): void {
		if (this.open && value !== -1 && word.length <= MEMO_LONGEST) {
			this.keys[this.words.length] =
				word.length === 0 ? 0 : (word.length << 16) | word.charCodeAt(0);
			this.words.push(word);
			this.values.push(value);
		}
	}
}
