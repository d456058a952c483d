"""Evaluation metrics on hand-computed cases, known-answer sets, and the evaluate command."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from matching.evaluate.evaluation import (
    coverage,
    evaluate_parsers,
    exposure_gini,
    gini,
    known_answer_cases,
    ndcg_at_k,
    read_judged,
    recall_at_k,
    reciprocal_rank,
)
from tests.conftest import TODAY, shared_data_dir, tiny_persons, tiny_postings

DATA = Path(__file__).resolve().parents[1] / "data"
L2 = math.log2


@pytest.mark.parametrize(
    ("ranked", "rel", "k", "expected"),
    [
        (["a", "b", "c"], {"a": 2, "b": 1}, 10, 1.0),  # ideal order
        (["b", "a"], {"a": 2, "b": 1}, 10, (1 + 2 / L2(3)) / (2 + 1 / L2(3))),
        (["x", "a"], {"a": 1}, 10, 1 / L2(3)),
        (["x", "y"], {"a": 1}, 10, 0.0),
        (["x", "a"], {"a": 1}, 1, 0.0),  # cut at k
        ([], {}, 10, 0.0),  # nothing relevant
    ],
)
def test_ndcg_known_rankings(
    ranked: list[str], rel: dict[str, int], k: int, expected: float
) -> None:
    assert ndcg_at_k(ranked, rel, k) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("ranked", "rel", "k", "recall", "rr"),
    [
        (["x", "a", "b"], {"a": 1, "b": 2, "c": 1}, 10, 2 / 3, 1 / 2),
        (["x", "a"], {"a": 1, "b": 1, "c": 1}, 1, 0.0, 1 / 2),
        (["a"], {"a": 1, "b": 1}, 1, 1.0, 1.0),  # denominator min(k, #relevant)
        (["x"], {"a": 0}, 10, 0.0, 0.0),  # grade 0 is not relevant
    ],
)
def test_recall_and_reciprocal_rank(
    ranked: list[str], rel: dict[str, int], k: int, recall: float, rr: float
) -> None:
    assert recall_at_k(ranked, rel, k) == pytest.approx(recall)
    assert reciprocal_rank(ranked, rel) == pytest.approx(rr)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([3, 3, 3, 3], 0.0), ([0, 0, 0, 4], 0.75), ([0, 1], 0.5), ([1, 2, 3], 2 / 9), ([], 0.0)],
)
def test_gini_equal_and_unequal(values: list[float], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)


@given(st.lists(st.integers(0, 50), min_size=1, max_size=30))
def test_gini_bounds_and_scale_invariance(values: list[int]) -> None:
    g = gini(values)
    assert 0.0 <= g <= 1.0
    assert gini([3 * v for v in values]) == pytest.approx(g)


def test_exposure_counts_unshown_items() -> None:
    lists = [["a", "b"], ["a"], ["a"]]
    assert exposure_gini(lists, ["a", "b"]) == pytest.approx(gini([3, 1]))
    assert exposure_gini(lists, ["a", "b", "c", "d"]) == pytest.approx(gini([3, 1, 0, 0]))
    assert coverage(lists, ["a", "b", "c", "d"]) == 0.5
    with pytest.raises(ValueError, match="non-negative"):
        gini([-1, 2])


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


def test_evaluate_command_on_tiny_sample(tmp_path: Path) -> None:
    from matching.cli.evaluate import evaluate

    app = typer.Typer()
    app.command()(evaluate)
    args = ["--out", str(tmp_path / "eval"), "--postings", "150", "--persons", "20",
            "--cases", "25", "--quick"]  # fmt: skip
    shared = shared_data_dir()
    if shared is not None:
        args += ["--shared", str(shared)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = (tmp_path / "eval" / "report.md").read_text(encoding="utf-8")
    for heading in ("## Ranking", "## Congestion and fairness", "## Parsers", "## Categories"):
        assert heading in report
    for name in ("engine", "exhaustive", "random", "popularity", "category_filter", "bm25"):
        assert f"| {name} |" in report
    assert (tmp_path / "eval" / "ranking.png").stat().st_size > 1000
    assert (tmp_path / "eval" / "exposure.png").stat().st_size > 1000
    if shared is None:
        assert "skipped" in report


def test_evaluate_command_rejects_missing_judged_file(tmp_path: Path) -> None:
    from matching.cli.evaluate import evaluate

    app = typer.Typer()
    app.command()(evaluate)
    result = CliRunner().invoke(
        app, ["--out", str(tmp_path), "--judged", str(tmp_path / "no.jsonl")]
    )
    assert result.exit_code == 2


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
