import { describe, expect, it } from 'vitest';
import {
	explainArtifact,
	factorsForRows,
	featureLabel,
	outcomeLabel,
	topFactors
} from '../../../src/lib/ml/explain';
import type { Attributions } from '../../../src/lib/ml/explain/types';
import { categoricalColumn, makeFrame, numericColumn } from '../../../src/lib/ml/frame';
import type { FeatureDistribution } from '../../../src/lib/ml/train/types';
import { allRows, buildArtifact } from './helpers';

const frame = makeFrame([
	numericColumn('attendance', [4.5, 7.5, NaN]),
	categoricalColumn('school_type', ['public', 'private', null]),
	numericColumn('assignment_score', [61.23456, 1234.5, 0.000123], 'integer'),
	numericColumn('has_tutor', [1, 0, 1], 'boolean'),
	numericColumn('enrolled', [Date.UTC(2024, 8, 2), NaN, 0], 'datetime')
]);

const features = ['attendance', 'school_type', 'assignment_score', 'has_tutor', 'enrolled'];

const distributions: FeatureDistribution[] = [
	{
		name: 'attendance',
		kind: 'numeric',
		count: 100,
		missingRate: 0,
		mean: 7,
		std: 1,
		min: 2,
		max: 10,
		quantiles: [2, 4, 5, 6, 7, 7.5, 8, 8.5, 9, 9.5, 10],
		histogram: { edges: [], counts: [] }
	},
	{
		name: 'school_type',
		kind: 'categorical',
		count: 100,
		missingRate: 0,
		categories: [
			{ label: 'private', share: 0.6 },
			{ label: 'public', share: 0.4 }
		]
	},
	{
		name: 'assignment_score',
		kind: 'numeric',
		count: 100,
		missingRate: 0,
		mean: 60,
		std: 10,
		min: 0,
		max: 100,
		quantiles: [0, 10, 20, 30, 40, 63.3333333, 70, 80, 90, 95, 100],
		histogram: { edges: [], counts: [] }
	},
	{
		name: 'has_tutor',
		kind: 'numeric',
		count: 100,
		missingRate: 0,
		mean: 0.3,
		std: 0.4,
		min: 0,
		max: 1,
		quantiles: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
		histogram: { edges: [], counts: [] }
	}
];

/** Row r's contributions given per feature (one output). */
function attributions(rows: number[][], nOutputs = 1): Attributions {
	return {
		features,
		method: 'tree-shap',
		space: 'value',
		nOutputs,
		base: new Float64Array(nOutputs).fill(50),
		values: Float64Array.from(rows.flat()),
		nRows: rows.length
	};
}

const outcome = 'the predicted final exam mark';

