/**
 * Runs a rule pack over one student. Every condition resolves its value (a concept's column, a
 * named column, the prediction) and its threshold in the column's units; a missing value or a
 * threshold that fits no scale means "not met", never an error. Triggered rules are joined with
 * the model's factors, so a teacher sees when the rule's reason is also what pulls the
 * prediction down.
 */
import { normaliseName } from '../../data/profiles';
import type { Factor } from '../explain/types';
import { CONCEPTS, columnLabel, numericValue, rawScale, resolveConcept, scaleOf } from './concepts';
import { percentileValue, riskClassesOf, riskProbability } from './context';
import { fillTemplate, formatOnScale, formatProbability } from './template';
import type {
	ClassContext,
	ColumnStats,
	ConceptId,
	Condition,
	ConditionSubject,
	Operator,
	Priority,
	Prediction,
	Recommendation,
	Rule,
	RulePack,
	Scale,
	StudentFacts,
	Threshold,
	Trigger
} from './types';

/** A condition's subject, resolved for one student. */
export interface ResolvedSubject {
	column: string | null;
	label: string;
	concept: ConceptId | null;
	value: number | null;
	/** The cell as written, when it was text (an ordinal answer such as "Low"). */
	text: string | null;
	stats: ColumnStats | null;
	scale: Scale;
}

const own = <T>(rec: Readonly<Record<string, T>>, key: string): T | undefined =>
	Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;

/** The column in the student's values or the class statistics that holds a concept. */
function conceptColumn(concept: ConceptId, facts: StudentFacts, ctx: ClassContext): string | null {
	const fromCtx = ctx.concepts[concept];
	if (fromCtx !== undefined) return fromCtx;
	for (const k of Object.keys(facts.values)) if (resolveConcept(k) === concept) return k;
	return null;
}

/** A named column, matched exactly first, then by normalised spelling ("Attendance %" ~ "attendance_pct"). */
function namedColumn(name: string, facts: StudentFacts, ctx: ClassContext): string {
	if (own(ctx.columns, name) || own(facts.values, name) !== undefined) return name;
	const key = normaliseName(name);
	for (const k of [...Object.keys(ctx.columns), ...Object.keys(facts.values)]) {
		if (normaliseName(k) === key) return k;
	}
	return name;
}

function fromColumn(
	column: string,
	facts: StudentFacts,
	ctx: ClassContext,
	label?: string
): ResolvedSubject {
	const stats = own(ctx.columns, column) ?? null;
	const concept = stats?.concept ?? resolveConcept(column);
	const cell = own(facts.values, column);
	const value = numericValue(cell);
	return {
		column,
		label: label ?? columnLabel(column, concept),
		concept,
		value,
		text: typeof cell === 'string' && value !== null && !/^[\d.\s%-]+$/.test(cell) ? cell : null,
		stats,
		// Without class statistics the scale is unknown: only plain "points" thresholds apply.
		scale: stats?.scale ?? rawScale(value ?? 0, value ?? 0)
	};
}

function targetColumn(facts: StudentFacts, ctx: ClassContext): string | null {
	return ctx.target ?? conceptColumn('final_mark', facts, ctx);
}

function predictedMark(facts: StudentFacts, ctx: ClassContext): ResolvedSubject | null {
	const p = facts.prediction;
	if (!p || p.kind !== 'regression') return null;
	const col = targetColumn(facts, ctx);
	const stats = col ? (own(ctx.columns, col) ?? null) : null;
	return {
		column: null,
		label: 'Predicted mark',
		concept: null,
		value: Number.isFinite(p.value) ? p.value : null,
		text: null,
		stats,
		scale: stats?.scale ?? rawScale(p.value, p.value)
	};
}

export function resolveSubject(
	subject: ConditionSubject,
	facts: StudentFacts,
	ctx: ClassContext
): ResolvedSubject | null {
	switch (subject.kind) {
		case 'concept': {
			const col = conceptColumn(subject.concept, facts, ctx);
			return col ? fromColumn(col, facts, ctx, CONCEPTS[subject.concept].label) : null;
		}
		case 'column':
			return fromColumn(namedColumn(subject.column, facts, ctx), facts, ctx);
		case 'predicted-mark':
			return predictedMark(facts, ctx);
		case 'risk-probability': {
			const p = riskProbability(facts.prediction, ctx.riskClasses);
			if (p === null) return null;
			return {
				column: null,
				label: 'Predicted risk',
				concept: null,
				value: p * 100,
				text: null,
				stats: null,
				scale: scaleOf('percent')
			};
		}
		case 'outcome': {
			const col = targetColumn(facts, ctx);
			const actual = col ? fromColumn(col, facts, ctx, 'Final mark') : null;
			if (actual && actual.value !== null) return actual;
			return predictedMark(facts, ctx);
		}
	}
}

