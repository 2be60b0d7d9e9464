/**
 * `predict`: scores a file with a model saved by `train --save`. The file goes through the same
 * import pipeline, with each feature column forced to the type it had in training, so "7,5" or
 * "yes" read the same way twice. Columns are matched by name; a category never seen in training
 * counts as missing (the trees send missing values the way training learnt), and a feature
 * column that is absent is an error that names it.
 */
import { readFile } from 'node:fs/promises';
import { frameToCsvChunks } from '../../lib/data/csv-write';
import type { ImportPlan } from '../../lib/data/plan';
import { AppException } from '../../lib/errors';
import {
	categoricalColumn,
	getColumn,
	MISSING_CODE,
	numericColumn,
	type Column,
	type Frame
} from '../../lib/ml/frame';
import { predict, type TreeEnsemble } from '../../lib/ml/gbdt';
import { predictedClasses } from '../../lib/ml/metrics';
import { categoryRemap } from '../../lib/ml/gbdt';
import { choiceOption, requiredOption } from '../args';
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
import { plural } from '../format';
import { fullReport, loadTable } from '../load';
import { terminalProgress } from '../progress';
import { findPlanColumn } from '../training/data';
import { parseSavedModel, type SavedModel } from '../training/model-file';

const help = `Usage: ${INVOCATION} predict --model model.json --data FILE --out preds.csv [options]

Scores every row of a CSV or Excel file with a model saved by 'train --save' and writes a CSV:
the row's identifier column(s) (or its row number in the file), then the prediction — a number,
or the predicted class followed by one probability column per class.

Options:
${table([
	['--model <model.json>', "a model saved with 'train --save'"],
	['--data <file>', 'CSV or Excel file to score; needs the columns the model was trained on'],
	['--out <preds.csv>', 'where to write the predictions, or - for standard output'],
	['--sheet <name|n>', 'Excel sheet by name, or by position counting from 1'],
	['--decimal <.|,>', 'decimal mark of numbers in the file (default: detected)'],
	['--json', 'print a JSON summary (last line of output) instead of text'],
	['-h, --help', 'show this help']
])}

Example:
  ${INVOCATION} predict --model model.json --data new-term.csv --out predictions.csv
`;

async function readModel(path: string, name: string): Promise<ReturnType<typeof parseSavedModel>> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (e) {
		throw new AppException({
			code: 'model-unreadable',
			message: `Could not read the model ${name}: ${describeFsError(e, { ENOENT: 'the file does not exist' })}.`,
			details: { file: name }
		});
	}
	return parseSavedModel(text, name);
}

/** Forces the model's column types onto the scoring file's plan; fails fast on missing columns. */
function planForScoring(plan: ImportPlan, saved: SavedModel): ImportPlan {
	const missing = saved.features.filter(
		(f) => !findPlanColumn(plan, f.name) && !findPlanColumn(plan, f.original)
	);
	if (missing.length) {
		const names = missing.map((f) => `“${f.original}”`).join(', ');
		throw new AppException({
			code: 'missing-column',
			message: `${plan.file} has no ${missing.length === 1 ? 'column' : 'columns'} ${names}, which the model needs. It was trained on: ${saved.features.map((f) => f.original).join(', ')}.`,
			details: { file: plan.file, columns: missing.map((f) => f.original).join('\n') }
		});
	}
	const byColumn = new Map(
		saved.features.map((f) => [
			(findPlanColumn(plan, f.name) ?? findPlanColumn(plan, f.original))?.name,
			f
		])
	);
	return {
		...plan,
		columns: plan.columns.map((c) => {
			const f = byColumn.get(c.name);
			if (!f) return c;
			const next = { ...c, type: f.type, role: 'feature' as const };
			if (f.dateOrder) next.dateOrder = f.dateOrder;
			// A range guessed for another type would only produce confusing warnings.
			if (f.type !== c.type) delete next.range;
			return next;
		})
	};
}

/** The model's features as a frame named as in training, plus unseen-category counts. */
function featureFrame(
	frame: Frame,
	plan: ImportPlan,
	saved: SavedModel,
	ensemble: TreeEnsemble
): { x: Frame; unseen: Record<string, number> } {
	const unseen: Record<string, number> = {};
	const columns = saved.features.map((f, j): Column => {
		const planCol = findPlanColumn(plan, f.name) ?? findPlanColumn(plan, f.original);
		const col = planCol && getColumn(frame, planCol.name);
		if (!col) throw new RangeError(`Column “${f.original}” was not read.`);
		const info = ensemble.features[j];
		if (col.kind === 'categorical' && info.kind === 'categorical') {
			const remap = categoryRemap(info.categories ?? [], col.dictionary);
			let n = 0;
			for (let i = 0; i < col.codes.length; i++) {
				const code = col.codes[i];
				if (code !== MISSING_CODE && remap[code] < 0) n++;
			}
			if (n) unseen[f.name] = n;
		}
		return { ...col, name: f.name };
	});
	return { x: { nRows: frame.nRows, columns }, unseen };
}

