import { describe, expect, it } from 'vitest';
import { createFrameBuilder, dropFrameRows } from '../../../src/lib/data/infer/builder';
import { proposePlan, type ImportPlan } from '../../../src/lib/data/plan';
import { reportToCsv, validate } from '../../../src/lib/data/validate';
import { generateDemo } from '../../../src/lib/ml/synthetic';
import { frameToRecords } from './infer/demo-records';

function run(header: string[], records: string[][], tweak?: (p: ImportPlan) => void) {
	const { plan } = proposePlan(header, records, { file: 'class.csv', decimal: '.' });
	tweak?.(plan);
	const b = createFrameBuilder(plan);
	records.forEach((r, i) => b.push(r, i + 2));
	const built = b.finish();
	return { plan, built, report: validate(built, plan) };
}

const HEADER = [
	'student_id',
	'attendance',
	'participation',
	'assignment_score',
	'cats',
	'final_exam',
	'note'
];

function classRecords(n: number): string[][] {
	return Array.from({ length: n }, (_, i) => [
		`S${String(i + 1).padStart(3, '0')}`,
		String(5 + (i % 6)),
		String(3 + (i % 7)),
		String(4 + (i % 5)),
		String(10 + (i % 13)),
		String(40 + ((i * 7) % 55)),
		i % 10 === 0 ? 'x' : ''
	]);
}

describe('validate', () => {
	it('passes the demo datasets with no errors', () => {
		for (const id of [
			'marks',
			'course-records',
			'wellbeing',
			'demographic',
			'lms-activity'
		] as const) {
			const demo = generateDemo(id, { rows: 80, seed: 5 });
			const { header, records } = frameToRecords(demo.frame);
			const { report } = run(header, records);
			expect([id, report.errors, report.issues.filter((i) => i.severity === 'error')]).toEqual([
				id,
				0,
				[]
			]);
		}
	});

	it('reports type conflicts and out-of-range values with file, row, column and value', () => {
		const records = classRecords(40);
		records[3][1] = 'absent';
		records[5][1] = '150';
		records[7][5] = '-3';
		const { report } = run(HEADER, records, (p) => {
			p.columns[1].type = 'number';
		});
		expect(report.counts['type-conflict']).toBe(1);
		expect(report.counts['out-of-range']).toBe(2);
		expect(report.errors).toBe(3);
		expect(Array.from(report.rowsWithErrors)).toEqual([3, 5, 7]);
		const oor = report.issues.filter((i) => i.code === 'out-of-range');
		expect(oor[0]).toMatchObject({
			severity: 'error',
			value: '150',
			where: { row: 7, column: 'attendance' }
		});
		expect(oor[0].message).toBe(
			'class.csv, row 7, column “attendance”: 150 is outside the expected range for percent (0–100).'
		);
		expect(oor[1].message).toMatch(
			/row 9, column “final_exam”: -3 is outside the expected range for marks/
		);
		const att = report.columns.find((c) => c.name === 'attendance')!;
		expect(att).toMatchObject({ nBadCells: 1, nOutOfRange: 1, nMissing: 1 });
	});

	it('warns about mostly-missing, constant and id-like columns and a target with gaps', () => {
		const records = classRecords(40).map((r, i) => [...r, 'same', `code${i}`]);
		records[2][5] = '';
		const { report } = run([...HEADER, 'school', 'ref'], records, (p) => {
			p.columns[8].type = 'category';
			p.columns[8].role = 'feature';
		});
		const codes = (name: string) =>
			report.columns.find((c) => c.name === name)!.issues.map((i) => i.code);
		expect(codes('note')).toContain('mostly-missing');
		expect(codes('school')).toContain('constant-column');
		expect(codes('ref')).toContain('looks-like-id');
		expect(codes('final_exam')).toEqual(['target-missing']);
		expect(codes('student_id')).toEqual([]);
		expect(report.errors).toBe(0);
		expect(report.warnings).toBe(5);
		const target = report.issues.find((i) => i.code === 'target-missing')!;
		expect(target.message).toMatch(/what you want to predict\) is empty in 1 row;/);
	});

	it('lists exact duplicate rows by spreadsheet row number', () => {
		const records = classRecords(30);
		records[10] = records[2].slice();
		records[20] = records[2].slice();
		records[25] = records[4].slice();
		const { report } = run(HEADER, records);
		expect(report.rows.duplicates).toEqual([
			[2, 10, 20],
			[4, 25]
		]);
		const dup = report.issues.filter((i) => i.code === 'duplicate-rows');
		expect(dup.map((d) => d.message)).toEqual([
			'class.csv: rows 4, 12 and 22 are exact copies of each other; a student may have been entered twice.',
			'class.csv: rows 6 and 27 are exact copies of each other; a student may have been entered twice.'
		]);
	});

	it('computes column statistics', () => {
		const { report } = run(
			['x', 'c'],
			[
				['1', 'a'],
				['2', 'b'],
				['3', 'a'],
				['', 'NA']
			]
		);
		expect(report.columns[0]).toMatchObject({
			nMissing: 1,
			nDistinct: 3,
			min: 1,
			max: 3,
			mean: 2,
			std: 1
		});
		expect(report.columns[0].missingRate).toBeCloseTo(0.25);
		expect(report.columns[1]).toMatchObject({ nMissing: 1, nDistinct: 2, min: null });
	});

	it('caps issues per code while counting them all, and skipping the rows clears the errors', () => {
		const records = classRecords(500).map((r) => {
			const c = r.slice();
			c[4] = '-5';
			return c;
		});
		const { plan, built, report } = run(HEADER, records);
		expect(report.counts['out-of-range']).toBe(500);
		expect(report.issues.filter((i) => i.code === 'out-of-range')).toHaveLength(200);
		expect(report.errors).toBe(500);
		const csv = reportToCsv(report);
		expect(csv).toMatch(/… and 300 more problems like this/);
		const after = validate(dropFrameRows(built, report.rowsWithErrors, plan), plan);
		expect(after.errors).toBe(0);
		expect(after.nRows).toBe(0);
	});
});

describe('reportToCsv', () => {
	it('writes every issue and cannot run formulas', () => {
		const records = classRecords(30);
		records[0][1] = '=HYPERLINK("http://x","y")';
		const { report } = run(HEADER, records, (p) => {
			p.columns[1].type = 'number';
		});
		const csv = reportToCsv(report);
		const lines = csv.trimEnd().split('\r\n');
		expect(lines[0]).toBe('file,row,column,severity,code,message,value');
		const bad = lines.find((l) => l.includes('type-conflict'))!;
		expect(bad.startsWith('class.csv,2,attendance,error,type-conflict,')).toBe(true);
		expect(bad).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
		expect(lines).toHaveLength(1 + report.issues.length);
	});
});
