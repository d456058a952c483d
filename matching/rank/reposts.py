"""Reposts: the same job posted again in other words is one posting in every list.

Employers repost a job when its validity runs out, often reworded ("商场保洁员" → "商业广场保洁",
"外卖骑手" → "众包骑手（可兼职）"). Two postings are the same job when all of these hold:

- the same employer (after NFKC and removing spaces; an empty employer never matches);
- titles sharing a two-character word once bracketed remarks are dropped (骑手, 保洁, 电工);
- their TF-IDF texts at cosine ≥ ``repost_min_similarity`` (the duties are described alike);
- posted close together: their dates (valid from, else valid until) at most
  ``repost_max_days`` apart (a date that is not given does not keep them apart).

Groups are found once, at fit (:func:`repost_groups`); which member is shown is decided on the
day of ranking (:func:`shown_on`): the latest one (valid until, then valid from) of those open
that day, so when the repost is filled or not yet valid the original still shows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matching.config import MatchingConfig
from matching.schemas import Posting

__all__ = ["repost_groups", "same_employer_key", "shown_on", "title_words"]

_BRACKETS_RE = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_NON_WORD_RE = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")


def same_employer_key(employer: str) -> str:
    """The employer as compared: NFKC, no spaces (empty = unknown, never the same)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", employer or ""))


def title_words(title: str) -> frozenset[str]:
    """The two-character pieces of a title without its bracketed remarks.

    Examples
    --------
    >>> sorted(title_words("众包骑手（可兼职）"))
    ['众包', '包骑', '骑手']
    """
    text = _NON_WORD_RE.sub(" ", _BRACKETS_RE.sub(" ", unicodedata.normalize("NFKC", title)))
    return frozenset(w[i : i + 2] for w in text.split() for i in range(len(w) - 1))


def _day(p: Posting) -> dt.date | None:
    return p.valid_from or p.valid_until


def _close(a: Posting, b: Posting, max_days: int) -> bool:
    da, db = _day(a), _day(b)
    return da is None or db is None or abs((da - db).days) <= max_days


# cosines of this many candidate pairs are computed in one sparse product (bounds the memory)
_PAIRS_PER_PRODUCT = 50_000


def _candidate_pairs(postings: Sequence[Posting], max_days: int) -> tuple[list[int], list[int]]:
    """The pairs of rows ``(a, b)``, ``a < b``, of one employer with a title word in common
    and posted close together: what the text's cosine then decides."""
    by_employer: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(postings):
        key = same_employer_key(p.employer)
        if key:
            by_employer[key].append(i)
    first: list[int] = []
    second: list[int] = []
    for rows in by_employer.values():
        if len(rows) < 2:
            continue
        words = [title_words(postings[r].title) for r in rows]
        for a in range(len(rows)):
            for b in range(a + 1, len(rows)):
                if words[a] & words[b] and _close(postings[rows[a]], postings[rows[b]], max_days):
                    first.append(rows[a])
                    second.append(rows[b])
    return first, second


def repost_groups(
    postings: Sequence[Posting], sparse: sp.csr_matrix, config: MatchingConfig
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int16]]:
    """``(group, rank)`` per posting row: ``group`` −1 for a posting with no repost, else the
    group's number; ``rank`` orders a group's members, the latest highest.

    ``sparse`` holds the postings' L2-normalised TF-IDF rows (their dot product is the cosine).
    """
    n = len(postings)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first, second = _candidate_pairs(postings, config.repost_max_days)
    for lo in range(0, len(first), _PAIRS_PER_PRODUCT):
        a, b = first[lo : lo + _PAIRS_PER_PRODUCT], second[lo : lo + _PAIRS_PER_PRODUCT]
        cos = np.asarray(sparse[a].multiply(sparse[b]).sum(axis=1)).ravel()
        for i in np.flatnonzero(cos >= config.repost_min_similarity):
            parent[find(b[i])] = find(a[i])
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[find(i)].append(i)
    group = np.full(n, -1, np.int32)
    rank = np.zeros(n, np.int16)
    far, near = dt.date.max, dt.date.min
    for number, rows in enumerate(m for m in members.values() if len(m) > 1):
        ordered = sorted(
            rows,
            key=lambda r: (postings[r].valid_until or far, postings[r].valid_from or near, r),
        )
        for position, r in enumerate(ordered):
            group[r], rank[r] = number, position
    return group, rank


def shown_on(
    open_rows: npt.NDArray[np.bool_], group: npt.NDArray[np.int32], rank: npt.NDArray[np.int16]
) -> npt.NDArray[np.bool_]:
    """``open_rows`` without the postings a later open repost of the same job stands for."""
    in_group = group >= 0
    if not in_group.any():
        return open_rows
    best = np.full(int(group.max()) + 1, -1, np.int32)
    live = open_rows & in_group
    np.maximum.at(best, group[live], rank[live].astype(np.int32))
    hidden = in_group & (rank < best[np.maximum(group, 0)])
    return open_rows & ~hidden
