/**
 * The persona insights file: template sentences generated from statistics (persona shares, the
 * persona × trajectory table, each persona's features against the class, and breakdowns by
 * gender and school type or any other grouping column). No language model; every number is
 * rounded and every statistic about fewer than `minCell` students (default 10) is replaced by
 * "fewer than 10 students — not shown" unless the caller opts out.
 */
import { capitalise, humanise, int, listJoin, pct, plural, q, signedSd } from './format';
import { personaTraits, readFeatures, type PersonaNamingOptions, type Trait } from './naming';
import {
	crossTable,
	groupBreakdown,
	MIN_CELL,
	shownCount,
	type SuppressionOptions
} from './tables';

export const PERSONA_INSIGHT_KEYS = [
	'mega_pie_insights',
	'trajectory_wise_persona',
	'spider_chart_inferences',
	'gender_insights',
	'school_insights',
	'actionable_recommendations'
] as const;

export type PersonaInsightKey = (typeof PERSONA_INSIGHT_KEYS)[number];

/** Exactly the six keys of the exported insights file; each a list of sentences. */
export type PersonaInsights = Record<PersonaInsightKey, string[]>;

export interface InsightGroupColumn {
	/** The column's name ("Gender", "School_Type"). */
	name: string;
	/** Level code per student, aligned with `labels`; negative or NaN is missing. */
	codes: ArrayLike<number>;
	levels: readonly string[];
}

export interface PersonaInsightInput extends SuppressionOptions {
	/** Persona names, k. */
	names: readonly string[];
	/** Persona per student (−1: no persona, e.g. DBSCAN noise). */
	labels: ArrayLike<number>;
	/** Each persona's mean per feature in SD units from the class average (k × d). */
	profile?: {
		features: readonly string[];
		centersStd: ArrayLike<number>;
		levels?: PersonaNamingOptions['levels'];
		labels?: PersonaNamingOptions['labels'];
	} | null;
	/** Trajectory group per student (ranked: 0 best … last = at risk; −1 not placed). */
	trajectory?: { labels: ArrayLike<number>; names: readonly string[] } | null;
	gender?: InsightGroupColumn | null;
	school?: InsightGroupColumn | null;
	/** The clustering's structure is weak (low silhouette): say so. */
	weak?: boolean;
}

/** A notable gap between groups, in shares. */
const GAP = 0.1;
/** A feature this far from the class is a strength or a concern. */
const CLEAR = 0.5;

function notShown(what: string, minCell: number): string {
	return `${what}: fewer than ${minCell} students — not shown.`;
}

function personaSizes(labels: ArrayLike<number>, k: number): { sizes: number[]; noise: number } {
	const sizes = new Array<number>(k).fill(0);
	let noise = 0;
	for (let i = 0; i < labels.length; i++) {
		const l = labels[i];
		if (l >= 0 && l < k) sizes[l]++;
		else noise++;
	}
	return { sizes, noise };
}

function megaPie(
	input: PersonaInsightInput,
	sizes: number[],
	noise: number,
	minCell: number
): string[] {
	const k = input.names.length;
	const total = input.labels.length;
	const shown = sizes.map((s) => shownCount(s, input) !== null);
	const out: string[] = [];
	if (total === 0) return ['There are no students to describe.'];
	out.push(
		`The ${plural(total, 'student')} ${total === 1 ? 'falls' : 'fall'} into ${plural(k, 'persona')}${noise > 0 ? ', with some outside every persona' : ''}.`
	);
	const order = sizes.map((_, c) => c).sort((a, b) => sizes[b] - sizes[a] || a - b);
	for (const c of order) {
		out.push(
			shown[c]
				? `${q(input.names[c])}: ${plural(sizes[c], 'student')} (${pct(sizes[c] / total)}).`
				: notShown(q(input.names[c]), minCell)
		);
	}
	const visible = order.filter((c) => shown[c] && sizes[c] > 0);
	if (visible.length >= 1 && sizes[visible[0]] / total > 0.5) {
		out.push(
			`More than half of the class is ${q(input.names[visible[0]])} (${pct(sizes[visible[0]] / total)}).`
		);
	} else if (visible.length >= 2) {
		const big = visible[0];
		const small = visible[visible.length - 1];
		out.push(
			`The largest persona, ${q(input.names[big])}, holds ${pct(sizes[big] / total)} of the class; the smallest shown, ${q(input.names[small])}, ${pct(sizes[small] / total)}.`
		);
	}
	if (noise > 0) {
		out.push(
			shownCount(noise, input) === null
				? notShown('Students who fit no persona', minCell)
				: `${capitalise(plural(noise, 'student'))} (${pct(noise / total)}) fit no persona: they are unlike every group and worth a look one by one.`
		);
	}
	if (input.weak) {
		out.push(
			'The personas overlap a lot: read them as tendencies along a continuum, not as distinct types.'
		);
	}
	return out;
}

