import { describe, expect, it } from 'vitest';
import {
	atRiskRows,
	chanceText,
	chooseRiskClass,
	defaultPassMark,
	defaultRiskPolicy,
	normalCdf,
	probabilityBelow,
	riskOrder,
	scoreRisk,
	validatePolicy,
	type RiskModel
} from '../../../src/lib/ml/risk';
import type { ArtifactPrediction } from '../../../src/lib/ml/train';
import type { FeatureDistribution } from '../../../src/lib/ml/train/types';

const reg: RiskModel = {
	task: 'regression',
	target: 'final_exam',
	classes: null,
	derive: null,
	residualQuantiles: { q05: -8, q95: 8 }
};

function cls(classes: string[], target = 'result', derive: RiskModel['derive'] = null): RiskModel {
	return {
		task: classes.length === 2 ? 'binary' : 'multiclass',
		target,
		classes,
		derive,
		residualQuantiles: null
	};
}

function regPrediction(values: number[]): ArtifactPrediction {
	const v = Float64Array.from(values);
	return {
		values: v,
		proba: null,
		classes: null,
		lower: v.map((x) => x - 8),
		upper: v.map((x) => x + 8)
	};
}

function clsPrediction(classes: string[], proba: number[][]): ArtifactPrediction {
	const values = Float64Array.from(proba, (p) => p.indexOf(Math.max(...p)));
	return { values, proba: Float64Array.from(proba.flat()), classes, lower: null, upper: null };
}

describe('default policy', () => {
	it('a pass mark of 40 % of the mark scale', () => {
		expect(defaultPassMark(undefined)).toBe(40);
		expect(defaultPassMark(97)).toBe(40);
		expect(defaultPassMark(100)).toBe(40);
		expect(defaultPassMark(9.5)).toBe(4);
		expect(defaultPassMark(20)).toBe(8);
		expect(defaultPassMark(0.93)).toBe(0.4);
		expect(defaultPassMark(150)).toBe(60);
		expect(defaultRiskPolicy(reg)).toEqual({ mode: 'mark-below', passMark: 40 });
		const d: FeatureDistribution = {
			name: 'final_exam',
			kind: 'numeric',
			count: 10,
			missingRate: 0,
			mean: 12,
			std: 3,
			min: 3,
			max: 19.5,
			quantiles: [],
			histogram: { edges: [], counts: [] }
		};
		expect(defaultRiskPolicy(reg, [d])).toEqual({ mode: 'mark-below', passMark: 8 });
		expect(defaultRiskPolicy(reg, [], { largestMark: 10 })).toEqual({
			mode: 'mark-below',
			passMark: 4
		});
	});

	it('the risk class by name, derivation or grade letters', () => {
		const pick = (m: RiskModel) => chooseRiskClass(m).label;
		expect(pick(cls(['fail', 'pass']))).toBe('fail');
		expect(pick(cls(['Pass', 'Fail']))).toBe('Fail');
		expect(pick(cls(['A', 'B', 'C', 'F']))).toBe('F');
		expect(pick(cls(['A', 'B', 'C', 'D']))).toBe('D');
		expect(pick(cls(['not at risk', 'at risk']))).toBe('at risk');
		expect(pick(cls(['no', 'yes'], 'passed'))).toBe('no');
		expect(pick(cls(['no', 'yes'], 'dropout'))).toBe('yes');
		expect(pick(cls(['0', '1'], 'at_risk'))).toBe('1');
		expect(pick(cls(['0', '1'], 'passed_course'))).toBe('0');
		expect(pick(cls(['high', 'low', 'middle'], 'band'))).toBe('low');
		expect(pick(cls(['high', 'low', 'medium'], 'risk_level'))).toBe('high');
		const grade = cls(['A', 'B', 'C', 'U'], 'grade', {
			kind: 'grade',
			source: 'final_exam',
			boundaries: [
				{ label: 'A', min: 70 },
				{ label: 'B', min: 60 },
				{ label: 'C', min: 50 }
			],
			below: 'U'
		});
		expect(pick(grade)).toBe('U');
		// The lowest grade had no students: the next one up.
		expect(pick({ ...grade, classes: ['A', 'B', 'C'] })).toBe('C');
		const pf = cls(['ok', 'not ok'], 'result', {
			kind: 'pass-fail',
			source: 'final_exam',
			threshold: 40,
			passLabel: 'ok',
			failLabel: 'not ok'
		});
		expect(pick(pf)).toBe('not ok');
		const guess = chooseRiskClass(cls(['alpha', 'beta', 'gamma']));
		expect(guess).toMatchObject({ label: 'alpha', guessed: true });
		expect(guess.reason).toMatch(/check that it is the outcome to watch for/);
		expect(defaultRiskPolicy(cls(['fail', 'pass']))).toEqual({
			mode: 'probability-above',
			riskClass: 'fail',
			level: 0.5
		});
	});
});

