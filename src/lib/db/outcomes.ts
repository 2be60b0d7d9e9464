/**
 * The outcomes feedback loop's storage: students' actual results (`actuals`) and the checks of
 * a model's predictions against them (`outcomeChecks`). A batch of results and its event-log
 * entry are written in one transaction, so an upload is all-or-nothing. Event summaries hold
 * counts and names only, never student identifiers.
 */
import type { NewAuditEvent } from './audit';
import { MAX_SUMMARY_LENGTH } from './audit';
import type { ClasslensDB } from './schema';
import { appError, newId, toReadException, toStorageException } from './storage-errors';
import type { ActualRecord, AuditEvent, OutcomeCheckRecord } from './types';

export type NewActual = Omit<ActualRecord, 'at' | 'source'> &
	Partial<Pick<ActualRecord, 'at' | 'source'>>;

function checkActual(a: NewActual): void {
	const bad = (field: string, message: string) => {
		throw appError('actual-invalid', message, { field });
	};
	if (typeof a.datasetId !== 'string' || a.datasetId === '') bad('datasetId', 'No dataset given.');
	if (typeof a.studentId !== 'string' || a.studentId.trim() === '') {
		bad('studentId', 'A result needs the student it belongs to.');
	}
	if (typeof a.target !== 'string' || a.target === '') bad('target', 'No target given.');
	if (typeof a.value === 'number' ? !Number.isFinite(a.value) : typeof a.value !== 'string') {
		bad('value', 'A result must be a number or a label.');
	}
	if (typeof a.value === 'string' && a.value.trim() === '') {
		bad('value', 'The result is empty. Delete it instead.');
	}
}

function toRecord(a: NewActual, at: number): ActualRecord {
	return {
		datasetId: a.datasetId,
		studentId: a.studentId.trim(),
		target: a.target,
		value: typeof a.value === 'string' ? a.value.trim() : a.value,
		source: a.source ?? 'edit',
		at: a.at ?? at
	};
}

function eventRecord(e: NewAuditEvent): AuditEvent {
	const summary =
		e.summary.length > MAX_SUMMARY_LENGTH
			? `${e.summary.slice(0, MAX_SUMMARY_LENGTH - 1)}…`
			: e.summary;
	return { ...e, summary, at: e.at ?? Date.now() };
}

/** Enters (or corrects) one student's actual result. */
export async function setActual(db: ClasslensDB, actual: NewActual): Promise<ActualRecord> {
	checkActual(actual);
	const rec = toRecord(actual, Date.now());
	try {
		await db.actuals.put(rec);
		return rec;
	} catch (e) {
		throw toStorageException(e);
	}
}

/**
 * Writes many results and, when given, the event describing them, in one transaction: either
 * all are stored or none. Existing results for the same student and target are replaced.
 */
export async function saveActuals(
	db: ClasslensDB,
	actuals: NewActual[],
	event?: NewAuditEvent
): Promise<number> {
	actuals.forEach(checkActual);
	const now = Date.now();
	const recs = actuals.map((a) => toRecord(a, now));
	try {
		await db.transaction('rw', [db.actuals, db.audit], async () => {
			await db.actuals.bulkPut(recs);
			if (event) await db.audit.add(eventRecord(event));
		});
		return recs.length;
	} catch (e) {
		throw toStorageException(e);
	}
}

/** Results for a dataset (optionally one target and/or one student), in key order. */
export async function listActuals(
	db: ClasslensDB,
	filter: { datasetId: string; target?: string; studentId?: string }
): Promise<ActualRecord[]> {
	const { datasetId, target, studentId } = filter;
	try {
		if (target !== undefined && studentId !== undefined) {
			const one = await db.actuals.get([datasetId, studentId, target]);
			return one ? [one] : [];
		}
		if (target !== undefined) {
			return await db.actuals.where('[datasetId+target]').equals([datasetId, target]).toArray();
		}
		const all = await db.actuals.where('datasetId').equals(datasetId).toArray();
		return studentId === undefined ? all : all.filter((a) => a.studentId === studentId);
	} catch (e) {
		throw toReadException(e);
	}
}

export async function deleteActual(
	db: ClasslensDB,
	datasetId: string,
	studentId: string,
	target: string
): Promise<void> {
	try {
		await db.actuals.delete([datasetId, studentId, target]);
	} catch (e) {
		throw toStorageException(e);
	}
}

export type NewOutcomeCheck = Omit<OutcomeCheckRecord, 'id' | 'at'> & { at?: number };

/** Stores a check, and the event describing it when given, in one transaction. */
export async function saveOutcomeCheck(
	db: ClasslensDB,
	check: NewOutcomeCheck,
	event?: NewAuditEvent
): Promise<OutcomeCheckRecord> {
	const rec: OutcomeCheckRecord = { ...check, id: newId(), at: check.at ?? Date.now() };
	try {
		await db.transaction('rw', [db.outcomeChecks, db.audit], async () => {
			await db.outcomeChecks.add(rec);
			if (event) await db.audit.add(eventRecord({ ...event, at: event.at ?? rec.at }));
		});
		return rec;
	} catch (e) {
		throw toStorageException(e);
	}
}

/** Checks of some models (e.g. every version for one target), oldest first. */
export async function listOutcomeChecks(
	db: ClasslensDB,
	filter: { modelIds?: string[] } = {}
): Promise<OutcomeCheckRecord[]> {
	try {
		const rows =
			filter.modelIds === undefined
				? await db.outcomeChecks.orderBy('at').toArray()
				: await db.outcomeChecks.where('modelId').anyOf(filter.modelIds).toArray();
		return rows.sort((a, b) => a.at - b.at);
	} catch (e) {
		throw toReadException(e);
	}
}

export async function deleteOutcomeCheck(db: ClasslensDB, id: string): Promise<void> {
	try {
		await db.outcomeChecks.delete(id);
	} catch (e) {
		throw toStorageException(e);
	}
}
