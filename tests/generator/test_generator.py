"""The sample-data generator: determinism, coverage, valid identities, realistic sheets, bad rows.

Rows are checked with the project's own primitives (idcard, divisions, categories) and small
validators written here, not with matching.ingest.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from matching.domain import divisions
from matching.domain.categories import ALL, Category, parse_categories
from matching.domain.columns import PERSON_HEADERS, PERSON_REQUIRED, POSTING_HEADERS
from matching.domain.idcard import parse_id_number
from matching.exceptions import InputError
from matching.generator import (
    PERSON_BAD_KINDS,
    POSTING_BAD_KINDS,
    SALARY_FORMATS,
    generate_persons,
    generate_persons_with_truth,
    generate_postings,
    generate_postings_with_truth,
    write_sample,
)

P = {field: headers[0] for field, headers in PERSON_HEADERS.items()}
J = {field: headers[0] for field, headers in POSTING_HEADERS.items()}
TODAY = dt.date(2024, 10, 21)


# ---------------------------------------------------------------- validators (independent of io.py)
def parse_date(value: object) -> dt.date:
    """Every date form the generator writes; ValueError for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    for pattern in (
        r"(\d{4})-(\d{1,2})-(\d{1,2})",
        r"(\d{4})/(\d{1,2})/(\d{1,2})",
        r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
        r"(\d{4})(\d{2})(\d{2})",
        r"(\d{4})年(\d{1,2})月(\d{1,2})日",
    ):
        m = re.fullmatch(pattern, s)
        if m:
            return dt.date(*(int(g) for g in m.groups()))
    raise ValueError(f"not a date: {s!r}")


def phone_ok(value: object) -> bool:
    s = re.sub(r"[\s()\-]", "", str(value or ""))
    if not s:
        return True
    if s.startswith("022"):
        return len(s) == 11 and s.isdigit()
    return len(s) == 11 and s.isdigit() and s[0] == "1"


def person_problems(row: dict[str, Any]) -> list[str]:
    problems = []
    try:
        info = parse_id_number(row[P["id_number"]])
        if info.gender != row[P["gender"]]:
            problems.append("gender")
    except InputError:
        problems.append("id")
    try:
        if parse_date(row[P["registered_on"]]) < parse_date(row[P["unemployed_since"]]):
            problems.append("registered before unemployed")
    except ValueError:
        problems.append("date")
    if row[P["district"]] not in divisions.NAMES:
        problems.append("district")
    if not phone_ok(row[P["phone"]]):
        problems.append("phone")
    return problems


def posting_problems(row: dict[str, Any]) -> list[str]:
    problems = []
    if not str(row[J["title"]] or "").strip():
        problems.append("title")
    if row[J["district"]]:
        try:
            divisions.get(str(row[J["district"]]))
        except KeyError:
            problems.append("district")
    try:
        if parse_date(row[J["valid_from"]]) > parse_date(row[J["valid_until"]]):
            problems.append("dates reversed")
    except ValueError:
        problems.append("date")
    if not phone_ok(row[J["contact_phone"]]):
        problems.append("phone")
    return problems


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def postings_5000() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return generate_postings_with_truth(5000, seed=11)


@pytest.fixture(scope="module")
def persons_2000() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return generate_persons_with_truth(2000, seed=11)


# ---------------------------------------------------------------- determinism
def test_same_seed_same_rows_other_seed_other_rows() -> None:
    assert generate_postings(40, seed=3) == generate_postings(40, seed=3)
    assert generate_persons(40, seed=3) == generate_persons(40, seed=3)
    assert generate_postings(40, seed=3) != generate_postings(40, seed=4)
    assert generate_persons(40, seed=3) != generate_persons(40, seed=4)


def test_rows_use_canonical_headers_only() -> None:
    assert list(generate_postings(3, seed=1)[0]) == list(J.values())
    assert list(generate_persons(3, seed=1)[0]) == list(P.values())


