/**
 * Turning IndexedDB / Dexie failures into errors a teacher can act on. Browsers report a full
 * disk in several guises: a DOMException named QuotaExceededError, Firefox's
 * NS_ERROR_DOM_QUOTA_REACHED, Dexie's QuotaExceededError wrapper, an AbortError whose `inner`
 * is the quota error (the transaction aborted because a request failed), or a BulkError whose
 * `failures` hold it. We look through all of them so "out of space" is never shown as a
 * generic failure.
 */
import { AppException, type AppError } from '$lib/errors';
import { CancelledError } from '$lib/ml/progress';

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);

export function isQuotaError(e: unknown, depth = 0): boolean {
	if (depth > 5 || typeof e !== 'object' || e === null) return false;
	const x = e as { name?: unknown; code?: unknown; inner?: unknown; cause?: unknown };
	if (typeof x.name === 'string' && QUOTA_NAMES.has(x.name)) return true;
	// Legacy DOMException code for QUOTA_EXCEEDED_ERR (old Safari sets only this).
	if (e instanceof DOMException && x.code === 22) return true;
	if (isQuotaError(x.inner, depth + 1) || isQuotaError(x.cause, depth + 1)) return true;
	const failures = (e as { failures?: unknown }).failures;
	if (Array.isArray(failures)) return failures.some((f) => isQuotaError(f, depth + 1));
	return false;
}

function errorName(e: unknown): string {
	const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
	return typeof name === 'string' ? name : typeof e;
}

function errorText(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

export const STORAGE_FULL_MESSAGE =
	'Your device is out of storage space for Classlens. Nothing was saved; your earlier data is safe. Free some space or delete old datasets, then try again.';

/**
 * Maps anything thrown by a write into an AppException (or rethrows cancellation untouched, so
 * the worker reports "cancelled" rather than a storage problem). Call only after the failed
 * transaction has rolled back, so "nothing was saved" is true.
 */
export function toStorageException(e: unknown): AppException | CancelledError {
	if (e instanceof AppException || e instanceof CancelledError) return e;
	const details = { name: errorName(e), error: errorText(e) };
	if (isQuotaError(e)) {
		return new AppException({ code: 'storage-full', message: STORAGE_FULL_MESSAGE, details });
	}
	const name = details.name;
	if (name === 'MissingAPIError' || name === 'InvalidAccessError') {
		return new AppException({
			code: 'storage-unavailable',
			message:
				'This browser is not letting Classlens store data on this device (private browsing can do this). Nothing was saved.',
			details
		});
	}
	if (name === 'VersionError' || name === 'DatabaseClosedError') {
		return new AppException({
			code: 'storage-outdated',
			message:
				'Classlens was updated in another tab or window. Reload this page to continue; your data is safe.',
			details
		});
	}
	return new AppException({
		code: 'storage-failed',
		message:
			"Classlens could not save to this device's storage. Nothing was saved; your earlier data is safe. Please try again.",
		details
	});
}

/** For failed reads: nothing was written, so the message is about retrying, not data loss. */
export function toReadException(e: unknown): AppException | CancelledError {
	if (e instanceof AppException || e instanceof CancelledError) return e;
	const mapped = toStorageException(e);
	if (mapped instanceof AppException && mapped.appError.code === 'storage-failed') {
		return new AppException({
			code: 'storage-read-failed',
			message:
				"Classlens could not read from this device's storage. Reload the page and try again.",
			details: mapped.appError.details
		});
	}
	return mapped;
}

export function appError(
	code: string,
	message: string,
	details?: AppError['details']
): AppException {
	return new AppException({ code, message, details });
}

export function datasetNotFound(id: string): AppException {
	return appError(
		'dataset-not-found',
		'This dataset is no longer on this device. It may have been deleted in another tab.',
		{ datasetId: id }
	);
}

export function datasetCorrupt(id: string, what: string): AppException {
	return appError(
		'dataset-corrupt',
		'Part of this dataset is missing or damaged in the device storage. Import the file again to repair it.',
		{ datasetId: id, problem: what }
	);
}

export function columnNotFound(name: string): AppException {
	return appError('column-not-found', `The dataset has no column called "${name}".`, {
		column: name
	});
}

/**
 * Random ids for records. randomUUID only exists in secure contexts; a dev server reached over
 * plain http on the LAN is not one, so fall back to getRandomValues, which is always there.
 */
export function newId(): string {
	const c = globalThis.crypto;
	if (typeof c.randomUUID === 'function') return c.randomUUID();
	const b = c.getRandomValues(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
