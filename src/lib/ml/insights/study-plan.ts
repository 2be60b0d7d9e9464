/**
 * Study plans: suggested entries from weak subjects and recommendations, which the teacher
 * edits before sharing, and the check every edited entry passes. Links are the one risky part:
 * only http(s), so a "javascript:" or "data:" link can never reach a page that renders it.
 */
import { formatNumber } from './template';
import type { FieldError, Recommendation, StudyPlanEntry, SubjectStanding } from './types';

export const STUDY_PLAN_LIMITS = {
	subject: 80,
	title: 120,
	note: 1000,
	link: 2000,
	/** Entries suggestStudyPlan proposes at most. */
	entries: 8
} as const;

/** The subject of entries that are not about one subject. */
export const GENERAL_SUBJECT = 'General';

/** The default wording of a weak-subject entry; the teacher edits the result, not this. */
export function weakSubjectEntry(s: SubjectStanding): StudyPlanEntry {
	return {
		subject: s.subject,
		title: `Catch up in ${s.subject}`,
		note:
			`Mark ${formatNumber(s.mark)} against a class average of ${formatNumber(s.classMean)}. ` +
			`Go back over the topics of the latest tests in ${s.subject}, practise a few questions ` +
			'each week and bring them for feedback.'
	};
}

/**
 * Suggested entries: one per weak subject (weakest first), then one per recommendation (most
 * urgent first), without repeats, at most `max`.
 */
export function suggestStudyPlan(
	weakSubjects: readonly SubjectStanding[],
	recommendations: readonly Recommendation[],
	max: number = STUDY_PLAN_LIMITS.entries
): StudyPlanEntry[] {
	const out: StudyPlanEntry[] = [];
	const seen = new Set<string>();
	const add = (e: StudyPlanEntry) => {
		const key = `${e.subject}\u0000${e.title}`.toLowerCase();
		if (seen.has(key) || out.length >= max) return;
		seen.add(key);
		out.push(e);
	};
	[...weakSubjects]
		.filter((s) => s.weak)
		.sort((a, b) => a.z - b.z)
		.forEach((s) => add(weakSubjectEntry(s)));
	for (const r of recommendations) {
		add({ subject: GENERAL_SUBJECT, title: r.title, note: r.action });
	}
	return out;
}

export type StudyPlanEntryResult =
	{ ok: true; entry: StudyPlanEntry } | { ok: false; errors: FieldError[] };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The link as stored (the URL's normalised form), or an error message. */
function checkLink(raw: string): { href: string } | { error: string } {
	if (raw.length > STUDY_PLAN_LIMITS.link) {
		return { error: `The link must be at most ${STUDY_PLAN_LIMITS.link} characters.` };
	}
	if (/\s/.test(raw) || CONTROL.test(raw)) return { error: 'The link must not contain spaces.' };
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return { error: 'The link must be a full web address starting with https:// or http://.' };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return {
			error: 'The link must start with https:// or http:// (other kinds of link are not allowed).'
		};
	}
	if (!url.hostname) return { error: 'The link must name a website.' };
	if (url.username || url.password) {
		return { error: 'The link must not contain a user name or password.' };
	}
	return { href: url.href };
}

/** An entry from the editor: trimmed, within limits, with a safe link (or none). */
export function validateStudyPlanEntry(x: unknown): StudyPlanEntryResult {
	const errors: FieldError[] = [];
	if (typeof x !== 'object' || x === null || Array.isArray(x)) {
		return { ok: false, errors: [{ path: '', message: 'This is not a study plan entry.' }] };
	}
	const o = x as Record<string, unknown>;
	const field = (k: string): unknown =>
		Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
	const str = (k: string, label: string, max: number, required: boolean): string => {
		const v = field(k);
		if (v === undefined || v === null) {
			if (required) errors.push({ path: k, message: `${label} is required.` });
			return '';
		}
		if (typeof v !== 'string') {
			errors.push({ path: k, message: `${label} must be text.` });
			return '';
		}
		const t = v.trim();
		if (required && t === '') errors.push({ path: k, message: `${label} is required.` });
		else if (t.length > max) {
			errors.push({ path: k, message: `${label} must be at most ${max} characters.` });
		}
		return t;
	};
	const subject =
		str('subject', 'The subject', STUDY_PLAN_LIMITS.subject, false) || GENERAL_SUBJECT;
	const title = str('title', 'The title', STUDY_PLAN_LIMITS.title, true);
	const note = str('note', 'The note', STUDY_PLAN_LIMITS.note, false);
	const rawLink = str('link', 'The link', STUDY_PLAN_LIMITS.link, false);
	let link: string | undefined;
	if (rawLink) {
		const checked = checkLink(rawLink);
		if ('error' in checked) errors.push({ path: 'link', message: checked.error });
		else link = checked.href;
	}
	if (errors.length) return { ok: false, errors };
	const entry: StudyPlanEntry = { subject, title, note };
	if (link !== undefined) entry.link = link;
	return { ok: true, entry };
}