@pytest.mark.parametrize("func", [generate_postings, generate_persons])
def test_negative_n_is_rejected(func: Any) -> None:
    with pytest.raises(ValueError, match="n must be"):
        func(-1, seed=0)
    assert func(0, seed=0) == []


# ---------------------------------------------------------------- postings
def test_every_category_and_district_at_5000(postings_5000: Any) -> None:
    _, truth = postings_5000
    assert {t["category"] for t in truth} == {c.value for c in ALL}
    assert {t["district"] for t in truth} == set(divisions.NAMES)
    counts = Counter(t["category"] for t in truth)
    assert min(counts.values()) >= 50  # not one token row per category


def _half(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


SALARY_PATTERNS = {
    "yuan_month": r"(月薪)?\d{4,5}[-〜~至到—]\d{4,5}(元(/月)?)?",
    "qian": r"\d千[-〜~至到—]\d+千(/月)?",
    "K": r"\d+(\.\d)?[-〜~至到—]\d+(\.\d)?K",
    "k_month": r"\d+(\.\d)?k[-〜~至到—]\d+(\.\d)?k/月",
    "wan_month": r"\d(\.\d+)?[-〜~至到—]\d(\.\d+)?万/月",
    "wan_months": r"\d(\.\d+)?[-〜~至到—]\d(\.\d+)?万·1\d薪",
    "qian_wan": r"\d千[-〜~至到—]\d(\.\d+)?万",
    "wan_year": r"\d+[-〜~至到—]\d+万/年",
    "day": r"(\d+元/[天日]|日薪\d+元)",
    "hour": r"(\d+元/(小)?时|每小时\d+元)",
    "from": r"(月薪)?\d+(元)?起",
    "above": r"(月入)?\d+(元)?以上",
    "base_commission": r"底薪\d+\+提成(\+奖金)?",
    "negotiable": r"(薪资|待遇)?面议",
}


def test_every_salary_format_appears_and_reads_as_its_format(postings_5000: Any) -> None:
    rows, truth = postings_5000
    assert set(SALARY_PATTERNS) == set(SALARY_FORMATS)
    seen = Counter(t["salary"]["format"] for t in truth)
    assert set(seen) == set(SALARY_FORMATS)
    for row, t in zip(rows, truth, strict=True):
        text = _half(row[J["salary_text"]]).replace(" ", "")
        assert re.fullmatch(SALARY_PATTERNS[t["salary"]["format"]], text), (text, t["salary"])
    texts = [r[J["salary_text"]] for r in rows]
    for sep in ("〜", "~", "至", "到"):
        assert any(sep in s for s in texts), sep
    assert any(re.search(r"[０-９]", s) for s in texts), "full-width digits"
    assert any(s != s.strip() or " " in s.strip() for s in texts), "stray spaces"


def test_salary_truth_is_consistent(postings_5000: Any) -> None:
    for t in postings_5000[1]:
        s = t["salary"]
        if s["min"] is not None and s["max"] is not None:
            assert s["min"] <= s["max"]
        if s["format"] == "negotiable":
            assert s["min"] is None and s["max"] is None


def test_titles_vary_a_lot(postings_5000: Any) -> None:
    rows, truth = postings_5000
    titles = [r[J["title"]] for r in rows]
    assert len(set(titles)) > 300
    # no category is named by one fixed word in all its titles
    by_cat: dict[str, set[str]] = {}
    for title, t in zip(titles, truth, strict=True):
        by_cat.setdefault(t["category"], set()).add(title)
    assert all(len(v) >= 30 for v in by_cat.values())


def test_category_column_left_empty_for_about_40_percent(postings_5000: Any) -> None:
    rows, truth = postings_5000
    cells = [r[J["category"]] for r in rows]
    share_empty = sum(not c for c in cells) / len(cells)
    assert 0.33 < share_empty < 0.47
    for cell, t in zip(cells, truth, strict=True):
        if cell:
            assert parse_categories(cell) == (Category(t["category"]),), cell


def test_district_cell_and_address_agree_with_truth(postings_5000: Any) -> None:
    rows, truth = postings_5000
    filled = 0
    for row, t in zip(rows, truth, strict=True):
        if row[J["district"]]:
            filled += 1
            assert divisions.get(row[J["district"]]).name == t["district"]
        named = [d for d in divisions.NAMES if d in row[J["address"]]]
        assert named in ([], [t["district"]]), (row[J["address"]], t["district"])
    assert 0.6 < filled / len(rows) < 0.8
    addresses = [r[J["address"]] for r in rows]
    assert any(a.startswith("天津市") and "街道" in a and a.endswith("号") for a in addresses)
    assert any(a in ("大港", "塘沽", "汉沽") or a.startswith(("大港", "塘沽")) for a in addresses)


def test_posting_rows_are_valid_and_dated_around_the_campaign(postings_5000: Any) -> None:
    rows, truth = postings_5000
    assert all(posting_problems(r) == [] for r in rows)
    until = [parse_date(r[J["valid_until"]]) for r in rows]
    assert any(u < TODAY for u in until) and any(u >= dt.date(2025, 3, 1) for u in until)
    assert all(
        dt.date(2024, 9, 1) <= parse_date(r[J["valid_from"]]) <= dt.date(2025, 3, 1) for r in rows
    )
    assert len({r[J["source_id"]] for r in rows}) == len(rows)
    assert {r[J["source"]] for r in rows} == {"sample"}
    counts = [h for h in (r[J["headcount"]] for r in rows) if isinstance(h, int)]
    assert min(counts) >= 1 and max(counts) <= 30
    assert any(r[J["headcount"]] == "若干" for r in rows)


def test_employer_wording_reads_like_postings(postings_5000: Any) -> None:
    text = " ".join(r[J["title"]] + " " + r[J["description"]] for r in postings_5000[0])
    for phrase in (
        "包吃住",
        "五险一金",
        "长白班",
        "做六休一",
        "日结",
        "多劳多得",
        "身体健康",
        "岁",
    ):
        assert phrase in text, phrase
    employers = {r[J["employer"]] for r in postings_5000[0]}
    assert len(employers) > 1000
    assert not any("{" in e for e in employers)


# ---------------------------------------------------------------- persons
def test_person_ids_are_valid_tianjin_and_match_gender(persons_2000: Any) -> None:
    rows, truth = persons_2000
    assert len({r[P["id_number"]] for r in rows}) == len(rows)
    for row, t in zip(rows, truth, strict=True):
        info = parse_id_number(row[P["id_number"]])
        assert info.gender == row[P["gender"]]
        assert info.area_code.startswith("1201")
        assert info.birth_date.isoformat() == t["birth_date"]


def test_person_ages_mostly_prime_working_some_beyond_retirement(persons_2000: Any) -> None:
    _, truth = persons_2000
    ages = [t["age"] for t in truth]
    assert min(ages) >= 16 and max(ages) <= 64
    assert sum(25 <= a <= 55 for a in ages) / len(ages) > 0.8
    beyond = [t for t in truth if t["beyond_retirement_age"]]
    assert 5 <= len(beyond) <= 100


def test_every_form_field_is_filled_where_the_form_requires(persons_2000: Any) -> None:
    rows, _ = persons_2000
    always = (*PERSON_REQUIRED, "district", "gender", "education", "registered_on", "unemployed_since",
              "household_address", "residential_address", "work_forms", "status", "accepts_messages")  # fmt: skip
    for row in rows:
        for field in always:
            assert str(row[P[field]]).strip(), (field, row)
        assert person_problems(row) == []
    fill = {f: sum(bool(r[P[f]]) for r in rows) / len(rows) for f in P}
    for field, share in (("phone", 0.9), ("wanted_categories", 0.85), ("skills", 0.5),
                         ("expected_pay", 0.6), ("location_requirement", 0.6), ("work_history", 0.6),
                         ("other_needs", 0.3), ("note", 0.02), ("deregistration_reason", 0.01)):  # fmt: skip
        assert fill[field] > share, (field, fill[field])


def test_person_values_look_like_the_bureau_form(persons_2000: Any) -> None:
    rows, truth = persons_2000
    edu = Counter(r[P["education"]] for r in rows)
    assert sum(edu[k] for k in ("初中", "高中", "中专")) / len(rows) > 0.5
    status = Counter(r[P["status"]] for r in rows)
    assert status.most_common(1)[0][0] == "登记失业"
    no_messages = sum(r[P["accepts_messages"]] == "否" for r in rows) / len(rows)
    assert 0.02 < no_messages < 0.08
    for row in rows:
        assert (
            dt.date(2023, 1, 1) <= parse_date(row[P["unemployed_since"]]) <= dt.date(2024, 12, 31)
        )
        for form in re.split(r"[、,；]", row[P["work_forms"]]):
            assert form in ("稳定就业", "灵活就业", "自主创业")
        for entry in filter(None, row[P["work_history"]].split("；")):
            assert len(entry.split("，")) == 3, entry
    assert any("；" in r[P["work_history"]] for r in rows)
    assert any("、" in r[P["work_forms"]] or "," in r[P["work_forms"]] for r in rows)
    in_charge_is_residence = sum(t["district"] == t["residence_district"] for t in truth)
    assert in_charge_is_residence / len(truth) > 0.9
    mobiles = [r[P["phone"]] for r in rows if r[P["phone"]][:1] == "1"]
    landlines = [r[P["phone"]] for r in rows if "022" in r[P["phone"]]]
    assert len(mobiles) > 5 * len(landlines) > 0


def test_wanted_categories_parse_back_to_the_truth(persons_2000: Any) -> None:
    rows, truth = persons_2000
    for row, t in zip(rows, truth, strict=True):
        assert 1 <= len(t["categories"]) <= 3
        if t["categories_written"]:
            parsed = parse_categories(row[P["wanted_categories"]])
            assert [c.value for c in parsed] == t["categories"], row[P["wanted_categories"]]


def test_wishes_are_correlated_with_gender_and_age(persons_2000: Any) -> None:
    _, truth = persons_2000
    women = [t for t in truth if int(t["id_number"][16]) % 2 == 0]
    men = [t for t in truth if int(t["id_number"][16]) % 2 == 1]

    def share(group: list[dict[str, Any]], cat: str) -> float:
        return sum(cat in t["categories"] for t in group) / len(group)

    assert share(women, "A") > 2 * share(men, "A")
    assert share(men, "B") > 2 * share(women, "B")
    assert all(t["age"] <= 28 for t in truth if "Q" in t["categories"])


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31))
def test_any_seed_gives_valid_rows(seed: int) -> None:
    assert all(person_problems(r) == [] for r in generate_persons(5, seed))
    assert all(posting_problems(r) == [] for r in generate_postings(5, seed))


