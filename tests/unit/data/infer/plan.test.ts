import { describe, expect, it } from 'vitest';
import { proposePlan, withTarget } from '../../../../src/lib/data/plan';

describe('proposePlan', () => {
	it('makes header names safe and reports renames', () => {
		const { plan, issues } = proposePlan(['a', '', 'a', '__proto__'], [['1', '2', '3', '4']], {
			file: 'f.csv',
			decimal: '.'
		});
		expect(plan.columns.map((c) => c.name)).toEqual(['a', 'column_2', 'a_2', '__proto___col']);
		expect(plan.columns.map((c) => c.original)).toEqual(['a', '', 'a', '__proto__']);
		expect(issues.map((i) => i.code)).toEqual([
			'header-renamed',
			'header-renamed',
			'header-renamed'
		]);
	});

	it('guesses the decimal mark when not given and keeps the sheet', () => {
		const records = [['12,5'], ['3,25'], ['7']];
		const { plan } = proposePlan(['score'], records, { file: 'f.xlsx', sheet: 'Term 1' });
		expect(plan.decimal).toBe(',');
		expect(plan.sheet).toBe('Term 1');
		expect(plan.columns[0].type).toBe('number');
		expect(plan.missingTokens).toContain('n/a');
	});

	it('gives a percent-named unknown column a 0–100 range', () => {
		const { plan } = proposePlan(['pass_rate_pct'], [['50'], ['70']], {
			file: 'f.csv',
			decimal: '.'
		});
		expect(plan.columns[0].range).toMatchObject({ min: 0, max: 100 });
	});

	it('withTarget moves the target', () => {
		const { plan } = proposePlan(
			['attendance', 'participation', 'assignment_score', 'cats', 'final_exam'],
			[['5', '5', '5', '10', '60']],
			{ file: 'm.csv', decimal: '.' }
		);
		expect(plan.columns.find((c) => c.role === 'target')?.name).toBe('final_exam');
		const p2 = withTarget(plan, 'cats');
		expect(p2.columns.filter((c) => c.role === 'target').map((c) => c.name)).toEqual(['cats']);
		expect(p2.columns.find((c) => c.name === 'final_exam')?.role).toBe('feature');
	});
});
