"""Reference results from scikit-learn for tests/unit/cluster/ (k-means, validity indices, ARI).

Run with Debian's python3 (scikit-learn 1.2):
    /usr/bin/python3 bench/make-cluster-fixtures.py
Writes tests/fixtures/cluster/kmeans-*.json and metrics-*.json. Data are written with full
float64 precision (Python's shortest round-trip repr), so both sides see identical numbers.
Our k-means++ uses our own seeded generator, so k-means tests start from the initial centres
scikit-learn chose (or from its final centres) and compare the result; validity indices and
the ARI are compared on the exact labels stored here.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans, MiniBatchKMeans, kmeans_plusplus
from sklearn.datasets import make_blobs
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_samples,
    silhouette_score,
)

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "cluster")


def dump(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def kmeans_case(name, X, k, seed, truth=None):
    init, _ = kmeans_plusplus(X, k, random_state=seed)
    case = {"name": name, "n": int(X.shape[0]), "d": int(X.shape[1]), "k": k, "X": flat(X)}
    case["init"] = flat(init)
    for algo in ("lloyd", "elkan"):
        km = KMeans(k, init=init, n_init=1, tol=1e-4, max_iter=300, algorithm=algo).fit(X)
        case["from_init_" + algo] = {
            "labels": km.labels_.tolist(),
            "centers": flat(km.cluster_centers_),
            "inertia": float(km.inertia_),
            "n_iter": int(km.n_iter_),
        }
    best = KMeans(k, n_init=10, random_state=seed).fit(X)
    case["default"] = {
        "labels": best.labels_.tolist(),
        "centers": flat(best.cluster_centers_),
        "inertia": float(best.inertia_),
    }
    mb = MiniBatchKMeans(k, batch_size=256, n_init=3, random_state=seed).fit(X)
    case["minibatch_inertia"] = float(mb.inertia_)
    if truth is not None:
        case["truth"] = truth.tolist()
    return case


def metrics_case(name, X, labels):
    labels = np.asarray(labels)
    return {
        "name": name,
        "n": int(X.shape[0]),
        "d": int(X.shape[1]),
        "X": flat(X),
        "labels": labels.tolist(),
        "silhouette": float(silhouette_score(X, labels)),
        "silhouette_samples": flat(silhouette_samples(X, labels)),
        "davies_bouldin": float(davies_bouldin_score(X, labels)),
        "calinski_harabasz": float(calinski_harabasz_score(X, labels)),
    }


def main():
    rng = np.random.RandomState(7)
    X1, y1 = make_blobs(n_samples=300, n_features=3, centers=4, cluster_std=0.6, random_state=1)
    X2, y2 = make_blobs(n_samples=500, n_features=5, centers=5, cluster_std=2.5,
                        center_box=(-5, 5), random_state=2)
    X3 = rng.normal(size=(200, 2))
    dump("kmeans-sklearn.json", {
        "sklearn": sklearn.__version__,
        "cases": [
            kmeans_case("blobs", X1, 4, 0, y1),
            kmeans_case("overlapping", X2, 5, 3, y2),
            kmeans_case("noise", X3, 6, 5),
        ],
    })

    X4 = rng.normal(size=(150, 4))
    labels4 = rng.randint(0, 3, size=150)
    labels5 = labels4.copy()
    labels5[0] = 7  # a singleton cluster: silhouette 0 there
    labels6 = labels4.copy()
    labels6[:20] = -1  # DBSCAN-style noise label, a cluster of its own for scikit-learn
    km1 = KMeans(4, n_init=10, random_state=0).fit(X1)
    dump("metrics-sklearn.json", {
        "sklearn": sklearn.__version__,
        "cases": [
            metrics_case("blobs-kmeans", X1, km1.labels_),
            metrics_case("random-3", X4, labels4),
            metrics_case("singleton", X4, labels5),
            metrics_case("noise-label", X4, labels6),
            metrics_case("overlapping-truth", X2, y2),
        ],
    })

    ari = []
    for n, ka, kb, seed in [(10, 2, 3, 0), (100, 4, 4, 1), (1000, 10, 3, 2), (5000, 5, 8, 3)]:
        r = np.random.RandomState(seed)
        a = r.randint(0, ka, size=n)
        b = np.where(r.rand(n) < 0.7, a, r.randint(0, kb, size=n))
        ari.append({"a": a.tolist(), "b": b.tolist(), "ari": float(adjusted_rand_score(a, b))})
    special = [
        ([0, 0, 1, 1], [1, 1, 0, 0]),
        ([0, 0, 1, 1], [0, 1, 0, 1]),
        ([0, 1, 2, 3], [0, 1, 2, 3]),
        ([0, 0, 0, 0], [0, 1, 2, 3]),
        ([5, 5, 5], [2, 2, 2]),
        ([-1, -1, 0, 0, 1], [3, 3, 3, 1, 1]),
        ([], []),
    ]
    for a, b in special:
        ari.append({"a": a, "b": b, "ari": float(adjusted_rand_score(a, b))})
    dump("metrics-ari.json", {"sklearn": sklearn.__version__, "cases": ari})


if __name__ == "__main__":
    main()
