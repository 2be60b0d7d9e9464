/**
 * Turns an imported table into what a tree model trains on: the target as numbers (values, or
 * class indices into sorted labels) and a frame of feature columns only. Which columns are
 * features follows the roles the import pipeline proposed, so the CLI and the app agree on
 * what an identifier, a free-text column or a sensitive attribute is.
 */
import { withTarget, type ColumnPlan, type ImportPlan } from '../../lib/data/plan';
import { AppException } from '../../lib/errors';
import { getColumn, MISSING_CODE, takeRows, type Frame } from '../../lib/ml/frame';
import {
	encodeClasses,
	fitClasses,
	inferTask,
	labelledRows,
	type Task
} from '../../lib/ml/preprocess';
import { UsageError } from '../command';

export type { Task } from '../../lib/ml/preprocess';

/** More classes than this is almost always a mistaken target (names, ids, free text). */
export const MAX_CLASSES = 50;

export interface ExcludedColumn {
	name: string;
	reason: string;
}

export interface TrainingData {
	task: Task;
	target: ColumnPlan;
	/** Sorted class labels (index = class code) for classification; null for regression. */
	classes: string[] | null;
	/** Feature columns, in file order, of the rows whose target is known. */
	x: Frame;
	/** Target per row of x: the value, or the class index. */
	y: Float64Array;
	features: ColumnPlan[];
	excluded: ExcludedColumn[];
	/** Spreadsheet row number of each row of x (header = row 1). */
	sourceRows: Uint32Array;
	/** Rows left out because the target was empty or unreadable. */
	unlabelled: number;
	/** The column whose rows must stay together in cross-validation; null = rows are independent. */
	groups: GroupColumn | null;
	/**
	 * A repeating group column that --no-group switched off, so the report can warn that the
	 * scores may be optimistic; null otherwise.
	 */
	ungrouped: string | null;
}

export interface GroupColumn {
	name: string;
	/** Group code per row of x; MISSING_CODE = unknown (a group of its own). */
	codes: Uint32Array;
	/** Distinct groups among the rows, each unknown counted as its own. */
	nGroups: number;
	/** True when named with --group rather than found from the column roles. */
	forced: boolean;
}

const ROLE_REASONS: Partial<Record<ColumnPlan['role'], string>> = {
	id: 'identifier',
	group: 'groups rows (student id)',
	time: 'time column',
	sensitive: 'sensitive attribute, kept out of models',
	ignore: 'ignored',
	target: 'another target'
};

/** Finds a column by its safe name or by its header as written, the two names a user may type. */
export function findPlanColumn(plan: ImportPlan, name: string): ColumnPlan | undefined {
	return plan.columns.find((c) => c.name === name) ?? plan.columns.find((c) => c.original === name);
}

function columnList(plan: ImportPlan): string {
	return plan.columns.map((c) => c.original).join(', ');
}

/**
 * Marks `target` as the only target in the plan (before the full read, so validation speaks of
 * the right column) and checks that every --exclude name and the --group name exist, so a typo
 * fails before a large file is read.
 */
export function planForTraining(
	plan: ImportPlan,
	target: string,
	exclude: readonly string[],
	group?: string
): ImportPlan {
	const col = findPlanColumn(plan, target);
	if (!col) {
		throw new UsageError(
			`${plan.file} has no column “${target}” to predict. Its columns are: ${columnList(plan)}.`,
			'train'
		);
	}
	for (const name of exclude) {
		if (!findPlanColumn(plan, name)) {
			throw new UsageError(
				`--exclude names “${name}”, which ${plan.file} does not have. Its columns are: ${columnList(plan)}.`,
				'train'
			);
		}
	}
	if (group !== undefined) groupColumn(plan, group, col.name);
	return withTarget(plan, col.name);
}

/** The --group column, which must exist and must not be the target. */
function groupColumn(plan: ImportPlan, group: string, target: string): ColumnPlan {
	const g = findPlanColumn(plan, group);
	if (!g) {
		throw new UsageError(
			`--group names “${group}”, which ${plan.file} does not have. Its columns are: ${columnList(plan)}.`,
			'train'
		);
	}
	if (g.name === target) {
		throw new UsageError(`--group cannot be the column to predict (“${group}”).`, 'train');
	}
	return g;
}

function chooseFeatures(
	plan: ImportPlan,
	target: ColumnPlan,
	exclude: readonly string[],
	forcedGroup: ColumnPlan | undefined
): { features: ColumnPlan[]; excluded: ExcludedColumn[] } {
	const excludedByUser = new Set(exclude.map((n) => findPlanColumn(plan, n)?.name));
	const features: ColumnPlan[] = [];
	const excluded: ExcludedColumn[] = [];
	for (const c of plan.columns) {
		if (c.name === target.name) continue;
		let reason: string | undefined;
		if (excludedByUser.has(c.name)) reason = 'excluded with --exclude';
		// Grouped folds never test on a group seen in training, so as a feature the column could
		// only ever show the model unseen values; a model fitted on it would be judged unfairly.
		else if (c === forcedGroup && c.role === 'feature') reason = 'groups rows (--group)';
		else if (c.role !== 'feature') reason = ROLE_REASONS[c.role] ?? c.role;
		// Roles are the user's to change, but unique text per row cannot generalise to new rows.
		else if (c.type === 'identifier') reason = 'identifier';
		else if (c.type === 'text') reason = 'free text';
		if (reason) excluded.push({ name: c.name, reason });
		else features.push(c);
	}
	return { features, excluded };
}

