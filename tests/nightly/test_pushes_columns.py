"""The pushes' columns made once for the whole night: the terms' JSON text as ``json.dumps``
writes it, each person's contact channel checked once and carried to the district writers."""

from __future__ import annotations

import json
import pickle

import numpy as np

from matching.nightly import messages
from matching.nightly.messages import PersonPush, PushItem, sms_rows, wechat_rows
from matching.nightly.pushes import terms_json
from matching.rank.scoring import TERMS


def test_terms_json_is_the_text_json_dumps_makes_of_the_terms() -> None:
    rng = np.random.default_rng(3)
    values = np.round(rng.random((200, len(TERMS))), 4)
    values[0] = [0.0, -0.0, 1.0, 0.5, 1e-4, 0.1 + 0.2, 123456.789]
    values[1, 3] = 1e-17  # repr in exponent form, as json writes it
    got = terms_json(values)
    want = [json.dumps(dict(zip(TERMS, v, strict=True))) for v in values.tolist()]
    assert got == want
    assert '"category": -0.0' in got[0]  # -0.0 stays apart from 0.0
    assert [json.loads(t) for t in got] == [
        dict(zip(TERMS, v, strict=True)) for v in values.tolist()
    ]


def test_terms_json_writes_each_distinct_value_of_a_column_once_and_keeps_its_sign() -> None:
    rng = np.random.default_rng(5)
    values = np.round(rng.random((3000, len(TERMS))), 2)  # few distinct values, many rows
    values[::3, 1] = -0.0
    values[1::3, 1] = 0.0  # -0.0 and 0.0 in one column: the same key of np.unique, not here
    got = terms_json(values)
    assert got == [json.dumps(dict(zip(TERMS, v, strict=True))) for v in values.tolist()]
    assert '"category": -0.0' in got[0] and '"category": 0.0' in got[1]


def test_terms_json_with_a_value_json_spells_differently_goes_through_json() -> None:
    values = np.zeros((2, len(TERMS)))
    values[1, 0], values[1, 1] = np.nan, np.inf
    got = terms_json(values)
    assert got == [json.dumps(dict(zip(TERMS, v, strict=True))) for v in values.tolist()]
    assert '"text": NaN' in got[1] and '"category": Infinity' in got[1]
    assert terms_json(np.zeros((0, len(TERMS)))) == []


def _push(phone: str, accepts: bool) -> PersonPush:
    item = PushItem("7", 1, 0.8, "K7F2Q", "小区保洁员", "某物业", "河西区", "月薪4000-5000元", ())
    return PersonPush("120103198503121234", "王芳", phone, "河西区", accepts, (item,))


def test_a_persons_phone_is_checked_once_and_the_check_travels_with_the_push(monkeypatch) -> None:
    calls: list[str] = []
    real = messages.mobile_number

    def counted(phone: str | None) -> str | None:
        calls.append(phone or "")
        return real(phone)

    monkeypatch.setattr(messages, "mobile_number", counted)
    pushes = [
        _push("+86 138 1234 5678", True),
        _push("022-23456789", True),
        _push("13812345678", False),
        _push("  ", True),
    ]
    assert len(calls) == 2  # the opted-out and the blank phone need no check
    sent = pickle.loads(pickle.dumps(pushes))  # as the district writers receive them
    assert [p.channel for p in sent] == ["message", "not_mobile", "opted_out", "no_phone"]
    assert [p.mobile for p in sent] == ["13812345678", "", "", ""]
    assert [p.messaged for p in sent] == [True, False, False, False]
    assert [r[0] for r in sms_rows(sent)] == ["13812345678"]
    assert [r[0] for r in wechat_rows(sent)] == ["13812345678"]
    assert len(calls) == 2  # the sheets and texts read the check, they do not redo it
