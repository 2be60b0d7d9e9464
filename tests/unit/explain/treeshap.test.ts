/**
 * TreeSHAP against XGBoost's own pred_contribs (bench/make-explain-fixtures.py): the XGBoost
 * models are rebuilt as Classlens ensembles, so both sides explain the same trees.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainTrees, rowOutput } from '../../../src/lib/ml/explain';
import { makeFrame, numericColumn, type Frame } from '../../../src/lib/ml/frame';
import {
	predictRaw,
	shapValues,
	trainForest,
	trainGbdt,
	type Tree,
	type TreeEnsemble
} from '../../../src/lib/ml/gbdt';
import { allRows, classData, FEATURES } from './helpers';

interface XgbTree {
	left: number[];
	right: number[];
	feature: number[];
	condition: number[];
	defaultLeft: number[];
	value: number[];
	cover: number[];
}

interface XgbCase {
	name: string;
	objective: string;
	baseScore: number;
	nClass: number;
	treeInfo: number[];
	trees: XgbTree[];
	contribs: number[][] | number[][][];
	margin: number[] | number[][];
}

interface Fixture {
	columns: (number | null)[][];
	cases: XgbCase[];
}

const fixture = JSON.parse(
	readFileSync(
		fileURLToPath(new URL('../../fixtures/explain/xgboost-shap.json', import.meta.url)),
		'utf8'
	)
) as Fixture;

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The largest double below c: "x < c" (XGBoost) is then exactly "x ≤ t" (ours). */
function nextDown(c: number): number {
	if (c === 0) return -Number.MIN_VALUE;
	f64[0] = c;
	u64[0] += c > 0 ? -1n : 1n;
	return f64[0];
}

function toTree(t: XgbTree): Tree {
	const n = t.left.length;
	const leaf = (i: number) => t.left[i] === -1;
	return {
		feature: Int32Array.from({ length: n }, (_, i) => (leaf(i) ? -1 : t.feature[i])),
		threshold: Float64Array.from({ length: n }, (_, i) => (leaf(i) ? 0 : nextDown(t.condition[i]))),
		left: Int32Array.from(t.left),
		right: Int32Array.from(t.right),
		defaultLeft: Uint8Array.from(t.defaultLeft),
		value: Float64Array.from({ length: n }, (_, i) => (leaf(i) ? t.condition[i] : t.value[i])),
		cover: Float64Array.from(t.cover),
		gain: new Float64Array(n),
		catStart: new Int32Array(n).fill(-1),
		catWords: new Int32Array(n),
		catBits: new Uint32Array(0)
	};
}

function toEnsemble(c: XgbCase, F: number): TreeEnsemble {
	const K = Math.max(1, c.nClass);
	const logistic = c.objective === 'binary:logistic';
	const base = logistic ? Math.log(c.baseScore / (1 - c.baseScore)) : c.baseScore;
	return {
		kind: 'gbdt',
		loss: logistic ? 'binary_logloss' : K > 1 ? 'multiclass' : 'squared_error',
		transform: logistic ? 'sigmoid' : K > 1 ? 'softmax' : 'identity',
		nOutputs: K,
		baseScore: new Float64Array(K).fill(base),
		features: Array.from({ length: F }, (_, j) => ({ name: `x${j}`, kind: 'numeric' as const })),
		trees: c.trees.map(toTree),
		treeOutput: Int32Array.from(c.treeInfo),
		history: [],
		bestIteration: -1,
		lossParam: 0
	};
}

function testFrame(): Frame {
	return makeFrame(
		fixture.columns.map((col, j) =>
			numericColumn(
				`x${j}`,
				col.map((v) => (v === null ? NaN : v))
			)
		)
	);
}

describe('TreeSHAP matches XGBoost pred_contribs', () => {
	for (const c of fixture.cases) {
		it(c.name, () => {
			const frame = testFrame();
			const F = frame.columns.length;
			const model = toEnsemble(c, F);
			const n = frame.nRows;
			const K = model.nOutputs;
			const attr = explainTrees(model, frame, allRows(n));
			expect(attr.method).toBe('tree-shap');
			expect(attr.space).toBe(K > 1 || c.objective === 'binary:logistic' ? 'log-odds' : 'value');
			const raw = predictRaw(model, frame);
			let missing = 0;
			for (let r = 0; r < n; r++) {
				for (let k = 0; k < K; k++) {
					const want = (
						K > 1 ? (c.contribs as number[][][])[r][k] : (c.contribs as number[][])[r]
					) as number[];
					const margin = K > 1 ? (c.margin as number[][])[r][k] : (c.margin as number[])[r];
					// XGBoost sums in float32: agreement to ~1e-5 of the margin's size.
					const tol = 2e-5 * Math.max(1, Math.abs(margin));
					expect(Math.abs(raw[r * K + k] - margin)).toBeLessThan(tol);
					for (let j = 0; j < F; j++) {
						expect(Math.abs(attr.values[(r * F + j) * K + k] - want[j])).toBeLessThan(tol);
					}
					expect(Math.abs(attr.base[k] - want[F])).toBeLessThan(tol);
					expect(Math.abs(rowOutput(attr, r, k) - raw[r * K + k])).toBeLessThan(1e-9);
				}
			}
			for (const col of fixture.columns) missing += col.filter((v) => v === null).length;
			// The fixture exercises the missing-value routes.
			expect(missing).toBeGreaterThan(5);
		});
	}
});

describe('explainTrees and shapValues agree', () => {
	it('re-lays out shapValues for the requested rows and feature order', () => {
		const { frame, mark } = classData(300, 4);
		const model = trainGbdt(
			makeFrame(FEATURES.map((f) => frame.columns.find((c) => c.name === f)!)),
			mark,
			{ nRounds: 30, maxLeaves: 12, minSamplesLeaf: 5 }
		);
		const rows = Uint32Array.of(5, 0, 299, 5);
		const reversed = [...FEATURES].reverse();
		const attr = explainTrees(model, frame, rows, reversed);
		expect(attr.features).toEqual(reversed);
		const F = FEATURES.length;
		for (let i = 0; i < rows.length; i++) {
			const one = makeFrame(
				FEATURES.map((f) => {
					const c = frame.columns.find((x) => x.name === f)!;
					return c.kind === 'numeric'
						? { ...c, values: c.values.slice(rows[i], rows[i] + 1) }
						: { ...c, codes: c.codes.slice(rows[i], rows[i] + 1) };
				})
			);
			const phi = shapValues(model, one);
			for (let j = 0; j < F; j++) {
				const jr = reversed.indexOf(FEATURES[j]);
				expect(attr.values[i * F + jr]).toBe(phi[j]);
			}
			expect(attr.base[0]).toBe(phi[F]);
		}
	});

	it('a forest regression explains its value, a feature the model never uses gets zero', () => {
		const { frame, mark } = classData(200, 2);
		const x = makeFrame(FEATURES.map((f) => frame.columns.find((c) => c.name === f)!));
		const model = trainForest(x, mark, { task: 'regression', nTrees: 10, seed: 1 });
		const attr = explainTrees(model, frame, allRows(20), [...FEATURES, 'not_in_model']);
		expect(attr.space).toBe('value');
		const P = FEATURES.length + 1;
		const raw = predictRaw(model, frame);
		for (let r = 0; r < 20; r++) {
			expect(attr.values[r * P + P - 1]).toBe(0);
			expect(Math.abs(rowOutput(attr, r) - raw[r])).toBeLessThan(1e-9);
		}
	});
});