function checkTask(task: Task, classes: string[], target: string): void {
	if (classes.length < 2) {
		throw new AppException({
			code: 'target-one-class',
			message: `Every filled-in value of “${target}” is the same (${classes[0] ?? 'none'}), so there is nothing to predict.`,
			details: { column: target }
		});
	}
	if (task === 'binary' && classes.length !== 2) {
		throw new AppException({
			code: 'target-not-binary',
			message: `“${target}” has ${classes.length} different values, so it cannot be a yes/no (binary) target. Use --task multiclass.`,
			details: { column: target, classes: classes.length }
		});
	}
	if (classes.length > MAX_CLASSES) {
		throw new AppException({
			code: 'target-too-many-classes',
			message: `“${target}” has ${classes.length} different values — too many to predict as categories. If it is a number, use --task regression.`,
			details: { column: target, classes: classes.length }
		});
	}
}

/**
 * Group code per listed row. Categories keep their dictionary codes; a numeric column (student
 * numbers read as numbers) gets dense codes in order of first appearance, NaN as missing.
 */
function groupCodes(
	frame: Frame,
	name: string,
	rows: ArrayLike<number>
): { codes: Uint32Array; nGroups: number } {
	const col = getColumn(frame, name);
	if (!col) throw new RangeError(`The frame lost column “${name}”.`);
	const codes = new Uint32Array(rows.length);
	const seen = new Map<number, number>();
	let missing = 0;
	for (let i = 0; i < rows.length; i++) {
		const r = rows[i];
		const key = col.kind === 'categorical' ? col.codes[r] : col.values[r];
		// Tested per kind: a student number could in principle equal MISSING_CODE.
		if (col.kind === 'categorical' ? key === MISSING_CODE : Number.isNaN(key)) {
			codes[i] = MISSING_CODE;
			missing++;
			continue;
		}
		let code = seen.get(key);
		if (code === undefined) seen.set(key, (code = seen.size));
		codes[i] = code;
	}
	return { codes, nGroups: seen.size + missing };
}

/**
 * The grouping column: the one named with --group, none with --no-group (false), else the first
 * column the import pipeline marked 'group' (a long-format file's student id) that actually
 * repeats among the labelled rows — with one row per student there is nothing to keep together.
 */
function chooseGroups(
	frame: Frame,
	plan: ImportPlan,
	target: ColumnPlan,
	rows: ArrayLike<number>,
	forced: ColumnPlan | undefined,
	disabled: boolean
): { groups: GroupColumn | null; ungrouped: string | null } {
	if (forced) {
		return {
			groups: { name: forced.name, ...groupCodes(frame, forced.name, rows), forced: true },
			ungrouped: null
		};
	}
	for (const c of plan.columns) {
		if (c.role !== 'group' || c.name === target.name) continue;
		const g = groupCodes(frame, c.name, rows);
		if (g.nGroups >= rows.length) continue;
		if (disabled) return { groups: null, ungrouped: c.name };
		return { groups: { name: c.name, ...g, forced: false }, ungrouped: null };
	}
	return { groups: null, ungrouped: null };
}

export function trainingData(
	frame: Frame,
	plan: ImportPlan,
	sourceRows: Uint32Array,
	opts: {
		target: string;
		exclude: readonly string[];
		task?: Task;
		/** Column to group folds by; false = never group; undefined = the import's group column. */
		group?: string | false;
	}
): TrainingData {
	const target = findPlanColumn(plan, opts.target);
	if (!target) throw new UsageError(`No column “${opts.target}” to predict.`, 'train');
	const forcedGroup =
		typeof opts.group === 'string' ? groupColumn(plan, opts.group, target.name) : undefined;
	const { features, excluded } = chooseFeatures(plan, target, opts.exclude, forcedGroup);
	if (features.length === 0) {
		throw new AppException({
			code: 'no-features',
			message: `${plan.file} has no columns left to learn from once the target, identifiers and excluded columns are set aside.`,
			details: { file: plan.file }
		});
	}
	const rows = labelledRows(frame, target.name);
	if (rows.length < 2) {
		throw new AppException({
			code: 'too-few-rows',
			message: `“${target.original}” is filled in on ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}; a model needs more rows to learn from.`,
			details: { column: target.original, rows: rows.length }
		});
	}
	const task = opts.task ?? inferTask(frame, target.name, rows);
	const col = getColumn(frame, target.name);
	let y: Float64Array;
	let classes: string[] | null = null;
	if (task === 'regression') {
		if (!col || col.kind !== 'numeric') {
			throw new AppException({
				code: 'target-not-numeric',
				message: `“${target.original}” contains text, so it cannot be predicted as a number. Use --task binary or --task multiclass.`,
				details: { column: target.original }
			});
		}
		// Float64 straight from the column: metrics must see the marks exactly as written.
		y = Float64Array.from(rows, (r) => col.values[r]);
	} else {
		classes = fitClasses(frame, target.name, rows, { numericAsClasses: true });
		checkTask(task, classes, target.original);
		y = Float64Array.from(encodeClasses(classes, frame, target.name, rows));
		// Yes/no columns are stored as 0/1; their classes read better as the words.
		if (target.type === 'boolean') classes = classes.map((c) => (c === '1' ? 'true' : 'false'));
	}
	const featureFrame: Frame = {
		nRows: frame.nRows,
		columns: features.map((f) => {
			const c = getColumn(frame, f.name);
			if (!c) throw new RangeError(`The frame lost column “${f.name}”.`);
			return c;
		})
	};
	return {
		task,
		target,
		classes,
		x: takeRows(featureFrame, rows),
		y,
		features,
		excluded,
		sourceRows: Uint32Array.from(rows, (r) => sourceRows[r]),
		unlabelled: frame.nRows - rows.length,
		...chooseGroups(frame, plan, target, rows, forcedGroup, opts.group === false)
	};
}
