import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Factor } from '$lib/ml/explain/types';
import {
	DEFAULT_RULE_PACK,
	buildClassContext,
	evaluateRules,
	feedbackText,
	subjectStanding,
	suggestStudyPlan,
	type FeedbackInput,
	type Prediction,
	type StudentFacts,
	type SubjectStanding,
	type Tone
} from '$lib/ml/insights';
import { courseRecords, marksClass, percentClass } from '../../fixtures/insights/classes';

const marks = buildClassContext({ frame: marksClass(), target: 'final_exam' });
const percent = buildClassContext({
	frame: percentClass(),
	target: 'final_marks',
	riskClasses: ['Fail']
});

function factor(
	feature: string,
	raw: number | string | null,
	contribution: number,
	share: number
): Factor {
	return {
		feature,
		value: String(raw),
		raw,
		contribution,
		direction: contribution > 0 ? 'up' : 'down',
		share,
		text: ''
	};
}

/** Amina: marks profile, a regression with an interval, low attendance and assignments. */
function amina(): FeedbackInput {
	const facts: StudentFacts = {
		id: 'M-0042',
		values: {
			attendance: 3.5,
			participation: 6,
			assignment_score: 3.24,
			peer_performance: 90,
			final_exam: null
		},
		prediction: { kind: 'regression', value: 36.43, lower: 24.18, upper: 48.91 },
		factors: [
			factor('attendance', 3.5, -5.2, 0.38),
			factor('assignment_score', 3.24, -2.1, 0.153),
			factor('cats', 24, 1.4, 0.1),
			factor('participation', 6, 0.6, 0.04)
		]
	};
	return {
		facts,
		context: marks,
		name: 'Amina',
		outcome: 'final exam mark',
		recommendations: evaluateRules(DEFAULT_RULE_PACK, facts, marks)
	};
}

/** S1: course records, a pass/fail classifier explaining "Fail", weak and strong subjects. */
function courseStudent(): FeedbackInput {
	const facts: StudentFacts = {
		id: 'S1',
		values: { attendance_percentage: 68.25, assignment_marks: 55 },
		prediction: { kind: 'classification', classes: ['Pass', 'Fail'], probabilities: [0.38, 0.62] },
		explained: { kind: 'class', label: 'Fail' },
		factors: [
			factor('attendance_percentage', 68.25, 0.9, 0.4),
			factor('midterm_marks', 48, 0.3, 0.15),
			factor('quiz_marks', 81, -0.2, 0.1)
		]
	};
	const recommendations = evaluateRules(DEFAULT_RULE_PACK, facts, percent);
	const subjects = subjectStanding(
		courseRecords(),
		{ student: 'student_id', subject: 'subject', mark: 'final_marks', semester: 'semester' },
		'S1'
	);
	return {
		facts,
		context: percent,
		recommendations,
		subjects,
		studyPlan: suggestStudyPlan(subjects, recommendations)
	};
}

/** Ben: a good prediction without interval, factors, flags or subjects. */
function ben(): FeedbackInput {
	return {
		facts: {
			id: 'M-0007',
			values: { attendance: 9 },
			prediction: { kind: 'regression', value: 71.6 }
		},
		context: marks,
		name: 'Ben'
	};
}

const text = (input: FeedbackInput, tone: Tone) => {
	const t = feedbackText(input, tone);
	return [t.title, ...t.paragraphs].join('\n\n');
};

