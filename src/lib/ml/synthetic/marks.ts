/**
 * "Marks" profile: one row per student with coursework, continuous assessment (CATs, RATs) and a
 * final exam. Latent ability and engagement drive everything, so the features are correlated the
 * way real marks are, and the exam depends on them non-linearly (attendance saturates, heavy
 * subject loads hurt weaker students more, participation helps most those who struggle).
 */
import { makeFrame, numericColumn } from '../frame';
import { createRng } from '../random';
import type { DemoDataset } from './types';
import {
	DEFAULT_SEED,
	blankNumeric,
	clamp,
	codedColumn,
	identityCodes,
	plural,
	rolesFor,
	round1,
	sigmoid,
	studentIds,
	validateRows,
	type GenerateOptions
} from './util';

export const MARKS_DEFAULT_ROWS = 240;

const YEAR_CUMULATIVE = [0.3, 0.57, 0.8, 1];

export function generateMarks(opts: GenerateOptions = {}): DemoDataset {
	const n = validateRows(opts.rows, MARKS_DEFAULT_ROWS, 'students');
	const rng = createRng(`marks:${opts.seed ?? DEFAULT_SEED}`);

	// Students share a class (and so a class size and a peer group) — about 30 to a class.
	const nClasses = Math.max(1, Math.round(n / 30));
	const classEffect = new Float64Array(nClasses);
	const classSizeOf = new Float64Array(nClasses);
	for (let c = 0; c < nClasses; c++) {
		classEffect[c] = rng.normal();
		classSizeOf[c] = 18 + rng.int(38);
	}

	const gender = new Uint32Array(n);
	const attendance = new Float64Array(n);
	const participation = new Float64Array(n);
	const assignment = new Float64Array(n);
	const year = new Float64Array(n);
	const subjects = new Float64Array(n);
	const classSize = new Float64Array(n);
	const peer = new Float64Array(n);
	const cats = new Float64Array(n);
	const rats = new Float64Array(n);
	const exam = new Float64Array(n);

	for (let i = 0; i < n; i++) {
		const ability = rng.normal();
		const engagement = 0.5 * ability + 0.866 * rng.normal();
		const cls = rng.int(nClasses);
		gender[i] = rng.next() < 0.5 ? 0 : 1;

		const att = clamp(round1(10 * sigmoid(1.4 + 1.1 * engagement + 0.35 * rng.normal())), 0, 10);
		const part = clamp(round1(5.5 + 1.5 * engagement + 0.5 * ability + 1.3 * rng.normal()), 0, 10);
		const asg = clamp(round1(6.3 + 1.1 * ability + 0.8 * engagement + 1.0 * rng.normal()), 0, 10);
		const u = rng.next();
		const yr =
			u < YEAR_CUMULATIVE[0] ? 1 : u < YEAR_CUMULATIVE[1] ? 2 : u < YEAR_CUMULATIVE[2] ? 3 : 4;
		const ns = clamp(4 + rng.int(4) + (yr === 1 ? 1 : 0), 4, 8);
		const size = classSizeOf[cls];
		const pp = clamp(round1(62 + 9 * classEffect[cls] + 3 * rng.normal()), 0, 100);
		const ct = clamp(
			Math.round(18 + 4.5 * ability + 1.2 * engagement + 0.8 * (asg - 6.3) + 2.5 * rng.normal()),
			0,
			30
		);
		const rt = clamp(Math.round(12 + 3 * ability + 0.8 * engagement + 2 * rng.normal()), 0, 20);

		const struggling = sigmoid(-1.5 * ability);
		const score =
			56 +
			7 * ability +
			// Missing a few classes barely matters; missing most of them is very costly.
			16 * (sigmoid((att - 5.5) / 1.1) - 0.5) +
			1.4 * (asg - 6.3) +
			0.45 * (ct - 18) +
			0.4 * (rt - 12) +
			1.2 * (part - 5.5) * struggling -
			(ns > 6 ? 1.6 * (ns - 6) * (1 + struggling) : 0) -
			0.08 * (size - 36) +
			0.12 * (pp - 62) +
			0.6 * (yr - 2.3) +
			8 * rng.normal();

		attendance[i] = att;
		participation[i] = part;
		assignment[i] = asg;
		year[i] = yr;
		subjects[i] = ns;
		classSize[i] = size;
		peer[i] = pp;
		cats[i] = ct;
		rats[i] = rt;
		exam[i] = clamp(Math.round(score), 0, 100);
	}

	blankNumeric(attendance, 0.02, rng);
	blankNumeric(participation, 0.015, rng);
	blankNumeric(peer, 0.012, rng);

	const columns = [
		codedColumn('student_id', identityCodes(n), studentIds(n, opts.canary), 'identifier'),
		codedColumn('gender', gender, ['Female', 'Male']),
		numericColumn('attendance', attendance),
		numericColumn('participation', participation),
		numericColumn('assignment_score', assignment),
		numericColumn('year_of_study', year, 'integer'),
		numericColumn('num_subjects', subjects, 'integer'),
		numericColumn('class_size', classSize, 'integer'),
		numericColumn('peer_performance', peer),
		numericColumn('cats', cats, 'integer'),
		numericColumn('rats', rats, 'integer'),
		numericColumn('final_exam', exam, 'integer')
	];
	return {
		profile: 'marks',
		name: `Demo class — marks (${plural(n, 'student')})`,
		description:
			'Made-up coursework, continuous assessment and final exam marks for one class. ' +
			'Use it to try predicting the final exam and spotting students at risk.',
		frame: makeFrame(columns),
		roles: rolesFor(
			columns.map((c) => c.name),
			{ student_id: 'id', gender: 'sensitive', final_exam: 'target' }
		),
		target: 'final_exam'
	};
}
