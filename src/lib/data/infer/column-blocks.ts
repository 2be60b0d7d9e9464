/**
 * The frame builder's storage: each column is filled block by block, so a million-row column
 * never has to be copied to grow, and a block once full is sealed (never written again) and can
 * be handed to storage as it is while the rest of the file is read. The first block starts small
 * and doubles, so a ten-row file stays small. finish() copies each column out whole, once.
 */

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U32 = new Uint32Array(0);

export class ColumnBlocks {
	/**
	 * The current block of every column, by column: numbers in `nums`, category codes in
	 * `codes`, and an empty array in the other list, so a hot loop sees one element kind each.
	 * The lists stay; their arrays are replaced as blocks fill.
	 */
	readonly nums: Float64Array[];
	readonly codes: Uint32Array[];
	/** Frame row of the current block's first row. */
	base = 0;
	/** Rows the current block holds. */
	cap: number;
	/** Sealed blocks by column, in order: rows [k * blockRows, (k + 1) * blockRows). */
	private sealed: (Float64Array | Uint32Array)[][];

	constructor(
		private readonly isCodes: readonly boolean[],
		private readonly blockRows: number
	) {
		this.cap = Math.min(1024, blockRows);
		this.nums = isCodes.map((c) => (c ? EMPTY_F64 : new Float64Array(this.cap)));
		this.codes = isCodes.map((c) => (c ? new Uint32Array(this.cap) : EMPTY_U32));
		this.sealed = isCodes.map(() => []);
	}

	/** Makes room for one more row once the current block is full: doubles it, or seals it. */
	grow(): void {
		const { nums, codes, isCodes } = this;
		if (this.cap === this.blockRows) {
			for (let j = 0; j < isCodes.length; j++) {
				if (isCodes[j]) {
					this.sealed[j].push(codes[j]);
					codes[j] = new Uint32Array(this.cap);
				} else {
					this.sealed[j].push(nums[j]);
					nums[j] = new Float64Array(this.cap);
				}
			}
			this.base += this.cap;
			return;
		}
		this.cap = Math.min(this.cap * 2, this.blockRows);
		// Column by column, so each old array is garbage as soon as it is copied rather than all
		// of them staying reachable until the last copy is made.
		for (let j = 0; j < isCodes.length; j++) {
			if (isCodes[j]) {
				const b = new Uint32Array(this.cap);
				b.set(codes[j]);
				codes[j] = b;
			} else {
				const b = new Float64Array(this.cap);
				b.set(nums[j]);
				nums[j] = b;
			}
		}
	}

	/** A new array of rows [start, end) of column j, where `filled` rows have been written. */
	gather(j: number, start: number, end: number, filled: number): Float64Array | Uint32Array {
		const current = this.isCodes[j] ? this.codes[j] : this.nums[j];
		const out = this.isCodes[j] ? new Uint32Array(end - start) : new Float64Array(end - start);
		const blocks = this.sealed[j];
		const size = this.blockRows;
		for (let at = start; at < end;) {
			const k = Math.floor(at / size);
			const from = k * size;
			const block = k < blocks.length ? blocks[k] : current;
			const upto = Math.min(end, k < blocks.length ? from + size : filled);
			out.set(block.subarray(at - from, upto - from), at - start);
			at = upto;
		}
		return out;
	}

	/**
	 * Rows [start, end) of every column. A sealed block asked for whole is shared rather than
	 * copied: nothing writes to it again.
	 */
	rows(start: number, end: number, filled: number): (Float64Array | Uint32Array)[] {
		const e = Math.max(start, Math.min(end, filled));
		const k = start / this.blockRows;
		if (Number.isInteger(k) && e - start === this.blockRows && k < (this.sealed[0]?.length ?? 0))
			return this.sealed.map((blocks) => blocks[k]);
		return this.isCodes.map((_, j) => this.gather(j, start, e, filled));
	}

	/** Column j whole, as one array; its blocks are let go. */
	take(j: number, filled: number): Float64Array | Uint32Array {
		const all = this.gather(j, 0, filled, filled);
		this.sealed[j] = [];
		if (this.isCodes[j]) this.codes[j] = EMPTY_U32;
		else this.nums[j] = EMPTY_F64;
		return all;
	}
}
