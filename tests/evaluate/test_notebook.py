"""The evaluation notebook executes on a small sample, so it cannot rot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "evaluation.ipynb"


def test_evaluation_notebook_executes(monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    for name, value in (("SONGGANG_EVAL_POSTINGS", "150"), ("SONGGANG_EVAL_PERSONS", "20"),
                        ("SONGGANG_EVAL_CASES", "20"), ("SONGGANG_EVAL_QUICK", "1")):  # fmt: skip
        monkeypatch.setenv(name, value)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent.parent)}},
    )
    client.execute(env=dict(os.environ))
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert (
        sum("image/png" in o.get("data", {}) for o in outputs) >= 2
    )  # ranking + exposure at least