describe('validatePolicy', () => {
	it('explains each problem in a sentence', () => {
		expect(validatePolicy({ mode: 'mark-below', passMark: 40 }, reg)).toBeNull();
		expect(validatePolicy({ mode: 'mark-below', passMark: NaN }, reg)).toMatch(/must be a number/);
		expect(validatePolicy({ mode: 'probability-above', riskClass: 'x', level: 0.5 }, reg)).toMatch(
			/predicts a mark/
		);
		const m = cls(['fail', 'pass']);
		expect(
			validatePolicy({ mode: 'probability-above', riskClass: 'fail', level: 1 }, m)
		).toBeNull();
		expect(validatePolicy({ mode: 'mark-below', passMark: 40 }, m)).toMatch(/predicts a class/);
		expect(validatePolicy({ mode: 'probability-above', riskClass: 'F', level: 0.5 }, m)).toBe(
			`"F" is not one of this model's classes ("fail", "pass").`
		);
		for (const level of [0, -0.1, 1.5, NaN]) {
			expect(validatePolicy({ mode: 'probability-above', riskClass: 'fail', level }, m)).toMatch(
				/between|above 0 and at most 1/
			);
		}
	});
});

describe('scoreRisk', () => {
	it('a mark exactly at the pass mark passes; NaN is never flagged and sorts last', () => {
		const pred = regPrediction([39.999, 40, 55, NaN, 12, 40.001, 12]);
		const s = scoreRisk(pred, reg, { mode: 'mark-below', passMark: 40 });
		expect(Array.from(s.atRisk)).toEqual([1, 0, 0, 0, 1, 0, 1]);
		expect(s.nAtRisk).toBe(3);
		expect(s.risk[1]).toBe(0);
		expect(Number.isNaN(s.risk[3])).toBe(true);
		// Equal risks keep row order (rows 4 and 6).
		expect(Array.from(s.order)).toEqual([4, 6, 0, 1, 5, 2, 3]);
		expect(s.pBelow![1]).toBeCloseTo(0.5, 6);
		expect(s.pBelow![4]).toBeGreaterThan(0.99);
		expect(s.pBelow![2]).toBeLessThan(0.01);
		expect(Number.isNaN(s.pBelow![3])).toBe(true);
		const noQ = scoreRisk(
			pred,
			{ ...reg, residualQuantiles: null },
			{ mode: 'mark-below', passMark: 40 }
		);
		expect(noQ.pBelow).toBeUndefined();
	});

	it('a probability exactly at the level is flagged', () => {
		const classes = ['fail', 'pass'];
		const pred = clsPrediction(classes, [
			[0.5, 0.5],
			[0.49, 0.51],
			[0.9, 0.1],
			[NaN, NaN],
			[0.5, 0.5]
		]);
		const s = scoreRisk(pred, cls(classes), {
			mode: 'probability-above',
			riskClass: 'fail',
			level: 0.5
		});
		expect(Array.from(s.atRisk)).toEqual([1, 0, 1, 0, 1]);
		expect(Array.from(s.order)).toEqual([2, 0, 4, 1, 3]);
		expect(s.risk[2]).toBe(0.9);
		expect(s.pBelow).toBeUndefined();
		expect(() =>
			scoreRisk(pred, cls(classes), { mode: 'probability-above', riskClass: 'F', level: 0.5 })
		).toThrow(/not one of this model's classes/);
	});

	it('multiclass: the risk class column', () => {
		const classes = ['A', 'B', 'F'];
		const pred = clsPrediction(classes, [
			[0.2, 0.3, 0.5],
			[0.6, 0.3, 0.1],
			[0.1, 0.2, 0.7]
		]);
		const s = scoreRisk(pred, cls(classes), {
			mode: 'probability-above',
			riskClass: 'F',
			level: 0.3
		});
		expect(Array.from(s.risk)).toEqual([0.5, 0.1, 0.7]);
		expect(Array.from(s.order)).toEqual([2, 0, 1]);
		expect(s.nAtRisk).toBe(2);
	});

	it('100,000 rows, ordered and stable (speed: see the report; no timed assertions)', () => {
		const n = 100_000;
		const v = new Float64Array(n);
		for (let i = 0; i < n; i++) v[i] = Math.round(((i * 7919) % 1000) / 10);
		const pred = regPrediction(Array.from(v));
		const s = scoreRisk(pred, reg, { mode: 'mark-below', passMark: 40 });
		let sorted = true;
		for (let i = 1; i < n; i++) {
			const a = s.order[i - 1];
			const b = s.order[i];
			sorted &&= s.risk[a] > s.risk[b] || (s.risk[a] === s.risk[b] && a < b);
		}
		expect(sorted).toBe(true);
		expect(s.nAtRisk).toBe(s.atRisk.reduce((t, x) => t + x, 0));
	});

	it('riskOrder sends NaN to the end in row order', () => {
		expect(Array.from(riskOrder(Float64Array.of(NaN, 1, NaN, 3, -Infinity)))).toEqual([
			3, 1, 4, 0, 2
		]);
	});
});

describe('probabilityBelow', () => {
	it('is a normal with the measured 5th and 95th percentiles', () => {
		const q = { q05: -10, q95: 6 };
		// The residuals' median is −2: a prediction of 42 puts the expected mark at 40.
		expect(probabilityBelow(42, 40, q)).toBeCloseTo(0.5, 7);
		expect(probabilityBelow(40 + 2 - 8, 40, q)).toBeCloseTo(0.95, 6);
		expect(probabilityBelow(40 + 2 + 8, 40, q)).toBeCloseTo(0.05, 6);
		expect(probabilityBelow(30, 40, { q05: 0, q95: 0 })).toBe(1);
		expect(probabilityBelow(50, 40, { q05: 0, q95: 0 })).toBe(0);
		expect(normalCdf(0)).toBeCloseTo(0.5, 7);
		expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
		expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
	});
});

describe('atRiskRows', () => {
	it('plain rows, most at risk first, with ids, intervals, chances and reasons', () => {
		const pred = regPrediction([35.25, 61, 12]);
		const policy = { mode: 'mark-below' as const, passMark: 40 };
		const s = scoreRisk(pred, reg, policy);
		const rows = atRiskRows(pred, s, reg, policy, {
			ids: ['s1', 's2', ''],
			reasons: (r) =>
				r === 2
					? [
							{
								feature: 'attendance',
								value: '2',
								raw: 2,
								contribution: -10,
								direction: 'down',
								share: 0.8,
								text: 'Attendance (2) is the largest factor lowering the predicted mark.'
							}
						]
					: 'Something.'
		});
		expect(rows.map((r) => r.id)).toEqual(['Row 3', 's1']);
		expect(rows[0]).toMatchObject({
			rank: 1,
			row: 2,
			prediction: '12',
			interval: '4–20',
			atRisk: true,
			reasons: 'Attendance (2) is the largest factor lowering the predicted mark.'
		});
		expect(rows[0].riskText).toBe(
			'predicted 28 below the pass mark of 40; approximate chance of a mark below 40: over 99%'
		);
		expect(rows[1].prediction).toBe('35.3');
		expect(rows[1].riskText).toMatch(
			/^predicted 4\.75 below the pass mark of 40; approximate chance of a mark below 40: \d+%$/
		);
		const every = atRiskRows(pred, s, reg, policy, { onlyAtRisk: false, limit: 3 });
		expect(every.map((r) => r.row)).toEqual([2, 0, 1]);
		expect(every[2].riskText).toMatch(/^predicted 21 above the pass mark of 40/);
		expect(every[2].reasons).toBe('');
	});

	it('classification rows say the chance of the risk class, never a certainty', () => {
		const classes = ['fail', 'pass'];
		const pred = clsPrediction(classes, [
			[0.999, 0.001],
			[0.2, 0.8]
		]);
		const policy = { mode: 'probability-above' as const, riskClass: 'fail', level: 0.5 };
		const s = scoreRisk(pred, cls(classes), policy);
		const rows = atRiskRows(pred, s, cls(classes), policy, { onlyAtRisk: false });
		expect(rows[0]).toMatchObject({ prediction: 'fail', probability: 0.999, interval: null });
		expect(rows[0].riskText).toBe("over 99% chance of 'fail' (flagged from 50%)");
		expect(rows[1].riskText).toBe("20% chance of 'fail' (flagged from 50%)");
		expect(chanceText(0.004)).toBe('under 1%');
		expect(chanceText(NaN)).toBe('unknown');
	});
});

describe('riskOrder on awkward numbers', () => {
	it('orders negatives, zeros, infinities and ties like a comparator sort', () => {
		const values = [0, -0, 1e-300, -1e-300, Infinity, -Infinity, 5, 5, -5, NaN, 2.5, 1e300, -1e300];
		const rng = (i: number) => ((i * 2654435761) >>> 0) % values.length;
		const risk = Float64Array.from({ length: 500 }, (_, i) => values[rng(i)]);
		const expected = Array.from({ length: 500 }, (_, i) => i)
			.filter((i) => !Number.isNaN(risk[i]))
			.sort((a, b) => risk[b] - risk[a] || a - b);
		for (let i = 0; i < 500; i++) if (Number.isNaN(risk[i])) expected.push(i);
		// −0 and 0 tie (a comparator sees 0 − −0 = 0), so row order decides between them.
		expect(Array.from(riskOrder(risk))).toEqual(expected);
	});
});
