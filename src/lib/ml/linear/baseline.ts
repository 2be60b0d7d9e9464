/**
 * The naive baseline every leaderboard shows: predict the training mean (regression) or the
 * training class frequencies (classification; the predicted class is the most frequent one).
 * A model that cannot beat it has learnt nothing from the features. Same behaviour as
 * scikit-learn's DummyRegressor(strategy='mean') and DummyClassifier(strategy='prior').
 */

export type BaselineModel =
	| { kind: 'mean'; mean: number }
	| {
			kind: 'prior';
			nClasses: number;
			/** Training class frequencies (sum to 1). */
			priors: Float64Array;
			/** Most frequent class; ties go to the lower index, as argmax does. */
			majority: number;
	  };

export function fitMeanBaseline(
	y: ArrayLike<number>,
	sampleWeight?: ArrayLike<number>
): BaselineModel {
	if (y.length === 0) throw new RangeError('A baseline needs at least one training row.');
	let s = 0;
	let w = 0;
	for (let i = 0; i < y.length; i++) {
		const wi = sampleWeight ? sampleWeight[i] : 1;
		s += wi * y[i];
		w += wi;
	}
	return { kind: 'mean', mean: s / w };
}

export function fitPriorBaseline(
	labels: ArrayLike<number>,
	nClasses: number,
	sampleWeight?: ArrayLike<number>
): BaselineModel {
	if (labels.length === 0) throw new RangeError('A baseline needs at least one training row.');
	const priors = new Float64Array(nClasses);
	let total = 0;
	for (let i = 0; i < labels.length; i++) {
		const c = labels[i];
		if (!(c >= 0 && c < nClasses))
			throw new RangeError(`Class ${c} is outside 0..${nClasses - 1}.`);
		const wi = sampleWeight ? sampleWeight[i] : 1;
		priors[c] += wi;
		total += wi;
	}
	let majority = 0;
	for (let c = 0; c < nClasses; c++) {
		priors[c] /= total;
		if (priors[c] > priors[majority]) majority = c;
	}
	return { kind: 'prior', nClasses, priors, majority };
}

/** Regression: the mean per row. Classification: the majority class per row. */
export function predictBaseline(model: BaselineModel, nRows: number): Float64Array {
	return new Float64Array(nRows).fill(model.kind === 'mean' ? model.mean : model.majority);
}

/**
 * Class probabilities per row in the metrics' shape: P(class 1) for two classes, n × K
 * otherwise (pass `full: true` for n × 2 with two classes too).
 */
export function predictBaselineProba(
	model: BaselineModel,
	nRows: number,
	full = false
): Float64Array {
	if (model.kind !== 'prior') throw new TypeError('A mean baseline has no class probabilities.');
	const K = model.nClasses;
	if (K === 2 && !full) return new Float64Array(nRows).fill(model.priors[1]);
	const out = new Float64Array(nRows * K);
	for (let i = 0; i < nRows; i++) out.set(model.priors, i * K);
	return out;
}
