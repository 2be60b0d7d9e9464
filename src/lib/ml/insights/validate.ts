/**
 * Checks a rule pack from a file or the rule editor, and says what is wrong in words a teacher
 * can act on, with where ("Rule 3 “Low attendance”, condition 1: the threshold must be a number
 * between 0 and 100."). Returns a clean copy holding only known keys, so a pack read from a
 * file cannot smuggle anything else into storage.
 */
import { CONCEPTS, isConceptId } from './concepts';
import { isKnownPlaceholder, placeholdersOf } from './template';
import {
	OPERATORS,
	PRIORITIES,
	SCALE_KINDS,
	type Condition,
	type ConditionSubject,
	type FieldError,
	type Operator,
	type Priority,
	type Rule,
	type RulePack,
	type ScaleKind,
	type Threshold
} from './types';

export const RULE_PACK_LIMITS = {
	id: 64,
	name: 120,
	title: 120,
	message: 500,
	action: 500,
	rules: 100,
	conditions: 5,
	thresholds: 5,
	column: 120
} as const;

export type RulePackResult = { ok: true; pack: RulePack } | { ok: false; errors: FieldError[] };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const get = (o: Obj, k: string): unknown =>
	Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;

const UNIT_WORDS = {
	points: 'points',
	percent: 'a percentage',
	percentile: 'a class percentile',
	z: 'a z-score'
} as const;

class Collector {
	errors: FieldError[] = [];
	add(path: string, where: string, message: string): void {
		this.errors.push({ path, message: where ? `${where}: ${message}` : capitalise(message) });
	}
}

function capitalise(s: string): string {
	return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function text(
	v: unknown,
	max: number,
	path: string,
	where: string,
	what: string,
	c: Collector,
	required = true
): string {
	if (typeof v !== 'string') {
		if (required || v !== undefined) c.add(path, where, `${what} must be text.`);
		return '';
	}
	const t = v.trim();
	if (required && t === '') c.add(path, where, `${what} is required.`);
	else if (t.length > max) c.add(path, where, `${what} must be at most ${max} characters.`);
	return t;
}

function subjectOf(v: unknown, path: string, where: string, c: Collector): ConditionSubject | null {
	if (!isObj(v)) {
		c.add(path, where, 'say what the condition looks at (a measure, a column or the prediction).');
		return null;
	}
	const kind = get(v, 'kind');
	switch (kind) {
		case 'concept': {
			const concept = get(v, 'concept');
			if (!isConceptId(concept)) {
				c.add(`${path}.concept`, where, `choose one of the known measures (${knownConcepts()}).`);
				return null;
			}
			return { kind, concept };
		}
		case 'column': {
			const column = text(
				get(v, 'column'),
				RULE_PACK_LIMITS.column,
				`${path}.column`,
				where,
				'the column name',
				c
			);
			return column ? { kind, column } : null;
		}
		case 'predicted-mark':
		case 'risk-probability':
		case 'outcome':
			return { kind };
		default:
			c.add(
				`${path}.kind`,
				where,
				'the condition must look at a measure, a column, the predicted mark, the predicted risk or the final mark.'
			);
			return null;
	}
}

function knownConcepts(): string {
	return Object.values(CONCEPTS)
		.map((d) => d.label.toLowerCase())
		.join(', ');
}

function thresholdOf(v: unknown, path: string, where: string, c: Collector): Threshold | null {
	if (!isObj(v)) {
		c.add(path, where, 'the threshold needs a unit and a value.');
		return null;
	}
	const unit = get(v, 'unit');
	const value = get(v, 'value');
	if (unit !== 'points' && unit !== 'percent' && unit !== 'percentile' && unit !== 'z') {
		c.add(
			`${path}.unit`,
			where,
			'the threshold unit must be points, percent, a class percentile or a z-score.'
		);
		return null;
	}
	const [lo, hi] =
		unit === 'percent' || unit === 'percentile' ? [0, 100] : unit === 'z' ? [-5, 5] : [-1e9, 1e9];
	if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
		const range = unit === 'points' ? 'a number' : `a number between ${lo} and ${hi}`;
		c.add(`${path}.value`, where, `the threshold (${UNIT_WORDS[unit]}) must be ${range}.`);
		return null;
	}
	if (unit !== 'points') return { unit, value };
	const scale = get(v, 'scale');
	if (scale === undefined || scale === null) return { unit, value };
	if (!(SCALE_KINDS as readonly unknown[]).includes(scale)) {
		c.add(`${path}.scale`, where, `the scale must be one of ${SCALE_KINDS.join(', ')}.`);
		return null;
	}
	return { unit, value, scale: scale as ScaleKind };
}

function conditionOf(v: unknown, path: string, where: string, c: Collector): Condition | null {
	if (!isObj(v)) {
		c.add(path, where, 'the condition is not in the expected form.');
		return null;
	}
	const subject = subjectOf(get(v, 'subject'), `${path}.subject`, where, c);
	const op = get(v, 'op');
	if (!(OPERATORS as readonly unknown[]).includes(op)) {
		c.add(`${path}.op`, where, 'the comparison must be <, ≤, > or ≥.');
	}
	const raw = get(v, 'thresholds');
	const thresholds: Threshold[] = [];
	if (!Array.isArray(raw) || raw.length === 0) {
		c.add(`${path}.thresholds`, where, 'give at least one threshold.');
	} else if (raw.length > RULE_PACK_LIMITS.thresholds) {
		c.add(`${path}.thresholds`, where, `give at most ${RULE_PACK_LIMITS.thresholds} thresholds.`);
	} else {
		raw.forEach((t, i) => {
			const w = raw.length > 1 ? `${where}, threshold ${i + 1}` : where;
			const th = thresholdOf(t, `${path}.thresholds[${i}]`, w, c);
			if (th) thresholds.push(th);
		});
		if (subject?.kind === 'risk-probability') {
			raw.forEach((t, i) => {
				const unit = isObj(t) ? get(t, 'unit') : undefined;
				if (unit === 'percentile' || unit === 'z') {
					c.add(
						`${path}.thresholds[${i}].unit`,
						where,
						'a risk threshold must be a percentage (0–100).'
					);
				}
			});
		}
	}
	if (!subject || thresholds.length !== (Array.isArray(raw) ? raw.length : -1)) return null;
	return { subject, op: op as Operator, thresholds };
}