# ---------------------------------------------------------------- sheets
def _header_row(path: Path, known: set[str]) -> int:
    """The first row at least 80 % of whose non-empty cells are known headers."""
    wb = load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    for i, values in enumerate(ws.iter_rows(values_only=True, max_row=10), start=1):
        cells = [str(v).strip() for v in values if v not in (None, "")]
        if cells and sum(c in known for c in cells) / len(cells) >= 0.8:
            wb.close()
            return i
    wb.close()
    raise AssertionError("no header row")


def _xlsx_rows(path: Path, header_row: int) -> list[dict[str, Any]]:
    wb = load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    header = [str(h) for h in rows[header_row - 1]]
    return [
        {h: ("" if v is None else v) for h, v in zip(header, r, strict=False)}
        for r in rows[header_row:]
    ]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "csv must start with a UTF-8 BOM"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("sample")
    return write_sample(out, persons=300, postings=200, seed=5, bad_rows=7)


def test_write_sample_lists_files_and_counts(sample: dict[str, Any]) -> None:
    for key in ("persons_xlsx", "persons_csv", "postings_xlsx", "postings_csv", "truth"):
        assert Path(sample[key]).is_file(), key
    assert (sample["persons"], sample["postings"], sample["bad_rows"]) == (300, 200, 7)


