/**
 * One student's report: everything known about them in one dataset, across semesters and
 * subjects — their rows, their history next to the class, each active model's prediction for
 * their latest rows with its reasons, weak and strong subjects, the rule engine's
 * recommendations, feedback text in three tones and starting points for study plans. All the
 * heavy work (reading the dataset, scoring, explaining) happens here in the worker; the page gets
 * plain data. Interventions and study plans are the teacher's own records: the page reads and
 * writes those itself.
 */
import { normaliseName } from '../data/profiles';
import { fail, ok, type AppError, type Result } from '../errors';
import { cellAt, getColumn, MISSING_CODE, type Cell, type Column, type Frame } from '../ml/frame';
import { buildClassContext } from '../ml/insights/context';
import { columnLabel, numericValue, resolveConcept } from '../ml/insights/concepts';
import { evaluateRules } from '../ml/insights/evaluate';
import type { FeedbackInput } from '../ml/insights/feedback';
import { formatNumber, formatOnScale } from '../ml/insights/template';
import type {
	ClassContext,
	Explained,
	Prediction,
	Recommendation,
	StudentFacts,
	StudyPlanEntry,
	SubjectStanding
} from '../ml/insights/types';
import { suggestStudyPlan } from '../ml/insights/study-plan';
import { compareSemesters, subjectStanding } from '../ml/insights/subjects';
import { packInForce } from '../ml/predict/recommend';
import type { SinglePrediction } from '../ml/predict/types';
import type { ProgressFn } from '../ml/progress';
import { groupRows } from '../ml/stats/aggregate';
import type { DbPort, MlRuntime } from './api';
import type { JobRegistry } from './jobs';
import { createPredictApi, type PredictPort } from './predict-api';

export interface StudentReportOptions {
	/** The models to predict with (the page passes the dataset's active models); default none. */
	modelIds?: string[];
}

export interface HistorySeries {
	name: string;
	/** One per period; null where the student (or class) has no value. */
	values: (number | null)[];
	/** The class's line (average or median), drawn dashed. */
	reference?: boolean;
}

/** One line chart over the periods (semesters, weeks). */
export interface HistoryPanel {
	title: string;
	xLabel: string;
	yLabel: string;
	periods: string[];
	series: HistorySeries[];
	/** Decimals worth showing. */
	digits: number;
}

/** One numeric column: the student's value beside the class's spread. */
export interface ColumnComparison {
	column: string;
	label: string;
	value: number | null;
	median: number;
	q25: number;
	q75: number;
	min: number;
	max: number;
	/** Where the value sits in the class (0–100); null when missing. */
	percentile: number | null;
	/** Rounded on the column's scale: "72%", "4.5/10". */
	display: { value: string; median: string; q25: string; q75: string };
}

export type StudentHistory =
	| { kind: 'time'; timeColumn: string; panels: HistoryPanel[] }
	| { kind: 'profile'; items: ColumnComparison[] };

/** One of the student's rows scored by one model. */
export interface RowPrediction {
	/** Dataset row index. */
	row: number;
	/** "Mathematics, 2024-S1", or "Latest row". */
	label: string;
	/** The outcome already recorded in that row (as text), if any. */
	actual: string | null;
	result: SinglePrediction | null;
	error: AppError | null;
}

export interface ModelPredictions {
	modelId: string;
	name: string;
	version: number;
	target: string;
	rows: RowPrediction[];
	/** Rows of the latest period not scored (over the cap). */
	more: number;
	/** Why this model gave no prediction at all (deleted, too old, columns missing). */
	error: AppError | null;
}

export interface SubjectView {
	subjectColumn: string;
	markColumn: string;
	/** The semester compared, or null without a time column. */
	semester: string | null;
	subjects: SubjectStanding[];
}

export interface StudentReport {
	datasetId: string;
	datasetName: string;
	studentId: string;
	studentColumn: string;
	timeColumn: string | null;
	subjectColumn: string | null;
	/** The student's periods in time order, the latest of them, and what one is called. */
	periods: string[];
	periodUnit: string | null;
	latestPeriod: string | null;
	/** The student's rows, the class's rows and students. */
	nRows: number;
	nClassRows: number;
	nStudents: number;
	/** The student's rows (in time order, capped) for the table. */
	table: { columns: string[]; rows: Cell[][]; total: number };
	history: StudentHistory;
	predictions: ModelPredictions[];
	standing: SubjectView | null;
	recommendations: Recommendation[];
	/**
	 * What the feedback text is written from; the page adds the teacher's saved study plan and
	 * calls insights' feedbackText for the tone chosen (cheap, and it follows edits at once).
	 */
	feedbackInput: FeedbackInput;
	/** Suggested study-plan entries for the weak subjects, for the teacher to adopt or edit. */
	planSuggestions: StudyPlanEntry[];
	generatedAt: number;
}

