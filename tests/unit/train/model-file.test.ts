import { describe, expect, it } from 'vitest';
import type { ModelRecord, TrainingSummary } from '$lib/db/types';
import { categoricalColumn, makeFrame, numericColumn, type Frame } from '$lib/ml/frame';
import { fromJson, predict, toJson, trainForest, trainGbdt } from '$lib/ml/gbdt';
import type { ModelArtifact } from '$lib/ml/train/types';
import type { QuickArtifact } from '$lib/ml/train/legacy';
import {
	MAX_MODEL_FILE_BYTES,
	canExportXgboost,
	modelFileName,
	modelFileText,
	modelFromFile,
	parseModelFile,
	requiredColumns,
	toModelFile,
	xgboostExport,
	type ModelFile
} from '$lib/ml/train/model-file';

function marksFrame(n = 60): { x: Frame; y: number[] } {
	const attendance: number[] = [];
	const cats: number[] = [];
	const y: number[] = [];
	for (let i = 0; i < n; i++) {
		attendance.push(50 + ((i * 37) % 50));
		cats.push(i % 7 === 3 ? NaN : (i * 13) % 30);
		y.push(0.5 * attendance[i] + 0.8 * (Number.isNaN(cats[i]) ? 10 : cats[i]) + (i % 5));
	}
	return {
		x: makeFrame([numericColumn('attendance', attendance), numericColumn('cats', cats)]),
		y
	};
}

function training(): TrainingSummary {
	return {
		classes: null,
		validation: {
			scheme: 'kfold',
			k: 5,
			group: null,
			time: null,
			reason: 'Each student has one row, so plain 5-fold cross-validation.',
			nRows: 60
		},
		leaderboard: [
			{
				family: 'gbdt',
				label: 'Gradient boosting (31 leaves, lr 0.1)',
				params: { rounds: 20, learningRate: 0.1, maxLeaves: 31 },
				folds: [{ rmse: 3.1, mae: 2.4, r2: 0.8 }],
				mean: { rmse: 3.1, mae: 2.4, r2: 0.8 },
				std: { rmse: 0, mae: 0, r2: 0 },
				score: 3.1,
				seconds: 0.4
			},
			{
				family: 'baseline',
				label: 'Baseline (mean)',
				params: {},
				folds: [{ rmse: 9, mae: 7, r2: NaN }],
				mean: { rmse: 9, mae: 7, r2: NaN },
				std: { rmse: 0, mae: 0, r2: NaN },
				score: 9,
				seconds: 0
			}
		],
		selected: 0,
		selectionReason: 'Lowest cross-validated RMSE.',
		diagnostics: {
			task: 'regression',
			target: 'final_exam',
			metrics: { rmse: 3.1, mae: 2.4, r2: 0.8 },
			baseline: { rmse: 9, mae: 7, r2: -0 },
			actual: [50, 61, 70],
			predicted: [52, 60, 68.5],
			residualHistogram: { edges: [-3, 0, 3], counts: [1, 2] },
			learningCurve: {
				unit: 'round',
				metric: 'squared error',
				train: [5, 4, 3],
				validation: null,
				best: 3
			},
			importance: [
				{ feature: 'attendance', share: 0.7 },
				{ feature: 'cats', share: 0.3 }
			],
			readings: { summary: 'The model is 3.1 marks off on average.' },
			nRows: 60
		},
		fingerprint: 'ab12cd34',
		distributions: [
			{
				name: 'attendance',
				kind: 'numeric',
				count: 60,
				missingRate: 0,
				mean: 74,
				std: 14,
				min: 50,
				max: 99,
				quantiles: [50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 99],
				histogram: { edges: [50, 75, 100], counts: [30, 30] }
			}
		],
		leakage: [],
		comparison: null,
		nLabelled: 60
	};
}

