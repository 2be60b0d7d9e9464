/**
 * Turning what a teacher types into a cell's stored value, and back. Used by the row editor;
 * kept here, away from the component, so the rules are tested directly.
 */
import type { Cell } from '../ml/frame';

export interface EditableColumn {
	name: string;
	kind: 'numeric' | 'categorical';
	type: string;
}

export type ParsedInput = { value: number | string | null } | { error: string };

/** The text an input starts with for a stored cell. */
export function cellToInput(c: Cell, type: string): string {
	if (c === null) return '';
	if (typeof c === 'string') return c;
	if (type === 'datetime') {
		const iso = new Date(c).toISOString();
		return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
	}
	if (type === 'boolean') return c ? 'yes' : 'no';
	return String(c);
}

/** The stored value for typed text, or a message saying what is wrong. Empty means missing. */
export function parseInput(text: string, col: EditableColumn): ParsedInput {
	const t = text.trim();
	if (t === '') return { value: null };
	if (col.kind === 'categorical') return { value: text };
	if (col.type === 'boolean') {
		if (/^(yes|true|1)$/i.test(t)) return { value: 1 };
		if (/^(no|false|0)$/i.test(t)) return { value: 0 };
		return { error: 'Enter yes or no, or leave it empty.' };
	}
	if (col.type === 'datetime') {
		const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : `${t}Z`);
		return Number.isNaN(ms) ? { error: 'Enter a date as YYYY-MM-DD.' } : { value: ms };
	}
	// One decimal comma is accepted: teachers in comma-decimal countries type "12,5".
	const n = /^[+-]?\d+,\d+$/.test(t) ? Number(t.replace(',', '.')) : Number(t);
	if (!Number.isFinite(n)) return { error: `“${t}” is not a number.` };
	if (col.type === 'integer' && !Number.isInteger(n)) return { error: 'Enter a whole number.' };
	return { value: n };
}
