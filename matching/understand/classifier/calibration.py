"""How the views of the job classifier are combined into one calibrated distribution.

Each view ``v`` (the title model, the text model, the keyword lexicon) gives a distribution
``p_v`` over A–R. The classifier's distribution is

    p = softmax(Σ_v w_v · log p_v + b)

with one non-negative weight ``w_v`` per view and one bias ``b_c`` per category, learnt by
minimising the (sample-weighted) log-loss of **out-of-fold** view distributions: the weights say
how far each view is to be trusted, and the fit is a multi-class calibration of the result
(vector scaling, the multi-class form of Platt's sigmoid that ``CalibratedClassifierCV`` fits
one class at a time).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["apply_combiner", "fit_combiner", "log_views"]

# view probabilities are clipped here before the log: a class a view never saw is "very
# unlikely", not impossible
_FLOOR = 1e-4
_BIAS_L2 = 1e-2
_MAX_WEIGHT = 5.0


def log_views(probas: Sequence[npt.NDArray[np.float64]]) -> npt.NDArray[np.float64]:
    """``(n_views, n, k)`` array of clipped log-probabilities, one slice per view."""
    return np.log(np.clip(np.stack([np.asarray(p, dtype=np.float64) for p in probas]), _FLOOR, 1))


def apply_combiner(
    logs: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], bias: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """``softmax(Σ_v weights[v] · logs[v] + bias)`` row by row."""
    z = np.tensordot(weights, logs, axes=1) + bias
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def fit_combiner(
    logs: npt.NDArray[np.float64],
    y: npt.NDArray[np.int64],
    sample_weight: npt.NDArray[np.float64] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Weights ``(n_views,)`` and biases ``(k,)`` minimising the weighted log-loss of ``y``.

    ``logs`` is :func:`log_views` of out-of-fold distributions; ``y`` the true class indices.
    The biases carry a small L2 penalty, so a class absent from ``y`` keeps a bias near 0.
    """
    from scipy.optimize import minimize

    n_views, n, k = logs.shape
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    w = w / w.sum()
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0

    def loss(theta: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        weights, bias = theta[:n_views], theta[n_views:]
        p = apply_combiner(logs, weights, bias)
        nll = -float(np.sum(w * np.log(np.clip(p[np.arange(n), y], 1e-12, 1))))
        resid = (p - onehot) * w[:, None]  # d nll / d z
        grad_w = np.einsum("vnk,nk->v", logs, resid)
        grad_b = resid.sum(axis=0) + 2 * _BIAS_L2 * bias
        return nll + _BIAS_L2 * float(bias @ bias), np.concatenate([grad_w, grad_b])

    theta0 = np.concatenate([np.ones(n_views), np.zeros(k)])
    bounds = [(0.0, _MAX_WEIGHT)] * n_views + [(None, None)] * k
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B", bounds=bounds)
    return res.x[:n_views].copy(), res.x[n_views:].copy()
