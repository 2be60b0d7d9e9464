"""Expected values from scikit-learn for the validation, linear-model and metric tests.

Run with the system Python that has scikit-learn 1.2:
    /usr/bin/python3 bench/make-validation-fixtures.py
It writes tests/fixtures/validation/{splits,linear,metrics}.json. Inputs come from a fixed
numpy seed, so the files only change when scikit-learn (or this script) does.
"""
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.utils.class_weight import compute_class_weight

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "validation")
rng = np.random.RandomState(20240611)


def dump(name, obj):
    obj = {"sklearn": sklearn.__version__, **obj}
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1, allow_nan=True)
        f.write("\n")


def lst(a):
    return np.asarray(a, dtype=float).tolist()


# --- splits: the fold-size / per-class-count multisets that any correct split must reproduce.
splits = {"stratified": [], "group": []}
for name, labels, k in [
    ("three-classes", rng.choice(3, size=47, p=[0.6, 0.3, 0.1]), 5),
    ("rare-class", np.r_[np.zeros(30, int), np.ones(4, int), np.full(9, 2)], 4),
]:
    counts = []
    for _, test in StratifiedKFold(n_splits=k, shuffle=True, random_state=0).split(
        np.zeros(len(labels)), labels
    ):
        counts.append(np.bincount(labels[test], minlength=labels.max() + 1).tolist())
    splits["stratified"].append(
        {"name": name, "labels": labels.tolist(), "k": k, "fold_class_counts": sorted(counts)}
    )
for name, sizes, k in [
    ("students", rng.randint(1, 7, size=40), 5),
    ("one-big-student", np.r_[[25], rng.randint(1, 4, size=20)], 3),
]:
    groups = np.repeat(np.arange(len(sizes)), sizes)
    groups = groups[rng.permutation(len(groups))]
    fold_sizes = sorted(
        len(test) for _, test in GroupKFold(n_splits=k).split(np.zeros(len(groups)), groups=groups)
    )
    splits["group"].append(
        {"name": name, "groups": groups.tolist(), "k": k, "fold_sizes": fold_sizes}
    )
dump("splits.json", splits)


# --- linear models.
def std_pipeline_coefs(model, scaler):
    """Coefficients of StandardScaler + model on the original feature scale."""
    coef = np.atleast_2d(model.coef_) / scaler.scale_
    intercept = np.atleast_1d(model.intercept_) - coef @ scaler.mean_
    return coef, intercept


n, p = 80, 5
X = rng.normal(size=(n, p)) * np.array([1.0, 10.0, 0.1, 3.0, 50.0]) + np.array([0, 60, 1, -2, 500])
X_test = rng.normal(size=(10, p)) * np.array([1.0, 10.0, 0.1, 3.0, 50.0]) + np.array([0, 60, 1, -2, 500])
beta = np.array([1.5, -0.2, 8.0, 0.0, 0.03])
y = X @ beta + 4 + rng.normal(scale=1.0, size=n)
w = rng.uniform(0.5, 2.0, size=n)
ridge_cases = []
for name, alpha, standardize, sw in [
    ("raw-alpha1", 1.0, False, None),
    ("raw-alpha50", 50.0, False, None),
    ("std-alpha5", 5.0, True, None),
    ("raw-weighted", 2.0, False, w),
    ("std-weighted", 2.0, True, w),
]:
    if standardize:
        sc = StandardScaler().fit(X, sample_weight=sw)
        m = Ridge(alpha=alpha, solver="cholesky").fit(sc.transform(X), y, sample_weight=sw)
        coef, intercept = std_pipeline_coefs(m, sc)
        pred = m.predict(sc.transform(X_test))
    else:
        m = Ridge(alpha=alpha, solver="cholesky").fit(X, y, sample_weight=sw)
        coef, intercept = np.atleast_2d(m.coef_), np.atleast_1d(m.intercept_)
        pred = m.predict(X_test)
    ridge_cases.append(
        {
            "name": name,
            "alpha": alpha,
            "standardize": standardize,
            "sample_weight": None if sw is None else lst(sw),
            "coef": lst(coef[0]),
            "intercept": float(intercept[0]),
            "pred": lst(pred),
        }
    )

