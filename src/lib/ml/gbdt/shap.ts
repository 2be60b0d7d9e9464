/**
 * Exact TreeSHAP (Lundberg et al. 2018, Algorithm 2), ported from the shap library's C++ on flat
 * typed arrays: the path of each recursion level is a slice of one preallocated buffer. Node
 * weights are covers (hessian sums), as XGBoost's pred_contribs uses, so contributions plus the
 * expected value equal the raw margin exactly (up to rounding).
 */
import type { Frame } from '../frame';
import { featureMatrix } from './predict';
import type { Tree, TreeEnsemble } from './types';

interface PathBuf {
	feat: Int32Array;
	zero: Float64Array;
	one: Float64Array;
	pw: Float64Array;
}

function treeDepth(t: Tree, node = 0): number {
	if (t.feature[node] < 0) return 0;
	return 1 + Math.max(treeDepth(t, t.left[node]), treeDepth(t, t.right[node]));
}

function extend(p: PathBuf, o: number, d: number, zf: number, of: number, fi: number): void {
	p.feat[o + d] = fi;
	p.zero[o + d] = zf;
	p.one[o + d] = of;
	p.pw[o + d] = d === 0 ? 1 : 0;
	for (let i = d - 1; i >= 0; i--) {
		p.pw[o + i + 1] += (of * p.pw[o + i] * (i + 1)) / (d + 1);
		p.pw[o + i] = (zf * p.pw[o + i] * (d - i)) / (d + 1);
	}
}

function unwind(p: PathBuf, o: number, d: number, idx: number): void {
	const of = p.one[o + idx];
	const zf = p.zero[o + idx];
	let next = p.pw[o + d];
	for (let i = d - 1; i >= 0; i--) {
		if (of !== 0) {
			const tmp = p.pw[o + i];
			p.pw[o + i] = (next * (d + 1)) / ((i + 1) * of);
			next = tmp - (p.pw[o + i] * zf * (d - i)) / (d + 1);
		} else {
			p.pw[o + i] = (p.pw[o + i] * (d + 1)) / (zf * (d - i));
		}
	}
	for (let i = idx; i < d; i++) {
		p.feat[o + i] = p.feat[o + i + 1];
		p.zero[o + i] = p.zero[o + i + 1];
		p.one[o + i] = p.one[o + i + 1];
	}
}

function unwoundSum(p: PathBuf, o: number, d: number, idx: number): number {
	const of = p.one[o + idx];
	const zf = p.zero[o + idx];
	let next = p.pw[o + d];
	let total = 0;
	for (let i = d - 1; i >= 0; i--) {
		if (of !== 0) {
			const tmp = (next * (d + 1)) / ((i + 1) * of);
			total += tmp;
			next = p.pw[o + i] - tmp * zf * ((d - i) / (d + 1));
		} else {
			total += p.pw[o + i] / zf / ((d - i) / (d + 1));
		}
	}
	return total;
}

function goesLeft(t: Tree, node: number, v: number): boolean {
	if (v !== v) return t.defaultLeft[node] === 1;
	const cs = t.catStart[node];
	if (cs >= 0) {
		const w = v >>> 5;
		return w < t.catWords[node] && ((t.catBits[cs + w] >>> (v & 31)) & 1) === 1;
	}
	return v <= t.threshold[node];
}

function recurse(
	t: Tree,
	x: Float64Array,
	xOff: number,
	phi: Float64Array,
	phiOff: number,
	p: PathBuf,
	node: number,
	d: number,
	parentOff: number,
	pz: number,
	po: number,
	pf: number
): void {
	const o = parentOff + d + 1;
	for (let i = 0; i <= d; i++) {
		p.feat[o + i] = p.feat[parentOff + i];
		p.zero[o + i] = p.zero[parentOff + i];
		p.one[o + i] = p.one[parentOff + i];
		p.pw[o + i] = p.pw[parentOff + i];
	}
	extend(p, o, d, pz, po, pf);
	const f = t.feature[node];
	if (f < 0) {
		const v = t.value[node];
		for (let i = 1; i <= d; i++) {
			const w = unwoundSum(p, o, d, i);
			phi[phiOff + p.feat[o + i]] += w * (p.one[o + i] - p.zero[o + i]) * v;
		}
		return;
	}
	const left = goesLeft(t, node, x[xOff + f]);
	const hot = left ? t.left[node] : t.right[node];
	const cold = left ? t.right[node] : t.left[node];
	const w = t.cover[node];
	const hz = t.cover[hot] / w;
	const cz = t.cover[cold] / w;
	let iz = 1;
	let io = 1;
	let k = 0;
	for (; k <= d; k++) if (p.feat[o + k] === f) break;
	let dd = d;
	if (k !== d + 1) {
		iz = p.zero[o + k];
		io = p.one[o + k];
		unwind(p, o, d, k);
		dd -= 1;
	}
	recurse(t, x, xOff, phi, phiOff, p, hot, dd + 1, o, hz * iz, io, f);
	recurse(t, x, xOff, phi, phiOff, p, cold, dd + 1, o, cz * iz, 0, f);
}

/** Cover-weighted mean leaf value of a tree: its contribution to the expected value. */
export function treeExpectedValue(t: Tree): number {
	let s = 0;
	for (let i = 0; i < t.feature.length; i++) if (t.feature[i] < 0) s += t.value[i] * t.cover[i];
	return t.cover[0] > 0 ? s / t.cover[0] : 0;
}

/** Expected raw value per output (base score + cover-weighted tree means). */
export function expectedValue(model: TreeEnsemble): Float64Array {
	const out = Float64Array.from(model.baseScore);
	model.trees.forEach((t, i) => (out[model.treeOutput[i]] += treeExpectedValue(t)));
	return out;
}

/**
 * SHAP contributions on the raw margin: n × K × (F + 1), row-major; the last entry of each
 * (row, output) block is the expected value, so each block sums to the raw prediction.
 */
export function shapValues(model: TreeEnsemble, frame: Frame): Float64Array {
	const X = featureMatrix(model, frame);
	const n = frame.nRows;
	const F = model.features.length;
	const K = model.nOutputs;
	const out = new Float64Array(n * K * (F + 1));
	const ev = expectedValue(model);
	let maxDepth = 0;
	for (const t of model.trees) maxDepth = Math.max(maxDepth, treeDepth(t));
	const size = ((maxDepth + 2) * (maxDepth + 3)) / 2 + 1;
	const p: PathBuf = {
		feat: new Int32Array(size),
		zero: new Float64Array(size),
		one: new Float64Array(size),
		pw: new Float64Array(size)
	};
	for (let r = 0; r < n; r++) {
		for (let ti = 0; ti < model.trees.length; ti++) {
			const t = model.trees[ti];
			if (t.feature[0] < 0) continue;
			const phiOff = (r * K + model.treeOutput[ti]) * (F + 1);
			recurse(t, X, r * F, out, phiOff, p, 0, 0, 0, 1, 1, -1);
		}
		for (let k = 0; k < K; k++) out[(r * K + k) * (F + 1) + F] = ev[k];
	}
	return out;
}
