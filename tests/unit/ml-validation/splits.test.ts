import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
	foldsFromAssignment,
	groupKFold,
	kFold,
	stratifiedKFold,
	type Fold
} from '../../../src/lib/ml/validation';
import { MISSING_CODE } from '../../../src/lib/ml/frame';

// Fold-size multisets from scikit-learn: see bench/make-validation-fixtures.py.
interface SplitFixtures {
	stratified: { name: string; labels: number[]; k: number; fold_class_counts: number[][] }[];
	group: { name: string; groups: number[]; k: number; fold_sizes: number[] }[];
}
const fixtures = JSON.parse(
	readFileSync(new URL('../../fixtures/validation/splits.json', import.meta.url), 'utf8')
) as SplitFixtures;

/**
 * Every row is in exactly one test fold and in the train part of every other fold; indices
 * ascending. Returns a description of the first problem (plain loops: expect() per element is
 * too slow inside property runs).
 */
function partitionProblem(folds: Fold[], n: number): string | null {
	const seen = new Uint32Array(n);
	for (const [fi, { train, test }] of folds.entries()) {
		if (train.length + test.length !== n) return `fold ${fi}: sizes do not add up to ${n}`;
		const inTest = new Uint8Array(n);
		for (let i = 0; i < test.length; i++) {
			if (i > 0 && test[i] <= test[i - 1]) return `fold ${fi}: test not ascending`;
			inTest[test[i]] = 1;
			seen[test[i]]++;
		}
		for (let i = 0; i < train.length; i++) {
			if (i > 0 && train[i] <= train[i - 1]) return `fold ${fi}: train not ascending`;
			if (inTest[train[i]]) return `fold ${fi}: row ${train[i]} in train and test`;
		}
	}
	const bad = seen.findIndex((c) => c !== 1);
	return bad >= 0 ? `row ${bad} is in ${seen[bad]} test folds` : null;
}

function expectPartition(folds: Fold[], n: number): void {
	expect(partitionProblem(folds, n)).toBeNull();
}

function spread(xs: number[]): number {
	return Math.max(...xs) - Math.min(...xs);
}

const seedArb = fc.integer({ min: 0, max: 2 ** 31 });

describe('kFold', () => {
	it('partitions the rows into folds whose sizes differ by at most one', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 2, max: 200 }),
				fc.integer({ min: 2, max: 12 }),
				seedArb,
				(n, k, seed) => {
					fc.pre(k <= n);
					const folds = kFold(n, k, seed);
					expect(folds).toHaveLength(k);
					expectPartition(folds, n);
					expect(spread(folds.map((f) => f.test.length))).toBeLessThanOrEqual(1);
				}
			),
			{ numRuns: 150 }
		);
	});

	it('is deterministic per seed and differs across seeds', () => {
		expect(kFold(50, 5, 7)).toEqual(kFold(50, 5, 7));
		expect(kFold(50, 5, 7)).not.toEqual(kFold(50, 5, 8));
		expect(kFold(50, 5, 'a')).toEqual(kFold(50, 5, 'a'));
	});

	it('refuses more folds than rows, with a message for the teacher', () => {
		expect(() => kFold(3, 5, 1)).toThrow(/at least 5 rows/);
		expect(() => kFold(10, 1, 1)).toThrow(RangeError);
	});
});