function gbdtRecord(): { rec: ModelRecord; x: Frame } {
	const { x, y } = marksFrame();
	const ens = trainGbdt(x, y, { nRounds: 12, minSamplesLeaf: 3, seed: 7 });
	const artifact: ModelArtifact = {
		format: 'classlens-model',
		version: 1,
		task: 'regression',
		target: 'final_exam',
		derive: null,
		features: ['attendance', 'cats'],
		classes: null,
		pipeline: null,
		model: { family: 'gbdt', ensemble: toJson(ens) },
		residualQuantiles: { q05: -4.5, q95: Infinity }
	};
	const rec: ModelRecord = {
		id: 'm1',
		datasetId: 'd1',
		target: 'final_exam',
		task: 'regression',
		family: 'gbdt',
		version: 3,
		active: true,
		name: 'Gradient boosting for final_exam',
		features: ['attendance', 'cats'],
		params: { rounds: 12, learningRate: 0.1, maxLeaves: 31, unset: undefined },
		metrics: { rmse: 3.1, mae: 2.4, r2: 0.8, roc_auc: NaN },
		baseline: { rmse: 9, mae: 7, r2: -Infinity },
		artifact,
		trainSeconds: 0.42,
		notes: 'Term 1 — first try with "quotes" and ünïcode',
		createdAt: Date.UTC(2025, 2, 14, 9, 30),
		training: training()
	};
	return { rec, x };
}

function quickRecord(): ModelRecord {
	const artifact: QuickArtifact = {
		kind: 'quick-mlp',
		version: 1,
		task: 'binary',
		target: 'passed',
		features: ['attendance', 'gender'],
		classes: ['no', 'yes'],
		pipeline: {
			version: 1,
			features: ['attendance', 'gender'],
			steps: [
				{
					kind: 'numeric',
					column: 'attendance',
					median: 80,
					mean: 78,
					std: 9,
					missingIndicator: false
				},
				{ kind: 'categorical', column: 'gender', categories: ['F', 'M'], missingSlot: true }
			],
			columnNames: ['attendance', 'gender=F', 'gender=M', 'gender=(other)', 'gender=(missing)'],
			nTrainRows: 40
		},
		mlp: {
			kind: 'mlp',
			version: 1,
			task: 'binary',
			nInputs: 5,
			nOutputs: 1,
			hidden: [2],
			targetMean: 0,
			targetStd: 1,
			weights: [
				{
					shape: [5, 2],
					values: new Float32Array([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, 0.8, 0.9, 1.1])
				},
				{ shape: [2], values: new Float32Array([0.01, -0.02]) },
				{ shape: [2, 1], values: [1.5, -1.25] },
				{ shape: [1], values: new Float32Array([Math.fround(0.3)]) }
			]
		}
	};
	return {
		id: 'q1',
		datasetId: 'd1',
		target: 'passed',
		task: 'binary',
		family: 'mlp',
		version: 1,
		active: false,
		name: 'Quick model for passed',
		features: ['attendance', 'gender'],
		params: { hidden: [2], epochs: 30 },
		metrics: { accuracy: 0.8, f1_weighted: 0.79, n_train: 32, n_test: 8 },
		baseline: { accuracy: 0.6, f1_weighted: 0.45, n_train: 32, n_test: 8 },
		artifact,
		history: [
			{ epoch: 1, loss: 0.7, valLoss: 0.72 },
			{ epoch: 2, loss: 0.6 }
		],
		backend: 'wasm',
		trainSeconds: 1.5,
		notes: '',
		createdAt: Date.UTC(2024, 10, 2)
	};
}

/** The record as it reads after a trip through JSON: typed arrays become plain arrays. */
function plain<T>(v: T): T {
	const walk = (x: unknown): unknown => {
		if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
		if (Array.isArray(x)) return x.map(walk);
		if (x && typeof x === 'object') {
			return Object.fromEntries(
				Object.entries(x)
					.filter(([, y]) => y !== undefined)
					.map(([k, y]) => [k, walk(y)])
			);
		}
		return x;
	};
	return walk(v) as T;
}

function withoutPlace(rec: ModelRecord) {
	const { id, datasetId, version, active, createdAt, ...rest } = rec;
	void [id, datasetId, version, active, createdAt];
	return plain(rest);
}

