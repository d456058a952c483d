"""What a person does not state (hours of the day, a part-time day, a radius) clashes with
nothing: scoring skips it for a person who states none, with the same values as computing it."""

from __future__ import annotations

import datetime as dt

import numpy as np
from conftest import make_id, person

from matching.config import MatchingConfig
from matching.domain.categories import Category
from matching.rank.engine import MatchingEngine
from matching.rank.scoring import score_pairs
from matching.rank.tables import PersonTable

DAY = dt.date(2024, 10, 21)


def test_a_person_scored_alone_gets_the_values_of_a_mixed_batch() -> None:
    from matching.evaluate.generated import generated_postings

    postings = generated_postings(300, seed=29)[0]
    config = MatchingConfig()
    engine = MatchingEngine(config).fit(postings)
    said = ["", "只能上午9点到下午3点", "每天4小时", "离家5公里内", "晚上不行，每天5-6小时"]
    persons = [
        person(make_id(seq=f"{i:03d}"), "某", (Category.M,), "河西区", "保洁",
               note=note, location_requirement="离家5公里内" if "公里" in note else "")
        for i, note in enumerate(said)
    ]  # fmt: skip
    profiles = engine.profiles(persons, today=DAY)
    table = PersonTable.from_profiles(profiles)
    assert np.isnan(table.free_from[0]) and np.isnan(table.day_hours[0])  # states nothing
    assert not np.isnan(table.free_from[1]) and not np.isnan(table.day_hours[2])
    assert not np.isnan(table.wanted_km[3])
    rows = np.arange(len(postings), dtype=np.int64)
    sims = np.linspace(0, 1, rows.size, dtype=np.float32)
    who = np.repeat(np.arange(len(persons)), rows.size)
    batch = score_pairs(table, who, engine.table_, np.tile(rows, len(persons)),
                        np.tile(sims, len(persons)), today=DAY, config=config)  # fmt: skip
    for i in range(len(persons)):
        alone = score_pairs(PersonTable.from_profiles([profiles[i]]), np.zeros(rows.size, np.int64),
                            engine.table_, rows, sims, today=DAY, config=config)  # fmt: skip
        mine = who[batch.keep] == i
        np.testing.assert_array_equal(batch.keep[mine] - i * rows.size, alone.keep)
        for term, values in alone.values.items():
            assert values.dtype == np.float32
            np.testing.assert_array_equal(batch.values[term][mine], values, err_msg=term)
        np.testing.assert_array_equal(batch.score[mine], alone.score)
    schedule = batch.values["schedule"]
    assert schedule[who[batch.keep] == 2].any()  # the part-timer's clashes are counted
