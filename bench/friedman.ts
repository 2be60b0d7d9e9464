/**
 * The benchmark data every GBDT benchmark uses (Node and the browser worker alike): Friedman's
 * #1 score over 20 uniform features (5 informative) plus N(0, 1) noise, from a fixed seed, so
 * every run and every runner trains on exactly the same numbers.
 */
import { createRng } from '../src/lib/ml/random';

export const FRIEDMAN_FEATURES = 20;

export function friedman(n: number): { cols: Float64Array[]; score: Float64Array } {
	const rng = createRng(2024);
	const cols = Array.from({ length: FRIEDMAN_FEATURES }, () => new Float64Array(n));
	const score = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < FRIEDMAN_FEATURES; j++) cols[j][i] = rng.next();
		const x = (j: number) => cols[j][i];
		score[i] =
			10 * Math.sin(Math.PI * x(0) * x(1)) +
			20 * (x(2) - 0.5) ** 2 +
			10 * x(3) +
			5 * x(4) +
			rng.normal();
	}
	return { cols, score };
}
