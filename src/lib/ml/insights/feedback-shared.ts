/**
 * What the three feedback tones share: the prediction in words, the strengths and risks drawn
 * from factors, recommendations and subjects, and the safe printing of text from the data.
 */
import type { Factor } from '../explain/types';
import { columnLabel, numericValue, rawScale, resolveConcept } from './concepts';
import { riskClassesOf } from './context';
import { harmfulFactors, helpfulFactors, harmSign } from './evaluate';
import type { TipKey } from './feedback-phrases';
import { cleanText, formatNumber, formatOnScale } from './template';
import type {
	ClassContext,
	Recommendation,
	Scale,
	StudentFacts,
	StudyPlanEntry,
	SubjectStanding
} from './types';

export type Tone = 'student' | 'parent' | 'teacher';

export interface FeedbackInput {
	facts: StudentFacts;
	/** Gives marks their scale ("62%", "13/20") and says which classes are at risk. */
	context?: ClassContext | null;
	/** The student's first name for greetings; without it: "Hi", "your child", the id for teachers. */
	name?: string | null;
	/** What is predicted, in words: "final exam mark"; default "final mark" or "result". */
	outcome?: string | null;
	recommendations?: readonly Recommendation[] | null;
	subjects?: readonly SubjectStanding[] | null;
	studyPlan?: readonly StudyPlanEntry[] | null;
}

export interface FeedbackText {
	title: string;
	paragraphs: string[];
}

export type PredictionView =
	| { kind: 'mark'; value: string; lower: string | null; upper: string | null; level: number }
	| {
			kind: 'class';
			label: string;
			p: number;
			risk: { labels: string[]; p: number } | null;
			topIsRisk: boolean;
	  };

/** Text from the data, made safe to print: no control characters, no words that read as a bug. */
export function dataText(s: string, max = 60): string {
	const t = cleanText(s, max)
		.replace(/\b(undefined|null|NaN|-?Infinity)\b/gi, 'unknown')
		.replace(/(\d+\.\d{2})\d+/g, '$1');
	return t || 'unknown';
}

