import { describe, expect, it } from 'vitest';
import { inferColumn, inferDecimal, looksLikeIdName } from '../../../../src/lib/data/infer/infer';

const opts = (name = 'x') => ({ decimal: '.' as const, name });
const repeat = (values: string[], n: number): string[] =>
	Array.from({ length: n }, (_, i) => values[i % values.length]);

describe('inferColumn', () => {
	it('tells whole numbers from numbers with decimals', () => {
		expect(inferColumn(['1', '2', '30', ''], opts()).type).toBe('integer');
		expect(inferColumn(['1', '2.5', '30', 'NA'], opts()).type).toBe('number');
		expect(inferColumn(['1.234,5', '12,5'], { decimal: ',', name: 'x' }).type).toBe('number');
	});

	it('keeps a numeric column numeric despite a few junk values', () => {
		const values = Array.from({ length: 5000 }, (_, i) => String(50 + (i % 50)));
		values[10] = 'absent';
		values[200] = 'absent';
		values[4000] = 'Absent';
		const r = inferColumn(values, opts('attendance'));
		expect(r.type).toBe('integer');
		expect(r.confidence).toBeCloseTo(4997 / 5000);
		expect(r.notes.join(' ')).toMatch(/3 values are not numbers.*absent/);
	});

	it('recognises yes/no columns, including 1/0 among words', () => {
		const r = inferColumn(repeat(['Yes', 'No', 'yes', '1', '0'], 50), opts());
		expect(r.type).toBe('boolean');
		expect(r.booleanTokens?.truthy).toContain('yes');
		expect(inferColumn(repeat(['0', '1'], 30), opts()).type).toBe('boolean');
		expect(inferColumn(repeat(['T', 'F'], 30), opts()).type).toBe('boolean');
		// Gender letters are not yes/no, and a column of only "F" is not either.
		expect(inferColumn(repeat(['M', 'F'], 30), opts()).type).toBe('category');
		expect(inferColumn(repeat(['F'], 30), opts()).type).toBe('category');
	});

	it('recognises dates and decides the day/month order from the data', () => {
		const dmy = inferColumn(['01/02/2024', '25/02/2024', '03/03/2024'], opts('date'));
		expect(dmy).toMatchObject({ type: 'datetime', dateOrder: 'dmy' });
		const mdy = inferColumn(['01/02/2024', '02/25/2024'], opts('date'));
		expect(mdy.dateOrder).toBe('mdy');
		const amb = inferColumn(['01/02/2024', '03/04/2024'], opts('date'));
		expect(amb.dateOrder).toBe('dmy');
		expect(amb.notes.join(' ')).toMatch(/assumes day\/month\/year/);
		expect(
			inferColumn(['01/02/2024'], { ...opts('date'), defaultDateOrder: 'mdy' }).dateOrder
		).toBe('mdy');
		expect(inferColumn(['2024-09-02T08:15:00Z', '2024-09-03'], opts()).type).toBe('datetime');
	});

	it('treats a year column as numbers, not dates', () => {
		expect(inferColumn(['2021', '2022', '2023'], opts('year')).type).toBe('integer');
	});

	it('finds identifiers by name even when values repeat (long format)', () => {
		const ids = repeat(['S001', 'S002', 'S003'], 60);
		expect(inferColumn(ids, opts('student_id')).type).toBe('identifier');
		expect(inferColumn(repeat(['1001', '1002'], 40), opts('StudentID')).type).toBe('identifier');
		expect(inferColumn(repeat(['1001', '1002'], 40), opts('Matric No.')).type).toBe('identifier');
	});

	it('finds unique short codes as identifiers and few repeated strings as categories', () => {
		const codes = Array.from({ length: 100 }, (_, i) => `X${i}`);
		expect(inferColumn(codes, opts('ref')).type).toBe('identifier');
		expect(inferColumn(repeat(['Low', 'Medium', 'High'], 100), opts()).type).toBe('category');
		// A class code with an id-like name but only a few values is a category.
		expect(inferColumn(repeat(['A', 'B', 'C'], 100), opts('class_id')).type).toBe('category');
	});

	it('finds free text', () => {
		const text = Array.from(
			{ length: 50 },
			(_, i) => `Student ${i} worked hard this term and should keep reading at home.`
		);
		expect(inferColumn(text, opts('comment')).type).toBe('text');
		const names = Array.from({ length: 50 }, (_, i) => `Ann Lee${i}`);
		expect(inferColumn(names, opts('name')).type).toBe('text');
	});

	it('treats numbers with leading zeros as codes', () => {
		const zips = Array.from({ length: 50 }, (_, i) => `0${1000 + i}`);
		expect(inferColumn(zips, opts('postcode')).type).toBe('identifier');
	});

	it('explains an empty column', () => {
		const r = inferColumn(['', 'NA', ' '], opts());
		expect(r.confidence).toBe(0);
		expect(r.notes[0]).toMatch(/empty/);
	});
});

describe('looksLikeIdName', () => {
	it('recognises id-like names', () => {
		for (const n of ['id', 'student_id', 'StudentID', 'user id', 'matric', 'roll_no', 'class_id'])
			expect(looksLikeIdName(n), n).toBe(true);
		for (const n of ['paid', 'valid', 'idea', 'attendance'])
			expect(looksLikeIdName(n), n).toBe(false);
	});
});

describe('inferDecimal', () => {
	it('votes on unambiguous values', () => {
		expect(inferDecimal(['12,5', '3,25', '1.234,5', 'abc'])).toBe(',');
		expect(inferDecimal(['12.5', '1,234.5', '7'])).toBe('.');
		expect(inferDecimal(['1,234', '2,345'])).toBe('.');
		expect(inferDecimal(['1.234.567,8'])).toBe(',');
		expect(inferDecimal(['85,5%'])).toBe(',');
	});
});
