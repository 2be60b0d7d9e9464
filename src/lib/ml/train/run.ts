/**
 * A training run end to end: derive the target if asked, choose the validation scheme, score
 * every candidate by cross-validation (the baseline included), select the best — preferring the
 * simpler family when scores are within 1 % — refit it on all labelled rows, and describe it
 * (diagnostics from out-of-fold predictions, importance, learning curve, leakage flags,
 * training-data fingerprint and feature distributions). Pure: frame in, plain data out; the
 * worker stores the result and the CLI prints it.
 */
import { AppException } from '../../errors';
import type { Frame } from '../frame';
import type { Tf } from '../nn/tf';
import {
	encodeClasses,
	fitClasses,
	inferTask,
	labelledRows,
	regressionTarget
} from '../preprocess';
import type { CancelToken, ProgressFn } from '../progress';
import { buildCandidates, FAMILY_NAMES } from './candidates';
import { crossValidate, selectionMetric, type CvRun, type CvSetup } from './cv';
import { deriveTarget } from './derive';
import { classificationDiagnostics, regressionDiagnostics } from './diagnostics';
import { fitFamily, needsTf, predictFitted, type TaskInfo } from './families';
import { detectLeakage } from './features';
import { featureDistributions, fingerprint } from './fingerprint';
import { permutationImportance } from './permutation';
import {
	FAMILIES,
	type CandidateResult,
	type Diagnostics,
	type ModelArtifact,
	type TrainOutcome,
	type TrainRequest
} from './types';
import { planValidation } from './validation-plan';

export const MIN_LABELLED_ROWS = 10;
/** Scores within this share of the best count as a tie, won by the simpler family. */
export const TIE_TOLERANCE = 0.01;

export interface TrainDeps {
	/** TensorFlow.js; required only when the network is among the families. */
	tf?: Tf;
	progress: ProgressFn;
	cancel: CancelToken;
}

function checkRequest(frame: Frame, req: TrainRequest): void {
	if (req.features.length === 0) {
		throw new AppException({
			code: 'no-features',
			message: 'Choose at least one column for the model to learn from.'
		});
	}
	if (req.features.includes(req.target)) {
		throw new AppException({
			code: 'target-in-features',
			message: `"${req.target}" cannot be both the thing to predict and an input.`,
			details: { column: req.target }
		});
	}
	if (req.derive && req.features.includes(req.derive.source)) {
		throw new AppException({
			code: 'target-in-features',
			message: `"${req.target}" is worked out from "${req.derive.source}", so "${req.derive.source}" cannot also be an input.`,
			details: { column: req.derive.source }
		});
	}
	if (!req.derive && !frame.columns.some((c) => c.name === req.target)) {
		throw new AppException({
			code: 'missing-column',
			message: `The data has no column called "${req.target}" to predict.`,
			details: { column: req.target }
		});
	}
}

/** The best candidate, or the simplest one within TIE_TOLERANCE of it. */
export function selectCandidate(
	results: CandidateResult[],
	higherIsBetter: boolean
): { index: number; tiedWith: number | null } {
	const eligible = results
		.map((r, i) => ({ r, i }))
		.filter(({ r }) => r.family !== 'baseline' && Number.isFinite(r.score));
	if (eligible.length === 0) return { index: 0, tiedWith: null };
	const better = (a: number, b: number) => (higherIsBetter ? a > b : a < b);
	let best = eligible[0];
	for (const e of eligible) if (better(e.r.score, best.r.score)) best = e;
	const margin = Math.abs(best.r.score) * TIE_TOLERANCE;
	const close = eligible.filter(({ r }) => Math.abs(r.score - best.r.score) <= margin);
	const rank = (f: string) => FAMILIES.indexOf(f as (typeof FAMILIES)[number]);
	// Simplest family first; within it, the better score.
	close.sort(
		(a, b) => rank(a.r.family) - rank(b.r.family) || (better(a.r.score, b.r.score) ? -1 : 1)
	);
	const chosen = close[0];
	return { index: chosen.i, tiedWith: chosen.i === best.i ? null : best.i };
}

function fmtScore(key: string, v: number): string {
	return key === 'rmse' ? v.toFixed(2) : v.toFixed(3);
}

