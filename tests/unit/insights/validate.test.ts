import { describe, expect, it } from 'vitest';
import {
	DEFAULT_RULE_PACK,
	defaultRulePack,
	validateRulePack,
	type FieldError
} from '$lib/ml/insights';

function errorsOf(json: unknown): FieldError[] {
	const r = validateRulePack(json);
	if (r.ok) throw new Error('expected errors');
	return r.errors;
}

const clone = (): Record<string, unknown> & { rules: Record<string, unknown>[] } =>
	JSON.parse(JSON.stringify(DEFAULT_RULE_PACK));

describe('DEFAULT_RULE_PACK', () => {
	it('covers exactly the issue’s defaults and survives JSON', () => {
		expect(DEFAULT_RULE_PACK.rules.map((r) => r.id)).toEqual([
			'low-attendance',
			'low-participation',
			'low-assignments',
			'strong-peers-low-mark',
			'predicted-below-40'
		]);
		const r = validateRulePack(JSON.stringify(DEFAULT_RULE_PACK));
		expect(r.ok).toBe(true);
		if (r.ok) expect(r.pack).toEqual(DEFAULT_RULE_PACK);
	});

	it('is frozen; defaultRulePack() is an editable copy', () => {
		expect(Object.isFrozen(DEFAULT_RULE_PACK.rules[0].conditions[0])).toBe(true);
		const copy = defaultRulePack();
		copy.rules[0].title = 'Edited';
		expect(DEFAULT_RULE_PACK.rules[0].title).toBe('Low attendance');
	});
});

