/**
 * "Course records" profile, long format: one row per student × semester × subject. Each student
 * has a latent ability, a strength or weakness per subject and a motivation that drifts between
 * semesters; previous_cgpa is computed from the grades the student actually got earlier, so it
 * carries real signal forward in time (and leaks nothing from the current semester).
 */
import { makeFrame, numericColumn } from '../frame';
import { createRng } from '../random';
import type { DemoDataset } from './types';
import {
	DEFAULT_SEED,
	MAX_ROWS,
	blankNumeric,
	clamp,
	codedColumn,
	plural,
	rolesFor,
	round1,
	round2,
	sigmoid,
	studentIds,
	validateRows,
	type GenerateOptions
} from './util';

export const COURSE_RECORDS_DEFAULT_STUDENTS = 120;

/** Chronological, so dictionary order is time order and the strings also sort correctly. */
export const SEMESTERS = ['2023-S1', '2023-S2', '2024-S1'];
export const SUBJECTS = ['Mathematics', 'English', 'Physics', 'Chemistry', 'Biology', 'History'];
export const GRADES = ['A', 'B', 'C', 'D', 'F'];
const GRADE_POINTS = [4, 3, 2, 1, 0];

/** A ≥ 80, B ≥ 70, C ≥ 60, D ≥ 50, otherwise F — returns the index into GRADES. */
export function gradeIndex(finalMarks: number): number {
	return finalMarks >= 80
		? 0
		: finalMarks >= 70
			? 1
			: finalMarks >= 60
				? 2
				: finalMarks >= 50
					? 3
					: 4;
}

export function generateCourseRecords(opts: GenerateOptions = {}): DemoDataset {
	const nStudents = validateRows(
		opts.rows,
		COURSE_RECORDS_DEFAULT_STUDENTS,
		'students',
		MAX_ROWS / 10
	);
	const rng = createRng(`course-records:${opts.seed ?? DEFAULT_SEED}`);
	const nSubjects = SUBJECTS.length;
	const cap = nStudents * SEMESTERS.length * 5;

	const student = new Uint32Array(cap);
	const semester = new Uint32Array(cap);
	const subject = new Uint32Array(cap);
	const assignment = new Float64Array(cap);
	const quiz = new Float64Array(cap);
	const attendance = new Float64Array(cap);
	const midterm = new Float64Array(cap);
	const cgpa = new Float64Array(cap);
	const finals = new Float64Array(cap);
	const grade = new Uint32Array(cap);

	const strength = new Float64Array(nSubjects);
	const order = new Uint32Array(nSubjects);
	const chosen = new Uint8Array(nSubjects);
	let r = 0;

	for (let s = 0; s < nStudents; s++) {
		const ability = rng.normal();
		const engagement = 0.5 * ability + 0.866 * rng.normal();
		const drift = 0.35 * rng.normal();
		for (let j = 0; j < nSubjects; j++) strength[j] = 0.5 * rng.normal();
		// Most students are present for all three semesters; some joined late or left early.
		const u = rng.next();
		const first = u < 0.7 ? 0 : u < 0.85 ? 1 : 0;
		const last = u < 0.7 ? 2 : u < 0.85 ? 2 : 1;

		let points = 0;
		let taken = 0;
		const entryGpa = clamp(round2(2.8 + 0.55 * ability + 0.3 * rng.normal()), 0, 4);

		for (let t = first; t <= last; t++) {
			const mood = drift * (t - first) + 0.25 * rng.normal();
			const attBase = 100 * sigmoid(2 + 0.9 * engagement + 0.5 * mood);
			const prev = taken === 0 ? entryGpa : round2(points / taken);
			const k = 3 + rng.int(3);
			for (let j = 0; j < nSubjects; j++) {
				order[j] = j;
				chosen[j] = 0;
			}
			for (let j = 0; j < k; j++) {
				const pick = j + rng.int(nSubjects - j);
				const tmp = order[j];
				order[j] = order[pick];
				order[pick] = tmp;
				chosen[order[j]] = 1;
			}
			let semPoints = 0;
			for (let j = 0; j < nSubjects; j++) {
				if (!chosen[j]) continue;
				const skill = ability + strength[j] + 0.4 * mood + 0.3 * rng.normal();
				const att = clamp(round1(attBase + 4 * rng.normal()), 20, 100);
				const asg = clamp(
					Math.round(68 + 11 * skill + 0.2 * (att - 85) + 8 * rng.normal()),
					0,
					100
				);
				const qz = clamp(Math.round(62 + 13 * skill + 9 * rng.normal()), 0, 100);
				const mid = clamp(Math.round(60 + 13 * skill + 8 * rng.normal()), 0, 100);
				const fin = clamp(
					Math.round(
						62 +
							10 * skill +
							// Below about 75% attendance marks fall away quickly; above it, little changes.
							18 * (sigmoid((att - 72) / 6) - 0.5) +
							0.08 * (asg - 68) +
							0.1 * (mid - 60) +
							1.5 * (prev - 2.8) +
							7 * rng.normal()
					),
					0,
					100
				);
				const g = gradeIndex(fin);
				student[r] = s;
				semester[r] = t;
				subject[r] = j;
				assignment[r] = asg;
				quiz[r] = qz;
				attendance[r] = att;
				midterm[r] = mid;
				cgpa[r] = prev;
				finals[r] = fin;
				grade[r] = g;
				semPoints += GRADE_POINTS[g];
				r++;
			}
			points += semPoints;
			taken += k;
		}
	}

	const n = r;
	const attendanceOut = attendance.slice(0, n);
	const quizOut = quiz.slice(0, n);
	blankNumeric(attendanceOut, 0.02, rng);
	blankNumeric(quizOut, 0.015, rng);

	const columns = [
		codedColumn(
			'student_id',
			student.slice(0, n),
			studentIds(nStudents, opts.canary),
			'identifier'
		),
		codedColumn('semester', semester.slice(0, n), SEMESTERS.slice()),
		codedColumn('subject', subject.slice(0, n), SUBJECTS.slice()),
		numericColumn('assignment_marks', assignment.slice(0, n), 'integer'),
		numericColumn('quiz_marks', quizOut, 'integer'),
		numericColumn('attendance_percentage', attendanceOut),
		numericColumn('midterm_marks', midterm.slice(0, n), 'integer'),
		numericColumn('previous_cgpa', cgpa.slice(0, n)),
		numericColumn('final_marks', finals.slice(0, n), 'integer'),
		codedColumn('final_grade', grade.slice(0, n), GRADES.slice())
	];
	return {
		profile: 'course-records',
		name: `Demo class — course records (${plural(nStudents, 'student')}, ${plural(n, 'row')})`,
		description:
			'Made-up results for each student in each subject over three semesters, one row per ' +
			'subject taken. Use it to try predicting final marks from work during the semester.',
		frame: makeFrame(columns),
		roles: rolesFor(
			columns.map((c) => c.name),
			{
				student_id: 'group',
				semester: 'time',
				final_marks: 'target',
				// The grade is the target in other words; as a feature it would leak the answer.
				final_grade: 'ignore'
			}
		),
		target: 'final_marks'
	};
}
