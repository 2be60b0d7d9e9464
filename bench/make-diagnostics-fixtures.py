"""Expected values from scikit-learn for the training diagnostics tests.

Run with the system Python that has scikit-learn 1.2:
    /usr/bin/python3 bench/make-diagnostics-fixtures.py
It writes tests/fixtures/train/diagnostics-sklearn.json, read by
tests/unit/train/diagnostics.test.ts. Inputs come from a fixed numpy seed, so the file only
changes when scikit-learn (or this script) does. An undefined metric (ROC AUC with one class
present) is written as null; the TypeScript side returns NaN for it.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    precision_recall_curve,
    precision_recall_fscore_support,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

warnings.filterwarnings("ignore")
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "train")
rng = np.random.RandomState(20250314)


def lst(a):
    return np.asarray(a, dtype=float).tolist()


def ece(hit, conf, n_bins=10):
    """ECE with calibration_curve's uniform bins (a value on an inner edge goes to the lower bin)."""
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(bins[1:-1], conf)
    total = np.bincount(ids, minlength=n_bins)
    sums = np.bincount(ids, weights=conf, minlength=n_bins)
    trues = np.bincount(ids, weights=hit.astype(float), minlength=n_bins)
    nz = total > 0
    gap = np.abs(trues[nz] / total[nz] - sums[nz] / total[nz])
    return float(np.sum(total[nz] / len(conf) * gap)), total[nz].tolist()


# --- regression
def regression_case(name, y, pred, base):
    res = y - pred
    counts, edges = np.histogram(res, bins=20)
    scores = lambda p: {
        "rmse": mean_squared_error(y, p, squared=False),
        "mae": mean_absolute_error(y, p),
        "r2": r2_score(y, p),
    }
    return {
        "name": name,
        "y": lst(y),
        "pred": lst(pred),
        "baseline_pred": lst(base),
        "metrics": scores(pred),
        "baseline": scores(base),
        "residual_p10": float(np.percentile(res, 10)),
        "residual_p90": float(np.percentile(res, 90)),
        "residual_mean": float(res.mean()),
        "hist_edges": lst(edges),
        "hist_counts": counts.tolist(),
    }


y = np.round(60 + 12 * rng.randn(53), 1)
regression = [
    regression_case("noisy", y, y + 3 * rng.randn(53), np.full(53, 59.4)),
    regression_case("constant-pred", y, np.full(53, 61.25), np.full(53, 59.4)),
    regression_case("biased", y, y - 4 + rng.rand(53), np.full(53, 58.0)),
    regression_case("perfect", y, y.copy(), np.full(53, y.mean())),
]


# --- classification
def class_metrics(y, proba, k, binary):
    pred = np.argmax(proba, axis=1)
    labels = list(range(k))
    conf = proba[np.arange(len(y)), pred]
    out = {
        "accuracy": accuracy_score(y, pred),
        "balanced_accuracy": balanced_accuracy_score(y, pred),
        "f1_weighted": f1_score(y, pred, average="weighted", zero_division=0),
        "precision_weighted": precision_score(y, pred, average="weighted", zero_division=0),
        "recall_weighted": recall_score(y, pred, average="weighted", zero_division=0),
        "log_loss": log_loss(y, proba, labels=labels, eps=1e-15),
        "brier_macro": float(
            np.mean([brier_score_loss(y == c, proba[:, c], pos_label=True) for c in labels])
        ),
    }
    if binary:
        out["ece"] = ece(y == 1, proba[:, 1])[0]
        both = len(np.unique(y)) == 2
        out["roc_auc"] = roc_auc_score(y, proba[:, 1]) if both else None
        out["average_precision"] = (
            average_precision_score(y, proba[:, 1]) if (y == 1).any() else None
        )
    else:
        out["ece"] = ece(pred == y, conf)[0]
    return out


def classification_case(name, y, proba, base, binary):
    k = proba.shape[1]
    pred = np.argmax(proba, axis=1)
    labels = list(range(k))
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
    case = {
        "name": name,
        "task": "binary" if binary else "multiclass",
        "n_classes": k,
        "y": y.tolist(),
        "proba": lst(proba.ravel()),
        "baseline_proba": lst(base.ravel()),
        "metrics": class_metrics(y, proba, k, binary),
        "baseline": class_metrics(y, base, k, binary),
        "confusion": confusion_matrix(y, pred, labels=labels).tolist(),
        "precision": lst(p),
        "recall": lst(r),
        "f1": lst(f),
        "support": s.tolist(),
        "brier_per_class": [brier_score_loss(y == c, proba[:, c], pos_label=True) for c in labels],
        "reliability_counts": (
            ece(y == 1, proba[:, 1]) if binary else ece(pred == y, proba[np.arange(len(y)), pred])
        )[1],
    }
    if binary and len(np.unique(y)) == 2:
        fpr, tpr, _ = roc_curve(y, proba[:, 1])
        prec, rec, _ = precision_recall_curve(y, proba[:, 1])
        case["roc"] = {"fpr": lst(fpr), "tpr": lst(tpr)}
        case["pr"] = {"precision": lst(prec), "recall": lst(rec)}
    return case


def binary_proba(y, signal, decimals=None):
    score = signal * (2 * y - 1) + rng.randn(len(y))
    p1 = 1 / (1 + np.exp(-score))
    if decimals is not None:
        p1 = np.round(p1, decimals)  # ties, so the curves must move tied rows together
    return np.c_[1 - p1, p1]


def prior(y, k, n):
    counts = np.bincount(y, minlength=k) + 1.0
    return np.tile(counts / counts.sum(), (n, 1))


def multiclass_proba(y, k, signal):
    logits = rng.randn(len(y), k)
    logits[np.arange(len(y)), y] += signal
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


yb = (rng.rand(60) < 0.35).astype(int)
yl = (rng.rand(700) < 0.2).astype(int)
ym = rng.choice(4, size=90, p=[0.45, 0.3, 0.2, 0.05])
ya = rng.choice([0, 2], size=40)
y0 = np.zeros(25, dtype=int)
classification = [
    classification_case("binary-ties", yb, binary_proba(yb, 1.2, 2), prior(yb, 2, 60), True),
    classification_case("binary-large", yl, binary_proba(yl, 1.0), prior(yl, 2, 700), True),
    classification_case("multiclass-rare", ym, multiclass_proba(ym, 4, 1.5), prior(ym, 4, 90), False),
    classification_case("multiclass-absent", ya, multiclass_proba(ya, 3, 1.0), prior(ya, 3, 40), False),
    classification_case("binary-one-class", y0, binary_proba(y0, 1.0, 2), prior(y0, 2, 25), True),
]

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "diagnostics-sklearn.json"), "w") as f:
    json.dump(
        {"sklearn": sklearn.__version__, "regression": regression, "classification": classification},
        f,
        indent=1,
        allow_nan=False,
    )
    f.write("\n")