function trajectoryLines(input: PersonaInsightInput, sizes: number[], minCell: number): string[] {
	const t = input.trajectory;
	if (!t || t.names.length === 0) {
		return ['No earlier and final scores were given, so score trajectories are not shown.'];
	}
	const k = input.names.length;
	const kt = t.names.length;
	const table = crossTable(input.labels, t.labels, k, kt);
	const cell = (a: number, b: number) => table.counts[a * kt + b];
	const out: string[] = [];
	for (let a = 0; a < k; a++) {
		const n = table.rowTotals[a];
		if (shownCount(sizes[a], input) === null || shownCount(n, input) === null) {
			out.push(notShown(`${q(input.names[a])} with both scores`, minCell));
			continue;
		}
		if (n === 0) {
			out.push(`${q(input.names[a])}: no student has both scores.`);
			continue;
		}
		const parts: string[] = [];
		const hidden: string[] = [];
		for (let b = 0; b < kt; b++) {
			if (shownCount(cell(a, b), input) === null) hidden.push(q(t.names[b]));
			else parts.push(`${pct(cell(a, b) / n)} ${q(t.names[b])}`);
		}
		let text = `${q(input.names[a])} (${plural(n, 'student')} with both scores): ${parts.length ? listJoin(parts) : 'no group large enough to show'}`;
		if (hidden.length) text += `; ${listJoin(hidden)}: fewer than ${minCell} students — not shown`;
		out.push(`${text}.`);
	}
	if (kt >= 2 && table.total > 0) {
		for (const b of [kt - 1, 0]) {
			let best = -1;
			for (let a = 0; a < k; a++) {
				const n = table.rowTotals[a];
				if (
					n === 0 ||
					shownCount(n, input) === null ||
					shownCount(cell(a, b), input) === null ||
					cell(a, b) === 0
				) {
					continue;
				}
				if (best === -1 || cell(a, b) / n > cell(best, b) / table.rowTotals[best]) best = a;
			}
			if (best === -1) continue;
			const classShare = table.colTotals[b] / table.total;
			const against =
				shownCount(table.colTotals[b], input) === null
					? ''
					: `, against ${pct(classShare)} for the class`;
			out.push(
				`${q(input.names[best])} has the highest share on the ${q(t.names[b])} trajectory: ${pct(cell(best, b) / table.rowTotals[best])}${against}.`
			);
			const colN = table.colTotals[b];
			if (shownCount(colN, input) !== null && cell(best, b) / colN >= 0.5) {
				out.push(
					`Most students on the ${q(t.names[b])} trajectory are ${q(input.names[best])} (${pct(cell(best, b) / colN)} of them).`
				);
			}
		}
	}
	return out;
}

/** A trait in a few words for lists: "sleep hours (−1.3 SD)", "school type: more “Private”". */
function shortTrait(t: Trait): string {
	const m = t.meaning;
	if (m.kind === 'nominal' && m.levels) {
		const level = t.z > 0 ? m.levels[m.levels.length - 1] : m.levels[0];
		return `${m.label}: more often ${q(level)}`;
	}
	if (m.kind === 'dummy' && !m.polar)
		return `${m.label}: ${t.z > 0 ? 'more' : 'less'} often ${q(m.level ?? '')}`;
	return `${m.label} (${signedSd(m.sign * t.z)})`;
}

