"""Shared by the bench scripts: machine line and appending a table to docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return f"{os.cpu_count()} cores (nproc), {model or 'unknown CPU'}, Python {platform.python_version()}"


def load() -> str:
    """The 1, 5 and 15 minute load averages (the machine is shared: read figures with them)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        if isinstance(v, float):
            return f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}"
        return str(v)

    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(out)


def append(title: str, body: str) -> None:
    """Print ``body`` and append it under ``title`` with the command, machine and date."""
    command = "python " + " ".join(sys.argv)
    text = (
        f"\n## {title}\n\n`{command}` — {machine()} — "
        f"{dt.datetime.now().astimezone().isoformat(timespec='minutes')} — load {load()}\n\n"
        f"{body}\n"
    )
    print(text)
    DOC.parent.mkdir(exist_ok=True)
    if not DOC.exists():
        DOC.write_text(
            "# Benchmarks\n\nMeasured tables, appended by the scripts in `bench/`.\n", "utf-8"
        )
    with DOC.open("a", encoding="utf-8") as f:
        f.write(text)
