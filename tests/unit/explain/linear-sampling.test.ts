import { beforeAll, describe, expect, it } from 'vitest';
import {
	encodedMeans,
	explainArtifact,
	rowOutput,
	samplingShapley,
	type BatchPredict
} from '../../../src/lib/ml/explain';
import { categoricalColumn, makeFrame, numericColumn, type Frame } from '../../../src/lib/ml/frame';
import { createRng } from '../../../src/lib/ml/random';
import { neverCancelled, noProgress } from '../../../src/lib/ml/progress';
import { predictArtifact } from '../../../src/lib/ml/train';
import { fitFamily } from '../../../src/lib/ml/train/families';
import { featureDistributions } from '../../../src/lib/ml/train/fingerprint';
import type { ModelArtifact, Task } from '../../../src/lib/ml/train/types';
import { allRows, buildArtifact, tf, useCpu } from './helpers';

beforeAll(useCpu);

function smallData(
	n: number,
	withGaps: boolean
): { frame: Frame; y: Float64Array; yc: Float64Array } {
	const rng = createRng(9);
	const x = new Float64Array(n);
	const c: string[] = [];
	const y = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		x[i] = withGaps && i % 7 === 0 ? NaN : rng.uniform(0, 10);
		c.push(['red', 'green', 'blue'][i % 3 === 0 ? 0 : rng.int(3)]);
		y[i] =
			2 * (Number.isNaN(x[i]) ? 3 : x[i]) +
			(c[i] === 'red' ? 5 : c[i] === 'blue' ? -2 : 0) +
			rng.normal();
	}
	const yc = Float64Array.from(y, (v) => (v > 10 ? 1 : 0));
	return { frame: makeFrame([numericColumn('x', x), categoricalColumn('c', c)]), y, yc };
}

async function linearArtifact(frame: Frame, y: Float64Array, task: Task): Promise<ModelArtifact> {
	const rows = allRows(frame.nRows);
	const fitted = await fitFamily(
		'linear',
		frame,
		['x', 'c'],
		rows,
		y,
		{ task, nClasses: task === 'regression' ? 0 : 2 },
		{ alpha: 1, C: 1 },
		{ seed: 0, balanced: false, progress: noProgress, cancel: neverCancelled }
	);
	return {
		format: 'classlens-model',
		version: 1,
		task,
		target: 'y',
		derive: null,
		features: ['x', 'c'],
		classes: task === 'regression' ? null : ['0', '1'],
		pipeline: fitted.pipeline,
		model: fitted.model,
		residualQuantiles: null
	};
}

/** The model output (value, or log-odds of classes[1]) for each (x, c) pair. */
async function f(a: ModelArtifact, pairs: [number, string][]): Promise<number[]> {
	const frame = makeFrame([
		numericColumn(
			'x',
			pairs.map((p) => p[0])
		),
		categoricalColumn(
			'c',
			pairs.map((p) => p[1])
		)
	]);
	const pred = await predictArtifact(a, frame);
	if (!pred.proba) return Array.from(pred.values);
	return pairs.map((_, i) => {
		const p = pred.proba![i * 2 + 1];
		return Math.log(p / (1 - p));
	});
}

