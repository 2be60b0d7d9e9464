/** Runs the CLI in-process with captured output, for the CLI tests. */
import type { CliIo } from '../../../src/cli/command';
import { main } from '../../../src/cli/main';

export interface Run {
	code: number;
	out: string;
	err: string;
}

/** A runner whose commands resolve relative paths against `cwd`. */
export function cliRunner(cwd: string): (...argv: string[]) => Promise<Run> {
	return async (...argv) => {
		let out = '';
		let err = '';
		const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd };
		return { code: await main(argv, io), out, err };
	};
}

/** The --json contract: the last line printed is one JSON object. */
export function lastJson<T>(out: string): T {
	const lines = out.trimEnd().split('\n');
	return JSON.parse(lines[lines.length - 1]) as T;
}
