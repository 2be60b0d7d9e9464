/**
 * Personalised feedback from templates (no language model): the predicted outcome with its
 * uncertainty, strengths, risks and next steps, in three tones — a student (second person,
 * encouraging), a parent (third person, plain, what helps at home) and the teacher (short
 * factual notes with numbers). A prediction is never stated as a certainty; every number is
 * rounded; missing parts (no factors, no subjects, no prediction) drop their sentence rather
 * than print a gap. The same input always gives the same text; phrasing varies by student id.
 */
import {
	HOME_TIPS,
	PARENT_CAVEAT,
	PARENT_CLOSINGS,
	PARENT_OPENINGS,
	STUDENT_CAVEATS,
	STUDENT_CLOSINGS,
	STUDENT_OPENINGS,
	STUDENT_TIPS,
	withName
} from './feedback-phrases';
import {
	capitalise,
	dataText,
	gather,
	likelihood,
	lowerFirst,
	pick,
	predictionView,
	subjectItem,
	uniqueTips,
	type FeedbackInput,
	type FeedbackText,
	type Tone
} from './feedback-shared';
import { teacherText } from './feedback-teacher';
import { GENERAL_SUBJECT } from './study-plan';
import { formatProbability, hashString, listWords } from './template';

export type { FeedbackInput, FeedbackText, Tone } from './feedback-shared';

/**
 * A column named "final_marks" still means one mark per student: "your final mark is likely…",
 * not "your final marks is likely…".
 */
export function singularOutcome(name: string): string {
	return name.replace(/\b(mark|score|grade|point|result)s$/i, '$1');
}

function studentText(input: FeedbackInput, h: number): FeedbackText {
	const name = input.name ? dataText(input.name, 40) : '';
	const outcome = singularOutcome(dataText(input.outcome ?? '', 40));
	const g = gather(input);
	const paragraphs: string[] = [];
	const pv = predictionView(input, true);
	let first = withName(pick(STUDENT_OPENINGS, h, 1), name ? ` ${name}` : '');
	if (pv?.kind === 'mark') {
		const what = input.outcome ? `your ${outcome}` : 'your final mark';
		const range =
			pv.lower && pv.upper ? `, probably somewhere between ${pv.lower} and ${pv.upper}` : '';
		first += ` Based on your work so far, ${what} is likely to be about ${pv.value}${range}. ${pick(STUDENT_CAVEATS, h, 3)}`;
	} else if (pv?.kind === 'class') {
		first += ` Based on your work so far, the most likely result for you right now is “${pv.label}” (about a ${formatProbability(pv.p)} chance).`;
		if (pv.topIsRisk) first += ' That is not decided: the next few weeks can still change it.';
		else if (pv.risk && pv.risk.p >= 0.25) {
			first += ` There is still about a ${formatProbability(pv.risk.p)} chance of “${listWords(pv.risk.labels)}”, so keep going.`;
		} else first += ` ${pick(STUDENT_CAVEATS, h, 3)}`;
	}
	paragraphs.push(first);

	const good: string[] = [];
	if (g.strong.length) {
		const names = listWords(g.strong.slice(0, 3).map((s) => dataText(s.subject)));
		good.push(`you are doing well in ${names}`);
	}
	if (g.helping.length) {
		const items = listWords(g.helping.map((i) => `your ${i.text}`));
		good.push(`what helps you most right now is ${items}`);
	}
	if (good.length) paragraphs.push(`What is going well: ${good.join(', and ')}. Keep it up!`);

	const focus = [
		...g.risks.map((i) => i.text),
		...g.weak.slice(0, 3).map((s) => subjectItem(s).text)
	];
	if (focus.length) paragraphs.push(`Things to focus on: ${listWords(focus.slice(0, 5))}.`);

	const steps = uniqueTips(g.tips, STUDENT_TIPS, 3);
	// Subject entries only: the general ones restate the recommendations the tips already cover.
	const plan = (input.studyPlan ?? [])
		.filter((e) => e.subject !== GENERAL_SUBJECT)
		.slice(0, 3)
		.map((e) => dataText(e.title, 80).replace(/\.$/, ''));
	if (!input.studyPlan) {
		for (const s of g.weak.slice(0, 2)) {
			steps.push(
				`spend extra time on ${dataText(s.subject)}: go over your latest tests and practise a few questions each week`
			);
		}
	}
	const all = [...steps, ...plan.map((t) => lowerFirst(t))];
	if (all.length)
		paragraphs.push(`Your next steps: ${all.map((s, i) => `${i + 1}) ${s}`).join('; ')}.`);
	paragraphs.push(pick(STUDENT_CLOSINGS, h, 5));
	return { title: name ? `How you are doing, ${name}` : 'How you are doing', paragraphs };
}