export interface StudentApi {
	studentReport(
		datasetId: string,
		studentId: string,
		opts?: StudentReportOptions,
		onProgress?: ProgressFn,
		jobId?: string
	): Promise<Result<StudentReport>>;
}

/** Rows shown in the report's table; a student rarely has more. */
export const MAX_TABLE_ROWS = 300;
/** Latest-period rows scored per model (one per subject, typically). */
export const MAX_PREDICTED_ROWS = 8;
const MAX_WEEKS = 60;
const DAY_MS = 86_400_000;
const SUBJECT_NAMES = new Set(
	['subject', 'course', 'module', 'unit', 'coursename', 'coursecode', 'subjectname'].map(
		normaliseName
	)
);

/** Time order of the period labels: numbers by value, text naturally ("2023-S2" < "2024-S1"). */
function sortLabels(labels: string[]): string[] {
	const nums = labels.map((l) => Number(l));
	if (nums.every((n) => Number.isFinite(n)))
		return labels.slice().sort((a, b) => Number(a) - Number(b));
	return labels.slice().sort(compareSemesters);
}

interface Periods {
	labels: string[];
	/** Period index per row; -1 where the row has no time. */
	of: Int32Array;
	kind: 'marks' | 'activity';
	unit: string;
}

/** Each row's period: the label of a semester-like column, or the week (month) of a date. */
function periodsOf(col: Column): Periods {
	const n = col.kind === 'numeric' ? col.values.length : col.codes.length;
	const of = new Int32Array(n).fill(-1);
	if (col.kind === 'numeric' && col.type === 'datetime') {
		let lo = Infinity;
		let hi = -Infinity;
		for (const v of col.values) {
			if (Number.isNaN(v)) continue;
			if (v < lo) lo = v;
			if (v > hi) hi = v;
		}
		if (!Number.isFinite(lo)) return { labels: [], of, kind: 'activity', unit: 'Week' };
		const weekly = (hi - lo) / (7 * DAY_MS) < MAX_WEEKS;
		if (weekly) {
			const nWeeks = Math.floor((hi - lo) / (7 * DAY_MS)) + 1;
			for (let r = 0; r < n; r++) {
				const v = col.values[r];
				if (!Number.isNaN(v)) of[r] = Math.floor((v - lo) / (7 * DAY_MS));
			}
			return {
				labels: Array.from({ length: nWeeks }, (_, i) => String(i + 1)),
				of,
				kind: 'activity',
				unit: 'Week'
			};
		}
		const start = new Date(lo);
		const y0 = start.getUTCFullYear();
		const m0 = start.getUTCMonth();
		const end = new Date(hi);
		const nMonths = (end.getUTCFullYear() - y0) * 12 + end.getUTCMonth() - m0 + 1;
		for (let r = 0; r < n; r++) {
			const v = col.values[r];
			if (Number.isNaN(v)) continue;
			const d = new Date(v);
			of[r] = (d.getUTCFullYear() - y0) * 12 + d.getUTCMonth() - m0;
		}
		return {
			labels: Array.from({ length: nMonths }, (_, i) =>
				new Date(Date.UTC(y0, m0 + i, 1)).toISOString().slice(0, 7)
			),
			of,
			kind: 'activity',
			unit: 'Month'
		};
	}
	const text: (string | null)[] = [];
	const index = new Map<string, number>();
	const raw = new Int32Array(n).fill(-1);
	for (let r = 0; r < n; r++) {
		const c = cellAt(col, r);
		if (c === null) continue;
		const s = String(c);
		let i = index.get(s);
		if (i === undefined) {
			i = text.length;
			index.set(s, i);
			text.push(s);
		}
		raw[r] = i;
	}
	const labels = sortLabels(text as string[]);
	const rank = new Int32Array(text.length);
	labels.forEach((l, k) => (rank[index.get(l)!] = k));
	for (let r = 0; r < n; r++) if (raw[r] >= 0) of[r] = rank[raw[r]];
	return { labels, of, kind: 'marks', unit: humaniseName(col.name) };
}

