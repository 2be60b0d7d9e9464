/**
 * Recognises the column sets Classlens knows (profile-defs.ts) so a teacher who opens a typical
 * marks sheet sees the target, the id and the sensitive columns already set. Matching is by
 * header only; the data decides scales (GPA out of 4 or 10) and long format.
 */
import type { ColumnRole, ColumnType } from '../ml/frame';
import { normaliseName } from './infer/infer';
import {
	ALWAYS_SENSITIVE,
	PROFILES,
	type FieldDef,
	type ProfileDef,
	type ProfileId,
	type ScaleDef
} from './profile-defs';

export { PROFILES, type FieldDef, type ProfileDef, type ProfileId, type ScaleDef };
export { normaliseName };

export interface ProfileMatch {
	profile: ProfileId;
	label: string;
	/** Fraction of the profile's fields found among the columns (0..1). */
	score: number;
	/** Column name -> canonical field, for the columns that matched. */
	mapping: Record<string, string>;
	/** Canonical fields of the profile that no column matched. */
	missing: string[];
	/** The column to predict by default, or null when the profile has none or it is absent. */
	target: string | null;
}

export interface LongFormatInfo {
	/** The column identifying the student, whose values repeat. */
	idColumn: string;
	/** The columns that, with the id, make a row unique (semester, subject, …). */
	keyColumns: string[];
	/** Mean rows per student in the sample. */
	rowsPerStudent: number;
}

/** Below this share of a profile's fields, a match is more likely a coincidence. */
export const MATCH_THRESHOLD = 0.4;
/** And at least this many fields besides the student id must match. */
const MIN_FIELDS = 3;

/** The header spellings to try: as written, then without a unit in brackets ("Hours (per week)"). */
function keys(name: string): string[] {
	const full = normaliseName(name);
	const bare = normaliseName(name.replace(/\([^)]*\)|\[[^\]]*\]/g, ' '));
	return bare && bare !== full ? [full, bare] : [full];
}

function fieldMatches(field: FieldDef, name: string): boolean {
	return keys(name).some((k) => field.synonyms.includes(k));
}

/** Maps columns to a profile's fields; each field takes the first column that names it. */
function mapColumns(profile: ProfileDef, names: readonly string[]): Map<string, FieldDef> {
	const out = new Map<string, FieldDef>();
	const used = new Set<string>();
	// The canonical spelling wins over a synonym: "final_exam" beats "total" for final_exam.
	for (const pass of [true, false]) {
		for (const name of names) {
			if (out.has(name)) continue;
			for (const f of profile.fields) {
				if (used.has(f.canonical)) continue;
				const exact = keys(name).includes(normaliseName(f.canonical));
				if (pass ? exact : fieldMatches(f, name)) {
					out.set(name, f);
					used.add(f.canonical);
					break;
				}
			}
		}
	}
	return out;
}

/**
 * The profile whose fields the header covers best, or null when none reaches the threshold.
 * `names` are the safe column names (see headers.ts), which is what the mapping is keyed by.
 */
export function matchProfile(names: readonly string[]): ProfileMatch | null {
	let best: ProfileMatch | null = null;
	let bestFound = 0;
	for (const p of PROFILES) {
		const mapped = mapColumns(p, names);
		const found = mapped.size;
		const nonId = [...mapped.values()].filter((f) => f.canonical !== 'student_id').length;
		const score = found / p.fields.length;
		if (score < MATCH_THRESHOLD || nonId < Math.min(MIN_FIELDS, p.fields.length - 1)) continue;
		if (best && (score < best.score || (score === best.score && found <= bestFound))) continue;
		const canon = new Set([...mapped.values()].map((f) => f.canonical));
		const target = [...mapped].find(([, f]) => f.canonical === p.target)?.[0] ?? null;
		best = {
			profile: p.id,
			label: p.label,
			score,
			mapping: Object.fromEntries([...mapped].map(([name, f]) => [name, f.canonical])),
			missing: p.fields.map((f) => f.canonical).filter((c) => !canon.has(c)),
			target
		};
		bestFound = found;
	}
	return best;
}

export function getProfile(id: ProfileId): ProfileDef {
	const p = PROFILES.find((q) => q.id === id);
	if (!p) throw new RangeError(`Unknown profile "${id}".`);
	return p;
}

export function fieldOf(match: ProfileMatch, column: string): FieldDef | undefined {
	const canonical = Object.prototype.hasOwnProperty.call(match.mapping, column)
		? match.mapping[column]
		: undefined;
	if (canonical === undefined) return undefined;
	return getProfile(match.profile).fields.find((f) => f.canonical === canonical);
}

/** The first scale that fits the sample's largest value; a sample with no numbers takes the first. */
export function chooseScale(
	scales: readonly ScaleDef[] | undefined,
	sampleMax: number | undefined
): { min?: number; max?: number; label: string } | undefined {
	if (!scales || scales.length === 0) return undefined;
	const s =
		sampleMax === undefined || !Number.isFinite(sampleMax)
			? scales[0]
			: (scales.find((x) => x.upTo === undefined || sampleMax <= x.upTo) ?? scales[0]);
	const out: { min?: number; max?: number; label: string } = { label: s.label };
	if (s.min !== undefined) out.min = s.min;
	if (s.max !== undefined) out.max = s.max;
	return out;
}

/** A plausible range from the name alone, for columns no profile claimed: "% present", "score_pct". */
export function rangeFromName(
	name: string
): { min: number; max: number; label: string } | undefined {
	const k = normaliseName(name);
	if (/(pct|percent|percentage)/.test(k)) return { min: 0, max: 100, label: 'percent (0–100)' };
	return undefined;
}

/**
 * The role a column gets when no profile field says otherwise: identifiers identify, dates are
 * time, free text is ignored (it cannot feed a model and may hold names), gender and the like
 * are sensitive wherever they appear, the rest are features.
 */
export function roleForType(type: ColumnType, name: string): ColumnRole {
	if (type === 'identifier') return 'id';
	if (type === 'datetime') return 'time';
	if (type === 'text') return 'ignore';
	if (keys(name).some((k) => ALWAYS_SENSITIVE.has(k))) return 'sensitive';
	return 'feature';
}

const KEY_NAMES = new Set([
	'semester',
	'term',
	'sem',
	'period',
	'session',
	'academicyear',
	'academicterm',
	'year',
	'subject',
	'course',
	'module',
	'unit',
	'coursename',
	'coursecode',
	'subjectname',
	'class'
]);

/**
 * Long format: an identifier whose values repeat, beside term and/or subject columns (one row per
 * student × term × subject). An id that repeats without such keys is an event log, not long
 * format. `columns` carries the sample's values per column.
 */
export function detectLongFormat(
	columns: readonly {
		name: string;
		type: ColumnType;
		role: ColumnRole;
		values: readonly string[];
	}[]
): LongFormatInfo | null {
	const idCol = columns.find(
		(c) => c.type === 'identifier' && (c.role === 'id' || c.role === 'group')
	);
	if (!idCol) return null;
	const present = idCol.values.map((v) => v.trim()).filter((v) => v !== '');
	if (present.length === 0) return null;
	const distinct = new Set(present).size;
	const rowsPerStudent = present.length / distinct;
	if (rowsPerStudent < 1.2) return null;
	const keyColumns = columns
		.filter((c) => c !== idCol && keys(c.name).some((k) => KEY_NAMES.has(k)))
		.map((c) => c.name);
	if (keyColumns.length === 0) return null;
	return { idColumn: idCol.name, keyColumns, rowsPerStudent };
}