describe('stratifiedKFold', () => {
	const labelsArb = fc
		.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 2 ** 31 }))
		.chain(([nClasses]) =>
			fc.array(fc.integer({ min: 0, max: nClasses - 1 }), { minLength: 2, maxLength: 150 })
		);

	it('keeps fold sizes and every class count per fold within one of each other', () => {
		fc.assert(
			fc.property(labelsArb, fc.integer({ min: 2, max: 10 }), seedArb, (labels, k, seed) => {
				fc.pre(k <= labels.length);
				const y = Int32Array.from(labels);
				const folds = stratifiedKFold(y, k, seed);
				expectPartition(folds, y.length);
				expect(spread(folds.map((f) => f.test.length))).toBeLessThanOrEqual(1);
				for (const c of new Set(labels)) {
					const perFold = folds.map((f) => Array.from(f.test).filter((r) => y[r] === c).length);
					expect(spread(perFold)).toBeLessThanOrEqual(1);
				}
			}),
			{ numRuns: 150 }
		);
	});

	it('deals the same per-fold class counts as scikit-learn StratifiedKFold(shuffle=True)', () => {
		for (const c of fixtures.stratified) {
			const folds = stratifiedKFold(Int32Array.from(c.labels), c.k, 3);
			const nClasses = Math.max(...c.labels) + 1;
			const counts = folds.map((f) => {
				const row = new Array<number>(nClasses).fill(0);
				for (const r of f.test) row[c.labels[r]]++;
				return row;
			});
			const byRow = (a: number[], b: number[]) => {
				for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
				return 0;
			};
			expect(counts.sort(byRow), c.name).toEqual(c.fold_class_counts);
		}
	});

	it('is deterministic per seed', () => {
		const y = Int32Array.from({ length: 60 }, (_, i) => i % 3);
		expect(stratifiedKFold(y, 5, 11)).toEqual(stratifiedKFold(y, 5, 11));
		expect(stratifiedKFold(y, 5, 11)).not.toEqual(stratifiedKFold(y, 5, 12));
	});
});

describe('groupKFold', () => {
	const groupsArb = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 200 });

	it('never puts one student in two folds and balances rows like greedy largest-first', () => {
		fc.assert(
			fc.property(groupsArb, fc.integer({ min: 2, max: 8 }), seedArb, (codes, k, seed) => {
				const g = Uint32Array.from(codes);
				const nGroups = new Set(codes).size;
				fc.pre(k <= nGroups);
				const folds = groupKFold(g, k, seed);
				expectPartition(folds, g.length);
				const foldOfGroup = new Map<number, number>();
				folds.forEach((f, fi) => {
					for (const r of f.test) {
						const prev = foldOfGroup.get(g[r]);
						expect(prev === undefined || prev === fi).toBe(true);
						foldOfGroup.set(g[r], fi);
					}
				});
				// Greedy least-loaded assignment: the spread never exceeds the largest group.
				const sizes = new Map<number, number>();
				for (const c of codes) sizes.set(c, (sizes.get(c) ?? 0) + 1);
				const largest = Math.max(...sizes.values());
				expect(spread(folds.map((f) => f.test.length))).toBeLessThanOrEqual(largest);
				for (const f of folds) expect(f.test.length).toBeGreaterThan(0);
			}),
			{ numRuns: 150 }
		);
	});

	it('gives the same fold sizes as scikit-learn GroupKFold', () => {
		for (const c of fixtures.group) {
			for (const seed of [1, 2, 3]) {
				const sizes = groupKFold(Uint32Array.from(c.groups), c.k, seed)
					.map((f) => f.test.length)
					.sort((a, b) => a - b);
				expect(sizes, c.name).toEqual(c.fold_sizes);
			}
		}
	});

	it('treats a missing student code as a group of its own', () => {
		const g = Uint32Array.from([0, 0, MISSING_CODE, MISSING_CODE, 1, 1]);
		const folds = groupKFold(g, 4, 1);
		expectPartition(folds, 6);
		const together = folds.some((f) => f.test.includes(2) && f.test.includes(3));
		expect(folds.every((f) => f.test.includes(0) === f.test.includes(1))).toBe(true);
		// Four groups into four folds: the two unknown rows cannot share one.
		expect(together).toBe(false);
	});

	it('is deterministic per seed and refuses fewer students than folds', () => {
		const g = Uint32Array.from({ length: 90 }, (_, i) => i % 30);
		expect(groupKFold(g, 5, 4)).toEqual(groupKFold(g, 5, 4));
		expect(() => groupKFold(Uint32Array.from([1, 1, 2]), 3, 0)).toThrow(/students/);
	});
});

describe('foldsFromAssignment', () => {
	it('rejects fold ids out of range', () => {
		expect(() => foldsFromAssignment([0, 1, 2], 2)).toThrow(RangeError);
		expect(foldsFromAssignment([1, 0, 1], 2)[1].test).toEqual(Uint32Array.from([0, 2]));
	});
});