function humaniseName(name: string): string {
	const s = name.replace(/[_\s]+/g, ' ').trim();
	return s ? s[0].toUpperCase() + s.slice(1) : name;
}

function median(values: Float64Array): number {
	const s = Float64Array.from(values).sort();
	if (s.length === 0) return NaN;
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round(v: number, digits: number): number | null {
	if (!Number.isFinite(v)) return null;
	const p = 10 ** digits;
	return Math.round(v * p) / p;
}

function digitsFor(values: Iterable<number>): number {
	let top = 0;
	for (const v of values) if (Number.isFinite(v)) top = Math.max(top, Math.abs(v));
	return top >= 100 ? 0 : top >= 10 ? 1 : 2;
}

/** Mean of a numeric column over rows, or NaN. */
function meanOver(col: Column, rows: ArrayLike<number>): number {
	let s = 0;
	let n = 0;
	for (let i = 0; i < rows.length; i++) {
		const v =
			col.kind === 'numeric' ? col.values[rows[i]] : (numericValue(cellAt(col, rows[i])) ?? NaN);
		if (Number.isFinite(v)) {
			s += v;
			n++;
		}
	}
	return n ? s / n : NaN;
}

/** Most frequent category over rows (ties: the first seen), or null. */
function modeOver(col: Column, rows: ArrayLike<number>): string | null {
	if (col.kind !== 'categorical') return null;
	const counts = new Map<number, number>();
	let best = MISSING_CODE;
	let bestN = 0;
	for (let i = 0; i < rows.length; i++) {
		const c = col.codes[rows[i]];
		if (c === MISSING_CODE) continue;
		const k = (counts.get(c) ?? 0) + 1;
		counts.set(c, k);
		if (k > bestN) {
			best = c;
			bestN = k;
		}
	}
	return best === MISSING_CODE ? null : col.dictionary[best];
}

type DatasetInfo = NonNullable<Awaited<ReturnType<DbPort['getDataset']>>>;

/** Student column: role 'group' (long format), else 'id' — as the dataset page and training do. */
function studentColumnOf(ds: DatasetInfo): string | null {
	return (
		ds.columns.find((c) => c.role === 'group')?.name ??
		ds.columns.find((c) => c.role === 'id')?.name ??
		null
	);
}

function subjectColumnOf(frame: Frame, exclude: Set<string>): string | null {
	for (const c of frame.columns) {
		if (exclude.has(c.name) || c.kind !== 'categorical') continue;
		if (SUBJECT_NAMES.has(normaliseName(c.name))) return c.name;
	}
	return null;
}

/** The mark followed over time: the dataset's numeric target, else a "final mark" column. */
function markColumnOf(frame: Frame, ds: DatasetInfo, skip: Set<string>): string | null {
	const numeric = frame.columns.filter((c) => c.kind === 'numeric' && c.type !== 'datetime');
	if (ds.target && numeric.some((c) => c.name === ds.target)) return ds.target;
	const fin = numeric.find((c) => resolveConcept(c.name) === 'final_mark');
	if (fin) return fin.name;
	const roles = new Map(ds.columns.map((c) => [c.name, c.role]));
	return (
		numeric.find((c) => !skip.has(c.name) && roles.get(c.name) === 'target')?.name ??
		numeric.find((c) => !skip.has(c.name) && roles.get(c.name) === 'feature')?.name ??
		null
	);
}

/** Per-period means of one column over the given rows. */
function periodMeans(col: Column, rows: ArrayLike<number>, p: Periods): (number | null)[] {
	const sum = new Float64Array(p.labels.length);
	const cnt = new Float64Array(p.labels.length);
	for (let i = 0; i < rows.length; i++) {
		const r = rows[i];
		const k = p.of[r];
		const v = col.kind === 'numeric' ? col.values[r] : NaN;
		if (k < 0 || !Number.isFinite(v)) continue;
		sum[k] += v;
		cnt[k]++;
	}
	return Array.from(sum, (s, k) => (cnt[k] ? s / cnt[k] : null));
}

function allRows(n: number): Uint32Array {
	const out = new Uint32Array(n);
	for (let i = 0; i < n; i++) out[i] = i;
	return out;
}

/** Marks over semesters: one line per subject (or one for the student), and the class average. */
function marksPanels(
	frame: Frame,
	p: Periods,
	studentRows: Uint32Array,
	mark: string,
	subject: string | null
): HistoryPanel[] {
	const col = getColumn(frame, mark)!;
	const series: HistorySeries[] = [];
	const subjCol = subject ? getColumn(frame, subject) : undefined;
	if (subjCol && subjCol.kind === 'categorical') {
		const bySubject = new Map<string, number[]>();
		for (const r of studentRows) {
			const c = subjCol.codes[r];
			if (c === MISSING_CODE) continue;
			const s = subjCol.dictionary[c];
			const list = bySubject.get(s) ?? [];
			list.push(r);
			bySubject.set(s, list);
		}
		for (const s of [...bySubject.keys()].sort((a, b) => a.localeCompare(b)))
			series.push({ name: s, values: periodMeans(col, bySubject.get(s)!, p) });
	} else {
		series.push({ name: 'This student', values: periodMeans(col, studentRows, p) });
	}
	series.push({
		name: 'Class average',
		values: periodMeans(col, allRows(frame.nRows), p),
		reference: true
	});
	// Only the periods the student was there for: a student who joined late has no empty start.
	const keep = p.labels.map((_, k) => series.some((s) => !s.reference && s.values[k] !== null));
	const digits = digitsFor(series.flatMap((s) => s.values.map((v) => v ?? NaN)));
	const label = humaniseName(mark);
	return [
		{
			title: subjCol
				? `${label} by ${p.unit.toLowerCase()} and ${humaniseName(subject!).toLowerCase()}`
				: `${label} by ${p.unit.toLowerCase()}`,
			xLabel: p.unit,
			yLabel: label,
			periods: p.labels.filter((_, k) => keep[k]),
			series: series.map((s) => ({
				...s,
				values: s.values
					.filter((_, k) => keep[k])
					.map((v) => (v === null ? null : round(v, digits)))
			})),
			digits
		}
	];
}

/**
 * Activity logs: events per week (and the sum of up to two numeric columns) for the student,
 * beside the class median of the same, counting a silent week as zero.
 */
function activityPanels(
	frame: Frame,
	p: Periods,
	groupOf: Uint32Array,
	nGroups: number,
	g: number,
	measures: string[]
): HistoryPanel[] {
	const nP = p.labels.length;
	const panels: HistoryPanel[] = [];
	const specs: { title: string; yLabel: string; col: Column | null }[] = [
		{ title: `Activity per ${p.unit.toLowerCase()}`, yLabel: 'Events (rows)', col: null },
		...measures.slice(0, 2).map((m) => ({
			title: `${humaniseName(m)} per ${p.unit.toLowerCase()}`,
			yLabel: `${humaniseName(m)} (total)`,
			col: getColumn(frame, m) ?? null
		}))
	];
	for (const spec of specs) {
		const grid = new Float64Array(nGroups * nP);
		for (let r = 0; r < frame.nRows; r++) {
			const gr = groupOf[r];
			const k = p.of[r];
			if (gr === MISSING_CODE || k < 0) continue;
			let v = 1;
			if (spec.col) {
				v = spec.col.kind === 'numeric' ? spec.col.values[r] : NaN;
				if (!Number.isFinite(v)) continue;
			}
			grid[gr * nP + k] += v;
		}
		const mine = Array.from(grid.subarray(g * nP, (g + 1) * nP));
		const med = Array.from({ length: nP }, (_, k) => {
			const column = new Float64Array(nGroups);
			for (let i = 0; i < nGroups; i++) column[i] = grid[i * nP + k];
			return median(column);
		});
		const digits = digitsFor([...mine, ...med]) === 2 ? 1 : 0;
		panels.push({
			title: spec.title,
			xLabel: p.unit,
			yLabel: spec.yLabel,
			periods: p.labels,
			series: [
				{ name: 'This student', values: mine.map((v) => round(v, digits)) },
				{ name: 'Class median', values: med.map((v) => round(v, digits)), reference: true }
			],
			digits
		});
	}
	return panels;
}

/** No time column: each numeric (or Low/Medium/High) column, the student beside the class. */
function profileItems(
	frame: Frame,
	ctx: ClassContext,
	studentRows: Uint32Array,
	skip: Set<string>
): ColumnComparison[] {
	const out: ColumnComparison[] = [];
	for (const c of frame.columns) {
		const stats = ctx.columns[c.name];
		if (!stats || skip.has(c.name)) continue;
		const v = meanOver(c, studentRows);
		const has = Number.isFinite(v);
		// Low/Medium/High answers read as the words, not as "2/10".
		const levels =
			c.kind === 'categorical'
				? new Map(c.dictionary.map((l) => [numericValue(l), l] as const))
				: null;
		const show = (x: number) =>
			levels ? (levels.get(Math.round(x)) ?? formatNumber(x, 1)) : formatOnScale(x, stats.scale);
		let below = 0;
		let equal = 0;
		const q = stats.percentiles;
		// Mid-rank percentile against the stored grid: close enough for "where in the class".
		for (const x of q) {
			if (x < v) below++;
			else if (x === v) equal++;
		}
		out.push({
			column: c.name,
			label: columnLabel(c.name, stats.concept),
			value: has ? v : null,
			median: stats.median,
			q25: stats.q25,
			q75: stats.q75,
			min: stats.min,
			max: stats.max,
			percentile: has && q.length > 1 ? Math.round(((below + equal / 2) / q.length) * 100) : null,
			display: {
				value: has ? show(v) : 'missing',
				median: show(stats.median),
				q25: show(stats.q25),
				q75: show(stats.q75)
			}
		});
	}
	return out;
}

/** The prediction in the rule engine's terms (probabilities in the model's class order). */
function insightPrediction(r: SinglePrediction): Prediction | null {
	if (r.value !== null)
		return { kind: 'regression', value: r.value, lower: r.lower, upper: r.upper, level: 0.9 };
	if (r.probabilities && r.model.classes) {
		const p = new Map(r.probabilities.map((x) => [x.label, x.p]));
		return {
			kind: 'classification',
			classes: [...r.model.classes],
			probabilities: r.model.classes.map((c) => p.get(c) ?? 0)
		};
	}
	return null;
}

function explainedOf(r: SinglePrediction): Explained {
	return r.policy.mode === 'probability-above'
		? { kind: 'class', label: r.policy.riskClass }
		: { kind: 'mark' };
}

/** The most worrying of a model's row predictions: flagged first, then the highest risk. */
function headline(rows: RowPrediction[]): SinglePrediction | null {
	let best: SinglePrediction | null = null;
	for (const r of rows) {
		const x = r.result;
		if (!x) continue;
		if (
			!best ||
			(x.atRisk && !best.atRisk) ||
			(x.atRisk === best.atRisk && (x.riskProbability ?? 0) > (best.riskProbability ?? 0))
		)
			best = x;
	}
	return best;
}

function cellText(c: Cell): string | null {
	if (c === null) return null;
	return typeof c === 'number' ? String(Math.round(c * 100) / 100) : c;
}

export function createStudentApi(
	jobs: JobRegistry,
	db: DbPort,
	port: PredictPort,
	ml: () => Promise<MlRuntime>
): StudentApi {
	const predict = createPredictApi(jobs, db, port, ml);

	async function rulesJson(): Promise<unknown> {
		try {
			return await port.getRulePack();
		} catch {
			return null;
		}
	}

	async function modelPredictions(
		modelId: string,
		frame: Frame,
		rows: number[],
		labelOf: (r: number) => string,
		studentId: string,
		more: number
	): Promise<ModelPredictions> {
		const base: ModelPredictions = {
			modelId,
			name: 'Model',
			version: 0,
			target: '',
			rows: [],
			more,
			error: null
		};
		const record = await port.getModel(modelId);
		if (!record)
			return {
				...base,
				error: {
					code: 'model-not-found',
					message: 'This model is no longer on this device.',
					details: { modelId }
				}
			};
		base.name = record.name;
		base.version = record.version;
		base.target = record.target;
		const targetCol = getColumn(frame, record.target);
		for (const r of rows) {
			const values: Record<string, string | number | null> = {};
			for (const f of record.features) {
				const col = getColumn(frame, f);
				values[f] = col ? cellAt(col, r) : null;
			}
			const res = await predict.predictOne(modelId, values, { studentId, log: true });
			base.rows.push({
				row: r,
				label: labelOf(r),
				actual: targetCol ? cellText(cellAt(targetCol, r)) : null,
				result: res.ok ? res.value : null,
				error: res.ok ? null : res.error
			});
		}
		// A model that cannot read this data at all says so once, not once per row.
		const errs = base.rows.filter((r) => r.error);
		if (errs.length === base.rows.length && errs.length > 0) {
			const e = errs[0].error!;
			if (e.code === 'model-not-found' || e.code === 'model-too-old')
				return { ...base, rows: [], error: e };
		}
		return base;
	}

	return {
		studentReport(datasetId, studentId, opts = {}, onProgress, jobId) {
			return jobs.run(jobId, onProgress, 'The report was cancelled.', async ({ token, report }) => {
				report({ fraction: 0, phase: 'Reading the class' });
				const ds = await db.getDataset(datasetId);
				if (!ds)
					return fail('dataset-not-found', 'This dataset is no longer on this device.', {
						datasetId
					});
				const studentColumn = studentColumnOf(ds);
				if (!studentColumn)
					return fail(
						'no-student-column',
						`Student reports need a column that names each student, and no column of "${ds.name}" is used as the student id. On the dataset's page, set the role of the column holding student ids to "ID" (or "Student / group" when a student has several rows).`,
						{ datasetId }
					);
				const frame = await db.loadFrame(datasetId);
				token.throwIfCancelled();
				const grouping = groupRows(frame, studentColumn);
				const wanted = studentId.trim();
				const g = grouping.keys.indexOf(wanted);
				if (g < 0)
					return fail(
						'student-not-found',
						`There is no student "${wanted}" in "${ds.name}". The id may have been mistyped, or the student may be in another dataset.`,
						{ datasetId, column: studentColumn, example: grouping.keys[0] ?? null }
					);
				const roles = new Map(ds.columns.map((c) => [c.name, c.role]));
				const timeColumn =
					ds.columns.find((c) => c.role === 'time' && getColumn(frame, c.name))?.name ?? null;
				const skip = new Set(
					ds.columns
						.filter(
							(c) =>
								c.role === 'id' || c.role === 'group' || c.role === 'ignore' || c.role === 'time'
						)
						.map((c) => c.name)
				);
				skip.add(studentColumn);
				const subjectColumn = subjectColumnOf(
					frame,
					new Set([studentColumn, ...(timeColumn ? [timeColumn] : [])])
				);
				if (subjectColumn) skip.add(subjectColumn);

				let studentRows = Uint32Array.from({ length: frame.nRows }, (_, r) => r).filter(
					(r) => grouping.groupOf[r] === g
				);
				const periods = timeColumn ? periodsOf(getColumn(frame, timeColumn)!) : null;
				if (periods) {
					// Time order, file order within a period.
					studentRows = Uint32Array.from(studentRows).sort(
						(a, b) => periods.of[a] - periods.of[b] || a - b
					);
				}
				const studentPeriods = periods
					? [...new Set(Array.from(studentRows, (r) => periods.of[r]).filter((k) => k >= 0))].sort(
							(a, b) => a - b
						)
					: [];
				const latestK = studentPeriods.length ? studentPeriods[studentPeriods.length - 1] : -1;
				const latestRows = periods
					? latestK >= 0
						? Array.from(studentRows).filter((r) => periods.of[r] === latestK)
						: [studentRows[studentRows.length - 1]]
					: [studentRows[studentRows.length - 1]];
				// The class at the same point in time: the latest period's rows, for like-for-like.
				const classRows =
					periods && periods.kind === 'marks' && latestK >= 0
						? Uint32Array.from({ length: frame.nRows }, (_, r) => r).filter(
								(r) => periods.of[r] === latestK
							)
						: null;

				report({ fraction: 0.2, phase: 'Comparing with the class' });
				const tableCols = frame.columns.filter(
					(c) => roles.get(c.name) !== 'ignore' || c.name === ds.target
				);
				const table = {
					columns: tableCols.map((c) => c.name),
					rows: Array.from(studentRows.subarray(0, MAX_TABLE_ROWS), (r) =>
						tableCols.map((c) => cellAt(c, r))
					),
					total: studentRows.length
				};

				let history: StudentHistory;
				if (periods && timeColumn) {
					if (periods.kind === 'activity') {
						const measures = frame.columns
							.filter((c) => c.kind === 'numeric' && c.type !== 'datetime' && !skip.has(c.name))
							.map((c) => c.name);
						history = {
							kind: 'time',
							timeColumn,
							panels: activityPanels(
								frame,
								periods,
								grouping.groupOf,
								grouping.nGroups,
								g,
								measures
							)
						};
					} else {
						const mark = markColumnOf(frame, ds, skip);
						history = {
							kind: 'time',
							timeColumn,
							panels: mark ? marksPanels(frame, periods, studentRows, mark, subjectColumn) : []
						};
					}
				} else {
					history = { kind: 'profile', items: [] };
				}
				token.throwIfCancelled();

				report({ fraction: 0.35, phase: 'Predicting' });
				const labelOf = (r: number) => {
					const parts: string[] = [];
					const s = subjectColumn ? cellAt(getColumn(frame, subjectColumn)!, r) : null;
					if (s !== null) parts.push(String(s));
					if (periods && periods.of[r] >= 0) parts.push(periods.labels[periods.of[r]]);
					return parts.length ? parts.join(', ') : 'Latest row';
				};
				const scored = latestRows.slice(0, MAX_PREDICTED_ROWS);
				const predictions: ModelPredictions[] = [];
				const ids = [...new Set(opts.modelIds ?? [])];
				for (const [i, id] of ids.entries()) {
					token.throwIfCancelled();
					predictions.push(
						await modelPredictions(
							id,
							frame,
							scored,
							labelOf,
							wanted,
							latestRows.length - scored.length
						)
					);
					report({ fraction: 0.35 + (0.4 * (i + 1)) / ids.length, phase: 'Predicting' });
				}

				report({ fraction: 0.8, phase: 'Writing the recommendations' });
				const lead = predictions.map((m) => headline(m.rows)).find((x) => x !== null) ?? null;
				const target = lead?.model.target ?? ds.target ?? null;
				const ctx = buildClassContext({
					frame,
					rows: classRows,
					target: target && getColumn(frame, target) ? target : null
				});
				if (history.kind === 'profile') history.items = profileItems(frame, ctx, studentRows, skip);

				// The student now: their latest rows, averaged where there are several (subjects).
				const values: StudentFacts['values'] = {};
				for (const c of frame.columns) {
					if (c.name === studentColumn) continue;
					if (c.kind === 'numeric') {
						const v = meanOver(c, latestRows);
						values[c.name] = Number.isFinite(v) ? v : null;
					} else if (ctx.columns[c.name]) {
						const v = meanOver(c, latestRows);
						values[c.name] = Number.isFinite(v) ? v : null;
					} else values[c.name] = modeOver(c, latestRows);
				}
				const facts: StudentFacts = {
					id: wanted,
					values,
					prediction: lead ? insightPrediction(lead) : null,
					factors: lead?.factors ?? [],
					explained: lead ? explainedOf(lead) : null
				};
				if (lead?.policy.mode === 'probability-above') ctx.riskClasses = [lead.policy.riskClass];
				const { pack } = packInForce(await rulesJson());
				const recommendations = evaluateRules(pack, facts, ctx);

				const mark = markColumnOf(frame, ds, skip);
				const standing: SubjectView | null =
					subjectColumn && mark
						? {
								subjectColumn,
								markColumn: mark,
								semester: null,
								subjects: subjectStanding(
									frame,
									{
										student: studentColumn,
										subject: subjectColumn,
										mark,
										semester: periods?.kind === 'marks' ? timeColumn : null
									},
									wanted
								)
							}
						: null;
				if (standing) standing.semester = standing.subjects[0]?.semester ?? null;
				const planSuggestions = suggestStudyPlan(standing?.subjects ?? [], recommendations);
				const feedbackInput: FeedbackInput = {
					facts,
					context: ctx,
					outcome: target ? humaniseName(target).toLowerCase() : null,
					recommendations,
					subjects: standing?.subjects ?? null
				};

				report({ fraction: 1, phase: 'Done' });
				return ok({
					datasetId,
					datasetName: ds.name,
					studentId: wanted,
					studentColumn,
					timeColumn,
					subjectColumn,
					periods: periods ? studentPeriods.map((k) => periods.labels[k]) : [],
					periodUnit: periods ? periods.unit : null,
					latestPeriod: periods && latestK >= 0 ? periods.labels[latestK] : null,
					nRows: studentRows.length,
					nClassRows: frame.nRows,
					nStudents: grouping.nGroups,
					table,
					history,
					predictions,
					standing,
					recommendations,
					feedbackInput,
					planSuggestions,
					generatedAt: Date.now()
				});
			});
		}
	};
}
