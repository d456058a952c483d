"""The nightly run's who and how: the retirement rule (women of 52 and 57, men of 61), SMS only
to mobile numbers (landlines on the call sheet with 电话), posting ids on every row."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
import test_batch
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from matching.config import MatchingConfig
from matching.domain.idcard import check_digit
from matching.domain.phone import is_mobile
from matching.nightly.records import NightlySettings, Registrant
from matching.nightly.run import run_nightly
from matching.nightly.storage import eligible_persons
from matching.store.db import session_scope
from matching.store.nightly_tables import PushRow
from matching.store.persons import iter_person_records
from matching.store.tables import PersonRow

# the generated world of test_batch (imported and indexed) and a private copy of its database
world, db = test_batch.world, test_batch.db
DAY = dt.date(2024, 10, 21)
# no posting is capped out, so every eligible person with candidates gets pushes
SETTINGS = NightlySettings(per_person=3, cap_multiple=1000.0, chunk_size=50)
LANDLINES = ("022-23456789", "(022)28765432", "02258761234")
# key → (birth date, male, phone); ages on DAY
ADDED = {
    "woman49": ("19750601", False, "13912340001"),  # retires at 50y5m (2025-11): in
    "woman52": ("19720301", False, "13912340002"),  # retired at 50 (2022): out
    "woman57": ("19670415", False, "13912340003"),  # out with either baseline
    "man59": ("19650601", True, "13912340004"),  # retires at 60y2m (2025-08): in
    "man61": ("19630310", True, "13912340005"),  # retired at 60 (2023): out
    **{f"landline{i}": ("19900101", True, p) for i, p in enumerate(LANDLINES)},
    "spaced": ("19900101", False, "139 1234 0009"),  # a mobile written with spaces
}


@pytest.fixture
def added(db: Engine) -> dict[str, str]:
    """Clones of a 30-year-old registered person who accepts messages, with ADDED's facts."""
    out: dict[str, str] = {}
    with session_scope(db) as s:
        rows = s.scalars(select(PersonRow).where(PersonRow.status == "registered")).all()
        template = next(
            r for r in rows if r.accepts_messages and 25 <= (DAY - r.birth_date).days // 365 <= 35
        )
        base = {c.name: getattr(template, c.name) for c in PersonRow.__table__.columns}
        del base["id"]
        for n, (key, (birth, male, phone)) in enumerate(ADDED.items()):
            seq = 2 * n + 501 + (0 if male else 1)
            first17 = f"{template.id_number[:6]}{birth}{seq:03d}"
            number = first17 + check_digit(first17)
            s.add(PersonRow(**{**base, "id_number": number, "name": f"测试{n}",
                               "gender": "男" if male else "女", "phone": phone,
                               "birth_date": dt.datetime.strptime(birth, "%Y%m%d").date()}))  # fmt: skip
            out[key] = number
    return out


def test_retirement_rule_decides_who_is_pushed(db: Engine, added: dict[str, str]) -> None:
    with session_scope(db) as s:
        registrants = [Registrant.of(r) for r in iter_person_records(s, status="registered")]
    for baseline, expected_out in ((50, {"woman52", "woman57", "man61"}),
                                   (55, {"woman57", "man61"})):  # fmt: skip
        config = MatchingConfig(female_retirement_baseline=baseline)
        kept = {p.id_number for p in eligible_persons(registrants, DAY, SETTINGS, config)}
        assert {k for k in ADDED if added[k] not in kept} == expected_out, baseline
    with pytest.raises(ValueError, match="50 or 55"):
        MatchingConfig(female_retirement_baseline=60).validate()


def test_a_registrants_stored_row_gives_the_person_the_row_gives(
    db: Engine, added: dict[str, str]
) -> None:
    # The row travels to the workers as JSON (dates as ISO text) and becomes the same Person.
    from matching.store.persons import person_from_record

    with session_scope(db) as s:
        records = list(iter_person_records(s, status="registered"))
    assert records
    for record in records:
        assert person_from_record(Registrant.of(record).record) == person_from_record(record)


