"""Small helpers of the report: a markdown table and a grouped bar chart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["plot_bars", "md_table"]


def md_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return f"{v:.4f}" if isinstance(v, float) else str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def plot_bars(
    data: Mapping[str, Mapping[str, float]], metrics: Sequence[str], title: str, path: Path
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(data)
    fig, ax = plt.subplots(figsize=(7, 3.8))
    width = 0.8 / len(metrics)
    for j, metric in enumerate(metrics):
        ax.bar(
            [i + j * width for i in range(len(names))],
            [data[n][metric] for n in names],
            width,
            label=metric,
        )
    ax.set_xticks(
        [i + width * (len(metrics) - 1) / 2 for i in range(len(names))], names, rotation=20
    )
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
