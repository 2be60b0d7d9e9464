import { describe, expect, it } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import {
	categoricalColumn,
	makeFrame,
	MISSING_CODE,
	numericColumn,
	type Frame
} from '../../../src/lib/ml/frame';
import { withLayers } from '../../../src/lib/ml/nn/tf';
import { CancelSource, neverCancelled, type Progress } from '../../../src/lib/ml/progress';
import { createRng } from '../../../src/lib/ml/random';
import { generateDemo } from '../../../src/lib/ml/synthetic';
import {
	groupCodes,
	planValidation,
	predictArtifact,
	selectCandidate,
	timeValues,
	trainModels,
	type CandidateResult,
	type Family,
	type TrainRequest
} from '../../../src/lib/ml/train';
import { defaultFeatures } from '../../../src/lib/ml/train/features';
import { labelledRows } from '../../../src/lib/ml/preprocess';

const TREES_AND_LINEAR: Family[] = ['linear', 'rf', 'gbdt'];

function demo(profile: 'marks' | 'course-records', seed = 1) {
	const d = generateDemo(profile, { seed });
	const columns = d.frame.columns.map((c) => ({
		name: c.name,
		role: d.roles[c.name] ?? 'feature',
		type: c.type
	}));
	return { ...d, columns };
}

function request(
	over: Partial<TrainRequest> & Pick<TrainRequest, 'target' | 'features'>
): TrainRequest {
	return {
		families: TREES_AND_LINEAR,
		auto: false,
		validation: { scheme: 'auto', k: 5, group: null, time: null },
		classWeight: 'none',
		seed: 7,
		...over
	};
}

const quiet = { progress: () => {}, cancel: neverCancelled };

