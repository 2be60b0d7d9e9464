/**
 * The "quick model": a small dense network (tfjs-layers, Adam) with early stopping on an internal
 * validation split. Everything random is seeded — initial weights, the validation split, the
 * per-epoch shuffle and dropout masks — so the same seed on the same backend gives the same model.
 * The trained model leaves as plain arrays (MlpArtifact); predictMlp needs only tfjs-core.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { CancelToken, ProgressFn } from '../progress';
import { createRng } from '../random';
import { holdoutSplit } from '../validation/holdout';
import type { Tf, TfCore } from './tf';

export type MlpTask = 'regression' | 'binary' | 'multiclass';

export interface MlpData {
	/** Row-major nRows × nCols, already encoded (see preprocess/). */
	X: Float32Array;
	/** Regression: values. Classification: class indices 0..nClasses−1. */
	y: Float32Array | Int32Array;
	nRows: number;
	nCols: number;
}

export interface MlpOptions {
	task: MlpTask;
	/** Required for multiclass. */
	nClasses?: number;
	hidden?: number[];
	dropout?: number;
	epochs?: number;
	batchSize?: number;
	learningRate?: number;
	/** Epochs without improvement in validation loss before stopping. */
	patience?: number;
	validationFraction?: number;
	seed: number;
}

export interface WeightArray {
	shape: number[];
	values: number[] | Float32Array;
}

export interface MlpArtifact {
	kind: 'mlp';
	version: 1;
	task: MlpTask;
	nInputs: number;
	nOutputs: number;
	hidden: number[];
	/** Regression is trained on a standardised target; predictions are mapped back with these. */
	targetMean: number;
	targetStd: number;
	/** Kernel and bias of each dense layer in order, as plain numbers (JSON-safe). */
	weights: WeightArray[];
}

export interface EpochLog {
	epoch: number;
	loss: number;
	valLoss?: number;
}

export interface MlpTrainResult {
	artifact: MlpArtifact;
	/** The same array as artifact.weights: the best epoch's weights. */
	weights: WeightArray[];
	history: EpochLog[];
	bestEpoch: number;
	epochsRun: number;
}

export const MLP_DEFAULTS = {
	hidden: [32, 16],
	dropout: 0,
	epochs: 40,
	learningRate: 0.005,
	patience: 8,
	validationFraction: 0.15
} as const;

/** Below this many rows a validation split would be too noisy to stop on; use training loss. */
const MIN_ROWS_FOR_VALIDATION = 40;
/** Yield to the event loop this often so the worker can receive a cancel message. */
const YIELD_EVERY_MS = 100;
const MIN_IMPROVEMENT = 1e-4;

/** Small batches for class-sized data (more updates per epoch), larger ones for big tables. */
export function defaultBatchSize(nTrain: number): number {
	return Math.min(256, Math.max(16, 2 ** Math.round(Math.log2(Math.max(1, nTrain / 30)))));
}

function gatherRows(X: Float32Array, nCols: number, rows: Uint32Array): Float32Array {
	const out = new Float32Array(rows.length * nCols);
	for (let i = 0; i < rows.length; i++) {
		out.set(X.subarray(rows[i] * nCols, rows[i] * nCols + nCols), i * nCols);
	}
	return out;
}

function gather<T extends Float32Array | Int32Array>(y: T, rows: Uint32Array): T {
	const out = new (y.constructor as { new (n: number): T })(rows.length);
	for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]];
	return out;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function checkData(data: MlpData, opts: MlpOptions): number {
	const { X, y, nRows, nCols } = data;
	if (X.length !== nRows * nCols)
		throw new RangeError(`X has ${X.length} values, not ${nRows}×${nCols}.`);
	if (y.length !== nRows) throw new RangeError(`y has ${y.length} values for ${nRows} rows.`);
	if (nRows < 2) throw new RangeError('At least two rows are needed to train.');
	const nOutputs = opts.task === 'multiclass' ? (opts.nClasses ?? 0) : 1;
	if (opts.task === 'multiclass' && nOutputs < 2) throw new RangeError('nClasses must be ≥ 2.');
	for (let i = 0; i < nRows; i++) {
		const v = y[i];
		const bad =
			opts.task === 'regression'
				? !Number.isFinite(v)
				: !Number.isInteger(v) || v < 0 || v >= (opts.task === 'binary' ? 2 : nOutputs);
		if (bad) throw new RangeError(`y[${i}] = ${v} is not a valid ${opts.task} target.`);
	}
	return nOutputs;
}

function meanStd(y: ArrayLike<number>): { mean: number; std: number } {
	let mean = 0;
	for (let i = 0; i < y.length; i++) mean += y[i];
	mean /= y.length;
	let ss = 0;
	for (let i = 0; i < y.length; i++) ss += (y[i] - mean) ** 2;
	const std = Math.sqrt(ss / y.length);
	return { mean, std: std > 0 ? std : 1 };
}

