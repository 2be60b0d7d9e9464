/**
 * Limited-memory BFGS for smooth convex objectives (the regularised logistic loss). It needs
 * only gradients, so memory stays O(m·d) however many classes and features there are, where
 * Newton's method would need a (K·p)² Hessian.
 */

/** Writes the gradient at x into `grad` and returns the objective value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
	/** Stop when the largest gradient component is below this. */
	gradientTolerance?: number;
	maxIterations?: number;
	/** Correction pairs kept. */
	memory?: number;
	/** Called once per iteration; throw (e.g. CancelToken.throwIfCancelled) to stop. */
	onIteration?: (iteration: number, value: number) => void;
}

export interface LbfgsResult {
	x: Float64Array;
	value: number;
	iterations: number;
	converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += a[i] * b[i];
	return s;
}

function maxAbs(a: Float64Array): number {
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
	return m;
}

export function lbfgs(f: Objective, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
	const tol = opts.gradientTolerance ?? 1e-9;
	const maxIter = opts.maxIterations ?? 1000;
	const m = opts.memory ?? 10;
	const d = x0.length;
	let x = Float64Array.from(x0);
	let g = new Float64Array(d);
	let fx = f(x, g);
	const sHist: Float64Array[] = [];
	const yHist: Float64Array[] = [];
	const rhoHist: number[] = [];
	const dir = new Float64Array(d);
	const alpha = new Float64Array(m);
	let xNew = new Float64Array(d);
	let gNew = new Float64Array(d);
	let iter = 0;
	let stalled = 0;
	while (iter < maxIter) {
		if (maxAbs(g) <= tol) return { x, value: fx, iterations: iter, converged: true };
		iter++;
		opts.onIteration?.(iter, fx);
		// Two-loop recursion: dir = −H·g.
		for (let i = 0; i < d; i++) dir[i] = -g[i];
		const h = sHist.length;
		for (let j = h - 1; j >= 0; j--) {
			alpha[j] = rhoHist[j] * dot(sHist[j], dir);
			const yj = yHist[j];
			for (let i = 0; i < d; i++) dir[i] -= alpha[j] * yj[i];
		}
		// Initial Hessian scale sᵀy/yᵀy; before any pair, a step of unit length.
		const gamma = h
			? dot(sHist[h - 1], yHist[h - 1]) / dot(yHist[h - 1], yHist[h - 1])
			: 1 / Math.max(Math.sqrt(dot(g, g)), 1e-300);
		for (let i = 0; i < d; i++) dir[i] *= gamma;
		for (let j = 0; j < h; j++) {
			const beta = rhoHist[j] * dot(yHist[j], dir);
			const sj = sHist[j];
			for (let i = 0; i < d; i++) dir[i] += (alpha[j] - beta) * sj[i];
		}
		let slope = dot(g, dir);
		if (!(slope < 0)) {
			// Not a descent direction (round-off): restart from steepest descent.
			sHist.length = yHist.length = rhoHist.length = 0;
			for (let i = 0; i < d; i++) dir[i] = -g[i] / Math.max(Math.sqrt(dot(g, g)), 1e-300);
			slope = dot(g, dir);
		}
		// Backtracking with Armijo's condition; the convex objective makes step 1 usually right.
		// Near the optimum the objective's decrease drops below its round-off (a sum over
		// thousands of rows), so Armijo alone would backtrack forever. There the gradient is
		// still accurate, and a step is accepted when f has not risen beyond round-off and
		// the slope along the step is not uphill by more than it was downhill (the
		// "approximate Wolfe" test of Hager and Zhang's CG_DESCENT).
		let step = 1;
		let fNew = Infinity;
		let accepted = false;
		const noise = 1e-12 * Math.abs(fx);
		for (let ls = 0; ls < 30; ls++) {
			for (let i = 0; i < d; i++) xNew[i] = x[i] + step * dir[i];
			fNew = f(xNew, gNew);
			if (Number.isFinite(fNew)) {
				if (fNew <= fx + 1e-4 * step * slope) {
					accepted = true;
					break;
				}
				if (fNew <= fx + noise && dot(gNew, dir) <= -0.9998 * slope) {
					accepted = true;
					break;
				}
			}
			step *= 0.5;
		}
		if (!accepted) return { x, value: fx, iterations: iter, converged: maxAbs(g) <= tol * 100 };
		const s = new Float64Array(d);
		const y = new Float64Array(d);
		for (let i = 0; i < d; i++) {
			s[i] = xNew[i] - x[i];
			y[i] = gNew[i] - g[i];
		}
		const sy = dot(s, y);
		// Keep only pairs with positive curvature, so the implicit Hessian stays positive definite.
		if (sy > 1e-300) {
			if (sHist.length === m) {
				sHist.shift();
				yHist.shift();
				rhoHist.shift();
			}
			sHist.push(s);
			yHist.push(y);
			rhoHist.push(1 / sy);
		}
		const decrease = fx - fNew;
		[x, xNew] = [xNew, x];
		[g, gNew] = [gNew, g];
		fx = fNew;
		// Progress below round-off for several steps: as converged as float64 allows.
		stalled = decrease <= 1e-15 * Math.max(1, Math.abs(fx)) ? stalled + 1 : 0;
		if (stalled >= 5) return { x, value: fx, iterations: iter, converged: maxAbs(g) <= tol * 100 };
	}
	return { x, value: fx, iterations: iter, converged: maxAbs(g) <= tol };
}
