"""Reference SHAP values from XGBoost for tests/unit/explain/.

Run with Debian's python3 (apt-get install python3-xgboost):
    /usr/bin/python3 bench/make-explain-fixtures.py
Writes tests/fixtures/explain/xgboost-shap.json: small XGBoost models (regression, binary,
three classes; with missing values) as the trees' arrays, a few test rows, and XGBoost's exact
TreeSHAP (pred_contribs) and raw margins for them. The test rebuilds each model as a Classlens
tree ensemble and checks that our TreeSHAP gives the same contributions. Data are float32
values so both sides route every row identically.
"""
import json
import os

import numpy as np
import xgboost as xgb

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "explain")
N_TRAIN, N_TEST, F = 500, 25, 5


def data(rng):
    X = rng.normal(size=(N_TRAIN + N_TEST, F)).astype(np.float32)
    X[rng.random(X.shape) < 0.12] = np.nan
    X[:, 4] = np.round(X[:, 4] * 2).astype(np.float32)  # a few distinct values: many ties
    Z = np.nan_to_num(X, nan=0.5)
    y = 3 * np.sin(Z[:, 0]) + 2 * Z[:, 1] * Z[:, 2] + np.where(np.isnan(X[:, 3]), 2.0, Z[:, 3]) \
        + 0.5 * Z[:, 4] + 0.3 * rng.normal(size=len(Z))
    return X, y


def tree_arrays(tree):
    return {
        "left": tree["left_children"],
        "right": tree["right_children"],
        "feature": tree["split_indices"],
        "condition": tree["split_conditions"],
        "defaultLeft": tree["default_left"],
        "value": tree["base_weights"],
        "cover": tree["sum_hessian"],
    }


def model_case(name, params, X, y, rounds):
    dtrain = xgb.DMatrix(X[:N_TRAIN], label=y[:N_TRAIN], missing=np.nan)
    booster = xgb.train({**params, "seed": 0, "nthread": 1}, dtrain, num_boost_round=rounds)
    j = json.loads(booster.save_raw("json"))
    learner = j["learner"]
    model = learner["gradient_booster"]["model"]
    dtest = xgb.DMatrix(X[N_TRAIN:], missing=np.nan)
    contribs = booster.predict(dtest, pred_contribs=True)
    margin = booster.predict(dtest, output_margin=True)
    return {
        "name": name,
        "objective": learner["objective"]["name"],
        "baseScore": float(learner["learner_model_param"]["base_score"]),
        "nClass": int(learner["learner_model_param"]["num_class"]),
        "treeInfo": model["tree_info"],
        "trees": [tree_arrays(t) for t in model["trees"]],
        # n × (F + 1), or n × K × (F + 1) for several classes; the last entry is the bias.
        "contribs": np.asarray(contribs, dtype=np.float64).round(9).tolist(),
        "margin": np.asarray(margin, dtype=np.float64).round(9).tolist(),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(11)
    X, y = data(rng)
    binary = (y > np.median(y)).astype(np.float64)
    three = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3])).astype(np.float64)
    common = {"max_depth": 4, "eta": 0.3, "min_child_weight": 1, "lambda": 1}
    cases = [
        model_case("regression", {**common, "objective": "reg:squarederror"}, X, y, 30),
        model_case("binary", {**common, "objective": "binary:logistic"}, X, binary, 25),
        model_case("multiclass", {**common, "objective": "multi:softprob", "num_class": 3},
                   X, three, 10),
    ]
    out = {
        "xgboost": xgb.__version__,
        "columns": [[None if np.isnan(v) else float(v) for v in X[N_TRAIN:, j]] for j in range(F)],
        "cases": cases,
    }
    with open(os.path.join(OUT, "xgboost-shap.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
