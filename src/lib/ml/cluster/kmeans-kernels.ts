/**
 * Squared-distance kernels specialised for each feature count from 1 to 16, with the same
 * summation order as the generic dist2/dist2Until in kmeans-matrix.ts (four features at a time
 * into two sums, u0² + u2² into s0 and u1² + u3² into s1, the rest into s0, then s0 + s1), so
 * they return bit-identical numbers. Fixed offsets let V8 drop the loop, the index arithmetic and
 * many bounds checks: about 1.6× faster than the generic loop in an assignment micro-benchmark
 * on 8 features (about 5 % on a whole k-means fit, where bounds and branches dominate).
 *
 * The functions were generated to one pattern; tests/unit/cluster/kmeans-kernels.test.ts checks
 * each against the generic loops, so a change to the summation order must change both.
 */
import { dist2, dist2Until } from './kmeans-matrix';

/** Squared distance from row a of A to row b of B (offsets in numbers, not rows). */
export type Dist2 = (A: Float64Array, a: number, B: Float64Array, b: number) => number;
/** As Dist2, but may stop once the partial sum exceeds limit (see dist2Until). */
export type Dist2Until = (
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
) => number;

export interface DistanceKernels {
	d: number;
	dist2: Dist2;
	dist2Until: Dist2Until;
}

function dist2d1(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const s0 = u0 * u0;
	return s0;
}

function dist2Untild1(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	_limit: number
): number {
	const u0 = A[a] - B[b];
	const s0 = u0 * u0;
	return s0;
}

function dist2d2(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	let s0 = u0 * u0;
	const u1 = A[a + 1] - B[b + 1];
	s0 += u1 * u1;
	return s0;
}

function dist2Untild2(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	_limit: number
): number {
	const u0 = A[a] - B[b];
	let s0 = u0 * u0;
	const u1 = A[a + 1] - B[b + 1];
	s0 += u1 * u1;
	return s0;
}

function dist2d3(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	let s0 = u0 * u0;
	const u1 = A[a + 1] - B[b + 1];
	s0 += u1 * u1;
	const u2 = A[a + 2] - B[b + 2];
	s0 += u2 * u2;
	return s0;
}

function dist2Untild3(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	_limit: number
): number {
	const u0 = A[a] - B[b];
	let s0 = u0 * u0;
	const u1 = A[a + 1] - B[b + 1];
	s0 += u1 * u1;
	const u2 = A[a + 2] - B[b + 2];
	s0 += u2 * u2;
	return s0;
}

function dist2d4(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	const s0 = u0 * u0 + u2 * u2;
	const s1 = u1 * u1 + u3 * u3;
	return s0 + s1;
}

function dist2Untild4(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	_limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	const s0 = u0 * u0 + u2 * u2;
	const s1 = u1 * u1 + u3 * u3;
	return s0 + s1;
}

function dist2d5(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	const s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	s0 += u4 * u4;
	return s0 + s1;
}

function dist2Untild5(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	const s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	s0 += u4 * u4;
	return s0 + s1;
}

function dist2d6(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	const s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	s0 += u4 * u4;
	const u5 = A[a + 5] - B[b + 5];
	s0 += u5 * u5;
	return s0 + s1;
}

function dist2Untild6(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	const s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	s0 += u4 * u4;
	const u5 = A[a + 5] - B[b + 5];
	s0 += u5 * u5;
	return s0 + s1;
}

function dist2d7(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	const s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	s0 += u4 * u4;
	const u5 = A[a + 5] - B[b + 5];
	s0 += u5 * u5;
	const u6 = A[a + 6] - B[b + 6];
	s0 += u6 * u6;
	return s0 + s1;
}

function dist2Untild7(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	const s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	s0 += u4 * u4;
	const u5 = A[a + 5] - B[b + 5];
	s0 += u5 * u5;
	const u6 = A[a + 6] - B[b + 6];
	s0 += u6 * u6;
	return s0 + s1;
}

function dist2d8(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	return s0 + s1;
}

function dist2Untild8(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	return s0 + s1;
}

function dist2d9(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	const u8 = A[a + 8] - B[b + 8];
	s0 += u8 * u8;
	return s0 + s1;
}

function dist2Untild9(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	if (s0 + s1 > limit) return s0 + s1;
	const u8 = A[a + 8] - B[b + 8];
	s0 += u8 * u8;
	return s0 + s1;
}

function dist2d10(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	const u8 = A[a + 8] - B[b + 8];
	s0 += u8 * u8;
	const u9 = A[a + 9] - B[b + 9];
	s0 += u9 * u9;
	return s0 + s1;
}

