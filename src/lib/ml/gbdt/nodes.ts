/**
 * Growable node arrays of the tree being grown (one slot per node, no node objects); the
 * learner turns them into a trimmed Tree when growth ends.
 */
import { BITSET_WORDS } from './split';

export class NodeBuffer {
	cap = 0;
	n = 0;
	feature = new Int32Array(0);
	bin = new Int32Array(0);
	left = new Int32Array(0);
	right = new Int32Array(0);
	defaultLeft = new Uint8Array(0);
	sumG = new Float64Array(0);
	sumH = new Float64Array(0);
	gain = new Float64Array(0);
	start = new Int32Array(0);
	end = new Int32Array(0);
	binBits = new Uint32Array(0);

	reset(cap: number): void {
		this.n = 0;
		if (cap > this.cap) this.grow(cap);
	}

	add(): number {
		if (this.n === this.cap) this.grow(Math.max(16, this.cap * 2));
		const i = this.n++;
		this.feature[i] = -1;
		this.left[i] = -1;
		this.right[i] = -1;
		this.gain[i] = 0;
		this.defaultLeft[i] = 0;
		this.bin[i] = -1;
		return i;
	}

	private grow(cap: number): void {
		const copy = <T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(
			a: T,
			make: (n: number) => T,
			k = 1
		): T => {
			const b = make(cap * k);
			b.set(a.subarray(0, this.n * k));
			return b;
		};
		this.feature = copy(this.feature, (n) => new Int32Array(n));
		this.bin = copy(this.bin, (n) => new Int32Array(n));
		this.left = copy(this.left, (n) => new Int32Array(n));
		this.right = copy(this.right, (n) => new Int32Array(n));
		this.defaultLeft = copy(this.defaultLeft, (n) => new Uint8Array(n));
		this.sumG = copy(this.sumG, (n) => new Float64Array(n));
		this.sumH = copy(this.sumH, (n) => new Float64Array(n));
		this.gain = copy(this.gain, (n) => new Float64Array(n));
		this.start = copy(this.start, (n) => new Int32Array(n));
		this.end = copy(this.end, (n) => new Int32Array(n));
		this.binBits = copy(this.binBits, (n) => new Uint32Array(n), BITSET_WORDS);
		this.cap = cap;
	}
}
