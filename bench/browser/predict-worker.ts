/**
 * Dedicated Web Worker entry for `npm run bench:predict` (bench/predict-browser.mjs). It runs the
 * app's own prediction API (src/lib/worker/predict-api.ts) over in-memory storage, so the figures
 * are the code path a teacher's what-if and batch scoring take, minus IndexedDB:
 *  - a model trained on the marks demo (20,000 rows; gradient boosting or ridge),
 *  - single predictions (validate → score → risk → TreeSHAP/linear SHAP → factors → rules),
 *    latency percentiles over many calls with varied inputs,
 *  - batch scoring of 100,000 rows into an at-risk list (reasons for up to 1,000 students).
 */
import { generateDemo } from '../../src/lib/ml/synthetic';
import { takeRows, type Frame } from '../../src/lib/ml/frame';
import { trainModels } from '../../src/lib/ml/train/run';
import { CancelSource } from '../../src/lib/ml/progress';
import type { Family } from '../../src/lib/ml/train/types';
import { createPredictApi, type PredictPort } from '../../src/lib/worker/predict-api';
import { trainingSummary } from '../../src/lib/worker/train-api';
import { JobRegistry } from '../../src/lib/worker/jobs';
import type { DbPort } from '../../src/lib/worker/api';
import type { ModelRecord } from '../../src/lib/db';

interface Request {
	family: Family;
	trainRows: number;
	batchRows: number;
	singles: number;
}

const scope = self as unknown as {
	onmessage: ((e: MessageEvent<Request>) => void) | null;
	postMessage(message: unknown): void;
};

function pct(sorted: number[], p: number): number {
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return Math.round(sorted[i] * 100) / 100;
}

async function run(req: Request) {
	const demo = generateDemo('marks', { rows: req.batchRows, seed: 7 });
	const frame: Frame = demo.frame;
	const target = demo.target ?? 'final_exam';
	const features = frame.columns.filter((c) => demo.roles[c.name] === 'feature').map((c) => c.name);
	const train = takeRows(
		frame,
		Uint32Array.from({ length: req.trainRows }, (_, i) => i)
	);
	const t0 = performance.now();
	const outcome = await trainModels(
		train,
		{
			target,
			features,
			families: [req.family],
			auto: false,
			validation: { scheme: 'kfold', k: 3, group: null, time: null },
			classWeight: 'none',
			seed: 1
		},
		{ progress: () => {}, cancel: new CancelSource() }
	);
	const trainSeconds = (performance.now() - t0) / 1000;
	const record: ModelRecord = {
		id: 'bench-model',
		datasetId: 'bench-data',
		target,
		task: outcome.task,
		family: req.family,
		version: 1,
		active: true,
		name: `Bench ${req.family}`,
		features: outcome.features,
		params: {},
		metrics: outcome.diagnostics.metrics,
		baseline: outcome.diagnostics.baseline,
		artifact: outcome.artifact,
		trainSeconds,
		notes: '',
		createdAt: Date.now(),
		training: trainingSummary(outcome)
	};
	let logged = 0;
	const port: PredictPort = {
		getModel: async (id) => (id === record.id ? record : undefined),
		savePrediction: async () => 'bench-prediction',
		logPrediction: async () => {
			logged++;
		},
		getRulePack: async () => null
	};
	const db = {
		getDataset: async () => ({
			id: 'bench-data',
			name: 'Marks demo',
			nRows: frame.nRows,
			updatedAt: 0,
			profile: 'marks',
			target,
			columns: frame.columns.map((c) => ({ name: c.name, role: demo.roles[c.name], type: c.type }))
		}),
		loadFrame: async () => frame,
		logEvent: async () => undefined
	} as unknown as DbPort;
	const api = createPredictApi(new JobRegistry(), db, port, async () => {
		throw new Error('no tf in this bench');
	});
	const setup = await api.getPredictionSetup(record.id);
	if (!setup.ok) throw new Error(setup.error.message);
	const fields = setup.value.form.fields;

	// Warm-up, then varied inputs: each call moves one slider, as a teacher would.
	const values: Record<string, string | number | null> = {};
	for (const f of fields) values[f.name] = f.kind === 'numeric' ? f.median : f.mode;
	for (let i = 0; i < 20; i++) await api.predictOne(record.id, values, { log: false });
	const times: number[] = [];
	const inWorker: number[] = [];
	for (let i = 0; i < req.singles; i++) {
		const f = fields[i % fields.length];
		if (f.kind === 'numeric') values[f.name] = f.min + ((i * 0.37) % 1) * (f.max - f.min);
		const s = performance.now();
		const r = await api.predictOne(record.id, values, { log: true });
		times.push(performance.now() - s);
		if (!r.ok) throw new Error(r.error.message);
		inWorker.push(r.value.latencyMs);
	}
	times.sort((a, b) => a - b);
	inWorker.sort((a, b) => a - b);

	const b0 = performance.now();
	const batch = await api.scoreDataset({ modelId: record.id });
	const batchSeconds = (performance.now() - b0) / 1000;
	if (!batch.ok) throw new Error(batch.error.message);
	return {
		available: true,
		family: req.family,
		train_rows: req.trainRows,
		train_seconds: Math.round(trainSeconds * 100) / 100,
		cv_metrics: outcome.diagnostics.metrics,
		single: {
			calls: req.singles,
			p50_ms: pct(times, 50),
			p95_ms: pct(times, 95),
			max_ms: pct(times, 100),
			reported_latency_p50_ms: pct(inWorker, 50),
			logged
		},
		batch: {
			rows: batch.value.nScored,
			at_risk: batch.value.nAtRisk,
			explained_rows: batch.value.rows.filter((r) => r.reasons.length > 0).length,
			seconds: Math.round(batchSeconds * 1000) / 1000,
			rows_per_second: Math.round(batch.value.nScored / batchSeconds)
		}
	};
}

scope.onmessage = (e) => {
	run(e.data).then(
		(r) => scope.postMessage(r),
		(err: unknown) =>
			scope.postMessage({ available: false, error: err instanceof Error ? err.stack : String(err) })
	);
};
