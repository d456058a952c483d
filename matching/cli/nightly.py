"""``songgang nightly``: the nightly push lists (issue 4).

Registered in :mod:`matching.cli.main` with::

    from matching.cli.nightly import nightly
    app.command()(nightly)

Signature::

    nightly(date: datetime | None, out: Path, district: list[str] | None, n: int,
            cap_multiple: float, repeat_days: int, chunk_size: int, exploration: float,
            explore_candidates: int,
            dask_scheduler: str | None, workers: int, progress: bool, db: str,
            index_dir: Path) -> None

Example::

    songgang nightly --date 2024-10-21 --out out/nightly [--district 河西区 ...] [-n 5]
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

_out = Console(highlight=False)
_err = Console(stderr=True, highlight=False)


def nightly(
    date: Annotated[
        dt.datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="The night's date (default: today)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out/nightly"),
    district: Annotated[
        list[str] | None,
        typer.Option("--district", help="Only this district (repeatable; default all)."),
    ] = None,
    n: Annotated[int, typer.Option("-n", min=1, help="Postings per person.")] = 5,
    cap_multiple: Annotated[
        float,
        typer.Option(
            min=0.1,
            help="Exposure cap of a posting = this × its headcount (招聘人数), rounded down, "
            "at least 1.",
        ),
    ] = 20.0,
    default_headcount: Annotated[
        int,
        typer.Option(
            min=1,
            help="Headcount assumed when 招聘人数 is 若干 (不限/多名/面议…), blank or 0.",
        ),
    ] = 2,
    repeat_days: Annotated[
        int, typer.Option(min=0, help="Do not resend a posting within these days.")
    ] = 14,
    chunk_size: Annotated[int, typer.Option(min=1, help="Persons per checkpoint.")] = 500,
    exploration: Annotated[
        float,
        typer.Option(
            envvar="SONGGANG_EXPLORATION",
            help="Share of the slots given to a random posting among the person's best "
            "--explore-candidates that pass every filter and whose cap has room (0 = off).",
        ),
    ] = 0.10,
    explore_candidates: Annotated[
        int, typer.Option(help="Exploration draws among this many best candidates (M).")
    ] = 50,
    dask_scheduler: Annotated[
        str | None,
        typer.Option("--dask-scheduler", help="Score on this Dask cluster (tcp://host:8786)."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=0,
            help="Without --dask-scheduler: score on a local Dask cluster of this many "
            "processes (0 = one per CPU; 1 = in this process).",
        ),
    ] = 0,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    db: Annotated[
        str,
        typer.Option("--db", envvar="SONGGANG_DATABASE_URL", help="SQLAlchemy database URL."),
    ] = "sqlite:///data/songgang.db",
    index_dir: Annotated[
        Path,
        typer.Option("--index-dir", envvar="SONGGANG_INDEX_DIR", help="Index snapshots folder."),
    ] = Path("data/index"),
) -> None:
    """Nightly push lists: top-N per person under exposure caps, call sheets, SMS and WeChat.

    Who: registered persons of working age, from 16 to the statutory retirement age under the
    2025 rules (men 60 rising to 63, women 50 rising to 55 by birth month, or 55 to 58 for
    cadre-type posts; the same rule and setting as the recommendations, the flags' rule).

    Caps: a posting is sent to at most floor(--cap-multiple × 招聘人数) persons a night, never
    fewer than 1; a range such as 3-5人 counts its upper end; 若干, 不限, 多名, 面议, a blank
    cell or 0 count as --default-headcount (2), so with the defaults such a posting reaches at
    most 40 persons. A posting sent to a person is not sent again within --repeat-days, nor
    one they declined.

    Channels: SMS and WeChat only to persons who accept messages and whose phone is a valid
    mainland mobile number; everyone else (landlines such as 022-…, no phone, opted out) is on
    the call sheet with 电话 as the channel, and the run report counts them. Every call-sheet,
    SMS and WeChat row names the posting id (岗位编号) and its reply code (回复码).

    Exploration: each slot is, with probability --exploration (0.10), given to a posting drawn
    at random among the person's best --explore-candidates that pass every filter, are not on
    their list and whose cap still has room; every push records how it was placed (engine or
    exploration) and the probability it had, and the run writes candidates.npz (no personal
    data; not in any district's files) for estimating other rankings offline.
    """
    import matching.store.nightly_tables  # noqa: F401  (the tables must be known)
    from matching.domain.divisions import BY_NAME
    from matching.exceptions import MatchingError
    from matching.nightly.records import NightlySettings
    from matching.nightly.run import run_nightly
    from matching.store.db import make_engine, upgrade
    from matching.threads import usable_cpus

    districts = tuple(district or ())
    unknown = [d for d in districts if d not in BY_NAME]
    if unknown:
        _err.print(f"[bold red]错误 error:[/] 未知的区 / unknown district: {'、'.join(unknown)}")
        raise typer.Exit(2)
    try:
        settings = NightlySettings(
            per_person=n,
            cap_multiple=cap_multiple,
            default_headcount=default_headcount,
            repeat_days=repeat_days,
            chunk_size=chunk_size,
            districts=districts,
            exploration=exploration,
            explore_candidates=explore_candidates,
        )
    except MatchingError as exc:
        _err.print(f"[bold red]错误 error:[/] {exc}")
        raise typer.Exit(2) from None
    engine = make_engine(db)
    upgrade(engine)
    day = date.date() if date else dt.date.today()
    with contextlib.ExitStack() as stack:
        scheduler: Any = dask_scheduler
        n_workers = workers or usable_cpus()
        if scheduler is None and n_workers > 1:
            from distributed import Client, LocalCluster

            cluster = stack.enter_context(
                LocalCluster(n_workers=n_workers, threads_per_worker=1, dashboard_address=":0")
            )
            scheduler = stack.enter_context(Client(cluster))
        try:
            result = run_nightly(
                engine, index_dir, out, day=day, settings=settings,
                dask_scheduler=scheduler, progress=progress,
            )  # fmt: skip
        except MatchingError as exc:
            _err.print(f"[bold red]错误 error:[/] {exc}")
            raise typer.Exit(2) from None
    capped = result.counts["capped"]
    _out.print(
        f"run {result.run_id} · {day.isoformat()} · 人数 persons {capped['persons']} · "
        f"覆盖 covered {capped['covered']} · 推送 pushes {capped['pushes']} · "
        f"岗位 postings {capped['postings_used']} · max exposure {capped['exposure_max']} · "
        f"探索 explored {capped['explored']}"
    )
    _out.print(f"输出 output: {out} (report.md, report.png, one folder per district)")
