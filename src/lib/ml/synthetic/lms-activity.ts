/**
 * "LMS activity" profile: an event log over a 12-week term. Each student has an engagement level
 * and a trajectory (steady, growing, fading, or dropping away mid-term — the students an
 * engagement dashboard should flag). Events follow the rhythms of real logs: busier weekdays,
 * quiet nights, a Sunday-evening catch-up, rushes before deadlines and a lull in reading week.
 */
import { makeFrame, numericColumn, type Frame } from '../frame';
import { createRng, type Rng } from '../random';
import type { DemoDataset } from './types';
import {
	DEFAULT_SEED,
	MAX_ROWS,
	blankNumeric,
	clamp,
	codedColumn,
	cumulative,
	drawCumulative,
	plural,
	poisson,
	rolesFor,
	studentIds,
	validateRows,
	type GenerateOptions
} from './util';

export const LMS_DEFAULT_STUDENTS = 150;
export const TERM_WEEKS = 12;
/** Monday 2 September 2024, 00:00 UTC. Times are UTC so the weekly rhythm is the same anywhere. */
export const TERM_START_MS = Date.UTC(2024, 8, 2);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const ACTIVITIES = [
	'view_content',
	'submit_assignment',
	'quiz_attempt',
	'forum_post',
	'forum_read',
	'video_watch',
	'download'
];
const SUBMIT = 1;
const FORUM_POST = 3;
const BASE_MIX = [0.3, 0.05, 0.1, 0.05, 0.18, 0.18, 0.14];
/** Typical clicks and (log-normal) median seconds per activity, in ACTIVITIES order. */
const CLICKS = [3, 2, 10, 1, 4, 2, 0];
const MEDIAN_SECONDS = [110, 70, 840, 300, 80, 540, 6];

/** Monday first. Fridays and Saturdays are quiet; Sunday evening picks up. */
const DAY_WEIGHTS = cumulative([1, 1, 0.95, 0.9, 0.6, 0.3, 0.45]);
const HOUR_WEIGHTS = [
	0.15, 0.08, 0.04, 0.02, 0.02, 0.04, 0.1, 0.3, 0.6, 0.9, 1, 1, 0.8, 0.9, 1, 1, 0.9, 0.8, 0.7, 0.85,
	1, 0.9, 0.6, 0.3
];
const HOUR_CUMULATIVE = cumulative(HOUR_WEIGHTS);
/** Deadlines fall at the end of weeks 4, 8 and 12; week 7 is reading week. */
const WEEK_FACTOR = [1.2, 1, 1, 1.35, 1, 1, 0.6, 1.35, 1, 1, 1, 1.4];
const DEADLINE_WEEK = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
const EVENTS_PER_WEEK = 13;

type Trajectory = 'steady' | 'growing' | 'fading' | 'disengaging';
const TRAJECTORIES: Trajectory[] = ['steady', 'growing', 'fading', 'disengaging'];
const TRAJECTORY_WEIGHTS = cumulative([0.55, 0.15, 0.2, 0.1]);

function weekMultiplier(kind: Trajectory, week: number, dropWeek: number): number {
	const t = week / (TERM_WEEKS - 1);
	if (kind === 'growing') return 0.6 + 0.8 * t;
	if (kind === 'fading') return 1.3 - 0.8 * t;
	if (kind === 'disengaging') return week < dropWeek ? 0.9 : 0.06;
	return 1;
}

interface EventLog {
	student: Uint32Array;
	time: Float64Array;
	activity: Uint32Array;
	clicks: Float64Array;
	duration: Float64Array;
	length: number;
}

function grow(log: EventLog): void {
	const cap = log.student.length * 2;
	const g = <T extends Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
		const b = make(cap);
		b.set(a);
		return b;
	};
	log.student = g(log.student, (k) => new Uint32Array(k));
	log.time = g(log.time, (k) => new Float64Array(k));
	log.activity = g(log.activity, (k) => new Uint32Array(k));
	log.clicks = g(log.clicks, (k) => new Float64Array(k));
	log.duration = g(log.duration, (k) => new Float64Array(k));
}

/** Submissions bunch up in deadline weeks; keen students post in the forum more. */
function activityMix(forumKeen: number, deadline: boolean): Float64Array {
	const w = BASE_MIX.slice();
	w[SUBMIT] *= deadline ? 3 : 0.35;
	w[FORUM_POST] *= forumKeen;
	return cumulative(w);
}

