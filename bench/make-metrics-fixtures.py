"""Expected metric values from scikit-learn for tests/unit/metrics.test.ts.

Run with the system Python that has scikit-learn 1.2:
    /usr/bin/python3 bench/make-metrics-fixtures.py > tests/fixtures/metrics-sklearn.json
The inputs are small fixed arrays (no randomness), so the file only changes with sklearn itself.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
)

regression_cases = [
    {"name": "simple", "y_true": [3.0, -0.5, 2.0, 7.0], "y_pred": [2.5, 0.0, 2.0, 8.0]},
    {
        "name": "marks",
        "y_true": [55.0, 72.5, 61.0, 88.0, 43.5, 90.0, 67.0, 70.0],
        "y_pred": [58.2, 70.0, 65.5, 84.1, 50.0, 86.3, 66.0, 73.9],
    },
    {"name": "worse-than-mean", "y_true": [1.0, 2.0, 3.0], "y_pred": [3.0, 2.0, 1.0]},
    {"name": "constant-true", "y_true": [5.0, 5.0, 5.0], "y_pred": [4.0, 5.0, 6.0]},
]

classification_cases = [
    {
        "name": "binary",
        "n_classes": 2,
        "y_true": [0, 1, 1, 0, 1, 1, 0, 0, 1, 1],
        "y_pred": [0, 1, 0, 0, 1, 1, 1, 0, 1, 0],
        "proba": [
            [0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.9, 0.1], [0.2, 0.8],
            [0.1, 0.9], [0.45, 0.55], [0.7, 0.3], [0.35, 0.65], [0.52, 0.48],
        ],
    },
    {
        "name": "multiclass-imbalanced",
        "n_classes": 3,
        "y_true": [0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 0],
        "y_pred": [0, 0, 0, 1, 0, 0, 1, 2, 2, 0, 2, 0],
        "proba": [
            [0.7, 0.2, 0.1], [0.6, 0.3, 0.1], [0.5, 0.25, 0.25], [0.3, 0.5, 0.2],
            [0.8, 0.1, 0.1], [0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.2, 0.3, 0.5],
            [0.1, 0.2, 0.7], [0.5, 0.2, 0.3], [0.25, 0.25, 0.5], [0.4, 0.3, 0.3],
        ],
    },
    {
        # Class 3 is predicted but never true: it must not count in balanced accuracy or the F1 weights.
        "name": "predicted-only-class",
        "n_classes": 4,
        "y_true": [0, 1, 2, 0, 1, 2, 1],
        "y_pred": [0, 3, 2, 3, 1, 1, 1],
        "proba": [
            [0.6, 0.1, 0.1, 0.2], [0.1, 0.3, 0.1, 0.5], [0.1, 0.1, 0.7, 0.1], [0.3, 0.1, 0.1, 0.5],
            [0.1, 0.6, 0.2, 0.1], [0.1, 0.5, 0.3, 0.1], [0.2, 0.5, 0.2, 0.1],
        ],
    },
]

out = {"sklearn": sklearn.__version__, "regression": [], "classification": []}
for c in regression_cases:
    yt, yp = np.array(c["y_true"]), np.array(c["y_pred"])
    out["regression"].append({
        **c,
        "rmse": float(np.sqrt(mean_squared_error(yt, yp))),
        "mae": float(mean_absolute_error(yt, yp)),
        "r2": float(r2_score(yt, yp)),
    })
for c in classification_cases:
    yt, yp, pr = np.array(c["y_true"]), np.array(c["y_pred"]), np.array(c["proba"])
    labels = list(range(c["n_classes"]))
    out["classification"].append({
        **c,
        "accuracy": float(accuracy_score(yt, yp)),
        "balanced_accuracy": float(balanced_accuracy_score(yt, yp)),
        "f1_weighted": float(f1_score(yt, yp, average="weighted", zero_division=0)),
        "log_loss": float(log_loss(yt, pr, labels=labels)),
        "log_loss_binary_vector": float(log_loss(yt, pr[:, 1])) if c["n_classes"] == 2 else None,
        "confusion_matrix": confusion_matrix(yt, yp, labels=labels).tolist(),
    })

# One case per line: readable in a diff, and tests/fixtures is left alone by prettier.
lines = ['{', f' "sklearn": {json.dumps(out["sklearn"])},']
for i, key in enumerate(["regression", "classification"]):
    lines.append(f' "{key}": [')
    lines.append(",\n".join("  " + json.dumps(c) for c in out[key]))
    lines.append(" ]," if i == 0 else " ]")
lines.append("}")
sys.stdout.write("\n".join(lines) + "\n")
