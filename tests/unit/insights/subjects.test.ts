import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { categoricalColumn, makeFrame, numericColumn } from '$lib/ml/frame';
import {
	compareSemesters,
	subjectStanding,
	suggestStudyPlan,
	validateStudyPlanEntry,
	type Recommendation,
	type SubjectStanding
} from '$lib/ml/insights';
import { courseRecords } from '../../fixtures/insights/classes';

const COLS = {
	student: 'student_id',
	subject: 'subject',
	mark: 'final_marks',
	semester: 'semester'
};

describe('subjectStanding', () => {
	it('matches the hand-computed fixture (latest semester)', () => {
		const s = subjectStanding(courseRecords(), COLS, 'S1');
		expect(s.map((x) => x.subject)).toEqual(['Maths', 'Physics', 'English']);
		const [maths, physics, english] = s;
		expect(maths).toMatchObject({
			mark: 40,
			classMean: 60,
			n: 5,
			percentile: 10,
			weak: true,
			strong: false,
			semester: '2024-S1'
		});
		expect(maths.classSd).toBeCloseTo(Math.sqrt(250), 12);
		expect(maths.z).toBeCloseTo(-20 / Math.sqrt(250), 12);
		expect(english).toMatchObject({
			mark: 85,
			classMean: 70,
			percentile: 90,
			weak: false,
			strong: true
		});
		expect(english.classSd).toBeCloseTo(Math.sqrt(87.5), 12);
		expect(english.z).toBeCloseTo(15 / Math.sqrt(87.5), 12);
		// Four students only: too few to flag, figures still given.
		expect(physics).toMatchObject({
			mark: 55,
			classMean: 57.5,
			n: 4,
			percentile: 37.5,
			weak: false,
			strong: false
		});
		expect(physics.z).toBeCloseTo(-2.5 / Math.sqrt(125 / 3), 12);
	});

	it('compares a named semester, or every row', () => {
		const old = subjectStanding(courseRecords(), COLS, 'S1', { semester: '2023-S2' });
		expect(old).toHaveLength(1);
		expect(old[0]).toMatchObject({
			subject: 'Maths',
			mark: 90,
			classMean: 55,
			n: 3,
			percentile: 500 / 6,
			semester: '2023-S2'
		});
		const all = subjectStanding(courseRecords(), COLS, 'S1', { semester: 'all' });
		const maths = all.find((x) => x.subject === 'Maths')!;
		// S1's two Maths marks (40, 90) average 65, against all eight Maths marks.
		expect(maths).toMatchObject({ mark: 65, n: 8, semester: null });
		expect(maths.classMean).toBeCloseTo((40 + 50 + 60 + 70 + 80 + 90 + 30 + 45) / 8, 12);
		expect(subjectStanding(courseRecords(), COLS, 'S1', { semester: '1999' })).toEqual([]);
	});

	it('uses the latest semester in which the student has a mark', () => {
		// S6's only 2024-S1 mark is missing, so 2023-S2 is compared.
		const s = subjectStanding(courseRecords(), COLS, 'S6');
		expect(s).toHaveLength(1);
		expect(s[0]).toMatchObject({
			subject: 'Maths',
			mark: 30,
			semester: '2023-S2',
			percentile: 100 / 6
		});
	});

	it('returns nothing for an unknown student and needs the named columns', () => {
		expect(subjectStanding(courseRecords(), COLS, 'nobody')).toEqual([]);
		expect(() => subjectStanding(courseRecords(), { ...COLS, mark: 'nope' }, 'S1')).toThrow(
			/The mark column “nope” is not in this dataset/
		);
		expect(() => subjectStanding(courseRecords(), { ...COLS, mark: 'subject' }, 'S1')).toThrow(
			/must hold numbers/
		);
	});

	it('works with numeric ids, subjects and semesters, and without a semester column', () => {
		const f = makeFrame([
			numericColumn('id', [1, 2, 3, 4, 5, 1, 2]),
			numericColumn('term', [2, 2, 2, 2, 2, 1, 1]),
			numericColumn('course', [7, 7, 7, 7, 7, 7, 7]),
			numericColumn('mark', [10, 20, 30, 40, 50, 99, 0])
		]);
		const cols = { student: 'id', subject: 'course', mark: 'mark', semester: 'term' };
		const [s] = subjectStanding(f, cols, '1');
		expect(s).toMatchObject({ subject: '7', mark: 10, classMean: 30, semester: '2', weak: true });
		const [all] = subjectStanding(f, { ...cols, semester: null }, '1');
		expect(all).toMatchObject({ mark: 54.5, n: 7, semester: null });
		expect(subjectStanding(f, cols, '')).toEqual([]);
	});

	it('orders semester labels naturally', () => {
		const labels = ['2024-S1', 'Term 10', '2023-S2', 'Term 9', '2023-S1', 'Year 2023 T3'];
		expect([...labels].sort(compareSemesters)).toEqual([
			'2023-S1',
			'2023-S2',
			'Year 2023 T3',
			'2024-S1',
			'Term 9',
			'Term 10'
		]);
	});

	it('agrees with a naive computation on 100k generated rows', () => {
		const n = 100_000;
		const nStudents = 4000;
		const subjects = ['Maths', 'English', 'Physics', 'Chemistry', 'Biology', 'History'];
		const semesters = ['2023-S1', '2023-S2', '2024-S1'];
		let seed = 7;
		const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
		const sid: string[] = [];
		const sem: string[] = [];
		const sub: string[] = [];
		const mark = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			sid.push(`S${Math.floor(rand() * nStudents)}`);
			sem.push(semesters[Math.floor(rand() * 3)]);
			sub.push(subjects[Math.floor(rand() * 6)]);
			mark[i] = rand() < 0.02 ? NaN : Math.round(rand() * 100);
		}
		const frame = makeFrame([
			categoricalColumn('student_id', sid, 'identifier'),
			categoricalColumn('semester', sem),
			categoricalColumn('subject', sub),
			numericColumn('final_marks', mark)
		]);
		for (const who of ['S17', 'S2500', 'S3999']) {
			const got = subjectStanding(frame, COLS, who);
			const latest = semesters
				.filter((s) => sid.some((x, i) => x === who && sem[i] === s && mark[i] === mark[i]))
				.pop();
			for (const g of got) {
				const cls: number[] = [];
				const mine: number[] = [];
				for (let i = 0; i < n; i++) {
					if (sem[i] !== latest || sub[i] !== g.subject || Number.isNaN(mark[i])) continue;
					cls.push(mark[i]);
					if (sid[i] === who) mine.push(mark[i]);
				}
				const m = mine.reduce((a, b) => a + b, 0) / mine.length;
				const mean = cls.reduce((a, b) => a + b, 0) / cls.length;
				const sd = Math.sqrt(cls.reduce((a, b) => a + (b - mean) ** 2, 0) / (cls.length - 1));
				const pct =
					(100 * (cls.filter((x) => x < m).length + 0.5 * cls.filter((x) => x === m).length)) /
					cls.length;
				expect(g.semester).toBe(latest);
				expect(g.mark).toBeCloseTo(m, 9);
				expect(g.classMean).toBeCloseTo(mean, 9);
				expect(g.classSd).toBeCloseTo(sd, 9);
				expect(g.percentile).toBeCloseTo(pct, 9);
				expect(g.weak).toBe(g.z <= -0.5 && pct <= 25);
			}
		}
	});
});

