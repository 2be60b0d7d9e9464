"""Reference results from scikit-learn and XGBoost for tests/unit/gbdt/.

Run with Debian's python3 (apt-get install python3-sklearn python3-xgboost):
    /usr/bin/python3 bench/make-gbdt-fixtures.py
Writes tests/fixtures/gbdt/*.json: small seeded datasets (train and test parts, values rounded
to 6 decimals so the JSON stays small and both sides see identical numbers) plus held-out
metrics of reference models trained with the same settings as the tests use. Our binning and
tie-breaking differ, so tests compare metrics within a tolerance, never predictions exactly.
"""
import json
import os

import numpy as np
import sklearn
import xgboost as xgb
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.metrics import accuracy_score, log_loss, mean_absolute_error, mean_squared_error

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "gbdt")
N_TRAIN, N_TEST = 1200, 400
HGB = dict(max_iter=60, max_leaf_nodes=15, learning_rate=0.1, min_samples_leaf=20,
           max_bins=255, early_stopping=False, l2_regularization=0.0, random_state=0)


def friedman(rng, n, noise=1.0):
    X = rng.random((n, 6))
    y = (10 * np.sin(np.pi * X[:, 0] * X[:, 1]) + 20 * (X[:, 2] - 0.5) ** 2
         + 10 * X[:, 3] + 5 * X[:, 4] + noise * rng.normal(size=n))
    return np.round(X, 6), np.round(y, 6)


def rmse(a, b):
    return float(np.sqrt(mean_squared_error(a, b)))


def dump(name, X, y, extra, cat=None):
    n = N_TRAIN
    data = {
        "sklearn": sklearn.__version__,
        "xgboost": xgb.__version__,
        "columns": [[None if np.isnan(v) else float(v) for v in X[:, j]] for j in range(X.shape[1])],
        "categorical": cat or [],
        "y": [float(v) for v in y],
        "nTrain": n,
        **extra,
    }
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(data, f, separators=(",", ":"))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(42)
    n = N_TRAIN

    # Regression, squared / absolute / quantile loss, plus XGBoost hist and a random forest.
    X, y = friedman(rng, N_TRAIN + N_TEST)
    Xtr, Xte, ytr, yte = X[:n], X[n:], y[:n], y[n:]
    sq = HistGradientBoostingRegressor(**HGB).fit(Xtr, ytr)
    ab = HistGradientBoostingRegressor(loss="absolute_error", **HGB).fit(Xtr, ytr)
    qu = HistGradientBoostingRegressor(loss="quantile", quantile=0.9, **HGB).fit(Xtr, ytr)
    pq = qu.predict(Xte)
    bx = xgb.train(dict(tree_method="hist", max_leaves=15, grow_policy="lossguide", max_depth=0,
                        eta=0.1, max_bin=256, nthread=1, reg_lambda=0.0, min_child_weight=1e-3),
                   xgb.DMatrix(Xtr, ytr), 60)
    rf = RandomForestRegressor(n_estimators=60, random_state=0, oob_score=True, n_jobs=1).fit(Xtr, ytr)
    dump("regression", X, y, {
        "hgb_rmse": rmse(yte, sq.predict(Xte)),
        "hgb_train_mse": float(mean_squared_error(ytr, sq.predict(Xtr))),
        "hgb_abs_mae": float(mean_absolute_error(yte, ab.predict(Xte))),
        "hgb_q90_pinball": float(np.mean(np.maximum(0.9 * (yte - pq), (0.9 - 1) * (yte - pq)))),
        "hgb_q90_coverage": float(np.mean(yte <= pq)),
        "xgb_rmse": rmse(yte, bx.predict(xgb.DMatrix(Xte))),
        "rf_rmse": rmse(yte, rf.predict(Xte)),
        "rf_oob_mse": float(mean_squared_error(ytr, rf.oob_prediction_)),
    })

    # Regression with 15% missing values in the informative features.
    Xm = X.copy()
    mask = rng.random(Xm.shape) < 0.15
    mask[:, 5] = False
    Xm[mask] = np.nan
    sqm = HistGradientBoostingRegressor(**HGB).fit(Xm[:n], ytr)
    dump("regression-missing", Xm, y, {"hgb_rmse": rmse(yte, sqm.predict(Xm[n:]))})

    # Regression with a categorical feature (8 levels, effect not monotone in the code).
    Xc, yc = friedman(rng, N_TRAIN + N_TEST)
    level = rng.integers(0, 8, size=N_TRAIN + N_TEST)
    effect = np.array([0, 6, -4, 9, 2, -7, 5, -1])
    yc = np.round(yc + effect[level], 6)
    Xc[:, 5] = level
    sqc = HistGradientBoostingRegressor(categorical_features=[5], **HGB).fit(Xc[:n], yc[:n])
    dump("regression-categorical", Xc, yc, {"hgb_rmse": rmse(yc[n:], sqc.predict(Xc[n:]))}, cat=[5])

    # Binary classification (logistic on a nonlinear score).
    Xb, s = friedman(rng, N_TRAIN + N_TEST, noise=0.0)
    p = 1 / (1 + np.exp(-(s - np.median(s)) / 2))
    yb = (rng.random(N_TRAIN + N_TEST) < p).astype(float)
    cb = HistGradientBoostingClassifier(**HGB).fit(Xb[:n], yb[:n])
    rfc = RandomForestClassifier(n_estimators=60, random_state=0, oob_score=True, n_jobs=1).fit(Xb[:n], yb[:n])
    dump("binary", Xb, yb, {
        "hgb_logloss": float(log_loss(yb[n:], cb.predict_proba(Xb[n:]))),
        "hgb_accuracy": float(accuracy_score(yb[n:], cb.predict(Xb[n:]))),
        "rf_accuracy": float(accuracy_score(yb[n:], rfc.predict(Xb[n:]))),
        "rf_oob_error": float(1 - rfc.oob_score_),
    })

    # Multiclass: 3 classes from score terciles with label noise.
    Xk, s = friedman(rng, N_TRAIN + N_TEST, noise=1.0)
    yk = np.digitize(s, np.quantile(s, [1 / 3, 2 / 3])).astype(float)
    ck = HistGradientBoostingClassifier(**HGB).fit(Xk[:n], yk[:n])
    rfk = RandomForestClassifier(n_estimators=60, random_state=0, n_jobs=1).fit(Xk[:n], yk[:n])
    dump("multiclass", Xk, yk, {
        "hgb_logloss": float(log_loss(yk[n:], ck.predict_proba(Xk[n:]))),
        "hgb_accuracy": float(accuracy_score(yk[n:], ck.predict(Xk[n:]))),
        "rf_accuracy": float(accuracy_score(yk[n:], rfk.predict(Xk[n:]))),
    })


if __name__ == "__main__":
    main()
