/**
 * Prediction on raw (unbinned) data. All trees of a model are flattened once into shared node
 * arrays with absolute child indices; rows are gathered into a row-major Float64Array so each
 * row's features sit in one cache line while every tree is walked.
 */
import { MISSING_CODE, type Frame } from '../frame';
import { categoryRemap } from './binning';
import { sigmoid, softmaxRows } from './losses';
import type { TreeEnsemble } from './types';

export interface FlatForest {
	feature: Int32Array;
	threshold: Float64Array;
	left: Int32Array;
	right: Int32Array;
	defaultLeft: Uint8Array;
	value: Float64Array;
	catStart: Int32Array;
	catWords: Int32Array;
	catBits: Uint32Array;
	roots: Int32Array;
	treeOutput: Int32Array;
}

const flatCache = new WeakMap<TreeEnsemble, FlatForest>();

export function flatten(model: TreeEnsemble): FlatForest {
	const cached = flatCache.get(model);
	if (cached && cached.roots.length === model.trees.length) return cached;
	let nNodes = 0;
	let nBits = 0;
	for (const t of model.trees) {
		nNodes += t.feature.length;
		nBits += t.catBits.length;
	}
	const f: FlatForest = {
		feature: new Int32Array(nNodes),
		threshold: new Float64Array(nNodes),
		left: new Int32Array(nNodes),
		right: new Int32Array(nNodes),
		defaultLeft: new Uint8Array(nNodes),
		value: new Float64Array(nNodes),
		catStart: new Int32Array(nNodes),
		catWords: new Int32Array(nNodes),
		catBits: new Uint32Array(nBits),
		roots: new Int32Array(model.trees.length),
		treeOutput: Int32Array.from(model.treeOutput)
	};
	let off = 0;
	let bitOff = 0;
	model.trees.forEach((t, ti) => {
		f.roots[ti] = off;
		for (let i = 0; i < t.feature.length; i++) {
			const j = off + i;
			f.feature[j] = t.feature[i];
			f.threshold[j] = t.threshold[i];
			f.left[j] = t.left[i] + off;
			f.right[j] = t.right[i] + off;
			f.defaultLeft[j] = t.defaultLeft[i];
			f.value[j] = t.value[i];
			f.catStart[j] = t.catStart[i] < 0 ? -1 : t.catStart[i] + bitOff;
			f.catWords[j] = t.catWords[i];
		}
		f.catBits.set(t.catBits, bitOff);
		off += t.feature.length;
		bitOff += t.catBits.length;
	});
	flatCache.set(model, f);
	return f;
}

/**
 * Row-major feature matrix in model feature order: numbers as is (NaN = missing), categories as
 * training codes (NaN for missing or unseen). Columns are matched by name.
 */
export function featureMatrix(model: TreeEnsemble, frame: Frame): Float64Array {
	const F = model.features.length;
	const n = frame.nRows;
	const X = new Float64Array(n * F);
	model.features.forEach((info, j) => {
		const col = frame.columns.find((c) => c.name === info.name);
		if (!col) throw new RangeError(`The data has no column named "${info.name}".`);
		if (info.kind === 'numeric') {
			if (col.kind !== 'numeric') throw new TypeError(`Column "${col.name}" must be numeric.`);
			for (let i = 0; i < n; i++) X[i * F + j] = col.values[i];
			return;
		}
		if (col.kind !== 'categorical')
			throw new TypeError(`Column "${col.name}" must be categorical.`);
		const remap = categoryRemap(info.categories ?? [], col.dictionary);
		for (let i = 0; i < n; i++) {
			const c = col.codes[i];
			const t = c === MISSING_CODE || c >= remap.length ? -1 : remap[c];
			X[i * F + j] = t < 0 ? NaN : t;
		}
	});
	return X;
}

/** Leaf (absolute node index) reached by row `r` of X in the tree rooted at `root`. */
export function leafOf(
	ff: FlatForest,
	X: Float64Array,
	F: number,
	r: number,
	root: number
): number {
	const { feature, threshold, left, right, defaultLeft, catStart, catBits, catWords } = ff;
	let node = root;
	let f = feature[node];
	while (f >= 0) {
		const v = X[r * F + f];
		let goLeft: boolean;
		if (v !== v) goLeft = defaultLeft[node] === 1;
		else if (catStart[node] >= 0) {
			const w = v >>> 5;
			goLeft = w < catWords[node] && ((catBits[catStart[node] + w] >>> (v & 31)) & 1) === 1;
		} else goLeft = v <= threshold[node];
		node = goLeft ? left[node] : right[node];
		f = feature[node];
	}
	return node;
}

/** Raw scores (n × nOutputs, row-major), before the sigmoid/softmax. */
export function predictRawMatrix(model: TreeEnsemble, X: Float64Array, n: number): Float64Array {
	const ff = flatten(model);
	const F = model.features.length;
	const K = model.nOutputs;
	const out = new Float64Array(n * K);
	const { roots, treeOutput, value, feature, threshold, left, right, defaultLeft } = ff;
	const { catStart, catBits, catWords } = ff;
	const nTrees = roots.length;
	for (let r = 0; r < n; r++) for (let k = 0; k < K; k++) out[r * K + k] = model.baseScore[k];
	// Blocks of rows keep both the rows and the walked trees in cache.
	const BLOCK = 256;
	for (let r0 = 0; r0 < n; r0 += BLOCK) {
		const r1 = Math.min(n, r0 + BLOCK);
		for (let t = 0; t < nTrees; t++) {
			const root = roots[t];
			const o = treeOutput[t];
			for (let r = r0; r < r1; r++) {
				const base = r * F;
				let node = root;
				let f = feature[node];
				while (f >= 0) {
					const v = X[base + f];
					let goLeft: boolean;
					if (catStart[node] < 0)
						goLeft = v <= threshold[node] || (v !== v && defaultLeft[node] === 1);
					else if (v !== v) goLeft = defaultLeft[node] === 1;
					else {
						const w = v >>> 5;
						goLeft = w < catWords[node] && ((catBits[catStart[node] + w] >>> (v & 31)) & 1) === 1;
					}
					node = goLeft ? left[node] : right[node];
					f = feature[node];
				}
				out[r * K + o] += value[node];
			}
		}
	}
	return out;
}

export function predictRaw(model: TreeEnsemble, frame: Frame): Float64Array {
	return predictRawMatrix(model, featureMatrix(model, frame), frame.nRows);
}

/** Applies the model's output transform to raw scores (n × K). */
export function transformRaw(model: TreeEnsemble, raw: Float64Array, n: number): Float64Array {
	const K = model.nOutputs;
	switch (model.transform) {
		case 'identity':
			return raw;
		case 'sigmoid':
			return raw.map(sigmoid);
		case 'softmax': {
			const out = new Float64Array(n * K);
			softmaxRows(raw, out, n, K);
			return out;
		}
		case 'normalize': {
			const out = new Float64Array(n * K);
			for (let i = 0; i < n; i++) {
				let s = 0;
				for (let k = 0; k < K; k++) s += Math.max(0, raw[i * K + k]);
				for (let k = 0; k < K; k++)
					out[i * K + k] = s > 0 ? Math.max(0, raw[i * K + k]) / s : 1 / K;
			}
			return out;
		}
	}
}

/**
 * Predictions: regression values, P(class 1) for binary models (length n), or class
 * probabilities (n × K, row-major) for multiclass.
 */
export function predict(model: TreeEnsemble, frame: Frame): Float64Array {
	return transformRaw(model, predictRaw(model, frame), frame.nRows);
}