describe('validateRulePack', () => {
	it('explains a bad threshold with the rule and condition, counted from 1', () => {
		const pack = clone();
		const cond = (pack.rules[2].conditions as Record<string, unknown>[])[0];
		cond.thresholds = [{ unit: 'percent', value: 150 }];
		expect(errorsOf(pack)).toEqual([
			{
				path: 'rules[2].conditions[0].thresholds[0].value',
				message:
					'Rule 3 “Low assignment marks”, condition 1: the threshold (a percentage) must be a number between 0 and 100.'
			}
		]);
	});

	it('collects every problem, each with its path', () => {
		const pack = clone();
		pack.version = 0;
		pack.name = '';
		pack.rules[0].priority = 'urgent';
		pack.rules[1].id = 'low-attendance';
		pack.rules[1].message = 'Participation is {vlaue}.';
		(pack.rules[3].conditions as Record<string, unknown>[])[0].op = '=';
		(pack.rules[3].conditions as Record<string, unknown>[])[1].subject = {
			kind: 'concept',
			concept: 'shoe_size'
		};
		pack.rules[4].conditions = [];
		const errors = errorsOf(pack);
		expect(errors.map((e) => e.path)).toEqual([
			'name',
			'version',
			'rules[0].priority',
			'rules[1].id',
			'rules[1].message',
			'rules[3].conditions[0].op',
			'rules[3].conditions[1].subject.concept',
			'rules[4].conditions'
		]);
		expect(errors[0].message).toBe('The pack name is required.');
		expect(errors[1].message).toBe('The version must be a whole number, 1 or more.');
		expect(errors[2].message).toBe(
			'Rule 1 “Low attendance”: the priority must be high, medium or low.'
		);
		expect(errors[3].message).toMatch(/the id “low-attendance” is used by another rule/);
		expect(errors[4].message).toMatch(/\{vlaue\}, which Classlens does not know/);
		expect(errors[5].message).toMatch(/condition 1: the comparison must be <, ≤, > or ≥/);
		expect(errors[6].message).toMatch(/condition 2: choose one of the known measures \(attendance/);
		expect(errors[7].message).toMatch(
			/Rule 5 “Predicted final mark below 40”: give at least one condition/
		);
	});

	it('names the threshold among several', () => {
		const pack = clone();
		const cond = (pack.rules[0].conditions as Record<string, unknown>[])[0];
		cond.thresholds = [
			{ unit: 'points', value: 5, scale: 'eleven' },
			{ unit: 'z', value: 9 },
			{ unit: 'furlongs', value: 1 }
		];
		expect(errorsOf(pack)).toEqual([
			{
				path: 'rules[0].conditions[0].thresholds[0].scale',
				message:
					'Rule 1 “Low attendance”, condition 1, threshold 1: the scale must be one of fraction, gpa4, ten, twenty, percent, raw.'
			},
			{
				path: 'rules[0].conditions[0].thresholds[1].value',
				message:
					'Rule 1 “Low attendance”, condition 1, threshold 2: the threshold (a z-score) must be a number between -5 and 5.'
			},
			{
				path: 'rules[0].conditions[0].thresholds[2].unit',
				message:
					'Rule 1 “Low attendance”, condition 1, threshold 3: the threshold unit must be points, percent, a class percentile or a z-score.'
			}
		]);
	});

	it('checks placeholders against the number of conditions', () => {
		const pack = clone();
		pack.rules[0].message = 'Attendance {value2}';
		expect(errorsOf(pack)[0]).toEqual({
			path: 'rules[0].message',
			message: 'Rule 1 “Low attendance”: the message uses {value2} but the rule has 1 condition.'
		});
	});

	it('rejects what is not a pack, in plain words', () => {
		expect(errorsOf('{not json')[0].message).toMatch(/not JSON/);
		expect(errorsOf([])[0].message).toMatch(/not a rule pack/);
		expect(errorsOf(null)[0].path).toBe('');
		expect(errorsOf({ id: 'a', name: 'b', version: 1 })).toEqual([
			{ path: 'rules', message: 'The pack needs a list of rules.' }
		]);
		expect(errorsOf({ id: 'a', name: 'b', version: 1, rules: [42] })[0]).toEqual({
			path: 'rules[0]',
			message: 'Rule 1: the rule is not in the expected form.'
		});
	});

	it('rejects NaN and Infinity thresholds and over-long text', () => {
		const pack = defaultRulePack();
		(pack.rules[0].conditions[0].thresholds[0] as { value: number }).value = NaN;
		pack.rules[1].title = 'x'.repeat(121);
		const paths = errorsOf(pack).map((e) => e.path);
		expect(paths).toEqual(['rules[0].conditions[0].thresholds[0].value', 'rules[1].title']);
	});

	it('returns a clean copy: unknown keys dropped, enabled defaults to true', () => {
		const pack = clone();
		pack.extra = 'x';
		pack.rules[0].enabled = undefined;
		(pack.rules[0] as Record<string, unknown>).script = 'alert(1)';
		const withProto = JSON.parse(
			JSON.stringify(pack).replace(
				'"id":"classlens-defaults"',
				'"id":"p","__proto__":{"polluted":1}'
			)
		);
		const r = validateRulePack(withProto);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(Object.keys(r.pack)).toEqual(['id', 'name', 'version', 'rules']);
		expect(Object.keys(r.pack.rules[0])).toEqual([
			'id',
			'title',
			'conditions',
			'message',
			'action',
			'priority',
			'enabled'
		]);
		expect(r.pack.rules[0].enabled).toBe(true);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('accepts named columns, the risk probability and the outcome', () => {
		const r = validateRulePack({
			id: 'mine',
			name: 'My rules',
			version: 3,
			rules: [
				{
					id: 'quiz',
					title: 'Quiz and risk',
					conditions: [
						{
							subject: { kind: 'column', column: 'Quiz 2' },
							op: '<=',
							thresholds: [{ unit: 'percentile', value: 10 }]
						},
						{
							subject: { kind: 'risk-probability' },
							op: '>',
							thresholds: [{ unit: 'percent', value: 60 }]
						},
						{
							subject: { kind: 'outcome' },
							op: '<',
							thresholds: [{ unit: 'points', value: 50, scale: 'percent' }]
						}
					],
					message: '{label1} {value1}; risk {risk}; {label3} {value3}',
					action: 'Call home.',
					priority: 'low',
					enabled: false
				}
			]
		});
		expect(r.ok).toBe(true);
		const bad = validateRulePack({
			id: 'mine',
			name: 'My rules',
			version: 1,
			rules: [
				{
					id: 'r',
					title: 'Risk',
					conditions: [
						{
							subject: { kind: 'risk-probability' },
							op: '>',
							thresholds: [{ unit: 'z', value: 1 }]
						}
					],
					message: 'x',
					action: '',
					priority: 'low',
					enabled: true
				}
			]
		});
		expect(bad.ok ? [] : bad.errors.map((e) => e.message)).toEqual([
			'Rule 1 “Risk”, condition 1: a risk threshold must be a percentage (0–100).'
		]);
	});
});