describe('training engine', () => {
	it('scores every family and the baseline, best first, and selects one that beats the baseline', async () => {
		const d = demo('marks');
		const features = defaultFeatures(d.columns, 'final_exam');
		const out = await trainModels(d.frame, request({ target: 'final_exam', features }), quiet);
		expect(out.task).toBe('regression');
		expect(out.leaderboard.map((c) => c.family).sort()).toEqual([
			'baseline',
			'gbdt',
			'linear',
			'rf'
		]);
		const scores = out.leaderboard.map((c) => c.score);
		expect(scores).toEqual([...scores].sort((a, b) => a - b));
		const chosen = out.leaderboard[out.selected];
		const base = out.leaderboard.find((c) => c.family === 'baseline')!;
		expect(chosen.family).not.toBe('baseline');
		expect(chosen.score).toBeLessThan(base.score * 0.8);
		expect(chosen.folds).toHaveLength(out.validation.k);
		// Pooled out-of-fold metrics agree with the fold means to within fold-size noise.
		expect(out.diagnostics.metrics.rmse).toBeGreaterThan(chosen.mean.rmse * 0.9);
		expect(out.diagnostics.metrics.rmse).toBeLessThan(chosen.mean.rmse * 1.1);
		expect(out.diagnostics.nRows).toBe(out.nLabelled);
		expect(out.artifact.residualQuantiles!.q05).toBeLessThan(0);
		expect(out.artifact.residualQuantiles!.q95).toBeGreaterThan(0);
		expect(out.distributions.map((x) => x.name)).toEqual(features);
		expect(out.fingerprint).toMatch(/^[0-9a-f]{8,}$/);
	});

	it('gives the same numbers for the same seed and different folds for another', async () => {
		const d = demo('marks');
		const features = defaultFeatures(d.columns, 'final_exam');
		const a = await trainModels(d.frame, request({ target: 'final_exam', features }), quiet);
		const b = await trainModels(d.frame, request({ target: 'final_exam', features }), quiet);
		const c = await trainModels(
			d.frame,
			request({ target: 'final_exam', features, seed: 8 }),
			quiet
		);
		expect(b.leaderboard.map((x) => x.folds)).toEqual(a.leaderboard.map((x) => x.folds));
		expect(b.artifact).toEqual(a.artifact);
		expect(c.leaderboard.map((x) => x.folds)).not.toEqual(a.leaderboard.map((x) => x.folds));
	});

	it('never puts rows of one student in both training and test when students repeat', async () => {
		const d = demo('course-records');
		const rows = labelledRows(d.frame, 'final_marks');
		const plan = planValidation(
			d.frame,
			{ scheme: 'auto', k: 5, group: 'student_id', time: null },
			'regression',
			rows,
			null,
			3
		);
		expect(plan.used.scheme).toBe('group-kfold');
		const groups = groupCodes(d.frame, 'student_id', rows);
		for (const fold of plan.folds) {
			const train = new Set(Array.from(fold.train, (i) => groups[i]));
			for (const i of fold.test) expect(train.has(groups[i])).toBe(false);
			expect(fold.train.length + fold.test.length).toBe(rows.length);
		}
	});

	it('trains on earlier semesters and tests on the latest with the time holdout', async () => {
		const d = demo('course-records');
		const features = defaultFeatures(d.columns, 'final_marks');
		const out = await trainModels(
			d.frame,
			request({
				target: 'final_marks',
				features,
				families: ['linear'],
				validation: { scheme: 'time-holdout', k: 5, group: 'student_id', time: 'semester' }
			}),
			quiet
		);
		expect(out.validation.scheme).toBe('time-holdout');
		expect(out.leaderboard[0].folds).toHaveLength(1);
		const rows = labelledRows(d.frame, 'final_marks');
		const plan = planValidation(
			d.frame,
			{ scheme: 'time-holdout', k: 5, group: null, time: 'semester' },
			'regression',
			rows,
			null,
			7
		);
		const t = timeValues(d.frame, 'semester', rows);
		const latestTrain = Math.max(...Array.from(plan.folds[0].train, (i) => t[i]));
		const earliestTest = Math.min(...Array.from(plan.folds[0].test, (i) => t[i]));
		expect(latestTrain).toBeLessThan(earliestTest);
		// Diagnostics describe only the tested (latest) rows.
		expect(out.diagnostics.nRows).toBe(plan.folds[0].test.length);
	});

	it('fits preprocessing inside each fold: a category that names the fold carries no signal', async () => {
		// y depends only on the fold a row will land in; each fold has its own category. A pipeline
		// fitted on all rows would still not help, but a model that saw test rows would: R² ≈ 1.
		const n = 200;
		const rng = createRng('fold-leak');
		const foldOf = Uint32Array.from({ length: n }, (_, i) => i % 5);
		const frame = makeFrame([
			categoricalColumn(
				'fold_label',
				Array.from(foldOf, (f) => `f${f}`)
			),
			numericColumn(
				'noise',
				Float64Array.from({ length: n }, () => rng.normal())
			),
			numericColumn('row_group', Float64Array.from(foldOf)),
			numericColumn(
				'y',
				Float64Array.from(foldOf, (f) => f * 10 + rng.normal())
			)
		]);
		// Group folds by the fold label so each fold's category is unseen in its training rows.
		const out = await trainModels(
			frame,
			request({
				target: 'y',
				features: ['fold_label', 'noise'],
				validation: { scheme: 'group-kfold', k: 5, group: 'row_group', time: null }
			}),
			quiet
		);
		for (const c of out.leaderboard) expect(c.mean.r2).toBeLessThan(0.05);
	});

	it('predicts a new upload with the saved artifact exactly as after a JSON round trip', async () => {
		const d = demo('marks');
		const features = defaultFeatures(d.columns, 'final_exam');
		for (const family of ['linear', 'gbdt', 'rf'] as Family[]) {
			const out = await trainModels(
				d.frame,
				request({ target: 'final_exam', features, families: [family] }),
				quiet
			);
			const other = generateDemo('marks', { seed: 99 }).frame;
			const p1 = await predictArtifact(out.artifact, other);
			const p2 = await predictArtifact(JSON.parse(JSON.stringify(out.artifact)), other);
			expect(Array.from(p2.values)).toEqual(Array.from(p1.values));
			expect(p1.values.length).toBe(other.nRows);
			for (let i = 0; i < p1.values.length; i++) {
				expect(p1.lower![i]).toBeLessThan(p1.values[i]);
				expect(p1.upper![i]).toBeGreaterThan(p1.values[i]);
			}
		}
	});

	it('derives pass/fail from a mark, classifies it, and reports class diagnostics', async () => {
		const d = demo('marks');
		const derive = {
			kind: 'pass-fail' as const,
			source: 'final_exam',
			threshold: 50,
			passLabel: 'pass',
			failLabel: 'fail'
		};
		const features = defaultFeatures(d.columns, 'passed', derive);
		expect(features).not.toContain('final_exam');
		const out = await trainModels(
			d.frame,
			request({ target: 'passed', derive, features, classWeight: 'balanced' }),
			quiet
		);
		expect(out.task).toBe('binary');
		expect(out.classes).toEqual(['fail', 'pass']);
		const diag = out.diagnostics;
		if (diag.task === 'regression') throw new Error('expected classification');
		expect(diag.roc).not.toBeNull();
		expect(diag.metrics.roc_auc).toBeGreaterThan(0.8);
		const pred = await predictArtifact(out.artifact, d.frame);
		expect(pred.proba!.length).toBe(d.frame.nRows * 2);
		for (let i = 0; i < d.frame.nRows; i++) {
			expect(pred.proba![2 * i] + pred.proba![2 * i + 1]).toBeCloseTo(1, 9);
		}
		await expect(
			trainModels(
				d.frame,
				request({ target: 'passed', derive, features: [...features, 'final_exam'] }),
				quiet
			)
		).rejects.toThrow(/cannot also be an input/);
	});

	it('scores the selected model again without the flagged columns when asked', async () => {
		const d = demo('marks');
		const features = defaultFeatures(d.columns, 'final_exam');
		const out = await trainModels(
			d.frame,
			request({ target: 'final_exam', features, families: ['linear'], compareWithout: ['cats'] }),
			quiet
		);
		expect(out.comparison?.without).toEqual(['cats']);
		expect(out.comparison?.candidate.family).toBe(out.leaderboard[out.selected].family);
		expect(out.comparison?.candidate.score).not.toBe(out.leaderboard[out.selected].score);
	});

	it('reports progress with fold and candidate, and stops when cancelled', async () => {
		const d = demo('marks');
		const features = defaultFeatures(d.columns, 'final_exam');
		const seen: Progress[] = [];
		await trainModels(d.frame, request({ target: 'final_exam', features }), {
			progress: (p) => seen.push(p),
			cancel: neverCancelled
		});
		expect(seen.some((p) => p.detail?.fold === 5 && p.detail?.folds === 5)).toBe(true);
		expect(seen.some((p) => typeof p.detail?.best === 'number')).toBe(true);
		const fractions = seen.map((p) => p.fraction);
		expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1] - 1e-9)).toBe(true);
		const cancel = new CancelSource();
		const run = trainModels(d.frame, request({ target: 'final_exam', features }), {
			progress: (p) => {
				if (p.detail?.candidate === 2) cancel.cancel();
			},
			cancel
		});
		await expect(run).rejects.toThrow('Cancelled');
	});

	it('explains bad requests in words', async () => {
		const d = demo('marks');
		await expect(
			trainModels(d.frame, request({ target: 'final_exam', features: [] }), quiet)
		).rejects.toThrow('Choose at least one column');
		await expect(
			trainModels(d.frame, request({ target: 'nope', features: ['cats'] }), quiet)
		).rejects.toThrow('no column called "nope"');
		const few: Frame = makeFrame([
			numericColumn(
				'x',
				Float64Array.from({ length: 20 }, (_, i) => i)
			),
			numericColumn(
				'y',
				Float64Array.from({ length: 20 }, (_, i) => (i < 5 ? i : NaN))
			)
		]);
		await expect(
			trainModels(few, request({ target: 'y', features: ['x'] }), quiet)
		).rejects.toThrow(/at least 10 students with a known "y"; this data has 5/);
		expect(MISSING_CODE).toBeGreaterThan(0);
	});

	it('trains the neural network through TensorFlow.js and keeps its learning curve', async () => {
		await tfc.setBackend('cpu');
		const tf = withLayers(tfc, tfl);
		const d = demo('marks');
		const features = defaultFeatures(d.columns, 'final_exam');
		const out = await trainModels(
			d.frame,
			request({
				target: 'final_exam',
				features,
				families: ['mlp'],
				params: { mlp: { epochs: 15, hidden: [16] } },
				validation: { scheme: 'kfold', k: 3, group: null, time: null }
			}),
			{ ...quiet, tf }
		);
		const nn = out.leaderboard.find((c) => c.family === 'mlp')!;
		const base = out.leaderboard.find((c) => c.family === 'baseline')!;
		expect(nn.score).toBeLessThan(base.score);
		expect(out.diagnostics.learningCurve?.unit).toBe('epoch');
		expect(out.diagnostics.importance.length).toBe(features.length);
		const sum = out.diagnostics.importance.reduce((s, e) => s + e.share, 0);
		expect(sum).toBeCloseTo(1, 9);
		const p = await predictArtifact(out.artifact, d.frame, undefined, tfc);
		expect(p.values.every(Number.isFinite)).toBe(true);
	}, 60_000);
});

describe('selecting a candidate', () => {
	const c = (family: Family, score: number): CandidateResult => ({
		family,
		label: family,
		params: {},
		folds: [],
		mean: {},
		std: {},
		score,
		seconds: 0
	});
	it('prefers the simpler family within 1 % of the best, never the baseline', () => {
		expect(selectCandidate([c('baseline', 1), c('gbdt', 5), c('linear', 5.04)], false)).toEqual({
			index: 2,
			tiedWith: 1
		});
		expect(selectCandidate([c('baseline', 1), c('gbdt', 5), c('linear', 5.2)], false)).toEqual({
			index: 1,
			tiedWith: null
		});
		expect(selectCandidate([c('baseline', 0.9), c('mlp', 0.8), c('rf', 0.795)], true)).toEqual({
			index: 2,
			tiedWith: 1
		});
		expect(selectCandidate([c('baseline', 0.9), c('mlp', NaN)], true)).toEqual({
			index: 0,
			tiedWith: null
		});
	});
});
