import { describe, expect, it } from 'vitest';
import type { Factor } from '$lib/ml/explain/types';
import {
	DEFAULT_RULE_PACK,
	buildClassContext,
	defaultRulePack,
	evaluateRules,
	type ClassContext,
	type Prediction,
	type RulePack,
	type StudentFacts
} from '$lib/ml/insights';
import { marksClass, percentClass, twentyClass } from '../../fixtures/insights/classes';

const marks = buildClassContext({ frame: marksClass(), target: 'final_exam' });
const percent = buildClassContext({ frame: percentClass(), target: 'final_marks' });
const twenty = buildClassContext({ frame: twentyClass(), target: 'final_exam' });

function facts(
	values: Record<string, number | string | null>,
	prediction: Prediction | null = null,
	factors: Factor[] = []
): StudentFacts {
	return { id: 'S1', values, prediction, factors };
}

function fired(ctx: ClassContext, f: StudentFacts, pack: RulePack = DEFAULT_RULE_PACK): string[] {
	return evaluateRules(pack, f, ctx).map((r) => r.ruleId);
}

function factor(feature: string, contribution: number, share = 0.2): Factor {
	return {
		feature,
		value: '',
		raw: null,
		contribution,
		direction: contribution > 0 ? 'up' : 'down',
		share,
		text: ''
	};
}

/** Just below, exactly at, just above and missing: only "just below" fires for a "<" rule. */
function boundaries(
	ctx: ClassContext,
	column: string,
	rule: string,
	at: number,
	eps: number,
	rest: Record<string, number> = {}
) {
	const fires = (v: number | null) => fired(ctx, facts({ ...rest, [column]: v })).includes(rule);
	expect(fires(at - eps)).toBe(true);
	expect(fires(at)).toBe(false);
	expect(fires(at + eps)).toBe(false);
	expect(fires(null)).toBe(false);
}

describe('scales', () => {
	it('detects 0–10 for the marks profile and percent for course records', () => {
		expect(marks.columns.attendance.scale.kind).toBe('ten');
		expect(marks.columns.peer_performance.scale.kind).toBe('percent');
		expect(percent.columns.attendance_percentage.scale.kind).toBe('percent');
		expect(twenty.columns.final_exam.scale.kind).toBe('twenty');
		expect(marks.concepts.attendance).toBe('attendance');
		expect(percent.concepts.attendance).toBe('attendance_percentage');
		expect(percent.concepts.assignment).toBe('assignment_marks');
	});
});

describe('default rules at their boundaries', () => {
	it('low attendance: below 5 on a 0–10 scale', () => {
		boundaries(marks, 'attendance', 'low-attendance', 5, 0.1);
	});
	it('low attendance: below 75 %', () => {
		boundaries(percent, 'attendance_percentage', 'low-attendance', 75, 0.1);
	});
	it('low attendance: below 15 on a 0–20 scale (75 %)', () => {
		const ctx = buildClassContext({ frame: twentyClass(), scales: { attendance: 'twenty' } });
		boundaries(ctx, 'attendance', 'low-attendance', 15, 0.1);
	});
	it('low participation: below 4 on a 0–10 scale, 40 % otherwise', () => {
		boundaries(marks, 'participation', 'low-participation', 4, 0.1);
		boundaries(percent, 'participation', 'low-participation', 40, 0.1);
	});
	it('low assignment marks: below 4 on a 0–10 scale, 40 % otherwise', () => {
		boundaries(marks, 'assignment_score', 'low-assignments', 4, 0.1);
		boundaries(percent, 'assignment_marks', 'low-assignments', 40, 0.1);
	});
	it('predicted final mark below 40 (out of 100) and below 8 out of 20', () => {
		const fires = (ctx: ClassContext, v: number) =>
			fired(ctx, facts({}, { kind: 'regression', value: v })).includes('predicted-below-40');
		expect([39.9, 40, 40.1].map((v) => fires(marks, v))).toEqual([true, false, false]);
		expect([7.9, 8, 8.1].map((v) => fires(twenty, v))).toEqual([true, false, false]);
		expect(fires(marks, NaN)).toBe(false);
		expect(fired(marks, facts({}, null))).toEqual([]);
		const cls: Prediction = {
			kind: 'classification',
			classes: ['Fail', 'Pass'],
			probabilities: [0.9, 0.1]
		};
		expect(fired(marks, facts({}, cls))).toEqual([]);
	});
	it('predicted final mark below 40 in the target’s units when its scale is unknown', () => {
		const bare = buildClassContext({});
		const fires = (v: number) =>
			fired(bare, facts({}, { kind: 'regression', value: v })).includes('predicted-below-40');
		expect([39.9, 40, 40.1].map(fires)).toEqual([true, false, false]);
	});
	it('strong peers but a low final mark: peers ≥ 75th percentile, final < 25th', () => {
		// Peers' 75th percentile is 87.5; the final exam's 25th percentile is 40.
		const fires = (peer: number | null, fin: number | null, pred: Prediction | null = null) =>
			fired(marks, facts({ peer_performance: peer, final_exam: fin }, pred)).includes(
				'strong-peers-low-mark'
			);
		expect(fires(87.5, 39.9)).toBe(true);
		expect(fires(87.4, 39.9)).toBe(false);
		expect(fires(90, 40)).toBe(false);
		expect(fires(90, 40.1)).toBe(false);
		expect(fires(null, 30)).toBe(false);
		expect(fires(90, null)).toBe(false);
		// The final mark is not known yet: the predicted mark stands in for it.
		expect(fires(90, null, { kind: 'regression', value: 39 })).toBe(true);
		expect(fires(90, null, { kind: 'regression', value: 41 })).toBe(false);
	});
});