function ruleOf(v: unknown, i: number, c: Collector, ids: Set<string>): Rule | null {
	const path = `rules[${i}]`;
	if (!isObj(v)) {
		c.add(path, `Rule ${i + 1}`, 'the rule is not in the expected form.');
		return null;
	}
	const rawTitle = get(v, 'title');
	const named =
		typeof rawTitle === 'string' && rawTitle.trim() ? ` “${rawTitle.trim().slice(0, 40)}”` : '';
	const where = `Rule ${i + 1}${named}`;
	const before = c.errors.length;
	const id = text(get(v, 'id'), RULE_PACK_LIMITS.id, `${path}.id`, where, 'the rule id', c);
	if (id && ids.has(id)) c.add(`${path}.id`, where, `the id “${id}” is used by another rule.`);
	ids.add(id);
	const title = text(rawTitle, RULE_PACK_LIMITS.title, `${path}.title`, where, 'the title', c);
	const message = text(
		get(v, 'message'),
		RULE_PACK_LIMITS.message,
		`${path}.message`,
		where,
		'the message',
		c
	);
	const action = text(
		get(v, 'action'),
		RULE_PACK_LIMITS.action,
		`${path}.action`,
		where,
		'the next step',
		c,
		false
	);
	const nConditions = Array.isArray(get(v, 'conditions'))
		? (get(v, 'conditions') as unknown[]).length
		: 0;
	for (const name of placeholdersOf(message)) {
		const m = /^(?:value|threshold|label)([1-9])$/.exec(name);
		if (!isKnownPlaceholder(name)) {
			c.add(`${path}.message`, where, `the message uses {${name}}, which Classlens does not know.`);
		} else if (m && Number(m[1]) > nConditions) {
			c.add(
				`${path}.message`,
				where,
				`the message uses {${name}} but the rule has ${nConditions} condition${nConditions === 1 ? '' : 's'}.`
			);
		}
	}
	const priority = get(v, 'priority');
	if (!(PRIORITIES as readonly unknown[]).includes(priority)) {
		c.add(`${path}.priority`, where, 'the priority must be high, medium or low.');
	}
	const enabled = get(v, 'enabled');
	if (enabled !== undefined && typeof enabled !== 'boolean') {
		c.add(`${path}.enabled`, where, '“enabled” must be true or false.');
	}
	const rawConditions = get(v, 'conditions');
	const conditions: Condition[] = [];
	if (!Array.isArray(rawConditions) || rawConditions.length === 0) {
		c.add(`${path}.conditions`, where, 'give at least one condition.');
	} else if (rawConditions.length > RULE_PACK_LIMITS.conditions) {
		c.add(`${path}.conditions`, where, `give at most ${RULE_PACK_LIMITS.conditions} conditions.`);
	} else {
		rawConditions.forEach((cv, j) => {
			const cond = conditionOf(cv, `${path}.conditions[${j}]`, `${where}, condition ${j + 1}`, c);
			if (cond) conditions.push(cond);
		});
	}
	if (c.errors.length > before) return null;
	return {
		id,
		title,
		conditions,
		message,
		action,
		priority: priority as Priority,
		enabled: enabled === undefined ? true : (enabled as boolean)
	};
}

/**
 * A rule pack from JSON text or a parsed value: `{ ok: true, pack }` with a clean copy, or
 * `{ ok: false, errors }` listing every problem found (not just the first).
 */
export function validateRulePack(json: unknown): RulePackResult {
	const c = new Collector();
	let v = json;
	if (typeof json === 'string') {
		try {
			v = JSON.parse(json);
		} catch {
			return {
				ok: false,
				errors: [{ path: '', message: 'This file is not a valid rule pack (it is not JSON).' }]
			};
		}
	}
	if (!isObj(v)) {
		return {
			ok: false,
			errors: [
				{
					path: '',
					message: 'This is not a rule pack: expected an object with id, name, version and rules.'
				}
			]
		};
	}
	const id = text(get(v, 'id'), RULE_PACK_LIMITS.id, 'id', '', 'the pack id', c);
	const name = text(get(v, 'name'), RULE_PACK_LIMITS.name, 'name', '', 'the pack name', c);
	const version = get(v, 'version');
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
		c.add('version', '', 'the version must be a whole number, 1 or more.');
	}
	const raw = get(v, 'rules');
	const rules: Rule[] = [];
	if (!Array.isArray(raw)) c.add('rules', '', 'the pack needs a list of rules.');
	else if (raw.length > RULE_PACK_LIMITS.rules) {
		c.add('rules', '', `a pack holds at most ${RULE_PACK_LIMITS.rules} rules.`);
	} else {
		const ids = new Set<string>();
		raw.forEach((r, i) => {
			const rule = ruleOf(r, i, c, ids);
			if (rule) rules.push(rule);
		});
	}
	if (c.errors.length) return { ok: false, errors: c.errors };
	return { ok: true, pack: { id, name, version: version as number, rules } };
}
