/**
 * Shared building blocks for the demo generators. Everything writes straight into typed arrays
 * so a million rows cost a few typed allocations, not a million objects.
 */
import { AppException } from '../../errors';
import {
	MISSING_CODE,
	type CategoricalColumn,
	type CategoricalType,
	type ColumnRole
} from '../frame';
import type { Rng } from '../random';

export interface GenerateOptions {
	rows?: number;
	seed?: number | string;
	canary?: string;
}

export const DEFAULT_SEED = 2024;

/** Big enough for benchmarks, small enough that a typo cannot exhaust a browser tab's memory. */
export const MAX_ROWS = 5_000_000;

export function clamp(x: number, lo: number, hi: number): number {
	return x < lo ? lo : x > hi ? hi : x;
}

export function round1(x: number): number {
	return Math.round(x * 10) / 10;
}

export function round2(x: number): number {
	return Math.round(x * 100) / 100;
}

export function sigmoid(x: number): number {
	return 1 / (1 + Math.exp(-x));
}

/** Knuth for small means (exact), a rounded normal for large ones (where it is indistinguishable). */
export function poisson(rng: Rng, lambda: number): number {
	if (!(lambda > 0)) return 0;
	if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
	const limit = Math.exp(-lambda);
	let k = 0;
	let p = rng.next();
	while (p > limit) {
		k++;
		p *= rng.next();
	}
	return k;
}

/** Long-format profiles make many rows per student, so they cap the student count lower. */
export function validateRows(
	rows: number | undefined,
	fallback: number,
	what: string,
	max = MAX_ROWS
): number {
	const n = rows ?? fallback;
	if (!Number.isInteger(n) || n < 1 || n > max) {
		throw new AppException({
			code: 'demo-invalid-rows',
			message: `The number of ${what} must be a whole number from 1 to ${max.toLocaleString('en')}.`,
			details: { rows: Number.isFinite(n) ? n : String(n) }
		});
	}
	return n;
}

/**
 * Identifiers look like real roll numbers (S00001…). The canary, when given, replaces the first
 * student's identifier verbatim: a privacy test plants it and then watches the network for it.
 * A generated id that happens to equal the canary gets a suffix so the dictionary stays unique.
 */
export function studentIds(n: number, canary: string | undefined, prefix = 'S'): string[] {
	const width = Math.max(5, String(n).length);
	const ids = new Array<string>(n);
	for (let i = 0; i < n; i++) {
		const id = prefix + String(i + 1).padStart(width, '0');
		ids[i] = canary !== undefined && i > 0 && id === canary ? `${id}-b` : id;
	}
	if (canary !== undefined && n > 0) ids[0] = canary;
	return ids;
}

/** A categorical column from codes the generator already drew; the dictionary is fixed up front. */
export function codedColumn(
	name: string,
	codes: Uint32Array,
	dictionary: string[],
	type: CategoricalType = 'category'
): CategoricalColumn {
	return { kind: 'categorical', name, type, codes, dictionary };
}

/** Identity codes: row i is student i (wide profiles, one row per student). */
export function identityCodes(n: number): Uint32Array {
	const codes = new Uint32Array(n);
	for (let i = 0; i < n; i++) codes[i] = i;
	return codes;
}

/**
 * Blanks an exact share of cells (rounded), chosen uniformly without replacement, so small demo
 * classes still show a few gaps and the rate is predictable rather than binomially noisy.
 */
export function blankNumeric(values: Float64Array, share: number, rng: Rng): void {
	const n = values.length;
	const m = Math.min(n, Math.round(share * n));
	let done = 0;
	while (done < m) {
		const i = rng.int(n);
		if (Number.isNaN(values[i])) continue;
		values[i] = NaN;
		done++;
	}
}

export function blankCodes(codes: Uint32Array, share: number, rng: Rng): void {
	const n = codes.length;
	const m = Math.min(n, Math.round(share * n));
	let done = 0;
	while (done < m) {
		const i = rng.int(n);
		if (codes[i] === MISSING_CODE) continue;
		codes[i] = MISSING_CODE;
		done++;
	}
}

/** Draws an index from cumulative probabilities (precomputed once per distribution). */
export function drawCumulative(rng: Rng, cumulative: ArrayLike<number>): number {
	const u = rng.next() * cumulative[cumulative.length - 1];
	for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]) return i;
	return cumulative.length - 1;
}

export function cumulative(weights: readonly number[]): Float64Array {
	const out = new Float64Array(weights.length);
	let s = 0;
	for (let i = 0; i < weights.length; i++) {
		s += weights[i];
		out[i] = s;
	}
	return out;
}

/** Roles for every column: listed names get their role, the rest are features. */
export function rolesFor(
	names: string[],
	special: Record<string, ColumnRole>
): Record<string, ColumnRole> {
	const roles: Record<string, ColumnRole> = {};
	for (const name of names) roles[name] = special[name] ?? 'feature';
	return roles;
}

export function plural(n: number, word: string): string {
	return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}
