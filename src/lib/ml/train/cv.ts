/**
 * Cross-validation of one candidate: fit on each fold's training rows (preprocessing included,
 * see families.ts), predict its test rows, and keep every out-of-fold prediction so the
 * diagnostics describe rows no model saw while learning. Folds index into `rows`, the labelled
 * rows of the frame.
 */
import type { Frame } from '../frame';
import type { CancelToken, ProgressFn } from '../progress';
import type { Fold } from '../validation';
import { classificationScores, regressionScores } from './diagnostics';
import { fitFamily, predictFitted, type FitContext, type TaskInfo } from './families';
import type { CandidateSpec } from './candidates';
import type { CandidateResult } from './types';
import type { Tf } from '../nn/tf';

export interface CvSetup {
	frame: Frame;
	features: string[];
	/** Labelled frame rows; folds and `y` index into this list. */
	rows: Uint32Array;
	/** Target per entry of `rows`: the value, or the class index. */
	y: Float64Array;
	info: TaskInfo;
	folds: Fold[];
	seed: number;
	balanced: boolean;
	tf?: Tf;
}

export interface CvRun {
	result: CandidateResult;
	/** Out-of-fold predictions: n values (regression) or n × K probabilities; NaN where untested. */
	oof: Float64Array;
	/** 1 for entries of `rows` that some fold tested (all of them, except in a time holdout). */
	tested: Uint8Array;
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Higher is better for F1; lower for RMSE. */
export function selectionMetric(info: TaskInfo): { key: string; higherIsBetter: boolean } {
	return info.task === 'regression'
		? { key: 'rmse', higherIsBetter: false }
		: { key: 'f1_weighted', higherIsBetter: true };
}

function meanStd(folds: Record<string, number>[]): {
	mean: Record<string, number>;
	std: Record<string, number>;
} {
	const mean: Record<string, number> = {};
	const std: Record<string, number> = {};
	const keys = Object.keys(folds[0] ?? {});
	for (const key of keys) {
		const xs = folds.map((f) => f[key]);
		const m = xs.reduce((s, x) => s + x, 0) / xs.length;
		mean[key] = m;
		std[key] = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
	}
	return { mean, std };
}

function gather(y: Float64Array, idx: Uint32Array): Float64Array {
	const out = new Float64Array(idx.length);
	for (let i = 0; i < idx.length; i++) out[i] = y[idx[i]];
	return out;
}

function frameRows(rows: Uint32Array, idx: Uint32Array): Uint32Array {
	const out = new Uint32Array(idx.length);
	for (let i = 0; i < idx.length; i++) out[i] = rows[idx[i]];
	return out;
}

export function foldScores(info: TaskInfo, y: Float64Array, pred: Float64Array) {
	return info.task === 'regression'
		? regressionScores(y, pred)
		: classificationScores(y, pred, info.nClasses);
}

export async function crossValidate(
	setup: CvSetup,
	spec: CandidateSpec,
	progress: ProgressFn,
	cancel: CancelToken,
	features: string[] = setup.features
): Promise<CvRun> {
	const { frame, rows, y, info, folds } = setup;
	const width = info.task === 'regression' ? 1 : info.nClasses;
	const oof = new Float64Array(rows.length * width).fill(NaN);
	const tested = new Uint8Array(rows.length);
	const perFold: Record<string, number>[] = [];
	let seconds = 0;
	for (let f = 0; f < folds.length; f++) {
		cancel.throwIfCancelled();
		const { train, test } = folds[f];
		const ctx: FitContext = {
			tf: setup.tf,
			// Each fold gets its own seed so that folds are not fitted with identical randomness.
			seed: setup.seed * 31 + f,
			balanced: setup.balanced,
			cancel,
			progress: (p) =>
				progress({
					fraction: (f + p.fraction) / folds.length,
					// Every message names the fold: throttled progress may drop the fold's first one.
					phase: `fold ${f + 1} of ${folds.length}: ${p.phase}`,
					detail: { ...p.detail, fold: f + 1, folds: folds.length }
				})
		};
		progress({
			fraction: f / folds.length,
			phase: `fold ${f + 1} of ${folds.length}`,
			detail: { fold: f + 1, folds: folds.length }
		});
		const t0 = performance.now();
		const fitted = await fitFamily(
			spec.family,
			frame,
			features,
			frameRows(rows, train),
			gather(y, train),
			info,
			spec.params,
			ctx
		);
		seconds += (performance.now() - t0) / 1000;
		const pred = await predictFitted(
			fitted,
			frame,
			features,
			frameRows(rows, test),
			info,
			setup.tf
		);
		for (let i = 0; i < test.length; i++) {
			const r = test[i];
			tested[r] = 1;
			for (let c = 0; c < width; c++) oof[r * width + c] = pred[i * width + c];
		}
		perFold.push(foldScores(info, gather(y, test), pred));
		// Tree fits are synchronous: let the worker take a cancel message between folds.
		await yieldToEventLoop();
	}
	const { mean, std } = meanStd(perFold);
	const { key } = selectionMetric(info);
	return {
		result: {
			family: spec.family,
			label: spec.label,
			params: spec.params,
			folds: perFold,
			mean,
			std,
			score: mean[key],
			seconds
		},
		oof,
		tested
	};
}