describe('recommendations', () => {
	it('say what triggered them, rounded, with the class median', () => {
		const [rec] = evaluateRules(DEFAULT_RULE_PACK, facts({ attendance: 4.26 }), marks);
		expect(rec.ruleId).toBe('low-attendance');
		expect(rec.message).toBe('Attendance is 4.3/10, below 5/10 (class median 5/10).');
		expect(rec.triggers[0]).toMatchObject({
			column: 'attendance',
			value: 4.26,
			threshold: 5,
			op: '<',
			scale: 'ten',
			stated: { unit: 'points', value: 5, scale: 'ten' }
		});
		const [pct] = evaluateRules(
			DEFAULT_RULE_PACK,
			facts({ attendance_percentage: 61.04 }),
			percent
		);
		expect(pct.message).toBe('Attendance is 61%, below 75% (class median 50%).');
		expect(pct.triggers[0].stated).toEqual({ unit: 'percent', value: 75 });
	});

	it('never print undefined or NaN when the class statistics are missing', () => {
		const pack = defaultRulePack();
		pack.rules = [
			{
				id: 'x',
				title: 'Any attendance',
				conditions: [
					{
						subject: { kind: 'column', column: 'attendance' },
						op: '>=',
						thresholds: [{ unit: 'points', value: 0 }]
					}
				],
				message: '{label} {value} vs {classMedian}, {interval}, {predicted}, {risk}.',
				action: '',
				priority: 'low',
				enabled: true
			}
		];
		const [rec] = evaluateRules(pack, facts({ attendance: 3 }), buildClassContext({}));
		expect(rec.message).toBe('Attendance 3 vs n/a, n/a, n/a, n/a.');
	});

	it('skip disabled rules and survive odd values', () => {
		const pack = defaultRulePack();
		pack.rules[0].enabled = false;
		expect(fired(marks, facts({ attendance: 1 }), pack)).toEqual([]);
		for (const v of ['', 'abc', 'NaN', '  ', null]) {
			expect(fired(marks, facts({ attendance: v }))).toEqual([]);
		}
		expect(fired(marks, facts({ attendance: '4' }))).toEqual(['low-attendance']);
	});

	it('sort by priority, then strength, then pack order', () => {
		const recs = evaluateRules(
			DEFAULT_RULE_PACK,
			facts(
				{ attendance: 4.5, participation: 0, assignment_score: 3.9 },
				{ kind: 'regression', value: 10 }
			),
			marks
		);
		expect(recs.map((r) => [r.ruleId, r.priority])).toEqual([
			['predicted-below-40', 'high'],
			['low-attendance', 'high'],
			['low-participation', 'medium'],
			['low-assignments', 'medium']
		]);
		expect(recs[0].strength).toBeGreaterThan(recs[1].strength);
	});

	it('resolve a concept from any profile spelling', () => {
		const ctx = buildClassContext({ frame: percentClass() });
		const r = fired(ctx, facts({ 'Attendance %': 50 }));
		// The context maps attendance to attendance_percentage; the student's own spelling is not used.
		expect(r).toEqual([]);
		const bare = buildClassContext({});
		// With no class statistics the scale is unknown: neither 0–10 nor percent thresholds apply.
		expect(fired(bare, facts({ 'Attendance %': 50 }))).toEqual([]);
		expect(fired(ctx, facts({ attendance_percentage: 50 }))).toEqual(['low-attendance']);
	});
});

