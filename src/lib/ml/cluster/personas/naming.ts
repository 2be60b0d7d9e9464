/**
 * Persona names and descriptions from standardised centroids (k × d, in SD units from the
 * class average). A name is the one to three most distinctive features in everyday words
 * ("Motivated, short on sleep"); a description says how far the typical student in the group
 * sits from the class on the features that set it apart, with rounded numbers. Deterministic:
 * the same centroids and features always give the same text, and names within one clustering
 * are unique.
 */
import { capitalise, decapitalise, listJoin, pct, plural, q, sd, value } from './format';
import { readFeature, type FeatureMeaning } from './lexicon';

export interface PersonaNamingOptions {
	/** Features in a name (default 2); more are added only to tell two personas apart. */
	maxTraits?: number;
	/** A feature counts as distinctive from this many SDs (default 0.25). */
	minEffect?: number;
	/** Students per persona, for "96 students (18% of the class)". */
	sizes?: ArrayLike<number>;
	/** Per feature: the category levels in code order when the feature is a level index. */
	levels?: readonly (readonly string[] | null | undefined)[];
	/** Per feature: the name to show ("Hours studied"); default: the humanised column name. */
	labels?: readonly (string | null | undefined)[];
	/** Class mean and SD per feature in the column's own units, for "(about 27 vs 19 on average)". */
	scale?: { mean: ArrayLike<number>; sd: ArrayLike<number> };
}

export interface PersonaName {
	name: string;
	description: string;
}

export interface Trait {
	feature: number;
	z: number;
	/** Words for a name, or null when the feature is only described, not named by. */
	word: string | null;
	/** Verb phrase for "the typical student here …". */
	phrase: string;
	/** +1 when the group has more of the feature's quality (more sleep, more motivation). */
	direction: 1 | -1;
	meaning: FeatureMeaning;
}

const MAX_DESCRIBED = 4;
const NEAR_AVERAGE = 0.15;

/** Reads every feature once (names, levels, labels). */
export function readFeatures(
	features: readonly string[],
	opts: PersonaNamingOptions = {}
): FeatureMeaning[] {
	return features.map((f, j) =>
		readFeature(f, opts.levels?.[j] ?? null, opts.labels?.[j] ?? undefined)
	);
}

function scaleNote(m: FeatureMeaning, j: number, z: number, opts: PersonaNamingOptions): string {
	const mean = opts.scale ? Number(opts.scale.mean[j]) : NaN;
	const spread = opts.scale ? Number(opts.scale.sd[j]) : NaN;
	if (!Number.isFinite(mean) || !Number.isFinite(spread) || spread <= 0) return '';
	const here = mean + z * spread;
	if (m.kind === 'dummy') return ` (${pct(here)} vs ${pct(mean)} of the class)`;
	if (m.levels && m.levels.length >= 2) {
		const top = m.levels.length - 1;
		if (m.levels.length === 2) {
			const level = z >= 0 ? m.levels[1] : m.levels[0];
			const share = (v: number) => (z >= 0 ? v : 1 - v);
			return ` (${q(level)}: ${pct(share(here))} vs ${pct(share(mean))} of the class)`;
		}
		const at = (v: number) => m.levels?.[Math.max(0, Math.min(top, Math.round(v)))] ?? '';
		return at(here) !== at(mean)
			? ` (typically ${q(at(here))} vs ${q(at(mean))} for the class)`
			: '';
	}
	return ` (about ${value(here, spread)} vs ${value(mean, spread)} on average)`;
}

/** How a group's value on one feature reads, or null when there is nothing to say. */
export function traitOf(
	m: FeatureMeaning,
	j: number,
	z: number,
	opts: PersonaNamingOptions = {}
): Trait | null {
	if (m.kind === 'skip' || !Number.isFinite(z) || z === 0) return null;
	const about = `about ${sd(z)}`;
	const note = scaleNote(m, j, z, opts);
	const lex = m.lex;
	const base = { feature: j, z, meaning: m };
	if (m.kind === 'nominal') {
		if (!m.levels) {
			return {
				...base,
				word: null,
				direction: 1,
				phrase: `differs from the class on ${m.label} (${about})`
			};
		}
		const level = z > 0 ? m.levels[m.levels.length - 1] : m.levels[0];
		const word = lex?.nominal ? lex.nominal(level) : `Mostly ${level}`;
		return {
			...base,
			word,
			direction: 1,
			phrase: `is more often ${q(level)} on ${m.label} than the class as a whole${note}`
		};
	}
	if (m.kind === 'dummy' && !m.polar) {
		// A level with no direction of its own ("School type=Private", "Peer influence=Neutral").
		const level = m.level ?? '';
		const more = z > 0;
		const word = more
			? lex?.nominal
				? lex.nominal(level)
				: `More often ${level.toLowerCase()} ${m.label}`
			: null;
		return {
			...base,
			word,
			direction: more ? 1 : -1,
			phrase: `is ${more ? 'more' : 'less'} often ${q(level)} on ${m.label} than the class as a whole${note}`
		};
	}
	const s = m.sign * z;
	const direction: 1 | -1 = s > 0 ? 1 : -1;
	if (lex && !lex.nominal) {
		const phrase = (s > 0 ? lex.more : lex.less).replace('{sd}', about);
		return { ...base, word: s > 0 ? lex.high : lex.low, direction, phrase: phrase + note };
	}
	return {
		...base,
		word: `${s > 0 ? 'High' : 'Low'} ${m.label}`,
		direction,
		phrase: `is ${about} ${s > 0 ? 'above' : 'below'} the class average on ${m.label}${note}`
	};
}

