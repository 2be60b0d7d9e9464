import { describe, expect, it } from 'vitest';
import { MISSING_CODE, requireNumeric } from '../../src/lib/ml/frame';
import {
	generateDemo,
	generateDemographicTables,
	generateWellbeingWithTruth,
	WELLBEING_PERSONAS
} from '../../src/lib/ml/synthetic';
import { categorical, numeric, pearson } from './helpers/synthetic';

describe('course-records demo', () => {
	const d = generateDemo('course-records');
	const ids = categorical(d.frame, 'student_id');
	const sem = categorical(d.frame, 'semester');
	const subj = categorical(d.frame, 'subject');

	it('gives 120 students over 1,000 rows, several semesters and subjects each', () => {
		expect(ids.dictionary.length).toBe(120);
		expect(d.frame.nRows).toBeGreaterThanOrEqual(1000);
		const semesters = new Map<number, Set<number>>();
		const subjects = new Map<number, Set<number>>();
		for (let i = 0; i < d.frame.nRows; i++) {
			const s = ids.codes[i];
			if (!semesters.has(s)) semesters.set(s, new Set());
			if (!subjects.has(s)) subjects.set(s, new Set());
			semesters.get(s)!.add(sem.codes[i]);
			subjects.get(s)!.add(subj.codes[i]);
		}
		expect(semesters.size).toBe(120);
		for (const set of semesters.values()) expect(set.size).toBeGreaterThanOrEqual(2);
		for (const set of subjects.values()) expect(set.size).toBeGreaterThanOrEqual(3);
		expect(subj.dictionary.length).toBeGreaterThanOrEqual(5);
	});

	it('orders semesters in time, within each student, and by name', () => {
		expect([...sem.dictionary].sort()).toEqual(sem.dictionary);
		for (let i = 1; i < d.frame.nRows; i++) {
			if (ids.codes[i] !== ids.codes[i - 1]) continue;
			expect(sem.dictionary[sem.codes[i]] >= sem.dictionary[sem.codes[i - 1]]).toBe(true);
		}
	});

	it('takes 3 to 5 distinct subjects per student per semester', () => {
		const counts = new Map<string, Set<number>>();
		for (let i = 0; i < d.frame.nRows; i++) {
			const key = `${ids.codes[i]}:${sem.codes[i]}`;
			if (!counts.has(key)) counts.set(key, new Set());
			const set = counts.get(key)!;
			expect(set.has(subj.codes[i])).toBe(false);
			set.add(subj.codes[i]);
		}
		for (const set of counts.values()) {
			expect(set.size).toBeGreaterThanOrEqual(3);
			expect(set.size).toBeLessThanOrEqual(5);
		}
	});

	it('derives the grade from the final mark and keeps previous CGPA constant in a semester', () => {
		const marks = numeric(d.frame, 'final_marks');
		const grade = categorical(d.frame, 'final_grade');
		const cgpa = numeric(d.frame, 'previous_cgpa');
		for (let i = 0; i < d.frame.nRows; i++) {
			const m = marks[i];
			const expected = m >= 80 ? 'A' : m >= 70 ? 'B' : m >= 60 ? 'C' : m >= 50 ? 'D' : 'F';
			expect(grade.dictionary[grade.codes[i]]).toBe(expected);
			if (i > 0 && ids.codes[i] === ids.codes[i - 1] && sem.codes[i] === sem.codes[i - 1]) {
				expect(cgpa[i]).toBe(cgpa[i - 1]);
			}
		}
		expect(d.roles.final_grade).toBe('ignore');
		expect(d.roles.semester).toBe('time');
	});
});

describe('wellbeing demo', () => {
	it('has 600 students and the 20 survey columns after the id', () => {
		const d = generateDemo('wellbeing');
		expect(d.frame.nRows).toBe(600);
		expect(d.frame.columns.length).toBe(21);
	});

	it('has persona structure: motivation goes with study hours, personas differ in sleep', () => {
		const { dataset, persona } = generateWellbeingWithTruth({ rows: 3000 });
		const f = dataset.frame;
		const mot = categorical(f, 'Motivation_Level');
		expect(mot.dictionary).toEqual(['Low', 'Medium', 'High']);
		const hours = numeric(f, 'Hours_Studied');
		const level = Float64Array.from(mot.codes, (c) => (c === MISSING_CODE ? NaN : c));
		expect(pearson(level, hours)).toBeGreaterThan(0.25);

		const sleep = numeric(f, 'Sleep_Hours');
		const k = WELLBEING_PERSONAS.length;
		expect(k).toBeGreaterThanOrEqual(4);
		const mean = (xs: Float64Array, p: number): number => {
			let s = 0;
			let n = 0;
			for (let i = 0; i < xs.length; i++) {
				if (persona[i] === p) {
					s += xs[i];
					n++;
				}
			}
			return s / n;
		};
		const sleeps = Array.from({ length: k }, (_, p) => mean(sleep, p));
		const hoursBy = Array.from({ length: k }, (_, p) => mean(hours, p));
		expect(Math.max(...sleeps) - Math.min(...sleeps)).toBeGreaterThan(2);
		expect(Math.max(...hoursBy) - Math.min(...hoursBy)).toBeGreaterThan(12);
		// Every persona is a real share of the class, not a handful of rows.
		for (let p = 0; p < k; p++) expect(persona.filter((x) => x === p).length).toBeGreaterThan(300);
	});

	it('makes too little sleep hurt and tutoring help weaker students more', () => {
		const { dataset, persona } = generateWellbeingWithTruth({ rows: 20000 });
		const f = dataset.frame;
		const sleep = numeric(f, 'Sleep_Hours');
		const y = numeric(f, 'Exam_Score');
		const prev = numeric(f, 'Previous_Scores');
		const tut = numeric(f, 'Tutoring_Sessions');
		// Short sleepers are mostly hard workers, so compare within one persona, not overall.
		const stretched = WELLBEING_PERSONAS.findIndex((p) => p.name === 'Stretched striver');
		const low: number[] = [];
		const ok: number[] = [];
		for (let i = 0; i < f.nRows; i++) {
			if (persona[i] === stretched) (sleep[i] <= 5 ? low : sleep[i] >= 7 ? ok : []).push(y[i]);
		}
		const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
		expect(ok.length).toBeGreaterThan(50);
		expect(avg(ok) - avg(low)).toBeGreaterThan(1);
		const slope = (keep: (i: number) => boolean): number => {
			const xs: number[] = [];
			const ys: number[] = [];
			for (let i = 0; i < f.nRows; i++) {
				if (keep(i)) {
					xs.push(tut[i]);
					ys.push(y[i]);
				}
			}
			const mx = avg(xs);
			const my = avg(ys);
			let sxy = 0;
			let sxx = 0;
			for (let i = 0; i < xs.length; i++) {
				sxy += (xs[i] - mx) * (ys[i] - my);
				sxx += (xs[i] - mx) ** 2;
			}
			return sxy / sxx;
		};
		expect(slope((i) => prev[i] < 60)).toBeGreaterThan(slope((i) => prev[i] > 80));
	});
});

