/**
 * The rules Classlens starts with (issue 7), which a teacher can edit, switch off or replace.
 *
 * Thresholds the issue states: attendance below 5 on a 0–10 scale or below 75 %; assignment
 * score below 4 (0–10); a predicted final mark below 40. Those it leaves open, chosen here:
 * - "low participation" and "low assignment marks" on other scales: below 40 % of the scale,
 *   the same proportion as 4 out of 10, so one rule means the same on every scale;
 * - "strong peers": peer performance in the class's top quarter (≥ 75th percentile), and
 *   "a low final mark": in the class's bottom quarter (< 25th percentile) — relative, because
 *   peer performance is itself a class average and what matters is the gap, not a fixed mark.
 *   The final mark is the real one when known, otherwise the predicted mark;
 * - "predicted final mark below 40": 40 % of the target's scale (40 out of 100, 8 out of 20),
 *   or 40 in the target's own units when its scale is not known.
 */
import type { RulePack } from './types';

const DEFAULTS: RulePack = {
	id: 'classlens-defaults',
	name: 'Classlens defaults',
	version: 1,
	rules: [
		{
			id: 'low-attendance',
			title: 'Low attendance',
			conditions: [
				{
					subject: { kind: 'concept', concept: 'attendance' },
					op: '<',
					thresholds: [
						{ unit: 'points', value: 5, scale: 'ten' },
						{ unit: 'percent', value: 75 }
					]
				}
			],
			message: 'Attendance is {value}, below {threshold} (class median {classMedian}).',
			action:
				'Talk with the student about what keeps them from class and agree an attendance goal; involve the family if it has not improved in two weeks.',
			priority: 'high',
			enabled: true
		},
		{
			id: 'low-participation',
			title: 'Low participation',
			conditions: [
				{
					subject: { kind: 'concept', concept: 'participation' },
					op: '<',
					thresholds: [
						{ unit: 'points', value: 4, scale: 'ten' },
						{ unit: 'percent', value: 40 }
					]
				}
			],
			message: 'Participation is {value}, below {threshold} (class median {classMedian}).',
			action:
				'Give the student a low-stakes way to take part (a question prepared in advance, pair work) and acknowledge it when they do.',
			priority: 'medium',
			enabled: true
		},
		{
			id: 'low-assignments',
			title: 'Low assignment marks',
			conditions: [
				{
					subject: { kind: 'concept', concept: 'assignment' },
					op: '<',
					thresholds: [
						{ unit: 'points', value: 4, scale: 'ten' },
						{ unit: 'percent', value: 40 }
					]
				}
			],
			message: 'Assignment marks are {value}, below {threshold} (class median {classMedian}).',
			action:
				'Check which assignments are missing or weak, go through one with the student and agree a date for the next submission.',
			priority: 'medium',
			enabled: true
		},
		{
			id: 'strong-peers-low-mark',
			title: 'Strong peers, low final mark',
			conditions: [
				{
					subject: { kind: 'concept', concept: 'peer_performance' },
					op: '>=',
					thresholds: [{ unit: 'percentile', value: 75 }]
				},
				{
					subject: { kind: 'outcome' },
					op: '<',
					thresholds: [{ unit: 'percentile', value: 25 }]
				}
			],
			message:
				'{label2} is {value2}, in the bottom quarter of the class (below {threshold2}), although peer performance is in the top quarter ({value1}).',
			action:
				'Look for what holds the student back compared with their peers (missed work, confidence, something outside school) and agree one concrete change.',
			priority: 'medium',
			enabled: true
		},
		{
			id: 'predicted-below-40',
			title: 'Predicted final mark below 40',
			conditions: [
				{
					subject: { kind: 'predicted-mark' },
					op: '<',
					thresholds: [
						{ unit: 'percent', value: 40 },
						{ unit: 'points', value: 40 }
					]
				}
			],
			message: 'The predicted final mark is about {predicted} ({interval}), below {threshold}.',
			action:
				'Meet the student soon to agree a short catch-up plan for the weakest areas, and review progress again in a few weeks.',
			priority: 'high',
			enabled: true
		}
	]
};

function deepFreeze<T>(x: T): T {
	if (typeof x === 'object' && x !== null) {
		for (const v of Object.values(x)) deepFreeze(v);
		Object.freeze(x);
	}
	return x;
}

/** The defaults, frozen: edit a copy (defaultRulePack()), never this. */
export const DEFAULT_RULE_PACK: RulePack = deepFreeze(structuredClone(DEFAULTS));

/** A fresh, editable copy of the defaults. */
export function defaultRulePack(): RulePack {
	return structuredClone(DEFAULTS);
}
