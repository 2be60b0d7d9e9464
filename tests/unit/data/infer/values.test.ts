import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	detectDateOrder,
	isMissing,
	parseBoolean,
	parseDate,
	parseNumber,
	parsePlainNumber
} from '../../../../src/lib/data/infer/values';

describe('parseNumber', () => {
	it.each([
		['123', '.', 123],
		['-12.5', '.', -12.5],
		['+7', '.', 7],
		['.5', '.', 0.5],
		['1,234.5', '.', 1234.5],
		['1,234,567', '.', 1234567],
		['1.234,5', ',', 1234.5],
		['1 234,5', ',', 1234.5],
		['1\u00a0234,5', ',', 1234.5],
		['1\u202f234.5', '.', 1234.5],
		['1\u2009234', '.', 1234],
		["1'234.5", '.', 1234.5],
		['12,5', ',', 12.5],
		['85%', '.', 85],
		['85 %', '.', 85],
		['  42  ', '.', 42],
		['\u221212', '.', -12],
		['1.5e3', '.', 1500],
		['1,5e3', ',', 1500]
	] as const)('reads %j with decimal %j', (raw, decimal, expected) => {
		expect(parseNumber(raw, decimal)).toBe(expected);
	});

	it.each([
		['1,5', '.'],
		['12.5', ','],
		['1,23,456', '.'],
		['abc', '.'],
		['', '.'],
		['-', '.'],
		['1.2.3', '.'],
		['Infinity', '.'],
		['0x1F', '.'],
		['12abc', '.'],
		['$12', '.'],
		['1,234 567', '.']
	] as const)('rejects %j with decimal %j', (raw, decimal) => {
		expect(parseNumber(raw, decimal)).toBeNaN();
	});

	it('fast path agrees with Number() on plain numbers', () => {
		fc.assert(
			fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
				const s = String(x);
				const fast = parsePlainNumber(s, '.');
				if (!Number.isNaN(fast)) expect(fast).toBe(Number(s));
				expect(parseNumber(s, '.')).toBe(x === 0 ? Number(s) : x);
			})
		);
	});

	const group = (digits: string, sep: string): string => {
		let out = '';
		for (let i = 0; i < digits.length; i++) {
			if (i > 0 && (digits.length - i) % 3 === 0) out += sep;
			out += digits[i];
		}
		return out;
	};

	it('round-trips numbers formatted in every style', () => {
		const styles: [decimal: '.' | ',', sep: string][] = [
			['.', ','],
			['.', ' '],
			['.', '\u00a0'],
			['.', "'"],
			[',', '.'],
			[',', ' '],
			[',', '\u202f'],
			[',', '\u2009']
		];
		fc.assert(
			fc.property(
				fc.integer({ min: -1e12, max: 1e12 }),
				fc.integer({ min: 0, max: 99 }),
				fc.constantFrom(...styles),
				fc.boolean(),
				(int, cents, [decimal, sep], percent) => {
					const neg = int < 0 || (int === 0 && Object.is(int, -0));
					const body = group(String(Math.abs(int)), sep);
					const frac = String(cents).padStart(2, '0');
					const text = `${neg ? '-' : ''}${body}${decimal}${frac}${percent ? '%' : ''}`;
					const expected = (neg ? -1 : 1) * Number(`${Math.abs(int)}.${frac}`);
					expect(parseNumber(text, decimal)).toBe(expected);
				}
			)
		);
	});
});

describe('parseBoolean', () => {
	it('reads the usual yes/no words in any case', () => {
		for (const t of ['true', 'YES', 'y', 'T', '1', ' Yes ']) expect(parseBoolean(t)).toBe(1);
		for (const f of ['false', 'No', 'n', 'F', '0']) expect(parseBoolean(f)).toBe(0);
		for (const x of ['maybe', '2', '', 'yess']) expect(parseBoolean(x)).toBeNaN();
	});
});

