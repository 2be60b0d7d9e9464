/**
 * Exact duplicate rows, found by hashing each row column by column (typed-array loops, no row
 * objects or row strings) and then confirming candidates cell by cell, so a hash collision can
 * never report two different rows as copies.
 *
 * The hash-to-first-row lookup is a typed open-addressing table rather than a Map: a Map keyed by
 * a million 32-bit hashes boxes most of them as heap numbers and was most of the time spent here
 * (about 1 s of a million-row validation); the typed table allocates two arrays in all.
 */
import type { Frame } from '../ml/frame';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, x: number): number {
	h = Math.imul(h ^ x, 0x9e3779b1);
	return (h ^ (h >>> 15)) >>> 0;
}

function rowHashes(frame: Frame): Uint32Array {
	const h = new Uint32Array(frame.nRows).fill(0x811c9dc5);
	for (const c of frame.columns) {
		if (c.kind === 'numeric') {
			const v = c.values;
			for (let r = 0; r < v.length; r++) {
				const x = v[r];
				// All NaNs (missing) hash alike; -0 and 0 are the same value.
				f64[0] = x !== x ? NaN : x === 0 ? 0 : x;
				h[r] = mix(mix(h[r], u32[0]), u32[1]);
			}
		} else {
			const k = c.codes;
			for (let r = 0; r < k.length; r++) h[r] = mix(h[r], k[r]);
		}
	}
	return h;
}

function sameRow(frame: Frame, a: number, b: number): boolean {
	for (const c of frame.columns) {
		if (c.kind === 'numeric') {
			const x = c.values[a];
			const y = c.values[b];
			if (x !== y && !(x !== x && y !== y)) return false;
		} else if (c.codes[a] !== c.codes[b]) {
			return false;
		}
	}
	return true;
}

/** Groups (each of two or more frame rows, ascending) of rows identical in every column. */
export function findDuplicateRows(frame: Frame): number[][] {
	const nRows = frame.nRows;
	if (frame.columns.length === 0 || nRows < 2) return [];
	const h = rowHashes(frame);
	// Open addressing with linear probing, at most half full; a slot holds the first row seen
	// with its hash (or -1). The final mix spreads the hash again so that the low bits used as
	// the slot index depend on all of it.
	let size = 1;
	while (size < nRows * 2) size *= 2;
	const mask = size - 1;
	const table = new Int32Array(size).fill(-1);
	// Rows whose hash was already seen, and the first row with that hash: almost always few (the
	// real copies plus the rare collision), so plain arrays are fine here.
	const later: number[] = [];
	const firstOf: number[] = [];
	for (let r = 0; r < nRows; r++) {
		const hr = h[r];
		let slot = mix(hr, 0x27d4eb2f) & mask;
		let at = table[slot];
		while (at !== -1 && h[at] !== hr) {
			slot = (slot + 1) & mask;
			at = table[slot];
		}
		if (at === -1) {
			table[slot] = r;
		} else {
			later.push(r);
			firstOf.push(at);
		}
	}
	if (later.length === 0) return [];
	// Candidates by hash (keyed by the first row holding it), each list ascending because rows
	// were visited in order.
	const candidates = new Map<number, number[]>();
	for (let i = 0; i < later.length; i++) {
		const list = candidates.get(firstOf[i]);
		if (list) list.push(later[i]);
		else candidates.set(firstOf[i], [firstOf[i], later[i]]);
	}
	const groups: number[][] = [];
	for (const rows of candidates.values()) {
		// Rows sharing a hash may still form several groups of true copies.
		let left = rows;
		while (left.length > 1) {
			const head = left[0];
			const same = [head];
			const rest: number[] = [];
			for (let i = 1; i < left.length; i++) {
				if (sameRow(frame, head, left[i])) same.push(left[i]);
				else rest.push(left[i]);
			}
			if (same.length > 1) groups.push(same);
			left = rest;
		}
	}
	return groups.sort((a, b) => a[0] - b[0]);
}
