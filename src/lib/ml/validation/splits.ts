/**
 * Seeded cross-validation folds. Every function returns folds as ascending Uint32Array row
 * indices, so callers can `takeRows` them directly and two runs with one seed see the same rows.
 * Property guarantees (tested in tests/unit/ml-validation): each row is in exactly one test fold
 * and in the train part of every other fold.
 */
import { AppException } from '../../errors';
import { MISSING_CODE } from '../frame';
import { createRng } from '../random';
import type { Split } from './holdout';

/** One train/test pair; the same shape as a holdout split. */
export type Fold = Split;

type Seed = number | string;

function checkK(k: number, units: number, what: string): void {
	if (!Number.isInteger(k) || k < 2) {
		throw new RangeError(`Cross-validation needs a whole number of folds ≥ 2 (got ${k}).`);
	}
	if (k > units) {
		throw new AppException({
			code: 'too-few-rows',
			message: `${k}-fold cross-validation needs at least ${k} ${what}; there are ${units}.`,
			details: { folds: k, available: units }
		});
	}
}

/**
 * Turns a fold number per row (0..k−1) into k train/test pairs. Public because the CLI and the
 * worker keep a fold id per row (cheap to store, easy to show) and need the pairs to fit.
 */
export function foldsFromAssignment(fold: ArrayLike<number>, k: number): Fold[] {
	const n = fold.length;
	const testSize = new Uint32Array(k);
	for (let i = 0; i < n; i++) {
		const f = fold[i];
		if (!(f >= 0 && f < k)) throw new RangeError(`Row ${i} has fold ${f}, outside 0..${k - 1}.`);
		testSize[f]++;
	}
	const out: Fold[] = [];
	for (let f = 0; f < k; f++) {
		const test = new Uint32Array(testSize[f]);
		const train = new Uint32Array(n - testSize[f]);
		let a = 0;
		let b = 0;
		// One ascending pass fills both, so both come out sorted without a sort.
		for (let i = 0; i < n; i++) {
			if (fold[i] === f) test[a++] = i;
			else train[b++] = i;
		}
		out.push({ train, test });
	}
	return out;
}

/** A random relabelling of fold ids, so the folds that get the "+1" rows vary with the seed. */
function foldPermutation(k: number, seed: Seed): Uint32Array {
	const perm = Uint32Array.from({ length: k }, (_, i) => i);
	createRng(`${seed}:fold-order`).shuffle(perm);
	return perm;
}

/**
 * Fold id per row for plain k-fold: rows shuffled, then cut into k contiguous blocks whose sizes
 * differ by at most one (the first n mod k blocks get the extra row, as in scikit-learn).
 */
export function kFoldAssignment(n: number, k: number, seed: Seed): Uint32Array {
	checkK(k, n, 'rows');
	const order = Uint32Array.from({ length: n }, (_, i) => i);
	createRng(`${seed}:kfold`).shuffle(order);
	const fold = new Uint32Array(n);
	const base = Math.floor(n / k);
	const extra = n % k;
	let pos = 0;
	for (let f = 0; f < k; f++) {
		const size = base + (f < extra ? 1 : 0);
		for (let j = 0; j < size; j++) fold[order[pos++]] = f;
	}
	return fold;
}

export function kFold(n: number, k: number, seed: Seed): Fold[] {
	return foldsFromAssignment(kFoldAssignment(n, k, seed), k);
}

/**
 * Fold id per row keeping class proportions: each class is shuffled on its own and dealt
 * round-robin, continuing where the previous class stopped. Dealing consecutive positions makes
 * every class's count per fold differ by at most one and (because the positions run on across
 * classes) the fold sizes too. Classes are dealt in ascending label order so the random stream,
 * and hence the folds, do not depend on row order of first appearance.
 */
export function stratifiedKFoldAssignment(
	labels: ArrayLike<number>,
	k: number,
	seed: Seed
): Uint32Array {
	const n = labels.length;
	checkK(k, n, 'rows');
	const byClass = new Map<number, number[]>();
	for (let i = 0; i < n; i++) {
		const c = labels[i];
		let rows = byClass.get(c);
		if (!rows) byClass.set(c, (rows = []));
		rows.push(i);
	}
	const rng = createRng(`${seed}:stratified`);
	const perm = foldPermutation(k, seed);
	const fold = new Uint32Array(n);
	let next = 0;
	for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
		const rows = byClass.get(c) as number[];
		rng.shuffle(rows);
		for (const row of rows) fold[row] = perm[next++ % k];
	}
	return fold;
}

export function stratifiedKFold(labels: ArrayLike<number>, k: number, seed: Seed): Fold[] {
	return foldsFromAssignment(stratifiedKFoldAssignment(labels, k, seed), k);
}

/**
 * Fold id per row with whole groups (students) kept together, balanced by row count: groups
 * largest first, each to the fold with the fewest rows so far (scikit-learn's GroupKFold). The
 * seed only orders groups of equal size, so different seeds give different but equally balanced
 * folds. A row whose group is missing (MISSING_CODE) is its own group: with nothing to tie it to
 * another row, it cannot leak.
 */
export function groupKFoldAssignment(
	groups: ArrayLike<number>,
	k: number,
	seed: Seed
): Uint32Array {
	const n = groups.length;
	// Dense ids: codes can be sparse (a filtered dictionary) or missing.
	const dense = new Map<number, number>();
	const groupOf = new Uint32Array(n);
	const sizes: number[] = [];
	for (let i = 0; i < n; i++) {
		const code = groups[i];
		let g: number | undefined = code === MISSING_CODE ? undefined : dense.get(code);
		if (g === undefined) {
			g = sizes.length;
			sizes.push(0);
			if (code !== MISSING_CODE) dense.set(code, g);
		}
		groupOf[i] = g;
		sizes[g]++;
	}
	const nGroups = sizes.length;
	checkK(k, nGroups, 'students (groups)');
	const order = Uint32Array.from({ length: nGroups }, (_, i) => i);
	createRng(`${seed}:group-kfold`).shuffle(order);
	// Array.prototype.sort is stable, so equal sizes keep the seeded order.
	const sorted = Array.from(order).sort((a, b) => sizes[b] - sizes[a]);
	const load = new Float64Array(k);
	const foldOfGroup = new Uint32Array(nGroups);
	for (const g of sorted) {
		let best = 0;
		for (let f = 1; f < k; f++) if (load[f] < load[best]) best = f;
		foldOfGroup[g] = best;
		load[best] += sizes[g];
	}
	const fold = new Uint32Array(n);
	for (let i = 0; i < n; i++) fold[i] = foldOfGroup[groupOf[i]];
	return fold;
}

export function groupKFold(groups: ArrayLike<number>, k: number, seed: Seed): Fold[] {
	return foldsFromAssignment(groupKFoldAssignment(groups, k, seed), k);
}
