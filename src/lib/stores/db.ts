import { openDb, type ClasslensDB } from '$lib/db';

/** The main thread's handle on the database (the worker opens its own). */
export function db(): ClasslensDB {
	return openDb();
}
