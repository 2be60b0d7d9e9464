/**
 * Everyday words for the features teachers' data usually has. A column is recognised by its
 * normalised name (lower-case letters and digits: "Hours_Studied" → "hoursstudied"): exactly,
 * or by containing a key of six letters or more. Entries are tried in order, so specific ones
 * ("previous scores") come before general ones ("score"). Anything unknown falls back to its
 * humanised name ("High distance to library").
 *
 * Phrases describe "the typical student in this group"; `{sd}` becomes "about 1.2 SD".
 */
import { humanise, normalise } from './format';

export interface Lexeme {
	keys: readonly string[];
	/** Words for a persona name when the group is high / low on the feature. */
	high: string;
	low: string;
	/** Verb phrases for the description. */
	more: string;
	less: string;
	/** Which side is a worry (drives recommendations and "watch" notes); null: neither. */
	concern: 'low' | 'high' | null;
	/** What a teacher can do when the group is on the worrying side. */
	tip?: string;
	/** A category without an order (gender, school type): name by the level instead. */
	nominal?: (level: string) => string;
}

const L = (x: Lexeme): Lexeme => x;

export const LEXICON: readonly Lexeme[] = [
	L({
		keys: [
			'previousscores',
			'previousscore',
			'previousgpa',
			'previouscgpa',
			'priorscore',
			'previousgrade',
			'previousmarks',
			'previousexam',
			'prevscore'
		],
		high: 'Strong track record',
		low: 'Weak earlier results',
		more: 'had earlier results {sd} above the class average',
		less: 'had earlier results {sd} below the class average',
		concern: 'low',
		tip: 'revisit the foundations from earlier units before new work builds on them'
	}),
	L({
		keys: [
			'hoursstudied',
			'studyhours',
			'weeklystudyhours',
			'studytime',
			'hoursofstudy',
			'studied'
		],
		high: 'Hard-working',
		low: 'Studies little',
		more: 'studies {sd} more than the average student',
		less: 'studies {sd} less than the average student',
		concern: 'low',
		tip: 'help them plan short, regular study sessions (a homework club or a weekly planner) and ask what gets in the way'
	}),
	L({
		keys: ['attendance', 'attendancepercentage', 'attendancerate'],
		high: 'Regular attenders',
		low: 'Often absent',
		more: 'attends {sd} more than the average student',
		less: 'attends {sd} less than the average student',
		concern: 'low',
		tip: 'follow up on absences early and agree a catch-up plan with the student and their family'
	}),
	L({
		keys: ['sleephours', 'sleep', 'hoursofsleep', 'sleepduration'],
		high: 'Well-rested',
		low: 'Short on sleep',
		more: 'sleeps {sd} more than the average student',
		less: 'sleeps {sd} less than the average student',
		concern: 'low',
		tip: 'talk about sleep and workload; late-night study, jobs or caring duties may be cutting into rest'
	}),
	L({
		keys: ['motivation', 'motivationlevel'],
		high: 'Motivated',
		low: 'Low motivation',
		more: 'reports motivation {sd} above the class average',
		less: 'reports motivation {sd} below the class average',
		concern: 'low',
		tip: 'set short, achievable goals, give frequent specific feedback and link tasks to what they care about'
	}),
	L({
		keys: [
			'parentalinvolvement',
			'parentinvolvement',
			'familyinvolvement',
			'parentalsupport',
			'familysupport'
		],
		high: 'Involved parents',
		low: 'Less parental support',
		more: 'has parents {sd} more involved than average',
		less: 'has parents {sd} less involved than average',
		concern: 'low',
		tip: 'reach out to families with a short, friendly update and one concrete way to help at home'
	}),
	L({
		keys: ['parentaleducation', 'parentaleducationlevel', 'parenteducation', 'parentseducation'],
		high: 'Graduate parents',
		low: 'Less parental education',
		more: 'has parents with {sd} more formal education than average',
		less: 'has parents with {sd} less formal education than average',
		concern: null
	}),
	L({
		keys: ['accesstoresources', 'resources', 'resourceaccess'],
		high: 'Well-resourced',
		low: 'Few resources',
		more: 'has {sd} better access to books, devices and study space than average',
		less: 'has {sd} less access to books, devices and study space than average',
		concern: 'low',
		tip: 'lend books and devices and point them to the library or a quiet place to study at school'
	}),
	L({
		keys: ['extracurricular', 'extracurricularactivities', 'clubs'],
		high: 'Into clubs',
		low: 'No clubs',
		more: 'takes part in extracurricular activities {sd} more than average',
		less: 'takes part in extracurricular activities {sd} less than average',
		concern: 'low',
		tip: 'invite them to a club or activity: belonging at school supports learning'
	}),
	L({
		keys: ['physicalactivity', 'exercise', 'sport', 'sports'],
		high: 'Active',
		low: 'Inactive',
		more: 'is {sd} more physically active than average',
		less: 'is {sd} less physically active than average',
		concern: 'low',
		tip: 'encourage sport, active breaks or walking to school'
	}),
	L({
		keys: ['internetaccess', 'internet'],
		high: 'Online at home',
		low: 'Limited internet',
		more: 'is {sd} more likely than average to have internet at home',
		less: 'is {sd} less likely than average to have internet at home',
		concern: 'low',
		tip: 'offer printed or offline materials and time on school computers'
	}),
	L({
		keys: ['tutoringsessions', 'tutoring', 'tutor'],
		high: 'Tutored',
		low: 'Little tutoring',
		more: 'has {sd} more tutoring than average',
		less: 'has {sd} less tutoring than average',
		concern: null
	}),
	L({
		keys: ['familyincome', 'householdincome', 'income'],
		high: 'Higher income',
		low: 'Lower income',
		more: 'comes from a family with income {sd} above average',
		less: 'comes from a family with income {sd} below average',
		concern: 'low',
		tip: 'make sure families know about help with costs: free materials, trips and support funds'
	}),
	L({
		keys: ['teacherquality'],
		high: 'Strong teaching',
		low: 'Weaker teaching',
		more: 'rates teaching {sd} higher than average',
		less: 'rates teaching {sd} lower than average',
		concern: 'low',
		tip: 'look at which classes these students are in and what support their teachers have'
	}),
	L({
		keys: ['peerperformance'],
		high: 'High-achieving peers',
		low: 'Lower-achieving peers',
		more: 'sits among peers performing {sd} above average',
		less: 'sits among peers performing {sd} below average',
		concern: null
	}),
	L({
		keys: ['peerinfluence', 'peers', 'peer'],
		high: 'Positive peers',
		low: 'Negative peer influence',
		more: 'reports peer influence {sd} more positive than average',
		less: 'reports peer influence {sd} more negative than average',
		concern: 'low',
		tip: 'use seating, group work and mentoring to connect them with positive peers'
	}),
	L({
		keys: [
			'learningdisabilities',
			'learningdisability',
			'learningdifficulties',
			'learningdifficulty',
			'specialneeds',
			'sen'
		],
		high: 'Learning difficulties',
		low: 'No learning difficulties',
		more: 'is {sd} more likely than average to have a learning difficulty',
		less: 'is {sd} less likely than average to have a learning difficulty',
		concern: 'high',
		tip: 'check that support plans and adjustments are in place and working'
	}),
	L({
		keys: ['distancefromhome', 'distance', 'commute', 'traveltime', 'commutetime'],
		high: 'Lives far away',
		low: 'Lives nearby',
		more: 'lives {sd} farther from school than average',
		less: 'lives {sd} closer to school than average',
		concern: 'high',
		tip: 'consider the journey: flexible deadlines, online access to materials or help with transport'
	}),
	L({
		keys: ['gender', 'sex'],
		// Named by level (see `nominal`); these words are not used.
		high: 'Gender',
		low: 'Gender',
		more: 'differs on gender ({sd})',
		less: 'differs on gender ({sd})',
		concern: null,
		nominal: (level) => `Mostly ${level.toLowerCase()}`
	}),
	L({
		keys: ['schooltype', 'school', 'typeofschool'],
		high: 'School type',
		low: 'School type',
		more: 'differs on school type ({sd})',
		less: 'differs on school type ({sd})',
		concern: null,
		nominal: (level) => `Mostly ${level.toLowerCase()} school`
	}),
	L({
		keys: [
			'assignmentcompletion',
			'assignmentscore',
			'assignmentmarks',
			'assignments',
			'assignment',
			'homework',
			'coursework'
		],
		high: 'Strong coursework',
		low: 'Coursework gaps',
		more: 'does {sd} better on assignments than average',
		less: 'does {sd} worse on assignments than average',
		concern: 'low',
		tip: 'check in on missing or weak assignments and split big tasks into steps with interim deadlines'
	}),
	L({
		keys: ['quizmarks', 'quiz', 'quizzes', 'midterm', 'midtermmarks', 'cats', 'rats', 'tests'],
		high: 'Strong test results',
		low: 'Weak test results',
		more: 'scores {sd} higher on tests and quizzes than average',
		less: 'scores {sd} lower on tests and quizzes than average',
		concern: 'low',
		tip: 'use short retrieval quizzes with quick feedback to find and close gaps'
	}),
	L({
		keys: ['participation', 'engagement', 'classparticipation'],
		high: 'Active in class',
		low: 'Quiet in class',
		more: 'participates {sd} more than average',
		less: 'participates {sd} less than average',
		concern: 'low',
		tip: 'build in low-stakes ways to take part: pair talk, mini-whiteboards, written questions'
	}),
	L({
		keys: [
			'examscore',
			'finalscore',
			'finalexam',
			'finalmarks',
			'finalgrade',
			'finalresult',
			'exam',
			'score',
			'grade',
			'marks',
			'gpa',
			'cgpa'
		],
		high: 'High scorers',
		low: 'Low scorers',
		more: 'scores {sd} above the class average',
		less: 'scores {sd} below the class average',
		concern: 'low',
		tip: 'plan targeted revision and check understanding early, before the next assessment'
	}),
	L({
		keys: ['clicks', 'logins', 'timespent', 'duration', 'activity', 'events', 'views', 'sessions'],
		high: 'Very active online',
		low: 'Rarely online',
		more: 'is {sd} more active on the learning platform than average',
		less: 'is {sd} less active on the learning platform than average',
		concern: 'low',
		tip: 'check they can log in and nudge them towards this week’s materials'
	}),
	L({
		keys: ['age'],
		high: 'Older',
		low: 'Younger',
		more: 'is {sd} older than average',
		less: 'is {sd} younger than average',
		concern: null
	}),
	L({
		keys: ['classsize'],
		high: 'Large classes',
		low: 'Small classes',
		more: 'is in classes {sd} larger than average',
		less: 'is in classes {sd} smaller than average',
		concern: null
	}),
	L({
		keys: ['numsubjects', 'numberofsubjects', 'subjects'],
		high: 'Heavy course load',
		low: 'Light course load',
		more: 'takes {sd} more subjects than average',
		less: 'takes {sd} fewer subjects than average',
		concern: null
	}),
	L({
		keys: ['yearofstudy', 'year', 'studyyear'],
		high: 'Later years',
		low: 'Early years',
		more: 'is {sd} further on in their studies than average',
		less: 'is {sd} earlier in their studies than average',
		concern: null
	})
];