describe('combined with the model factors', () => {
	it('says when the triggering column is the largest factor lowering the prediction', () => {
		const f = facts({ attendance: 3, assignment_score: 2 }, { kind: 'regression', value: 55 }, [
			factor('attendance', -6, 0.4),
			factor('cats', 3, 0.2),
			factor('assignment_score', -2, 0.15)
		]);
		const recs = evaluateRules(DEFAULT_RULE_PACK, f, marks);
		const att = recs.find((r) => r.ruleId === 'low-attendance')!;
		const asg = recs.find((r) => r.ruleId === 'low-assignments')!;
		expect(att.message).toMatch(/Attendance is the largest factor lowering this prediction\.$/);
		expect(att.factor).toEqual({ feature: 'attendance', rank: 1, share: 0.4 });
		expect(asg.message).toMatch(
			/The second-largest factor lowering this prediction is assignment marks\.$/
		);
		expect(asg.factor?.rank).toBe(2);
	});

	it('ignores factors that raise the prediction and matches spellings', () => {
		const f = facts({ attendance: 3 }, null, [factor('Attendance', 2)]);
		expect(evaluateRules(DEFAULT_RULE_PACK, f, marks)[0].factor).toBeNull();
		const g = facts({ attendance: 3 }, null, [factor('ATTENDANCE', -2)]);
		expect(evaluateRules(DEFAULT_RULE_PACK, g, marks)[0].factor?.feature).toBe('ATTENDANCE');
	});

	it('a linked factor ranks a rule above an equally strong one', () => {
		const base = { participation: 3, assignment_score: 3 };
		const plain = evaluateRules(DEFAULT_RULE_PACK, facts(base), marks).map((r) => r.ruleId);
		expect(plain).toEqual(['low-participation', 'low-assignments']);
		const linked = evaluateRules(
			DEFAULT_RULE_PACK,
			facts(base, null, [factor('assignment_score', -1, 0.3)]),
			marks
		).map((r) => r.ruleId);
		expect(linked).toEqual(['low-assignments', 'low-participation']);
	});

	it('for a risk class, positive contributions are the harmful ones', () => {
		const f: StudentFacts = {
			id: 'S9',
			values: { attendance: 2 },
			prediction: { kind: 'classification', classes: ['Pass', 'Fail'], probabilities: [0.3, 0.7] },
			explained: { kind: 'class', label: 'Fail' },
			factors: [factor('attendance', 0.8, 0.5)]
		};
		const [rec] = evaluateRules(DEFAULT_RULE_PACK, f, marks);
		expect(rec.message).toMatch(/Attendance is the largest factor raising the predicted risk\.$/);
	});

	it('supports a risk-probability rule in percent', () => {
		const pack: RulePack = {
			id: 'p',
			name: 'Risk',
			version: 1,
			rules: [
				{
					id: 'risk',
					title: 'High risk',
					conditions: [
						{
							subject: { kind: 'risk-probability' },
							op: '>=',
							thresholds: [{ unit: 'percent', value: 50 }]
						}
					],
					message: 'Chance of failing about {risk} (most likely: {predicted}).',
					action: 'Check in.',
					priority: 'high',
					enabled: true
				}
			]
		};
		const p = (fail: number): StudentFacts => ({
			id: 'x',
			values: {},
			prediction: {
				kind: 'classification',
				classes: ['Pass', 'Fail'],
				probabilities: [1 - fail, fail]
			}
		});
		expect(evaluateRules(pack, p(0.5), marks).map((r) => r.message)).toEqual([
			'Chance of failing about 50% (most likely: Pass).'
		]);
		expect(evaluateRules(pack, p(0.49), marks)).toEqual([]);
		const labels: StudentFacts = {
			id: 'x',
			values: {},
			prediction: { kind: 'classification', classes: ['0', '1'], probabilities: [0.1, 0.9] }
		};
		// 0/1 labels say nothing about risk unless the context names the risk class.
		expect(evaluateRules(pack, labels, marks)).toEqual([]);
		expect(evaluateRules(pack, labels, { ...marks, riskClasses: ['1'] })).toHaveLength(1);
	});

	it('z and percentile thresholds are relative to the class', () => {
		const pack: RulePack = {
			id: 'rel',
			name: 'Relative',
			version: 1,
			rules: [
				{
					id: 'z',
					title: 'Far below the class',
					conditions: [
						{
							subject: { kind: 'concept', concept: 'attendance' },
							op: '<=',
							thresholds: [{ unit: 'z', value: -1 }]
						}
					],
					message: '{value} is at least one sd below the mean ({classMean}); cut-off {threshold}.',
					action: '',
					priority: 'low',
					enabled: true
				}
			]
		};
		// attendance 0..10: mean 5, sd √11 ≈ 3.317 → cut-off ≈ 1.68.
		const cut = 5 - Math.sqrt(11);
		expect(evaluateRules(pack, facts({ attendance: cut }), marks)[0].message).toBe(
			'1.7/10 is at least one sd below the mean (5/10); cut-off 1.7/10.'
		);
		expect(evaluateRules(pack, facts({ attendance: cut + 0.01 }), marks)).toEqual([]);
	});
});
