import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, openDb, updateColumnRoles, type ClasslensDB } from '../../src/lib/db';
import { listPredictionLog } from '../../src/lib/db/prediction-log';
import type { Result } from '../../src/lib/errors';
import { cellAt, getColumn, type Frame } from '../../src/lib/ml/frame';
import { feedbackText } from '../../src/lib/ml/insights/feedback';
import { generateDemo } from '../../src/lib/ml/synthetic';
import { createWorkerApi, type WorkerApi } from '../../src/lib/worker/api';
import { createDbPort } from '../../src/lib/worker/db-port';
import { createPredictPort } from '../../src/lib/worker/predict-port';

const NAME = 'student-api-test';
let api: WorkerApi;
let db: ClasslensDB;

beforeAll(() => {
	db = openDb(NAME);
	api = createWorkerApi({
		ml: async () => {
			throw new Error('tfjs is not needed for linear models');
		},
		db: createDbPort(db),
		predictions: createPredictPort(db),
		generateDemo
	});
});
afterAll(() => closeDb(NAME));

function value<T>(r: Result<T>): T {
	if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
	return r.value;
}

/** The rows of one student, straight from the generator (no Classlens code in between). */
function rowsOf(frame: Frame, id: string): number[] {
	const col = getColumn(frame, 'student_id')!;
	return Array.from({ length: frame.nRows }, (_, r) => r).filter((r) => cellAt(col, r) === id);
}
const cell = (frame: Frame, name: string, r: number) => cellAt(getColumn(frame, name)!, r);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('student report, long format (course records)', () => {
	// The app's default demo: the same rows the e2e journey sees.
	const demo = generateDemo('course-records', {});
	const frame = demo.frame;
	let datasetId = '';
	let modelId = '';

	beforeAll(async () => {
		datasetId = value(await api.createDemoDataset('course-records', {})).datasetId;
		modelId = value(
			await api.trainModels(
				{
					datasetId,
					target: 'final_marks',
					families: ['linear'],
					auto: false,
					seed: 1,
					validation: { scheme: 'kfold', k: 3 }
				},
				undefined,
				'train'
			)
		).modelId;
	}, 120_000);

	it("holds the student's rows, history, predictions, weak subjects, rules and text", async () => {
		// S00047 is weak everywhere in 2024-S1 (checked by hand against the class, see below).
		const id = 'S00047';
		const report = value(await api.studentReport(datasetId, id, { modelIds: [modelId] }));
		const mine = rowsOf(frame, id);

		expect(report.studentColumn).toBe('student_id');
		expect(report.timeColumn).toBe('semester');
		expect(report.subjectColumn).toBe('subject');
		expect(report.nRows).toBe(mine.length);
		expect(report.nStudents).toBe(120);
		expect(report.table.total).toBe(mine.length);
		const sidAt = report.table.columns.indexOf('student_id');
		expect(report.table.rows.every((r) => r[sidAt] === id)).toBe(true);
		// final_grade is ignored (it leaks the target) and left out of the table.
		expect(report.table.columns).not.toContain('final_grade');
		const semesters = [...new Set(mine.map((r) => String(cell(frame, 'semester', r))))].sort();
		expect(report.periods).toEqual(semesters);
		expect(report.latestPeriod).toBe('2024-S1');
		expect(report.periodUnit).toBe('Semester');

		// History: a line per subject plus the class average, values checked against the rows.
		if (report.history.kind !== 'time') throw new Error('expected a time history');
		const panel = report.history.panels[0];
		expect(panel.periods).toEqual(semesters);
		const subjects = [...new Set(mine.map((r) => String(cell(frame, 'subject', r))))].sort();
		expect(panel.series.map((s) => s.name)).toEqual([...subjects, 'Class average']);
		const latest = mine.filter((r) => cell(frame, 'semester', r) === '2024-S1');
		const maths = latest.filter((r) => cell(frame, 'subject', r) === 'Mathematics');
		expect(panel.series.find((s) => s.name === 'Mathematics')?.values.at(-1)).toBeCloseTo(
			mean(maths.map((r) => cell(frame, 'final_marks', r) as number)),
			1
		);
		const classLatest = Array.from({ length: frame.nRows }, (_, r) => r).filter(
			(r) => cell(frame, 'semester', r) === '2024-S1'
		);
		expect(panel.series.at(-1)?.values.at(-1)).toBeCloseTo(
			mean(classLatest.map((r) => cell(frame, 'final_marks', r) as number)),
			1
		);

		// One prediction per subject of the latest semester, each with a range and reasons.
		expect(report.predictions).toHaveLength(1);
		const m = report.predictions[0];
		expect(m.error).toBeNull();
		expect(m.rows.map((r) => r.row).sort((a, b) => a - b)).toEqual(latest);
		for (const r of m.rows) {
			expect(r.label).toMatch(/^(Mathematics|English|Physics|Chemistry|Biology|History), 2024-S1$/);
			expect(r.result?.value).toEqual(expect.any(Number));
			expect(r.result!.lower!).toBeLessThan(r.result!.value!);
			expect(r.result!.factors.length).toBeGreaterThan(0);
			expect(r.actual).toBe(String(cell(frame, 'final_marks', r.row)));
		}
		// A struggling student: at least one subject flagged under the default pass mark of 40.
		expect(m.rows.some((r) => r.result?.atRisk)).toBe(true);

		// Weak subjects: every subject of 2024-S1, checked by hand for Biology.
		const standing = report.standing!;
		expect(standing.semester).toBe('2024-S1');
		expect(standing.markColumn).toBe('final_marks');
		const weak = standing.subjects.filter((s) => s.weak).map((s) => s.subject);
		expect(weak.sort()).toEqual(['Biology', 'Chemistry', 'English', 'Mathematics', 'Physics']);
		const bio = standing.subjects.find((s) => s.subject === 'Biology')!;
		const bioClass = classLatest
			.filter((r) => cell(frame, 'subject', r) === 'Biology')
			.map((r) => cell(frame, 'final_marks', r) as number);
		expect(bio.mark).toBe(24);
		expect(bio.classMean).toBeCloseTo(mean(bioClass), 6);
		expect(bio.n).toBe(bioClass.length);
		expect(bio.percentile).toBeLessThan(25);

		// The rules, the suggested plan and the text in each tone.
		expect(report.recommendations.length).toBeGreaterThan(0);
		expect(report.recommendations[0].priority).toBe('high');
		expect(report.planSuggestions.map((p) => p.title)).toContain('Catch up in Biology');
		const teacher = feedbackText(report.feedbackInput, 'teacher');
		expect(teacher.title).toBe('Notes for S00047');
		expect(teacher.paragraphs.join(' ')).toMatch(/weak: Biology 24 vs class/);
		const parent = feedbackText(report.feedbackInput, 'parent');
		expect(parent.paragraphs.join(' ')).toMatch(/estimated at about/);
		expect(parent.paragraphs.join(' ')).not.toMatch(/undefined|NaN/);

		// The predictions shown were logged for this student (the outcomes loop reads them).
		const log = await listPredictionLog(db, { modelId, limit: 100 });
		expect(log.filter((e) => e.studentId === id)).toHaveLength(latest.length);
	});

	it('names an unknown student and says what the ids look like', async () => {
		const r = await api.studentReport(datasetId, 'S99999', { modelIds: [modelId] });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.error.code).toBe('student-not-found');
		expect(r.error.message).toContain('There is no student "S99999"');
		expect(r.error.details?.example).toBe('S00001');
	});

	it('reports a model that is gone without failing the report', async () => {
		const report = value(await api.studentReport(datasetId, 'S00001', { modelIds: ['gone'] }));
		expect(report.predictions[0].error?.code).toBe('model-not-found');
		expect(report.nRows).toBe(rowsOf(frame, 'S00001').length);
	});
});

