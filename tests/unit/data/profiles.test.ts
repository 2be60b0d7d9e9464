import { describe, expect, it } from 'vitest';
import { proposePlan } from '../../../src/lib/data/plan';
import { chooseScale, matchProfile, normaliseName } from '../../../src/lib/data/profiles';
import { generateDemo, generateDemographicTables } from '../../../src/lib/ml/synthetic';
import type { DemoProfile } from '../../../src/lib/ml/synthetic';
import { frameToRecords } from './infer/demo-records';

const DEMOS: DemoProfile[] = [
	'marks',
	'course-records',
	'wellbeing',
	'demographic',
	'lms-activity'
];

describe('matchProfile on the demo generators', () => {
	it.each(DEMOS)('matches %s to its own profile with the right target', (id) => {
		const demo = generateDemo(id, { rows: 60, seed: 1 });
		const names = demo.frame.columns.map((c) => c.name);
		const m = matchProfile(names);
		expect(m?.profile).toBe(id);
		expect(m?.target).toBe(demo.target);
		expect(m?.score).toBeGreaterThanOrEqual(0.9);
	});

	it.each(DEMOS)('proposes the generator’s roles for %s from its CSV text', (id) => {
		const demo = generateDemo(id, { rows: 60, seed: 2 });
		const { header, records } = frameToRecords(demo.frame);
		const { plan, issues } = proposePlan(header, records, { file: `${id}.csv`, decimal: '.' });
		expect(issues).toEqual([]);
		expect(plan.profile?.profile).toBe(id);
		const roles = Object.fromEntries(plan.columns.map((c) => [c.name, c.role]));
		for (const [name, role] of Object.entries(demo.roles)) {
			// Generators mark only gender as sensitive; profiles also protect age, income, school type…
			if (role === 'feature' && roles[name] === 'sensitive') continue;
			expect([name, roles[name]]).toEqual([name, role]);
		}
		const targets = plan.columns.filter((c) => c.role === 'target').map((c) => c.name);
		expect(targets).toEqual(demo.target ? [demo.target] : []);
		for (const c of plan.columns) {
			const fc = demo.frame.columns.find((x) => x.name === c.name)!;
			// Yes/No categories may be read as booleans; everything else keeps its type.
			if (c.type === 'boolean') expect(fc.type).toBe('category');
			else if (fc.type === 'integer' || fc.type === 'number')
				expect(['integer', 'number']).toContain(c.type);
			else expect([c.name, c.type]).toEqual([c.name, fc.type]);
		}
	});

	it('detects long format in course records only', () => {
		const demo = generateDemo('course-records', { rows: 40, seed: 3 });
		const { header, records } = frameToRecords(demo.frame);
		const { plan } = proposePlan(header, records, { file: 'c.csv', decimal: '.' });
		expect(plan.longFormat).toMatchObject({
			idColumn: 'student_id',
			keyColumns: ['semester', 'subject']
		});
		expect(plan.longFormat!.rowsPerStudent).toBeGreaterThan(5);
		const lms = generateDemo('lms-activity', { rows: 20, seed: 3 });
		const l = frameToRecords(lms.frame);
		expect(
			proposePlan(l.header, l.records, { file: 'l.csv', decimal: '.' }).plan.longFormat
		).toBeNull();
	});

	it('matches each half of the two-table demographic demo', () => {
		const t = generateDemographicTables({ rows: 30, seed: 1 });
		expect(matchProfile(t.demographics.columns.map((c) => c.name))?.profile).toBe('demographic');
		expect(matchProfile(t.academics.columns.map((c) => c.name))?.profile).toBe('demographic');
	});

	it('sets scales from the profile and the data', () => {
		const marks = generateDemo('marks', { rows: 60, seed: 1 });
		const m = frameToRecords(marks.frame);
		const cols = proposePlan(m.header, m.records, { file: 'm.csv', decimal: '.' }).plan.columns;
		const range = (n: string) => cols.find((c) => c.name === n)?.range;
		expect(range('attendance')).toMatchObject({ min: 0, max: 10 });
		expect(range('final_exam')).toMatchObject({ min: 0 });
		const wb = generateDemo('wellbeing', { rows: 60, seed: 1 });
		const w = frameToRecords(wb.frame);
		const wc = proposePlan(w.header, w.records, { file: 'w.csv', decimal: '.' }).plan.columns;
		expect(wc.find((c) => c.name === 'Attendance')?.range).toMatchObject({ min: 0, max: 100 });
		expect(wc.find((c) => c.name === 'Sleep_Hours')?.range).toMatchObject({ min: 0, max: 24 });
		expect(wc.find((c) => c.name === 'Hours_Studied')?.range).toMatchObject({ min: 0, max: 168 });
		const gpa = [
			{ min: 0, max: 4, label: 'a', upTo: 4.5 },
			{ min: 0, max: 10, label: 'b' }
		];
		expect(chooseScale(gpa, 3.9)?.max).toBe(4);
		expect(chooseScale(gpa, 4.5)?.max).toBe(4);
		expect(chooseScale(gpa, 8.2)?.max).toBe(10);
		expect(chooseScale(gpa, undefined)?.max).toBe(4);
	});
});