describe('parseDate', () => {
	it.each([
		['2024-09-02', 'dmy', Date.UTC(2024, 8, 2)],
		['2024-09-02T08:15:00Z', 'dmy', Date.UTC(2024, 8, 2, 8, 15)],
		['2024-09-02T08:15:00.250Z', 'dmy', Date.UTC(2024, 8, 2, 8, 15, 0, 250)],
		['2024-09-02T08:15:00+02:00', 'dmy', Date.UTC(2024, 8, 2, 6, 15)],
		['2024-09-02T08:15-0130', 'dmy', Date.UTC(2024, 8, 2, 9, 45)],
		['2024-09-02 08:15', 'dmy', Date.UTC(2024, 8, 2, 8, 15)],
		['2024/09/02', 'mdy', Date.UTC(2024, 8, 2)],
		['02/09/2024', 'dmy', Date.UTC(2024, 8, 2)],
		['09/02/2024', 'mdy', Date.UTC(2024, 8, 2)],
		['02.09.2024', 'mdy', Date.UTC(2024, 8, 2)],
		['2-9-2024 14:05:09', 'dmy', Date.UTC(2024, 8, 2, 14, 5, 9)],
		['02/09/2024 2:30 PM', 'dmy', Date.UTC(2024, 8, 2, 14, 30)],
		['02/09/24', 'dmy', Date.UTC(2024, 8, 2)],
		['29/02/2024', 'dmy', Date.UTC(2024, 1, 29)]
	] as const)('reads %j (%s)', (raw, order, expected) => {
		expect(parseDate(raw, order)).toBe(expected);
	});

	it.each([
		'31/02/2024',
		'29/02/2023',
		'2024-13-01',
		'13/13/2024',
		'yesterday',
		'2024',
		'12:30',
		'2024-09-02T25:00'
	])('rejects %j', (raw) => {
		expect(parseDate(raw, 'dmy')).toBeNaN();
	});

	it('round-trips dates written in every supported style', () => {
		const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
		fc.assert(
			fc.property(
				fc.date({
					min: new Date(Date.UTC(1900, 0, 1)),
					max: new Date(Date.UTC(2099, 11, 31)),
					noInvalidDate: true
				}),
				fc.constantFrom('iso', 'isoz', 'dmy', 'mdy', 'dot', 'ymd'),
				(date, style) => {
					const d = new Date(Math.floor(date.getTime() / 1000) * 1000);
					const y = pad(d.getUTCFullYear(), 4);
					const mo = pad(d.getUTCMonth() + 1);
					const da = pad(d.getUTCDate());
					const t = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
					const text =
						style === 'iso'
							? `${y}-${mo}-${da} ${t}`
							: style === 'isoz'
								? d.toISOString()
								: style === 'dmy'
									? `${da}/${mo}/${y} ${t}`
									: style === 'mdy'
										? `${mo}/${da}/${y} ${t}`
										: style === 'dot'
											? `${da}.${mo}.${y} ${t}`
											: `${y}/${mo}/${da} ${t}`;
					expect(parseDate(text, style === 'mdy' ? 'mdy' : 'dmy')).toBe(d.getTime());
				}
			)
		);
	});
});

describe('detectDateOrder', () => {
	it('is decided by a first part above 12', () => {
		expect(detectDateOrder(['01/02/2024', '25/02/2024']).order).toBe('dmy');
		expect(detectDateOrder(['01/02/2024', '02/25/2024']).order).toBe('mdy');
	});
	it('falls back to the configured order when ambiguous, and says so', () => {
		expect(detectDateOrder(['01/02/2024'])).toEqual({
			order: 'dmy',
			ambiguous: true,
			conflicting: false
		});
		expect(detectDateOrder(['01/02/2024'], 'mdy').order).toBe('mdy');
	});
	it('recognises year-first columns and conflicting ones', () => {
		expect(detectDateOrder(['2024-01-02', '2024-03-04']).order).toBe('ymd');
		expect(detectDateOrder(['13/01/2024', '01/13/2024', '14/01/2024']).conflicting).toBe(true);
	});
});

describe('isMissing', () => {
	it('knows the default tokens, trimmed and in any case, and blanks', () => {
		for (const m of ['', '   ', 'NA', ' n/a ', 'NULL', '-', '?', 'NaN', '\t'])
			expect(isMissing(m)).toBe(true);
		for (const v of ['0', 'none', 'absent', '-5', 'nana']) expect(isMissing(v)).toBe(false);
	});
	it('accepts configurable tokens', () => {
		expect(isMissing('absent', ['absent', 'x'])).toBe(true);
		expect(isMissing('NA', ['absent'])).toBe(false);
		expect(isMissing(' ', ['absent'])).toBe(true);
	});
});