/** The threshold in the subject's units, or null when it does not fit (wrong scale, no stats). */
export function thresholdFor(t: Threshold, r: ResolvedSubject): number | null {
	switch (t.unit) {
		case 'points':
			return t.scale === undefined || t.scale === r.scale.kind ? t.value : null;
		case 'percent':
			if (r.scale.kind === 'raw') return null;
			return r.scale.min + (t.value * (r.scale.max - r.scale.min)) / 100;
		case 'percentile':
			return r.stats && r.stats.percentiles.length > 0 ? percentileValue(r.stats, t.value) : null;
		case 'z':
			return r.stats && r.stats.sd > 0 ? r.stats.mean + t.value * r.stats.sd : null;
	}
}

/**
 * The comparison, with values within a billionth (relative) of the threshold counted as equal:
 * a threshold computed as 70 % of 10 or as mean − sd must not miss the value sitting on it by
 * float noise.
 */
export function compare(v: number, op: Operator, t: number): boolean {
	const equal = Math.abs(v - t) <= 1e-9 * Math.max(1, Math.abs(t));
	switch (op) {
		case '<':
			return v < t && !equal;
		case '<=':
			return v <= t || equal;
		case '>':
			return v > t && !equal;
		case '>=':
			return v >= t || equal;
	}
}

/** How far past its threshold a value is, 0–1, relative to the scale (or the class's spread). */
function margin(r: ResolvedSubject, value: number, threshold: number): number {
	const spread =
		r.scale.kind !== 'raw'
			? r.scale.max - r.scale.min
			: r.stats && r.stats.sd > 0
				? 4 * r.stats.sd
				: Math.abs(threshold) || 1;
	return Math.min(1, (2 * Math.abs(value - threshold)) / spread);
}

/** A met condition: what is reported, how far past the threshold, and the class figures used. */
interface Met {
	trigger: Trigger;
	margin: number;
	stats: ColumnStats | null;
}

function evaluateCondition(c: Condition, facts: StudentFacts, ctx: ClassContext): Met | null {
	const r = resolveSubject(c.subject, facts, ctx);
	if (!r || r.value === null) return null;
	for (const t of c.thresholds) {
		const threshold = thresholdFor(t, r);
		if (threshold === null || !Number.isFinite(threshold)) continue;
		if (!compare(r.value, c.op, threshold)) return null;
		const trigger: Trigger = {
			column: r.column,
			label: r.label,
			concept: r.concept,
			value: r.value,
			threshold,
			op: c.op,
			stated: { ...t },
			scale: r.scale.kind,
			display: {
				value: r.text ?? formatOnScale(r.value, r.scale),
				threshold: formatOnScale(threshold, r.scale)
			}
		};
		return { trigger, margin: margin(r, r.value, threshold), stats: r.stats };
	}
	return null;
}

/** +1 when a positive contribution works against the student (factors explain an at-risk class). */
export function harmSign(facts: StudentFacts, ctx: ClassContext): 1 | -1 {
	const p = facts.prediction;
	let label: string | null = null;
	if (facts.explained?.kind === 'class') label = facts.explained.label;
	else if (!facts.explained && p && p.kind === 'classification' && p.classes.length) {
		let best = 0;
		p.probabilities.forEach((v, i) => {
			if (v > p.probabilities[best]) best = i;
		});
		label = p.classes[best] ?? null;
	}
	if (label === null) return -1;
	const risk = ctx.riskClasses.length ? ctx.riskClasses : riskClassesOf([label]);
	return risk.includes(label) ? 1 : -1;
}

function factorsBySign(facts: StudentFacts, sign: number): Factor[] {
	return (facts.factors ?? [])
		.filter((f) => Number.isFinite(f.contribution) && f.contribution * sign > 0)
		.map((f, i) => ({ f, i }))
		.sort((a, b) => Math.abs(b.f.contribution) - Math.abs(a.f.contribution) || a.i - b.i)
		.map((x) => x.f);
}

/** The factors working against the student, strongest first (rank 1 = largest). */
export function harmfulFactors(facts: StudentFacts, ctx: ClassContext): Factor[] {
	return factorsBySign(facts, harmSign(facts, ctx));
}

/** The factors working for the student, strongest first. */
export function helpfulFactors(facts: StudentFacts, ctx: ClassContext): Factor[] {
	return factorsBySign(facts, -harmSign(facts, ctx));
}

function factorMatches(f: Factor, t: Trigger): boolean {
	if (t.column === null) return false;
	if (f.feature === t.column || normaliseName(f.feature) === normaliseName(t.column)) return true;
	return t.concept !== null && resolveConcept(f.feature) === t.concept;
}

const ORDINAL = ['largest', 'second-largest', 'third-largest'];

/**
 * "Attendance is the largest factor lowering this prediction." A plural label ("Assignment
 * marks") takes the other word order, which agrees either way.
 */
