import { describe, expect, it } from 'vitest';
import { categoricalColumn, makeFrame, numericColumn, type Frame } from '$lib/ml/frame';
import { CancelSource, CancelledError, type Progress } from '$lib/ml/progress';
import { createRng } from '$lib/ml/random';
import {
	binFrame,
	expectedValue,
	featureImportance,
	fitBinner,
	parseModel,
	predict,
	predictRaw,
	serializeModel,
	shapValues,
	trainForest,
	trainGbdt
} from '$lib/ml/gbdt';

function friedman(n: number, seed: number, missing = 0): { x: Frame; y: Float64Array } {
	const rng = createRng(seed);
	const cols = Array.from({ length: 5 }, () => new Float64Array(n));
	const y = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		for (const c of cols) c[i] = rng.next();
		const [a, b, c, d, e] = cols.map((col) => col[i]);
		y[i] = 10 * Math.sin(Math.PI * a * b) + 20 * (c - 0.5) ** 2 + 10 * d + 5 * e + rng.normal();
		for (const col of cols) if (rng.next() < missing) col[i] = NaN;
	}
	return { x: makeFrame(cols.map((c, j) => numericColumn(`f${j}`, c))), y };
}

describe('binning', () => {
	it('uses at most maxBins value bins plus a missing bin, monotone in the value', () => {
		const { x } = friedman(3000, 1, 0.1);
		const binner = fitBinner(x, 32);
		const binned = binFrame(binner, x);
		const col = x.columns[0];
		if (col.kind !== 'numeric') throw new Error();
		expect(binner.features[0].nBins).toBeLessThanOrEqual(32);
		const order = Array.from(col.values.keys()).filter((i) => !Number.isNaN(col.values[i]));
		order.sort((a, b) => col.values[a] - col.values[b]);
		for (let i = 1; i < order.length; i++) {
			expect(binned.bins[0][order[i]]).toBeGreaterThanOrEqual(binned.bins[0][order[i - 1]]);
		}
		for (let i = 0; i < x.nRows; i++) {
			if (Number.isNaN(col.values[i])) expect(binned.bins[0][i]).toBe(binned.missingBin[0]);
		}
	});

	it('keeps few distinct values exact (one bin each)', () => {
		const x = makeFrame([numericColumn('a', [3, 1, 2, 3, 1, 2, 5])]);
		const b = fitBinner(x);
		expect(b.features[0].nBins).toBe(4);
		expect(Array.from(binFrame(b, x).bins[0])).toEqual([2, 0, 1, 2, 0, 1, 3]);
	});
});

