/**
 * Dataset columns → concepts ("attendance", "final mark", …) and scale detection. The spellings
 * come from the schema profiles (data/profile-defs.ts), so a header the importer recognises is
 * one the rules recognise: "Attendance %", "attendance_percentage" and "ATTENDANCE" are all
 * attendance, on whatever scale the data shows.
 */
import { PROFILES, normaliseName, type ProfileMatch } from '../../data/profiles';
import { CONCEPT_IDS, type ConceptId, type Scale, type ScaleKind } from './types';

export interface ConceptDef {
	/** For people, as the start of a sentence: "Attendance". */
	label: string;
	/** Canonical profile fields that mean this concept. */
	fields: readonly string[];
	/**
	 * Marks, rates and grades live on a bounded scale detected from the data; hours, counts and
	 * sizes do not, and thresholds on them are in their own units.
	 */
	scored: boolean;
}

export const CONCEPTS: Readonly<Record<ConceptId, ConceptDef>> = {
	attendance: {
		label: 'Attendance',
		fields: ['attendance', 'attendance_percentage', 'attendance_pct'],
		scored: true
	},
	participation: { label: 'Participation', fields: ['participation'], scored: true },
	assignment: {
		label: 'Assignment marks',
		fields: ['assignment_score', 'assignment_marks'],
		scored: true
	},
	assignment_completion: {
		label: 'Assignment completion',
		fields: ['assignment_completion'],
		scored: true
	},
	quiz: { label: 'Quiz marks', fields: ['quiz_marks'], scored: true },
	midterm: { label: 'Midterm marks', fields: ['midterm_marks'], scored: true },
	cats: { label: 'CAT marks', fields: ['cats'], scored: true },
	rats: { label: 'RAT marks', fields: ['rats'], scored: true },
	final_mark: {
		label: 'Final mark',
		fields: ['final_exam', 'final_marks', 'exam_score', 'final_score'],
		scored: true
	},
	peer_performance: { label: 'Peer performance', fields: ['peer_performance'], scored: true },
	previous_grade: {
		label: 'Previous grades',
		fields: ['previous_cgpa', 'previous_scores', 'previous_gpa'],
		scored: true
	},
	hours_studied: {
		label: 'Hours studied',
		fields: ['hours_studied', 'weekly_study_hours'],
		scored: false
	},
	motivation: { label: 'Motivation', fields: ['motivation_level'], scored: false },
	sleep: { label: 'Sleep', fields: ['sleep_hours'], scored: false },
	tutoring: { label: 'Tutoring sessions', fields: ['tutoring_sessions'], scored: false },
	physical_activity: { label: 'Physical activity', fields: ['physical_activity'], scored: false },
	year_of_study: { label: 'Year of study', fields: ['year_of_study'], scored: false },
	num_subjects: { label: 'Number of subjects', fields: ['num_subjects'], scored: false },
	class_size: { label: 'Class size', fields: ['class_size'], scored: false }
};

export function isConceptId(x: unknown): x is ConceptId {
	return typeof x === 'string' && (CONCEPT_IDS as readonly string[]).includes(x);
}

const CANONICAL_TO_CONCEPT = new Map<string, ConceptId>();
for (const id of CONCEPT_IDS) for (const f of CONCEPTS[id].fields) CANONICAL_TO_CONCEPT.set(f, id);

/**
 * Normalised spelling → concept (null: a known field that is no concept), from every profile.
 * Canonical names come first so they win: "final_grade" is the course records' letter grade,
 * even though the demographic profile accepts it as a spelling of its final score. Among
 * synonyms the first concept in CONCEPT_IDS order wins ("grade" is a year of study in the
 * marks profile and a letter grade elsewhere, and only the former is a concept).
 */
const SPELLINGS: Map<string, ConceptId | null> = (() => {
	const out = new Map<string, ConceptId | null>();
	for (const p of PROFILES) {
		for (const f of p.fields) {
			const key = normaliseName(f.canonical);
			const c = CANONICAL_TO_CONCEPT.get(f.canonical) ?? null;
			if (!out.has(key) || (c !== null && out.get(key) === null)) out.set(key, c);
		}
	}
	for (const id of CONCEPT_IDS) {
		for (const p of PROFILES) {
			for (const f of p.fields) {
				if (CANONICAL_TO_CONCEPT.get(f.canonical) !== id) continue;
				for (const s of f.synonyms) if (!out.has(s)) out.set(s, id);
			}
		}
	}
	return out;
})();

/** The header as written, then without a unit in brackets ("Attendance (%)"), as profiles.ts does. */
function spellings(name: string): string[] {
	const full = normaliseName(name);
	const bare = normaliseName(name.replace(/\([^)]*\)|\[[^\]]*\]/g, ' '));
	return bare && bare !== full ? [full, bare] : [full];
}

/**
 * The concept a column means, or null. A profile match (from the importer) is trusted first,
 * since the teacher may have confirmed it; then the header's spelling decides.
 */
