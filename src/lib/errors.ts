/**
 * Errors are values the UI can show. `message` is written for a teacher; `details` carries
 * what a developer needs (file, row, column, the underlying exception's text).
 */
export interface AppError {
	code: string;
	message: string;
	details?: Record<string, string | number | boolean | null>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(
	code: string,
	message: string,
	details?: AppError['details']
): Result<T> => ({ ok: false, error: { code, message, details } });

/** An exception that carries an AppError across `throw` (and across comlink, see worker/). */
export class AppException extends Error {
	readonly appError: AppError;
	constructor(error: AppError) {
		super(error.message);
		this.name = 'AppException';
		this.appError = error;
	}
}

export function isAppError(x: unknown): x is AppError {
	return (
		typeof x === 'object' &&
		x !== null &&
		typeof (x as AppError).code === 'string' &&
		typeof (x as AppError).message === 'string'
	);
}

/** Normalises anything thrown into an AppError, without losing the original text. */
export function toAppError(e: unknown, fallbackCode = 'unexpected'): AppError {
	if (e instanceof AppException) return e.appError;
	if (isAppError(e)) return e;
	if (e instanceof DOMException && e.name === 'AbortError') {
		return { code: 'cancelled', message: 'The task was cancelled.' };
	}
	const name = e instanceof Error ? e.name : typeof e;
	const text = e instanceof Error ? e.message : String(e);
	return {
		code: fallbackCode,
		message: 'Something went wrong. Nothing was changed.',
		details: { name, error: text }
	};
}

/** The form field an error names in its details (`details.field`), or `fallback`. */
export function errorField(e: AppError, fallback = 'form'): string {
	return typeof e.details?.field === 'string' ? e.details.field : fallback;
}