function dist2Untild10(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	if (s0 + s1 > limit) return s0 + s1;
	const u8 = A[a + 8] - B[b + 8];
	s0 += u8 * u8;
	const u9 = A[a + 9] - B[b + 9];
	s0 += u9 * u9;
	return s0 + s1;
}

function dist2d11(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	const u8 = A[a + 8] - B[b + 8];
	s0 += u8 * u8;
	const u9 = A[a + 9] - B[b + 9];
	s0 += u9 * u9;
	const u10 = A[a + 10] - B[b + 10];
	s0 += u10 * u10;
	return s0 + s1;
}

function dist2Untild11(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	if (s0 + s1 > limit) return s0 + s1;
	const u8 = A[a + 8] - B[b + 8];
	s0 += u8 * u8;
	const u9 = A[a + 9] - B[b + 9];
	s0 += u9 * u9;
	const u10 = A[a + 10] - B[b + 10];
	s0 += u10 * u10;
	return s0 + s1;
}

function dist2d12(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	const u8 = A[a + 8] - B[b + 8];
	const u9 = A[a + 9] - B[b + 9];
	const u10 = A[a + 10] - B[b + 10];
	const u11 = A[a + 11] - B[b + 11];
	s0 += u8 * u8 + u10 * u10;
	s1 += u9 * u9 + u11 * u11;
	return s0 + s1;
}

function dist2Untild12(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	if (s0 + s1 > limit) return s0 + s1;
	const u8 = A[a + 8] - B[b + 8];
	const u9 = A[a + 9] - B[b + 9];
	const u10 = A[a + 10] - B[b + 10];
	const u11 = A[a + 11] - B[b + 11];
	s0 += u8 * u8 + u10 * u10;
	s1 += u9 * u9 + u11 * u11;
	return s0 + s1;
}

function dist2d13(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	const u8 = A[a + 8] - B[b + 8];
	const u9 = A[a + 9] - B[b + 9];
	const u10 = A[a + 10] - B[b + 10];
	const u11 = A[a + 11] - B[b + 11];
	s0 += u8 * u8 + u10 * u10;
	s1 += u9 * u9 + u11 * u11;
	const u12 = A[a + 12] - B[b + 12];
	s0 += u12 * u12;
	return s0 + s1;
}

function dist2Untild13(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	if (s0 + s1 > limit) return s0 + s1;
	const u8 = A[a + 8] - B[b + 8];
	const u9 = A[a + 9] - B[b + 9];
	const u10 = A[a + 10] - B[b + 10];
	const u11 = A[a + 11] - B[b + 11];
	s0 += u8 * u8 + u10 * u10;
	s1 += u9 * u9 + u11 * u11;
	if (s0 + s1 > limit) return s0 + s1;
	const u12 = A[a + 12] - B[b + 12];
	s0 += u12 * u12;
	return s0 + s1;
}

function dist2d14(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	const u8 = A[a + 8] - B[b + 8];
	const u9 = A[a + 9] - B[b + 9];
	const u10 = A[a + 10] - B[b + 10];
	const u11 = A[a + 11] - B[b + 11];
	s0 += u8 * u8 + u10 * u10;
	s1 += u9 * u9 + u11 * u11;
	const u12 = A[a + 12] - B[b + 12];
	s0 += u12 * u12;
	const u13 = A[a + 13] - B[b + 13];
	s0 += u13 * u13;
	return s0 + s1;
}

function dist2Untild14(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	if (s0 + s1 > limit) return s0 + s1;
	const u8 = A[a + 8] - B[b + 8];
	const u9 = A[a + 9] - B[b + 9];
	const u10 = A[a + 10] - B[b + 10];
	const u11 = A[a + 11] - B[b + 11];
	s0 += u8 * u8 + u10 * u10;
	s1 += u9 * u9 + u11 * u11;
	if (s0 + s1 > limit) return s0 + s1;
	const u12 = A[a + 12] - B[b + 12];
	s0 += u12 * u12;
	const u13 = A[a + 13] - B[b + 13];
	s0 += u13 * u13;
	return s0 + s1;
}

function dist2d15(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	const u8 = A[a + 8] - B[b + 8];
	const u9 = A[a + 9] - B[b + 9];
	const u10 = A[a + 10] - B[b + 10];
	const u11 = A[a + 11] - B[b + 11];
	s0 += u8 * u8 + u10 * u10;
	s1 += u9 * u9 + u11 * u11;
	const u12 = A[a + 12] - B[b + 12];
	s0 += u12 * u12;
	const u13 = A[a + 13] - B[b + 13];
	s0 += u13 * u13;
	const u14 = A[a + 14] - B[b + 14];
	s0 += u14 * u14;
	return s0 + s1;
}

