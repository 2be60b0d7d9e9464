/**
 * Export of boosted models to XGBoost's JSON model format (checked against XGBoost 1.7 by
 * bench/compat-xgboost.ts), so an institution can load a Classlens model with XGBoost.
 * XGBoost sends x < split_condition left and works in float32, while we send x ≤ threshold left
 * in float64: the condition is the next float32 above the largest float32 ≤ threshold, which
 * routes every float32 input identically. Our base scores are folded into each output's first
 * tree so that XGBoost's single global base_score can stay neutral.
 * Not exported: categorical splits and random forests (their normalised outputs have no XGBoost
 * objective); both throw.
 */
import type { TreeEnsemble } from './types';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Smallest float32 strictly greater than the largest float32 ≤ t. */
export function xgbCondition(t: number): number {
	if (t === Infinity) return 3.4028234663852886e38;
	f32[0] = t;
	if (f32[0] > t) {
		// Rounded up: step down one float32.
		if (f32[0] > 0) u32[0]--;
		else if (f32[0] < 0) u32[0]++;
		else f32[0] = -1.401298464324817e-45;
	}
	// Step up one float32.
	if (f32[0] === 0) return 1.401298464324817e-45;
	if (f32[0] > 0) u32[0]++;
	else u32[0]--;
	return f32[0];
}

export interface XgbExportOptions {
	/** Feature names written into the model (default: the model's feature names). */
	featureNames?: string[];
}

/**
 * XGBoost's JSON reader distinguishes integers from floats ("Invalid cast, from Integer to
 * Number"), so float fields travel as tagged strings that toXgboostJson turns into numbers with
 * a decimal point.
 */
const FLOAT_TAG = '__f:';
function fl(v: number): string {
	const s = String(v);
	return FLOAT_TAG + (/[.eE]/.test(s) ? s : `${s}.0`);
}

/** XGBoost JSON model text, loadable with xgboost.Booster(model_file=...). */
export function toXgboostJson(model: TreeEnsemble, options: XgbExportOptions = {}): string {
	return JSON.stringify(xgboostModelObject(model, options)).replace(
		/"__f:([^"]+)"/g,
		(_m, num: string) => num
	);
}

function xgboostModelObject(model: TreeEnsemble, options: XgbExportOptions): object {
	if (model.kind !== 'gbdt') throw new TypeError('Only boosted models can be exported to XGBoost.');
	if (model.features.some((f) => f.kind !== 'numeric')) {
		throw new TypeError('Models with categorical features cannot be exported to XGBoost yet.');
	}
	const F = model.features.length;
	const K = model.nOutputs;
	const folded = new Uint8Array(K);
	const trees = model.trees.map((t, id) => {
		const k = model.treeOutput[id];
		const extra = folded[k] ? 0 : model.baseScore[k];
		folded[k] = 1;
		const n = t.feature.length;
		const parents = new Array<number>(n).fill(2147483647);
		for (let i = 0; i < n; i++) {
			if (t.feature[i] >= 0) parents[t.left[i]] = parents[t.right[i]] = i;
		}
		const leaf = (i: number) => t.feature[i] < 0;
		return {
			base_weights: Array.from(t.value, (v) => fl(v + extra)),
			categories: [],
			categories_nodes: [],
			categories_segments: [],
			categories_sizes: [],
			default_left: Array.from(t.defaultLeft),
			id,
			left_children: Array.from(t.left, (c, i) => (leaf(i) ? -1 : c)),
			loss_changes: Array.from(t.gain, fl),
			parents,
			right_children: Array.from(t.right, (c, i) => (leaf(i) ? -1 : c)),
			split_conditions: Array.from(t.feature, (f, i) =>
				fl(f < 0 ? t.value[i] + extra : xgbCondition(t.threshold[i]))
			),
			split_indices: Array.from(t.feature, (f) => Math.max(0, f)),
			split_type: new Array<number>(n).fill(0),
			sum_hessian: Array.from(t.cover, fl),
			tree_param: {
				num_deleted: '0',
				num_feature: String(F),
				num_nodes: String(n),
				size_leaf_vector: '0'
			}
		};
	});
	const objective =
		model.loss === 'binary_logloss'
			? { name: 'binary:logistic', reg_loss_param: { scale_pos_weight: '1' } }
			: model.loss === 'multiclass'
				? { name: 'multi:softprob', softmax_multiclass_param: { num_class: String(K) } }
				: // Every regression loss predicts the raw sum; only training differs.
					{ name: 'reg:squarederror', reg_loss_param: { scale_pos_weight: '1' } };
	const names = options.featureNames ?? model.features.map((f) => f.name);
	return {
		learner: {
			attributes: {},
			feature_names: names,
			feature_types: names.map(() => 'float'),
			gradient_booster: {
				model: {
					gbtree_model_param: {
						num_parallel_tree: '1',
						num_trees: String(trees.length),
						size_leaf_vector: '0'
					},
					tree_info: Array.from(model.treeOutput),
					trees
				},
				name: 'gbtree'
			},
			learner_model_param: {
				// 0.5 is margin 0 for binary:logistic; the others use base_score as the margin.
				base_score: model.loss === 'binary_logloss' ? '5E-1' : '0E0',
				boost_from_average: '0',
				num_class: K > 1 ? String(K) : '0',
				num_feature: String(F),
				num_target: '1'
			},
			objective
		},
		version: [1, 7, 4]
	};
}