describe('demographic demo', () => {
	it('has 400 students by default', () => {
		expect(generateDemo('demographic').frame.nRows).toBe(400);
	});

	it('splits into two tables that join back on student_id to the single table', () => {
		const single = generateDemo('demographic', { seed: 3, rows: 80 }).frame;
		const { demographics, academics, key } = generateDemographicTables({ seed: 3, rows: 80 });
		expect(key).toBe('student_id');
		expect(demographics.columns.map((c) => c.name)).toEqual([
			'student_id',
			'age',
			'gender',
			'parental_education'
		]);
		expect(academics.columns[0].name).toBe('student_id');
		expect(academics.nRows).toBe(80);
		const idsA = categorical(academics, 'student_id');
		const idsS = categorical(single, 'student_id');
		const position = new Map(idsS.dictionary.map((id, i) => [id, i]));
		let moved = 0;
		for (let i = 0; i < academics.nRows; i++) {
			const id = idsA.dictionary[idsA.codes[i]];
			const j = position.get(id)!;
			if (j !== i) moved++;
			for (const c of academics.columns.slice(1)) {
				const a = numeric(academics, c.name)[i];
				const s = numeric(single, c.name)[j];
				expect(Object.is(a, s), `${c.name} of ${id}`).toBe(true);
			}
		}
		expect(moved).toBeGreaterThan(40);
	});
});

describe('lms-activity demo', () => {
	const d = generateDemo('lms-activity');
	const f = d.frame;

	it('logs every one of 150 students, in time order', () => {
		const ids = categorical(f, 'student_id');
		expect(ids.dictionary.length).toBe(150);
		expect(new Set(ids.codes).size).toBe(150);
		expect(f.nRows).toBeGreaterThan(150 * 12 * 3);
		const ts = numeric(f, 'timestamp');
		expect(requireNumeric(f, 'timestamp').type).toBe('datetime');
		for (let i = 1; i < ts.length; i++) expect(ts[i] >= ts[i - 1]).toBe(true);
		expect(d.target).toBeNull();
		expect(d.roles.timestamp).toBe('time');
	});

	it('has fewer events per weekend day than per weekday, and quiet nights', () => {
		const ts = numeric(f, 'timestamp');
		let weekend = 0;
		let weekday = 0;
		let night = 0;
		let afternoon = 0;
		for (const t of ts) {
			const date = new Date(t);
			const day = date.getUTCDay();
			if (day === 0 || day === 6) weekend++;
			else weekday++;
			const h = date.getUTCHours();
			if (h >= 2 && h < 6) night++;
			if (h >= 14 && h < 18) afternoon++;
		}
		expect(weekend / 2).toBeLessThan(0.75 * (weekday / 5));
		expect(night).toBeLessThan(afternoon / 4);
	});

	it('includes students who disengage part-way through the term', () => {
		const ids = categorical(f, 'student_id');
		const ts = numeric(f, 'timestamp');
		const start = Date.UTC(2024, 8, 2);
		const early = new Float64Array(150);
		const late = new Float64Array(150);
		for (let i = 0; i < f.nRows; i++) {
			const week = Math.floor((ts[i] - start) / (7 * 86_400_000));
			if (week < 3) early[ids.codes[i]]++;
			else if (week >= 9) late[ids.codes[i]]++;
		}
		let dropped = 0;
		for (let s = 0; s < 150; s++) if (early[s] >= 15 && late[s] <= early[s] * 0.15) dropped++;
		expect(dropped).toBeGreaterThanOrEqual(3);
		expect(dropped).toBeLessThan(40);
	});

	it('uses all seven activity types with plausible frequencies', () => {
		const act = categorical(f, 'activity');
		expect(act.dictionary).toHaveLength(7);
		const counts = new Array<number>(7).fill(0);
		for (const c of act.codes) counts[c]++;
		const view = counts[act.dictionary.indexOf('view_content')];
		const post = counts[act.dictionary.indexOf('forum_post')];
		expect(view).toBeGreaterThan(post * 2);
	});
});
