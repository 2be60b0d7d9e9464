import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeSafeHeader } from '$lib/data/headers';

describe('makeSafeHeader', () => {
	it('renames empty, repeated, hostile and over-long names, and says why', () => {
		const long = 'x'.repeat(130);
		const { names, issues } = makeSafeHeader(
			['', 'Mark', 'mark', '__proto__', 'constructor', ' a\tb ', long],
			'f.csv'
		);
		expect(names).toEqual([
			'column_1',
			'Mark',
			'mark_2',
			'__proto___col',
			'constructor_col',
			'a b',
			'x'.repeat(120)
		]);
		expect(issues.map((i) => i.where.columnIndex)).toEqual([0, 2, 3, 4, 6]);
		expect(issues[0].message).toBe(
			'f.csv: column 1 had no name; it is called “column_1” in Classlens.'
		);
		expect(issues.every((i) => i.code === 'header-renamed' && i.where.row === 1)).toBe(true);
	});

	it('always gives unique, non-empty names that are safe as object keys (property)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'a', 'A', '')), {
					maxLength: 30
				}),
				(raw) => {
					const { names } = makeSafeHeader(raw, 'f.csv');
					expect(names).toHaveLength(raw.length);
					expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
					for (const n of names) {
						expect(n.trim()).not.toBe('');
						const o: Record<string, number> = {};
						o[n] = 1;
						expect(Object.keys(o)).toEqual([n]);
					}
				}
			)
		);
	});
});