function predictionFrame(
	frame: Frame,
	plan: ImportPlan,
	sourceRows: Uint32Array,
	saved: SavedModel,
	pred: Float64Array
): Frame {
	const n = frame.nRows;
	const idNames = new Set(
		saved.idColumns.map((name) => findPlanColumn(plan, name)?.name).filter((s) => s !== undefined)
	);
	for (const c of plan.columns) if (c.role === 'id') idNames.add(c.name);
	const ids = plan.columns
		.filter((c) => idNames.has(c.name))
		.map((c) => getColumn(frame, c.name))
		.filter((c): c is Column => c !== undefined);
	// Without an identifier, the file row number is the only way back to the student.
	const out: Column[] = ids.length
		? ids
		: [numericColumn('row', Float64Array.from(sourceRows), 'integer')];
	if (saved.task === 'regression') {
		out.push(numericColumn('prediction', pred));
		return { nRows: n, columns: out };
	}
	const classes = saved.classes ?? [];
	const K = classes.length;
	const cls = predictedClasses(pred, n, K);
	// A numeric target (grades 1–5, pass = 0/1) is written as numbers, which formula-safety
	// would otherwise prefix when a label such as "-1" starts with a minus sign.
	const type = saved.target.type;
	const labelled = (value: (label: string) => number) =>
		Float64Array.from(cls, (k) => value(classes[k]));
	out.push(
		type === 'boolean'
			? numericColumn(
					'prediction',
					labelled((l) => (l === 'true' ? 1 : 0)),
					'boolean'
				)
			: type === 'integer' || type === 'number'
				? numericColumn('prediction', labelled(Number), type)
				: categoricalColumn(
						'prediction',
						Array.from(cls, (k) => classes[k])
					)
	);
	for (let k = 0; k < K; k++) {
		const p = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			// Binary models give P(second class) per row; multiclass n × K probabilities.
			p[i] = K === 2 && pred.length === n ? (k === 1 ? pred[i] : 1 - pred[i]) : pred[i * K + k];
		}
		out.push(numericColumn(`probability_${classes[k]}`, p));
	}
	return { nRows: n, columns: out };
}

export const predictCommand: CliCommand = {
	name: 'predict',
	summary: "Score a file with a model saved by 'train --save'",
	help,
	async run(args: string[], io: CliIo): Promise<number> {
		const { values } = parseCommandArgs('predict', args, {
			model: { type: 'string' },
			data: { type: 'string' },
			out: { type: 'string' },
			sheet: { type: 'string' },
			decimal: { type: 'string' },
			json: { type: 'boolean' },
			help: { type: 'boolean', short: 'h' }
		});
		if (values.help) {
			io.stdout(help);
			return EXIT_OK;
		}
		const c = 'predict';
		const modelPath = requiredOption(c, 'model', values.model, "a model saved with 'train --save'");
		const dataPath = requiredOption(c, 'data', values.data, 'the CSV or Excel file to score');
		const outPath = requiredOption(
			c,
			'out',
			values.out,
			'a CSV file to write, or - for standard output'
		);
		const decimal = choiceOption(c, 'decimal', values.decimal, ['.', ','] as const);
		if (outPath === '-' && values.json) {
			throw new UsageError(
				'--out - writes the predictions to standard output, so --json cannot use it too.',
				c
			);
		}

		const { saved, ensemble } = await readModel(resolvePath(io, modelPath), modelPath);
		const progress = terminalProgress(io);
		let loaded;
		try {
			loaded = await loadTable(resolvePath(io, dataPath), dataPath, {
				command: c,
				sheet: values.sheet,
				decimal,
				editPlan: (plan) => planForScoring(plan, saved),
				progress: progress.report
			});
		} finally {
			progress.done();
		}
		const { plan, build } = loaded;
		const { frame, sourceRows } = build.built;
		const { x, unseen } = featureFrame(frame, plan, saved, ensemble);
		const pred = predict(ensemble, x);
		const result = predictionFrame(frame, plan, sourceRows, saved, pred);
		const chunks = frameToCsvChunks(result, {}, 20_000);
		if (outPath === '-') for (const chunk of chunks) io.stdout(chunk);
		else {
			try {
				writeFileAtomically(resolvePath(io, outPath), chunks);
			} catch (e) {
				io.stderr(`Could not write ${outPath}: ${describeFsError(e)}. Nothing was written.\n`);
				return EXIT_FAILURE;
			}
		}
		const problems = fullReport(loaded);
		const summary = {
			model: modelPath,
			data: dataPath,
			out: outPath,
			task: saved.task,
			target: saved.target.name,
			classes: saved.classes,
			rows: frame.nRows,
			columns: result.columns.map((col) => col.name),
			unseen_categories: unseen,
			data_problems: { errors: problems.errors, warnings: problems.warnings }
		};
		if (values.json) {
			io.stdout(JSON.stringify(summary) + '\n');
			return EXIT_OK;
		}
		// With --out - the CSV owns stdout; the summary goes to stderr so pipes stay clean.
		const say = outPath === '-' ? io.stderr : io.stdout;
		const where = outPath === '-' ? 'standard output' : outPath;
		say(
			`Scored ${plural(frame.nRows, 'row')} of ${dataPath} with a ${saved.model} ${saved.task} model for “${saved.target.original}”; wrote ${result.columns.map((col) => col.name).join(', ')} to ${where}.\n`
		);
		for (const [name, count] of Object.entries(unseen)) {
			say(
				`  ${plural(count, 'value')} of “${name}” never appeared in training and counted as missing.\n`
			);
		}
		if (problems.errors > 0) {
			say(
				`  ${dataPath} has ${plural(problems.errors, 'validation error')}; values that did not convert counted as missing. Run '${INVOCATION} import ${dataPath}' to see them.\n`
			);
		}
		return EXIT_OK;
	}
};
