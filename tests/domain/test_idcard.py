from __future__ import annotations

import datetime as dt

import pytest
from conftest import make_id
from hypothesis import given
from hypothesis import strategies as st

from matching.domain.idcard import (
    check_digit,
    mask_id_number,
    mask_name,
    mask_phone,
    normalize_id_number,
    parse_id_number,
)
from matching.exceptions import InputError


def test_known_check_digit() -> None:
    # The example of GB 11643-1999 itself.
    assert check_digit("11010519491231002") == "X"
    info = parse_id_number("11010519491231002x")
    assert info.number.endswith("X") and info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "女" and info.area_code == "110105"


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("12010319850312123", "18"),
        ("1201031985031212A4", "非法字符"),
        ("120103198502301234", "出生日期"),
        (make_id()[:-1] + ("0" if make_id()[-1] != "0" else "1"), "校验位"),
    ],
)
def test_bad_id_numbers_say_why(raw: str, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        parse_id_number(raw)


def test_normalisation_of_excel_and_fullwidth_input() -> None:
    good = make_id()
    assert normalize_id_number(" " + good + " ") == good
    full = good.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_id_number(full).number == good


@given(st.text(max_size=30))
def test_parse_id_number_raises_only_input_error(text: str) -> None:
    try:
        parse_id_number(text)
    except InputError:
        pass


def test_masks() -> None:
    assert mask_id_number("120103198503121234") == "120103********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("022-23456789") == "022-****6789"
    assert mask_phone(None) == ""
    assert mask_name("张三") == "张*" and mask_name("欧阳娜娜") == "欧阳**"