function roundTrip(rec: ModelRecord, datasetName?: string): ModelFile {
	const text = JSON.stringify(
		toModelFile(rec, { datasetName, now: new Date(Date.UTC(2025, 5, 1)) })
	);
	const r = parseModelFile(text, 'model.json');
	if (!r.ok) throw new Error(r.error.message);
	return r.value;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** Parses after a change to the exported JSON; returns the error. */
function broken(mutate: (file: Loose) => void, rec = gbdtRecord().rec) {
	const file = JSON.parse(modelFileText(rec)) as Loose;
	mutate(file);
	const r = parseModelFile(JSON.stringify(file), 'model.json');
	expect(r.ok).toBe(false);
	if (r.ok) throw new Error('parsed');
	return r.error;
}

describe('model file', () => {
	it('round-trips a trained GBDT record, NaN / ±Infinity / −0 included, and predicts the same', () => {
		const { rec, x } = gbdtRecord();
		const file = roundTrip(rec, 'Demo class (marks)');
		expect(file.format).toBe('classlens-model-file');
		expect(file.version).toBe(1);
		expect(file.app).toBe('Classlens');
		expect(file.exportedAt).toBe('2025-06-01T00:00:00.000Z');
		expect(file.model.datasetName).toBe('Demo class (marks)');
		expect(file.model.version).toBe(3);
		expect(file.model.createdAt).toBe('2025-03-14T09:30:00.000Z');
		const back = modelFromFile(file);
		expect(back).toEqual(withoutPlace(rec));
		expect(back.metrics.roc_auc).toBeNaN();
		expect(back.baseline.r2).toBe(-Infinity);
		expect(Object.is(back.training?.diagnostics.baseline.r2, -0)).toBe(true);
		expect((back.artifact as ModelArtifact).residualQuantiles?.q95).toBe(Infinity);

		const before = (rec.artifact as ModelArtifact).model;
		const after = (back.artifact as ModelArtifact).model;
		if (before.family !== 'gbdt' || after.family !== 'gbdt') throw new Error('family');
		expect(Array.from(predict(fromJson(after.ensemble), x))).toEqual(
			Array.from(predict(fromJson(before.ensemble), x))
		);
		expect(requiredColumns(back)).toEqual(['attendance', 'cats']);
	});

	it('round-trips an old quick-mlp model with Float32Array weights', () => {
		const rec = quickRecord();
		const file = roundTrip(rec);
		expect(file.model.training).toBeNull();
		expect(file.model.datasetName).toBeUndefined();
		const back = modelFromFile(file);
		expect(back).toEqual(withoutPlace(rec));
		expect(back.training).toBeUndefined();
		const w = (back.artifact as QuickArtifact).mlp.weights[0].values;
		expect(Float32Array.from(w)).toEqual((rec.artifact as QuickArtifact).mlp.weights[0].values);
	});

	it('writes plain JSON only and never diagnostics samples that are not numbers', () => {
		const { rec } = gbdtRecord();
		const t = rec.training!;
		const sneaky = {
			...t,
			rowIds: ['S1001', 'S1002'],
			diagnostics: { ...t.diagnostics, actual: ['S1001', 'S1002'], studentIds: ['S1001'] }
		} as unknown as TrainingSummary;
		const text = modelFileText({ ...rec, training: sneaky });
		expect(text).not.toContain('S100');
		const file = JSON.parse(text);
		expect(file.model.training.diagnostics.actual).toEqual([]);
		expect(file.model.training.diagnostics.predicted).toEqual([52, 60, 68.5]);
		expect(text).not.toMatch(/"id"|datasetId|"active"/);
		expect(() => toModelFile({ ...rec, params: { when: new Date() } })).toThrow(/plain data/);
	});

	it('exports boosted models as XGBoost JSON with every tree, and refuses other families', () => {
		const { rec } = gbdtRecord();
		expect(canExportXgboost(rec)).toBe(true);
		const r = xgboostExport(rec);
		if (!r.ok) throw new Error(r.error.message);
		const j = JSON.parse(r.value);
		const trees = j.learner.gradient_booster.model.trees;
		const ens = (rec.artifact as ModelArtifact).model as { ensemble: { trees: unknown[] } };
		expect(trees).toHaveLength(ens.ensemble.trees.length);
		expect(trees.length).toBeGreaterThan(0);
		expect(j.learner.gradient_booster.model.gbtree_model_param.num_trees).toBe(
			String(trees.length)
		);
		expect(j.learner.feature_names).toEqual(['attendance', 'cats']);

		const quick = xgboostExport(quickRecord());
		expect(quick.ok).toBe(false);
		if (!quick.ok) expect(quick.error.message).toMatch(/neural network/);
		expect(canExportXgboost(quickRecord())).toBe(false);

		const { x, y } = marksFrame();
		const forest = trainForest(x, y, { task: 'regression', nTrees: 3, seed: 1 });
		const a = rec.artifact as ModelArtifact;
		const rf = { artifact: { ...a, model: { family: 'rf' as const, ensemble: toJson(forest) } } };
		const rr = xgboostExport(rf);
		expect(rr.ok).toBe(false);
		if (!rr.ok) expect(rr.error.message).toMatch(/random forest/);
		// A random forest still travels in our own file.
		const rfRec = { ...rec, family: 'rf', artifact: rf.artifact };
		expect(modelFromFile(roundTrip(rfRec)).artifact).toEqual(plain(rf.artifact));

		const cat = makeFrame([categoricalColumn('c', ['a', 'b', 'a', 'b', 'a', 'b'])]);
		const catEns = trainGbdt(cat, [0, 1, 0, 1, 0, 1], { nRounds: 1, minSamplesLeaf: 1 });
		const catRec = {
			artifact: { ...a, model: { family: 'gbdt' as const, ensemble: toJson(catEns) } }
		};
		expect(canExportXgboost(catRec)).toBe(false);
		const rc = xgboostExport(catRec);
		expect(rc.ok).toBe(false);
		if (!rc.ok) expect(rc.error.message).toMatch(/categorical/);
	});

	it('makes safe file names', () => {
		const rec = { target: 'final exam/../../etc', version: 2 };
		expect(modelFileName(rec, 'Demo class (marks)')).toBe(
			'Demo-class-marks-final-exam-etc-v2.classlens-model.json'
		);
		expect(modelFileName({ target: 'note', version: 1 }, 'Élève ÇA', 'xgboost')).toBe(
			'Eleve-CA-note-v1.xgboost.json'
		);
		expect(modelFileName({ target: '***', version: 4 }, undefined)).toBe(
			'model-v4.classlens-model.json'
		);
		expect(
			modelFileName({ target: 'x'.repeat(300), version: 1 }, 'y'.repeat(300)).length
		).toBeLessThan(160);
	});
});

describe('parseModelFile errors', () => {
	it('says when the file is not JSON, empty, or not ours', () => {
		const notJson = parseModelFile('{"format": ', 'model.json');
		expect(notJson.ok).toBe(false);
		if (!notJson.ok) {
			expect(notJson.error.code).toBe('model-file-not-json');
			expect(notJson.error.message).toMatch(
				/^model\.json is not a Classlens model file: it is not JSON/
			);
		}
		const empty = parseModelFile('  \n', 'empty.json');
		expect(!empty.ok && empty.error.code).toBe('model-file-empty');
		expect(!empty.ok && empty.error.message).toMatch(/^empty\.json is not a Classlens model file/);

		const list = parseModelFile('[1, 2]', 'list.json');
		expect(!list.ok && list.error.message).toMatch(
			/list\.json is not a Classlens model file: it holds no model/
		);

		const other = parseModelFile('{"format": "something-else"}', 'other.json');
		expect(!other.ok && other.error.code).toBe('model-file-wrong-format');
		expect(!other.ok && other.error.message).toMatch(/"format" is not "classlens-model-file"/);

		const { rec } = gbdtRecord();
		const xgb = xgboostExport(rec);
		if (!xgb.ok) throw new Error('xgb');
		const asXgb = parseModelFile(xgb.value, 'booster.json');
		expect(!asXgb.ok && asXgb.error.message).toMatch(/looks like an XGBoost model/);

		const trees = parseModelFile('{"format": "classlens-trees"}', 'trees.json');
		const bare = parseModelFile('{"format": "classlens-model"}', 'cli.json');
		expect(!bare.ok && bare.error.message).toMatch(/bare model/);
		expect(!trees.ok && trees.error.message).toMatch(/only part of a model/);
	});

	it('refuses files from a newer Classlens, at the top or in the artifact', () => {
		const top = broken((f) => (f.version = 2));
		expect(top.code).toBe('model-file-newer');
		expect(top.message).toMatch(/^model\.json was saved by a newer version of Classlens/);
		expect(top.details?.path).toBe('version');
		const inner = broken((f) => (f.model.artifact.version = 3));
		expect(inner.code).toBe('model-file-newer');
		expect(inner.message).toContain('model.artifact.version is 3');
		const zero = broken((f) => (f.version = 0));
		expect(zero.code).toBe('model-file-invalid');
	});

	it('names the path of a missing or malformed field', () => {
		const cases: [(f: Loose) => void, string][] = [
			[(f) => delete f.model, 'model is missing'],
			[(f) => delete f.model.artifact.features, 'model.artifact.features is missing'],
			[
				(f) => (f.model.artifact.features = 'attendance'),
				'model.artifact.features must be a list of text, but it is text'
			],
			[
				(f) => (f.model.artifact.features[1] = 3),
				'model.artifact.features[1] must be text, but it is a number'
			],
			[(f) => (f.model.target = null), 'model.target must be text, but it is empty (null)'],
			[
				(f) => (f.model.task = 'ranking'),
				'model.task must be one of "regression", "binary", "multiclass"'
			],
			[(f) => (f.model.metrics.rmse = '3.1'), 'model.metrics.rmse must be a number'],
			[(f) => (f.model.version = 0), 'model.version must be a whole number ≥ 1'],
			[(f) => (f.model.createdAt = 'yesterday'), 'model.createdAt must be a date'],
			[(f) => delete f.model.training, 'model.training is missing'],
			[
				(f) => (f.model.training.selected = 9),
				'model.training.selected must point into the leaderboard (0–1)'
			],
			[
				(f) => (f.model.training.leaderboard[1].mean = []),
				'model.training.leaderboard[1].mean must be an object, but it is a list'
			],
			[
				(f) => (f.model.artifact.format = 'mystery'),
				'model.artifact is not a model Classlens can use'
			],
			[
				(f) => (f.model.artifact.task = 'binary'),
				'model.artifact.classes must list at least two classes'
			],
			[
				(f) => (f.model.artifact.target = 'other'),
				'model.artifact.target must match model.target ("final_exam")'
			],
			[
				(f) => (f.model.artifact.model.family = 'svm'),
				'model.artifact.model.family must be one of'
			],
			[
				(f) => (f.model.artifact.model.ensemble.kind = 'rf'),
				'model.artifact.model.ensemble.kind must be "gbdt"'
			],
			[
				(f) => f.model.artifact.model.ensemble.trees[0].left.pop(),
				'model.artifact.model.ensemble is not a readable tree ensemble (Not a Classlens tree model: tree field left has the wrong length.)'
			],
			[
				(f) => delete f.model.artifact.model.ensemble.treeOutput,
				'model.artifact.model.ensemble is not a readable tree ensemble'
			],
			[
				(f) => (f.model.artifact.model.ensemble.format = 'lightgbm'),
				'model.artifact.model.ensemble is not a readable tree ensemble (Not a Classlens tree model: unknown format.)'
			],
			[
				(f) => (f.model.artifact.residualQuantiles = { q05: 1 }),
				'model.artifact.residualQuantiles.q95 is missing'
			]
		];
		for (const [mutate, expected] of cases) {
			const e = broken(mutate);
			expect(e.code, expected).toBe('model-file-invalid');
			expect(e.message, expected).toContain(
				`model.json is not a valid Classlens model file: ${expected}`
			);
			expect(e.details?.path, expected).toBe(expected.split(' ')[0]);
		}
	});

	it('checks the quick model artifact too', () => {
		const q = quickRecord();
		const e1 = broken((f) => f.model.artifact.mlp.weights[0].values.pop(), q);
		expect(e1.message).toContain(
			'model.artifact.mlp.weights[0].values must hold 10 numbers for shape [5, 2]'
		);
		const e2 = broken((f) => (f.model.artifact.pipeline.steps[1].kind = 'text'), q);
		expect(e2.message).toContain(
			'model.artifact.pipeline.steps[1].kind must be one of "numeric", "categorical"'
		);
		const e3 = broken((f) => delete f.model.artifact.pipeline, q);
		expect(e3.message).toContain('model.artifact.pipeline is missing');
	});

	it('refuses files over 50 MB', () => {
		const big = ' '.repeat(MAX_MODEL_FILE_BYTES + 1);
		const r = parseModelFile(big, 'huge.json');
		expect(!r.ok && r.error.code).toBe('model-file-too-large');
		expect(!r.ok && r.error.message).toBe('huge.json is too large for a model file (over 50 MB).');
		// Multi-byte text counts in bytes, not characters.
		const wide = 'é'.repeat(MAX_MODEL_FILE_BYTES / 2 + 1);
		expect(wide.length).toBeLessThan(MAX_MODEL_FILE_BYTES);
		const rw = parseModelFile(wide, 'wide.json');
		expect(!rw.ok && rw.error.code).toBe('model-file-too-large');
	});
});
