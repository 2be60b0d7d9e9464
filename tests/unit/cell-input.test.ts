import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellToInput, parseInput } from '$lib/data/cell-input';

const num = { name: 'mark', kind: 'numeric' as const, type: 'number' };
const int = { name: 'year', kind: 'numeric' as const, type: 'integer' };
const bool = { name: 'paid', kind: 'numeric' as const, type: 'boolean' };
const date = { name: 'day', kind: 'numeric' as const, type: 'datetime' };
const cat = { name: 'grade', kind: 'categorical' as const, type: 'category' };

describe('parseInput', () => {
	it('reads numbers, decimal commas, yes/no, dates and text; empty is missing', () => {
		expect(parseInput(' 12.5 ', num)).toEqual({ value: 12.5 });
		expect(parseInput('12,5', num)).toEqual({ value: 12.5 });
		expect(parseInput('', num)).toEqual({ value: null });
		expect(parseInput('YES', bool)).toEqual({ value: 1 });
		expect(parseInput('no', bool)).toEqual({ value: 0 });
		expect(parseInput('2024-03-05', date)).toEqual({ value: Date.UTC(2024, 2, 5) });
		expect(parseInput(' B+ ', cat)).toEqual({ value: ' B+ ' });
	});
	it('explains what is wrong', () => {
		expect(parseInput('ten', num)).toEqual({ error: '“ten” is not a number.' });
		expect(parseInput('1,234,5', num)).toHaveProperty('error');
		expect(parseInput('2.5', int)).toEqual({ error: 'Enter a whole number.' });
		expect(parseInput('maybe', bool)).toHaveProperty('error');
		expect(parseInput('05/03/2024x', date)).toHaveProperty('error');
	});
	it('round-trips every stored number and date through the input text (property)', () => {
		fc.assert(
			fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
				expect(parseInput(cellToInput(x, 'number'), num)).toEqual({ value: x === 0 ? 0 : x });
			})
		);
		fc.assert(
			fc.property(fc.integer({ min: -2e12, max: 4e12 }), (ms) => {
				const t = Math.floor(ms / 1000) * 1000;
				expect(parseInput(cellToInput(t, 'datetime'), date)).toEqual({ value: t });
			})
		);
	});
});