export function factorSentence(label: string, rank: number, raisesRisk: boolean): string {
	const what = raisesRisk ? 'raising the predicted risk' : 'lowering this prediction';
	const which = rank <= ORDINAL.length ? `the ${ORDINAL[rank - 1]}` : 'one of the';
	const factor = rank <= ORDINAL.length ? 'factor' : 'factors';
	if (/[^s]s$/i.test(label)) {
		const lower = /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
		return `${which[0].toUpperCase()}${which.slice(1)} ${factor} ${what} is ${lower}.`;
	}
	return `${label} is ${which} ${factor} ${what}.`;
}

function predictionVars(p: Prediction | null | undefined, ctx: ClassContext, facts: StudentFacts) {
	const vars: Record<string, string> = {};
	if (!p) return vars;
	if (p.kind === 'regression') {
		const mark = predictedMark(facts, ctx);
		const scale = mark?.scale ?? rawScale(p.value, p.value);
		vars.predicted = formatOnScale(p.value, scale);
		const lo = p.lower ?? NaN;
		const hi = p.upper ?? NaN;
		vars.interval =
			Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi
				? `likely between ${formatOnScale(lo, scale)} and ${formatOnScale(hi, scale)}`
				: 'no interval available';
	} else {
		let best = 0;
		p.probabilities.forEach((v, i) => {
			if (v > p.probabilities[best]) best = i;
		});
		if (p.classes[best] !== undefined) vars.predicted = p.classes[best];
		const risk = riskProbability(p, ctx.riskClasses);
		if (risk !== null) vars.risk = formatProbability(risk);
	}
	return vars;
}

function templateVars(met: Met[], facts: StudentFacts, ctx: ClassContext): Record<string, string> {
	const vars: Record<string, string> = { ...predictionVars(facts.prediction, ctx, facts) };
	vars.student = facts.id || 'the student';
	met.forEach(({ trigger: t }, i) => {
		vars[`value${i + 1}`] = t.display.value;
		vars[`threshold${i + 1}`] = t.display.threshold;
		vars[`label${i + 1}`] = t.label;
	});
	if (met.length) {
		const t = met[0].trigger;
		vars.value = t.display.value;
		vars.threshold = t.display.threshold;
		vars.label = t.label;
		vars.scale = t.scale === 'raw' ? 'as recorded' : scaleOf(t.scale).label;
	}
	// Class figures come from the first condition that has them (its column, or the target's).
	const s = met.find((m) => m.stats)?.stats;
	if (s) {
		vars.classMedian = formatOnScale(s.median, s.scale);
		vars.classMean = formatOnScale(s.mean, s.scale);
		vars.classQ1 = formatOnScale(s.q25, s.scale);
		vars.classQ3 = formatOnScale(s.q75, s.scale);
	}
	return vars;
}

function evaluateRule(
	rule: Rule,
	facts: StudentFacts,
	ctx: ClassContext,
	harmful: Factor[],
	raisesRisk: boolean
): Recommendation | null {
	if (!rule.enabled || rule.conditions.length === 0) return null;
	const met: Met[] = [];
	for (const c of rule.conditions) {
		const m = evaluateCondition(c, facts, ctx);
		if (!m) return null;
		met.push(m);
	}
	const triggers = met.map((m) => m.trigger);
	let factor: Recommendation['factor'] = null;
	let factorLabel = '';
	for (const t of triggers) {
		const idx = harmful.findIndex((f) => factorMatches(f, t));
		if (idx >= 0 && (factor === null || idx + 1 < factor.rank)) {
			const share = harmful[idx].share;
			factor = {
				feature: harmful[idx].feature,
				rank: idx + 1,
				share: Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0
			};
			factorLabel = t.label;
		}
	}
	const base = met.reduce((sum, m) => sum + m.margin, 0) / met.length;
	const strength = factor
		? 0.5 * base + 0.5 * Math.max(factor.share, 0.5 / factor.rank)
		: 0.5 * base;
	let message = fillTemplate(rule.message, templateVars(met, facts, ctx));
	if (factor) message = `${message} ${factorSentence(factorLabel, factor.rank, raisesRisk)}`;
	return {
		ruleId: rule.id,
		title: rule.title,
		message,
		priority: rule.priority,
		action: rule.action,
		strength: Number(strength.toFixed(4)),
		triggers,
		factor
	};
}

const RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/**
 * The pack's recommendations for one student, most urgent first: by priority, then strength,
 * then the rule's place in the pack.
 */
export function evaluateRules(
	pack: RulePack,
	facts: StudentFacts,
	context: ClassContext
): Recommendation[] {
	const harmful = harmfulFactors(facts, context);
	const raisesRisk = harmSign(facts, context) === 1;
	const out: { rec: Recommendation; order: number }[] = [];
	pack.rules.forEach((rule, order) => {
		const rec = evaluateRule(rule, facts, context, harmful, raisesRisk);
		if (rec) out.push({ rec, order });
	});
	out.sort(
		(a, b) =>
			RANK[a.rec.priority] - RANK[b.rec.priority] ||
			b.rec.strength - a.rec.strength ||
			a.order - b.order
	);
	return out.map((x) => x.rec);
}
