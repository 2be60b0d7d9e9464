/**
 * "Wellbeing survey" profile, shaped like the public student-performance-factors survey: 20
 * columns of habits, circumstances and an exam score, plus a student id. Students are drawn from
 * a few latent personas (driven, stretched, disengaged, under-resourced, balanced) so that
 * clustering has real groups to find; within a persona, answers vary independently.
 */
import { makeFrame, numericColumn, type Column } from '../frame';
import { createRng, type Rng } from '../random';
import type { DemoDataset } from './types';
import {
	DEFAULT_SEED,
	blankCodes,
	clamp,
	codedColumn,
	cumulative,
	drawCumulative,
	identityCodes,
	plural,
	poisson,
	rolesFor,
	studentIds,
	validateRows,
	type GenerateOptions
} from './util';

export const WELLBEING_DEFAULT_ROWS = 600;

const LMH = ['Low', 'Medium', 'High'];
const YES_NO = ['Yes', 'No'];

export interface WellbeingPersona {
	name: string;
	weight: number;
	hours: number;
	attendance: number;
	sleep: number;
	previous: number;
	tutoring: number;
	activity: number;
	/** Probability of answering Yes. */
	extracurricular: number;
	internet: number;
	/** Cumulative Low/Medium/High (or Positive/Neutral/Negative, Near/Moderate/Far) weights. */
	motivation: Float64Array;
	involvement: Float64Array;
	resources: Float64Array;
	income: Float64Array;
	peer: Float64Array;
	distance: Float64Array;
	parentalEducation: Float64Array;
}

type WeightKey =
	'motivation' | 'involvement' | 'resources' | 'income' | 'peer' | 'distance' | 'parentalEducation';

const WEIGHT_KEYS: WeightKey[] = [
	'motivation',
	'involvement',
	'resources',
	'income',
	'peer',
	'distance',
	'parentalEducation'
];

type PersonaSpec = Omit<WellbeingPersona, WeightKey> & Record<WeightKey, number[]>;

function persona(spec: PersonaSpec): WellbeingPersona {
	const out = { ...spec } as unknown as WellbeingPersona;
	for (const key of WEIGHT_KEYS) out[key] = cumulative(spec[key]);
	return out;
}

/** The hidden ground truth, exported so clustering tests can score recovered groups against it. */
export const WELLBEING_PERSONAS: readonly WellbeingPersona[] = [
	{
		name: 'Driven achiever',
		weight: 0.18,
		hours: 27,
		attendance: 93,
		sleep: 7.4,
		previous: 84,
		tutoring: 1.1,
		activity: 3.3,
		extracurricular: 0.65,
		internet: 0.97,
		motivation: [0.04, 0.3, 0.66],
		involvement: [0.1, 0.4, 0.5],
		resources: [0.08, 0.42, 0.5],
		income: [0.2, 0.45, 0.35],
		peer: [0.6, 0.32, 0.08],
		distance: [0.65, 0.27, 0.08],
		parentalEducation: [0.35, 0.35, 0.3]
	},
	{
		name: 'Stretched striver',
		weight: 0.17,
		hours: 29,
		attendance: 86,
		sleep: 5.1,
		previous: 72,
		tutoring: 2.3,
		activity: 1.5,
		extracurricular: 0.3,
		internet: 0.93,
		motivation: [0.12, 0.5, 0.38],
		involvement: [0.25, 0.5, 0.25],
		resources: [0.25, 0.5, 0.25],
		income: [0.35, 0.45, 0.2],
		peer: [0.35, 0.45, 0.2],
		distance: [0.55, 0.3, 0.15],
		parentalEducation: [0.5, 0.32, 0.18]
	},
	{
		name: 'Disengaged',
		weight: 0.17,
		hours: 10,
		attendance: 68,
		sleep: 7.9,
		previous: 64,
		tutoring: 0.5,
		activity: 2.4,
		extracurricular: 0.22,
		internet: 0.9,
		motivation: [0.66, 0.29, 0.05],
		involvement: [0.5, 0.35, 0.15],
		resources: [0.35, 0.45, 0.2],
		income: [0.38, 0.44, 0.18],
		peer: [0.12, 0.35, 0.53],
		distance: [0.55, 0.3, 0.15],
		parentalEducation: [0.55, 0.3, 0.15]
	},
	{
		name: 'Under-resourced',
		weight: 0.2,
		hours: 18,
		attendance: 79,
		sleep: 6.6,
		previous: 67,
		tutoring: 0.6,
		activity: 2.7,
		extracurricular: 0.3,
		internet: 0.68,
		motivation: [0.25, 0.5, 0.25],
		involvement: [0.38, 0.44, 0.18],
		resources: [0.62, 0.3, 0.08],
		income: [0.72, 0.24, 0.04],
		peer: [0.25, 0.45, 0.3],
		distance: [0.3, 0.35, 0.35],
		parentalEducation: [0.72, 0.23, 0.05]
	},
	{
		name: 'Balanced all-rounder',
		weight: 0.28,
		hours: 19,
		attendance: 85,
		sleep: 7.2,
		previous: 75,
		tutoring: 1.3,
		activity: 4.3,
		extracurricular: 0.78,
		internet: 0.95,
		motivation: [0.18, 0.56, 0.26],
		involvement: [0.2, 0.5, 0.3],
		resources: [0.2, 0.5, 0.3],
		income: [0.3, 0.45, 0.25],
		peer: [0.38, 0.45, 0.17],
		distance: [0.62, 0.3, 0.08],
		parentalEducation: [0.45, 0.35, 0.2]
	}
].map(persona);

