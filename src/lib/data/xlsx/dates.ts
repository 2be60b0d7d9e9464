/**
 * Excel stores dates as day counts ("serials") and only the cell's number format says that a
 * number is a date. We turn them into ISO 8601 text so the type inference sees a date, not a
 * 45356 that would be averaged.
 */

const MS_PER_DAY = 86_400_000;
/** Serial 2958465 is 9999-12-31, the last day Excel accepts. */
const MAX_SERIAL = 2_958_466;

/**
 * Built-in format ids that are dates or times. 14–22 and 45–47 exist in every locale; 27–36
 * and 50–58 are the East Asian locales' date formats (a workbook saved by a Chinese, Japanese
 * or Korean Excel refers to them by id without defining them).
 */
const BUILTIN_DATE_IDS = new Set([
	14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
	52, 53, 54, 55, 56, 57, 58
]);

export function isBuiltinDateFormat(id: number): boolean {
	return BUILTIN_DATE_IDS.has(id);
}

/**
 * A custom format is a date when it has a date/time letter outside quoted text, escapes and
 * [brackets] (colours, conditions, locales). Elapsed-time formats ([h]:mm, [mm]:ss) are
 * durations, not points in time, so their numbers are kept as numbers.
 */
export function isDateFormatCode(code: string): boolean {
	if (/\[(h+|m+|s+)\]/i.test(code)) return false;
	const section = code.split(';')[0] ?? '';
	const stripped = section
		.replace(/"[^"]*"/g, '')
		.replace(/\\./g, '')
		.replace(/[_*]./g, '')
		.replace(/\[[^\]]*\]/g, '');
	if (/^general$/i.test(stripped.trim())) return false;
	return /[dmyhs]/i.test(stripped);
}

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

/**
 * A serial as ISO 8601: '2024-03-05' for a whole day, '2024-03-05T14:30:00' with a time, and
 * '14:30:00' for a time of day alone (serial below 1, e.g. a "h:mm" column). Returns undefined
 * when the number cannot be a date (negative, beyond 9999), so the caller keeps the number.
 *
 * In the 1900 system Excel keeps Lotus 1-2-3's bug: it believes 1900 was a leap year, so serial
 * 60 is a 29 February 1900 that never was and every serial from 61 on is one day ahead of a
 * plain count. Like openpyxl we map 60 to 28 February. The 1904 system (old Mac workbooks,
 * workbookPr date1904) counts from 1 January 1904 with no bug.
 */
export function excelSerialToIso(serial: number, date1904: boolean): string | undefined {
	if (!Number.isFinite(serial) || serial < 0 || serial >= MAX_SERIAL) return undefined;
	let days = Math.floor(serial);
	// Times are binary fractions of a day; rounding to the millisecond removes their noise
	// (14:30 is stored as 0.60416666666666663).
	let ms = Math.round((serial - days) * MS_PER_DAY);
	if (ms >= MS_PER_DAY) {
		days += 1;
		ms -= MS_PER_DAY;
	}
	const time =
		ms === 0
			? ''
			: `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(
					Math.floor(ms / 1000) % 60
				)}${ms % 1000 ? `.${pad(ms % 1000, 3)}` : ''}`;
	if (days === 0 && serial < 1) return time || '00:00:00';
	let epochMs: number;
	if (date1904) epochMs = Date.UTC(1904, 0, 1);
	else if (days < 60) epochMs = Date.UTC(1899, 11, 31);
	// From 60 on, count from one day earlier: the phantom day lands on 28 February.
	else epochMs = Date.UTC(1899, 11, 30);
	const d = new Date(epochMs + days * MS_PER_DAY);
	const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
	return time ? `${date}T${time}` : date;
}

/** Strict OOXML and some writers store t="d" cells as ISO text already; tidy it the same way. */
export function normaliseIsoDate(text: string): string {
	const m = /^(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d:\d\d)(\.\d+)?)?Z?$/.exec(text.trim());
	if (!m) return text;
	const [, date, time, frac] = m;
	if (!time || (time === '00:00:00' && !/[1-9]/.test(frac ?? ''))) return date ?? text;
	return `${date}T${time}${frac && /[1-9]/.test(frac) ? frac : ''}`;
}
