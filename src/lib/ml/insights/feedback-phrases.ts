/**
 * The wording feedback.ts picks from: what a student can do, what a parent can do at home,
 * per concept, and the sentences that open and close each tone. Kept apart so the wording can
 * be reviewed (and one day translated) without reading the assembly logic.
 */
import type { ConceptId } from './types';

/** A tip key: a concept, the low prediction itself, or a general fallback. */
export type TipKey = ConceptId | 'predicted' | 'general';

const TEST_STUDENT = 'practise with past questions before each test and check your answers';
const TEST_HOME = 'help {name} plan short, regular revision sessions before tests';

export const STUDENT_TIPS: Partial<Record<TipKey, string>> = {
	attendance: 'come to every class you can — each one counts',
	participation: 'try to ask or answer at least one question in each lesson',
	assignment: 'hand in every assignment, even when it is not perfect, and ask for feedback',
	assignment_completion: 'hand in every assignment, even when it is not perfect',
	quiz: TEST_STUDENT,
	midterm: TEST_STUDENT,
	cats: TEST_STUDENT,
	rats: TEST_STUDENT,
	final_mark: 'ask your teacher which topics to review first',
	previous_grade: 'ask your teacher which topics to review first',
	hours_studied: 'set yourself a regular study time each week',
	sleep: 'aim for a regular bedtime — rested brains learn better',
	motivation: 'pick one small goal for this week and tick it off when it is done',
	tutoring: 'ask your teacher about extra help sessions',
	predicted: 'ask your teacher which topics to work on first',
	general: 'keep going with what already works for you and ask for help early'
};

export const HOME_TIPS: Partial<Record<TipKey, string>> = {
	attendance:
		'make sure {name} gets to school every day and on time, and tell the school early about any absence',
	participation: 'ask {name} each day about one thing discussed in class',
	assignment:
		'set a regular time and a quiet place for homework, and check that assignments are handed in',
	assignment_completion:
		'set a regular time and a quiet place for homework, and check that assignments are handed in',
	quiz: TEST_HOME,
	midterm: TEST_HOME,
	cats: TEST_HOME,
	rats: TEST_HOME,
	final_mark: TEST_HOME,
	previous_grade: TEST_HOME,
	hours_studied: 'help {name} keep a regular weekly study routine',
	sleep: 'help {name} keep a regular bedtime',
	motivation: 'talk with {name} about their goals and notice their effort, not just their marks',
	tutoring: 'ask the school about extra support or tutoring',
	physical_activity: 'encourage some physical activity each week',
	predicted: 'stay in touch with the teacher about progress over the next few weeks',
	general: 'ask {name} about school regularly and praise their effort'
};

export const STUDENT_OPENINGS = [
	'Hi{name}, here is a quick look at where you stand.',
	'Hello{name} — here is how things are going for you right now.',
	'Hi{name}, this is a short update on your progress.'
];

export const STUDENT_CLOSINGS = [
	'You can do this — ask your teacher if you would like help making a plan.',
	'Small steps every week add up. Your teacher is happy to help you get started.',
	'Progress comes from small, steady changes — and you do not have to do it alone.'
];

export const STUDENT_CAVEATS = [
	'This is an estimate, not a final result: what you do in the next few weeks can change it.',
	'It is only an estimate from your marks so far, and you can still change it.'
];

export const PARENT_OPENINGS = [
	'This is an update on {name}’s progress, based on the marks and attendance recorded so far.',
	'Here is a short summary of how {name} is doing, based on the work recorded so far.'
];

export const PARENT_CLOSINGS = [
	'If you would like to talk about any of this, please get in touch with the school.',
	'The school is happy to talk this through with you; please get in touch at any time.'
];

export const PARENT_CAVEAT = 'This is an estimate, not a final result, and it can still change.';

export const TEACHER_CAVEAT = 'Model estimate: weigh it against what you know of the student.';

/** A template's {name} filled with the given name. */
export function withName(template: string, name: string): string {
	return template.replace(/\{name\}/g, name);
}