function selectionReason(
	results: CandidateResult[],
	pick: { index: number; tiedWith: number | null },
	key: string,
	higherIsBetter: boolean
): string {
	const chosen = results[pick.index];
	const name = key === 'rmse' ? 'typical error (RMSE)' : 'weighted F1';
	const base = results.find((r) => r.family === 'baseline');
	let text =
		pick.tiedWith !== null
			? `${chosen.label} was chosen: its ${name} of ${fmtScore(key, chosen.score)} is within ${TIE_TOLERANCE * 100} % of the best (${results[pick.tiedWith].label}, ${fmtScore(key, results[pick.tiedWith].score)}), and the simpler model is preferred.`
			: `${chosen.label} had the best cross-validated ${name}: ${fmtScore(key, chosen.score)}.`;
	if (base && chosen.family !== 'baseline') {
		const beats = higherIsBetter ? chosen.score > base.score : chosen.score < base.score;
		if (!beats) {
			text += ` It does not beat the baseline (${fmtScore(key, base.score)}): the data may not hold enough signal to predict this yet.`;
		}
	}
	return text;
}

/** Out-of-fold predictions restricted to the rows some fold tested (all but a time holdout's). */
function testedOnly(run: CvRun, y: Float64Array, width: number) {
	const idx: number[] = [];
	for (let i = 0; i < run.tested.length; i++) if (run.tested[i]) idx.push(i);
	const yt = Float64Array.from(idx, (i) => y[i]);
	const pt = new Float64Array(idx.length * width);
	idx.forEach((i, j) => pt.set(run.oof.subarray(i * width, (i + 1) * width), j * width));
	return { y: yt, pred: pt };
}

