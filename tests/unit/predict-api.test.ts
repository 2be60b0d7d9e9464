import 'fake-indexeddb/auto';
import { value, workerApiOnFakeDb } from './helpers/worker-api';
import { describe, expect, it } from 'vitest';
import { getDataset, listEvents } from '../../src/lib/db';
import { listPredictionLog } from '../../src/lib/db/prediction-log';
import { listPredictions } from '../../src/lib/db/predictions';

function setup() {
	return workerApiOnFakeDb('predict-api-test');
}

async function trained(
	family: 'gbdt' | 'linear' | 'mlp',
	profile: 'marks' | 'course-records' = 'marks',
	targetName?: string
) {
	const { api, db } = setup();
	const demo = value(await api.createDemoDataset(profile, { seed: 5 }));
	const ds = await getDataset(db, demo.datasetId);
	const target = targetName ?? ds?.target ?? 'final_exam';
	const model = value(
		await api.trainModels(
			{
				datasetId: demo.datasetId,
				target,
				families: [family],
				auto: false,
				seed: 1,
				validation: { scheme: 'kfold', k: 3 },
				params: { mlp: { epochs: 8, hidden: [8] } }
			},
			undefined,
			`train-${family}`
		)
	);
	return { api, db, datasetId: demo.datasetId, modelId: model.modelId, target };
}

describe('prediction API (Node, fake-indexeddb)', () => {
	it('builds the what-if form, predicts one student with reasons, and logs it once settled', async () => {
		const { api, db, modelId } = await trained('gbdt');
		const setupInfo = value(await api.getPredictionSetup(modelId));
		expect(setupInfo.model.task).toBe('regression');
		expect(setupInfo.policy).toEqual({ mode: 'mark-below', passMark: 40 });
		expect(setupInfo.idColumn).toBe('student_id');
		const attendance = setupInfo.form.fields.find((f) => f.name === 'attendance');
		expect(attendance).toMatchObject({ kind: 'numeric' });

		const inputs: Record<string, number | string | null> = {};
		for (const f of setupInfo.form.fields)
			inputs[f.name] = f.kind === 'numeric' ? f.median : f.mode;
		const typical = value(await api.predictOne(modelId, inputs, { log: false }));
		expect(typical.value).not.toBeNull();
		expect(typical.lower!).toBeLessThan(typical.value!);
		expect(typical.upper!).toBeGreaterThan(typical.value!);
		expect(typical.method).toBe('tree-shap');
		expect(typical.factors.length).toBeGreaterThan(0);
		expect(typical.latencyMs).toBeGreaterThan(0);

		// Attendance at the bottom of the range lowers the mark, and the reasons say so.
		const low = value(await api.predictOne(modelId, { ...inputs, attendance: 0 }, { log: false }));
		expect(low.value!).toBeLessThan(typical.value!);
		const att = low.factors.find((f) => f.feature === 'attendance');
		expect(att?.direction).toBe('down');
		expect(att?.text).toMatch(/^Attendance/);
		expect(low.recommendations.map((r) => r.ruleId)).toContain(
			low.recommendations.find((r) => /attendance/i.test(r.title))?.ruleId
		);

		// Field-by-field validation comes back as an error value naming the field.
		const bad = await api.predictOne(modelId, { ...inputs, attendance: 'often' });
		expect(bad.ok).toBe(false);
		if (!bad.ok) {
			expect(bad.error.code).toBe('invalid-input');
			expect(bad.error.message).toBe('Attendance must be a number (you entered "often").');
		}

		expect(await listPredictionLog(db, {})).toHaveLength(0);
		value(await api.recordPrediction(low, 'S0007'));
		const log = await listPredictionLog(db, {});
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			kind: 'single',
			modelId,
			modelVersion: 1,
			studentId: 'S0007',
			input: { ...inputs, attendance: 0 },
			output: { value: low.value, lower: low.lower, upper: low.upper }
		});
	});

	it('scores a whole class into an at-risk list sorted by risk, stores the scores and logs the batch', async () => {
		const { api, db, modelId, datasetId } = await trained('linear');
		const batch = value(
			await api.scoreDataset({ modelId, policy: { mode: 'mark-below', passMark: 50 } })
		);
		expect(batch.nScored).toBe(240);
		expect(batch.rows).toHaveLength(240);
		const flagged = batch.rows.filter((r) => r.atRisk);
		expect(flagged).toHaveLength(batch.nAtRisk);
		expect(batch.nAtRisk).toBeGreaterThan(0);
		// Most at risk first: the predicted marks rise down the list, flagged rows first.
		const values = batch.rows.map((r) => r.value!);
		expect(values).toEqual([...values].sort((a, b) => a - b));
		expect(batch.rows.slice(0, batch.nAtRisk).every((r) => r.atRisk && r.value! < 50)).toBe(true);
		expect(flagged.every((r) => r.reasons.length > 0 && /lower/.test(r.reasons[0]))).toBe(true);
		expect(batch.rows.find((r) => !r.atRisk)?.reasons).toEqual([]);
		expect(flagged[0].student).toMatch(/^S\d+$/);

		const stored = await listPredictions(db, { modelId });
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({ datasetId, nOutputs: 1, rows: null, classes: null });
		expect(Array.from(stored[0].outputs.slice(0, 3))).toEqual(
			[...batch.rows]
				.sort((a, b) => a.row - b.row)
				.slice(0, 3)
				.map((r) => r.value)
		);
		const log = await listPredictionLog(db, { kind: 'batch' });
		expect(log[0]).toMatchObject({ output: { rows: 240, atRisk: batch.nAtRisk } });
		expect((await listEvents(db)).map((e) => e.summary)).toContain(
			`Scored 240 rows with ${batch.model.name} v1; ${batch.nAtRisk} flagged at risk.`
		);
	});

	it('refuses a policy that does not fit the model, in words', async () => {
		const { api, modelId } = await trained('linear');
		const r = await api.scoreDataset({
			modelId,
			policy: { mode: 'probability-above', riskClass: 'Fail', level: 0.5 }
		});
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error.message).toMatch(/predicts a mark, so set a pass mark/);
	});
});

