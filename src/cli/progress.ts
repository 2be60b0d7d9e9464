/**
 * Progress on one terminal line: redrawn in place with a carriage return, at most ten times a
 * second, and only when stderr is a terminal. Redirected output stays clean text.
 */
import type { Progress, ProgressFn } from '../lib/ml/progress';
import type { CliIo } from './command';

export interface TerminalProgress {
	/** Undefined when stderr is not a terminal, so callers skip progress work entirely. */
	report: ProgressFn | undefined;
	/** Erases the line so the next output starts clean. */
	done(): void;
}

const MIN_INTERVAL_MS = 100;

export function terminalProgress(io: CliIo): TerminalProgress {
	if (!io.stderrIsTTY) return { report: undefined, done: () => {} };
	let last = 0;
	let drawn = false;
	return {
		report(p: Progress) {
			const now = Date.now();
			if (now - last < MIN_INTERVAL_MS && p.fraction < 1) return;
			last = now;
			drawn = true;
			const pct = Math.round(Math.min(1, Math.max(0, p.fraction)) * 100);
			io.stderr(`\r\x1b[2K${p.phase} (${pct}%)`);
		},
		done() {
			if (drawn) io.stderr('\r\x1b[2K');
			drawn = false;
		}
	};
}
