"""A batch's scoring works out what depends on one side of a pair once per person or posting,
and skips the filters its candidates already passed: the same numbers as pair by pair."""

from __future__ import annotations

import datetime as dt

import numpy as np
from conftest import make_id, person

from matching.config import MatchingConfig
from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine
from matching.rank.filters import haversine_km, pair_distances_km
from matching.rank.scoring import score_pairs
from matching.rank.tables import PersonTable

DAY = dt.date(2024, 10, 21)


def test_pair_distances_are_the_haversine_of_each_pair_bit_for_bit() -> None:
    rng = np.random.default_rng(5)
    lat1, lon1 = rng.uniform(38.5, 40, 7).astype(np.float32), rng.uniform(116, 118, 7)
    lat2, lon2 = rng.uniform(38.5, 40, 50).astype(np.float32), rng.uniform(116, 118, 50)
    lon1, lon2 = lon1.astype(np.float32), lon2.astype(np.float32)
    lat1[2] = lat2[[4, 9]] = np.nan  # unknown places stay NaN
    for size in (3, 40, 400):  # fewer pairs than points on a side, and more
        first, second = rng.integers(0, 7, size), rng.integers(0, 50, size)
        got = pair_distances_km((lat1, lon1), first, (lat2, lon2), second)
        want = haversine_km(lat1[first], lon1[first], lat2[second], lon2[second])
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, want)
        assert np.isnan(got[(first == 2) | np.isin(second, [4, 9])]).all()


def test_pairs_that_passed_the_filters_score_the_same_without_testing_them_again() -> None:
    """``filtered``: the open / education / age / district filters are not tested again (the
    candidates passed them), the radius still is; every value, score and distance the same."""
    from matching.evaluate.generated import generated_postings

    postings = generated_postings(200, seed=31)[0]
    config = MatchingConfig()
    engine = MatchingEngine(config).fit(postings)
    persons = [
        person(make_id(seq=f"{i:03d}"), "某", (Category.M,), "河西区", "保洁",
               location_requirement=wish)
        for i, wish in enumerate(["", "离家3公里内", "只在河西区", ""])
    ]  # fmt: skip
    table = PersonTable.from_profiles(engine.profiles(persons, today=DAY))
    table.max_km[1] = 3.0  # a radius that is a hard limit
    who = np.repeat(np.arange(len(persons)), len(postings))
    rows = np.tile(np.arange(len(postings)), len(persons))
    sims = np.random.default_rng(2).random(who.size).astype(np.float32)
    every = score_pairs(table, who, engine.table_, rows, sims, today=DAY, config=config)
    assert 0 < every.keep.size < who.size  # some pairs fail a filter
    kept = every.keep
    again = score_pairs(table, who[kept], engine.table_, rows[kept], sims[kept], today=DAY,
                        config=config, filtered=True)  # fmt: skip
    np.testing.assert_array_equal(again.keep, np.arange(kept.size))
    np.testing.assert_array_equal(again.score, every.score)
    np.testing.assert_array_equal(again.distance_km, every.distance_km)
    for term, values in every.values.items():
        np.testing.assert_array_equal(again.values[term], values, err_msg=term)
    # the radius is still tested: person 1's pairs beyond 3 km are dropped, the others kept
    mine = np.flatnonzero(who == 1)
    alone = score_pairs(table, who[mine], engine.table_, rows[mine], sims[mine], today=DAY,
                        config=config, filtered=True)  # fmt: skip
    far = alone.distance_km > 3.0 + config.location_slack_km
    assert alone.keep.size < mine.size and not far.any()


def test_each_profile_s_best_pairs_are_its_slice_of_one_gather() -> None:
    from matching.rank.scoring import TERMS, Scored, best_of_each

    rng = np.random.default_rng(11)
    pairs = 60
    scored = Scored(
        keep=rng.permutation(80)[:pairs],
        values={t: rng.random(pairs).astype(np.float32) for t in TERMS},
        score=rng.random(pairs).astype(np.float32),
        distance_km=rng.random(pairs).astype(np.float32),
    )
    rows = rng.integers(0, 1000, 80)
    order = rng.permutation(pairs)
    first, take = np.array([0, 10, 25, 40]), np.array([10, 0, 7, 20])
    got = best_of_each(scored, rows, order, first, take)
    assert len(got) == 4
    for head, lo, n in zip(got, first, take, strict=True):
        pick = order[lo : lo + n]
        np.testing.assert_array_equal(head.keep, rows[scored.keep[pick]])
        np.testing.assert_array_equal(head.score, scored.score[pick])
        np.testing.assert_array_equal(head.distance_km, scored.distance_km[pick])
        for t in TERMS:
            np.testing.assert_array_equal(head.values[t], scored.values[t][pick])
    assert best_of_each(scored, rows, order, first[:0], take[:0]) == []