function quantile(sorted: Float64Array, q: number): number {
	if (sorted.length === 0) return NaN;
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** The target's values as stored (float64): metrics must see the marks exactly, not rounded. */
function regressionValues(frame: Frame, target: string, rows: Uint32Array): Float64Array {
	regressionTarget(frame, target, rows.subarray(0, 1)); // throws the teacher-readable error for text
	const c = frame.columns.find((col) => col.name === target);
	if (!c || c.kind !== 'numeric') throw new RangeError(`"${target}" is not numeric.`);
	return Float64Array.from(rows, (r) => c.values[r]);
}

export async function trainModels(
	input: Frame,
	req: TrainRequest,
	deps: TrainDeps
): Promise<TrainOutcome> {
	const started = performance.now();
	const { progress, cancel } = deps;
	checkRequest(input, req);
	if (req.families.some(needsTf) && !deps.tf) {
		throw new Error('The neural network needs TensorFlow.js, which was not loaded.');
	}
	progress({ fraction: 0, phase: 'Preparing the data' });
	const frame = req.derive ? deriveTarget(input, req.derive, req.target) : input;
	const { target, features, seed } = req;
	const rows = labelledRows(frame, target);
	if (rows.length < MIN_LABELLED_ROWS) {
		throw new AppException({
			code: 'too-few-rows',
			message: `A model needs at least ${MIN_LABELLED_ROWS} students with a known "${target}"; this data has ${rows.length}.`,
			details: { column: target, labelled: rows.length }
		});
	}
	const task = req.task ?? inferTask(frame, target, rows);
	const classes =
		task === 'regression' ? null : fitClasses(frame, target, rows, { numericAsClasses: true });
	if (classes && classes.length < 2) {
		throw new AppException({
			code: 'one-class',
			message: `Every student has the same "${target}" (${classes[0] ?? 'none'}), so there is nothing to predict.`,
			details: { column: target }
		});
	}
	if (classes && task === 'binary' && classes.length > 2) {
		throw new AppException({
			code: 'not-binary',
			message: `"${target}" has ${classes.length} different values, not two. Choose "one of several outcomes" instead.`,
			details: { column: target, classes: classes.length }
		});
	}
	const y = classes
		? Float64Array.from(encodeClasses(classes, frame, target, rows))
		: regressionValues(frame, target, rows);
	const info: TaskInfo = { task, nClasses: classes?.length ?? 0 };
	const plan = planValidation(frame, req.validation, task, rows, classes ? y : null, seed);
	const leakage = detectLeakage(frame, target, features, { rows });
	cancel.throwIfCancelled();

	const specs = buildCandidates(req.families, task, rows.length, req.auto, req.params);
	const setup: CvSetup = {
		frame,
		features,
		rows,
		y,
		info,
		folds: plan.folds,
		seed,
		balanced: req.classWeight === 'balanced' && task !== 'regression',
		tf: deps.tf
	};
	const { key, higherIsBetter } = selectionMetric(info);
	const cvEnd = req.compareWithout?.length ? 0.78 : 0.85;
	const runs: CvRun[] = [];
	let best: number | null = null;
	for (let c = 0; c < specs.length; c++) {
		const spec = specs[c];
		const from = (c / specs.length) * cvEnd;
		const to = ((c + 1) / specs.length) * cvEnd;
		const run = await crossValidate(
			setup,
			spec,
			(p) =>
				progress({
					fraction: from + (to - from) * p.fraction,
					phase: `${FAMILY_NAMES[spec.family]} (${c + 1} of ${specs.length}) — ${p.phase}`,
					detail: {
						...p.detail,
						candidate: c + 1,
						candidates: specs.length,
						...(best !== null ? { best } : {})
					}
				}),
			cancel
		);
		runs.push(run);
		const s = run.result.score;
		if (spec.family !== 'baseline' && Number.isFinite(s)) {
			if (best === null || (higherIsBetter ? s > best : s < best)) best = s;
		}
	}
	const pick = selectCandidate(
		runs.map((r) => r.result),
		higherIsBetter
	);
	const chosenSpec = specs[pick.index];
	const chosenRun = runs[pick.index];
	const baselineRun = runs[specs.findIndex((s) => s.family === 'baseline')];

	let comparison: TrainOutcome['comparison'] = null;
	const without = (req.compareWithout ?? []).filter((f) => features.includes(f));
	if (without.length > 0 && without.length < features.length) {
		const reduced = features.filter((f) => !without.includes(f));
		const run = await crossValidate(
			setup,
			chosenSpec,
			(p) =>
				progress({
					fraction: cvEnd + (0.85 - cvEnd) * p.fraction,
					phase: `Scoring without ${without.join(', ')} — ${p.phase}`,
					detail: p.detail
				}),
			cancel,
			reduced
		);
		comparison = {
			without,
			candidate: { ...run.result, label: `${run.result.label} without ${without.join(', ')}` }
		};
	}

	cancel.throwIfCancelled();
	progress({ fraction: 0.86, phase: `Fitting ${chosenSpec.label} on all rows` });
	const finalFit = await fitFamily(
		chosenSpec.family,
		frame,
		features,
		rows,
		y,
		info,
		chosenSpec.params,
		{
			tf: deps.tf,
			seed,
			balanced: setup.balanced,
			cancel,
			progress: (p) =>
				progress({
					fraction: 0.86 + 0.09 * p.fraction,
					phase: `Final model — ${p.phase}`,
					detail: p.detail
				})
		}
	);
	progress({ fraction: 0.96, phase: 'Working out the diagnostics' });
	const importance =
		finalFit.importance ??
		(await permutationImportance({
			frame,
			features,
			rows,
			y,
			nClasses: info.nClasses,
			seed,
			predict: (f) =>
				predictFitted(
					finalFit,
					f,
					features,
					Uint32Array.from({ length: f.nRows }, (_, i) => i),
					info,
					deps.tf
				)
		}));

	const width = task === 'regression' ? 1 : info.nClasses;
	const oof = testedOnly(chosenRun, y, width);
	const oofBase = testedOnly(baselineRun, y, width);
	let diagnostics: Diagnostics;
	let residualQuantiles: ModelArtifact['residualQuantiles'] = null;
	if (task === 'regression') {
		diagnostics = regressionDiagnostics({
			target,
			y: oof.y,
			pred: oof.pred,
			baselinePred: oofBase.pred,
			learningCurve: finalFit.learningCurve,
			importance,
			seed
		});
		const res = Float64Array.from(oof.y, (v, i) => v - oof.pred[i]).sort();
		residualQuantiles = { q05: quantile(res, 0.05), q95: quantile(res, 0.95) };
	} else {
		diagnostics = classificationDiagnostics({
			target,
			task,
			classes: classes as string[],
			y: oof.y,
			proba: oof.pred,
			baselineProba: oofBase.pred,
			learningCurve: finalFit.learningCurve,
			importance
		});
	}
	const artifact: ModelArtifact = {
		format: 'classlens-model',
		version: 1,
		task,
		target,
		derive: req.derive ?? null,
		features: [...features],
		classes,
		pipeline: finalFit.pipeline,
		model: finalFit.model,
		residualQuantiles
	};
	// The leaderboard lists the best first; `selected` follows the chosen candidate there.
	const order = runs
		.map((_, i) => i)
		.sort((a, b) => {
			const sa = runs[a].result.score;
			const sb = runs[b].result.score;
			if (!Number.isFinite(sa) || !Number.isFinite(sb)) return Number.isFinite(sa) ? -1 : 1;
			return higherIsBetter ? sb - sa : sa - sb;
		});
	const leaderboard = order.map((i) => runs[i].result);
	progress({ fraction: 1, phase: 'Done' });
	return {
		task,
		target,
		features: [...features],
		classes,
		validation: plan.used,
		leaderboard,
		selected: order.indexOf(pick.index),
		selectionReason: selectionReason(
			runs.map((r) => r.result),
			pick,
			key,
			higherIsBetter
		),
		diagnostics,
		artifact,
		fingerprint: fingerprint(frame, [...features, target], rows),
		distributions: featureDistributions(frame, features, rows),
		leakage,
		comparison,
		trainSeconds: (performance.now() - started) / 1000,
		nLabelled: rows.length
	};
}
