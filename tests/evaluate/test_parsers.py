"""The parser section: 51job pattern tables and generated rows, failures listed."""

from __future__ import annotations

import csv
from pathlib import Path

from matching.evaluate.parsers import evaluate_parsers

DATA = Path(__file__).resolve().parents[1] / "data"


def test_no_shared_data_is_skipped_with_message() -> None:
    out = evaluate_parsers(None)
    assert "needs ../shared/data" in out["skipped_51job"]


def test_generated_parser_check_lists_failures() -> None:
    rows = [{"薪资": "4000-5000元/月", "工作地址": "天津市河西区友谊路"},
            {"薪资": "面议", "工作地址": "不知道哪里"}]  # fmt: skip
    truth = [{"salary": {"unit": "month", "min": 4000, "max": 5000}, "district": "河西区"},
             {"salary": {"unit": "month", "min": 3000, "max": 3000}, "district": "河东区"}]  # fmt: skip
    out = evaluate_parsers(None, generated=(rows, truth))
    assert out["salary_generated"]["exact"] == 0.5
    assert out["salary_generated"]["failures"][0]["text"] == "面议"
    assert out["location_generated"]["failures"][0]["expected"] == "河东区"


def _column(path: Path, name: str) -> set[str]:
    with path.open(encoding="utf-8") as f:
        return {r[name] for r in csv.DictReader(f)}


def test_pattern_tables_cover_every_51job_string(shared_data: Path) -> None:
    out = evaluate_parsers(shared_data)
    assert out["salary_51job"]["not_in_table"] == []
    assert out["location_51job"]["not_in_table"] == []
    assert out["salary_51job"]["patterns"] == len(_column(DATA / "salary_patterns.csv", "salary"))
    assert out["location_51job"]["patterns"] == len(
        _column(DATA / "location_patterns.csv", "address")
    )
