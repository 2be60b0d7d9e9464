/**
 * Sampling Shapley values for models we can only query (the neural network), by permutation
 * sampling (Štrumbelj & Kononenko 2014) with antithetic pairs: each random feature order is
 * used forwards and backwards, which cancels much of the variance for near-additive models.
 *
 * One reference input stands for "a typical student" (see reference.ts). Walking a permutation
 * from the reference to the student, switching one feature at a time, the output changes telescope
 * to f(student) − f(reference), so base + Σ contributions = f(student) exactly for every sample,
 * not just on average. A feature is switched as a whole: all its encoded columns (one-hot slots,
 * missing indicator) move together.
 *
 * Every hybrid input of a row goes into one batched model call (several rows share a call), and
 * each row draws its permutations from its own stream (seed + frame row), so a student's
 * explanation does not depend on which other students were explained with it.
 */
import { createRng } from '../random';

/** Scores a row-major nRows × nCols matrix: nRows × nOutputs values. */
export type BatchPredict = (X: Float32Array, nRows: number) => Promise<ArrayLike<number>>;

export interface SamplingInput {
	predict: BatchPredict;
	nOutputs: number;
	/** Encoded rows to explain, row-major n × nCols. */
	X: Float32Array;
	n: number;
	nCols: number;
	/** Feature j owns encoded columns [spans[j], spans[j + 1]). */
	spans: Int32Array;
	/** The reference input, nCols values. */
	reference: Float32Array;
	/** Permutations per row; rounded up to an even number (antithetic pairs). */
	samples: number;
	seed: number;
	/** A stable id per row (its row in the frame) that keys the row's random stream. */
	rowKeys: ArrayLike<number>;
	/** Most hybrid rows per model call; a row's hybrids are never split across calls. */
	maxBatchRows?: number;
}

export interface SamplingResult {
	/** f(reference) per output. */
	base: Float64Array;
	/** n × P × nOutputs. */
	values: Float64Array;
	/** f(row) per row and output, as the batched call computed it. */
	output: Float64Array;
}

export const DEFAULT_SAMPLES = 32;
const MAX_BATCH_ROWS = 32768;

export async function samplingShapley(input: SamplingInput): Promise<SamplingResult> {
	const { predict, nOutputs: K, X, n, nCols: p, spans, reference, seed, rowKeys } = input;
	const P = spans.length - 1;
	const pairs = Math.max(1, Math.ceil(input.samples / 2));
	const S = 2 * pairs;
	const refOut = await predict(reference, 1);
	const base = Float64Array.from({ length: K }, (_, k) => refOut[k]);
	const values = new Float64Array(n * P * K);
	const output = new Float64Array(n * K);
	// The student row itself, then P − 1 intermediate hybrids per permutation (the first state is
	// the reference and the last the student, both scored once).
	const per = 1 + S * Math.max(0, P - 1);
	const block = Math.max(1, Math.floor((input.maxBatchRows ?? MAX_BATCH_ROWS) / per));
	const perms = new Int32Array(S * P);
	const order = new Uint32Array(P);
	const Z = new Float32Array(Math.min(block, n) * per * p);
	const blockPerms = new Int32Array(Math.min(block, n) * S * P);
	for (let r0 = 0; r0 < n; r0 += block) {
		const r1 = Math.min(n, r0 + block);
		for (let r = r0; r < r1; r++) {
			const rng = createRng(`${seed}:${rowKeys[r]}`);
			for (let s = 0; s < pairs; s++) {
				for (let j = 0; j < P; j++) order[j] = j;
				rng.shuffle(order);
				for (let t = 0; t < P; t++) {
					perms[2 * s * P + t] = order[t];
					perms[(2 * s + 1) * P + t] = order[P - 1 - t];
				}
			}
			blockPerms.set(perms, (r - r0) * S * P);
			const x = X.subarray(r * p, (r + 1) * p);
			let z = (r - r0) * per * p;
			Z.set(x, z);
			z += p;
			for (let s = 0; s < S && P > 1; s++) {
				const cur = Z.subarray(z, z + p);
				cur.set(reference);
				for (let t = 0; t < P - 1; t++) {
					const f = perms[s * P + t];
					// Switch feature f to the student's value, starting from the previous hybrid.
					if (t > 0) Z.copyWithin(z + p * t, z + p * (t - 1), z + p * t);
					for (let c = spans[f]; c < spans[f + 1]; c++) Z[z + p * t + c] = x[c];
				}
				z += p * (P - 1);
			}
		}
		const nb = r1 - r0;
		const out = await predict(Z.subarray(0, nb * per * p), nb * per);
		for (let r = r0; r < r1; r++) {
			const o = (r - r0) * per;
			const pr = blockPerms.subarray((r - r0) * S * P, (r - r0 + 1) * S * P);
			const vo = r * P * K;
			for (let k = 0; k < K; k++) {
				const fx = out[o * K + k];
				output[r * K + k] = fx;
				for (let s = 0; s < S; s++) {
					let prev = base[k];
					for (let t = 0; t < P; t++) {
						const cur = t === P - 1 ? fx : out[(o + 1 + s * (P - 1) + t) * K + k];
						values[vo + pr[s * P + t] * K + k] += cur - prev;
						prev = cur;
					}
				}
				for (let j = 0; j < P; j++) values[vo + j * K + k] /= S;
			}
		}
	}
	return { base, values, output };
}
