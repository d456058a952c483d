"""The classifier section of the evaluation: judged-dev's per-category table."""

from __future__ import annotations

from matching.evaluate.categories import judged_dev_markdown


def test_judged_dev_markdown_table() -> None:
    m = {"n": 3, "top1": 2 / 3, "title_only_top1": 1 / 3, "majority_baseline": 1 / 3,
         "macro_f1": 0.5, "per_category": {"A": {"n": 2, "top1": 1.0}, "Q": {"n": 1, "top1": 0.0}}}  # fmt: skip
    lines = judged_dev_markdown(m)
    text = "\n".join(lines)
    assert "top-1 0.667 (title alone 0.333; majority class 0.333), macro-F1 0.500" in text
    assert "| A | 2 | 1.000 |" in lines and "| Q | 1 | 0.000 |" in lines
    assert judged_dev_markdown(None) == []
