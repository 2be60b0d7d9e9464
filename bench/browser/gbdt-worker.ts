/**
 * Dedicated Web Worker entry for bench/gbdt-browser.mjs: trains on request and posts the figure
 * back (or the error text, so a failure shows up in the JSON instead of a hung page).
 */
import { runGbdtRegression } from './gbdt-run';

// The project compiles with the DOM lib, where `self` is a Window; in a worker it is the
// worker scope, whose postMessage takes no target origin.
const scope = self as unknown as {
	onmessage: ((e: MessageEvent<{ rows: number }>) => void) | null;
	postMessage(message: unknown): void;
};

scope.onmessage = (e) => {
	try {
		scope.postMessage({ ok: true, result: runGbdtRegression(e.data.rows) });
	} catch (err) {
		scope.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
	}
};