export function generateLmsActivity(opts: GenerateOptions = {}): DemoDataset {
	const nStudents = validateRows(opts.rows, LMS_DEFAULT_STUDENTS, 'students', MAX_ROWS / 100);
	const rng = createRng(`lms-activity:${opts.seed ?? DEFAULT_SEED}`);
	const guess = nStudents * TERM_WEEKS * EVENTS_PER_WEEK;
	const log: EventLog = {
		student: new Uint32Array(guess),
		time: new Float64Array(guess),
		activity: new Uint32Array(guess),
		clicks: new Float64Array(guess),
		duration: new Float64Array(guess),
		length: 0
	};

	for (let s = 0; s < nStudents; s++) {
		const level = Math.exp(0.5 * rng.normal());
		const kind = TRAJECTORIES[drawCumulative(rng, TRAJECTORY_WEIGHTS)];
		const dropWeek = 3 + rng.int(5);
		// Some students are night owls; their whole day shifts later.
		const shift = rng.next() < 0.25 ? 2 : rng.next() < 0.2 ? -1 : 0;
		const forumKeen = Math.min(3, level * level);
		const patience = Math.exp(0.3 * rng.normal());
		const mixes = [activityMix(forumKeen, false), activityMix(forumKeen, true)];
		for (let w = 0; w < TERM_WEEKS; w++) {
			const lambda = EVENTS_PER_WEEK * level * WEEK_FACTOR[w] * weekMultiplier(kind, w, dropWeek);
			let k = poisson(rng, lambda * Math.exp(0.2 * rng.normal()));
			// Everyone logs in at least once in week one, so every student appears in the log.
			if (w === 0 && k === 0) k = 1;
			for (let e = 0; e < k; e++) {
				if (log.length === log.student.length) grow(log);
				const day = drawCumulative(rng, DAY_WEIGHTS);
				const hour = (drawCumulative(rng, HOUR_CUMULATIVE) + shift + 24) % 24;
				const seconds = rng.int(3600);
				const act = drawCumulative(rng, mixes[DEADLINE_WEEK[w]]);
				const i = log.length++;
				log.student[i] = s;
				log.time[i] = TERM_START_MS + (w * 7 + day) * DAY_MS + hour * HOUR_MS + seconds * 1000;
				log.activity[i] = act;
				log.clicks[i] = CLICKS[act] === 0 ? 1 : 1 + poisson(rng, CLICKS[act] * patience);
				const dur = MEDIAN_SECONDS[act] * patience * Math.exp(0.7 * rng.normal());
				log.duration[i] = clamp(Math.round(dur), 1, 4 * 3600);
			}
		}
	}

	const frame = sortedFrame(log, nStudents, opts.canary, rng);
	return {
		profile: 'lms-activity',
		name: `Demo class — LMS activity (${plural(nStudents, 'student')}, ${plural(frame.nRows, 'event')})`,
		description:
			'A made-up log of what students did on the learning platform over a 12-week term. ' +
			'Use it to see engagement over time and spot students who are drifting away.',
		frame,
		roles: rolesFor(
			frame.columns.map((c) => c.name),
			{ student_id: 'group', timestamp: 'time' }
		),
		target: null
	};
}

/** Real logs arrive in time order, interleaving students; ties keep student order (stable). */
function sortedFrame(
	log: EventLog,
	nStudents: number,
	canary: string | undefined,
	rng: Rng
): Frame {
	const n = log.length;
	const order = new Uint32Array(n);
	for (let i = 0; i < n; i++) order[i] = i;
	const time = log.time;
	order.sort((a, b) => time[a] - time[b] || a - b);
	const student = new Uint32Array(n);
	const ts = new Float64Array(n);
	const activity = new Uint32Array(n);
	const clicks = new Float64Array(n);
	const duration = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const j = order[i];
		student[i] = log.student[j];
		ts[i] = time[j];
		activity[i] = log.activity[j];
		clicks[i] = log.clicks[j];
		duration[i] = log.duration[j];
	}
	// Tracking drops out now and then: a few events have no duration or click count.
	blankNumeric(duration, 0.02, rng);
	blankNumeric(clicks, 0.01, rng);
	return makeFrame([
		codedColumn('student_id', student, studentIds(nStudents, canary), 'identifier'),
		numericColumn('timestamp', ts, 'datetime'),
		codedColumn('activity', activity, ACTIVITIES.slice()),
		numericColumn('clicks', clicks, 'integer'),
		numericColumn('duration_sec', duration, 'integer')
	]);
}
