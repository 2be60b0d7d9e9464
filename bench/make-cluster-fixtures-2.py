"""Expected DBSCAN, Gaussian mixture, Ward and PCA results for tests/unit/cluster.

Run with the system Python that has scikit-learn 1.2 and scipy:
    /usr/bin/python3 bench/make-cluster-fixtures-2.py
It writes tests/fixtures/cluster/{dbscan,gmm,ward,pca}.json. Inputs are seeded and rounded to
6 decimals before fitting, so the JSON holds exactly the numbers sklearn/scipy saw.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from scipy.cluster.hierarchy import fcluster, ward
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.mixture import GaussianMixture

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "cluster")
os.makedirs(OUT, exist_ok=True)
VERSIONS = {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}


def r6(x):
    return np.round(np.asarray(x, dtype=np.float64), 6)


def flat(x):
    return [float(v) for v in np.asarray(x, dtype=np.float64).ravel()]


def write(name, obj):
    obj = {"versions": VERSIONS, **obj}
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


# ---------------------------------------------------------------- DBSCAN
def dbscan_cases():
    rng = np.random.RandomState(7)
    datasets = []

    def runs(X, params):
        return [{"eps": eps, "minPts": ms,
                 "labels": [int(v) for v in DBSCAN(eps=eps, min_samples=ms).fit(X).labels_]}
                for eps, ms in params]

    # 2-D blobs with uniform background noise.
    X, _ = make_blobs(n_samples=360, centers=4, cluster_std=0.5, random_state=3)
    noise = rng.uniform(X.min(0) - 1, X.max(0) + 1, size=(40, 2))
    X2 = r6(np.vstack([X, noise]))
    datasets.append({"name": "blobs2d", "n": X2.shape[0], "d": 2, "data": flat(X2),
                     "runs": runs(X2, [(0.3, 5), (0.5, 5), (0.8, 10), (0.2, 3), (1.5, 20)])})
    # 5-D standardised blobs (closer to what the app clusters).
    X, _ = make_blobs(n_samples=600, n_features=5, centers=5, cluster_std=1.2, random_state=11)
    X5 = r6((X - X.mean(0)) / X.std(0))
    datasets.append({"name": "blobs5d", "n": X5.shape[0], "d": 5, "data": flat(X5),
                     "runs": runs(X5, [(0.35, 5), (0.5, 8), (0.25, 3)])})
    return datasets


# ---------------------------------------------------------------- GMM
def gmm_cases():
    cases = []
    datasets = {}
    X, y = make_blobs(n_samples=500, n_features=3, centers=[[0, 0, 0], [4, 4, 0], [-4, 3, 3]],
                      cluster_std=[1.0, 0.7, 1.3], random_state=5)
    X = r6(X)
    datasets["three3d"] = {"n": X.shape[0], "d": 3, "data": flat(X)}
    # A deliberately rough starting point, so EM has work to do.
    rng = np.random.RandomState(1)
    means0 = X[rng.choice(X.shape[0], 3, replace=False)]
    weights0 = np.array([0.3, 0.3, 0.4])
    for cov in ["full", "diag"]:
        if cov == "full":
            prec0 = np.stack([np.eye(3) * 0.5 for _ in range(3)])
            cov0 = np.stack([np.linalg.inv(p) for p in prec0])
        else:
            prec0 = np.full((3, 3), 0.5)
            cov0 = 1 / prec0
        g = GaussianMixture(3, covariance_type=cov, weights_init=weights0, means_init=means0,
                            precisions_init=prec0, tol=1e-3, max_iter=100, reg_covar=1e-6)
        g.fit(X)
        n = X.shape[0]
        cases.append({
            "name": f"init-{cov}", "covariance": cov, "dataset": "three3d", "k": 3,
            "init": {"weights": flat(weights0), "means": flat(means0), "covariances": flat(cov0)},
            "weights": flat(g.weights_), "means": flat(g.means_),
            "covariances": flat(g.covariances_),
            "lowerBound": float(g.lower_bound_), "nIter": int(g.n_iter_),
            "converged": bool(g.converged_),
            "logLikelihood": float(g.score(X) * n), "bic": float(g.bic(X)),
            "labels": [int(v) for v in g.predict(X)],
            "proba": flat(r6(g.predict_proba(X)[:20])),
        })
    # Well-separated blobs: sklearn's own k-means initialisation, for label agreement (ARI).
    X, _ = make_blobs(n_samples=800, n_features=4, centers=4, cluster_std=0.8, random_state=21)
    X = r6(X)
    datasets["four4d"] = {"n": X.shape[0], "d": 4, "data": flat(X)}
    for cov in ["full", "diag"]:
        g = GaussianMixture(4, covariance_type=cov, random_state=0).fit(X)
        cases.append({"name": f"blobs-{cov}", "covariance": cov, "dataset": "four4d", "k": 4,
                      "labels": [int(v) for v in g.predict(X)],
                      "bic": float(g.bic(X))})
    # BIC over k for model selection: sklearn's BIC curve on a 3-blob set.
    X, _ = make_blobs(n_samples=450, n_features=2, centers=3, cluster_std=0.6, random_state=2)
    X = r6(X)
    bics = [float(GaussianMixture(k, covariance_type="full", random_state=0, n_init=3).fit(X).bic(X))
            for k in range(1, 7)]
    select = {"n": X.shape[0], "d": 2, "data": flat(X), "kMin": 1, "kMax": 6, "bics": bics,
              "k": int(np.argmin(bics) + 1)}
    return datasets, cases, select


# ---------------------------------------------------------------- Ward
def ward_cases():
    cases = []
    X, _ = make_blobs(n_samples=300, n_features=4, centers=5, cluster_std=1.5, random_state=4)
    X = r6(X)
    Z = ward(X)
    cuts = {str(k): [int(v) for v in fcluster(Z, k, "maxclust")] for k in [2, 3, 4, 5, 6]}
    cases.append({"name": "blobs300x4", "n": X.shape[0], "d": 4, "data": flat(X),
                  "linkage": flat(Z), "cuts": cuts})
    rng = np.random.RandomState(9)
    X = r6(rng.normal(size=(120, 3)))
    Z = ward(X)
    cuts = {str(k): [int(v) for v in fcluster(Z, k, "maxclust")] for k in [2, 3, 7]}
    cases.append({"name": "gauss120x3", "n": X.shape[0], "d": 3, "data": flat(X),
                  "linkage": flat(Z), "cuts": cuts})
    # Survey-like answers on a small integer grid: many exact ties and duplicate rows.
    X = rng.randint(0, 3, size=(80, 3)).astype(np.float64)
    Z = ward(X)
    cases.append({"name": "ties80x3", "n": X.shape[0], "d": 3, "data": flat(X),
                  "linkage": flat(Z), "cuts": {}})
    return cases


# ---------------------------------------------------------------- PCA
def pca_cases():
    cases = []
    rng = np.random.RandomState(3)
    A = rng.normal(size=(6, 6))
    X = r6(rng.normal(size=(200, 6)) @ A + np.array([1, -2, 3, 0, 5, -1]))
    X[:, 3] = 2.5  # a constant feature
    for name, M in [("corr200x6", X), ("tall50x3", r6(rng.normal(size=(50, 3)) * [3, 1, 0.2]))]:
        p = PCA(n_components=2, svd_solver="full").fit(M)
        cases.append({"name": name, "n": M.shape[0], "d": M.shape[1], "data": flat(M),
                      "explained": flat(p.explained_variance_ratio_),
                      "components": flat(p.components_), "mean": flat(p.mean_),
                      "coords": flat(p.transform(M))})
    return cases


write("dbscan.json", {"datasets": dbscan_cases()})
g_data, g_cases, g_select = gmm_cases()
write("gmm.json", {"datasets": g_data, "cases": g_cases, "select": g_select})
write("ward.json", {"cases": ward_cases()})
write("pca.json", {"cases": pca_cases()})
print("wrote", OUT)