export function findLexeme(name: string): Lexeme | null {
	const key = normalise(name);
	if (!key) return null;
	for (const lex of LEXICON) if (lex.keys.includes(key)) return lex;
	for (const lex of LEXICON) {
		if (lex.keys.some((k) => k.length >= 6 && key.includes(k))) return lex;
	}
	return null;
}

const POSITIVE = new Set([
	'yes',
	'y',
	'true',
	'high',
	'veryhigh',
	'positive',
	'good',
	'excellent',
	'always',
	'often'
]);
const NEGATIVE = new Set([
	'no',
	'n',
	'false',
	'low',
	'verylow',
	'negative',
	'poor',
	'never',
	'none',
	'rarely'
]);

/** +1 for a "more" word (Yes, High, Positive), −1 for a "less" word, 0 otherwise. */
export function polarity(level: string): -1 | 0 | 1 {
	const k = normalise(level);
	return POSITIVE.has(k) ? 1 : NEGATIVE.has(k) ? -1 : 0;
}

export type FeatureKind = 'numeric' | 'ordinal' | 'nominal' | 'dummy' | 'skip';

/** How to read one (standardised) feature in words. */
export interface FeatureMeaning {
	/** The feature's name as given. */
	name: string;
	/** The column for people, lower case ("hours studied"). */
	label: string;
	/** The column this feature comes from (the part before "=" for one-hot columns). */
	column: string;
	kind: FeatureKind;
	lex: Lexeme | null;
	/** +1: a higher value means "more" of the lexeme; −1: reversed (levels ordered Yes, No). */
	sign: 1 | -1;
	/** dummy: the level this 0/1 column marks; nominal: the levels (low code first). */
	level?: string;
	/** dummy: the level has a direction (Yes/High/Positive or the opposite) read via `sign`. */
	polar?: boolean;
	levels?: readonly string[];
}

