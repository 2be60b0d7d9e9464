/**
 * Property: for any frame and any chunk size, loadFrame(saveFrameAsDataset(frame)) is the same
 * frame, bit for bit (NaN, -0, ±Infinity, missing codes, unicode dictionaries); any row window
 * equals sliceRows; and appending a second frame equals concatFrames.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { appendToDataset, deleteDataset, loadFrame, saveFrameAsDataset } from '$lib/db';
import {
	MISSING_CODE,
	concatFrames,
	sliceRows,
	type CategoricalType,
	type Column,
	type Frame,
	type NumericType
} from '$lib/ml/frame';
import { expectSameFrame, freshDb } from './helpers';

const { db, close } = freshDb();
afterAll(() => close());

type ColumnSpec =
	| { kind: 'numeric'; type: NumericType; pool: number[] }
	| { kind: 'categorical'; type: CategoricalType; dictionary: string[]; missingRate: number };

const columnSpec: fc.Arbitrary<ColumnSpec> = fc.oneof(
	fc.record({
		kind: fc.constant('numeric' as const),
		type: fc.constantFrom<NumericType>('integer', 'number', 'boolean', 'datetime'),
		pool: fc.array(fc.double(), { minLength: 1, maxLength: 20 })
	}),
	fc.record({
		kind: fc.constant('categorical' as const),
		type: fc.constantFrom<CategoricalType>('category', 'identifier', 'text'),
		dictionary: fc.uniqueArray(fc.string({ unit: 'grapheme', maxLength: 12 }), { maxLength: 15 }),
		missingRate: fc.double({ min: 0, max: 1, noNaN: true })
	})
);

/** Builds a column of `n` rows from a spec, using `seed` numbers to pick values. */
function build(spec: ColumnSpec, name: string, picks: number[]): Column {
	const n = picks.length;
	if (spec.kind === 'numeric') {
		const values = new Float64Array(n);
		for (let i = 0; i < n; i++) values[i] = spec.pool[picks[i] % spec.pool.length];
		return { kind: 'numeric', name, type: spec.type, values };
	}
	const codes = new Uint32Array(n);
	const size = spec.dictionary.length;
	for (let i = 0; i < n; i++) {
		const u = (picks[i] % 1000) / 1000;
		codes[i] = size === 0 || u < spec.missingRate ? MISSING_CODE : picks[i] % size;
	}
	return { kind: 'categorical', name, type: spec.type, codes, dictionary: spec.dictionary };
}

const frameArb: fc.Arbitrary<{ specs: ColumnSpec[]; frame: Frame }> = fc
	.record({
		specs: fc.array(columnSpec, { maxLength: 6 }),
		nRows: fc.integer({ min: 0, max: 200 })
	})
	.chain(({ specs, nRows }) =>
		fc
			.array(fc.array(fc.nat(), { minLength: nRows, maxLength: nRows }), {
				minLength: specs.length,
				maxLength: specs.length
			})
			.map((picks) => ({
				specs,
				frame: {
					nRows: specs.length ? nRows : 0,
					columns: specs.map((s, i) => build(s, `c${i}`, picks[i]))
				}
			}))
	);

/** A second frame with the same schema as `specs` (dictionaries partly overlapping). */
function sameSchema(specs: ColumnSpec[]): fc.Arbitrary<Frame> {
	return fc.integer({ min: 0, max: 60 }).chain((nRows) =>
		fc
			.array(fc.array(fc.nat(), { minLength: nRows, maxLength: nRows }), {
				minLength: specs.length,
				maxLength: specs.length
			})
			.map((picks) => ({
				nRows: specs.length ? nRows : 0,
				columns: specs.map((s, i) =>
					build(
						s.kind === 'categorical'
							? { ...s, dictionary: [...s.dictionary.slice(1), 'new-word'] }
							: s,
						`c${i}`,
						picks[i]
					)
				)
			}))
	);
}

describe('loadFrame ∘ saveFrameAsDataset', () => {
	it('is the identity for random frames and chunk sizes', async () => {
		await fc.assert(
			fc.asyncProperty(
				frameArb,
				fc.integer({ min: 1, max: 64 }),
				fc.tuple(fc.integer({ min: -5, max: 210 }), fc.integer({ min: -5, max: 210 })),
				async ({ frame }, chunkRows, [s, e]) => {
					const rec = await saveFrameAsDataset(
						db,
						frame,
						{ name: 'p', source: 'derived' },
						{
							chunkRows
						}
					);
					try {
						expectSameFrame(await loadFrame(db, rec.id), frame);
						expectSameFrame(await loadFrame(db, rec.id, { rows: [s, e] }), sliceRows(frame, s, e));
					} finally {
						await deleteDataset(db, rec.id);
					}
				}
			),
			{ numRuns: 60 }
		);
	});

	it('append equals concatFrames', async () => {
		await fc.assert(
			fc.asyncProperty(
				frameArb.chain(({ specs, frame }) => sameSchema(specs).map((more) => ({ frame, more }))),
				fc.integer({ min: 1, max: 32 }),
				async ({ frame, more }, chunkRows) => {
					const rec = await saveFrameAsDataset(
						db,
						frame,
						{ name: 'p', source: 'derived' },
						{
							chunkRows
						}
					);
					try {
						await appendToDataset(db, rec.id, more);
						expectSameFrame(await loadFrame(db, rec.id), concatFrames([frame, more]));
					} finally {
						await deleteDataset(db, rec.id);
					}
				}
			),
			{ numRuns: 40 }
		);
	});
});