describe('feedbackText snapshots', () => {
	it('Amina (regression with interval, flags and factors)', () => {
		expect(text(amina(), 'student')).toMatchInlineSnapshot(`
			"How you are doing, Amina

			Hello Amina — here is how things are going for you right now. Based on your work so far, your final exam mark is likely to be about 36%, probably somewhere between 24% and 49%. It is only an estimate from your marks so far, and you can still change it.

			What is going well: what helps you most right now is your CAT marks (24) and your participation (6/10). Keep it up!

			Things to focus on: attendance (3.5/10) and assignment marks (3.2/10).

			Your next steps: 1) come to every class you can — each one counts; 2) ask your teacher which topics to work on first; 3) hand in every assignment, even when it is not perfect, and ask for feedback.

			You can do this — ask your teacher if you would like help making a plan."
		`);
		expect(text(amina(), 'parent')).toMatchInlineSnapshot(`
			"Progress update for Amina

			This is an update on Amina’s progress, based on the marks and attendance recorded so far. Amina’s final exam mark is estimated at about 36%, most likely between 24% and 49%. This is an estimate, not a final result, and it can still change.

			Going well: what helps most right now is CAT marks (24) and participation (6/10).

			Where Amina needs support: attendance (3.5/10) and assignment marks (3.2/10).

			How you can help at home: make sure Amina gets to school every day and on time, and tell the school early about any absence; stay in touch with the teacher about progress over the next few weeks; set a regular time and a quiet place for homework, and check that assignments are handed in.

			If you would like to talk about any of this, please get in touch with the school."
		`);
		expect(text(amina(), 'teacher')).toMatchInlineSnapshot(`
			"Notes for M-0042

			Prediction: final exam mark about 36.4% (90% interval 24.2% to 48.9%). Model estimate: weigh it against what you know of the student.

			Flags (4): 1) [high] Low attendance: Attendance is 3.5/10, below 5/10 (class median 5/10). Attendance is the largest factor lowering this prediction. 2) [high] Predicted final mark below 40: The predicted final mark is about 36.4% (likely between 24.2% and 48.9%), below 40%. 3) [medium] Low assignment marks: Assignment marks are 3.2/10, below 4/10 (class median 5/10). The second-largest factor lowering this prediction is assignment marks. 4) [medium] Strong peers, low final mark: Predicted mark is 36.4%, in the bottom quarter of the class (below 40%), although peer performance is in the top quarter (90%).

			Top factors (share of explanation) — lowering: attendance (3.5/10) 38%, assignment marks (3.2/10) 15%; raising: CAT marks (24) 10%, participation (6/10) 4%.

			Next steps: Talk with the student about what keeps them from class and agree an attendance goal; involve the family if it has not improved in two weeks. Meet the student soon to agree a short catch-up plan for the weakest areas, and review progress again in a few weeks. Check which assignments are missing or weak, go through one with the student and agree a date for the next submission. Look for what holds the student back compared with their peers (missed work, confidence, something outside school) and agree one concrete change."
		`);
	});

	it('S1 (classification, weak and strong subjects, no name)', () => {
		expect(text(courseStudent(), 'student')).toMatchInlineSnapshot(`
			"How you are doing

			Hi, this is a short update on your progress. Based on your work so far, the most likely result for you right now is “Fail” (about a 62% chance). That is not decided: the next few weeks can still change it.

			What is going well: you are doing well in English, and what helps you most right now is your quiz marks (81). Keep it up!

			Things to focus on: attendance (68.3%), midterm marks (48) and Maths (40, class average 60).

			Your next steps: 1) come to every class you can — each one counts; 2) practise with past questions before each test and check your answers; 3) catch up in Maths.

			Small steps every week add up. Your teacher is happy to help you get started."
		`);
		expect(text(courseStudent(), 'parent')).toMatchInlineSnapshot(`
			"Progress update for your child

			This is an update on your child’s progress, based on the marks and attendance recorded so far. The most likely result for your child at the moment is “Fail” (likely, about 62%). This is an estimate, not a final result, and it can still change.

			Going well: your child is strong in English, and what helps most right now is quiz marks (81).

			Where your child needs support: attendance (68.3%), midterm marks (48) and Maths (40, class average 60).

			How you can help at home: make sure your child gets to school every day and on time, and tell the school early about any absence; help your child plan short, regular revision sessions before tests; ask your child to show you their Maths work each week.

			If you would like to talk about any of this, please get in touch with the school."
		`);
		expect(text(courseStudent(), 'teacher')).toMatchInlineSnapshot(`
			"Notes for S1

			Prediction: “Fail” most likely (≈ 62%); P(Fail) ≈ 62%. Model estimate: weigh it against what you know of the student.

			Flags (1): 1) [high] Low attendance: Attendance is 68.3%, below 75% (class median 50%). Attendance is the largest factor raising the predicted risk.

			Top factors (share of explanation) — raising risk: attendance (68.3%) 40%, midterm marks (48) 15%; lowering risk: quiz marks (81) 10%.

			Subjects (2024-S1): weak: Maths 40 vs class 60 (z -1.3, 10th percentile); strong: English 85 vs class 70 (z 1.6, 90th percentile).

			Next steps: Talk with the student about what keeps them from class and agree an attendance goal; involve the family if it has not improved in two weeks. Study plan: Catch up in Maths; Low attendance."
		`);
	});

	it('Ben (no interval, no factors, nothing flagged)', () => {
		expect(text(ben(), 'student')).toMatchInlineSnapshot(`
			"How you are doing, Ben

			Hello Ben — here is how things are going for you right now. Based on your work so far, your final mark is likely to be about 72%. It is only an estimate from your marks so far, and you can still change it.

			Progress comes from small, steady changes — and you do not have to do it alone."
		`);
		expect(text(ben(), 'parent')).toMatchInlineSnapshot(`
			"Progress update for Ben

			Here is a short summary of how Ben is doing, based on the work recorded so far. Ben’s final mark is estimated at about 72%. This is an estimate, not a final result, and it can still change.

			How you can help at home: ask Ben about school regularly and praise their effort.

			If you would like to talk about any of this, please get in touch with the school."
		`);
		expect(text(ben(), 'teacher')).toMatchInlineSnapshot(`
			"Notes for M-0007

			Prediction: final mark about 71.6% (no interval available). Model estimate: weigh it against what you know of the student.

			Flags: none from the current rules."
		`);
	});
});