function isConcern(t: Trait): boolean {
	const c = t.meaning.lex?.concern;
	return (c === 'low' && t.direction < 0) || (c === 'high' && t.direction > 0);
}

function isStrength(t: Trait): boolean {
	const c = t.meaning.lex?.concern;
	return (c === 'low' && t.direction > 0) || (c === 'high' && t.direction < 0);
}

function traitsByPersona(input: PersonaInsightInput): Trait[][] | null {
	const p = input.profile;
	if (!p || p.features.length === 0) return null;
	const d = p.features.length;
	const opts = { levels: p.levels, labels: p.labels };
	const meanings = readFeatures(p.features, opts);
	return input.names.map((_, c) =>
		personaTraits(
			meanings,
			Array.from({ length: d }, (_, j) => Number(p.centersStd[c * d + j])),
			opts
		)
	);
}

function spiderLines(
	input: PersonaInsightInput,
	traits: Trait[][] | null,
	sizes: number[],
	minCell: number
): string[] {
	if (!traits) return ['No feature profile was given, so the personas’ features are not compared.'];
	return input.names.map((name, c) => {
		if (shownCount(sizes[c], input) === null) return notShown(q(name), minCell);
		const t = traits[c];
		if (t.length === 0)
			return `${q(name)} is close to the class average on every feature: a typical profile.`;
		let text = `${q(name)} stands out on ${listJoin(t.slice(0, 3).map(shortTrait))}.`;
		const strengths = t
			.filter((x) => Math.abs(x.z) >= CLEAR && isStrength(x))
			.map((x) => x.meaning.label);
		const concerns = t
			.filter((x) => Math.abs(x.z) >= CLEAR && isConcern(x))
			.map((x) => x.meaning.label);
		if (strengths.length) text += ` Strengths: ${listJoin(strengths.slice(0, 3))}.`;
		if (concerns.length) text += ` To watch: ${listJoin(concerns.slice(0, 3))}.`;
		return text;
	});
}

function groupLines(
	input: PersonaInsightInput,
	col: InsightGroupColumn | null | undefined,
	what: string,
	minCell: number
): string[] {
	if (!col) return [`No ${what} column was given, so there is no breakdown by ${what}.`];
	const k = input.names.length;
	const label = humanise(col.name);
	const levels = groupBreakdown(input.labels, col.codes, col.levels, k, input);
	const out: string[] = [];
	for (const lv of levels) {
		if (lv.n === 0) continue;
		if (lv.suppressed || !lv.shares) {
			out.push(notShown(`${capitalise(label)} ${q(lv.level)}`, minCell));
			continue;
		}
		const ranked = lv.shares
			.map((s, c) => ({ s, c }))
			.filter((x): x is { s: number; c: number } => x.s !== null && x.s > 0)
			.sort((a, b) => b.s - a.s || a.c - b.c);
		if (ranked.length === 0) {
			out.push(
				`${capitalise(label)} ${q(lv.level)} (${plural(lv.n, 'student')}): every persona has fewer than ${minCell} of them — not shown.`
			);
			continue;
		}
		const top = ranked
			.slice(0, 2)
			.map((x) => `${q(input.names[x.c])} (${pct(x.s)})`)
			.join(', then ');
		out.push(
			`${capitalise(label)} ${q(lv.level)} (${plural(lv.n, 'student')}): most often ${top}.`
		);
	}
	const gaps: { c: number; hi: number; lo: number; gap: number }[] = [];
	const usable = levels
		.map((lv, g) => ({ lv, g }))
		.filter(({ lv }) => !lv.suppressed && lv.shares && lv.n > 0);
	let compared = 0;
	for (let c = 0; c < k; c++) {
		let hi = -1;
		let lo = -1;
		for (const { lv, g } of usable) {
			const s = lv.shares?.[c];
			if (s === null || s === undefined) continue;
			if (hi === -1 || s > (levels[hi].shares?.[c] ?? 0)) hi = g;
			if (lo === -1 || s < (levels[lo].shares?.[c] ?? 1)) lo = g;
		}
		if (hi === -1 || lo === -1 || hi === lo) continue;
		compared++;
		const gap = (levels[hi].shares?.[c] ?? 0) - (levels[lo].shares?.[c] ?? 0);
		if (gap >= GAP) gaps.push({ c, hi, lo, gap });
	}
	gaps.sort((a, b) => b.gap - a.gap || a.c - b.c);
	for (const g of gaps.slice(0, 3)) {
		const hi = levels[g.hi];
		const lo = levels[g.lo];
		out.push(
			`${q(input.names[g.c])} is more common among ${q(hi.level)} students (${pct(hi.shares?.[g.c] ?? 0)}) than among ${q(lo.level)} students (${pct(lo.shares?.[g.c] ?? 0)}).`
		);
	}
	if (compared > 0 && gaps.length === 0) {
		out.push(
			`The personas are spread much the same way across ${label} (no gap of ${int(GAP * 100)} percentage points or more).`
		);
	}
	if (gaps.length) {
		out.push(
			'These differences describe this class; they are not causes and may reflect other factors.'
		);
	}
	if (out.length === 0) out.push(`No student has a recorded ${label}.`);
	return out;
}

