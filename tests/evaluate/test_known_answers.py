"""Known-answer sets built by construction, and the judged set read from jsonl."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.evaluate.known_answers import known_answer_cases, read_judged
from tests.conftest import TODAY, tiny_persons, tiny_postings


def test_known_answer_cases_relevance_by_construction() -> None:
    postings = tiny_postings()
    cases = known_answer_cases(postings, 20, today=TODAY, seed=1)
    assert len(cases) == 20
    by_id = {p.id: p for p in postings}
    assert {c.noise for c in cases} == {"clean", "typo", "missing", "synonym", "traditional"}
    for c in cases:
        seed = by_id[c.seed_posting]
        assert c.relevance[seed.id] == 2  # the seed posting is always a right answer
        for pid, grade in c.relevance.items():
            assert by_id[pid].category == seed.category
            assert (grade == 2) == (by_id[pid].district == seed.district)
        if c.noise != "missing":
            assert c.person.wanted_categories == (seed.category,)
    trad = next(c for c in cases if c.noise == "traditional")
    assert trad.person.skills != by_id[trad.seed_posting].title or not any(
        ch in "员师驾证厂务货运仓库装护医厨洁电车机饭点递" for ch in trad.person.skills
    )


def test_read_judged_round_trip(tmp_path: Path) -> None:
    import json

    p = tiny_persons()[0]
    path = tmp_path / "judged.jsonl"
    rows = [{"person": p.model_dump(mode="json"), "relevance": {"p0": 2, "p4": 0}},
            {"person": p.model_dump(mode="json"), "judgements": [{"posting_id": "p6", "grade": 1}]}]  # fmt: skip
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    judged = read_judged(path)
    assert [r for _, r in judged] == [{"p0": 2, "p4": 0}, {"p6": 1}]
    assert judged[0][0] == p
    path.write_text('{"person": {"name": "x"}}\n', "utf-8")
    with pytest.raises(ValueError, match="line 1"):
        read_judged(path)