describe('feedbackText', () => {
	it('is deterministic and the tones differ', () => {
		for (const tone of ['student', 'parent', 'teacher'] as const) {
			expect(feedbackText(amina(), tone)).toEqual(feedbackText(amina(), tone));
		}
		const s = text(amina(), 'student');
		const p = text(amina(), 'parent');
		const t = text(amina(), 'teacher');
		expect(s).toMatch(/\byour\b/i);
		expect(p).toMatch(/Amina’s/);
		expect(p).toMatch(/at home/);
		expect(t).toMatch(/interval/);
		expect(new Set([s, p, t]).size).toBe(3);
	});

	it('handles a student with nothing known', () => {
		for (const tone of ['student', 'parent', 'teacher'] as const) {
			const t = feedbackText({ facts: { id: '', values: {} } }, tone);
			expect(t.title.length).toBeGreaterThan(0);
			expect(t.paragraphs.length).toBeGreaterThan(0);
			expect(t.paragraphs.every((p) => p.trim().length > 0)).toBe(true);
		}
	});
});

// --- property: no float noise, no leaked JS values, no certainty ----------------------------

const BAD = /undefined|NaN|null|Infinity/;
const CERTAIN = /will fail|will pass|definitely|certainly/i;
const FLOAT = /\d\.\d{3,}/;

