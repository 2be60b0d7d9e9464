/**
 * The prediction log: one entry per prediction made (a what-if or one student's score) or per
 * batch scored, with the model version, what went in and came out, and how long it took. It is
 * the audit trail a school may ask for ("what did the tool say about this student, when, with
 * which model?"). Entries name the student, so they never leave the device as they are: the
 * CSV export replaces identifiers with keyed pseudonyms (pseudonym.ts) and leaves the inputs out
 * unless asked, and every cell is made formula-safe for spreadsheets.
 */
import { formatDateTime, formatNumber, neutraliseFormula, quoteField } from '../data/csv-write';
import { pseudonymiser } from './pseudonym';
import type { ClasslensDB } from './schema';
import { appError, toReadException, toStorageException } from './storage-errors';
import type { PredictionLogEntry } from './types';

export type NewPredictionLogEntry = Omit<PredictionLogEntry, 'id' | 'at'> & { at?: number };

export interface PredictionLogFilter {
	modelId?: string;
	kind?: 'single' | 'batch';
	/** From this time on (ms since epoch, inclusive). */
	from?: number;
	/** Before this time (ms since epoch, exclusive). */
	to?: number;
}

export interface PredictionLogPage extends PredictionLogFilter {
	/** Default 50. */
	limit?: number;
	offset?: number;
}

function invalid(message: string, field: string): never {
	throw appError('prediction-log-invalid', message, { field });
}

/** Records one prediction; returns its id. */
export async function logPrediction(
	db: ClasslensDB,
	entry: NewPredictionLogEntry
): Promise<number> {
	if (entry.kind !== 'single' && entry.kind !== 'batch')
		invalid('Unknown prediction kind.', 'kind');
	if (typeof entry.modelId !== 'string' || entry.modelId === '') {
		invalid('A logged prediction needs its model.', 'modelId');
	}
	const latencyMs = Number.isFinite(entry.latencyMs) ? Math.max(0, entry.latencyMs) : 0;
	const rec: PredictionLogEntry = {
		...entry,
		// A batch is about many students, never one; its inputs are the dataset's rows.
		studentId: entry.kind === 'batch' ? null : entry.studentId,
		input: entry.kind === 'batch' ? null : entry.input,
		latencyMs,
		at: entry.at ?? Date.now()
	};
	try {
		return await db.predictionLog.add(rec);
	} catch (e) {
		throw toStorageException(e);
	}
}

/** The filtered collection, newest first. */
function collection(db: ClasslensDB, f: PredictionLogFilter) {
	const from = f.from ?? -Infinity;
	const to = f.to ?? Infinity;
	const base =
		f.modelId !== undefined
			? db.predictionLog
					.where('[modelId+at]')
					.between([f.modelId, from], [f.modelId, to], true, false)
			: db.predictionLog.where('at').between(from, to, true, false);
	const kind = f.kind;
	const c = base.reverse();
	return kind === undefined ? c : c.filter((e) => e.kind === kind);
}

/** One page of entries, newest first. */
export async function listPredictionLog(
	db: ClasslensDB,
	opts: PredictionLogPage = {}
): Promise<PredictionLogEntry[]> {
	const limit = Math.max(0, Math.floor(opts.limit ?? 50));
	const offset = Math.max(0, Math.floor(opts.offset ?? 0));
	try {
		return await collection(db, opts).offset(offset).limit(limit).toArray();
	} catch (e) {
		throw toReadException(e);
	}
}

export async function countPredictionLog(
	db: ClasslensDB,
	filter: PredictionLogFilter = {}
): Promise<number> {
	try {
		return await collection(db, filter).count();
	} catch (e) {
		throw toReadException(e);
	}
}

/** Deletes every entry, or those before `before` (ms since epoch); returns how many went. */
export async function clearPredictionLog(
	db: ClasslensDB,
	opts: { before?: number } = {}
): Promise<number> {
	try {
		return await db.transaction('rw', db.predictionLog, async () => {
			if (opts.before === undefined) {
				const n = await db.predictionLog.count();
				await db.predictionLog.clear();
				return n;
			}
			return db.predictionLog.where('at').below(opts.before).delete();
		});
	} catch (e) {
		throw toStorageException(e);
	}
}

export const PREDICTION_LOG_COLUMNS = [
	'time',
	'model',
	'version',
	'kind',
	'student',
	'predicted',
	'value',
	'lower',
	'upper',
	'probabilities',
	'rows',
	'at_risk',
	'latency_ms'
] as const;

function text(s: string): string {
	return quoteField(neutraliseFormula(s));
}

function num(x: number | undefined): string {
	return x === undefined || !Number.isFinite(x) ? '' : formatNumber(x);
}

/** "pass: 0.8; fail: 0.2", in the stored order. */
function probaText(p: Record<string, number> | undefined): string {
	if (!p) return '';
	return Object.entries(p)
		.map(([k, v]) => `${k}: ${num(v)}`)
		.join('; ');
}

export interface ExportLogOptions {
	/**
	 * Add the feature values of single predictions as JSON (default false): with age, gender
	 * and the like, inputs can point to a student even under a pseudonym.
	 */
	includeInputs?: boolean;
}

/**
 * The matching entries as CSV (RFC 4180, CRLF, oldest first so the file reads as a diary).
 * Student identifiers become pseudonyms under `salt` (see pseudonym.ts); the clear identifier is
 * never written. Text cells that a spreadsheet would run as formulas are neutralised.
 */
export async function exportPredictionLog(
	db: ClasslensDB,
	filter: PredictionLogFilter,
	salt: string,
	opts: ExportLogOptions = {}
): Promise<string> {
	let entries: PredictionLogEntry[];
	try {
		entries = await collection(db, filter).toArray();
	} catch (e) {
		throw toReadException(e);
	}
	entries.reverse();
	const alias = pseudonymiser(salt);
	const header: string[] = [...PREDICTION_LOG_COLUMNS];
	if (opts.includeInputs) header.push('input');
	const lines = [header.join(',')];
	for (const e of entries) {
		const o = e.output;
		const single = 'rows' in o ? null : o;
		const batch = 'rows' in o ? o : null;
		const cells = [
			formatDateTime(e.at),
			text(e.modelName),
			String(e.modelVersion),
			e.kind,
			e.studentId === null ? '' : await alias(e.studentId),
			text(single?.predicted ?? ''),
			num(single?.value),
			num(single?.lower),
			num(single?.upper),
			text(probaText(single?.proba)),
			num(batch?.rows),
			num(batch?.atRisk),
			num(Math.round(e.latencyMs * 10) / 10)
		];
		if (opts.includeInputs) cells.push(e.input ? text(JSON.stringify(e.input)) : '');
		lines.push(cells.join(','));
	}
	return lines.join('\r\n') + '\r\n';
}
