"""Over an IVF index (a board above ``exact_index_max``) the engine takes
``ivf_min_candidates`` candidates per person, not ``min_candidates``: over 1M generated
postings 400 kept 0.81 of the exhaustive scorer's top 10, 1,600 kept 0.96."""

from __future__ import annotations

import pytest
from conftest import TODAY, tiny_persons, tiny_postings

from matching.config import MatchingConfig
from matching.rank.engine import MatchingEngine
from matching.retrieve import index


@pytest.mark.parametrize(("exact_max", "asked"), [(4, [6]), (100, [])])
def test_ivf_search_asks_for_the_ivf_candidate_count(exact_max: int, asked: list[int]) -> None:
    config = MatchingConfig(exact_index_max=exact_max, min_candidates=2, oversample=1,
                            ivf_min_candidates=6)  # fmt: skip
    engine = MatchingEngine(config).fit(tiny_postings())
    searches: list[int] = []
    real = index.VectorIndex.search

    def counting(self, queries, k, allowed=None):  # type: ignore[no-untyped-def]
        searches.append(k)
        return real(self, queries, k, allowed)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index.VectorIndex, "search", counting)
        engine.recommend(tiny_persons()[0], 3, today=TODAY)
    assert sorted(set(searches)) == asked  # the flat index is not searched through faiss