describe('prediction API on a class outcome', () => {
	it('predicts grade probabilities, flags by the chance of the lowest grade and gives its reasons', async () => {
		const { api, modelId, target } = await trained('gbdt', 'course-records', 'final_grade');
		expect(target).toBe('final_grade');
		const setupInfo = value(await api.getPredictionSetup(modelId));
		expect(setupInfo.model.task).toBe('multiclass');
		expect(setupInfo.policy).toMatchObject({
			mode: 'probability-above',
			riskClass: 'F',
			level: 0.5
		});

		const inputs: Record<string, number | string | null> = {};
		for (const f of setupInfo.form.fields)
			inputs[f.name] = f.kind === 'numeric' ? f.median : f.mode;
		const one = value(await api.predictOne(modelId, inputs, { log: false }));
		const total = one.probabilities!.reduce((s, p) => s + p.p, 0);
		expect(total).toBeCloseTo(1, 9);
		expect(one.predictedClass).toBe(one.probabilities![0].label);
		expect(one.explained).toBe("the chance of 'F'");
		expect(one.riskProbability).toBe(one.probabilities!.find((p) => p.label === 'F')!.p);

		const batch = value(
			await api.scoreDataset({
				modelId,
				policy: { mode: 'probability-above', riskClass: 'F', level: 0.3 }
			})
		);
		const flagged = batch.rows.filter((r) => r.atRisk);
		expect(flagged.length).toBe(batch.nAtRisk);
		expect(flagged.every((r) => r.probability! >= 0.3)).toBe(true);
		const p = batch.rows.map((r) => r.probability!);
		expect(p).toEqual([...p].sort((a, b) => b - a));
		if (flagged.length > 0) expect(flagged[0].reasons[0]).toMatch(/rais/);
	});
});

describe('prediction API with a neural network', () => {
	it('scores and explains through the backend manager with sampled Shapley values', async () => {
		const { api, modelId } = await trained('mlp');
		const setupInfo = value(await api.getPredictionSetup(modelId));
		const inputs: Record<string, number | string | null> = {};
		for (const f of setupInfo.form.fields)
			inputs[f.name] = f.kind === 'numeric' ? f.median : f.mode;
		const one = value(await api.predictOne(modelId, { ...inputs, attendance: 1 }, { log: false }));
		expect(one.method).toBe('sampling-shap');
		expect(Number.isFinite(one.value)).toBe(true);
		expect(one.factors.length).toBeGreaterThan(0);
		const batch = value(await api.scoreDataset({ modelId, explainLimit: 20 }));
		expect(batch.nScored).toBe(240);
		const explained = batch.rows.filter((r) => r.reasons.length > 0).length;
		expect(explained).toBeLessThanOrEqual(20);
		expect(explained).toBe(Math.min(20, batch.nAtRisk));
	});
});

describe('prediction API on long-format data', () => {
	it('names the student and the row (term, subject) in the at-risk list', async () => {
		const { api, modelId } = await trained('linear', 'course-records');
		const batch = value(await api.scoreDataset({ modelId, returnLimit: 50 }));
		const first = batch.rows[0];
		expect(first.student).toMatch(/^S\d+$/);
		expect(first.context).toMatch(/^\d{4}-S\d · \w+/);
	});
});
