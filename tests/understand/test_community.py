"""公益性岗位 limited to the people of one street."""

from __future__ import annotations

import pytest

from matching.understand.community import street_code, street_only


@pytest.mark.parametrize(
    "text, own, street",
    [
        ("长虹街道公益性岗位4个，仅限户籍或常住在长虹街道的就业困难人员报名", None, "长虹街道"),
        ("公益性岗位3个，限本街道户籍或常住的就业困难人员报名", "王串场街道", "王串场街道"),
        ("新北街道公益性岗位招录社区协管员，限新北街道常住的登记失业人员报名", None, "新北街道"),
        ("公益岗，面向本镇户籍居民", "大口屯镇", "大口屯镇"),
        ("公益性岗位3个，限本街道户籍或常住人员", None, None),  # its street unknown: no limit
        ("物业招保洁员，限本小区附近居民", "长虹街道", None),  # not a 公益性岗位
        ("社区公益性岗位，就业困难人员优先", "长虹街道", None),  # no street limit
    ],
)  # fmt: skip
def test_street_only(text: str, own: str | None, street: str | None) -> None:
    assert street_only(text, own) == street


def test_street_code_is_stable_and_zero_for_none() -> None:
    assert street_code(None) == street_code("") == 0
    assert street_code("长虹街道") == street_code("长虹街道") != street_code("学府街道") != 0
