/**
 * Our own compact JSON for tree ensembles: per tree, one plain array per node field. Numbers
 * are written with JavaScript's shortest round-trip form, so parse(serialize(m)) predicts
 * bit-for-bit like m. Infinity thresholds (splits on "missing or not") are written as null.
 */
import type { FeatureInfo, GbdtLoss, OutputTransform, RoundLog, Tree, TreeEnsemble } from './types';

export const FORMAT = 'classlens-trees';
export const FORMAT_VERSION = 1;

export interface TreeJson {
	feature: number[];
	threshold: (number | null)[];
	left: number[];
	right: number[];
	defaultLeft: number[];
	value: number[];
	cover: number[];
	gain: number[];
	catStart: number[];
	catWords: number[];
	catBits: number[];
}

export interface EnsembleJson {
	format: typeof FORMAT;
	version: number;
	kind: 'gbdt' | 'rf';
	loss: GbdtLoss;
	transform: OutputTransform;
	nOutputs: number;
	baseScore: number[];
	features: FeatureInfo[];
	treeOutput: number[];
	trees: TreeJson[];
	history: RoundLog[];
	bestIteration: number;
	lossParam: number;
	oobScore?: number;
}

function treeToJson(t: Tree): TreeJson {
	return {
		feature: Array.from(t.feature),
		threshold: Array.from(t.threshold, (v) => (Number.isFinite(v) ? v : null)),
		left: Array.from(t.left),
		right: Array.from(t.right),
		defaultLeft: Array.from(t.defaultLeft),
		value: Array.from(t.value),
		cover: Array.from(t.cover),
		gain: Array.from(t.gain),
		catStart: Array.from(t.catStart),
		catWords: Array.from(t.catWords),
		catBits: Array.from(t.catBits)
	};
}

export function toJson(model: TreeEnsemble): EnsembleJson {
	const out: EnsembleJson = {
		format: FORMAT,
		version: FORMAT_VERSION,
		kind: model.kind,
		loss: model.loss,
		transform: model.transform,
		nOutputs: model.nOutputs,
		baseScore: Array.from(model.baseScore),
		features: model.features.map((f) =>
			f.categories ? { ...f, categories: f.categories.slice() } : { ...f }
		),
		treeOutput: Array.from(model.treeOutput),
		trees: model.trees.map(treeToJson),
		// Validation losses are undefined for rounds without a validation set; JSON drops them.
		history: model.history.map((h) => ({ ...h })),
		bestIteration: model.bestIteration,
		lossParam: model.lossParam
	};
	if (model.oobScore !== undefined) out.oobScore = model.oobScore;
	return out;
}

export function serializeModel(model: TreeEnsemble): string {
	return JSON.stringify(toJson(model));
}

function check(cond: boolean, what: string): void {
	if (!cond) throw new TypeError(`Not a Classlens tree model: ${what}.`);
}

function treeFromJson(j: TreeJson): Tree {
	const n = j.feature.length;
	for (const k of [
		'threshold',
		'left',
		'right',
		'defaultLeft',
		'value',
		'cover',
		'gain'
	] as const) {
		check(Array.isArray(j[k]) && j[k].length === n, `tree field ${k} has the wrong length`);
	}
	const t: Tree = {
		feature: Int32Array.from(j.feature),
		threshold: Float64Array.from(j.threshold, (v) => (v === null ? Infinity : v)),
		left: Int32Array.from(j.left),
		right: Int32Array.from(j.right),
		defaultLeft: Uint8Array.from(j.defaultLeft),
		value: Float64Array.from(j.value),
		cover: Float64Array.from(j.cover),
		gain: Float64Array.from(j.gain),
		catStart: Int32Array.from(j.catStart),
		catWords: Int32Array.from(j.catWords),
		catBits: Uint32Array.from(j.catBits)
	};
	for (let i = 0; i < n; i++) {
		if (t.feature[i] < 0) continue;
		check(t.left[i] > i && t.left[i] < n && t.right[i] > i && t.right[i] < n, 'bad child index');
	}
	return t;
}

export function fromJson(j: EnsembleJson): TreeEnsemble {
	check(j && j.format === FORMAT, 'unknown format');
	check(j.version === FORMAT_VERSION, `unsupported version ${String(j.version)}`);
	check(Array.isArray(j.trees) && j.trees.length === j.treeOutput.length, 'tree list');
	return {
		kind: j.kind,
		loss: j.loss,
		transform: j.transform,
		nOutputs: j.nOutputs,
		baseScore: Float64Array.from(j.baseScore),
		features: j.features.map((f) => ({ ...f })),
		trees: j.trees.map(treeFromJson),
		treeOutput: Int32Array.from(j.treeOutput),
		history: j.history.map((h) => ({ ...h })),
		bestIteration: j.bestIteration,
		lossParam: j.lossParam,
		oobScore: j.oobScore
	};
}

export function parseModel(text: string): TreeEnsemble {
	return fromJson(JSON.parse(text) as EnsembleJson);
}