function parentText(input: FeedbackInput, h: number): FeedbackText {
	const name = input.name ? dataText(input.name, 40) : '';
	const who = name || 'your child';
	const whose = name ? `${name}’s` : 'your child’s';
	const outcome = singularOutcome(dataText(input.outcome ?? '', 40));
	const g = gather(input);
	const paragraphs: string[] = [];
	const pv = predictionView(input, true);
	let first = withName(pick(PARENT_OPENINGS, h, 2), who).replace(/^your/, 'Your');
	if (pv?.kind === 'mark') {
		const what = input.outcome ? outcome : 'final mark';
		const range = pv.lower && pv.upper ? `, most likely between ${pv.lower} and ${pv.upper}` : '';
		first += ` ${capitalise(whose)} ${what} is estimated at about ${pv.value}${range}. ${PARENT_CAVEAT}`;
	} else if (pv?.kind === 'class') {
		first += ` The most likely result for ${who} at the moment is “${pv.label}” (${likelihood(pv.p)}, about ${formatProbability(pv.p)}). ${PARENT_CAVEAT}`;
	}
	paragraphs.push(first);

	const good: string[] = [];
	if (g.strong.length)
		good.push(
			`${who} is strong in ${listWords(g.strong.slice(0, 3).map((s) => dataText(s.subject)))}`
		);
	if (g.helping.length) {
		good.push(`what helps most right now is ${listWords(g.helping.map((i) => i.text))}`);
	}
	if (good.length) paragraphs.push(`Going well: ${good.join(', and ')}.`);

	const concerns = [
		...g.risks.map((i) => i.text),
		...g.weak.slice(0, 3).map((s) => subjectItem(s).text)
	];
	if (concerns.length)
		paragraphs.push(`Where ${who} needs support: ${listWords(concerns.slice(0, 5))}.`);

	const home = uniqueTips(g.tips, HOME_TIPS, 3).map((t) => withName(t, who));
	for (const s of g.weak.slice(0, 2))
		home.push(`ask ${who} to show you their ${dataText(s.subject)} work each week`);
	if (home.length === 0) home.push(withName(HOME_TIPS.general ?? '', who));
	paragraphs.push(`How you can help at home: ${home.join('; ')}.`);
	paragraphs.push(pick(PARENT_CLOSINGS, h, 4));
	return { title: `Progress update for ${who}`, paragraphs };
}

/** Last line of defence: a data label can hold words the templates never write. */
function guard(s: string): string {
	return s
		.replace(/\bwill (fail|pass)\b/gi, 'may $1')
		.replace(/\b(definitely|certainly)\b/gi, 'likely')
		.replace(/\s{2,}/g, ' ')
		.trim();
}

export function feedbackText(input: FeedbackInput, tone: Tone): FeedbackText {
	const h = hashString(input.facts.id ?? '');
	const out =
		tone === 'student'
			? studentText(input, h)
			: tone === 'parent'
				? parentText(input, h)
				: teacherText(input);
	return { title: guard(out.title), paragraphs: out.paragraphs.map(guard).filter((p) => p !== '') };
}