describe('student report, one row per student and event logs', () => {
	it('compares a marks student with the class, column by column', async () => {
		const demo = generateDemo('marks', {});
		const { datasetId } = value(await api.createDemoDataset('marks', {}));
		const report = value(await api.studentReport(datasetId, 'S00003'));
		expect(report.nRows).toBe(1);
		expect(report.timeColumn).toBeNull();
		expect(report.standing).toBeNull();
		expect(report.predictions).toEqual([]);
		if (report.history.kind !== 'profile') throw new Error('expected a profile');
		const att = report.history.items.find((i) => i.column === 'attendance')!;
		const r = rowsOf(demo.frame, 'S00003')[0];
		expect(att.value).toBe(cell(demo.frame, 'attendance', r));
		const col = getColumn(demo.frame, 'attendance');
		const all =
			col?.kind === 'numeric' ? Array.from(col.values).filter((v) => !Number.isNaN(v)) : [];
		all.sort((x, y) => x - y);
		const h = (all.length - 1) / 2;
		const mid = (all[Math.floor(h)] + all[Math.ceil(h)]) / 2;
		expect(att.median).toBeCloseTo(mid, 6);
		expect(report.history.items.map((i) => i.column)).not.toContain('student_id');
		expect(feedbackText(report.feedbackInput, 'student').paragraphs.length).toBeGreaterThan(0);
	});

	it('counts an LMS student’s events per week beside the class median', async () => {
		const demo = generateDemo('lms-activity', {});
		const { datasetId } = value(await api.createDemoDataset('lms-activity', {}));
		const report = value(await api.studentReport(datasetId, 'S00003'));
		if (report.history.kind !== 'time') throw new Error('expected a time history');
		const events = report.history.panels[0];
		expect(events.xLabel).toBe('Week');
		expect(events.series.map((s) => s.name)).toEqual(['This student', 'Class median']);
		const total = events.series[0].values.reduce<number>((a, v) => a + (v ?? 0), 0);
		expect(total).toBe(rowsOf(demo.frame, 'S00003').length);
		expect(report.history.panels.map((p) => p.title)).toContain('Clicks per week');
	});

	it('explains that a dataset without a student column cannot have reports', async () => {
		const { datasetId } = value(await api.createDemoDataset('marks', {}));
		await updateColumnRoles(db, datasetId, { student_id: 'ignore' });
		const r = await api.studentReport(datasetId, 'S00001');
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.error.code).toBe('no-student-column');
			expect(r.error.message).toMatch(/need a column that names each student/);
		}
		const gone = await api.studentReport('no-such-dataset', 'S00001');
		expect(gone.ok || gone.error.code).toBe('dataset-not-found');
	});
});