describe('gbdt invariants', () => {
	it('one tree on separable data is exact', () => {
		const n = 200;
		const a = new Float64Array(n);
		const y = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			a[i] = i;
			y[i] = i < 70 ? 3 : i < 150 ? -2 : 7;
		}
		const x = makeFrame([numericColumn('a', a)]);
		const m = trainGbdt(x, y, { nRounds: 1, learningRate: 1, maxLeaves: 3, minSamplesLeaf: 1 });
		const fit = predict(m, x);
		for (let i = 0; i < n; i++) expect(fit[i]).toBeCloseTo(y[i], 9);
	});

	it('more trees never increase training squared error', () => {
		const { x, y } = friedman(800, 2);
		const m = trainGbdt(x, y, { nRounds: 40, maxLeaves: 8 });
		for (let i = 1; i < m.history.length; i++) {
			expect(m.history[i].train).toBeLessThanOrEqual(m.history[i - 1].train + 1e-12);
		}
	});

	it('SHAP contributions plus expected value equal the raw margin', () => {
		const { x, y } = friedman(300, 3, 0.1);
		const cls = Float64Array.from(y, (v) => (v > 14 ? 1 : 0));
		for (const m of [
			trainGbdt(x, y, { nRounds: 20, maxLeaves: 12 }),
			trainGbdt(x, cls, { nRounds: 20, loss: 'binary_logloss' }),
			trainGbdt(
				x,
				Float64Array.from(y, (v) => (v > 17 ? 2 : v > 11 ? 1 : 0)),
				{
					nRounds: 10,
					loss: 'multiclass'
				}
			),
			trainForest(x, cls, { task: 'binary', nTrees: 5, seed: 4, maxDepth: 8 })
		]) {
			const raw = predictRaw(m, x);
			const phi = shapValues(m, x);
			const F = m.features.length;
			const K = m.nOutputs;
			const ev = expectedValue(m);
			for (let r = 0; r < 40; r++) {
				for (let k = 0; k < K; k++) {
					let s = 0;
					for (let j = 0; j <= F; j++) s += phi[(r * K + k) * (F + 1) + j];
					expect(phi[(r * K + k) * (F + 1) + F]).toBe(ev[k]);
					expect(Math.abs(s - raw[r * K + k])).toBeLessThan(1e-9);
				}
			}
		}
	});

	it('routes missing values the learned way', () => {
		// Missing a means "high y": the tree must send NaN with the high side.
		const n = 300;
		const a = new Float64Array(n);
		const y = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			a[i] = i % 3 === 0 ? NaN : i;
			y[i] = Number.isNaN(a[i]) || i > 200 ? 10 : 0;
		}
		const x = makeFrame([numericColumn('a', a)]);
		const m = trainGbdt(x, y, { nRounds: 1, learningRate: 1, maxLeaves: 2, minSamplesLeaf: 1 });
		const p = predict(m, makeFrame([numericColumn('a', [NaN, 10, 250])]));
		expect(p[0]).toBeCloseTo(10, 9);
		expect(p[1]).toBeCloseTo(0, 9);
		expect(p[2]).toBeCloseTo(10, 9);
		expect(m.trees[0].defaultLeft[0]).toBe(m.trees[0].threshold[0] > 200 ? 0 : 1);
	});

	it('splits categories natively, matching unseen levels to the missing side', () => {
		const n = 400;
		const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
		const effect: Record<string, number> = { a: 5, b: -3, c: 8, d: 5, e: 5, f: -3, g: 8 };
		const cat = Array.from({ length: n }, (_, i) => levels[i % levels.length]);
		const y = Float64Array.from(cat, (c) => effect[c]);
		const x = makeFrame([categoricalColumn('c', cat)]);
		const m = trainGbdt(x, y, { nRounds: 1, learningRate: 1, maxLeaves: 3, minSamplesLeaf: 1 });
		const fit = predict(m, x);
		for (let i = 0; i < n; i++) expect(fit[i]).toBeCloseTo(y[i], 9);
		// A scoring frame with another dictionary order still maps by text.
		const p = predict(m, makeFrame([categoricalColumn('c', ['g', 'b', 'zzz', null])]));
		expect(p[0]).toBeCloseTo(8, 9);
		expect(p[1]).toBeCloseTo(-3, 9);
		expect(p[2]).toBe(p[3]);
	});

	it('is reproducible: same seed, identical model JSON; other seed differs with subsampling', () => {
		const { x, y } = friedman(500, 5, 0.05);
		const params = { nRounds: 15, subsample: 0.7, colsampleByTree: 0.8, seed: 9 };
		const a = serializeModel(trainGbdt(x, y, params));
		expect(serializeModel(trainGbdt(x, y, params))).toBe(a);
		expect(serializeModel(trainGbdt(x, y, { ...params, seed: 10 }))).not.toBe(a);
		const f = { task: 'regression' as const, nTrees: 4, seed: 3 };
		expect(serializeModel(trainForest(x, y, f))).toBe(serializeModel(trainForest(x, y, f)));
	});

	it('round-trips through JSON with identical predictions', () => {
		const { x, y } = friedman(400, 6, 0.1);
		const m = trainGbdt(
			x,
			Float64Array.from(y, (v) => (v > 14 ? 1 : 0)),
			{
				nRounds: 10,
				loss: 'binary_logloss'
			}
		);
		const text = serializeModel(m);
		const back = parseModel(text);
		expect(serializeModel(back)).toBe(text);
		expect(Array.from(predict(back, x))).toEqual(Array.from(predict(m, x)));
		expect(() => parseModel('{"format":"other"}')).toThrow(TypeError);
	});

	it('early stopping keeps the best round; progress and cancel work per round', () => {
		const { x, y } = friedman(600, 7);
		const seen: Progress[] = [];
		const m = trainGbdt(
			x,
			y,
			{ nRounds: 400, learningRate: 0.5, earlyStopping: { patience: 5 } },
			{ progress: (p) => seen.push(p) }
		);
		expect(m.bestIteration).toBeGreaterThan(0);
		expect(m.history.length).toBeLessThan(400);
		expect(m.trees.length).toBe(m.bestIteration + 1);
		const v = m.history.map((h) => h.validation ?? Infinity);
		expect(Math.min(...v)).toBe(v[m.bestIteration]);
		expect(seen.at(-1)?.phase).toMatch(/round/);
		const cancel = new CancelSource();
		expect(() =>
			trainGbdt(
				x,
				y,
				{ nRounds: 50 },
				{ cancel, progress: (p) => p.fraction > 0.1 && cancel.cancel() }
			)
		).toThrow(CancelledError);
	});

	it('class weights shift binary predictions toward the weighted class', () => {
		const { x, y } = friedman(500, 8);
		const cls = Float64Array.from(y, (v) => (v > 18 ? 1 : 0));
		const plain = predict(trainGbdt(x, cls, { nRounds: 10, loss: 'binary_logloss' }), x);
		const weighted = predict(
			trainGbdt(x, cls, { nRounds: 10, loss: 'binary_logloss', classWeight: 'balanced' }),
			x
		);
		const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
		expect(mean(weighted)).toBeGreaterThan(mean(plain) + 0.05);
	});

	it('importance ranks informative features above noise', () => {
		const { x, y } = friedman(800, 9);
		const m = trainGbdt(x, y, { nRounds: 30 });
		const imp = featureImportance(m);
		const byName = Object.fromEntries(imp.map((f) => [f.name, f]));
		expect(byName.f3.gain).toBeGreaterThan(byName.f4.gain * 0.5);
		expect(imp.reduce((s, f) => s + f.gainShare, 0)).toBeCloseTo(1, 12);
		expect(imp.every((f) => f.splits >= 0)).toBe(true);
	});
});
