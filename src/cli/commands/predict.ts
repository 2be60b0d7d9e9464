/**
 * `predict`: scores a file with a model saved by `train --save`. The file goes through the same
 * import pipeline, with each feature column forced to the type it had in training, so "7,5" or
 * "yes" read the same way twice. Columns are matched by name; a category never seen in training
 * counts as missing for trees (they send missing values the way training learnt) and as the
 * "(other)" category for linear models and networks, and a feature column that is absent is an
 * error that names it. Tree files are scored by the trees directly, engine models (linear, mlp,
 * auto) by the engine's predictArtifact, the same path their cross-validation used.
 *
 * `--explain [K]` adds each row's K largest reasons (exact TreeSHAP for trees, exact linear SHAP,
 * sampling for networks; src/lib/ml/explain) and `--at-risk` a risk score and flag with the rows
 * most at risk first (src/lib/ml/risk). Model files keep no training data, so "class median" and
 * the linear models' category shares come from the file being scored unless the model file
 * carries the training distributions.
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
	takeRows,
	type Column,
	type Frame
} from '../../lib/ml/frame';
import { fromJson, type TreeEnsemble } from '../../lib/ml/gbdt';
import { scoreRisk, type RiskScores } from '../../lib/ml/risk';
import { featureDistributions } from '../../lib/ml/train/fingerprint';
import { predictedClasses } from '../../lib/ml/metrics';
import { categoryRemap } from '../../lib/ml/gbdt';
import { MAX_CATEGORIES } from '../../lib/ml/preprocess';
import type { ModelArtifact } from '../../lib/ml/train';
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
import { parseModel, type ParsedModel, type SavedModel } from '../training/model-file';
import { loadNodeTf } from '../tf';
import { explainRows, reasonColumns, reasonFactors, riskColumns } from '../prediction/columns';
import { riskModel, savedDistributions, scoreRows } from '../prediction/scoring';
import { DEFAULT_EXPLAIN, liftExplain, MAX_EXPLAIN, riskPolicyOption } from '../prediction/options';

const help = `Usage: ${INVOCATION} predict --model model.json --data FILE --out preds.csv [options]

Scores every row of a CSV or Excel file with a model saved by 'train --save' (any --model:
gbdt, rf, linear, mlp or auto) and writes a CSV: the row's identifier column(s) (or its row
number in the file), then the prediction — a number, or the predicted class followed by one
probability column per class. A neural network is scored with TensorFlow.js (wasm, else cpu).

Options:
${table([
	['--model <model.json>', "a model saved with 'train --save'"],
	['--data <file>', 'CSV or Excel file to score; needs the columns the model was trained on'],
	['--out <preds.csv>', 'where to write the predictions, or - for standard output'],
	['--sheet <name|n>', 'Excel sheet by name, or by position counting from 1'],
	['--decimal <.|,>', 'decimal mark of numbers in the file (default: detected)'],
	[
		'--explain [K]',
		`add the K largest reasons per row (default ${DEFAULT_EXPLAIN}, at most ${MAX_EXPLAIN})`
	],
	['--at-risk <threshold>', 'flag rows at risk and list them first: a pass mark for a'],
	['', 'number, a probability (0–1] for a class'],
	['--risk-class <label>', 'with --at-risk: the class that means "at risk" (default: chosen by'],
	['', 'name, e.g. "fail", "F", "at risk", "no", or the lowest grade)'],
	['--json', 'print a JSON summary (last line of output) instead of text'],
	['-h, --help', 'show this help']
])}

--explain adds reason_1…reason_K, one sentence each ("Attendance (4.5; class median 7.5) is the
largest factor lowering the predicted final exam."), and factor_1…factor_K in a compact form,
"attendance:-3.2": the feature and how much it moved the prediction — in the target's units for
a number, in log-odds (boosted trees, linear) or probability (forests, networks) for a class.
The reasons speak of the predicted class of each row, or with --at-risk of the risk class.
Trees and linear models are explained exactly; a network by seeded sampling (slower). A model
file keeps no training rows, so the class medians quoted are those of the file being scored.

--at-risk adds 'risk' and 'at_risk' (yes/no) and sorts the rows most at risk first. For a
number, risk = pass mark − prediction: above 0 is predicted below the pass mark, at risk (a mark
exactly at the pass mark passes); with 'p_below_pass', an approximate chance of a mark below the
pass mark from the validation residuals, when the model has them. For a class, risk = the
probability of the risk class; at or above the threshold is at risk.

Examples:
  ${INVOCATION} predict --model model.json --data new-term.csv --out predictions.csv
  ${INVOCATION} predict --model model.json --data new.csv --out risk.csv --explain --at-risk 40
`;

async function readModel(path: string, name: string): Promise<ParsedModel> {
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
	return parseModel(text, name);
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

/**
 * The training categories of feature j, where the model keeps them all: null for numbers, and
 * for a pipeline column whose rarest categories were pooled into "(other)" (those cannot be told
 * from unseen ones).
 */
type KnownCategories = (j: number) => string[] | null;

function treeCategories(ensemble: TreeEnsemble): KnownCategories {
	return (j) => {
		const f = ensemble.features[j];
		return f.kind === 'categorical' ? (f.categories ?? []) : null;
	};
}

function knownCategories(model: ParsedModel): KnownCategories {
	if (model.kind === 'trees') return treeCategories(model.ensemble);
	const a: ModelArtifact = model.artifact;
	if (a.model.family === 'gbdt' || a.model.family === 'rf') {
		return treeCategories(fromJson(a.model.ensemble));
	}
	const steps = a.pipeline?.steps ?? [];
	return (j) => {
		const step = steps.find((s) => s.column === a.features[j]);
		return step?.kind === 'categorical' && step.categories.length < MAX_CATEGORIES
			? step.categories
			: null;
	};
}

