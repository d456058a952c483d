"""Retrieval vectors: what the index holds for each posting (or person) and what a query is.

Retrieval vector of a posting = [text (SVD of TF-IDF), a·one-hot(category), location block];
a person's query = [profile text, a·multi-hot(wanted), location block]. The location block makes
the inner product fall with squared planar distance (the "L2 as inner product" lift), so a faiss
inner-product search already prefers relevant postings of the wanted categories close to home.
Reverse matching mirrors both sides: persons are indexed, a posting is the query.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from matching.config import MatchingConfig
from matching.rank.profiles import Profile, ticked_value
from matching.rank.tables import CATEGORY_INDEX, PersonTable, PostingTable

_N_CAT = len(CATEGORY_INDEX)
# Planar projection around Tianjin's centre (km per degree at 39.1°N).
_LAT0, _LON0 = 39.12, 117.20
_KM_PER_DEG_LAT = 110.57
_KM_PER_DEG_LON = 111.32 * math.cos(math.radians(_LAT0))


def _location_rows(
    lat: npt.NDArray[np.float32], lon: npt.NDArray[np.float32], scale: float
) -> npt.NDArray[np.float32]:
    """Indexed side of the location block: ``[s·x, s·y, -s²(x²+y²)/2]`` in planar km.

    Against a query ``[s·x', s·y', 1]`` the inner product is ``-s²/2 · (d² - |q|²)``: it falls
    with the squared distance d. Unknown places sit at the city centre.
    """
    lat64 = np.where(np.isnan(lat), _LAT0, lat).astype(np.float64)
    lon64 = np.where(np.isnan(lon), _LON0, lon).astype(np.float64)
    x, y = (lon64 - _LON0) * _KM_PER_DEG_LON, (lat64 - _LAT0) * _KM_PER_DEG_LAT
    block = np.stack([scale * x, scale * y, -(scale**2) * (x**2 + y**2) / 2], axis=1)
    return block.astype(np.float32)


def _location_query(lat: float | None, lon: float | None, scale: float) -> npt.NDArray[np.float32]:
    """Query side of the location block; zeros (no preference) when the place is unknown."""
    if lat is None or lon is None or math.isnan(lat) or math.isnan(lon):
        return np.zeros(3, np.float32)
    x, y = (lon - _LON0) * _KM_PER_DEG_LON, (lat - _LAT0) * _KM_PER_DEG_LAT
    return np.array([scale * x, scale * y, 1.0], np.float32)


def posting_vectors(
    table: PostingTable, text_vectors: npt.NDArray[np.float32], config: MatchingConfig
) -> npt.NDArray[np.float32]:
    """The indexed vector of every posting (row i = posting i)."""
    t = table
    n = t.category.shape[0]
    cat = np.zeros((n, _N_CAT), np.float32)
    has = t.category >= 0
    cat[np.flatnonzero(has), t.category[has].astype(np.int64)] = config.retrieval_category_boost
    loc = _location_rows(t.lat, t.lon, config.retrieval_location_scale)
    return np.ascontiguousarray(np.hstack([text_vectors, cat, loc]), dtype=np.float32)


def query_vector(
    profile: Profile, text_vec: npt.NDArray[np.float32], config: MatchingConfig
) -> npt.NDArray[np.float32]:
    """The query of ``profile`` whose projected text is ``text_vec``."""
    cat = np.zeros(_N_CAT, np.float32)
    for c in profile.inferred:
        cat[CATEGORY_INDEX[c]] = config.category_inferred
    for rank, c in enumerate(profile.ticked_order or sorted(profile.ticked)):
        cat[CATEGORY_INDEX[c]] = ticked_value(rank, config)
    loc = _location_query(profile.lat, profile.lon, config.retrieval_location_scale)
    loc *= config.retrieval_location_weight
    return np.concatenate([text_vec, cat, loc]).astype(np.float32)


def person_vectors(
    table: PersonTable, text: npt.NDArray[np.float32], config: MatchingConfig
) -> npt.NDArray[np.float32]:
    """The indexed vector of every person of reverse matching (row i = profile i)."""
    t = table
    rank = t.ticked_rank.astype(np.float32)
    cat = np.where(
        rank >= 0, ticked_value(rank, config), np.where(t.inferred, config.category_inferred, 0.0)
    )
    loc = _location_rows(t.lat, t.lon, config.retrieval_location_scale)
    vectors = np.hstack([text, cat.astype(np.float32), loc])
    return np.ascontiguousarray(vectors, dtype=np.float32)


def posting_query(
    table: PostingTable,
    text_vectors: npt.NDArray[np.float32],
    row: int,
    config: MatchingConfig,
) -> npt.NDArray[np.float32]:
    """The reverse-search query of posting ``row``: mirror of :func:`query_vector`."""
    t = table
    cat = np.zeros(_N_CAT, np.float32)
    if t.category[row] >= 0:
        cat[int(t.category[row])] = config.retrieval_category_boost
    loc = _location_query(float(t.lat[row]), float(t.lon[row]), config.retrieval_location_scale)
    return np.concatenate([text_vectors[row], cat, loc]).astype(np.float32)