const standing = (subject: string, z: number, weak: boolean): SubjectStanding => ({
	subject,
	mark: 60 + 10 * z,
	classMean: 60,
	classSd: 10,
	z,
	percentile: 50,
	weak,
	strong: false,
	n: 20,
	semester: null
});

const rec = (title: string, action: string): Recommendation => ({
	ruleId: title,
	title,
	message: '',
	priority: 'high',
	action,
	strength: 0.5,
	triggers: [],
	factor: null
});

describe('suggestStudyPlan', () => {
	it('puts the weakest subjects first, then recommendations, without repeats', () => {
		const plan = suggestStudyPlan(
			[
				standing('Physics', -0.8, true),
				standing('Maths', -1.43, true),
				standing('Art', 0.1, false)
			],
			[rec('Low attendance', 'Agree an attendance goal.'), rec('Low attendance', 'Again.')]
		);
		expect(plan).toEqual([
			{
				subject: 'Maths',
				title: 'Catch up in Maths',
				note: 'Mark 45.7 against a class average of 60. Go back over the topics of the latest tests in Maths, practise a few questions each week and bring them for feedback.'
			},
			{
				subject: 'Physics',
				title: 'Catch up in Physics',
				note: 'Mark 52 against a class average of 60. Go back over the topics of the latest tests in Physics, practise a few questions each week and bring them for feedback.'
			},
			{ subject: 'General', title: 'Low attendance', note: 'Agree an attendance goal.' }
		]);
		expect(suggestStudyPlan([], [], 3)).toEqual([]);
		const many = Array.from({ length: 20 }, (_, i) => standing(`S${i}`, -1, true));
		expect(suggestStudyPlan(many, [])).toHaveLength(8);
	});
});