const safeWord = fc
	.stringMatching(/^[A-Za-z][A-Za-z0-9 .'-]{0,14}$/)
	.filter((s) => !/undefined|nan|null|infinity|will|definite|certain/i.test(s));
const num = fc.oneof(
	fc.double(),
	fc.double({ min: -5, max: 120, noNaN: true }),
	fc.integer({ min: 0, max: 100 })
);
const cell = fc.option(fc.oneof(num, safeWord, fc.constantFrom('Low', 'High', '4.56789', ' 7 ')), {
	nil: null
});
const columns = [
	'attendance',
	'participation',
	'assignment_score',
	'peer_performance',
	'final_exam',
	'attendance_percentage',
	'assignment_marks',
	'final_marks',
	'cats',
	'Motivation_Level'
];
const prediction: fc.Arbitrary<Prediction | null> = fc.oneof(
	fc.constant(null),
	fc.record({
		kind: fc.constant('regression' as const),
		value: num,
		lower: fc.option(num, { nil: null }),
		upper: fc.option(num, { nil: null }),
		level: fc.option(fc.double({ min: 0, max: 1 }), { nil: undefined })
	}),
	fc
		.uniqueArray(fc.constantFrom('Pass', 'Fail', 'Merit', 'At risk', 'A', 'F', '1'), {
			minLength: 1,
			maxLength: 4
		})
		.chain((classes) =>
			fc.record({
				kind: fc.constant('classification' as const),
				classes: fc.constant(classes),
				probabilities: fc.array(fc.oneof(fc.double({ min: 0, max: 1 }), fc.double()), {
					minLength: classes.length,
					maxLength: classes.length
				})
			})
		)
);
const factorArb: fc.Arbitrary<Factor> = fc.record({
	feature: fc.oneof(fc.constantFrom(...columns), safeWord),
	value: fc.constant(''),
	raw: cell,
	contribution: num,
	direction: fc.constantFrom('up' as const, 'down' as const),
	share: num,
	text: fc.constant('')
});
const subjectArb: fc.Arbitrary<SubjectStanding> = fc.record({
	subject: safeWord,
	mark: num,
	classMean: num,
	classSd: num,
	z: num,
	percentile: num,
	weak: fc.boolean(),
	strong: fc.boolean(),
	n: fc.nat(),
	semester: fc.option(safeWord, { nil: null })
});

describe('generated text (property)', () => {
	it('never shows float noise, JS values or certainty', () => {
		fc.assert(
			fc.property(
				fc.record({
					id: fc.oneof(safeWord, fc.constant('')),
					name: fc.option(safeWord, { nil: null }),
					outcome: fc.option(safeWord, { nil: null }),
					values: fc.dictionary(fc.constantFrom(...columns), cell),
					prediction,
					factors: fc.array(factorArb, { maxLength: 5 }),
					subjects: fc.array(subjectArb, { maxLength: 4 }),
					explained: fc.option(
						fc.oneof(
							fc.constant({ kind: 'mark' as const }),
							fc.constantFrom('Fail', 'Pass').map((label) => ({ kind: 'class' as const, label }))
						),
						{ nil: null }
					),
					percentCtx: fc.boolean(),
					plan: fc.boolean()
				}),
				(g) => {
					const context = g.percentCtx ? percent : marks;
					const facts: StudentFacts = {
						id: g.id,
						values: g.values,
						prediction: g.prediction,
						factors: g.factors,
						explained: g.explained
					};
					const recommendations = evaluateRules(DEFAULT_RULE_PACK, facts, context);
					const input: FeedbackInput = {
						facts,
						context,
						name: g.name,
						outcome: g.outcome,
						recommendations,
						subjects: g.subjects,
						studyPlan: g.plan ? suggestStudyPlan(g.subjects, recommendations) : null
					};
					const all = [
						...recommendations.flatMap((r) => [
							r.message,
							...r.triggers.flatMap((t) => [t.display.value, t.display.threshold])
						]),
						...(['student', 'parent', 'teacher'] as const).flatMap((tone) => {
							const t = feedbackText(input, tone);
							return [t.title, ...t.paragraphs];
						})
					];
					for (const s of all) {
						expect(s).not.toMatch(FLOAT);
						expect(s).not.toMatch(BAD);
						expect(s).not.toMatch(CERTAIN);
					}
				}
			),
			{ numRuns: 300 }
		);
	});
});

describe('outcome names', () => {
	it('speaks of one mark per student whatever the column is called', async () => {
		const { singularOutcome } = await import('../../../src/lib/ml/insights/feedback');
		expect(singularOutcome('final marks')).toBe('final mark');
		expect(singularOutcome('exam scores')).toBe('exam score');
		expect(singularOutcome('final mark')).toBe('final mark');
		expect(singularOutcome('class')).toBe('class');
	});
});
