import { describe, expect, it } from 'vitest';
import { excelSerialToIso, isDateFormatCode } from '../../../../src/lib/data/xlsx';

describe('excelSerialToIso', () => {
	it('converts 1900-system serials, with the leap-year bug', () => {
		expect(excelSerialToIso(1, false)).toBe('1900-01-01');
		expect(excelSerialToIso(59, false)).toBe('1900-02-28');
		expect(excelSerialToIso(61, false)).toBe('1900-03-01');
		expect(excelSerialToIso(45356, false)).toBe('2024-03-05');
		expect(excelSerialToIso(2958465, false)).toBe('9999-12-31');
	});

	it('converts 1904-system serials', () => {
		expect(excelSerialToIso(0, true)).toBe('00:00:00');
		expect(excelSerialToIso(1, true)).toBe('1904-01-02');
		expect(excelSerialToIso(43894, true)).toBe('2024-03-05');
	});

	it('rounds away float noise in times and keeps milliseconds that are real', () => {
		expect(excelSerialToIso(45356.604166666664, false)).toBe('2024-03-05T14:30:00');
		expect(excelSerialToIso(45356.99999999999, false)).toBe('2024-03-06');
		expect(excelSerialToIso(0.5 + 0.123 / 86400, false)).toBe('12:00:00.123');
	});

	it('gives up on numbers that cannot be dates', () => {
		expect(excelSerialToIso(-1, false)).toBeUndefined();
		expect(excelSerialToIso(3e6, false)).toBeUndefined();
		expect(excelSerialToIso(Number.NaN, false)).toBeUndefined();
	});
});

describe('isDateFormatCode', () => {
	it.each([
		['yyyy-mm-dd', true],
		['d/m/yy h:mm', true],
		['[$-409]mmmm d, yyyy;@', true],
		['[Red]dd/mm/yyyy', true],
		['h:mm AM/PM', true],
		['mm:ss.0', true],
		['General', false],
		['0.00%', false],
		['#,##0.00 "days"', false],
		['0\\d', false],
		['0.00E+00', false],
		['[h]:mm:ss', false],
		['[mm]:ss', false],
		['_-* #,##0.00_-;-* #,##0.00_-', false]
	])('%s → %s', (code, want) => {
		expect(isDateFormatCode(code)).toBe(want);
	});
});