def test_header_row_is_found_under_the_title_row(sample: dict[str, Any]) -> None:
    person_known = {h for hs in PERSON_HEADERS.values() for h in hs}
    posting_known = {h for hs in POSTING_HEADERS.values() for h in hs}
    assert _header_row(sample["persons_xlsx"], person_known) == sample["persons_header_row"] == 2
    assert _header_row(sample["postings_xlsx"], posting_known) == sample["postings_header_row"] == 3
    wb = load_workbook(sample["persons_xlsx"])  # merged ranges need the normal reader
    ws = wb.worksheets[0]
    assert "登记失业人员" in str(ws["A1"].value)
    assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{ws.cell(2, len(P)).column_letter}1"]


@pytest.mark.parametrize(
    "kind, key, check, bad_kinds",
    [
        ("persons", "persons", person_problems, PERSON_BAD_KINDS),
        ("postings", "postings", posting_problems, POSTING_BAD_KINDS),
    ],
)
def test_bad_rows_are_exactly_the_invalid_rows(
    sample: dict[str, Any], kind: str, key: str, check: Any, bad_kinds: tuple[str, ...]
) -> None:
    truth = json.loads(Path(sample["truth"]).read_text(encoding="utf-8"))[key]
    csv_rows = _csv_rows(sample[f"{kind}_csv"])
    xlsx_rows = _xlsx_rows(sample[f"{kind}_xlsx"], truth["header_row"])
    assert len(csv_rows) == len(xlsx_rows) == len(truth["rows"]) == sample[key] + 7
    for rows in (csv_rows, xlsx_rows):
        invalid = [i for i, r in enumerate(rows) if check(r)]
        assert invalid == [i for i, t in enumerate(truth["rows"]) if t["bad"]]
    assert {t["bad"] for t in truth["rows"] if t["bad"]} == set(bad_kinds)
    # the csv and the xlsx hold the same text, cell for cell (dates aside)
    assert [r[next(iter(r))] for r in csv_rows] == [str(r[next(iter(r))]) for r in xlsx_rows]