describe('topFactors', () => {
	const attr = attributions([
		[-6, 2, 1.5, 0.4, 0.1],
		[0, 3, -1, -0.5, 0],
		[2, -2, 0.001, 1, 0.5]
	]);

	it('ranks by |contribution|, with shares, values and sentences for a teacher', () => {
		const f = topFactors(attr, 0, { frame, row: 0, distributions, outcomeLabel: outcome, k: 4 });
		expect(f.map((x) => x.feature)).toEqual([
			'attendance',
			'school_type',
			'assignment_score',
			'has_tutor'
		]);
		expect(f.map((x) => x.direction)).toEqual(['down', 'up', 'up', 'up']);
		expect(f[0].share).toBeCloseTo(6 / 10, 12);
		expect(f.map((x) => x.value)).toEqual(['4.5', 'public', '61.2', 'yes']);
		expect(f.map((x) => x.raw)).toEqual([4.5, 'public', 61.23456, 1]);
		expect(f.map((x) => x.text)).toEqual([
			'Attendance (4.5; class median 7.5) is the largest factor lowering the predicted final exam mark.',
			'School type (public; most common in the class: private) is the second-largest factor, raising the predicted final exam mark.',
			'Assignment score (61.2; class median 63.3) is the third-largest factor, raising the predicted final exam mark.',
			'Has tutor (yes; most of the class: no) is another factor raising the predicted final exam mark.'
		]);
	});

	it('says when a student is typical, and writes missing values as "missing"', () => {
		const f1 = topFactors(attr, 1, { frame, row: 1, distributions, outcomeLabel: outcome });
		expect(f1.map((x) => x.feature)).toEqual(['school_type', 'assignment_score', 'has_tutor']);
		expect(f1[0].text).toBe(
			'School type (private, the most common in the class) is the largest factor raising the predicted final exam mark.'
		);
		expect(f1[1].value).toBe('1,235');
		expect(f1[2].text).toMatch(/^Has tutor \(no, like most of the class\)/);
		const f2 = topFactors(attr, 2, { frame, row: 2, distributions, outcomeLabel: outcome, k: 5 });
		const byName = Object.fromEntries(f2.map((x) => [x.feature, x]));
		expect(byName.attendance.value).toBe('missing');
		expect(byName.attendance.raw).toBeNull();
		expect(byName.attendance.text).toMatch(/^Attendance \(missing; class median 7\.5\)/);
		expect(byName.school_type.text).toMatch(
			/^School type \(missing; most common in the class: private\)/
		);
		// A date is a date; without a distribution there is no "class" comparison.
		expect(byName.enrolled.value).toBe('1970-01-01');
		expect(byName.enrolled.text).toMatch(/^Enrolled \(1970-01-01\) is/);
		// Under 1 % of the push is left out.
		expect(byName.assignment_score).toBeUndefined();
	});

	it('never prints unrounded numbers, NaN or undefined', () => {
		for (let r = 0; r < 3; r++) {
			for (const f of topFactors(attr, r, {
				frame,
				row: r,
				outcomeLabel: outcome,
				k: 5,
				minShare: 0
			})) {
				expect(f.text).not.toMatch(/NaN|undefined|null|Infinity|\d\.\d{3}/);
				expect(f.value).not.toMatch(/NaN|undefined|\d\.\d{3}/);
			}
		}
		expect(
			topFactors(attr, 2, { frame, row: 2, outcomeLabel: outcome, k: 5, minShare: 0 }).find(
				(f) => f.feature === 'assignment_score'
			)?.value
		).toBe('0');
	});

	it('orientation −1 explains the other class; k and zero rows', () => {
		const f = topFactors(attr, 0, {
			frame,
			row: 0,
			orientation: -1,
			k: 1,
			outcomeLabel: "the chance of 'fail'"
		});
		expect(f).toHaveLength(1);
		expect(f[0].contribution).toBe(6);
		expect(f[0].direction).toBe('up');
		expect(f[0].text).toBe("Attendance (4.5) is the largest factor raising the chance of 'fail'.");
		const zero = attributions([[0, 0, 0, 0, 0]]);
		expect(topFactors(zero, 0, { frame, row: 0, outcomeLabel: outcome })).toEqual([]);
		const broken = attributions([[NaN, 1, 0, 0, 0]]);
		expect(
			topFactors(broken, 0, { frame, row: 0, outcomeLabel: outcome }).map((x) => x.feature)
		).toEqual(['school_type']);
	});

	it('picks one output of a multiclass attribution', () => {
		// Two outputs: feature-major per row: [f0k0, f0k1, f1k0, f1k1, …].
		const two: Attributions = {
			...attributions([[1, -1, 0, 5, 0, 0, 0, 0, 0, 0]], 2),
			nRows: 1
		};
		expect(topFactors(two, 0, { frame, row: 0, outcomeLabel: outcome, output: 1 })[0].feature).toBe(
			'school_type'
		);
		expect(topFactors(two, 0, { frame, row: 0, outcomeLabel: outcome, output: 0 })[0].feature).toBe(
			'attendance'
		);
		expect(() => topFactors(two, 0, { frame, row: 0, outcomeLabel: outcome, output: 2 })).toThrow(
			RangeError
		);
	});
});

describe('factorsForRows', () => {
	it('matches topFactors row by row, with per-row outputs and labels', async () => {
		const b = await buildArtifact('gbdt', 'multiclass', 200);
		const rows = Uint32Array.of(3, 9, 27, 81);
		const attr = await explainArtifact(b.artifact, b.frame, rows);
		const outputs = Int32Array.of(0, 1, 2, 1);
		const label = (r: number) => `the chance of '${b.artifact.classes![outputs[r]]}'`;
		const many = factorsForRows(attr, {
			frame: b.frame,
			frameRows: rows,
			output: outputs,
			distributions: b.distributions,
			outcomeLabel: label
		});
		expect(many).toHaveLength(4);
		for (let i = 0; i < 4; i++) {
			expect(many[i]).toEqual(
				topFactors(attr, i, {
					frame: b.frame,
					row: rows[i],
					output: outputs[i],
					distributions: b.distributions,
					outcomeLabel: label(i)
				})
			);
			expect(many[i].length).toBeGreaterThan(0);
			for (const f of many[i]) expect(f.text).toContain(label(i));
		}
		const some = factorsForRows(attr, {
			rows: [2],
			frame: b.frame,
			frameRows: rows,
			output: outputs,
			outcomeLabel: label
		});
		expect(some).toHaveLength(1);
		expect(some[0].map((f) => f.feature)).toEqual(many[2].map((f) => f.feature));
	});

	it('explains hundreds of rows without trouble', async () => {
		const b = await buildArtifact('linear', 'regression', 300);
		const rows = allRows(300);
		const attr = await explainArtifact(b.artifact, b.frame, rows, {
			distributions: b.distributions
		});
		const all = factorsForRows(attr, {
			frame: b.frame,
			frameRows: rows,
			distributions: b.distributions,
			outcomeLabel: outcomeLabel('final_exam'),
			k: 2
		});
		expect(all.every((f) => f.length === 2)).toBe(true);
		expect(all.flat().every((f) => !/NaN|undefined/.test(f.text))).toBe(true);
	});
});

describe('labels', () => {
	it('turns column names into words', () => {
		expect(featureLabel('final_exam')).toBe('Final exam');
		expect(featureLabel('previous  GPA')).toBe('Previous GPA');
		expect(featureLabel('x', { x: 'Hours studied' })).toBe('Hours studied');
		expect(outcomeLabel('final_exam')).toBe('the predicted final exam');
		expect(outcomeLabel('GPA')).toBe('the predicted GPA');
		expect(outcomeLabel('grade', 'F')).toBe("the chance of 'F'");
	});
});
