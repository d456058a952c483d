"""The vectorizer's projection: scikit-learn's randomized truncated SVD, with a cheaper basis.

``TruncatedSVD(algorithm="randomized")`` spends most of its time in one call: the Householder QR
(LAPACK ``geqrf`` + ``orgqr``) of the tall sketch, one row per TF-IDF feature (40,000–80,000)
and ``n_components + 10`` columns. On our machine that QR took 5–10 CPU seconds, against 0.1 s
for the sketch's Gram matrix. :func:`randomized_components` runs the same algorithm — the same
random start (``RandomState(random_state).normal``), the same power iterations, the same
oversampling and sign convention — but finds the orthonormal basis of the sketch by Cholesky QR,
twice over, in float64 ("CholeskyQR2": the Gram matrix, its Cholesky factor, one product) and
takes the SVD of the small projected matrix with numpy. Any orthonormal basis of the same
columns gives the same components in exact arithmetic; in floating point they agree with
scikit-learn's to float32 rounding (``tests/retrieve/test_svd.py``). A sketch too ill-conditioned
for Cholesky QR (a corpus with fewer independent rows than columns asked for) falls back to the
Householder QR.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

OVERSAMPLES = 10  # scikit-learn's default n_oversamples


def randomized_components(
    x: sp.csr_matrix, n_components: int, *, n_iter: int, random_state: int
) -> npt.NDArray[np.float32]:
    """``TruncatedSVD(n_components, algorithm="randomized", n_iter=n_iter,
    random_state=random_state).fit(x).components_``, as float32 ``(n_components, n_features)``."""
    transpose = x.shape[0] < x.shape[1]  # as scikit-learn: the smaller side is the sketch's width
    m = x.T.tocsr() if transpose else x
    size = n_components + OVERSAMPLES
    q = np.random.RandomState(random_state).normal(size=(m.shape[1], size))
    q = q.astype(m.dtype, copy=False)
    for _ in range(n_iter):  # scikit-learn's power iterations for n_iter <= 2: no normaliser
        q = m @ q
        q = m.T @ q
    basis = _orthonormal_basis(np.asarray(m @ q, dtype=np.float64)).astype(m.dtype)
    b = np.asarray((m.T @ basis).T)  # basis.T @ m, with the sparse matrix on the left
    u_hat, _, vt = np.linalg.svd(b, full_matrices=False)
    components = vt[:n_components] if not transpose else (basis @ u_hat)[:, :n_components].T
    return _flip_signs(np.ascontiguousarray(components, dtype=np.float32))


def _orthonormal_basis(y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """An orthonormal basis of ``y``'s columns: Cholesky QR twice, else Householder QR."""
    q = y
    try:
        for _ in range(2):
            lower = np.linalg.cholesky(q.T @ q)
            q = q @ np.linalg.inv(lower).T
    except np.linalg.LinAlgError:
        return np.linalg.qr(y)[0]
    if not np.all(np.isfinite(q)):
        return np.linalg.qr(y)[0]
    off = q.T @ q
    off[np.diag_indices_from(off)] -= 1.0
    if np.abs(off).max() > 1e-8:  # lost orthogonality: the sketch was too ill-conditioned
        return np.linalg.qr(y)[0]
    return q


def _flip_signs(components: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """scikit-learn's ``svd_flip(u_based_decision=False)``: each row's largest entry positive."""
    rows = np.arange(components.shape[0])
    signs = np.sign(components[rows, np.argmax(np.abs(components), axis=1)])
    return components * signs[:, np.newaxis]
