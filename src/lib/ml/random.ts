/**
 * Seeded pseudo-random numbers. Every stochastic routine in Classlens takes a seed so that the
 * same seed gives the same numbers in Node, in the worker and in tests. mulberry32 is small,
 * fast and good enough for sampling and synthetic data (not for cryptography).
 */
export interface Rng {
	/** Uniform in [0, 1). */
	next(): number;
	/** Integer in [0, n). */
	int(n: number): number;
	/** Standard normal (Box–Muller). */
	normal(): number;
	/** Uniform in [a, b). */
	uniform(a: number, b: number): number;
	/** Picks an index with probability proportional to weights. */
	weighted(weights: ArrayLike<number>): number;
	/** Fisher–Yates in place. */
	shuffle<T>(xs: T[] | Uint32Array | Int32Array): void;
	/** An independent generator derived from this one (for parallel streams). */
	fork(): Rng;
}

export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Mixes an arbitrary number (or string) seed into 32 bits so nearby seeds diverge. */
export function hashSeed(seed: number | string): number {
	const s = String(seed);
	let h = 2166136261 >>> 0;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 16777619) >>> 0;
	}
	return h;
}

export function createRng(seed: number | string): Rng {
	const u = mulberry32(hashSeed(seed));
	let spare: number | null = null;
	const rng: Rng = {
		next: u,
		int: (n) => Math.floor(u() * n),
		uniform: (a, b) => a + (b - a) * u(),
		normal() {
			if (spare !== null) {
				const s = spare;
				spare = null;
				return s;
			}
			let r1 = u();
			while (r1 <= Number.EPSILON) r1 = u();
			const r2 = u();
			const mag = Math.sqrt(-2 * Math.log(r1));
			spare = mag * Math.sin(2 * Math.PI * r2);
			return mag * Math.cos(2 * Math.PI * r2);
		},
		weighted(weights) {
			let total = 0;
			for (let i = 0; i < weights.length; i++) total += weights[i];
			let x = u() * total;
			for (let i = 0; i < weights.length; i++) {
				x -= weights[i];
				if (x < 0) return i;
			}
			return weights.length - 1;
		},
		shuffle(xs) {
			for (let i = xs.length - 1; i > 0; i--) {
				const j = Math.floor(u() * (i + 1));
				const t = xs[i];
				xs[i] = xs[j];
				xs[j] = t;
			}
		},
		fork: () => createRng(Math.floor(u() * 4294967296))
	};
	return rng;
}
