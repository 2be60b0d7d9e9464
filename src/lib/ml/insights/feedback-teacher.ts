/**
 * The teacher's notes: short, factual, with the numbers — prediction and interval, the flags
 * with their messages, the top factors with their shares, weak and strong subjects with z and
 * percentile, and the next steps.
 */
import type { Factor } from '../explain/types';
import { harmfulFactors, helpfulFactors } from './evaluate';
import { TEACHER_CAVEAT } from './feedback-phrases';
import {
	contextOf,
	dataText,
	factorItem,
	gather,
	ordinal,
	predictionView,
	type FeedbackInput,
	type FeedbackText
} from './feedback-shared';
import { formatNumber, formatProbability, listWords } from './template';
import type { SubjectStanding } from './types';

export function teacherText(input: FeedbackInput): FeedbackText {
	const id = dataText(input.facts.id || 'student', 60);
	const outcome = dataText(input.outcome ?? '', 40);
	const g = gather(input);
	const paragraphs: string[] = [];
	const pv = predictionView(input);
	if (pv?.kind === 'mark') {
		const range =
			pv.lower && pv.upper
				? ` (${Math.round(pv.level * 100)}% interval ${pv.lower} to ${pv.upper})`
				: ' (no interval available)';
		paragraphs.push(
			`Prediction: ${input.outcome ? outcome : 'final mark'} about ${pv.value}${range}. ${TEACHER_CAVEAT}`
		);
	} else if (pv?.kind === 'class') {
		const risk = pv.risk
			? `; P(${listWords(pv.risk.labels)}) ≈ ${formatProbability(pv.risk.p)}`
			: '';
		paragraphs.push(
			`Prediction: ${input.outcome ? `${outcome} ` : ''}“${pv.label}” most likely (≈ ${formatProbability(pv.p)})${risk}. ${TEACHER_CAVEAT}`
		);
	} else paragraphs.push('Prediction: none available.');

	paragraphs.push(
		g.recs.length
			? `Flags (${g.recs.length}): ${g.recs.map((r, i) => `${i + 1}) [${r.priority}] ${dataText(r.title, 120)}: ${dataText(r.message, 400)}`).join(' ')}`
			: 'Flags: none from the current rules.'
	);

	const ctx = contextOf(input);
	const share = (f: Factor) =>
		Number.isFinite(f.share) ? ` ${Math.round(Math.min(1, Math.max(0, f.share)) * 100)}%` : '';
	const down = harmfulFactors(input.facts, ctx)
		.slice(0, 3)
		.map((f) => `${factorItem(f, input).text}${share(f)}`);
	const up = helpfulFactors(input.facts, ctx)
		.slice(0, 3)
		.map((f) => `${factorItem(f, input).text}${share(f)}`);
	if (down.length || up.length) {
		const against = g.raisesRisk ? 'raising risk' : 'lowering';
		const parts: string[] = [];
		if (down.length) parts.push(`${against}: ${down.join(', ')}`);
		if (up.length) parts.push(`${g.raisesRisk ? 'lowering risk' : 'raising'}: ${up.join(', ')}`);
		paragraphs.push(`Top factors (share of explanation) — ${parts.join('; ')}.`);
	}

	const subjects = input.subjects ?? [];
	if (g.weak.length || g.strong.length) {
		const fmt = (s: SubjectStanding) =>
			`${dataText(s.subject)} ${formatNumber(s.mark)} vs class ${formatNumber(s.classMean)} (z ${formatNumber(s.z)}, ${ordinal(s.percentile)} percentile)`;
		const parts: string[] = [];
		if (g.weak.length) parts.push(`weak: ${g.weak.map(fmt).join(', ')}`);
		if (g.strong.length) parts.push(`strong: ${g.strong.map(fmt).join(', ')}`);
		const sem = subjects.find((s) => s.semester)?.semester;
		paragraphs.push(`Subjects${sem ? ` (${dataText(sem, 30)})` : ''}: ${parts.join('; ')}.`);
	} else if (subjects.length) {
		paragraphs.push(`Subjects: no clearly weak or strong subject among ${subjects.length}.`);
	}

	const actions = [
		...new Set(g.recs.map((r) => dataText(r.action, 500)).filter((a) => a !== 'unknown'))
	];
	const plan = (input.studyPlan ?? []).map((e) => dataText(e.title, 120));
	if (actions.length || plan.length) {
		const parts: string[] = [];
		if (actions.length) parts.push(actions.slice(0, 4).join(' '));
		if (plan.length) parts.push(`Study plan: ${plan.slice(0, 5).join('; ')}.`);
		paragraphs.push(`Next steps: ${parts.join(' ')}`);
	}
	return { title: `Notes for ${id}`, paragraphs };
}
