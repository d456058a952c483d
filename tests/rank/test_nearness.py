"""A person who asks for a distance from home ("离家近", "骑电动车半小时内") says nearness is
what counts: inside that radius the location term falls from 1 at home to 0 at the radius, so
the nearer of two otherwise equal postings ranks first. Without such a wish, every posting
within a short trip scores the same on location."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import TODAY, make_id, person, posting

from matching.config import MatchingConfig
from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine
from matching.rank.scoring import _location_values


@pytest.mark.parametrize(
    "wanted_km, dist_km, value",
    [
        (7.5, 0.0, 1.0),  # 离家近 = half an hour by bus: at home
        (7.5, 3.0, 0.6),
        (7.5, 7.5, 0.0),  # at the edge of the wish (beyond it the area penalty speaks)
        (10.0, 4.0, 0.6),  # 骑电动车半小时内
        (np.nan, 2.5, 1.0),  # no distance asked: full marks within 3 km …
        (np.nan, 21.5, 0.5),  # … then linearly to 0 at 40 km
        (7.5, np.nan, 0.3),  # the posting's place unknown
    ],
)
def test_location_value_falls_to_the_wanted_radius(
    wanted_km: float, dist_km: float, value: float
) -> None:
    got = _location_values(
        np.array([dist_km], np.float32), MatchingConfig(), np.array([wanted_km], np.float32)
    )
    assert got[0] == pytest.approx(value, abs=1e-5)


@pytest.fixture(scope="module")
def engine() -> MatchingEngine:
    text = "便利店店员 收银 理货 做六休一"
    return MatchingEngine().fit(
        [  # the same job at home (河西区) and one district over (南开区, a little better paid)
            posting("home", "便利店店员", f"{text} 河西", Category.M, "河西区", 4000, 4500),
            posting("next", "便利店店员", f"{text} 南开", Category.M, "南开区", 4100, 4600),
        ]
    )


@pytest.mark.parametrize(
    "requirement, gap_at_least, gap_below",
    [
        ("离家近", 0.3, 1.01),
        ("骑车二十分钟", 0.3, 1.01),
        ("市内六区都行", 0.0, 0.15),
        ("", 0.0, 0.15),
    ],
)
def test_nearer_counts_more_for_who_asks_for_it(
    engine: MatchingEngine, requirement: str, gap_at_least: float, gap_below: float
) -> None:
    seeker = person(make_id(seq="331"), "周宇", (Category.M,), "河西区", "收银", ("店员",),
                    location_requirement=requirement)  # fmt: skip
    matches = engine.recommend(seeker, k=5, today=TODAY)
    where = {m.posting_id: next(t.value for t in m.terms if t.name == "location") for m in matches}
    assert gap_at_least <= where["home"] - where["next"] < gap_below
    if gap_at_least:
        assert matches[0].posting_id == "home"
