"""`songgang learn …` on the simulator: train writes the model, its sidecar and card; evaluate
prints every estimator; promote refuses a model it cannot show better; status and rollback."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from matching.cli.main import app

runner = CliRunner()


def test_the_learning_loop_on_the_simulator(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 's.db'}"]
    learned, card = tmp_path / "learned", tmp_path / "LEARNED.md"
    res = runner.invoke(app, ["learn", "train", "--simulate", "2000", "--n-boot", "50", *db,
                              "--out", str(learned), "--card", str(card)])  # fmt: skip
    assert res.exit_code == 0, res.output
    (model,) = learned.glob("ltr-*.txt")
    side = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    text = card.read_text(encoding="utf-8")
    assert side["model_id"] in text and side["sha256"] in text
    assert "songgang learn train --simulate 2000 --seed 0" in text and "| truth |" in text
    assert "simulated truth: contact" in res.output

    res = runner.invoke(app, ["learn", "evaluate", "--policy", str(model), "--simulate", "1500",
                              "--n-boot", "50", *db])  # fmt: skip
    assert res.exit_code == 0, res.output
    for outcome in ("contact", "interview", "hire"):
        for estimator in ("IPS", "SNIPS", "DR"):
            assert f"{outcome:<10} {estimator}" in res.output
    assert "7500 logged pushes" in res.output

    # 300 persons: the interval is too wide to show the model better than the engine
    res = runner.invoke(app, ["learn", "promote", str(model), "--by", "王科长", "--simulate",
                              "300", "--seed", "3", "--n-boot", "100", *db])  # fmt: skip
    assert res.exit_code == 1 and "拒绝上线" in res.output and "refused" in res.output
    res = runner.invoke(app, ["learn", "status", *db])
    assert "现在使用 serving: 人工权重 hand weights" in res.output and "promote" not in res.output
    res = runner.invoke(app, ["learn", "rollback", "--by", "王科长", *db])
    assert res.exit_code == 1 and "nothing to roll back" in res.output
    res = runner.invoke(app, ["learn", "promote", str(model), "--simulate", "300", *db])
    assert res.exit_code != 0  # --by is required

    csv = tmp_path / "fair.csv"
    res = runner.invoke(app, ["learn", "fairness", "--policy", str(model), "--simulate", "1500",
                              "--n-boot", "20", "--out", str(csv), *db])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "4050" in res.output and "largest exposure gap (pushes per person): 0.000" in res.output
    assert csv.read_text(encoding="utf-8-sig").startswith("dimension,group,policy,persons")
