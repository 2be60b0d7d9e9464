/**
 * Held-out metrics against scikit-learn / XGBoost with identical settings
 * (bench/make-gbdt-fixtures.py). Binning and tie-breaking differ, so metrics must be close,
 * not equal.
 */
import { describe, expect, it } from 'vitest';
import { trainForest, trainGbdt, predict, type GbdtParams } from '$lib/ml/gbdt';
import { accuracy, logLoss, mae, predictedClasses, rmse } from '$lib/ml/metrics';
import { loadFixture, metric } from './fixtures';

const HGB: GbdtParams = {
	nRounds: 60,
	maxLeaves: 15,
	learningRate: 0.1,
	minSamplesLeaf: 20,
	lambda: 0,
	maxBins: 255,
	seed: 0
};

describe('gbdt vs scikit-learn HistGradientBoosting', () => {
	it('squared error: held-out RMSE within 5% of sklearn, and near XGBoost', () => {
		const { fx, train, test, yTrain, yTest } = loadFixture('regression');
		const m = trainGbdt(train, yTrain, HGB);
		const e = rmse(yTest, predict(m, test));
		expect(e).toBeLessThan(metric(fx, 'hgb_rmse') * 1.05);
		expect(e).toBeLessThan(metric(fx, 'xgb_rmse') * 1.05);
		const trainMse = m.history[m.history.length - 1].train;
		expect(trainMse).toBeLessThan(metric(fx, 'hgb_train_mse') * 1.1);
	});

	it('absolute error and quantile losses', () => {
		const { fx, train, test, yTrain, yTest } = loadFixture('regression');
		const ab = trainGbdt(train, yTrain, { ...HGB, loss: 'absolute_error' });
		expect(mae(yTest, predict(ab, test))).toBeLessThan(metric(fx, 'hgb_abs_mae') * 1.05);
		const q = trainGbdt(train, yTrain, { ...HGB, loss: 'quantile', lossParam: 0.9 });
		const p = predict(q, test);
		let pin = 0;
		let covered = 0;
		for (let i = 0; i < p.length; i++) {
			const r = yTest[i] - p[i];
			pin += Math.max(0.9 * r, -0.1 * r);
			covered += yTest[i] <= p[i] ? 1 : 0;
		}
		expect(pin / p.length).toBeLessThan(metric(fx, 'hgb_q90_pinball') * 1.08);
		expect(Math.abs(covered / p.length - metric(fx, 'hgb_q90_coverage'))).toBeLessThan(0.06);
	});

	it('missing values: RMSE within 5% of sklearn', () => {
		const { fx, train, test, yTrain, yTest } = loadFixture('regression-missing');
		const m = trainGbdt(train, yTrain, HGB);
		expect(rmse(yTest, predict(m, test))).toBeLessThan(metric(fx, 'hgb_rmse') * 1.05);
	});

	it('native categorical splits: RMSE within 5% of sklearn', () => {
		const { fx, train, test, yTrain, yTest } = loadFixture('regression-categorical');
		const m = trainGbdt(train, yTrain, HGB);
		expect(rmse(yTest, predict(m, test))).toBeLessThan(metric(fx, 'hgb_rmse') * 1.05);
	});

	it('binary log-loss', () => {
		const { fx, train, test, yTrain, yTest } = loadFixture('binary');
		const m = trainGbdt(train, yTrain, { ...HGB, loss: 'binary_logloss' });
		const p = predict(m, test);
		expect(logLoss(yTest, p, 2)).toBeLessThan(metric(fx, 'hgb_logloss') * 1.05);
		expect(accuracy(yTest, predictedClasses(p, p.length, 2))).toBeGreaterThan(
			metric(fx, 'hgb_accuracy') - 0.03
		);
	});

	it('multiclass softmax', () => {
		const { fx, train, test, yTrain, yTest } = loadFixture('multiclass');
		const m = trainGbdt(train, yTrain, { ...HGB, loss: 'multiclass' });
		const p = predict(m, test);
		expect(logLoss(yTest, p, 3)).toBeLessThan(metric(fx, 'hgb_logloss') * 1.05);
		expect(accuracy(yTest, predictedClasses(p, yTest.length, 3))).toBeGreaterThan(
			metric(fx, 'hgb_accuracy') - 0.03
		);
	});
});

describe('random forest vs scikit-learn RandomForest', () => {
	it('regression: RMSE and out-of-bag MSE close to sklearn', () => {
		const { fx, train, test, yTrain, yTest } = loadFixture('regression');
		const m = trainForest(train, yTrain, { task: 'regression', nTrees: 30, seed: 1 });
		expect(rmse(yTest, predict(m, test))).toBeLessThan(metric(fx, 'rf_rmse') * 1.05);
		expect(m.oobScore).toBeGreaterThan(metric(fx, 'rf_oob_mse') * 0.85);
		expect(m.oobScore).toBeLessThan(metric(fx, 'rf_oob_mse') * 1.15);
	});

	it('binary and multiclass accuracy close to sklearn', () => {
		const b = loadFixture('binary');
		const mb = trainForest(b.train, b.yTrain, { task: 'binary', nTrees: 30, seed: 1 });
		const pb = predict(mb, b.test);
		expect(accuracy(b.yTest, predictedClasses(pb, pb.length, 2))).toBeGreaterThan(
			metric(b.fx, 'rf_accuracy') - 0.03
		);
		expect(Math.abs((mb.oobScore ?? 1) - metric(b.fx, 'rf_oob_error'))).toBeLessThan(0.04);
		const k = loadFixture('multiclass');
		const mk = trainForest(k.train, k.yTrain, { task: 'multiclass', nTrees: 30, seed: 1 });
		const pk = predict(mk, k.test);
		expect(accuracy(k.yTest, predictedClasses(pk, k.yTest.length, 3))).toBeGreaterThan(
			metric(k.fx, 'rf_accuracy') - 0.05
		);
	});
});