def test_recommendations_follow_the_same_rule(world: Path, db: Engine, added: dict[str, str]):  # type: ignore[no-untyped-def]
    from matching.nightly.scoring import engine_at
    from matching.rank.snapshots import current_path
    from matching.store.persons import person_from_record

    engine = engine_at(str(current_path(world / "index").resolve()))
    with session_scope(db) as s:
        people = {r["id_number"]: person_from_record(r) for r in iter_person_records(s)}
    for key in ("woman52", "woman57", "man61"):
        assert engine.recommend(people[added[key]], 3, today=DAY) == [], key
    young = people[added["woman52"]].model_copy(update={"birth_date": dt.date(1990, 3, 1)})
    assert engine.recommend(young, 3, today=DAY)  # the same profile, of working age


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig") as f:
        return list(csv.reader(f))[1:]


def test_landlines_are_called_and_every_row_names_its_postings(
    world: Path, db: Engine, added: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run_nightly(db, world / "index", out, day=DAY, settings=SETTINGS, processes=1)
    with session_scope(db) as s:
        people = {r.id_number: r for r in s.scalars(select(PersonRow))}
        pushes: dict[str, list[tuple[int, str, str]]] = {}
        for idn, pid, rank, channel, code in s.execute(
            select(PersonRow.id_number, PushRow.posting_id, PushRow.rank, PushRow.channel,
                   PushRow.code).join(PersonRow, PersonRow.id == PushRow.person_id)
        ):  # fmt: skip
            pushes.setdefault(idn, []).append((rank, str(pid), code))
            assert channel == ("message" if people[idn].accepts_messages
                               and is_mobile(people[idn].phone) else "call")  # fmt: skip
    for key in ("woman52", "woman57", "man61"):
        assert added[key] not in pushes, key
    for key in ("woman49", "man59", "spaced", *(k for k in ADDED if k.startswith("landline"))):
        assert added[key] in pushes, key
    district = people[added["landline0"]].district
    folder = out / district
    # the call sheet: landlines called, every posting with its id and reply code
    sheet = load_workbook(folder / "call_sheet.xlsx").active
    rows = {(r[1], r[3]): r for r in sheet.iter_rows(min_row=3, values_only=True)}
    for idn, items in pushes.items():
        person = people[idn]
        if person.district != district:
            continue
        row = rows[(person.name, person.phone)]
        listed = re.findall(r"^\d+\. 岗位编号(\d+)｜.*｜回复码(\w{5})", row[5], re.M)
        assert listed == [(pid, code) for _, pid, code in sorted(items)]
    for key in (k for k in ADDED if k.startswith("landline")):
        row = rows[(people[added[key]].name, people[added[key]].phone)]
        assert row[4] == "电话（非手机号码，不能发短信）"
    assert rows[(people[added["spaced"]].name, "139 1234 0009")][4] == "短信+微信"
    # SMS and WeChat: mobiles only, each row names its posting ids and reply codes
    sms = _csv(folder / "sms.csv")
    assert sms and all(is_mobile(phone) for phone, *_ in sms)
    assert not set(LANDLINES) & {phone for phone, *_ in sms}
    by_mobile = {re.sub(r"\D", "", people[i].phone or ""): i for i in pushes}
    for phone, pid, code, text in sms:
        assert (pid, code) in {(p, c) for _, p, c in pushes[by_mobile[phone]]} and code in text
    assert ["13912340009"] == [r[0] for r in sms if r[0] == "13912340009"][:1]
    for phone, pids, codes, text in _csv(folder / "wechat.csv"):
        items = sorted(pushes[by_mobile[phone]])
        assert pids.split("、") == [p for _, p, _ in items]
        assert codes.split("、") == [c for _, _, c in items]
        assert all(f"岗位编号：{p}，回复码：{c}" in text for _, p, c in items)
    # the run report counts those called because their number is not a mobile
    not_mobile = {i for i in pushes if people[i].accepts_messages and people[i].phone
                  and not is_mobile(people[i].phone)}  # fmt: skip
    assert {added[k] for k in ADDED if k.startswith("landline")} <= not_mobile
    capped = result.counts["capped"]
    assert capped["call"]["not_mobile"] == len(not_mobile)
    assert capped["districts"][district]["not_mobile"] == sum(
        people[i].district == district for i in not_mobile
    )
    messaged = sum(people[i].accepts_messages and is_mobile(people[i].phone) for i in pushes)
    assert capped["messaged"] == messaged
    report = (out / "report.md").read_text(encoding="utf-8")
    assert (
        f"| covered, call: not_mobile 电话（非手机号码，不能发短信） | {len(not_mobile)} |"
        in report
    )