def test_bad_rows_zero_gives_a_clean_sample(tmp_path: Path) -> None:
    info = write_sample(tmp_path, persons=30, postings=20, seed=9)
    assert not any(person_problems(r) for r in _csv_rows(info["persons_csv"]))
    assert not any(posting_problems(r) for r in _csv_rows(info["postings_csv"]))
    with pytest.raises(ValueError, match="bad_rows"):
        write_sample(tmp_path, persons=1, postings=1, seed=9, bad_rows=-1)


@pytest.mark.slow
def test_the_full_sample_is_written_whole(tmp_path: Path) -> None:
    """`make run`'s sample (its time is measured by `make sample`, not asserted here)."""
    info = write_sample(tmp_path, persons=20_000, postings=5_000, seed=20241021, bad_rows=5)
    persons, postings = _csv_rows(info["persons_csv"]), _csv_rows(info["postings_csv"])
    assert len(persons) == 20_000 + 5 and len(postings) == 5_000 + 5
    assert sum(bool(person_problems(r)) for r in persons) == 5
    assert sum(bool(posting_problems(r)) for r in postings) == 5


@pytest.mark.parametrize(
    "cat, core, duty_word, employer_word",
    [
        (Category.R, "图书管理员", "图书", "书"),
        (Category.R, "幼儿园老师", "幼儿", "幼儿园"),
        (Category.N, "药店营业员", "药品", "药"),
        (Category.H, "保安员", "门岗", ""),
        (Category.E, "出纳", "现金", ""),
        (Category.A, "保洁员", "", ""),  # no groups: the category's own phrases
    ],
)
def test_duties_and_employers_fit_the_title(
    cat: Category, core: str, duty_word: str, employer_word: str
) -> None:
    from matching.generator.groups import job_group
    from matching.generator.phrases import VOCAB

    group = job_group(cat, core)
    assert any(duty_word in d for d in group.duties)
    assert all(employer_word in e for e in group.employers)
    if not duty_word:
        assert group.duties == VOCAB[cat].duties
