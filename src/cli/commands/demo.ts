/** `demo`: writes one of the seeded demo datasets as CSV, to a file or standard output. */
import { frameToCsvChunks } from '../../lib/data/csv-write';
import { AppException } from '../../lib/errors';
import {
	DEMO_DEFAULT_SEED,
	DEMO_MAX_ROWS,
	DEMO_PROFILES,
	generateDemo,
	isDemoProfile,
	type DemoDataset
} from '../../lib/ml/synthetic';
import {
	EXIT_FAILURE,
	EXIT_OK,
	INVOCATION,
	parseCommandArgs,
	table,
	UsageError,
	type CliCommand,
	type CliIo
} from '../command';
import { describeFsError, resolvePath, writeFileAtomically } from '../files';

const PROFILE_IDS = DEMO_PROFILES.map((p) => p.id);

const help = `Usage: ${INVOCATION} demo --profile <name> --out <file.csv | -> [options]

Writes a made-up class dataset as CSV. The same profile, size and seed always give the
same file, byte for byte.

Options:
${table([
	['-p, --profile <name>', PROFILE_IDS.join(' | ')],
	['-o, --out <path>', 'file to write, or - for standard output'],
	['-n, --rows <n>', 'how many students (rows for one-row-per-student profiles)'],
	['-s, --seed <seed>', `number or text (default ${DEMO_DEFAULT_SEED})`],
	['    --canary <text>', "the first student's id, verbatim (for privacy tests)"],
	['-h, --help', 'show this help']
])}

Profiles (default number of students):
${table(DEMO_PROFILES.map((p) => [p.id, `${p.title} (${p.defaultRows})`]))}

Examples:
  ${INVOCATION} demo --profile marks --out marks.csv
  ${INVOCATION} demo --profile lms-activity --rows 500 --seed 7 --out - > activity.csv
`;

function parseRows(text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	const n = /^\d+$/.test(text) ? Number(text) : NaN;
	if (!(n >= 1 && n <= DEMO_MAX_ROWS)) {
		throw new UsageError(
			`--rows must be a whole number from 1 to ${DEMO_MAX_ROWS}; got '${text}'.`,
			'demo'
		);
	}
	return n;
}

export const demoCommand: CliCommand = {
	name: 'demo',
	summary: 'Write a seeded demo dataset (marks, course records, …) as CSV',
	help,
	async run(args: string[], io: CliIo): Promise<number> {
		const { values } = parseCommandArgs('demo', args, {
			profile: { type: 'string', short: 'p' },
			out: { type: 'string', short: 'o' },
			rows: { type: 'string', short: 'n' },
			seed: { type: 'string', short: 's' },
			canary: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		});
		if (values.help) {
			io.stdout(help);
			return EXIT_OK;
		}
		const profile = values.profile;
		if (profile === undefined) {
			throw new UsageError(`Missing --profile. Choose one of: ${PROFILE_IDS.join(', ')}.`, 'demo');
		}
		if (!isDemoProfile(profile)) {
			throw new UsageError(
				`Unknown profile '${profile}'. Choose one of: ${PROFILE_IDS.join(', ')}.`,
				'demo'
			);
		}
		const out = values.out;
		if (out === undefined || out === '') {
			throw new UsageError('Missing --out. Give a file path, or - for standard output.', 'demo');
		}
		const rows = parseRows(values.rows);
		const seed = values.seed ?? DEMO_DEFAULT_SEED;

		let demo: DemoDataset;
		try {
			demo = generateDemo(profile, { rows, seed, canary: values.canary });
		} catch (e) {
			// Profiles with many rows per student allow fewer students; that is a usage mistake.
			if (e instanceof AppException && e.appError.code === 'demo-invalid-rows') {
				throw new UsageError(e.message, 'demo');
			}
			throw e;
		}
		const { nRows, columns } = demo.frame;
		const chunks = frameToCsvChunks(demo.frame, {}, 20_000);
		const shape = `${nRows} rows × ${columns.length} columns`;
		if (out === '-') {
			for (const chunk of chunks) io.stdout(chunk);
			// The data owns stdout; the summary goes to stderr so pipes stay clean CSV.
			io.stderr(`Wrote ${shape} (${profile}, seed ${seed}) to standard output.\n`);
			return EXIT_OK;
		}
		const path = resolvePath(io, out);
		try {
			writeFileAtomically(path, chunks);
		} catch (e) {
			io.stderr(`Could not write ${out}: ${describeFsError(e)}. Nothing was written.\n`);
			return EXIT_FAILURE;
		}
		io.stdout(`Wrote ${shape} (${profile}, seed ${seed}) to ${out}.\n`);
		return EXIT_OK;
	}
};