const PERSONA_CUMULATIVE = cumulative(WELLBEING_PERSONAS.map((p) => p.weight));
const TEACHER_QUALITY = cumulative([0.2, 0.6, 0.2]);

export interface WellbeingWithTruth {
	dataset: DemoDataset;
	/** The persona index (into WELLBEING_PERSONAS) each row was drawn from. */
	persona: Uint8Array;
}

const yes = (rng: Rng, p: number): number => (rng.next() < p ? 0 : 1);

export function generateWellbeingWithTruth(opts: GenerateOptions = {}): WellbeingWithTruth {
	const n = validateRows(opts.rows, WELLBEING_DEFAULT_ROWS, 'students');
	const rng = createRng(`wellbeing:${opts.seed ?? DEFAULT_SEED}`);

	const who = new Uint8Array(n);
	const hours = new Float64Array(n);
	const attendance = new Float64Array(n);
	const involvement = new Uint32Array(n);
	const resources = new Uint32Array(n);
	const extracurricular = new Uint32Array(n);
	const sleep = new Float64Array(n);
	const previous = new Float64Array(n);
	const motivation = new Uint32Array(n);
	const internet = new Uint32Array(n);
	const tutoring = new Float64Array(n);
	const income = new Uint32Array(n);
	const teacher = new Uint32Array(n);
	const school = new Uint32Array(n);
	const peer = new Uint32Array(n);
	const activity = new Float64Array(n);
	const disability = new Uint32Array(n);
	const parentEd = new Uint32Array(n);
	const distance = new Uint32Array(n);
	const gender = new Uint32Array(n);
	const exam = new Float64Array(n);

	for (let i = 0; i < n; i++) {
		const k = drawCumulative(rng, PERSONA_CUMULATIVE);
		const p = WELLBEING_PERSONAS[k];
		who[i] = k;
		const h = clamp(Math.round(p.hours + 5.5 * rng.normal()), 1, 44);
		const att = clamp(Math.round(p.attendance + 7 * rng.normal()), 60, 100);
		const sl = clamp(Math.round(p.sleep + 0.9 * rng.normal()), 4, 10);
		const prev = clamp(Math.round(p.previous + 10 * rng.normal()), 50, 100);
		// Students who did badly before are the ones who get sent to tutoring.
		const tut = Math.min(8, poisson(rng, p.tutoring + (prev < 65 ? 0.8 : 0)));
		const act = clamp(Math.round(p.activity + 1.2 * rng.normal()), 0, 6);
		const mot = drawCumulative(rng, p.motivation);
		const inv = drawCumulative(rng, p.involvement);
		const res = drawCumulative(rng, p.resources);
		const inc = drawCumulative(rng, p.income);
		const pr = drawCumulative(rng, p.peer);
		const dist = drawCumulative(rng, p.distance);
		const ped = drawCumulative(rng, p.parentalEducation);
		const tq = drawCumulative(rng, TEACHER_QUALITY);
		const ext = yes(rng, p.extracurricular);
		const net = yes(rng, p.internet);
		const ld = yes(rng, 0.1);
		// Private schooling follows income; it is not itself a cause of the score below.
		const sch = rng.next() < 0.18 + 0.14 * inc ? 1 : 0;
		const gen = rng.next() < 0.5 ? 0 : 1;

		const helpNeed = clamp((72 - prev) / 15, 0, 1.5);
		const score =
			24 +
			0.3 * att +
			0.42 * h -
			0.0045 * h * h +
			0.06 * prev -
			// Too little sleep hurts, increasingly; more than enough does not help.
			1.4 * Math.pow(Math.max(0, 6.5 - sl), 1.3) +
			0.9 * mot +
			0.9 * inv +
			0.9 * res +
			(net === 0 ? 0.8 : 0) +
			0.5 * tq +
			(pr === 0 ? 1 : pr === 2 ? -1 : 0) +
			0.4 * inc +
			0.3 * ped -
			0.45 * dist -
			(ld === 0 ? 1.5 : 0) +
			(ext === 0 ? 0.4 : 0) +
			0.1 * act +
			0.45 * tut * (1 + helpNeed) +
			2.6 * rng.normal();

		hours[i] = h;
		attendance[i] = att;
		involvement[i] = inv;
		resources[i] = res;
		extracurricular[i] = ext;
		sleep[i] = sl;
		previous[i] = prev;
		motivation[i] = mot;
		internet[i] = net;
		tutoring[i] = tut;
		income[i] = inc;
		teacher[i] = tq;
		school[i] = sch;
		peer[i] = pr;
		activity[i] = act;
		disability[i] = ld;
		parentEd[i] = ped;
		distance[i] = dist;
		gender[i] = gen;
		exam[i] = clamp(Math.round(score), 0, 100);
	}

	// The public survey has its gaps in these three columns; we mimic that.
	blankCodes(teacher, 0.012, rng);
	blankCodes(parentEd, 0.014, rng);
	blankCodes(distance, 0.01, rng);

	const columns: Column[] = [
		codedColumn('student_id', identityCodes(n), studentIds(n, opts.canary), 'identifier'),
		numericColumn('Hours_Studied', hours, 'integer'),
		numericColumn('Attendance', attendance, 'integer'),
		codedColumn('Parental_Involvement', involvement, LMH.slice()),
		codedColumn('Access_to_Resources', resources, LMH.slice()),
		codedColumn('Extracurricular_Activities', extracurricular, YES_NO.slice()),
		numericColumn('Sleep_Hours', sleep, 'integer'),
		numericColumn('Previous_Scores', previous, 'integer'),
		codedColumn('Motivation_Level', motivation, LMH.slice()),
		codedColumn('Internet_Access', internet, YES_NO.slice()),
		numericColumn('Tutoring_Sessions', tutoring, 'integer'),
		codedColumn('Family_Income', income, LMH.slice()),
		codedColumn('Teacher_Quality', teacher, LMH.slice()),
		codedColumn('School_Type', school, ['Public', 'Private']),
		codedColumn('Peer_Influence', peer, ['Positive', 'Neutral', 'Negative']),
		numericColumn('Physical_Activity', activity, 'integer'),
		codedColumn('Learning_Disabilities', disability, YES_NO.slice()),
		codedColumn('Parental_Education_Level', parentEd, ['High School', 'College', 'Postgraduate']),
		codedColumn('Distance_from_Home', distance, ['Near', 'Moderate', 'Far']),
		codedColumn('Gender', gender, ['Male', 'Female']),
		numericColumn('Exam_Score', exam, 'integer')
	];
	const dataset: DemoDataset = {
		profile: 'wellbeing',
		name: `Demo class — wellbeing survey (${plural(n, 'student')})`,
		description:
			'A made-up survey of study habits, sleep, home circumstances and exam scores. ' +
			'Use it to find groups of students with similar needs, or to predict the exam score.',
		frame: makeFrame(columns),
		roles: rolesFor(
			columns.map((c) => c.name),
			{ student_id: 'id', Gender: 'sensitive', Exam_Score: 'target' }
		),
		target: 'Exam_Score'
	};
	return { dataset, persona: who };
}

export function generateWellbeing(opts: GenerateOptions = {}): DemoDataset {
	return generateWellbeingWithTruth(opts).dataset;
}
