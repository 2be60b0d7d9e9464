/**
 * Gaussian mixture models by EM, with diagonal or full covariances — scikit-learn's
 * `GaussianMixture` (init_params='kmeans', tol 1e-3 on the change of the mean log-likelihood,
 * reg_covar 1e-6, BIC = −2·log L + p·ln n). Unlike k-means, every student gets a probability of
 * belonging to each group, which the persona page shows as "mostly A, partly B".
 */
import { AppException } from '../../errors';
import { neverCancelled, noProgress, type ProgressFn } from '../progress';
import {
	eStep,
	kmeansLabels,
	makeParams,
	mStep,
	nParameters,
	weightedLogProbRow,
	type GmmParams
} from './gmm-core';
import type { GmmOptions, GmmResult, Matrix, RunOptions } from './types';

/** Starting parameters, e.g. from a previous fit (scikit-learn's weights_/means_init). */
export interface GmmInit {
	weights: ArrayLike<number>;
	/** k × d. */
	means: ArrayLike<number>;
	/** diag: k × d variances; full: k × d × d covariance matrices. */
	covariances: ArrayLike<number>;
}

export interface GmmFitOptions extends GmmOptions {
	/** Start EM here instead of from k-means (then nInit is 1). maxIter 0 just scores it. */
	init?: GmmInit;
}

function badParameter(message: string, details: Record<string, number | string>): AppException {
	return new AppException({ code: 'cluster-bad-parameter', message, details });
}

function checkInput(X: Matrix, k: number): void {
	if (!Number.isInteger(k) || k < 1) {
		throw badParameter('The number of groups must be a whole number of at least 1.', { k });
	}
	if (X.n < k) {
		throw badParameter(`There are fewer students (${X.n}) than groups asked for (${k}).`, {
			k,
			n: X.n
		});
	}
}

interface RunOutcome {
	params: GmmParams;
	lowerBound: number;
	converged: boolean;
	iterations: number;
}

function runEm(
	X: Matrix,
	start: GmmParams,
	maxIter: number,
	tol: number,
	regCovar: number,
	tick: (iter: number) => void
): RunOutcome {
	const resp = new Float64Array(X.n * start.k);
	let params = start;
	let lowerBound = -Infinity;
	let converged = false;
	let iterations = 0;
	for (let iter = 1; iter <= maxIter; iter++) {
		tick(iter);
		const prev = lowerBound;
		const logLik = eStep(X, params, resp);
		params = mStep(X, resp, start.k, start.covariance, regCovar);
		lowerBound = logLik / X.n;
		iterations = iter;
		if (Math.abs(lowerBound - prev) < tol) {
			converged = true;
			break;
		}
	}
	return { params, lowerBound, converged, iterations };
}

function fromInit(X: Matrix, opts: GmmFitOptions, init: GmmInit, regCovar: number): GmmParams {
	const { k, covariance } = opts;
	const d = X.d;
	const covLen = covariance === 'diag' ? k * d : k * d * d;
	if (
		init.weights.length !== k ||
		init.means.length !== k * d ||
		init.covariances.length !== covLen
	) {
		throw badParameter('The starting parameters do not match the number of groups and columns.', {
			k,
			d
		});
	}
	const weights = Float64Array.from(init.weights);
	const total = weights.reduce((a, b) => a + b, 0);
	for (let c = 0; c < k; c++) weights[c] /= total;
	return makeParams(
		covariance,
		k,
		d,
		weights,
		Float64Array.from(init.means),
		Float64Array.from(init.covariances),
		regCovar
	);
}

export function gmm(X: Matrix, opts: GmmFitOptions): GmmResult {
	const { k, covariance } = opts;
	checkInput(X, k);
	const onProgress = opts.onProgress ?? noProgress;
	const cancel = opts.cancel ?? neverCancelled;
	const regCovar = opts.regCovar ?? 1e-6;
	const maxIter = opts.maxIter ?? 100;
	const tol = opts.tol ?? 1e-3;
	const nInit = opts.init ? 1 : Math.max(1, opts.nInit ?? 1);

	let best: RunOutcome | null = null;
	for (let run = 0; run < nInit; run++) {
		cancel.throwIfCancelled();
		let start: GmmParams;
		if (opts.init) {
			start = fromInit(X, opts, opts.init, regCovar);
		} else {
			// One-hot responsibilities from k-means, then one M-step: scikit-learn's _initialize.
			const labels = kmeansLabels(X, k, opts.seed + run);
			const resp = new Float64Array(X.n * k);
			for (let i = 0; i < X.n; i++) resp[i * k + labels[i]] = 1;
			start = mStep(X, resp, k, covariance, regCovar);
		}
		const outcome = runEm(X, start, maxIter, tol, regCovar, (iter) => {
			cancel.throwIfCancelled();
			onProgress({
				fraction: (run + Math.min(1, iter / maxIter)) / nInit,
				phase:
					nInit > 1
						? `Gaussian mixture — start ${run + 1} of ${nInit}, step ${iter}`
						: `Gaussian mixture — step ${iter}`
			});
		});
		if (best === null || outcome.lowerBound > best.lowerBound) best = outcome;
	}
	const chosen = best as RunOutcome;
	const params = chosen.params;
	// A final E-step so labels and probabilities come from the parameters returned.
	const proba = new Float64Array(X.n * k);
	const logLikelihood = eStep(X, params, proba);
	const labels = new Int32Array(X.n);
	for (let i = 0; i < X.n; i++) {
		let bestC = 0;
		for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + bestC]) bestC = c;
		labels[i] = bestC;
	}
	onProgress({ fraction: 1, phase: 'Gaussian mixture — done' });
	return {
		labels,
		proba,
		k,
		weights: params.weights,
		means: params.means,
		covariances: params.covariances,
		covariance,
		logLikelihood,
		bic: -2 * logLikelihood + nParameters(k, X.d, covariance) * Math.log(X.n),
		converged: chosen.converged,
		iterations: chosen.iterations
	};
}