eta = (X - X.mean(0)) / X.std(0) @ np.array([1.0, -0.5, 0.8, 0.0, 0.3])
y_bin = (eta + rng.logistic(size=n) > 0.8).astype(int)
y_sep = (X[:, 0] > 0).astype(int)  # perfectly separable: only the L2 term keeps it finite
eta3 = (X - X.mean(0)) / X.std(0) @ np.array([[1.0, 0, -1], [0, 1, 0], [0.5, -0.5, 0], [0, 0, 0], [0.2, 0, 0.4]])
y_multi = np.argmax(eta3 + rng.gumbel(size=(n, 3)), axis=1)


def objective_gradient(m, Xf, yf, C, sw):
    """Max |gradient| of C·Σ s·loss + ½‖W‖² at a fitted model: the fixture's own optimality check."""
    sw = np.ones(len(yf)) if sw is None else sw
    sw = sw * (m.class_weight_vector if hasattr(m, "class_weight_vector") else 1)
    coef, b = m.coef_, m.intercept_
    if coef.shape[0] == 1:
        pr = 1 / (1 + np.exp(-(Xf @ coef[0] + b[0])))
        r = sw * (pr - yf)
        return max(np.abs(C * Xf.T @ r + coef[0]).max(), abs(C * r.sum()))
    e = Xf @ coef.T + b
    pr = np.exp(e - e.max(1, keepdims=True))
    pr /= pr.sum(1, keepdims=True)
    r = sw[:, None] * (pr - np.eye(coef.shape[0])[yf])
    return max(np.abs(C * r.T @ Xf + coef).max(), np.abs(C * r.sum(0)).max())


def fit_logistic(Xf, yf, C, sw=None, class_weight=None):
    # Two solvers at tight tolerances; keep the one closer to optimal and check it really is.
    best, best_g = None, np.inf
    for s in ("lbfgs", "newton-cg"):
        m = LogisticRegression(C=C, solver=s, tol=1e-12, max_iter=100000, class_weight=class_weight)
        m.fit(Xf, yf, sample_weight=sw)
        cw = np.ones(int(yf.max()) + 1)
        if class_weight == "balanced":
            cw = compute_class_weight("balanced", classes=np.arange(len(cw)), y=yf)
        m.class_weight_vector = cw[yf]
        g = objective_gradient(m, Xf, yf, C, sw)
        if g < best_g:
            best, best_g = m, g
    assert best_g < 1e-6 * (1 + C * len(yf)), best_g
    print("logistic optimality", best_g, file=sys.stderr)
    return best


logistic_cases = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for name, yy, C, standardize, sw, cw in [
        ("binary-raw-C1", y_bin, 1.0, False, None, None),
        ("binary-std-C0.1", y_bin, 0.1, True, None, None),
        ("separable-std-C1", y_sep, 1.0, True, None, None),
        ("binary-balanced", y_bin, 1.0, True, None, "balanced"),
        ("binary-weighted", y_bin, 2.0, True, w, None),
        ("multi-raw-C1", y_multi, 1.0, False, None, None),
        ("multi-std-C10", y_multi, 10.0, True, None, None),
    ]:
        if standardize:
            sc = StandardScaler().fit(X)
            m = fit_logistic(sc.transform(X), yy, C, sw, cw)
            coef, intercept = std_pipeline_coefs(m, sc)
            proba = m.predict_proba(sc.transform(X_test))
        else:
            m = fit_logistic(X, yy, C, sw, cw)
            coef, intercept = m.coef_, m.intercept_
            proba = m.predict_proba(X_test)
        if coef.shape[0] > 1:
            intercept = intercept - intercept.mean()
        logistic_cases.append(
            {
                "name": name,
                "C": C,
                "standardize": standardize,
                "class_weight": cw,
                "sample_weight": None if sw is None else lst(sw),
                "n_classes": int(yy.max() + 1),
                "y": yy.tolist(),
                "coef": lst(coef),
                "intercept": lst(intercept),
                "proba": lst(proba),
            }
        )

