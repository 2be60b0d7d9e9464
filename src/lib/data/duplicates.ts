/**
 * Exact duplicate rows, found by hashing each row column by column (typed-array loops, no row
 * objects or row strings) and then confirming candidates cell by cell, so a hash collision can
 * never report two different rows as copies.
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
	if (frame.columns.length === 0 || frame.nRows < 2) return [];
	const h = rowHashes(frame);
	const first = new Map<number, number>();
	const candidates = new Map<number, number[]>();
	for (let r = 0; r < frame.nRows; r++) {
		const prev = first.get(h[r]);
		if (prev === undefined) {
			first.set(h[r], r);
			continue;
		}
		const list = candidates.get(h[r]);
		if (list) list.push(r);
		else candidates.set(h[r], [prev, r]);
	}
	const groups: number[][] = [];
	for (const rows of candidates.values()) {
		// Rows sharing a hash may still form several groups of true copies.
		const left = rows.slice();
		while (left.length > 1) {
			const head = left[0];
			const same = [head];
			const rest: number[] = [];
			for (let i = 1; i < left.length; i++) {
				if (sameRow(frame, head, left[i])) same.push(left[i]);
				else rest.push(left[i]);
			}
			if (same.length > 1) groups.push(same);
			left.splice(0, left.length, ...rest);
		}
	}
	return groups.sort((a, b) => a[0] - b[0]);
}