export async function trainMlp(
	tf: Tf,
	data: MlpData,
	opts: MlpOptions,
	progress: ProgressFn,
	cancel: CancelToken
): Promise<MlpTrainResult> {
	const nOutputs = checkData(data, opts);
	const { task, seed } = opts;
	const hidden = [...(opts.hidden ?? MLP_DEFAULTS.hidden)];
	const epochs = opts.epochs ?? MLP_DEFAULTS.epochs;
	const patience = opts.patience ?? MLP_DEFAULTS.patience;
	const dropout = opts.dropout ?? MLP_DEFAULTS.dropout;
	const valFraction = opts.validationFraction ?? MLP_DEFAULTS.validationFraction;
	const rng = createRng(`mlp:${seed}`);

	const useValidation = valFraction > 0 && data.nRows >= MIN_ROWS_FOR_VALIDATION;
	const split = useValidation
		? holdoutSplit(data.nRows, {
				testFraction: valFraction,
				seed: rng.int(2 ** 31),
				strata: task === 'regression' ? undefined : data.y
			})
		: { train: Uint32Array.from({ length: data.nRows }, (_, i) => i), test: new Uint32Array(0) };
	const nTrain = split.train.length;
	const batchSize = opts.batchSize ?? defaultBatchSize(nTrain);
	const yTrainRaw = gather(data.y, split.train);
	const { mean: targetMean, std: targetStd } =
		task === 'regression' ? meanStd(yTrainRaw) : { mean: 0, std: 1 };

	const owned: { dispose(): void }[] = [];
	const keep = <T extends { dispose(): void }>(t: T): T => (owned.push(t), t);
	/** Creates the tensors and the model; everything it makes is in `owned`, freed in finally. */
	const build = () => {
		const toTargets = (y: Float32Array | Int32Array): Tensor => {
			if (task === 'multiclass') {
				return tf.tidy(() =>
					tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(y), 'int32'), nOutputs), 'float32')
				);
			}
			const f = Float32Array.from(y, (v) => (v - targetMean) / targetStd);
			return tf.tensor2d(f, [y.length, 1]);
		};
		const xTrain = keep(
			tf.tensor2d(gatherRows(data.X, data.nCols, split.train), [nTrain, data.nCols])
		);
		const yTrain = keep(toTargets(yTrainRaw));
		const validationData: [Tensor, Tensor] | undefined = useValidation
			? [
					keep(
						tf.tensor2d(gatherRows(data.X, data.nCols, split.test), [split.test.length, data.nCols])
					),
					keep(toTargets(gather(data.y, split.test)))
				]
			: undefined;

		const optimizer = keep(tf.train.adam(opts.learningRate ?? MLP_DEFAULTS.learningRate));
		const model = keep(tf.sequential());
		// tfjs-layers keeps Dropout's seed private; we set it per batch (see onBatchBegin).
		const dropoutLayers: { seed?: number }[] = [];
		hidden.forEach((units, i) => {
			model.add(
				tf.layers.dense({
					units,
					activation: 'relu',
					inputShape: i === 0 ? [data.nCols] : undefined,
					kernelInitializer: tf.initializers.heNormal({ seed: rng.int(2 ** 31) }),
					biasInitializer: 'zeros'
				})
			);
			if (dropout > 0) {
				const d = tf.layers.dropout({ rate: dropout });
				dropoutLayers.push(d as unknown as { seed?: number });
				model.add(d);
			}
		});
		model.add(
			tf.layers.dense({
				units: nOutputs,
				activation: task === 'regression' ? 'linear' : task === 'binary' ? 'sigmoid' : 'softmax',
				inputShape: hidden.length === 0 ? [data.nCols] : undefined,
				kernelInitializer: tf.initializers.glorotUniform({ seed: rng.int(2 ** 31) }),
				biasInitializer: 'zeros'
			})
		);
		model.compile({
			optimizer,
			loss:
				task === 'regression'
					? 'meanSquaredError'
					: task === 'binary'
						? 'binaryCrossentropy'
						: 'categoricalCrossentropy'
		});
		return { model, xTrain, yTrain, validationData, dropoutLayers };
	};

	const history: EpochLog[] = [];
	let bestEpoch = 0;
	let bestWeights: WeightArray[];
	try {
		const { model, xTrain, yTrain, validationData, dropoutLayers } = build();
		bestWeights = await snapshot(model.getWeights());
		let best = Infinity;
		let sinceBest = 0;
		let lastYield = performance.now();
		progress({ fraction: 0, phase: `Training — epoch 1 of ${epochs}`, detail: { epoch: 0 } });
		for (let epoch = 1; epoch <= epochs; epoch++) {
			cancel.throwIfCancelled();
			// tfjs-layers shuffles with Math.random; we shuffle ourselves, seeded, and fit one epoch.
			const order = Int32Array.from({ length: nTrain }, (_, i) => i);
			rng.shuffle(order);
			const [xs, ys] = tf.tidy(() => {
				const idx = tf.tensor1d(order, 'int32');
				return [tf.gather(xTrain, idx), tf.gather(yTrain, idx)];
			});
			let h;
			try {
				h = await model.fit(xs, ys, {
					epochs: 1,
					batchSize,
					shuffle: false,
					verbose: 0,
					validationData,
					yieldEvery: 'never',
					callbacks: {
						onBatchBegin: async () => {
							// A seeded Dropout layer would reuse one mask for every batch; reseed it per batch.
							for (const d of dropoutLayers) d.seed = rng.int(2 ** 31);
							if (cancel.cancelled) model.stopTraining = true;
							if (performance.now() - lastYield > YIELD_EVERY_MS) {
								await yieldToEventLoop();
								lastYield = performance.now();
							}
						}
					}
				});
			} finally {
				xs.dispose();
				ys.dispose();
			}
			cancel.throwIfCancelled();
			const loss = Number(h.history.loss[0]);
			const valLoss = validationData ? Number(h.history.val_loss[0]) : undefined;
			history.push(valLoss === undefined ? { epoch, loss } : { epoch, loss, valLoss });
			const monitored = valLoss ?? loss;
			if (monitored < best - MIN_IMPROVEMENT) {
				best = monitored;
				bestEpoch = epoch;
				bestWeights = await snapshot(model.getWeights());
				sinceBest = 0;
			} else {
				sinceBest++;
			}
			const detail: Record<string, number> = { epoch, loss };
			if (valLoss !== undefined) detail.valLoss = valLoss;
			const stop = sinceBest >= patience || !Number.isFinite(monitored);
			progress({
				fraction: stop ? 1 : epoch / epochs,
				phase: `Training — epoch ${epoch} of ${epochs}`,
				detail
			});
			if (stop) break;
			await yieldToEventLoop();
			lastYield = performance.now();
		}
	} finally {
		// Reverse order of creation: the model before the optimizer it trains with, then the data.
		for (const t of owned.reverse()) t.dispose();
	}
	const weights = bestWeights.map((w) => ({ shape: w.shape, values: Array.from(w.values) }));
	return {
		artifact: {
			kind: 'mlp',
			version: 1,
			task,
			nInputs: data.nCols,
			nOutputs,
			hidden,
			targetMean,
			targetStd,
			weights
		},
		weights,
		history,
		bestEpoch,
		epochsRun: history.length
	};
}

