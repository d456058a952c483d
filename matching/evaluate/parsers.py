"""Parser section of the report: exact-match rates of ``parse_salary`` and ``parse_location``
on the 51job strings (against the expected-pattern tables) and on generated rows.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matching.domain.columns import POSTING_HEADERS

__all__ = [
    "evaluate_parsers",
]


def _expected_int(value: str) -> int | None:
    return int(value) if value.strip() else None


def _read_pattern_table(name: str, patterns_dir: Path | None) -> list[dict[str, str]]:
    path = (patterns_dir or Path(__file__).resolve().parents[2] / "tests" / "data") / name
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _fiftyone_strings(shared: Path) -> tuple[Counter[str], Counter[str]]:
    """(salary strings, address strings) of the 51job csv files with their row counts."""
    salaries: Counter[str] = Counter()
    addresses: Counter[str] = Counter()
    for path in sorted((shared / "51job").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                s = (row.get("薪酬") or row.get("薪资") or "").strip()
                a = (row.get("地址") or row.get("公司地址") or "").strip()
                if s:
                    salaries[s] += 1
                if a:
                    addresses[a] += 1
    return salaries, addresses


def evaluate_parsers(
    shared: Path | None,
    *,
    generated: tuple[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]] | None = None,
    patterns_dir: Path | None = None,
) -> dict[str, Any]:
    """Exact-match rates of ``parse_salary`` (monthly min and max) and ``parse_location``
    (district) on the 51job strings against the expected-pattern tables, and on generated rows.

    Every failure is listed. ``generated`` = (rows, truth) from the generator.
    """
    from matching.understand.location import parse_location
    from matching.understand.salary import parse_salary

    out: dict[str, Any] = {}
    if shared is not None and (shared / "51job").is_dir():
        salaries, addresses = _fiftyone_strings(shared)
        table = {r["salary"]: r for r in _read_pattern_table("salary_patterns.csv", patterns_dir)}
        fails, rows_ok, rows_all, unknown = [], 0, 0, []
        for s, count in sorted(salaries.items()):
            if s not in table:
                unknown.append(s)
                continue
            exp = (_expected_int(table[s]["monthly_min"]), _expected_int(table[s]["monthly_max"]))
            r = parse_salary(s)
            got = (r.monthly_min_yuan, r.monthly_max_yuan) if r else (None, None)
            rows_all += count
            if got == exp:
                rows_ok += count
            else:
                fails.append({"text": s, "expected": exp, "got": got, "rows": count})
        n = len(salaries) - len(unknown)
        out["salary_51job"] = {
            "patterns": n, "exact": round(1 - len(fails) / n, 4) if n else float("nan"),
            "rows": rows_all, "exact_rows": round(rows_ok / rows_all, 4) if rows_all else float("nan"),
            "failures": fails, "not_in_table": unknown,
        }  # fmt: skip
        table = {
            r["address"]: r for r in _read_pattern_table("location_patterns.csv", patterns_dir)
        }
        fails, unknown = [], []
        for a, count in sorted(addresses.items()):
            if a not in table:
                unknown.append(a)
                continue
            exp_d = table[a]["district"] or None
            loc = parse_location(a)
            got_d = loc.district if loc else None
            if got_d != exp_d:
                fails.append({"text": a, "expected": exp_d, "got": got_d, "rows": count})
        n = len(addresses) - len(unknown)
        out["location_51job"] = {
            "patterns": n, "exact": round(1 - len(fails) / n, 4) if n else float("nan"),
            "failures": fails, "not_in_table": unknown,
        }  # fmt: skip
    else:
        out["skipped_51job"] = "needs ../shared/data/51job (set SONGGANG_SHARED_DATA)"
    if generated is not None:
        rows, truth = generated
        sal_col, addr_col = POSTING_HEADERS["salary_text"][0], POSTING_HEADERS["address"][0]
        sfails, lfails, n_addr = [], [], 0
        for row, t in zip(rows, truth, strict=True):
            text = row.get(sal_col) or ""
            r = parse_salary(text)
            got = (r.monthly_min_yuan, r.monthly_max_yuan) if r else (None, None)
            exp = _generated_salary(t["salary"])
            if got != exp:
                sfails.append(
                    {"text": text, "format": t["salary"].get("format"), "expected": exp, "got": got}
                )
            addr = str(row.get(addr_col) or "").strip()
            if not addr:  # no address written: the district column carries it, nothing to parse
                continue
            n_addr += 1
            loc = parse_location(addr)
            if (loc.district if loc else None) != t["district"]:
                lfails.append(
                    {"text": addr, "expected": t["district"], "got": loc.district if loc else None}
                )
        n = len(rows)
        out["salary_generated"] = {
            "n": n,
            "exact": round(1 - len(sfails) / n, 4) if n else float("nan"),
            "failures": sfails,
        }
        out["location_generated"] = {"n": n_addr, "exact": round(1 - len(lfails) / n_addr, 4) if n_addr else float("nan"), "failures": lfails}  # fmt: skip
    return out


_DAYS_PER_MONTH = 21.75
_HOURS_PER_MONTH = 174.0


def _generated_salary(s: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """Monthly (min, max) in yuan from the generator's truth (unit, min, max)."""
    if s.get("min") is None and s.get("max") is None:
        return (None, None)
    factor = {"month": 1.0, "year": 1 / 12, "day": _DAYS_PER_MONTH, "hour": _HOURS_PER_MONTH,
              "week": 52 / 12}.get(s.get("unit", "month"), 1.0)  # fmt: skip

    def conv(v: float | None) -> int | None:
        return None if v is None else int(math.floor(float(v) * factor + 0.5))  # half up

    return conv(s.get("min")), conv(s.get("max"))