describe('matchProfile on other headers', () => {
	it('is insensitive to case, spaces, punctuation and synonyms', () => {
		const m = matchProfile([
			'Matric No.',
			'Attendance %',
			'Class Participation',
			'Assignment',
			'CATs',
			'RATs',
			'Final Mark'
		]);
		expect(m?.profile).toBe('marks');
		expect(m?.target).toBe('Final Mark');
		expect(m?.mapping['Matric No.']).toBe('student_id');
		expect(m?.mapping['Attendance %']).toBe('attendance');
		expect(m?.missing).toContain('class_size');
	});

	it('reads units in brackets and common synonyms', () => {
		const m = matchProfile([
			'learner id',
			'Sex',
			'Age (years)',
			'Weekly study hours',
			'GPA',
			'Final score'
		]);
		expect(m?.profile).toBe('demographic');
		expect(m?.mapping['Age (years)']).toBe('age');
		expect(m?.mapping['Sex']).toBe('gender');
		const lms = matchProfile(['id_student', 'date', 'activity_type', 'sum_click']);
		expect(lms?.profile).toBe('lms-activity');
		expect(lms?.target).toBeNull();
	});

	it('returns null for a generic CSV', () => {
		expect(matchProfile(['name', 'height_cm', 'weight_kg', 'favourite_colour'])).toBeNull();
		expect(matchProfile(['student_id', 'gender', 'score'])).toBeNull();
		expect(matchProfile([])).toBeNull();
	});

	it('gives unknown columns roles from their type, and keeps gender sensitive without a profile', () => {
		const header = ['ID', 'Gender', 'height', 'joined', 'notes'];
		const records = Array.from({ length: 40 }, (_, i) => [
			`P${i}`,
			i % 2 ? 'F' : 'M',
			String(150 + i),
			`2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
			`Some longer remark number ${i} about this person and their week.`
		]);
		const { plan } = proposePlan(header, records, { file: 'x.csv' });
		expect(plan.profile).toBeNull();
		expect(plan.columns.map((c) => [c.type, c.role])).toEqual([
			['identifier', 'id'],
			['category', 'sensitive'],
			['integer', 'feature'],
			['datetime', 'time'],
			['text', 'ignore']
		]);
	});
});

describe('normaliseName', () => {
	it('drops case, spaces and punctuation, keeping % and # as words', () => {
		expect(normaliseName(' Attendance_% ')).toBe('attendancepct');
		expect(normaliseName('Roll #')).toBe('rollno');
		expect(normaliseName('Final-Exam Score')).toBe('finalexamscore');
	});
});
