import { describe, expect, it } from 'vitest';
import {
	applyCellFixes,
	createFrameBuilder,
	dropFrameRows
} from '../../../../src/lib/data/infer/builder';
import { proposePlan, type ImportPlan } from '../../../../src/lib/data/plan';
import { cellAt, MISSING_CODE, type Frame } from '../../../../src/lib/ml/frame';

const header = ['student_id', 'attendance', 'passed', 'enrolled', 'house', 'score'];
const records = [
	['S1', '85%', 'yes', '2024-09-02', 'Red', '12.5'],
	['S2', '1,234.5', 'no', '03/09/2024', ' Blue ', '7'],
	['S3', 'absent', 'maybe', 'soon', 'NA', ''],
	['S4', '-', 'Y', '2024-09-04T10:00:00Z', 'Red', '8']
];

function build(plan: ImportPlan) {
	const b = createFrameBuilder(plan);
	records.forEach((r, i) => b.push(r, i + 2));
	return b.finish();
}

function planFor(): ImportPlan {
	const { plan } = proposePlan(header, records, { file: 'class.csv', decimal: '.' });
	// Four rows are too few for one junk value to be outvoted; the teacher confirms the types.
	const types = ['identifier', 'number', 'boolean', 'datetime', 'category', 'number'] as const;
	plan.columns.forEach((c, i) => (c.type = types[i]));
	return plan;
}

const col = (f: Frame, name: string) => f.columns.find((c) => c.name === name)!;

describe('createFrameBuilder', () => {
	it('converts cells straight into typed columns', () => {
		const plan = planFor();
		const built = build(plan);
		const f = built.frame;
		expect(f.nRows).toBe(4);
		expect(Array.from(built.sourceRows)).toEqual([2, 3, 4, 5]);
		const att = col(f, 'attendance');
		expect(att.kind === 'numeric' && Array.from(att.values)).toEqual([85, 1234.5, NaN, NaN]);
		const passed = col(f, 'passed');
		expect(passed.kind === 'numeric' && Array.from(passed.values)).toEqual([1, 0, NaN, 1]);
		const enrolled = col(f, 'enrolled');
		expect(enrolled.kind === 'numeric' && enrolled.values[1]).toBe(Date.UTC(2024, 8, 3));
		const house = col(f, 'house');
		expect(house.kind === 'categorical' && house.dictionary).toEqual(['Red', 'Blue']);
		expect(house.kind === 'categorical' && Array.from(house.codes)).toEqual([
			0,
			1,
			MISSING_CODE,
			0
		]);
	});

	it('keeps cells that do not convert sparsely, as type conflicts naming row, column and value', () => {
		const built = build(planFor());
		expect(built.badCells.count).toBe(3);
		expect(Array.from(built.badCells.frameRows)).toEqual([2, 2, 2]);
		expect(built.badCells.raw).toEqual(['absent', 'maybe', 'soon']);
		expect(built.issues.counts['type-conflict']).toBe(3);
		const first = built.issues.issues.find((i) => i.code === 'type-conflict')!;
		expect(first.severity).toBe('error');
		expect(first.where).toMatchObject({ file: 'class.csv', row: 4, column: 'attendance' });
		expect(first.message).toMatch(
			/class\.csv, row 4, column “attendance”: “absent” is not a number/
		);
	});

	it('widens an integer column that turns out to hold fractions', () => {
		const plan = planFor();
		plan.columns[5].type = 'integer';
		const built = build(plan);
		expect(col(built.frame, 'score').type).toBe('number');
		expect(built.issues.counts['integer-has-fractions']).toBe(1);
	});

	it('handles ragged records and grows past its first capacity', () => {
		const { plan } = proposePlan(['a', 'b'], [['1', 'x']], { file: 'f.csv', decimal: '.' });
		const b = createFrameBuilder(plan);
		for (let i = 0; i < 5000; i++) b.push(i % 2 ? [String(i)] : [String(i), 'x', 'extra'], i + 2);
		const built = b.finish();
		expect(built.frame.nRows).toBe(5000);
		expect(cellAt(built.frame.columns[0], 4999)).toBe(4999);
		expect(cellAt(built.frame.columns[1], 1)).toBeNull();
		expect(built.sourceRows[4999]).toBe(5001);
		expect(() => b.push(['1'], 1)).toThrow();
	});

	it('gives the same frame and row slices whatever its block size', () => {
		const plan = planFor();
		const many = Array.from({ length: 1600 }, (_, i) => records[i % records.length]);
		const run = (blockRows?: number) => {
			const b = createFrameBuilder(plan, { blockRows });
			const slices: (Float64Array | Uint32Array)[][] = [];
			many.forEach((r, i) => {
				b.push(r, i + 2);
				// Whole blocks as the import streams them, and ragged ranges, while filling.
				if (i % 700 === 699) slices.push(b.rowSlice(i - 699, i + 1), b.rowSlice(13, 2001));
				if (i % 250 === 249) slices.push(b.rowSlice(i - 249, i + 1), b.rowSlice(i + 5, i + 9));
			});
			slices.push(b.rowSlice(0, 2000));
			return { built: b.finish(), slices };
		};
		const ref = run(1_000_000);
		for (const blockRows of [1, 3, 250, 700, 1024, undefined]) {
			const { built, slices } = run(blockRows);
			expect(built.frame).toEqual(ref.built.frame);
			expect(built.badCells).toEqual(ref.built.badCells);
			expect(built.sourceRows).toEqual(ref.built.sourceRows);
			expect(slices).toEqual(ref.slices);
		}
		// Each slice of finished rows is what the frame holds there.
		const { built, slices } = run(250);
		const codes = built.frame.columns[0];
		expect(codes.kind === 'categorical' && Array.from(slices[0][0])).toEqual(
			codes.kind === 'categorical' ? Array.from(codes.codes.subarray(0, 250)) : []
		);
	});
});