function recommendations(
	input: PersonaInsightInput,
	traits: Trait[][] | null,
	sizes: number[],
	noise: number
): string[] {
	const out: string[] = [];
	input.names.forEach((name, c) => {
		if (!traits || shownCount(sizes[c], input) === null) return;
		const worries = traits[c].filter((t) => isConcern(t) && t.meaning.lex?.tip).slice(0, 2);
		if (worries.length === 0) return;
		const why = listJoin(worries.map((t) => t.phrase.replace(/ \([^()]*\)$/, '')));
		const what = worries.map((t) => t.meaning.lex?.tip as string).join('; also ');
		out.push(`${q(name)} (${plural(sizes[c], 'student')}) — the typical student ${why}: ${what}.`);
	});
	const t = input.trajectory;
	if (t && t.names.length >= 2) {
		const k = input.names.length;
		const kt = t.names.length;
		const table = crossTable(input.labels, t.labels, k, kt);
		const risk = kt - 1;
		const classShare = table.total ? table.colTotals[risk] / table.total : 0;
		let best = -1;
		for (let a = 0; a < k; a++) {
			const n = table.rowTotals[a];
			const x = table.counts[a * kt + risk];
			if (n === 0 || x === 0 || shownCount(n, input) === null || shownCount(x, input) === null)
				continue;
			if (best === -1 || x / n > table.counts[best * kt + risk] / table.rowTotals[best]) best = a;
		}
		if (best !== -1) {
			const share = table.counts[best * kt + risk] / table.rowTotals[best];
			if (share >= classShare + 0.05) {
				const against =
					shownCount(table.colTotals[risk], input) === null
						? ''
						: `, against ${pct(classShare)} of the class`;
				out.push(
					`Check in early with ${q(input.names[best])}: ${pct(share)} of them are on the ${q(t.names[risk])} trajectory${against}.`
				);
			}
		}
	}
	if (noise > 0 && shownCount(noise, input) !== null) {
		out.push(
			`Look at the ${plural(noise, 'student')} who fit no persona one by one: group averages do not describe them.`
		);
	}
	if (out.length === 0) {
		out.push(
			'No persona is clearly below the class on the features used; keep watching as new results come in.'
		);
	}
	out.push(
		'Personas describe groups, not individuals: talk with each student before acting on them.'
	);
	return out;
}

export function personaInsights(input: PersonaInsightInput): PersonaInsights {
	const minCell = input.minCell ?? MIN_CELL;
	const opts: PersonaInsightInput = { ...input, minCell };
	const k = input.names.length;
	const { sizes, noise } = personaSizes(input.labels, k);
	const traits = traitsByPersona(opts);
	return {
		mega_pie_insights: megaPie(opts, sizes, noise, minCell),
		trajectory_wise_persona: trajectoryLines(opts, sizes, minCell),
		spider_chart_inferences: spiderLines(opts, traits, sizes, minCell),
		gender_insights: groupLines(opts, input.gender, 'gender', minCell),
		school_insights: groupLines(opts, input.school, 'school type', minCell),
		actionable_recommendations: recommendations(opts, traits, sizes, noise)
	};
}
