"""The posting table reads a text only when it holds a word a reader needs (tables.set_shifts).

Each ``*_HINT`` pattern must be found in every text its reader gives a value for; the table
built with the hints must equal the one built by running every reader on every text (the
way the table was built before).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matching.rank.tables import _PERIOD_HINT, PAY_MONTH, PAY_PERIODS, PostingTable, fit_pay
from matching.schemas import Posting
from matching.understand.certificates import CERTIFICATE_HINT, held, required
from matching.understand.community import COMMUNITY_HINT, street_code, street_only
from matching.understand.experience import wanted_trades
from matching.understand.limits import DEMAND_HINT, find_demands
from matching.understand.salary import salary_period
from matching.understand.schedule import SHIFT_HINT, Shift, parse_shift
from matching.understand.text import nfkc
from matching.understand.workload import (
    DAY_HOURS_HINT,
    OFFERS_HINT,
    offers_part_time,
    stated_day_hours,
)
from tests.conftest import real_postings

# texts near each hint's edge: full-width forms NFKC folds, words that almost match
_ODD = [
    "早班７：００－１５：００", "长白班8点到下午5点", "白夜班", "早中晚班", "做一休一", "上一休一",
    "大夜", "通宵值守", "24小时值班", "晚班", "中班", "七点半到下午四点", "⑧点上班",
    "需持Ｃ１驾照", "a2驾照司机", "b1驾驶证", "持有效电工證", "叉车N1", "c3准驾车型", "健康証",
    "无需搬运", "搬运工", "需站立", "驻外地", "住家保姆", "吃住在雇主家", "２４小时在岗",
    "公益性岗位，限本街道户籍或常住人员", "公益岗，仅限户籍或常住在长虹街道的", "公益 岗",
    "每天工作８小时", "每天约8个钟头", "一班十二小时", "时间灵活", "可只做上午", "每天4-6小时",
    "钟点工", "弹性工作", "半日", "兼职", "", "　", "Σ", "ｃｏｍｍｉｓｓｉｏｎ",
]  # fmt: skip


def _texts(postings: list[Posting]) -> list[str]:
    return [f"{p.title} {p.description}" for p in postings] + _ODD


def _generated(n: int = 1500) -> list[Posting]:
    from matching.evaluate.generated import generated_postings

    postings, _ = generated_postings(n, 11)
    return postings


def _check_hints(texts: list[str]) -> None:
    for text in texts:
        s = nfkc(text)
        if not SHIFT_HINT.search(s):
            assert parse_shift(text) == Shift(), text
        if not DEMAND_HINT.search(s):
            assert find_demands(text) == {}, text
        if not CERTIFICATE_HINT.search(s):
            assert required(text) == (0, 0) and held(text) == 0, text
        if not COMMUNITY_HINT.search(s):
            assert street_only(text, "长虹街道") is None, text
        if not OFFERS_HINT.search(s):
            assert not offers_part_time(text), text
        if not DAY_HOURS_HINT.search(s):
            assert stated_day_hours(text) is None, text


def test_each_hint_is_in_every_text_its_reader_reads_on_generated_postings() -> None:
    texts = _texts(_generated())
    _check_hints(texts)
    # the hints leave texts out, or they would save nothing
    assert sum(not SHIFT_HINT.search(nfkc(t)) for t in texts) > len(texts) // 10


def test_each_hint_is_in_every_text_its_reader_reads_on_real_postings(shared_data: Path) -> None:
    _check_hints(_texts(real_postings(shared_data)))


def _every_reader_on_every_text(postings: list[Posting]) -> PostingTable:
    """The table as set_shifts built it before the hints: every reader on every posting."""
    t = PostingTable.from_postings(postings)
    for i, p in enumerate(postings):
        text = f"{p.title} {p.description}"
        t.demands[i] = sum(find_demands(text))
        t.certificates[i], t.certificates_any[i] = required(text)
        t.experience[i] = wanted_trades(p.title, p.description, p.experience_years)
        fit = fit_pay(p)
        t.commission[i] = fit is not None and fit.commission
        own = p.location.street if p.location else None
        t.street_only[i] = street_code(street_only(text, own))
        period = salary_period(p.salary_text) if _PERIOD_HINT.search(p.salary_text) else None
        t.pay_period[i] = PAY_PERIODS.get(period or "", PAY_MONTH)
        t.part_time_ok[i] = offers_part_time(f"{text} {p.salary_text}", period)
        day = stated_day_hours(text)
        t.day_hours[i] = np.nan if day is None else day
        shift = parse_shift(text)
        t.off_day[i] = shift.off_day
        t.start_h[i] = np.nan if shift.start_h is None or shift.end_h is None else shift.start_h
        t.end_h[i] = np.nan if shift.start_h is None or shift.end_h is None else shift.end_h
    return t


@pytest.mark.parametrize("extra", [[], ["odd"]])
def test_the_table_equals_every_reader_on_every_text(extra: list[str]) -> None:
    postings = _generated(800)
    if extra:
        postings += [Posting(title="招聘", description=d, salary_text=d[:8]) for d in _ODD]
    built = PostingTable.from_postings(postings)
    reference = _every_reader_on_every_text(postings)
    for name, column in built.arrays().items():
        assert np.array_equal(column, reference.arrays()[name], equal_nan=True), name
    assert built.off_day.any() and built.demands.any() and built.certificates.any()
    assert built.part_time_ok.any()
    assert (~np.isnan(built.day_hours)).any() == bool(extra)  # the generator states no day


def test_set_shifts_on_a_filled_table_reads_it_again() -> None:
    """A snapshot's table whose shift columns are set (persistence reads them again)."""
    postings = _generated(300)
    table = PostingTable.from_postings(postings)
    stale = PostingTable.from_postings(postings)
    for column in (stale.demands, stale.certificates, stale.street_only, stale.off_day):
        column[:] = 1
    stale.part_time_ok[:] = True
    stale.day_hours[:] = 3.0
    stale.set_shifts(postings)
    for name, column in table.arrays().items():
        assert np.array_equal(column, stale.arrays()[name], equal_nan=True), name
