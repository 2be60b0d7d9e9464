/**
 * Per-node histograms of gradient, hessian and row count. Layout: one Float64Array per node,
 * 3 slots per bin (g, h, count), features back to back at their offsets. Buffers come from a pool
 * so a tree allocates nothing per node; the larger child of a split is parent − smaller child.
 */

export class HistogramPool {
	readonly size: number;
	private _free: Float64Array[] = [];
	private _allocated = 0;
	readonly _cap: number;

	/** size = 3 × total bins; cap bounds memory for trees with many live leaves. */
	constructor(totalBins: number, cap: number) {
		this.size = totalBins * 3;
		this._cap = Math.max(2, cap);
	}

	/**
	 * A buffer with stale contents (the builder clears only the features it fills, which matters
	 * for deep forest trees whose nodes use a few features each), or null at the cap.
	 */
	acquire(): Float64Array | null {
		const h = this._free.pop();
		if (h) return h;
		if (this._allocated >= this._cap) return null;
		this._allocated++;
		return new Float64Array(this.size);
	}

	release(h: Float64Array | null): void {
		if (h) this._free.push(h);
	}
}

/**
 * Adds rows [start, end) of `rows` to the histogram for the listed features. `og`/`oh` hold
 * gradients already gathered in row-list order (ordered gradients), so only the bin read is
 * random access. With constHessian the hessian slot is left at zero and reconstructed from the
 * count when splits are scanned. Four features share one pass over the rows: their updates are
 * independent, which hides the latency of repeated adds to the same bin.
 */
export function buildHistogram(
	hist: Float64Array,
	bins: Uint8Array[],
	offsets: Int32Array,
	nBinsPlus: Int32Array,
	features: Int32Array,
	nFeatures: number,
	rows: Uint32Array,
	start: number,
	end: number,
	og: Float64Array,
	oh: Float64Array,
	constHessian: boolean,
	identityRows: boolean
): void {
	for (let fi = 0; fi < nFeatures; fi++) {
		const f = features[fi];
		hist.fill(0, offsets[f] * 3, (offsets[f] + nBinsPlus[f]) * 3);
	}
	let fi = 0;
	for (; fi + 4 <= nFeatures; fi += 4) {
		const f0 = features[fi];
		const f1 = features[fi + 1];
		const f2 = features[fi + 2];
		const f3 = features[fi + 3];
		const c0 = bins[f0];
		const c1 = bins[f1];
		const c2 = bins[f2];
		const c3 = bins[f3];
		const o0 = offsets[f0] * 3;
		const o1 = offsets[f1] * 3;
		const o2 = offsets[f2] * 3;
		const o3 = offsets[f3] * 3;
		if (constHessian) {
			if (identityRows) build4G(hist, c0, c1, c2, c3, o0, o1, o2, o3, end - start, og);
			else build4GRows(hist, c0, c1, c2, c3, o0, o1, o2, o3, rows, start, end, og);
		} else if (identityRows) {
			build4GH(hist, c0, c1, c2, c3, o0, o1, o2, o3, end - start, og, oh);
		} else build4GHRows(hist, c0, c1, c2, c3, o0, o1, o2, o3, rows, start, end, og, oh);
	}
	for (; fi < nFeatures; fi++) {
		const f = features[fi];
		const col = bins[f];
		const base = offsets[f] * 3;
		const n = end - start;
		for (let i = 0; i < n; i++) {
			const k = base + (identityRows ? col[i] : col[rows[start + i]]) * 3;
			hist[k] += og[i];
			if (!constHessian) hist[k + 1] += oh[i];
			hist[k + 2]++;
		}
	}
}

function build4G(
	hist: Float64Array,
	c0: Uint8Array,
	c1: Uint8Array,
	c2: Uint8Array,
	c3: Uint8Array,
	o0: number,
	o1: number,
	o2: number,
	o3: number,
	n: number,
	og: Float64Array
): void {
	for (let i = 0; i < n; i++) {
		const g = og[i];
		const k0 = o0 + c0[i] * 3;
		const k1 = o1 + c1[i] * 3;
		const k2 = o2 + c2[i] * 3;
		const k3 = o3 + c3[i] * 3;
		hist[k0] += g;
		hist[k0 + 2]++;
		hist[k1] += g;
		hist[k1 + 2]++;
		hist[k2] += g;
		hist[k2 + 2]++;
		hist[k3] += g;
		hist[k3 + 2]++;
	}
}

