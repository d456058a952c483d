"""The order of a batch's scored pairs: profile, then score best first, then posting id rank —
the one 64-bit key sort gives exactly ``np.lexsort((tie, -score, who))``."""

import numpy as np
import pytest

from matching.rank.scoring import best_first


def _lexsort(who, score, tie):
    return np.lexsort((tie, -score, who))


def _pairs(rng, persons, per_person, postings):
    """Each person's distinct postings (rows are never repeated within a person), scores with
    many exact ties (rounded, as equal terms give), negative ones and both zeros."""
    who = np.repeat(np.arange(persons, dtype=np.int64), per_person)
    tie = np.concatenate(
        [rng.choice(postings, per_person, replace=False) for _ in range(persons)]
    ).astype(np.int64)
    score = (rng.standard_normal(who.size).astype(np.float32) * 4).round(1) / np.float32(4)
    score[rng.random(who.size) < 0.05] = np.float32(-0.0)
    score[rng.random(who.size) < 0.05] = np.float32(0.0)
    score[rng.random(who.size) < 0.01] = np.float32(np.inf)
    score[rng.random(who.size) < 0.01] = np.float32(-np.inf)
    return who, score.astype(np.float32), tie


@pytest.mark.parametrize("seed", range(5))
def test_a_batch_is_ordered_as_lexsort_orders_it(seed):
    rng = np.random.default_rng(seed)
    who, score, tie = _pairs(rng, persons=300, per_person=60, postings=50_000)
    assert np.array_equal(best_first(who, score, tie), _lexsort(who, score, tie))


def test_equal_scores_go_by_posting_id_rank_and_zeros_are_equal():
    who = np.array([0, 0, 0, 0, 1, 1], np.int64)
    score = np.array([0.0, -0.0, 0.5, 0.0, -0.0, 0.0], np.float32)
    tie = np.array([7, 3, 9, 5, 2, 1], np.int64)
    # person 0: 0.5 first, then the three zeros (−0.0 equal to 0.0) by rank 3, 5, 7
    assert best_first(who, score, tie).tolist() == [2, 1, 3, 0, 5, 4]


def test_one_profile_a_service_request():
    rng = np.random.default_rng(9)
    who, score, tie = _pairs(rng, persons=1, per_person=400, postings=100_000)
    assert np.array_equal(best_first(who, score, tie), _lexsort(who, score, tie))


def test_what_does_not_fit_the_key_is_ordered_by_lexsort():
    rng = np.random.default_rng(3)
    who, score, tie = _pairs(rng, persons=20, per_person=30, postings=1_000)
    huge = tie + (1 << 40)  # id ranks beyond what the key holds
    assert np.array_equal(best_first(who, score, huge), _lexsort(who, score, huge))
    score[[4, 40, 41]] = np.nan  # lexsort puts NaN last
    assert np.array_equal(best_first(who, score, tie), _lexsort(who, score, tie))


def test_no_pairs():
    empty = np.zeros(0, np.int64)
    assert best_first(empty, np.zeros(0, np.float32), empty).size == 0
