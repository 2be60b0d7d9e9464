/**
 * "Demographic + academic" profile: background (age, gender, parental education) beside study
 * behaviour and results. Background shapes prior attainment a little (as it does in real data)
 * but the final score is driven by what students do — attendance, study time, completing work —
 * so a model has something actionable to find and no reason to lean on gender.
 */
import { makeFrame, numericColumn, takeRows, type Frame } from '../frame';
import { createRng } from '../random';
import type { DemoDataset } from './types';
import {
	DEFAULT_SEED,
	blankCodes,
	blankNumeric,
	clamp,
	codedColumn,
	cumulative,
	drawCumulative,
	identityCodes,
	plural,
	rolesFor,
	round1,
	round2,
	sigmoid,
	studentIds,
	validateRows,
	type GenerateOptions
} from './util';

export const DEMOGRAPHIC_DEFAULT_ROWS = 400;

export const PARENTAL_EDUCATION = [
	'No formal qualification',
	'High School',
	'Some College',
	"Bachelor's",
	'Postgraduate'
];
const GENDER = cumulative([0.49, 0.49, 0.02]);
const AGE_OFFSET = cumulative([0.08, 0.3, 0.27, 0.17, 0.09, 0.05, 0.03, 0.01]);

export const DEMOGRAPHIC_COLUMNS = ['student_id', 'age', 'gender', 'parental_education'];
export const ACADEMIC_COLUMNS = [
	'student_id',
	'attendance_pct',
	'weekly_study_hours',
	'previous_gpa',
	'assignment_completion',
	'final_score'
];

export function generateDemographic(opts: GenerateOptions = {}): DemoDataset {
	const n = validateRows(opts.rows, DEMOGRAPHIC_DEFAULT_ROWS, 'students');
	const rng = createRng(`demographic:${opts.seed ?? DEFAULT_SEED}`);

	const age = new Float64Array(n);
	const gender = new Uint32Array(n);
	const parentEd = new Uint32Array(n);
	const attendance = new Float64Array(n);
	const hours = new Float64Array(n);
	const gpa = new Float64Array(n);
	const completion = new Float64Array(n);
	const finals = new Float64Array(n);

	for (let i = 0; i < n; i++) {
		const ses = rng.normal();
		const ability = 0.3 * ses + 0.954 * rng.normal();
		const engagement = 0.4 * ability + 0.917 * rng.normal();
		const ped = ses + 0.6 * rng.normal();
		parentEd[i] = ped < -1.4 ? 0 : ped < -0.1 ? 1 : ped < 0.6 ? 2 : ped < 1.4 ? 3 : 4;
		gender[i] = drawCumulative(rng, GENDER);
		// Mature students are a minority, and tend to be a little more engaged.
		const a = 17 + drawCumulative(rng, AGE_OFFSET);
		age[i] = a;

		const att = clamp(
			round1(100 * sigmoid(1.9 + 0.9 * engagement + 0.06 * (a - 19) + 0.35 * rng.normal())),
			0,
			100
		);
		const hrs = clamp(round1(Math.exp(2.3 + 0.35 * engagement + 0.35 * rng.normal())), 0, 60);
		const prev = clamp(round2(2.9 + 0.55 * ability + 0.25 * rng.normal()), 0, 4);
		const comp = clamp(
			Math.round(100 * sigmoid(1.6 + 1.1 * engagement + 0.4 * ability + 0.6 * rng.normal())),
			0,
			100
		);
		const score =
			50 +
			9 * (prev - 2.9) +
			4 * ability +
			// Attendance below about 70% is where results collapse.
			20 * (sigmoid((att - 70) / 7) - 0.5) +
			// Study time has diminishing returns.
			6 * Math.log1p(hrs / 5) +
			0.15 * (comp - 80) +
			// Finishing assignments matters most for students who came in weaker.
			0.1 * (comp - 80) * clamp(3 - prev, 0, 2) +
			7.5 * rng.normal();

		attendance[i] = att;
		hours[i] = hrs;
		gpa[i] = prev;
		completion[i] = comp;
		finals[i] = clamp(round1(score), 0, 100);
	}

	blankCodes(parentEd, 0.025, rng);
	blankNumeric(hours, 0.025, rng);
	blankNumeric(gpa, 0.01, rng);

	const columns = [
		codedColumn('student_id', identityCodes(n), studentIds(n, opts.canary), 'identifier'),
		numericColumn('age', age, 'integer'),
		codedColumn('gender', gender, ['Female', 'Male', 'Non-binary']),
		codedColumn('parental_education', parentEd, PARENTAL_EDUCATION.slice()),
		numericColumn('attendance_pct', attendance),
		numericColumn('weekly_study_hours', hours),
		numericColumn('previous_gpa', gpa),
		numericColumn('assignment_completion', completion, 'integer'),
		numericColumn('final_score', finals)
	];
	return {
		profile: 'demographic',
		name: `Demo class — background and results (${plural(n, 'student')})`,
		description:
			'Made-up background details (age, gender, parental education) next to attendance, ' +
			'study time and results. Use it to predict final scores and check the model treats groups fairly.',
		frame: makeFrame(columns),
		roles: rolesFor(
			columns.map((c) => c.name),
			{ student_id: 'id', gender: 'sensitive', final_score: 'target' }
		),
		target: 'final_score'
	};
}

export interface DemographicTables {
	/** student_id, age, gender, parental_education — in student order. */
	demographics: Frame;
	/** student_id and the academic columns, in a shuffled order so they must be joined by id. */
	academics: Frame;
	key: 'student_id';
}

/** The same students as generateDemographic (same seed, same values), split into two tables. */
export function generateDemographicTables(opts: GenerateOptions = {}): DemographicTables {
	const { frame } = generateDemographic(opts);
	const pick = (names: string[]): Frame =>
		makeFrame(names.map((name) => frame.columns.find((c) => c.name === name)!));
	const order = identityCodes(frame.nRows);
	createRng(`demographic-join:${opts.seed ?? DEFAULT_SEED}`).shuffle(order);
	return {
		demographics: pick(DEMOGRAPHIC_COLUMNS),
		academics: takeRows(pick(ACADEMIC_COLUMNS), order),
		key: 'student_id'
	};
}
