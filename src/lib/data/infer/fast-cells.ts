/**
 * Shortcuts the frame builder takes before the general cell parsers, for the shapes that fill
 * almost every cell of an export. Each returns NaN for anything it does not handle, and the
 * caller then runs the general parser, so a shortcut can only ever agree with it (the unit tests
 * check that on generated cells).
 */

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
	const yy = m <= 2 ? y - 1 : y;
	const era = Math.floor(yy / 400);
	const yoe = yy - era * 400;
	const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * "2024-09-02" as milliseconds since the epoch (UTC), or NaN for any other text. parseDate reads
 * the same shape with Date.UTC, which costs about twice this whole function; whole days in
 * integer arithmetic give the identical number for every year from 1000 to 9999.
 */
export function isoDayFast(raw: string): number {
	if (raw.length !== 10 || raw.charCodeAt(4) !== 45 || raw.charCodeAt(7) !== 45) return NaN;
	let y = 0;
	for (let i = 0; i < 4; i++) {
		const d = raw.charCodeAt(i) - 48;
		if (d < 0 || d > 9) return NaN;
		y = y * 10 + d;
	}
	const m1 = raw.charCodeAt(5) - 48;
	const m2 = raw.charCodeAt(6) - 48;
	const d1 = raw.charCodeAt(8) - 48;
	const d2 = raw.charCodeAt(9) - 48;
	if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return NaN;
	const m = m1 * 10 + m2;
	const d = d1 * 10 + d2;
	if (y < 1000 || m < 1 || m > 12 || d < 1) return NaN;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	if (d > (m === 2 && leap ? 29 : DAYS[m - 1])) return NaN;
	return daysFromCivil(y, m, d) * 86_400_000;
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
