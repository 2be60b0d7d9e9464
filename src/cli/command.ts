/**
 * What every CLI command shares: the I/O it is given (so tests can capture output without a
 * child process), exit codes, and one way to turn node:util parseArgs failures into usage errors.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Bad command line: unknown command or option, missing or invalid value. */
export const EXIT_USAGE = 2;

export const INVOCATION = 'npm run cli --';

export interface CliIo {
	stdout: (text: string) => void;
	stderr: (text: string) => void;
	/** Relative output paths resolve against this (default: the process's working directory). */
	cwd?: string;
	/**
	 * True when stderr is a terminal. Progress lines are drawn only then, so logs and pipes (and
	 * tests) never collect carriage-return noise.
	 */
	stderrIsTTY?: boolean;
}

export interface CliCommand {
	name: string;
	/** One line for the command list in the main help. */
	summary: string;
	/** The full text of `<command> --help`. */
	help: string;
	/** Receives the arguments after the command name; resolves to the exit code. */
	run(args: string[], io: CliIo): Promise<number>;
}

/** A mistake in how the command was called; main prints it and exits with EXIT_USAGE. */
export class UsageError extends Error {
	readonly command: string | null;
	constructor(message: string, command: string | null = null) {
		super(message);
		this.name = 'UsageError';
		this.command = command;
	}
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict parseArgs for one command. Node's own messages are terse and suggest `--` tricks; ours
 * name the command and where to look for its options. `maxPositionals` bare arguments (such as
 * `import FILE`) are allowed; one more is an "Unexpected argument" like any other.
 */
export function parseCommandArgs<O extends Options>(
	command: string,
	args: string[],
	options: O,
	maxPositionals = 0
) {
	try {
		const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
		if (parsed.positionals.length > maxPositionals) {
			throw Object.assign(
				new Error(`Unexpected argument '${parsed.positionals[maxPositionals]}'`),
				{ code: 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' }
			);
		}
		return parsed;
	} catch (e) {
		const code = (e as { code?: unknown }).code;
		if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw e;
		const hint = `Run '${INVOCATION} ${command} --help' to see its options.`;
		const quoted = /'([^']*)'/.exec((e as Error).message)?.[1] ?? '';
		if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
			throw new UsageError(`Unknown option '${quoted}' for '${command}'. ${hint}`, command);
		}
		if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
			throw new UsageError(`Unexpected argument '${quoted}' for '${command}'. ${hint}`, command);
		}
		if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
			// Node writes "-p, --profile <value>" when there is a short form; name the long one.
			const option = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
			throw new UsageError(`Option '${option}' needs a value. ${hint}`, command);
		}
		throw new UsageError(`${(e as Error).message}. ${hint}`, command);
	}
}

/** Lines of "  flags   description", aligned, for help texts. */
export function table(rows: [string, string][], indent = 2): string {
	const width = Math.max(...rows.map(([a]) => a.length)) + 2;
	return rows.map(([a, b]) => ' '.repeat(indent) + a.padEnd(width) + b).join('\n');
}
