/**
 * Seeded train/test splits. Stratifying by class keeps a rare outcome (say, 8 % "at risk") in
 * both parts, so a small class's holdout score is not measured on zero or one student.
 */
import { createRng } from '../random';

export interface Split {
	/** Row indices, ascending (the learners shuffle for themselves). */
	train: Uint32Array;
	test: Uint32Array;
}

export interface HoldoutOptions {
	testFraction: number;
	seed: number | string;
	/** A class index per entry of `rows`; every distinct value is split separately. */
	strata?: ArrayLike<number>;
}

function sortedCopy(xs: number[]): Uint32Array {
	return Uint32Array.from(xs).sort();
}

/**
 * Splits `rows` (default 0..n−1) into train and test. Each stratum sends round(size × fraction)
 * to test but always keeps at least one row for training.
 */
export function holdoutSplit(rows: ArrayLike<number> | number, opts: HoldoutOptions): Split {
	const ids =
		typeof rows === 'number' ? Array.from({ length: rows }, (_, i) => i) : Array.from(rows);
	const frac = opts.testFraction;
	if (!(frac > 0 && frac < 1)) throw new RangeError('testFraction must be between 0 and 1.');
	const rng = createRng(opts.seed);
	const groups = new Map<number, number[]>();
	if (opts.strata) {
		if (opts.strata.length !== ids.length) throw new RangeError('strata must match rows.');
		for (let i = 0; i < ids.length; i++) {
			const key = opts.strata[i];
			let g = groups.get(key);
			if (!g) groups.set(key, (g = []));
			g.push(ids[i]);
		}
	} else {
		groups.set(0, ids);
	}
	const train: number[] = [];
	const test: number[] = [];
	// Strata in key order so the random stream, and hence the split, is stable.
	for (const key of [...groups.keys()].sort((a, b) => a - b)) {
		const g = groups.get(key) as number[];
		rng.shuffle(g);
		const nTest = Math.min(Math.round(g.length * frac), g.length - 1);
		for (let i = 0; i < g.length; i++) (i < nTest ? test : train).push(g[i]);
	}
	return { train: sortedCopy(train), test: sortedCopy(test) };
}
