"""The campaign page: a markdown page and a png chart of a month's 附件1 against the targets
(contact-service rate ≥ 50 %, 30,000 re-employed), per district and city-wide."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from matching.campaign.monthly import MonthlyReport, check_identities
from matching.domain import divisions

__all__ = ["CONTACT_TARGET", "REEMPLOYMENT_TARGET", "CampaignPage", "write_campaign_page"]

CONTACT_TARGET = 0.5
REEMPLOYMENT_TARGET = 30_000


@dataclass(frozen=True, slots=True)
class CampaignPage:
    """The files of the campaign page."""

    markdown: Path
    chart: Path


def _chart(report: MonthlyReport, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    cjk = next(
        (f.name for f in font_manager.fontManager.ttflist
         if any(k in f.name for k in ("CJK", "WenQuanYi", "SimHei", "Hei", "Song"))),
        None,
    )  # fmt: skip
    labels = [
        divisions.get(r.district).short if cjk else divisions.get(r.district).code
        for r in report.rows
    ]
    labels.append("全市" if cjk else "city")
    rates = [r.contact_rate * 100 for r in (*report.rows, report.total)]
    with (
        warnings.catch_warnings(),
        plt.rc_context({"font.family": [cjk] if cjk else ["DejaVu Sans"]}),
    ):
        warnings.simplefilter("ignore")  # missing-glyph warnings must not break a report
        fig, ax = plt.subplots(figsize=(10, 4.5))
        ax.bar(labels, rates, color=["#4c72b0"] * len(report.rows) + ["#dd8452"])
        ax.axhline(CONTACT_TARGET * 100, color="red", linestyle="--", label="50%")
        ax.set_ylabel("contact-service rate %")
        ax.set_ylim(0, 100)
        ax.set_title(f"{report.year}-{report.month:02d} (as of {report.as_of})")
        ax.legend()
        ax.tick_params(axis="x", rotation=45)
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)


def write_campaign_page(report: MonthlyReport, out_dir: Path | str) -> CampaignPage:
    """A markdown page and a png chart: contact-service rate vs 50% and re-employed vs 30,000,
    per district and city-wide, and how many re-employments followed a recommendation."""
    check_identities(report)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"campaign_{report.year}-{report.month:02d}"
    chart = out / f"{stem}.png"
    _chart(report, chart)
    t = report.total
    lines = [
        f"# 失业人员就业服务攻坚行动 {report.year}年{report.month}月（截至{report.as_of}）",
        "",
        f"- 联系服务率 contact-service rate: **{t.contact_rate:.1%}** "
        f"({t.served}/{t.handed}), 目标 target ≥ {CONTACT_TARGET:.0%} "
        f"{'✔' if t.contact_rate >= CONTACT_TARGET else '✘'}",
        f"- 实现再就业 re-employed: **{t.employed}** / {REEMPLOYMENT_TARGET:,} "
        f"({t.employed / REEMPLOYMENT_TARGET:.1%})",
        f"- 其中经岗位推荐/推送后就业 following a recommendation or push: "
        f"**{t.followed_recommendation}**",
        "",
        f"![contact-service rate]({chart.name})",
        "",
        "| 所属区 | 下发 | 联系服务 | 联系服务率 | 达标50% | 已就业 | 推荐后就业 |",
        "| --- | ---: | ---: | ---: | :---: | ---: | ---: |",
    ]
    for r in (*report.rows, t):
        ok = "✔" if r.contact_rate >= CONTACT_TARGET else "✘"
        lines.append(
            f"| {r.district} | {r.handed} | {r.served} | {r.contact_rate:.1%} | {ok} | "
            f"{r.employed} | {r.followed_recommendation} |"
        )
    markdown = out / f"{stem}.md"
    markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return CampaignPage(markdown, chart)