describe('applyCellFixes', () => {
	it('re-parses fixed text, clears the bad cell and reports fixes that still fail', () => {
		const plan = planFor();
		const built = build(plan);
		const { built: fixed, failed } = applyCellFixes(
			built,
			[
				{ frameRow: 2, column: 'attendance', value: '90' },
				{ frameRow: 2, column: 'passed', value: 'perhaps' },
				{ frameRow: 2, column: 'house', value: 'Green' },
				{ frameRow: 99, column: 'attendance', value: '1' }
			],
			plan
		);
		const att = col(fixed.frame, 'attendance');
		expect(att.kind === 'numeric' && att.values[2]).toBe(90);
		const house = col(fixed.frame, 'house');
		expect(house.kind === 'categorical' && cellAt(house, 2)).toBe('Green');
		expect(failed.map((f) => f.code)).toEqual(['fix-not-converted', 'fix-not-applied']);
		expect(failed[0].message).toMatch(/“perhaps” is still not a yes\/no answer/);
		expect(fixed.badCells.count).toBe(2);
		expect(fixed.issues.counts['type-conflict']).toBe(2);
		// The original is untouched.
		const before = col(built.frame, 'attendance');
		expect(before.kind === 'numeric' && before.values[2]).toBeNaN();
		expect(built.badCells.count).toBe(3);
	});
});

describe('dropFrameRows', () => {
	it('skips rows and keeps source rows and bad cells aligned', () => {
		const plan = planFor();
		const built = build(plan);
		const dropped = dropFrameRows(built, [0, 2], plan);
		expect(dropped.frame.nRows).toBe(2);
		expect(Array.from(dropped.sourceRows)).toEqual([3, 5]);
		expect(dropped.badCells.count).toBe(0);
		expect(dropped.issues.counts['type-conflict'] ?? 0).toBe(0);
		const kept = dropFrameRows(built, [0]);
		expect(Array.from(kept.badCells.frameRows)).toEqual([1, 1, 1]);
		expect(kept.issues.counts['type-conflict']).toBe(3);
	});
});