async function snapshot(tensors: Tensor[]): Promise<WeightArray[]> {
	const out: WeightArray[] = [];
	for (const t of tensors) {
		// Copied: some backends hand out their live buffer.
		const values = (await t.data()) as Float32Array;
		out.push({ shape: [...t.shape], values: values.slice() });
	}
	return out;
}

/**
 * Predictions for a row-major nRows × nCols matrix. Regression: one value per row (in target
 * units). Binary: P(class 1) per row. Multiclass: row-major nRows × nClasses probabilities.
 */
export async function predictMlp(
	tf: TfCore,
	artifact: MlpArtifact,
	X: Float32Array,
	nRows: number,
	nCols: number,
	chunkRows = 16384
): Promise<Float32Array> {
	if (nCols !== artifact.nInputs) {
		throw new RangeError(`The model expects ${artifact.nInputs} input columns, not ${nCols}.`);
	}
	if (X.length !== nRows * nCols)
		throw new RangeError(`X has ${X.length} values, not ${nRows}×${nCols}.`);
	const out = new Float32Array(nRows * artifact.nOutputs);
	const params = artifact.weights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
	try {
		for (let start = 0; start < nRows; start += chunkRows) {
			const end = Math.min(nRows, start + chunkRows);
			const y = tf.tidy(() => {
				let h: Tensor = tf.tensor2d(X.subarray(start * nCols, end * nCols), [end - start, nCols]);
				for (let i = 0; i < params.length; i += 2) {
					h = tf.add(tf.matMul(h, params[i]), params[i + 1]);
					if (i + 2 < params.length) h = tf.relu(h);
				}
				if (artifact.task === 'binary') return tf.sigmoid(h);
				if (artifact.task === 'multiclass') return tf.softmax(h);
				return tf.add(tf.mul(h, artifact.targetStd), artifact.targetMean);
			});
			try {
				out.set((await y.data()) as Float32Array, start * artifact.nOutputs);
			} finally {
				y.dispose();
			}
		}
	} finally {
		for (const p of params) p.dispose();
	}
	return out;
}
