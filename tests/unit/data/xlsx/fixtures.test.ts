/** Workbooks written by real libraries (see tests/fixtures/xlsx/make-fixtures.py). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listSheets } from '../../../../src/lib/data/xlsx';
import { bytesSource, type ByteSource } from '../../../../src/lib/data/types';
import { read } from './helpers';

async function fixture(name: string): Promise<ByteSource> {
	const path = fileURLToPath(new URL(`../../../fixtures/xlsx/${name}`, import.meta.url));
	return bytesSource(name, new Uint8Array(await readFile(path)));
}

describe('openpyxl workbook (inline strings, uncomputed formulas, three sheets)', () => {
	it('lists its sheets, the hidden one marked', async () => {
		expect(await listSheets(await fixture('marks.xlsx'))).toEqual([
			{ name: 'Marks', index: 0, dimension: 'A1:H7' },
			{ name: 'Présence 2ᵉ trimestre', index: 1, dimension: 'A1:F6' },
			{ name: 'lookup', index: 2, dimension: 'A1:B2', hidden: true }
		]);
	});

	it('reads accents, dates, date-times, percents, booleans; reports uncomputed formulas', async () => {
		const r = await read(await fixture('marks.xlsx'));
		expect(r.sheet).toBe('Marks');
		expect(r.header).toEqual([
			'student_id',
			'name',
			'date_of_birth',
			'submitted',
			'attendance',
			'final_exam',
			'passed',
			'score_x100'
		]);
		expect(r.records).toEqual([
			{
				row: 2,
				cells: [
					'101',
					'Zoë Müller',
					'2008-02-29',
					'2024-03-05T14:30:00',
					'0.925',
					'71.5',
					'true',
					''
				]
			},
			{
				row: 3,
				cells: ['102', 'José Álvarez', '2007-12-31', '2024-03-06T08:05:30', '0.8', '64', 'true', '']
			},
			{
				row: 4,
				cells: ['103', 'Łukasz Żółć', '2008-01-01', '2024-03-05', '0.55', '38.25', 'false', '']
			},
			{ row: 6, cells: ['104', "Amélie O'Brien & co", '2008-07-14', '', '1', '', '', ''] },
			{
				row: 7,
				cells: ['105', 'Søren Kierkegård', '', '2024-03-07T23:59:59', '0.333', '0.1', 'false', '']
			}
		]);
		expect(r.issueCounts).toEqual({ 'formula-no-cached-value': 5 });
		expect(r.issues[0]?.where).toMatchObject({ row: 2, column: 'score_x100', columnIndex: 7 });
	});

	it('reads the second sheet by its unicode name and flags the stray cell', async () => {
		const r = await read(await fixture('marks.xlsx'), { sheet: 'Présence 2ᵉ trimestre' });
		expect(r.header).toEqual(['student_id', 'week', 'present', 'minutes_late', 'note']);
		expect(r.records).toEqual([
			{ row: 2, cells: ['101', '1', 'true', '0', "à l'heure"] },
			{ row: 3, cells: ['101', '2', 'false', '', 'malade — absent'] },
			{ row: 4, cells: ['102', '1', 'true', '12.5', ''] },
			{ row: 6, cells: ['103', '1', 'true', '', ''] }
		]);
		expect(r.issues.map((i) => [i.code, i.where.row, i.value])).toEqual([
			['cell-outside-header', 6, 'outside the table']
		]);
	});
});

describe('XlsxWriter workbook (shared strings, rich text, cached formula results)', () => {
	it('reads a table that starts at B3', async () => {
		const r = await read(await fixture('grades-xlsxwriter.xlsx'));
		expect(r.header).toEqual(['Élève', 'Classe', 'Date', 'Taux', 'Note', 'Mention']);
		expect(r.records).toEqual([
			{ row: 4, cells: ['Zoë', '4ᵉB', '2024-03-05', '0.9', '15.5', 'Bien'] },
			{ row: 5, cells: ['Maël', '4ᵉB', '2024-03-06', '0.75', '9', 'Insuffisant'] },
			{ row: 6, cells: ['Zoë', '4ᵉA', '2024-01-31', '1', '18.25', 'Bien'] },
			{ row: 7, cells: ['Total général', '', '', '', '14.25', ''] }
		]);
		expect(r.issues).toEqual([]);
	});
});

describe('1904 date system workbook', () => {
	it('converts dates from 1904 and times of day', async () => {
		const r = await read(await fixture('mac-1904.xlsx'));
		expect(r.records).toEqual([
			{ row: 2, cells: ['term starts', '2024-03-05', '14:30:00'] },
			{ row: 3, cells: ['leap day', '2024-02-29T08:15:00', '00:00:01'] }
		]);
	});
});