describe('linear SHAP by hand', () => {
	for (const task of ['regression', 'binary'] as const) {
		it(`${task}: φ_x = f(x, c) − f(x̄, c); φ_c = f(x, c) − Σ share·f(x, c′)`, async () => {
			const { frame, y, yc } = smallData(240, false);
			const a = await linearArtifact(frame, task === 'regression' ? y : yc, task);
			const dist = featureDistributions(frame, ['x', 'c'], allRows(frame.nRows));
			const xd = dist[0];
			const cd = dist[1];
			if (xd.kind !== 'numeric' || cd.kind !== 'categorical') throw new Error('kinds');
			const share = new Map(cd.categories.map((c) => [c.label, c.share]));
			const rows = Uint32Array.of(0, 1, 2, 17, 100);
			const attr = await explainArtifact(a, frame, rows, { distributions: dist });
			expect(attr.method).toBe('linear-shap');
			const xs = (frame.columns[0] as { values: Float64Array }).values;
			const col = frame.columns[1];
			if (col.kind !== 'categorical') throw new Error('kind');
			let base = 0;
			for (const [label, s] of share) base += s * (await f(a, [[xd.mean, label]]))[0];
			expect(attr.base[0]).toBeCloseTo(base, 9);
			for (let i = 0; i < rows.length; i++) {
				const x = xs[rows[i]];
				const c = col.dictionary[col.codes[rows[i]]];
				const [fx, fMean] = await f(a, [
					[x, c],
					[xd.mean, c]
				]);
				expect(attr.values[i * 2]).toBeCloseTo(fx - fMean, 9);
				let expected = 0;
				for (const [label, s] of share) expected += s * (await f(a, [[x, label]]))[0];
				expect(attr.values[i * 2 + 1]).toBeCloseTo(fx - expected, 9);
			}
		});
	}

	it('a missing indicator is centred on the training missing rate', async () => {
		const { frame, y } = smallData(210, true);
		const a = await linearArtifact(frame, y, 'regression');
		const step = a.pipeline!.steps[0];
		if (step.kind !== 'numeric' || !step.missingIndicator) throw new Error('expected an indicator');
		const dist = featureDistributions(frame, ['x', 'c'], allRows(frame.nRows));
		expect(dist[0].missingRate).toBeCloseTo(30 / 210, 12);
		const means = encodedMeans(a.pipeline!, dist);
		expect(Array.from(means.subarray(0, 2))).toEqual([0, dist[0].missingRate]);
		expect(means.subarray(2).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
		const model = a.model;
		if (model.family !== 'linear') throw new Error('family');
		const [wStd, wMissing] = model.coef[0];
		const attr = await explainArtifact(a, frame, Uint32Array.of(0), { distributions: dist });
		// Row 0 is missing: imputed to the median, and its indicator is on.
		const z = (step.median - step.mean) / step.std;
		expect(attr.values[0]).toBeCloseTo(
			wStd * Math.fround(z) + wMissing * (1 - dist[0].missingRate),
			6
		);
	});

	it('without distributions the explained rows are the reference, still additive', async () => {
		const b = await buildArtifact('linear', 'multiclass');
		const rows = allRows(60);
		const attr = await explainArtifact(b.artifact, b.frame, rows);
		const pred = await predictArtifact(b.artifact, b.frame, rows);
		for (let r = 0; r < 60; r++) {
			let z = 0;
			const e = [0, 1, 2].map((k) => Math.exp(rowOutput(attr, r, k)));
			z = e[0] + e[1] + e[2];
			for (let k = 0; k < 3; k++) expect(e[k] / z).toBeCloseTo(pred.proba![r * 3 + k], 9);
		}
	});
});

/** A plain-JS model over encoded rows, counting calls. */
function jsModel(fn: (z: Float32Array) => number): { predict: BatchPredict; calls: number[] } {
	const calls: number[] = [];
	return {
		calls,
		predict: async (X, n) => {
			calls.push(n);
			const p = X.length / n;
			return Float64Array.from({ length: n }, (_, i) => fn(X.subarray(i * p, (i + 1) * p)));
		}
	};
}

describe('sampling Shapley', () => {
	const spans = Int32Array.of(0, 1, 3, 4);
	const reference = Float32Array.of(1, 0, 0, 2);
	const X = Float32Array.of(3, 1, 0, 5, -1, 0, 1, 2, 0.5, 0, 1, -4);

	it('is exact for an additive model, whatever the permutations', async () => {
		const w = [2, -1, 3, 0.5];
		const m = jsModel((z) => 7 + z.reduce((s, v, c) => s + w[c] * v, 0));
		for (const seed of [1, 2]) {
			const r = await samplingShapley({
				predict: m.predict,
				nOutputs: 1,
				X,
				n: 3,
				nCols: 4,
				spans,
				reference,
				samples: 2,
				seed,
				rowKeys: [0, 1, 2]
			});
			expect(r.base[0]).toBe(7 + 2 * 1 + 0.5 * 2);
			for (let i = 0; i < 3; i++) {
				const x = X.subarray(i * 4, i * 4 + 4);
				expect(r.values[i * 3]).toBeCloseTo(w[0] * (x[0] - 1), 12);
				expect(r.values[i * 3 + 1]).toBeCloseTo(w[1] * x[1] + w[2] * x[2], 12);
				expect(r.values[i * 3 + 2]).toBeCloseTo(w[3] * (x[3] - 2), 12);
			}
		}
	});

	it('antithetic pairs split a two-way interaction exactly in half', async () => {
		const m = jsModel((z) => z[0] * z[3] + z[1]);
		const r = await samplingShapley({
			predict: m.predict,
			nOutputs: 1,
			X: Float32Array.of(2, 5, 0, 3),
			n: 1,
			nCols: 4,
			spans,
			reference: new Float32Array(4),
			samples: 2,
			seed: 0,
			rowKeys: [0]
		});
		expect(Array.from(r.values)).toEqual([3, 5, 3]);
		expect(r.base[0] + r.values.reduce((s, v) => s + v, 0)).toBe(r.output[0]);
	});

	it('converges on a three-way interaction', async () => {
		const m = jsModel((z) => z[0] * z[1] * z[3]);
		const r = await samplingShapley({
			predict: m.predict,
			nOutputs: 1,
			X: Float32Array.of(2, 3, 0, 4),
			n: 1,
			nCols: 4,
			spans: Int32Array.of(0, 1, 2, 3, 4),
			reference: new Float32Array(4),
			samples: 2000,
			seed: 4,
			rowKeys: [0]
		});
		// Exact: 24 / 3 for each of the three features in the product, 0 for the unused one.
		for (const j of [0, 1, 3]) expect(Math.abs(r.values[j] - 8)).toBeLessThan(0.6);
		expect(r.values[2]).toBe(0);
	});

	it('scores each row in one call, and a row does not depend on its batch', async () => {
		const fn = (z: Float32Array) => Math.tanh(z[0] * z[1]) + z[2] * z[3] * z[0];
		const whole = jsModel(fn);
		const args = { nOutputs: 1, nCols: 4, spans, reference, samples: 6, seed: 8 };
		const all = await samplingShapley({
			...args,
			predict: whole.predict,
			X,
			n: 3,
			rowKeys: [10, 11, 12]
		});
		expect(whole.calls).toEqual([1, 3 * (1 + 6 * 2)]);
		const split = jsModel(fn);
		const one = await samplingShapley({
			...args,
			predict: split.predict,
			X: X.subarray(4, 8),
			n: 1,
			rowKeys: [11],
			maxBatchRows: 1
		});
		expect(Array.from(one.values)).toEqual(Array.from(all.values.subarray(3, 6)));
		const tiny = jsModel(fn);
		await samplingShapley({
			...args,
			predict: tiny.predict,
			X,
			n: 3,
			rowKeys: [0, 1, 2],
			maxBatchRows: 1
		});
		expect(tiny.calls).toEqual([1, 13, 13, 13]);
	});
});

describe('network explanations', () => {
	it('are the same for the same seed and differ for another', async () => {
		const b = await buildArtifact('mlp', 'regression', 150);
		const rows = allRows(8);
		const opts = { distributions: b.distributions, tf, samples: 4 };
		const a1 = await explainArtifact(b.artifact, b.frame, rows, { ...opts, seed: 1 });
		const a2 = await explainArtifact(b.artifact, b.frame, rows, { ...opts, seed: 1 });
		const a3 = await explainArtifact(b.artifact, b.frame, rows, { ...opts, seed: 2 });
		expect(Array.from(a1.values)).toEqual(Array.from(a2.values));
		expect(Array.from(a1.values)).not.toEqual(Array.from(a3.values));
		// The base is the prediction for the typical (median / most common) student.
		const median = b.distributions.map((d) =>
			d.kind === 'numeric' ? d.quantiles[5] : d.categories[0].label
		);
		const typical = makeFrame(
			b.artifact.features.map((name, j) =>
				typeof median[j] === 'number'
					? numericColumn(name, [median[j] as number])
					: categoricalColumn(name, [median[j] as string])
			)
		);
		const p = await predictArtifact(b.artifact, typical, undefined, tf);
		expect(a1.base[0]).toBeCloseTo(p.values[0], 4);
	}, 30_000);
});