dump(
    "linear.json",
    {"X": lst(X), "X_test": lst(X_test), "y": lst(y), "ridge": ridge_cases, "logistic": logistic_cases},
)


# --- metrics.
def calib(y_true, p, n_bins):
    prob_true, prob_pred = calibration_curve(y_true, p, n_bins=n_bins, strategy="uniform")
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(bins[1:-1], p)
    counts = np.bincount(ids, minlength=n_bins)
    nz = counts[counts > 0]
    ece = float(np.sum(nz / len(p) * np.abs(prob_true - prob_pred)))
    return {"n_bins": n_bins, "prob_true": lst(prob_true), "prob_pred": lst(prob_pred),
            "counts": nz.tolist(), "ece": ece}


binary_cases = []
for name, y_true, score in [
    ("random", rng.randint(0, 2, 60), rng.uniform(size=60)),
    ("ties", rng.randint(0, 2, 70), np.round(rng.uniform(size=70), 1)),
    ("informative", None, None),
    ("edges", np.array([0, 1, 0, 1, 1, 0, 1, 0]), np.array([0.0, 0.1, 0.2, 0.5, 0.9, 1.0, 1.0, 0.3])),
]:
    if y_true is None:
        y_true = rng.randint(0, 2, 90)
        score = 1 / (1 + np.exp(-(2 * y_true - 1 + rng.normal(size=90))))
    fpr, tpr, thr = roc_curve(y_true, score)
    fpr_all, tpr_all, thr_all = roc_curve(y_true, score, drop_intermediate=False)
    prec, rec, pthr = precision_recall_curve(y_true, score)
    y_pred = (score >= 0.5).astype(int)
    binary_cases.append(
        {
            "name": name,
            "y_true": y_true.tolist(),
            "score": lst(score),
            "roc": {"fpr": lst(fpr), "tpr": lst(tpr), "thresholds": lst(thr[1:])},
            "roc_all": {"fpr": lst(fpr_all), "tpr": lst(tpr_all), "thresholds": lst(thr_all[1:])},
            "roc_auc": float(roc_auc_score(y_true, score)),
            "pr": {"precision": lst(prec), "recall": lst(rec), "thresholds": lst(pthr)},
            "average_precision": float(average_precision_score(y_true, score)),
            "brier": float(brier_score_loss(y_true, score)),
            "calibration": [calib(y_true, score, 10), calib(y_true, score, 4)],
            "y_pred": y_pred.tolist(),
        }
    )

multi_cases = []
for name, K, n_rows, drop_pred in [("four-classes", 4, 80, None), ("class-never-predicted", 3, 50, 2)]:
    y_true = rng.randint(0, K, n_rows)
    logits = rng.normal(size=(n_rows, K)) + 1.5 * np.eye(K)[y_true]
    if drop_pred is not None:
        logits[:, drop_pred] -= 10
    proba = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    y_pred = proba.argmax(1)
    prec, rec, f1, sup = precision_recall_fscore_support(
        y_true, y_pred, labels=list(range(K)), zero_division=0
    )
    avg = {}
    for a in ("macro", "weighted"):
        pa, ra, fa, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=list(range(K)), average=a, zero_division=0
        )
        avg[a] = {"precision": float(pa), "recall": float(ra), "f1": float(fa)}
    # Top-label reliability: computed here by definition (scikit-learn has no multiclass version).
    conf = proba.max(1)
    hit = (y_pred == y_true).astype(float)
    multi_cases.append(
        {
            "name": name,
            "n_classes": K,
            "y_true": y_true.tolist(),
            "y_pred": y_pred.tolist(),
            "proba": lst(proba),
            "precision": lst(prec),
            "recall": lst(rec),
            "f1": lst(f1),
            "support": sup.tolist(),
            "averages": avg,
            "brier_per_class": [float(brier_score_loss(y_true == c, proba[:, c])) for c in range(K)],
            "top_label_calibration": calib(hit, conf, 10),
            "class_weight_balanced": lst(compute_class_weight("balanced", classes=np.arange(K), y=y_true)),
        }
    )
dump("metrics.json", {"binary": binary_cases, "multiclass": multi_cases})
print("wrote", OUT)