/** "Attendance" → "attendance", but "CAT marks" stays. */
export function lowerFirst(s: string): string {
	return /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

export function capitalise(s: string): string {
	return s ? s[0].toUpperCase() + s.slice(1) : s;
}

export function pick<T>(items: readonly T[], h: number, salt: number): T {
	return items[(((h >>> salt) ^ salt) >>> 0) % items.length];
}

/** "10th", "21st" for a percentile, clamped to 0–100; "n/a" when unknown. */
export function ordinal(n: number): string {
	if (!Number.isFinite(n)) return 'n/a';
	const k = Math.round(Math.min(100, Math.max(0, n)));
	const t = k % 100;
	const suffix = t >= 11 && t <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
	return `${k}${suffix}`;
}

function targetScale(input: FeedbackInput, value: number): Scale {
	const ctx = input.context;
	const col = ctx?.target ?? ctx?.concepts.final_mark ?? null;
	const stats =
		ctx && col && Object.prototype.hasOwnProperty.call(ctx.columns, col) ? ctx.columns[col] : null;
	return stats?.scale ?? rawScale(value, value);
}

/** The prediction in words; `coarse` rounds marks further (whole percents) for students and parents. */
export function predictionView(input: FeedbackInput, coarse = false): PredictionView | null {
	const p = input.facts.prediction;
	if (!p) return null;
	if (p.kind === 'regression') {
		if (!Number.isFinite(p.value)) return null;
		const scale = targetScale(input, p.value);
		const bounded = scale.kind !== 'raw';
		const clip = (v: number) => (bounded ? Math.min(scale.max, Math.max(scale.min, v)) : v);
		const lo = p.lower ?? NaN;
		const hi = p.upper ?? NaN;
		const ok = Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi;
		const level = p.level !== undefined && p.level > 0 && p.level < 1 ? p.level : 0.9;
		return {
			kind: 'mark',
			value: formatOnScale(clip(p.value), scale, coarse),
			lower: ok ? formatOnScale(clip(lo), scale, coarse) : null,
			upper: ok ? formatOnScale(clip(hi), scale, coarse) : null,
			level
		};
	}
	let best = -1;
	p.probabilities.forEach((v, i) => {
		if (Number.isFinite(v) && p.classes[i] !== undefined && (best < 0 || v > p.probabilities[best]))
			best = i;
	});
	if (best < 0) return null;
	const riskLabels = input.context?.riskClasses.length
		? input.context.riskClasses.filter((c) => p.classes.includes(c))
		: riskClassesOf(p.classes);
	let risk: { labels: string[]; p: number } | null = null;
	if (riskLabels.length) {
		let sum = 0;
		p.classes.forEach((c, i) => {
			if (riskLabels.includes(c) && Number.isFinite(p.probabilities[i])) sum += p.probabilities[i];
		});
		risk = { labels: riskLabels.map((l) => dataText(l, 30)), p: Math.min(1, Math.max(0, sum)) };
	}
	return {
		kind: 'class',
		label: dataText(p.classes[best], 30),
		p: p.probabilities[best],
		risk,
		topIsRisk: riskLabels.includes(p.classes[best])
	};
}

/** "very likely" … "the most likely of the possible results": never certain. */
export function likelihood(p: number): string {
	if (p >= 0.8) return 'very likely';
	if (p >= 0.6) return 'likely';
	if (p >= 0.5) return 'a little more likely than not';
	return 'the most likely of the possible results, though far from settled';
}

export interface Item {
	key: string;
	text: string;
	tip: TipKey;
}

export function factorItem(f: Factor, input: FeedbackInput): Item {
	const concept = resolveConcept(f.feature);
	const label = lowerFirst(dataText(columnLabel(f.feature, concept)));
	const ctx = input.context;
	const stats =
		ctx && Object.prototype.hasOwnProperty.call(ctx.columns, f.feature)
			? ctx.columns[f.feature]
			: null;
	let value: string | null = null;
	if (typeof f.raw === 'number' && Number.isFinite(f.raw)) {
		value = formatOnScale(f.raw, stats?.scale ?? rawScale(f.raw, f.raw));
	} else if (typeof f.raw === 'string' && f.raw.trim() !== '' && numericValue(f.raw) === null) {
		value = dataText(f.raw, 30);
	} else if (typeof f.raw === 'string' && numericValue(f.raw) !== null) {
		value = formatNumber(numericValue(f.raw) as number, 2);
	}
	return {
		key: concept ?? f.feature,
		text: value ? `${label} (${value})` : label,
		tip: concept ?? 'general'
	};
}

export function subjectItem(s: SubjectStanding): Item {
	const name = dataText(s.subject);
	return {
		key: `subject:${name}`,
		text: `${name} (${formatNumber(s.mark)}, class average ${formatNumber(s.classMean)})`,
		tip: 'general'
	};
}

/** What the recommendations are about, as items; the prediction itself is said elsewhere. */
export function recommendationItems(recs: readonly Recommendation[]): Item[] {
	const out: Item[] = [];
	for (const r of recs) {
		for (const t of r.triggers) {
			// A high value that met a rule (strong peers) is context, not something to work on.
			if (t.column === null || t.op === '>' || t.op === '>=') continue;
			out.push({
				key: t.concept ?? t.column,
				text: `${lowerFirst(dataText(t.label))} (${dataText(t.display.value, 30)})`,
				tip: t.concept ?? 'general'
			});
		}
		if (r.triggers.every((t) => t.column === null)) {
			out.push({ key: `rule:${r.ruleId}`, text: '', tip: 'predicted' });
		}
	}
	return out;
}

export function dedupe(items: Item[]): Item[] {
	const seen = new Set<string>();
	return items.filter((i) => (seen.has(i.key) ? false : (seen.add(i.key), true)));
}

export function contextOf(input: FeedbackInput): ClassContext {
	return input.context ?? { columns: {}, concepts: {}, target: null, riskClasses: [] };
}

/** Strengths, risks and the tips behind them, shared by every tone. */
export function gather(input: FeedbackInput) {
	const facts = input.facts;
	const ctx = contextOf(input);
	const recs = input.recommendations ?? [];
	const subjects = input.subjects ?? [];
	const weak = subjects.filter((s) => s.weak);
	const strong = subjects.filter((s) => s.strong);
	const helping = helpfulFactors(facts, ctx)
		.slice(0, 2)
		.map((f) => factorItem(f, input));
	const hurting = harmfulFactors(facts, ctx)
		.slice(0, 2)
		.map((f) => factorItem(f, input));
	const fromRecs = recommendationItems(recs);
	const risks = dedupe([...fromRecs, ...hurting]).filter((i) => i.text !== '');
	const tips = dedupe([...fromRecs, ...hurting]).map((i) => i.tip);
	return { recs, weak, strong, helping, risks, tips, raisesRisk: harmSign(facts, ctx) === 1 };
}

export function uniqueTips(
	keys: TipKey[],
	table: Partial<Record<TipKey, string>>,
	max: number
): string[] {
	const out: string[] = [];
	for (const k of keys) {
		const t = table[k];
		if (t && !out.includes(t)) out.push(t);
		if (out.length >= max) break;
	}
	return out;
}
