import { beforeAll, describe, expect, it } from 'vitest';
import { explainArtifact, rowOutput } from '../../../src/lib/ml/explain';
import type { Attributions } from '../../../src/lib/ml/explain/types';
import { takeRows, type Frame } from '../../../src/lib/ml/frame';
import { fromJson, predictRaw } from '../../../src/lib/ml/gbdt';
import { transform } from '../../../src/lib/ml/preprocess';
import { predictArtifact } from '../../../src/lib/ml/train';
import type { Family, ModelArtifact, Task } from '../../../src/lib/ml/train/types';
import { allRows, awkwardRows, buildArtifact, closeRel, tf, useCpu, type Built } from './helpers';

beforeAll(useCpu);

/** The model's own output in the attribution space, n × nOutputs. */
async function outputs(
	artifact: ModelArtifact,
	frame: Frame,
	rows: Uint32Array,
	attr: Attributions
): Promise<Float64Array> {
	const n = rows.length;
	const K = attr.nOutputs;
	const model = artifact.model;
	if (attr.space === 'log-odds') {
		if (model.family === 'gbdt' || model.family === 'rf') {
			return predictRaw(fromJson(model.ensemble), takeRows(frame, rows));
		}
		if (model.family !== 'linear') throw new Error('unexpected family');
		const m = transform(artifact.pipeline!, frame, rows);
		const out = new Float64Array(n * K);
		for (let i = 0; i < n; i++) {
			for (let k = 0; k < K; k++) {
				let e = model.intercept[k];
				for (let c = 0; c < m.nCols; c++) e += model.coef[k][c] * m.X[i * m.nCols + c];
				out[i * K + k] = e;
			}
		}
		return out;
	}
	const pred = await predictArtifact(artifact, frame, rows, tf);
	if (!pred.proba) return pred.values;
	if (K === 1) return Float64Array.from({ length: n }, (_, i) => pred.proba![i * 2 + 1]);
	return pred.proba;
}

async function expectAdditive(b: Built, frame: Frame, rows: Uint32Array): Promise<Attributions> {
	const attr = await explainArtifact(b.artifact, frame, rows, {
		distributions: b.distributions,
		tf,
		seed: 5,
		samples: 8
	});
	expect(attr.nRows).toBe(rows.length);
	expect(attr.features).toEqual(b.artifact.features);
	expect(attr.values.length).toBe(rows.length * attr.features.length * attr.nOutputs);
	expect(attr.values.every(Number.isFinite)).toBe(true);
	const want = await outputs(b.artifact, frame, rows, attr);
	for (let r = 0; r < rows.length; r++) {
		for (let k = 0; k < attr.nOutputs; k++) {
			const got = rowOutput(attr, r, k);
			const expected = want[r * attr.nOutputs + k];
			if (!closeRel(got, expected, 1e-6)) {
				throw new Error(`row ${r} output ${k}: ${got} ≠ ${expected} (${attr.method})`);
			}
		}
	}
	return attr;
}

const EXPECTED: Record<Family, Record<Task, [string, string, number]>> = {
	baseline: {
		regression: ['none', 'value', 1],
		binary: ['none', 'probability', 1],
		multiclass: ['none', 'probability', 3]
	},
	linear: {
		regression: ['linear-shap', 'value', 1],
		binary: ['linear-shap', 'log-odds', 1],
		multiclass: ['linear-shap', 'log-odds', 3]
	},
	rf: {
		regression: ['tree-shap', 'value', 1],
		binary: ['tree-shap', 'probability', 1],
		multiclass: ['tree-shap', 'probability', 3]
	},
	gbdt: {
		regression: ['tree-shap', 'value', 1],
		binary: ['tree-shap', 'log-odds', 1],
		multiclass: ['tree-shap', 'log-odds', 3]
	},
	mlp: {
		regression: ['sampling-shap', 'value', 1],
		binary: ['sampling-shap', 'probability', 1],
		multiclass: ['sampling-shap', 'probability', 3]
	}
};

describe('explainArtifact: base + Σ contributions = the model output, every family and task', () => {
	const families: Family[] = ['baseline', 'linear', 'rf', 'gbdt', 'mlp'];
	const tasks: Task[] = ['regression', 'binary', 'multiclass'];
	for (const family of families) {
		for (const task of tasks) {
			it(`${family} ${task}`, async () => {
				const b = await buildArtifact(family, task, family === 'mlp' ? 200 : 300);
				const rows = Uint32Array.from({ length: 40 }, (_, i) => (i * 7) % b.frame.nRows);
				const attr = await expectAdditive(b, b.frame, rows);
				const [method, space, nOutputs] = EXPECTED[family][task];
				expect([attr.method, attr.space, attr.nOutputs]).toEqual([method, space, nOutputs]);
				if (family === 'baseline') expect(attr.values.every((v) => v === 0)).toBe(true);
				else expect(attr.values.some((v) => v !== 0)).toBe(true);
				// Missing numbers, missing categories and categories never seen in training.
				const odd = awkwardRows(b.frame);
				await expectAdditive(b, odd, allRows(odd.nRows));
			}, 30_000);
		}
	}
});

describe('forest probabilities', () => {
	it('multiclass contributions sum to zero over the classes, base to one', async () => {
		const b = await buildArtifact('rf', 'multiclass');
		const attr = await explainArtifact(b.artifact, b.frame, allRows(50));
		const F = attr.features.length;
		expect(attr.base.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
		for (let r = 0; r < 50; r++) {
			for (let j = 0; j < F; j++) {
				let s = 0;
				for (let k = 0; k < 3; k++) s += attr.values[(r * F + j) * 3 + k];
				expect(Math.abs(s)).toBeLessThan(1e-12);
			}
		}
	});

	it('a binary forest explains P(classes[1]) with a base equal to its training share', async () => {
		const b = await buildArtifact('rf', 'binary');
		const attr = await explainArtifact(b.artifact, b.frame, allRows(10));
		// Bootstrap shares differ from the data's, but only by sampling noise.
		expect(attr.base[0]).toBeGreaterThan(0.5);
		expect(attr.base[0]).toBeLessThan(0.8);
	});
});
