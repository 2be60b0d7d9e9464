/**
 * Interventions: a teacher's note that they did something for a student (a meeting, tutoring,
 * contacting parents), kept to compare outcomes later. Identifiers stay on the device.
 */
import type { ClasslensDB } from './schema';
import { appError, newId, toReadException, toStorageException } from './storage-errors';
import type { InterventionRecord } from './types';

export type NewIntervention = Pick<InterventionRecord, 'datasetId' | 'studentId' | 'type'> &
	Partial<Pick<InterventionRecord, 'date' | 'note'>>;

export type InterventionChanges = Partial<Pick<InterventionRecord, 'type' | 'date' | 'note'>>;

function invalid(message: string, field: string): never {
	throw appError('intervention-invalid', message, { field });
}

function cleanType(type: string): string {
	const t = type.trim();
	if (t === '') invalid('Say what was done (for example "meeting").', 'type');
	return t;
}

function cleanDate(date: number): number {
	if (!Number.isFinite(date)) invalid('The date is not a valid date.', 'date');
	return date;
}

export async function addIntervention(
	db: ClasslensDB,
	rec: NewIntervention
): Promise<InterventionRecord> {
	if (!rec.datasetId) invalid('No dataset given.', 'datasetId');
	if (!rec.studentId || rec.studentId.trim() === '') invalid('No student given.', 'studentId');
	const now = Date.now();
	const out: InterventionRecord = {
		id: newId(),
		datasetId: rec.datasetId,
		studentId: rec.studentId.trim(),
		type: cleanType(rec.type),
		date: cleanDate(rec.date ?? now),
		note: rec.note ?? '',
		createdAt: now
	};
	try {
		await db.interventions.add(out);
		return out;
	} catch (e) {
		throw toStorageException(e);
	}
}

/** A dataset's interventions (or one student's), most recent first. */
export async function listInterventions(
	db: ClasslensDB,
	filter: { datasetId: string; studentId?: string }
): Promise<InterventionRecord[]> {
	try {
		const rows =
			filter.studentId === undefined
				? await db.interventions.where('datasetId').equals(filter.datasetId).toArray()
				: await db.interventions
						.where('[datasetId+studentId]')
						.equals([filter.datasetId, filter.studentId])
						.toArray();
		return rows.sort((a, b) => b.date - a.date || b.createdAt - a.createdAt);
	} catch (e) {
		throw toReadException(e);
	}
}

export async function updateIntervention(
	db: ClasslensDB,
	id: string,
	changes: InterventionChanges
): Promise<InterventionRecord> {
	const clean: InterventionChanges = {};
	if (changes.type !== undefined) clean.type = cleanType(changes.type);
	if (changes.date !== undefined) clean.date = cleanDate(changes.date);
	if (changes.note !== undefined) clean.note = changes.note;
	try {
		return await db.transaction('rw', db.interventions, async () => {
			const r = await db.interventions.get(id);
			if (!r) {
				throw appError(
					'intervention-not-found',
					'This note is no longer on this device. It may have been deleted in another tab.',
					{ id }
				);
			}
			const updated = { ...r, ...clean };
			await db.interventions.put(updated);
			return updated;
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

export async function deleteIntervention(db: ClasslensDB, id: string): Promise<void> {
	try {
		await db.interventions.delete(id);
	} catch (e) {
		throw toStorageException(e);
	}
}
