/**
 * Study plans: a teacher's short plan for one student in one subject (what to work on, a note,
 * a link to material). They belong to a dataset's student like interventions do, and stay on
 * the device.
 */
import type { ClasslensDB } from './schema';
import { appError, newId, toReadException, toStorageException } from './storage-errors';
import type { StudyPlanRecord } from './types';

export type NewStudyPlan = Pick<StudyPlanRecord, 'datasetId' | 'studentId' | 'title'> &
	Partial<Pick<StudyPlanRecord, 'subject' | 'note' | 'link'>>;

export type StudyPlanChanges = Partial<
	Pick<StudyPlanRecord, 'subject' | 'title' | 'note' | 'link'>
>;

export const MAX_PLAN_TITLE_LENGTH = 200;
export const MAX_PLAN_LINK_LENGTH = 2000;

function invalid(message: string, field: string): never {
	throw appError('study-plan-invalid', message, { field });
}

/**
 * Only http(s) addresses: a link is rendered as an anchor, and `javascript:` or `data:` in a
 * href would run code or show content that is not what the teacher typed.
 */
export function cleanLink(link: string | null | undefined): string | null {
	const s = (link ?? '').trim();
	if (s === '') return null;
	let url: URL;
	try {
		url = new URL(s);
	} catch {
		invalid(`"${s}" is not a web address. Start it with https://`, 'link');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		invalid('A link must be a web address starting with https:// or http://', 'link');
	}
	if (url.username || url.password) {
		invalid('A link must not contain a user name or password.', 'link');
	}
	if (url.href.length > MAX_PLAN_LINK_LENGTH) {
		invalid(`A link can be at most ${MAX_PLAN_LINK_LENGTH} characters long.`, 'link');
	}
	return url.href;
}

function cleanTitle(title: string): string {
	const t = title.replace(/\s+/g, ' ').trim();
	if (t === '') invalid('A plan needs a title. Type a few words.', 'title');
	if (t.length > MAX_PLAN_TITLE_LENGTH) {
		invalid(`A title can be at most ${MAX_PLAN_TITLE_LENGTH} characters long.`, 'title');
	}
	return t;
}

function planNotFound(id: string) {
	return appError(
		'study-plan-not-found',
		'This plan is no longer on this device. It may have been deleted in another tab.',
		{ id }
	);
}

export async function addStudyPlan(db: ClasslensDB, plan: NewStudyPlan): Promise<StudyPlanRecord> {
	if (!plan.datasetId) invalid('No dataset given.', 'datasetId');
	if (!plan.studentId || plan.studentId.trim() === '') invalid('No student given.', 'studentId');
	const now = Date.now();
	const rec: StudyPlanRecord = {
		id: newId(),
		datasetId: plan.datasetId,
		studentId: plan.studentId.trim(),
		subject: (plan.subject ?? '').trim(),
		title: cleanTitle(plan.title),
		note: plan.note ?? '',
		link: cleanLink(plan.link),
		createdAt: now,
		updatedAt: now
	};
	try {
		await db.studyPlans.add(rec);
		return rec;
	} catch (e) {
		throw toStorageException(e);
	}
}

/** A dataset's plans (or one student's), most recently changed first. */
export async function listStudyPlans(
	db: ClasslensDB,
	filter: { datasetId: string; studentId?: string }
): Promise<StudyPlanRecord[]> {
	try {
		const rows =
			filter.studentId === undefined
				? await db.studyPlans.where('datasetId').equals(filter.datasetId).toArray()
				: await db.studyPlans
						.where('[datasetId+studentId]')
						.equals([filter.datasetId, filter.studentId])
						.toArray();
		return rows.sort((a, b) => b.updatedAt - a.updatedAt);
	} catch (e) {
		throw toReadException(e);
	}
}

export async function getStudyPlan(
	db: ClasslensDB,
	id: string
): Promise<StudyPlanRecord | undefined> {
	try {
		return await db.studyPlans.get(id);
	} catch (e) {
		throw toReadException(e);
	}
}

export async function updateStudyPlan(
	db: ClasslensDB,
	id: string,
	changes: StudyPlanChanges
): Promise<StudyPlanRecord> {
	const clean: StudyPlanChanges = {};
	if (changes.title !== undefined) clean.title = cleanTitle(changes.title);
	if (changes.subject !== undefined) clean.subject = changes.subject.trim();
	if (changes.note !== undefined) clean.note = changes.note;
	if (changes.link !== undefined) clean.link = cleanLink(changes.link);
	try {
		return await db.transaction('rw', db.studyPlans, async () => {
			const p = await db.studyPlans.get(id);
			if (!p) throw planNotFound(id);
			// Strictly later, so "most recently changed" orders edits made within one millisecond.
			const updated = { ...p, ...clean, updatedAt: Math.max(Date.now(), p.updatedAt + 1) };
			await db.studyPlans.put(updated);
			return updated;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

export async function deleteStudyPlan(db: ClasslensDB, id: string): Promise<void> {
	try {
		await db.studyPlans.delete(id);
	} catch (e) {
		throw toStorageException(e);
	}
}