/** Distinctive traits of one persona, strongest first, one per source column. */
export function personaTraits(
	meanings: readonly FeatureMeaning[],
	zRow: ArrayLike<number>,
	opts: PersonaNamingOptions = {}
): Trait[] {
	const minEffect = opts.minEffect ?? 0.25;
	const order = meanings
		.map((_, j) => j)
		.filter((j) => Number.isFinite(zRow[j]) && Math.abs(zRow[j]) >= minEffect)
		.sort((a, b) => Math.abs(zRow[b]) - Math.abs(zRow[a]) || a - b);
	const seen = new Set<string>();
	const out: Trait[] = [];
	for (const j of order) {
		const t = traitOf(meanings[j], j, zRow[j], opts);
		if (!t || seen.has(meanings[j].column)) continue;
		seen.add(meanings[j].column);
		out.push(t);
	}
	return out;
}

function joinName(words: readonly string[]): string {
	return words.map((w, i) => (i === 0 ? capitalise(w) : decapitalise(w))).join(', ');
}

export function namePersonas(
	centersStd: ArrayLike<number>,
	features: readonly string[],
	opts: PersonaNamingOptions = {}
): PersonaName[] {
	const d = features.length;
	const k = d > 0 ? Math.floor(centersStd.length / d) : 0;
	const maxTraits = Math.max(1, Math.floor(opts.maxTraits ?? 2));
	const meanings = readFeatures(features, opts);
	const traits: Trait[][] = [];
	const words: string[][] = [];
	for (let c = 0; c < k; c++) {
		const row = Array.from({ length: d }, (_, j) => Number(centersStd[c * d + j]));
		const t = personaTraits(meanings, row, opts);
		traits.push(t);
		words.push(t.filter((x) => x.word !== null).map((x) => x.word as string));
	}
	// Start from maxTraits words each; where names collide, add the next word, up to two more.
	const used = words.map((w) => Math.min(maxTraits, w.length));
	const nameOf = (c: number) =>
		used[c] > 0 ? joinName(words[c].slice(0, used[c])) : 'Close to average';
	for (let round = 0; round < 2; round++) {
		const groups = new Map<string, number[]>();
		for (let c = 0; c < k; c++) groups.set(nameOf(c), [...(groups.get(nameOf(c)) ?? []), c]);
		let grew = false;
		for (const members of groups.values()) {
			if (members.length < 2) continue;
			for (const c of members) {
				if (used[c] < words[c].length) {
					used[c]++;
					grew = true;
				}
			}
		}
		if (!grew) break;
	}
	const names: string[] = [];
	const count = new Map<string, number>();
	for (let c = 0; c < k; c++) count.set(nameOf(c), (count.get(nameOf(c)) ?? 0) + 1);
	const seen = new Map<string, number>();
	for (let c = 0; c < k; c++) {
		const base = nameOf(c);
		if ((count.get(base) ?? 0) < 2) {
			names.push(base);
			continue;
		}
		const nth = (seen.get(base) ?? 0) + 1;
		seen.set(base, nth);
		names.push(`${base} (${nth})`);
	}

	const total = opts.sizes ? Array.from(opts.sizes).reduce((a, b) => a + (Number(b) || 0), 0) : 0;
	return names.map((name, c) => {
		const parts: string[] = [];
		if (opts.sizes) {
			const n = Number(opts.sizes[c]) || 0;
			parts.push(
				`${capitalise(plural(n, 'student'))}${total > 0 ? ` (${pct(n / total)} of the class)` : ''}.`
			);
		}
		const t = traits[c].slice(0, MAX_DESCRIBED);
		if (t.length === 0) {
			parts.push('Close to the class average on every feature used here.');
		} else {
			parts.push(
				`Compared with the class as a whole, the typical student here ${listJoin(t.map((x) => x.phrase))}.`
			);
			const near = meanings
				.map((m, j) => ({ m, j }))
				.filter(
					({ m, j }) => m.kind !== 'skip' && Math.abs(Number(centersStd[c * d + j])) < NEAR_AVERAGE
				)
				.slice(0, 3)
				.map(({ m }) => m.label);
			const uniqueNear = [...new Set(near)];
			if (uniqueNear.length)
				parts.push(`On ${listJoin(uniqueNear)} the group is close to the class average.`);
		}
		return { name, description: parts.join(' ') };
	});
}