/** The model's features as a frame named as in training, plus unseen-category counts. */
function featureFrame(
	frame: Frame,
	plan: ImportPlan,
	saved: SavedModel,
	known: KnownCategories
): { x: Frame; unseen: Record<string, number> } {
	const unseen: Record<string, number> = {};
	const columns = saved.features.map((f, j): Column => {
		const planCol = findPlanColumn(plan, f.name) ?? findPlanColumn(plan, f.original);
		const col = planCol && getColumn(frame, planCol.name);
		if (!col) throw new RangeError(`Column “${f.original}” was not read.`);
		const categories = known(j);
		if (col.kind === 'categorical' && categories) {
			const remap = categoryRemap(categories, col.dictionary);
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
	async run(argv: string[], io: CliIo): Promise<number> {
		const { args, explain } = liftExplain('predict', argv);
		const { values } = parseCommandArgs('predict', args, {
			model: { type: 'string' },
			data: { type: 'string' },
			out: { type: 'string' },
			sheet: { type: 'string' },
			decimal: { type: 'string' },
			'at-risk': { type: 'string' },
			'risk-class': { type: 'string' },
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

		const model = await readModel(resolvePath(io, modelPath), modelPath);
		const { saved } = model;
		const risk = riskPolicyOption(c, riskModel(model), values['at-risk'], values['risk-class']);
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
		const { x, unseen } = featureFrame(frame, plan, saved, knownCategories(model));
		const family = model.kind === 'artifact' ? model.artifact.model.family : saved.model;
		// TensorFlow.js only for a network: parsing it costs a second or two.
		const tf = family === 'mlp' ? (await loadNodeTf()).tf : undefined;
		const { pred, prediction } = await scoreRows(model, x, tf);
		let result = predictionFrame(frame, plan, sourceRows, saved, pred);
		let scores: RiskScores | null = null;
		if (risk) {
			scores = scoreRisk(prediction, riskModel(model), risk.policy);
			result = { nRows: result.nRows, columns: [...result.columns, ...riskColumns(scores)] };
		}
		let explained: { method: string; space: string; k: number } | null = null;
		if (explain !== null) {
			const features = saved.features.map((f) => f.name);
			const distributions = savedDistributions(saved) ?? featureDistributions(x, features);
			const attr = await explainRows(
				model.kind === 'trees' ? { ensemble: model.ensemble } : { artifact: model.artifact },
				x,
				features,
				distributions,
				tf
			);
			const originals = Object.fromEntries(saved.features.map((f) => [f.name, f.original]));
			const k = Math.min(explain, features.length);
			const factors = reasonFactors({
				attr,
				x,
				k,
				prediction,
				policy: risk?.policy ?? null,
				target: saved.target,
				classes: saved.classes,
				distributions,
				originals
			});
			result = {
				nRows: result.nRows,
				columns: [...result.columns, ...reasonColumns(factors, k, originals)]
			};
			explained = { method: attr.method, space: attr.space, k };
		}
		if (scores) result = takeRows(result, scores.order);
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
			data_problems: { errors: problems.errors, warnings: problems.warnings },
			...(risk && scores
				? {
						n_at_risk: scores.nAtRisk,
						at_risk:
							risk.policy.mode === 'mark-below'
								? { pass_mark: risk.policy.passMark }
								: { risk_class: risk.policy.riskClass, level: risk.policy.level }
					}
				: {}),
			...(explained
				? {
						explanation: { method: explained.method, space: explained.space, reasons: explained.k }
					}
				: {})
		};
		if (values.json) {
			io.stdout(JSON.stringify(summary) + '\n');
			return EXIT_OK;
		}
		// With --out - the CSV owns stdout; the summary goes to stderr so pipes stay clean.
		const say = outPath === '-' ? io.stderr : io.stdout;
		const where = outPath === '-' ? 'standard output' : outPath;
		const label = family === 'mlp' ? 'neural-network (mlp)' : family;
		const kind = saved.model === 'auto' ? `${label} (chosen by auto)` : label;
		say(
			`Scored ${plural(frame.nRows, 'row')} of ${dataPath} with a ${kind} ${saved.task} model for “${saved.target.original}”; wrote ${result.columns.map((col) => col.name).join(', ')} to ${where}.\n`
		);
		// Trees route an unknown category as missing; one-hot encodings put it in "(other)".
		const counted = family === 'gbdt' || family === 'rf' ? 'missing' : 'the “(other)” category';
		for (const [name, count] of Object.entries(unseen)) {
			say(
				`  ${plural(count, 'value')} of “${name}” never appeared in training and counted as ${counted}.\n`
			);
		}
		if (risk && scores) {
			const p = risk.policy;
			const rule =
				p.mode === 'mark-below'
					? `a predicted mark below ${p.passMark}`
					: `a chance of “${p.riskClass}” of ${Math.round(p.level * 100)}% or more`;
			say(
				`  ${plural(scores.nAtRisk, 'row')} of ${frame.nRows.toLocaleString('en')} at risk (${rule}); the rows most at risk come first.\n`
			);
			if (risk.note) say(`  Risk class: ${risk.note}\n`);
		}
		if (explained) {
			const how =
				explained.method === 'sampling-shap'
					? 'estimated by seeded sampling'
					: explained.method === 'none'
						? 'none: a baseline predicts the same for everyone'
						: 'exact';
			say(`  Reasons: the ${plural(explained.k, 'largest factor')} per row (${how}).\n`);
		}
		if (problems.errors > 0) {
			say(
				`  ${dataPath} has ${plural(problems.errors, 'validation error')}; values that did not convert counted as missing. Run '${INVOCATION} import ${dataPath}' to see them.\n`
			);
		}
		return EXIT_OK;
	}
};
