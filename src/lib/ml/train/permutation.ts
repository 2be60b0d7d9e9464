/**
 * Permutation importance: how much worse the model scores when one feature's values are shuffled
 * among the rows (breaking its link to the outcome while keeping its distribution). Used for
 * models without a native importance (the neural network). Computed on a seeded sample of at
 * most `maxRows` rows, so it costs one prediction per feature on a small table.
 */
import { MISSING_CODE, getColumn, makeFrame, takeRows, type Column, type Frame } from '../frame';
import { createRng } from '../random';
import type { ImportanceEntry } from './types';
import { toShares } from './families';

export interface PermutationInput {
	frame: Frame;
	features: string[];
	/** Frame rows to sample from and their targets (value or class index), in the same order. */
	rows: Uint32Array;
	y: Float64Array;
	nClasses: number;
	/** Scores rows 0..n−1 of the given frame: n values or n × K probabilities. */
	predict: (frame: Frame) => Promise<Float64Array>;
	seed: number;
	maxRows?: number;
}

function loss(y: Float64Array, pred: Float64Array, nClasses: number): number {
	let s = 0;
	if (nClasses === 0) {
		for (let i = 0; i < y.length; i++) s += (y[i] - pred[i]) ** 2;
		return Math.sqrt(s / y.length);
	}
	for (let i = 0; i < y.length; i++) {
		s -= Math.log(Math.max(1e-15, pred[i * nClasses + y[i]]));
	}
	return s / y.length;
}

function shuffled(c: Column, order: Uint32Array): Column {
	if (c.kind === 'numeric') {
		const values = new Float64Array(order.length);
		for (let i = 0; i < order.length; i++) values[i] = c.values[order[i]];
		return { ...c, values };
	}
	const codes = new Uint32Array(order.length);
	for (let i = 0; i < order.length; i++) codes[i] = c.codes[order[i]] ?? MISSING_CODE;
	return { ...c, codes };
}

export async function permutationImportance(input: PermutationInput): Promise<ImportanceEntry[]> {
	const rng = createRng(`permutation:${input.seed}`);
	const maxRows = input.maxRows ?? 1000;
	const pick = Uint32Array.from({ length: input.rows.length }, (_, i) => i);
	rng.shuffle(pick);
	const sample = pick.subarray(0, Math.min(maxRows, pick.length));
	const frameRows = Uint32Array.from(sample, (i) => input.rows[i]);
	const y = Float64Array.from(sample, (i) => input.y[i]);
	const cols = input.features.map((name) => getColumn(input.frame, name) as Column);
	const small = takeRows(makeFrame(cols), frameRows);
	const reference = loss(y, await input.predict(small), input.nClasses);
	const increase = new Map<string, number>();
	for (let j = 0; j < small.columns.length; j++) {
		const order = Uint32Array.from({ length: small.nRows }, (_, i) => i);
		rng.shuffle(order);
		const columns = small.columns.map((c, i) => (i === j ? shuffled(c, order) : c));
		const l = loss(y, await input.predict({ nRows: small.nRows, columns }), input.nClasses);
		// A feature whose shuffling helps (noise) gets no importance rather than a negative share.
		increase.set(small.columns[j].name, Math.max(0, l - reference));
	}
	return toShares(increase);
}