describe('validateStudyPlanEntry', () => {
	it('accepts a good entry, trimmed, with an http(s) link', () => {
		expect(
			validateStudyPlanEntry({
				subject: ' Maths ',
				title: ' Fractions ',
				note: 'Two a week',
				link: ' https://example.org/fractions?x=1 '
			})
		).toEqual({
			ok: true,
			entry: {
				subject: 'Maths',
				title: 'Fractions',
				note: 'Two a week',
				link: 'https://example.org/fractions?x=1'
			}
		});
		const r = validateStudyPlanEntry({ title: 'Read', link: 'http://Example.org' });
		expect(r).toEqual({
			ok: true,
			entry: { subject: 'General', title: 'Read', note: '', link: 'http://example.org/' }
		});
	});

	it('requires a title and caps lengths', () => {
		const r = validateStudyPlanEntry({
			subject: 'x'.repeat(81),
			title: '  ',
			note: 'y'.repeat(1001)
		});
		expect(r.ok ? [] : r.errors).toEqual([
			{ path: 'subject', message: 'The subject must be at most 80 characters.' },
			{ path: 'title', message: 'The title is required.' },
			{ path: 'note', message: 'The note must be at most 1000 characters.' }
		]);
		expect(validateStudyPlanEntry('nope').ok).toBe(false);
		expect(validateStudyPlanEntry({ title: 5 }).ok).toBe(false);
	});

	it('rejects links that are not plain web addresses', () => {
		const bad = [
			'javascript:alert(1)',
			'JaVaScRiPt:alert(1)',
			' javascript:alert(1)',
			'java\tscript:alert(1)',
			'data:text/html,<script>alert(1)</script>',
			'vbscript:msgbox(1)',
			'file:///etc/passwd',
			'ftp://example.org/x',
			'//evil.example',
			'example.org',
			'https://user:secret@example.org',
			'https://exa mple.org',
			`https://example.org/${'a'.repeat(2000)}`
		];
		for (const link of bad) {
			const r = validateStudyPlanEntry({ title: 'T', link });
			expect(r.ok, link).toBe(false);
			if (!r.ok) expect(r.errors[0].path).toBe('link');
		}
	});

	it('never lets a non-http(s) link through (property)', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 60 }), (link) => {
				const r = validateStudyPlanEntry({ title: 'T', link });
				if (r.ok && r.entry.link !== undefined) {
					expect(/^https?:\/\/[^/\s]/.test(r.entry.link)).toBe(true);
				}
			})
		);
	});
});