export function resolveConcept(column: string, match?: ProfileMatch | null): ConceptId | null {
	if (match && Object.prototype.hasOwnProperty.call(match.mapping, column)) {
		const c = CANONICAL_TO_CONCEPT.get(match.mapping[column]);
		if (c) return c;
	}
	for (const k of spellings(column)) {
		const c = SPELLINGS.get(k);
		if (c !== undefined) return c;
	}
	return null;
}

/**
 * Concept → column for a set of columns. When two columns mean the same concept the one
 * spelled canonically wins ("attendance" over "attendance_rate"), then the first.
 */
export function resolveConcepts(
	columns: readonly string[],
	match?: ProfileMatch | null
): Partial<Record<ConceptId, string>> {
	const out: Partial<Record<ConceptId, string>> = {};
	const exact: Partial<Record<ConceptId, boolean>> = {};
	for (const col of columns) {
		const c = resolveConcept(col, match);
		if (!c) continue;
		const isExact = CONCEPTS[c].fields.some((f) => normaliseName(f) === normaliseName(col));
		if (out[c] === undefined || (isExact && !exact[c])) {
			out[c] = col;
			exact[c] = isExact;
		}
	}
	return out;
}

/** "assignment_marks" → "Assignment marks", for columns no concept names. */
export function humanise(column: string): string {
	const words = column
		.replace(/[_\s]+/g, ' ')
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.trim()
		.toLowerCase();
	return words ? words[0].toUpperCase() + words.slice(1) : column;
}

/** How a column is named in messages: the concept's label, else the column made readable. */
export function columnLabel(column: string, concept: ConceptId | null): string {
	return concept ? CONCEPTS[concept].label : humanise(column);
}

const SCALES: Record<Exclude<ScaleKind, 'raw'>, Scale> = {
	fraction: { kind: 'fraction', min: 0, max: 1, label: '0–1 scale' },
	gpa4: { kind: 'gpa4', min: 0, max: 4, label: '0–4 scale' },
	ten: { kind: 'ten', min: 0, max: 10, label: '0–10 scale' },
	twenty: { kind: 'twenty', min: 0, max: 20, label: '0–20 scale' },
	percent: { kind: 'percent', min: 0, max: 100, label: 'percent' }
};

export function scaleOf(kind: Exclude<ScaleKind, 'raw'>): Scale {
	return { ...SCALES[kind] };
}

export function rawScale(min: number, max: number): Scale {
	return {
		kind: 'raw',
		min: Number.isFinite(min) ? min : 0,
		max: Number.isFinite(max) ? max : 0,
		label: 'as recorded'
	};
}

/** Rates: a percentage however low the class's best value (attendance 0–45 % is still percent). */
const RATES: readonly ConceptId[] = ['attendance', 'assignment_completion'];

/**
 * The scale a column is on, from its observed range: the smallest of 0–1, 0–10, 0–20 and
 * 0–100 that holds every value (0–4 first for previous grades, the GPA profiles' rule). A mark
 * whose best value is between 20 and 50 is more likely out of 30, 40 or 50 than a percentage,
 * so it keeps its own units (`raw`) unless it is a rate. Hours, counts and sizes, negative
 * values and values over 100 are `raw` too. A class whose best mark out of 100 is under 10
 * would look like a 0–10 scale: pass the scale explicitly (buildClassContext's `scales`) when
 * the teacher knows better.
 */
export function detectScale(min: number, max: number, concept: ConceptId | null = null): Scale {
	if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0) return rawScale(min, max);
	if (concept !== null && !CONCEPTS[concept].scored) return rawScale(min, max);
	if (max <= 1) return scaleOf('fraction');
	if (concept === 'previous_grade' && max <= 4.5) return scaleOf('gpa4');
	if (max <= 10) return scaleOf('ten');
	if (max <= 20) return scaleOf('twenty');
	if (max <= 50 && !(concept !== null && RATES.includes(concept))) return rawScale(min, max);
	if (max <= 100) return scaleOf('percent');
	return rawScale(min, max);
}

/** Ordinal survey answers as numbers, so "motivation below Medium" can be a rule. */
const LEVELS: Record<string, number> = {
	low: 1,
	medium: 2,
	moderate: 2,
	high: 3
};

/** A cell as a number for comparison: numbers as they are, numeric text, Low/Medium/High as 1/2/3. */
export function numericValue(v: number | string | null | undefined): number | null {
	if (v === null || v === undefined) return null;
	if (typeof v === 'number') return Number.isFinite(v) ? v : null;
	const t = v.trim();
	if (t === '') return null;
	const key = t.toLowerCase();
	if (Object.prototype.hasOwnProperty.call(LEVELS, key)) return LEVELS[key];
	const n = Number(t.endsWith('%') ? t.slice(0, -1) : t);
	return Number.isFinite(n) ? n : null;
}

/** True when every label of a categorical column is an ordinal level (Low/Medium/High). */
export function isOrdinalDictionary(labels: readonly string[]): boolean {
	return (
		labels.length > 0 &&
		labels.every((l) => Object.prototype.hasOwnProperty.call(LEVELS, l.trim().toLowerCase()))
	);
}