function build4GRows(
	hist: Float64Array,
	c0: Uint8Array,
	c1: Uint8Array,
	c2: Uint8Array,
	c3: Uint8Array,
	o0: number,
	o1: number,
	o2: number,
	o3: number,
	rows: Uint32Array,
	start: number,
	end: number,
	og: Float64Array
): void {
	const n = end - start;
	for (let i = 0; i < n; i++) {
		const r = rows[start + i];
		const g = og[i];
		const k0 = o0 + c0[r] * 3;
		const k1 = o1 + c1[r] * 3;
		const k2 = o2 + c2[r] * 3;
		const k3 = o3 + c3[r] * 3;
		hist[k0] += g;
		hist[k0 + 2]++;
		hist[k1] += g;
		hist[k1 + 2]++;
		hist[k2] += g;
		hist[k2 + 2]++;
		hist[k3] += g;
		hist[k3 + 2]++;
	}
}

function build4GH(
	hist: Float64Array,
	c0: Uint8Array,
	c1: Uint8Array,
	c2: Uint8Array,
	c3: Uint8Array,
	o0: number,
	o1: number,
	o2: number,
	o3: number,
	n: number,
	og: Float64Array,
	oh: Float64Array
): void {
	for (let i = 0; i < n; i++) {
		const g = og[i];
		const h = oh[i];
		const k0 = o0 + c0[i] * 3;
		const k1 = o1 + c1[i] * 3;
		const k2 = o2 + c2[i] * 3;
		const k3 = o3 + c3[i] * 3;
		hist[k0] += g;
		hist[k0 + 1] += h;
		hist[k0 + 2]++;
		hist[k1] += g;
		hist[k1 + 1] += h;
		hist[k1 + 2]++;
		hist[k2] += g;
		hist[k2 + 1] += h;
		hist[k2 + 2]++;
		hist[k3] += g;
		hist[k3 + 1] += h;
		hist[k3 + 2]++;
	}
}

function build4GHRows(
	hist: Float64Array,
	c0: Uint8Array,
	c1: Uint8Array,
	c2: Uint8Array,
	c3: Uint8Array,
	o0: number,
	o1: number,
	o2: number,
	o3: number,
	rows: Uint32Array,
	start: number,
	end: number,
	og: Float64Array,
	oh: Float64Array
): void {
	const n = end - start;
	for (let i = 0; i < n; i++) {
		const r = rows[start + i];
		const g = og[i];
		const h = oh[i];
		const k0 = o0 + c0[r] * 3;
		const k1 = o1 + c1[r] * 3;
		const k2 = o2 + c2[r] * 3;
		const k3 = o3 + c3[r] * 3;
		hist[k0] += g;
		hist[k0 + 1] += h;
		hist[k0 + 2]++;
		hist[k1] += g;
		hist[k1 + 1] += h;
		hist[k1 + 2]++;
		hist[k2] += g;
		hist[k2 + 1] += h;
		hist[k2 + 2]++;
		hist[k3] += g;
		hist[k3 + 1] += h;
		hist[k3 + 2]++;
	}
}

/** parent ← parent − child over the listed features (turns the parent into the sibling). */
export function subtractHistogram(
	parent: Float64Array,
	child: Float64Array,
	offsets: Int32Array,
	nBinsPlusMissing: Int32Array,
	features: Int32Array,
	nFeatures: number
): void {
	for (let fi = 0; fi < nFeatures; fi++) {
		const f = features[fi];
		const a = offsets[f] * 3;
		const b = a + nBinsPlusMissing[f] * 3;
		for (let k = a; k < b; k++) parent[k] -= child[k];
	}
}