/** Membership probabilities of one (prepared) point under a fitted mixture. */
export function gmmPredictProba(
	model: Pick<GmmResult, 'k' | 'weights' | 'means' | 'covariances' | 'covariance'>,
	point: ArrayLike<number>
): Float64Array {
	const { k } = model;
	const d = model.means.length / k;
	const params = makeParams(
		model.covariance,
		k,
		d,
		Float64Array.from(model.weights),
		Float64Array.from(model.means),
		Float64Array.from(model.covariances),
		0
	);
	const row = new Float64Array(k);
	weightedLogProbRow(params, point, 0, row, new Float64Array(d));
	let mx = -Infinity;
	for (let c = 0; c < k; c++) if (row[c] > mx) mx = row[c];
	let s = 0;
	for (let c = 0; c < k; c++) s += Math.exp(row[c] - mx);
	const lse = mx + Math.log(s);
	return row.map((v) => Math.exp(v - lse));
}

export interface GmmSelectKOptions extends RunOptions {
	kMin: number;
	kMax: number;
	covariance: 'diag' | 'full';
	seed: number;
	nInit?: number;
}

export interface GmmSelection {
	k: number;
	/** BIC for kMin, kMin + 1, …, kMax (lower is better). */
	bics: number[];
	/** The numbers of components left out because a component collapsed (see gmmCollapsed). */
	collapsed: number[];
	explanation: string;
}

/** Below this variance (in SD² of standardised data) a component has collapsed onto a value. */
export const COLLAPSED_VARIANCE = 1e-3;

/**
 * Whether a mixture component sits on a single value of some feature. On whole-number data
 * (sleep hours, Low/Medium/High coded 0/1/2) the likelihood of such a component grows without
 * bound, so BIC keeps "improving" with k by fitting the data's steps rather than groups.
 */
export function gmmCollapsed(
	fit: Pick<GmmResult, 'k' | 'covariances' | 'covariance'>,
	d: number
): boolean {
	for (let c = 0; c < fit.k; c++) {
		for (let j = 0; j < d; j++) {
			const v =
				fit.covariance === 'diag'
					? fit.covariances[c * d + j]
					: fit.covariances[c * d * d + j * d + j];
			if (v < COLLAPSED_VARIANCE) return true;
		}
	}
	return false;
}

/**
 * Picks the number of components with the lowest BIC. BIC rewards fit (log-likelihood) and
 * charges for every extra parameter, so it stops adding groups once they only describe noise.
 */
export function gmmSelectK(X: Matrix, opts: GmmSelectKOptions): GmmSelection {
	const kMin = Math.max(1, Math.floor(opts.kMin));
	const kMax = Math.min(Math.floor(opts.kMax), X.n);
	if (kMax < kMin) {
		throw badParameter('The range of group counts to try is empty.', {
			kMin: opts.kMin,
			kMax: opts.kMax,
			n: X.n
		});
	}
	const onProgress: ProgressFn = opts.onProgress ?? noProgress;
	const bics: number[] = [];
	const collapsed: number[] = [];
	const span = kMax - kMin + 1;
	for (let k = kMin; k <= kMax; k++) {
		const at = k - kMin;
		const res = gmm(X, {
			k,
			covariance: opts.covariance,
			seed: opts.seed,
			nInit: opts.nInit,
			cancel: opts.cancel,
			onProgress: (p) =>
				onProgress({
					fraction: (at + p.fraction) / span,
					phase: `Trying ${k} groups (${at + 1} of ${span})`
				})
		});
		bics.push(res.bic);
		if (gmmCollapsed(res, X.d)) collapsed.push(k);
	}
	// Collapsed fits are left out; when every fit collapsed, BIC is all there is.
	const usable = (i: number) => collapsed.length === span || !collapsed.includes(kMin + i);
	let bestAt = -1;
	for (let i = 0; i < bics.length; i++)
		if (usable(i) && (bestAt < 0 || bics[i] < bics[bestAt])) bestAt = i;
	const k = kMin + bestAt;
	const kind = opts.covariance === 'full' ? 'full' : 'diagonal';
	let explanation: string;
	if (span === 1) {
		explanation = `Only ${k} group${k === 1 ? ' was' : 's were'} tried.`;
	} else {
		const next = bics[bestAt + 1];
		const prev = bics[bestAt - 1];
		const parts = [
			`${k} groups give the lowest BIC (Bayesian information criterion) among ${kMin} to ${kMax} ` +
				`groups with ${kind} covariances.`
		];
		if (prev !== undefined) {
			parts.push(
				`Fewer groups fit the data clearly worse (BIC ${Math.round(prev - bics[bestAt])} higher with ${k - 1}).`
			);
		}
		if (next !== undefined) {
			parts.push(
				`More groups add parameters without enough gain in fit (BIC ${Math.round(next - bics[bestAt])} higher with ${k + 1}).`
			);
		}
		if (collapsed.length === span) {
			parts.push(
				'Every fit had a group collapse onto single values of a feature (whole numbers or categories), so BIC is not to be trusted here: consider k-means or Ward.'
			);
		} else if (collapsed.length > 0) {
			parts.push(
				`Fits with ${collapsed.join(', ')} groups were left out: a group collapsed onto single values of a feature, which makes BIC look better than the grouping is.`
			);
		}
		explanation = parts.join(' ');
	}
	onProgress({ fraction: 1, phase: 'Done' });
	return { k, bics, collapsed, explanation };
}
