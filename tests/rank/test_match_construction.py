"""The matches the engine returns are built without pydantic's ``model_construct`` loop: the
same instances, field for field, as ``model_construct`` makes (what the API serialises and a
caller compares does not change)."""

from __future__ import annotations

import math

import pytest

from matching.rank.reasons import constructed, score_term
from matching.schemas import Match, ScoreTerm


@pytest.mark.parametrize("cls", [ScoreTerm, Match])
def test_the_schemas_built_this_way_have_nothing_model_construct_would_add(cls) -> None:  # type: ignore[no-untyped-def]
    assert cls.__pydantic_post_init__ is None
    assert not cls.__private_attributes__
    assert cls.model_config.get("extra") != "allow"
    assert not any(f.alias or f.validation_alias for f in cls.model_fields.values())


def _same(got, want) -> None:  # type: ignore[no-untyped-def]
    assert type(got) is type(want)
    assert list(got.__dict__.items()) == list(want.__dict__.items())  # values and field order
    assert got.model_fields_set == want.model_fields_set
    assert got.__pydantic_extra__ is want.__pydantic_extra__ is None
    assert got.__pydantic_private__ is want.__pydantic_private__ is None
    assert got == want and hash(got) == hash(want)
    assert got.model_dump_json() == want.model_dump_json()
    assert got.model_dump(exclude_unset=True) == want.model_dump(exclude_unset=True)


def test_constructed_is_model_construct() -> None:
    fields = {"name": "salary", "value": 0.8125, "weight": 0.2, "contribution": 0.1625}
    term = constructed(ScoreTerm, dict(fields))
    _same(term, ScoreTerm.model_construct(**fields))
    match = {"posting_id": "P001", "score": 0.71, "terms": (term,), "reasons": ("薪资未注明",),
             "flags": ()}  # fmt: skip
    _same(constructed(Match, dict(match)), Match.model_construct(**match))
    with pytest.raises(Exception, match="frozen"):  # still frozen
        term.value = 1.0  # type: ignore[misc]


def test_the_engines_matches_equal_their_validated_copies() -> None:
    """Every field of a real match has the type validation would give it."""
    from matching.evaluate.generated import busiest_day, generated_persons, generated_postings
    from matching.rank.engine import MatchingEngine

    postings, _ = generated_postings(400, seed=4)
    day = busiest_day(postings)
    persons, _ = generated_persons(8, seed=4, today=day)
    engine = MatchingEngine().fit(postings)
    seen = 0
    for person in persons:
        for m in engine.recommend(person, 10, today=day):
            again = Match.model_validate(m.model_dump())
            assert again == m and again.model_dump_json() == m.model_dump_json()
            assert all(type(t) is ScoreTerm for t in m.terms)
            seen += 1
    assert seen > 0


def test_shared_score_terms_are_the_terms_built_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Equal terms are built once and shared: a shared one is the term a fresh build gives
    (validated, same JSON), 0.0 and -0.0 stay apart (their contributions print differently),
    and the store is emptied when full rather than growing without end."""
    from matching.rank import reasons

    monkeypatch.setattr(reasons, "_TERMS", {})
    monkeypatch.setattr(reasons, "_TERMS_KEPT", 3)
    for name, value, weight in [("text", 0.123456, 0.35), ("area", 0.5, -0.15),
                                ("schedule", 0.0, -0.3), ("schedule", -0.0, -0.3)]:  # fmt: skip
        first, again = score_term(name, value, weight), score_term(name, value, weight)
        assert again is first
        fresh = ScoreTerm(name=name, value=round(value, 4), weight=weight,
                          contribution=round(value * weight, 4))  # fmt: skip
        _same(first, fresh)
        assert first.model_dump_json() == fresh.model_dump_json()
    assert math.copysign(1.0, score_term("schedule", -0.0, -0.3).value) == -1.0
    assert math.copysign(1.0, score_term("schedule", 0.0, -0.3).value) == 1.0
    assert len(reasons._TERMS) <= 3  # four kinds of term were built: the store was emptied
