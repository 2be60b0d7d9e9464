/**
 * The scenario simulator's prediction: the class's active model scores the student with their
 * real values and with the changed ones, so the page can say what the change would mean.
 */
import type { ModelArtifact } from '../ml/train/types';
import { predictArtifact } from '../ml/train/predict';
import { isModelArtifact } from '../ml/train/model-file';
import { MISSING_CODE, makeFrame, type Column, type Frame } from '../ml/frame';
import type { DbPort, MlRuntime } from './api';
import type { ClusterStorePort } from './cluster-api';
import { humanise } from './cluster-dashboard';
import type { DatasetMeta } from './cluster-run';
import type { ScenarioRequest, ScenarioResult } from './cluster-types';

/** The active model's prediction with the scenario's values and with the real ones. */
export async function predictScenario(
	deps: { db: DbPort; store: ClusterStorePort; ml: () => Promise<MlRuntime> },
	ds: DatasetMeta,
	req: ScenarioRequest
): Promise<{ prediction: ScenarioResult['prediction']; note: string | null }> {
	if (!ds.target)
		return {
			prediction: null,
			note: 'This class has no outcome column, so there is no prediction.'
		};
	const model = await deps.store.getActiveModel(ds.id, ds.target);
	if (!model) {
		return {
			prediction: null,
			note: `Train a model for ${humanise(ds.target).toLowerCase()} to see a predicted score here too.`
		};
	}
	if (!isModelArtifact(model.artifact)) {
		return {
			prediction: null,
			note: 'The active model was saved by an earlier version of Classlens; train it again to see predictions here.'
		};
	}
	const artifact = model.artifact as ModelArtifact;
	const names = new Set(ds.columns.map((c) => c.name));
	const need = artifact.features.filter((f) => names.has(f));
	if (need.length < artifact.features.length) {
		return { prediction: null, note: 'The active model needs columns this class no longer has.' };
	}
	const real = await deps.db.loadFrame(ds.id, { columns: need, rows: [req.row, req.row + 1] });
	const changed = makeFrame(
		real.columns.map((c): Column => {
			if (!(c.name in req.values)) return c;
			const v = req.values[c.name];
			if (c.kind === 'numeric') {
				const n = typeof v === 'number' ? v : Number(v);
				return { ...c, values: Float64Array.of(Number.isFinite(n) ? n : NaN) };
			}
			const code = c.dictionary.indexOf(String(v));
			return { ...c, codes: Uint32Array.of(code >= 0 ? code : MISSING_CODE) };
		})
	);
	const tf = artifact.model.family === 'mlp' ? (await deps.ml()).tf : undefined;
	const both = concatRows(real, changed);
	const p = await predictArtifact(artifact, both, undefined, tf);
	const show = (i: number) =>
		p.classes ? (p.classes[p.values[i]] ?? String(p.values[i])) : p.values[i].toFixed(1);
	const range =
		p.lower && p.upper
			? `${p.lower[1].toFixed(0)}–${p.upper[1].toFixed(0)}`
			: p.proba && p.classes
				? `${Math.round(100 * p.proba[p.classes.length + p.values[1]])}% likely`
				: null;
	return {
		prediction: { model: model.name, target: ds.target, value: show(1), before: show(0), range },
		note: null
	};
}

/** Two one-row frames with the same columns as one two-row frame. */
function concatRows(a: Frame, b: Frame): Frame {
	return makeFrame(
		a.columns.map((c, j): Column => {
			const o = b.columns[j];
			if (c.kind === 'numeric' && o.kind === 'numeric') {
				return { ...c, values: Float64Array.of(c.values[0], o.values[0]) };
			}
			if (c.kind === 'categorical' && o.kind === 'categorical') {
				return { ...c, codes: Uint32Array.of(c.codes[0], o.codes[0]) };
			}
			throw new TypeError(`Column ${c.name} changed kind.`);
		})
	);
}
