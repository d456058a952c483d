"""``songgang train``: retrain the job classifier into models/ with its model card."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matching.cli.common import fail, out

__all__ = ["train"]


def train(
    shared: Annotated[
        Path, typer.Option(envvar="SONGGANG_SHARED_DATA", help="../shared/data")
    ] = Path("../shared/data"),
    out_dir: Annotated[Path, typer.Option("--out")] = Path("models"),
    seed: int = 0,
) -> None:
    """Retrain the job classifier and rewrite models/ with its model card."""
    from matching.understand.classifier import train as train_classifier

    if not shared.is_dir():
        fail(f"找不到共享数据目录 / shared data folder not found: {shared}")
    metrics = train_classifier(shared, out_dir, seed=seed)
    for key, value in metrics.items():
        out.print(f"  {key}: {value}")
