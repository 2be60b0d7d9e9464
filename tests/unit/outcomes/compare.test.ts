import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareWithValidated, outcomeSeries, type OutcomeMetrics } from '$lib/ml/outcomes';

const reg = (n: number, rmse: number): OutcomeMetrics => ({
	task: 'regression',
	n,
	metrics: { rmse, mae: rmse * 0.8 },
	calibration: null,
	riskClass: null
});
const cls = (n: number, accuracy: number): OutcomeMetrics => ({
	task: 'classification',
	n,
	metrics: { accuracy },
	calibration: [],
	riskClass: 1
});

describe('compareWithValidated', () => {
	it('flags a regression model whose real RMSE is more than 20 % above the validated one', () => {
		const c = compareWithValidated(reg(40, 6.5), { rmse: 5 }, 0.2, { target: 'final_exam' });
		expect(c.flagged).toBe(true);
		expect(c.metric).toBe('rmse');
		expect(c.excess).toBeCloseTo(0.3, 12);
		expect(c.message).toContain('40 students');
		expect(c.message).toContain('an RMSE of 6.5');
		expect(c.message).toContain('an RMSE of 5 expected');
		expect(c.message).toContain('30% worse');
		expect(c.message).toMatch(/consider retraining/);
		expect(c.message).not.toMatch(/early sign/);
	});

	it('does not flag at exactly the margin, and says when it did better', () => {
		expect(compareWithValidated(reg(12, 6), { rmse: 5 }).flagged).toBe(false);
		const better = compareWithValidated(reg(50, 4), { rmse: 5 });
		expect(better.flagged).toBe(false);
		expect(better.message).toMatch(/at least as well as cross-validation promised/);
		const close = compareWithValidated(reg(50, 5.5), { rmse: 5 });
		expect(close.message).toMatch(/within the 20% margin/);
	});

	it('never flags on fewer than ten students, and says why', () => {
		const c = compareWithValidated(reg(9, 50), { rmse: 5 });
		expect(c.flagged).toBe(false);
		expect(c.message).toMatch(/^Only 9 students/);
		expect(c.message).toMatch(/too few to judge/);
		expect(compareWithValidated(reg(1, 50), { rmse: 5 }).message).toMatch(
			/^Only 1 student has both/
		);
	});

	it('calls a flag on few students an early sign', () => {
		const c = compareWithValidated(reg(12, 9), { rmse: 5 });
		expect(c.flagged).toBe(true);
		expect(c.message).toMatch(/early sign rather than proof/);
	});

	it('compares classification error (1 − accuracy)', () => {
		const c = compareWithValidated(cls(100, 0.7), { accuracy: 0.8, f1_weighted: 0.8 });
		expect(c.metric).toBe('accuracy');
		expect(c.realError).toBeCloseTo(0.3, 12);
		expect(c.validatedError).toBeCloseTo(0.2, 12);
		expect(c.flagged).toBe(true);
		expect(c.message).toContain('70% right');
		expect(c.message).toContain('80% right expected');
		expect(compareWithValidated(cls(100, 0.78), { accuracy: 0.8 }).flagged).toBe(false);
	});

	it('gives no verdict without a validated score or without results', () => {
		const none = compareWithValidated(reg(100, 9), {});
		expect(none.flagged).toBe(false);
		expect(none.message).toMatch(/no cross-validated score/);
		const empty = compareWithValidated(reg(0, NaN), { rmse: 5 });
		expect(empty.flagged).toBe(false);
		expect(empty.message).toMatch(/nothing to compare/);
	});

	it('honours a custom margin', () => {
		expect(compareWithValidated(reg(40, 5.4), { rmse: 5 }, 0.05).flagged).toBe(true);
		expect(compareWithValidated(reg(40, 5.4), { rmse: 5 }, 0.1).flagged).toBe(false);
	});

	it('is monotone in the real error and silent below ten students (property)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 500 }),
				fc.double({ min: 0.01, max: 50, noNaN: true }),
				fc.double({ min: 0, max: 100, noNaN: true }),
				fc.double({ min: 0, max: 100, noNaN: true }),
				fc.double({ min: 0, max: 1, noNaN: true }),
				(n, validated, e1, e2, margin) => {
					const lo = Math.min(e1, e2);
					const hi = Math.max(e1, e2);
					const a = compareWithValidated(reg(n, lo), { rmse: validated }, margin);
					const b = compareWithValidated(reg(n, hi), { rmse: validated }, margin);
					if (n < 10) expect(a.flagged || b.flagged).toBe(false);
					if (a.flagged) expect(b.flagged).toBe(true);
					expect(a.message.length).toBeGreaterThan(0);
				}
			)
		);
	});
});

describe('outcomeSeries', () => {
	it('groups checks per version, oldest first', () => {
		const check = (modelId: string, modelVersion: number, at: number, rmse: number) => ({
			modelId,
			modelVersion,
			at,
			n: 20,
			metrics: { rmse },
			validated: { rmse: 5 },
			flagged: rmse > 6
		});
		const s = outcomeSeries(
			[check('m2', 2, 30, 5.1), check('m1', 1, 20, 7), check('m1', 1, 10, 5.5)],
			'rmse'
		);
		expect(s.map((x) => x.version)).toEqual([1, 2]);
		expect(s[0].points.map((p) => [p.at, p.real, p.validated, p.flagged])).toEqual([
			[10, 5.5, 5, false],
			[20, 7, 5, true]
		]);
		expect(outcomeSeries([check('m1', 1, 1, 3)], 'accuracy')[0].points[0].real).toBeNaN();
	});
});
