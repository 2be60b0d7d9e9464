/**
 * The WebAssembly SIMD engine of the k-means kernels (kmeans-kernels.ts), and the choice
 * between it and the TypeScript engine.
 *
 * One instance per fit: its memory holds a copy of the data and every array the kernels touch,
 * laid out by a bump allocator. The memory is sized once, up front, from the fit's shape,
 * because growing WebAssembly memory detaches every typed array already viewing it. A fit
 * that would need more than MAX_BYTES, or a runtime without WebAssembly SIMD (or one whose
 * content security policy blocks compiling it), runs on the TypeScript engine instead — same
 * results, slower.
 */
import { AppException } from '../../errors';
import {
	jsKernels,
	type AssignState,
	type HamerlyState,
	type KernelEngine,
	type KMeansKernels,
	type SeedCommit,
	type SeedStart,
	type SeedTrials
} from './kmeans-kernels';
import { summarize } from './kmeans-matrix';
import type { Matrix } from './types';
import { KMEANS_WASM_BASE64 } from './wasm/kmeans-wasm-bytes';

/** Largest memory a fit may ask for (WebAssembly's 32-bit memories stop at 4 GiB). */
const MAX_BYTES = 2 ** 31;
const PAGE = 65536;
const ALIGN = 16;

/**
 * The module's functions: of byte offsets and numbers, their parameters as listed in
 * kmeans-wat.mjs (seed_trials_L exists for the L in SEED_TRIALS only).
 */
type KernelFunctions = Record<string, ((...args: number[]) => number) | undefined>;

/** undefined: not tried yet; null: unavailable here. */
let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernels, or null where WebAssembly SIMD cannot run. Compiled once. */
function kernelModule(): WebAssembly.Module | null {
	if (compiled !== undefined) return compiled;
	compiled = null;
	try {
		if (typeof WebAssembly === 'object') {
			const bin = atob(KMEANS_WASM_BASE64);
			const bytes = new Uint8Array(bin.length);
			for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
			// validate() is false without SIMD support; compiling throws under a CSP without
			// 'wasm-unsafe-eval'. Either way the TypeScript engine takes over.
			if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
		}
	} catch {
		compiled = null;
	}
	return compiled;
}

/** Whether this runtime can run the WebAssembly engine. */
export function wasmKernelsAvailable(): boolean {
	return kernelModule() !== null;
}

/** What one fit needs to reserve: its shape and the seeding's number of local trials. */
export interface KernelPlan {
	k: number;
	localTrials: number;
	/** Seeding keeps n × k distances (for Elkan). */
	perCenter?: boolean;
}

/** Bytes one fit uses: the data, seeding's buffers, and the larger of a seeding round or a run. */
export function kernelBytes(n: number, d: number, plan: KernelPlan): number {
	const { k, localTrials: L } = plan;
	const small = (count: number) => count * 8 + ALIGN;
	const data = n * d * 8 + ALIGN;
	const seedBuffers =
		small(n) * 3 + small(L * n) + small(Math.max(L, 16)) + (plan.perCenter ? small(n * k) : 0);
	// A seeding round: potentials, sorted targets and the rows reaching them.
	const round = 3 * small(L);
	// A run: labels and two bounds per row; centres, next centres and sums; counts, drifts, halves.
	const run = 3 * small(n) + 3 * small(k * d) + 3 * small(k);
	return data + seedBuffers + Math.max(round, run, small(4 * d)) + PAGE;
}

export type KernelChoice = 'auto' | KernelEngine;

/**
 * Kernels for one fit on X: WebAssembly where it runs and the fit fits in memory ('auto'),
 * or the engine asked for ('wasm' is an error where it cannot run).
 */
export function createKernels(
	X: Matrix,
	plan: KernelPlan,
	choice: KernelChoice = 'auto'
): KMeansKernels {
	if (choice === 'js') return jsKernels(X);
	const kernels = wasmKernels(X, plan);
	if (kernels) return kernels;
	if (choice === 'wasm') {
		throw new AppException({
			code: 'cluster-no-wasm',
			message:
				'The WebAssembly k-means engine cannot run here (no WebAssembly SIMD, or the data is too large for it).'
		});
	}
	return jsKernels(X);
}

/** An instance with its memory, and how far into that memory earlier fits wrote. */
interface Pooled {
	exports: WebAssembly.Exports;
	memory: WebAssembly.Memory;
	dirty: number;
}

/**
 * The instance of the last finished fit, kept for the next one: fresh WebAssembly memory costs a
 * page fault per 4 KB on first touch, about 15 ms of a 190 ms fit at 200,000 × 8 (choosing k and
 * bootstrap stability run many fits in a row). Taking it empties the pool, so kernels in use
 * never share memory. Memories above POOL_MAX_BYTES are not kept, so a worker does not hold on
 * to hundreds of megabytes after clustering a very large file.
 */
let pooled: Pooled | null = null;
const POOL_MAX_BYTES = 128 * 2 ** 20;

