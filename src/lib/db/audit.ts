/**
 * The audit log shown on /monitor: what was imported, trained, exported or deleted, and when.
 * Summaries are written by our own code from counts and names of datasets/models; they must
 * never include student identifiers or cell values (DESIGN.md, privacy by default).
 */
import type { ClasslensDB } from './schema';
import { toReadException, toStorageException } from './storage-errors';
import type { AuditEvent } from './types';

/** Long enough for any sentence we write; a cap so a bug cannot dump a table into the log. */
export const MAX_SUMMARY_LENGTH = 500;

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'> & { at?: number };

/** Records an event; returns its id. */
export async function logEvent(db: ClasslensDB, event: NewAuditEvent): Promise<number> {
	const summary =
		event.summary.length > MAX_SUMMARY_LENGTH
			? `${event.summary.slice(0, MAX_SUMMARY_LENGTH - 1)}…`
			: event.summary;
	try {
		return await db.audit.add({ ...event, summary, at: event.at ?? Date.now() });
	} catch (e) {
		throw toStorageException(e);
	}
}

/** Newest first. */
export async function listEvents(
	db: ClasslensDB,
	opts: { limit?: number; type?: string } = {}
): Promise<AuditEvent[]> {
	const limit = opts.limit ?? 100;
	try {
		const collection =
			opts.type === undefined
				? db.audit.orderBy('at')
				: db.audit.where('[type+at]').between([opts.type, -Infinity], [opts.type, Infinity]);
		return await collection.reverse().limit(limit).toArray();
	} catch (e) {
		throw toReadException(e);
	}
}

/** Deletes all events, or only those before `before` (ms since epoch). */
export async function clearEvents(db: ClasslensDB, opts: { before?: number } = {}): Promise<void> {
	try {
		if (opts.before === undefined) await db.audit.clear();
		else await db.audit.where('at').below(opts.before).delete();
	} catch (e) {
		throw toStorageException(e);
	}
}
