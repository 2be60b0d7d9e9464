/**
 * The scenario simulator's question: "if this student's answers changed, which persona would
 * they belong to?" — nearest centre for k-means and Ward, membership probabilities for a
 * Gaussian mixture. Points are in the same prepared (standardised) units as the clustering.
 */
import { gmmPredictProba } from '../gmm';
import type { GmmResult } from '../types';

export interface NearestPersona {
	persona: number;
	/** Euclidean distance to each persona centre. */
	distances: Float64Array;
}

export function nearestPersona(
	centers: ArrayLike<number>,
	k: number,
	d: number,
	point: ArrayLike<number>
): NearestPersona {
	const distances = new Float64Array(k);
	let persona = 0;
	for (let c = 0; c < k; c++) {
		let s = 0;
		for (let j = 0; j < d; j++) {
			const g = point[j] - centers[c * d + j];
			s += g * g;
		}
		distances[c] = Math.sqrt(s);
		if (distances[c] < distances[persona]) persona = c;
	}
	return { persona, distances };
}

export interface GmmMembership {
	/** The most probable persona. */
	persona: number;
	/** Probability of each persona (sums to 1). */
	probabilities: Float64Array;
}

export function gmmMembership(
	result: Pick<GmmResult, 'k' | 'weights' | 'means' | 'covariances' | 'covariance'>,
	point: ArrayLike<number>
): GmmMembership {
	const probabilities = gmmPredictProba(result, point);
	let persona = 0;
	for (let c = 1; c < result.k; c++) if (probabilities[c] > probabilities[persona]) persona = c;
	return { persona, probabilities };
}