function dist2Untild15(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	if (s0 + s1 > limit) return s0 + s1;
	const u8 = A[a + 8] - B[b + 8];
	const u9 = A[a + 9] - B[b + 9];
	const u10 = A[a + 10] - B[b + 10];
	const u11 = A[a + 11] - B[b + 11];
	s0 += u8 * u8 + u10 * u10;
	s1 += u9 * u9 + u11 * u11;
	if (s0 + s1 > limit) return s0 + s1;
	const u12 = A[a + 12] - B[b + 12];
	s0 += u12 * u12;
	const u13 = A[a + 13] - B[b + 13];
	s0 += u13 * u13;
	const u14 = A[a + 14] - B[b + 14];
	s0 += u14 * u14;
	return s0 + s1;
}

function dist2d16(A: Float64Array, a: number, B: Float64Array, b: number): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	const u8 = A[a + 8] - B[b + 8];
	const u9 = A[a + 9] - B[b + 9];
	const u10 = A[a + 10] - B[b + 10];
	const u11 = A[a + 11] - B[b + 11];
	s0 += u8 * u8 + u10 * u10;
	s1 += u9 * u9 + u11 * u11;
	const u12 = A[a + 12] - B[b + 12];
	const u13 = A[a + 13] - B[b + 13];
	const u14 = A[a + 14] - B[b + 14];
	const u15 = A[a + 15] - B[b + 15];
	s0 += u12 * u12 + u14 * u14;
	s1 += u13 * u13 + u15 * u15;
	return s0 + s1;
}

function dist2Untild16(
	A: Float64Array,
	a: number,
	B: Float64Array,
	b: number,
	limit: number
): number {
	const u0 = A[a] - B[b];
	const u1 = A[a + 1] - B[b + 1];
	const u2 = A[a + 2] - B[b + 2];
	const u3 = A[a + 3] - B[b + 3];
	let s0 = u0 * u0 + u2 * u2;
	let s1 = u1 * u1 + u3 * u3;
	if (s0 + s1 > limit) return s0 + s1;
	const u4 = A[a + 4] - B[b + 4];
	const u5 = A[a + 5] - B[b + 5];
	const u6 = A[a + 6] - B[b + 6];
	const u7 = A[a + 7] - B[b + 7];
	s0 += u4 * u4 + u6 * u6;
	s1 += u5 * u5 + u7 * u7;
	if (s0 + s1 > limit) return s0 + s1;
	const u8 = A[a + 8] - B[b + 8];
	const u9 = A[a + 9] - B[b + 9];
	const u10 = A[a + 10] - B[b + 10];
	const u11 = A[a + 11] - B[b + 11];
	s0 += u8 * u8 + u10 * u10;
	s1 += u9 * u9 + u11 * u11;
	if (s0 + s1 > limit) return s0 + s1;
	const u12 = A[a + 12] - B[b + 12];
	const u13 = A[a + 13] - B[b + 13];
	const u14 = A[a + 14] - B[b + 14];
	const u15 = A[a + 15] - B[b + 15];
	s0 += u12 * u12 + u14 * u14;
	s1 += u13 * u13 + u15 * u15;
	return s0 + s1;
}

const SPECIALISED: [Dist2, Dist2Until][] = [
	[dist2d1, dist2Untild1],
	[dist2d2, dist2Untild2],
	[dist2d3, dist2Untild3],
	[dist2d4, dist2Untild4],
	[dist2d5, dist2Untild5],
	[dist2d6, dist2Untild6],
	[dist2d7, dist2Untild7],
	[dist2d8, dist2Untild8],
	[dist2d9, dist2Untild9],
	[dist2d10, dist2Untild10],
	[dist2d11, dist2Untild11],
	[dist2d12, dist2Untild12],
	[dist2d13, dist2Untild13],
	[dist2d14, dist2Untild14],
	[dist2d15, dist2Untild15],
	[dist2d16, dist2Untild16]
];

/** The kernels for d features: specialised up to 16, the generic loop beyond. */
export function distanceKernels(d: number): DistanceKernels {
	const s = d >= 1 && d <= 16 ? SPECIALISED[d - 1] : null;
	if (s) return { d, dist2: s[0], dist2Until: s[1] };
	return {
		d,
		dist2: (A, a, B, b) => dist2(A, a, B, b, d),
		dist2Until: (A, a, B, b, limit) => dist2Until(A, a, B, b, d, limit)
	};
}
