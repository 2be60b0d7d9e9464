/**
 * Seeded demo datasets, one generator per schema profile in the design. Same profile, options
 * and seed give the same frame byte for byte, in Node and in the worker.
 */
import { generateCourseRecords } from './course-records';
import { generateDemographic } from './demographic';
import { generateLmsActivity } from './lms-activity';
import { generateMarks } from './marks';
import type { DemoDataset, DemoProfile } from './types';
import type { GenerateOptions } from './util';
import { generateWellbeing } from './wellbeing';

export type { DemoDataset, DemoProfile } from './types';
export type { GenerateOptions } from './util';
export { DEFAULT_SEED as DEMO_DEFAULT_SEED, MAX_ROWS as DEMO_MAX_ROWS } from './util';
export { generateDemographicTables, type DemographicTables } from './demographic';
export {
	generateWellbeingWithTruth,
	WELLBEING_PERSONAS,
	type WellbeingPersona,
	type WellbeingWithTruth
} from './wellbeing';

export const DEMO_PROFILES: {
	id: DemoProfile;
	title: string;
	description: string;
	defaultRows: number;
}[] = [
	{
		id: 'marks',
		title: 'Class marks',
		description:
			'One row per student: attendance, participation, assignments, continuous assessment and the final exam.',
		defaultRows: 240
	},
	{
		id: 'course-records',
		title: 'Course records',
		description:
			'One row per student, semester and subject: coursework, midterm, previous CGPA and the final mark.',
		defaultRows: 120
	},
	{
		id: 'wellbeing',
		title: 'Wellbeing survey',
		description:
			'Study habits, sleep, home circumstances and exam scores — good for finding groups of students.',
		defaultRows: 600
	},
	{
		id: 'demographic',
		title: 'Background and results',
		description:
			'Age, gender and parental education beside attendance, study time and final scores.',
		defaultRows: 400
	},
	{
		id: 'lms-activity',
		title: 'Learning platform activity',
		description:
			'A 12-week log of logins, videos, quizzes and forum posts — good for engagement over time.',
		defaultRows: 150
	}
];

const GENERATORS: Record<DemoProfile, (opts: GenerateOptions) => DemoDataset> = {
	marks: generateMarks,
	'course-records': generateCourseRecords,
	wellbeing: generateWellbeing,
	demographic: generateDemographic,
	'lms-activity': generateLmsActivity
};

export function isDemoProfile(x: string): x is DemoProfile {
	return Object.prototype.hasOwnProperty.call(GENERATORS, x);
}

/**
 * `rows` counts students: one row each for the wide profiles, many rows each for course records
 * and activity logs. `canary` becomes the first student's identifier verbatim.
 */
export function generateDemo(
	profile: DemoProfile,
	opts: { rows?: number; seed?: number | string; canary?: string } = {}
): DemoDataset {
	const generate = GENERATORS[profile];
	if (!generate) throw new RangeError(`Unknown demo profile "${String(profile)}".`);
	return generate(opts);
}
