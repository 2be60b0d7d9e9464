/**
 * Two-component PCA for the persona map. The feature count is small (≤ a few dozen), so we
 * form the d × d covariance (divisor n − 1, as scikit-learn) and diagonalise it exactly with
 * cyclic Jacobi rotations: no iteration count to tune, and eigenvalues accurate to rounding,
 * so the explained-variance ratios equal scikit-learn's `PCA(2).explained_variance_ratio_`.
 *
 * Sign convention: each component's largest-magnitude loading is positive (the first such
 * feature on exact ties). Eigenvectors are only defined up to sign; fixing it by the loadings
 * (not by any one student's score) keeps the map from mirroring when a student is added.
 */
import type { Matrix } from './types';

export interface Pca2 {
	/** n × 2, row-major: each row's coordinates on the two components. */
	coords: Float64Array;
	/** 2 × d, row-major: unit-length component directions. */
	components: Float64Array;
	/** Share of the total variance along each component (0 when there is no variance). */
	explained: [number, number];
	/** Variance along each component (divisor n − 1). */
	variance: [number, number];
	/** Feature means (d). */
	mean: Float64Array;
}

/** Eigen-decomposition of a symmetric d × d matrix (row-major); values descending. */
export function symmetricEigen(
	a: Float64Array,
	d: number
): { values: Float64Array; vectors: Float64Array } {
	const A = Float64Array.from(a);
	// V's columns are the eigenvectors.
	const V = new Float64Array(d * d);
	for (let i = 0; i < d; i++) V[i * d + i] = 1;
	for (let sweep = 0; sweep < 100; sweep++) {
		let off = 0;
		let scale = 0;
		for (let p = 0; p < d; p++) {
			scale += A[p * d + p] * A[p * d + p];
			for (let q = p + 1; q < d; q++) off += A[p * d + q] * A[p * d + q];
		}
		if (off <= 1e-30 * scale || off === 0) break;
		for (let p = 0; p < d - 1; p++) {
			for (let q = p + 1; q < d; q++) {
				const apq = A[p * d + q];
				if (apq === 0) continue;
				const app = A[p * d + p];
				const aqq = A[q * d + q];
				// Rotation that zeroes A[p][q] (Golub & Van Loan, Algorithm 8.4.1).
				const theta = (aqq - app) / (2 * apq);
				const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
				const c = 1 / Math.sqrt(t * t + 1);
				const s = t * c;
				for (let k = 0; k < d; k++) {
					const akp = A[k * d + p];
					const akq = A[k * d + q];
					A[k * d + p] = c * akp - s * akq;
					A[k * d + q] = s * akp + c * akq;
				}
				for (let k = 0; k < d; k++) {
					const apk = A[p * d + k];
					const aqk = A[q * d + k];
					A[p * d + k] = c * apk - s * aqk;
					A[q * d + k] = s * apk + c * aqk;
				}
				for (let k = 0; k < d; k++) {
					const vkp = V[k * d + p];
					const vkq = V[k * d + q];
					V[k * d + p] = c * vkp - s * vkq;
					V[k * d + q] = s * vkp + c * vkq;
				}
			}
		}
	}
	const order = Array.from({ length: d }, (_, i) => i).sort(
		(i, j) => A[j * d + j] - A[i * d + i] || i - j
	);
	const values = new Float64Array(d);
	const vectors = new Float64Array(d * d);
	order.forEach((col, r) => {
		values[r] = A[col * d + col];
		for (let k = 0; k < d; k++) vectors[r * d + k] = V[k * d + col];
	});
	// Rows of `vectors` are the eigenvectors.
	return { values, vectors };
}

/** Flips v (length d, at offset o) so that its largest-magnitude entry is positive. */
function fixSign(v: Float64Array, o: number, d: number): void {
	let big = 0;
	for (let j = 1; j < d; j++) if (Math.abs(v[o + j]) > Math.abs(v[o + big])) big = j;
	if (v[o + big] < 0) for (let j = 0; j < d; j++) v[o + j] = -v[o + j] || 0;
}

export function pca2(X: Matrix): Pca2 {
	const { n, d, data } = X;
	const mean = new Float64Array(d);
	for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
	if (n > 0) for (let j = 0; j < d; j++) mean[j] /= n;
	const cov = new Float64Array(d * d);
	const c = new Float64Array(d);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < d; j++) c[j] = data[i * d + j] - mean[j];
		for (let a = 0; a < d; a++) {
			const ca = c[a];
			if (ca === 0) continue;
			for (let b = a; b < d; b++) cov[a * d + b] += ca * c[b];
		}
	}
	const div = Math.max(1, n - 1);
	for (let a = 0; a < d; a++) {
		for (let b = a; b < d; b++) {
			cov[a * d + b] /= div;
			cov[b * d + a] = cov[a * d + b];
		}
	}
	let total = 0;
	for (let a = 0; a < d; a++) total += cov[a * d + a];

	const components = new Float64Array(2 * d);
	const variance: [number, number] = [0, 0];
	if (d > 0) {
		const { values, vectors } = symmetricEigen(cov, d);
		for (let r = 0; r < Math.min(2, d); r++) {
			components.set(vectors.subarray(r * d, r * d + d), r * d);
			variance[r] = Math.max(0, values[r]);
			fixSign(components, r * d, d);
		}
	}
	const explained: [number, number] =
		total > 0 ? [variance[0] / total, variance[1] / total] : [0, 0];
	const coords = new Float64Array(n * 2);
	for (let i = 0; i < n; i++) {
		let x = 0;
		let y = 0;
		for (let j = 0; j < d; j++) {
			const v = data[i * d + j] - mean[j];
			x += v * components[j];
			y += v * components[d + j];
		}
		coords[2 * i] = x;
		coords[2 * i + 1] = y;
	}
	return { coords, components, explained, variance, mean };
}

/** Map coordinates of a new (prepared) row under a fitted PCA. */
export function project2(
	pca: Pick<Pca2, 'components' | 'mean'>,
	row: ArrayLike<number>
): [number, number] {
	const d = pca.mean.length;
	let x = 0;
	let y = 0;
	for (let j = 0; j < d; j++) {
		const v = row[j] - pca.mean[j];
		x += v * pca.components[j];
		y += v * pca.components[d + j];
	}
	return [x, y];
}