function wasmKernels(X: Matrix, plan: KernelPlan): KMeansKernels | null {
	const module = kernelModule();
	const { n, d } = X;
	const bytes = kernelBytes(n, d, plan);
	if (!module || bytes > MAX_BYTES) return null;
	let inst = pooled;
	pooled = null;
	try {
		if (!inst) {
			const exports = new WebAssembly.Instance(module, {}).exports;
			inst = { exports, memory: exports.memory as WebAssembly.Memory, dirty: 0 };
		}
		const pages = Math.ceil(bytes / PAGE);
		const have = inst.memory.buffer.byteLength / PAGE;
		if (pages > have) inst.memory.grow(pages - have);
	} catch {
		return null; // out of memory for this size: the TypeScript engine needs no copy
	}
	const { exports } = inst;
	const buffer = (exports.memory as WebAssembly.Memory).buffer;
	const fns = exports as unknown as KernelFunctions;
	/** An exported kernel (a missing one is a build error: kmeans-wasm-bytes.ts is stale). */
	const fn = (name: string) => {
		const f = fns[name];
		if (!f) throw new Error(`k-means kernels: no export ${name}`);
		return f;
	};
	const ex = {
		moments: fn('moments'),
		seed_first: fn('seed_first'),
		seed_trials: fn('seed_trials'),
		sample: fn('sample'),
		seed_commit: fn('seed_commit'),
		hamerly_start: fn('hamerly_start'),
		assign_lloyd: fn('assign_lloyd'),
		assign_hamerly: fn('assign_hamerly'),
		inertia: fn('inertia')
	};
	const zero = new Uint8Array(buffer);
	let top = 0;
	// Memory above the high-water mark has never been written, so it is still zero.
	let highWater = inst.dirty;
	/** Byte offset of a new block, zeroed (like `new Float64Array`) unless asked not to be. */
	function take(byteLength: number, zeroed = true): number {
		const at = top;
		top = Math.ceil((top + byteLength) / ALIGN) * ALIGN;
		if (top > buffer.byteLength) throw new Error('k-means kernels: memory plan exceeded');
		if (zeroed && at < highWater) zero.fill(0, at, Math.min(top, highWater));
		if (top > highWater) highWater = top;
		return at;
	}
	const f64 = (length: number) => new Float64Array(buffer, take(length * 8), length);
	const i32 = (length: number) => new Int32Array(buffer, take(length * 4), length);
	// The data is copied over whatever was there.
	const data = new Float64Array(buffer, take(n * d * 8, false), n * d);
	data.set(X.data);
	const owner = inst;
	let released = false;
	const x = data.byteOffset;
	const rb = d * 8;
	const qb = (d - (d % 4)) * 8;
	const candidates = i32(Math.max(plan.localTrials, 16));
	function scope<T>(body: () => T): T {
		const mark = top;
		try {
			return body();
		} finally {
			top = mark;
		}
	}
	function ptr(a: Float64Array | Int32Array): number {
		if (a.buffer !== buffer) throw new Error('k-means kernels: array not from these kernels');
		return a.byteOffset;
	}
	return {
		engine: 'wasm',
		X: { data, n, d },
		release() {
			if (released) return;
			released = true;
			owner.dirty = highWater;
			if (buffer.byteLength <= POOL_MAX_BYTES) pooled = owner;
		},
		f64,
		i32,
		scope,
		summary: () =>
			scope(() => {
				// Σ t and Σ t² start at zero, both extremes at the first row.
				const out = f64(4 * d);
				out.set(data.subarray(0, d), 2 * d);
				out.set(data.subarray(0, d), 3 * d);
				if (!ex.moments(x, n, rb, ptr(out))) return null;
				const part = (j: number) => out.subarray(j * d, (j + 1) * d);
				return summarize({ s1: part(0), s2: part(1), lo: part(2), hi: part(3) }, n);
			}),
		seedFirst: (row, closest) => ex.seed_first(x, n, qb, rb, x + row * rb, ptr(closest)),
		seedTrials(t: SeedTrials) {
			const L = t.candidates.length;
			if (L > candidates.length) throw new Error('k-means kernels: too many trials');
			for (let i = 0; i < L; i++) candidates[i] = x + t.candidates[i] * rb;
			const fixed = fns[`seed_trials_${L}`];
			const [cand, closest, trial, pots] = [candidates, t.closest, t.trial, t.pots].map(ptr);
			if (fixed) fixed(x, n, qb, rb, cand, closest, trial, pots);
			else ex.seed_trials(x, n, qb, rb, L, cand, closest, trial, pots);
		},
		sample: (weights, targets, rows) =>
			ex.sample(ptr(weights), n, ptr(targets), targets.length, ptr(rows)),
		seedCommit: (c: SeedCommit) =>
			ex.seed_commit(
				n,
				c.k,
				c.c,
				ptr(c.trial) + c.win * n * 8,
				ptr(c.closest),
				ptr(c.second),
				ptr(c.nearest),
				c.perCenter ? ptr(c.perCenter) : 0,
				c.perCenter ? 1 : 0,
				ptr(c.targets),
				c.targets.length,
				ptr(c.rows)
			),
		hamerlyStart(s: HamerlyState, from: SeedStart) {
			ex.hamerly_start(
				x,
				n,
				rb,
				ptr(from.labels),
				ptr(from.closest),
				ptr(from.second),
				ptr(s.labels),
				ptr(s.upperNet),
				ptr(s.lowerNet),
				ptr(s.counts),
				ptr(s.sums)
			);
		},
		assignLloyd: (s: AssignState) =>
			ex.assign_lloyd(
				x,
				n,
				qb,
				rb,
				ptr(s.centers),
				s.k,
				ptr(s.labels),
				ptr(s.counts),
				ptr(s.sums)
			) !== 0,
		assignHamerly: (s: HamerlyState) =>
			ex.assign_hamerly(
				x,
				n,
				qb,
				rb,
				ptr(s.centers),
				s.k,
				ptr(s.labels),
				ptr(s.upperNet),
				ptr(s.lowerNet),
				ptr(s.cum),
				ptr(s.cumOther),
				ptr(s.s),
				s.margin,
				ptr(s.counts),
				ptr(s.sums),
				s.first ? 1 : 0
			) !== 0,
		inertia: (centers, labels) => ex.inertia(x, n, qb, rb, ptr(centers), ptr(labels))
	};
}