const SKIP_LEVEL = /^\((other|missing)\)$/i;

/**
 * Reads a feature name (and, for a category coded by its level index, the levels in code
 * order). One-hot columns are "column=level" (as prepare.ts and the training pipeline name
 * them); missing-value indicators and "(other)"/"(missing)" slots are not described.
 */
export function readFeature(
	name: string,
	levels?: readonly string[] | null,
	label?: string
): FeatureMeaning {
	const eq = name.indexOf('=');
	if (eq > 0) {
		const column = name.slice(0, eq).trim();
		const level = name.slice(eq + 1).trim();
		const lex = findLexeme(column);
		const pol = polarity(level);
		const base = { name, column, label: label ?? humanise(column), lex, level };
		if (SKIP_LEVEL.test(level)) return { ...base, kind: 'skip', sign: 1 };
		// "Motivation=High" reads as motivation itself; "Motivation=Low" as its reverse.
		if (pol !== 0 && lex && !lex.nominal) return { ...base, kind: 'dummy', sign: pol, polar: true };
		return { ...base, kind: 'dummy', sign: 1, polar: false };
	}
	if (/\(missing\)$/i.test(name)) {
		return { name, column: name, label: label ?? humanise(name), lex: null, kind: 'skip', sign: 1 };
	}
	const lex = findLexeme(name);
	const base = { name, column: name, label: label ?? humanise(name), lex };
	// A coded category without its levels (gender as 0/1): there is no "more" to speak of.
	if (lex?.nominal && (!levels || levels.length < 2)) return { ...base, kind: 'nominal', sign: 1 };
	if (!levels || levels.length < 2) return { ...base, kind: 'numeric', sign: 1 };
	const first = polarity(levels[0]);
	const last = polarity(levels[levels.length - 1]);
	if (first !== 0 || last !== 0) {
		const sign = last === -1 || first === 1 ? -1 : 1;
		return { ...base, kind: 'ordinal', sign, levels };
	}
	if (lex?.nominal || (!lex && levels.length === 2))
		return { ...base, kind: 'nominal', sign: 1, levels };
	return { ...base, kind: 'ordinal', sign: 1, levels };
}
