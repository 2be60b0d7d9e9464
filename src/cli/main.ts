/**
 * The Classlens command line: `npm run cli -- <command> [options]`. `main` takes its arguments
 * and I/O as parameters and returns the exit code, so tests drive it in-process; only the block
 * at the bottom touches the real process.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { AppException } from '../lib/errors';
import {
	EXIT_FAILURE,
	EXIT_OK,
	EXIT_USAGE,
	INVOCATION,
	table,
	UsageError,
	type CliIo
} from './command';
import { COMMANDS, findCommand } from './commands';

export const USAGE = `Classlens — class analytics that run on your own machine. No student data leaves it.

Usage: ${INVOCATION} <command> [options]

Commands:
${table([...COMMANDS.map((c): [string, string] => [c.name, c.summary]), ['help [command]', 'Show help, for one command or all']])}

Options:
${table([['-h, --help', 'Show this help']])}

Run '${INVOCATION} <command> --help' for a command's options.
`;

const commandNames = (): string => COMMANDS.map((c) => c.name).join(', ');

function usageFailure(io: CliIo, message: string): number {
	io.stderr(`${message}\n`);
	return EXIT_USAGE;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
	const [first, ...rest] = argv;
	if (first === undefined || first === '--help' || first === '-h') {
		io.stdout(USAGE);
		return EXIT_OK;
	}
	if (first === 'help') {
		if (rest.length === 0) {
			io.stdout(USAGE);
			return EXIT_OK;
		}
		const target = findCommand(rest[0]);
		if (!target) {
			return usageFailure(io, `Unknown command '${rest[0]}'. Commands: ${commandNames()}.`);
		}
		io.stdout(target.help);
		return EXIT_OK;
	}
	if (first.startsWith('-')) {
		return usageFailure(
			io,
			`Unknown option '${first}'. Put options after a command; run '${INVOCATION} --help'.`
		);
	}
	const command = findCommand(first);
	if (!command) {
		return usageFailure(
			io,
			`Unknown command '${first}'. Commands: ${commandNames()}. Run '${INVOCATION} --help'.`
		);
	}
	try {
		return await command.run(rest, io);
	} catch (e) {
		if (e instanceof UsageError) return usageFailure(io, e.message);
		if (e instanceof AppException) {
			io.stderr(`${e.appError.message}\n`);
			return EXIT_FAILURE;
		}
		io.stderr(`${command.name} failed: ${e instanceof Error ? e.message : String(e)}\n`);
		return EXIT_FAILURE;
	}
}

function isEntryPoint(): boolean {
	const script = process.argv[1];
	if (!script) return false;
	try {
		return import.meta.url === pathToFileURL(realpathSync(script)).href;
	} catch {
		return false;
	}
}

if (isEntryPoint()) {
	// `… | head` closes the pipe early; that is the reader's choice, not an error.
	process.stdout.on('error', (e: NodeJS.ErrnoException) => {
		if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
		throw e;
	});
	const io: CliIo = {
		stdout: (text) => void process.stdout.write(text),
		stderr: (text) => void process.stderr.write(text),
		stderrIsTTY: process.stderr.isTTY === true
	};
	main(process.argv.slice(2), io).then(
		(code) => {
			process.exitCode = code;
		},
		(e: unknown) => {
			process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
			process.exitCode = EXIT_FAILURE;
		}
	);
}
