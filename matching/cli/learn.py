"""``songgang learn``: train a ranker on the push log, estimate it offline, promote it only when
it is better, roll it back in one command, check fairness.

Every command reads the push log from the database (``--since``/``--until``), or runs on the
simulator with ``--simulate N`` (N simulated persons: a demo that needs no data).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from matching.cli.common import DEFAULT_DB, DbUrl, fail, open_db, out
from matching.exceptions import MatchingError

__all__ = ["learn_app"]

learn_app = typer.Typer(help="Learn from outcomes: train, evaluate, promote, rollback, status.")

Since = Annotated[
    dt.datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="First push day.")
]
Until = Annotated[
    dt.datetime | None, typer.Option("--until", formats=["%Y-%m-%d"], help="Last push day.")
]
Simulate = Annotated[
    int, typer.Option("--simulate", help="Use N simulated persons instead of the push log.")
]
Seed = Annotated[int, typer.Option("--seed", help="Seed of the simulation and the bootstrap.")]
Horizon = Annotated[int, typer.Option("--horizon-days", help="Outcomes counted this many days.")]
Boot = Annotated[int, typer.Option("--n-boot", help="Bootstrap replicates.")]
Outcome = Annotated[str, typer.Option("--outcome", help="contact | interview | hire")]


def _log(db: str, since: Any, until: Any, simulate: int, seed: int, horizon: int) -> Any:
    """The push log: simulated, or read from the database."""
    from matching.learn.offline import recorded_log, simulated_log

    if simulate:
        return simulated_log(simulate, seed=seed)[0]
    from matching.store.db import session_scope

    with session_scope(open_db(db)) as session:
        try:
            log = recorded_log(session, since=since and since.date(), until=until and until.date(),
                               horizon_days=horizon)  # fmt: skip
        except RuntimeError as exc:
            fail(str(exc))
    if not log.responses:
        fail("所选时间段没有推送记录 / no pushes in the chosen window (--since/--until)")
    return log


def _print_estimates(name: str, estimates: Any) -> None:
    from matching.learn.offline import estimate_table

    out.print(f"[bold]{name}[/]")
    out.print("  outcome    estimator     rate     95% interval        ESS   pushes")
    for r in estimate_table(estimates):
        out.print(f"  {r['outcome']:<10} {r['estimator']:<8} {r['value']:>9.4f}   "
                  f"[{r['low']:.4f}, {r['high']:.4f}]  {r['ess']:>8.0f}  {r['pushes']}")  # fmt: skip


@learn_app.command()
def train(
    db: DbUrl = DEFAULT_DB, since: Since = None, until: Until = None, simulate: Simulate = 0,
    seed: Seed = 0, horizon_days: Horizon = 30, n_boot: Boot = 500,
    out_dir: Annotated[Path, typer.Option("--out")] = Path("models/learned"),
    card: Annotated[Path, typer.Option("--card")] = Path("models/LEARNED.md"),
) -> None:  # fmt: skip
    """Train the learned ranker, estimate it on held-out pushes, write its model card."""
    from matching.learn.card import run_training, write_card

    log = _log(db, since, until, simulate, seed, horizon_days)
    try:
        run = run_training(log, out_dir, seed=seed, n_boot=n_boot, sim_persons=simulate)
    except ValueError as exc:
        fail(str(exc))
    window = (
        f"--simulate {simulate}"
        if simulate
        else (f"--since {since:%Y-%m-%d}" if since else "")
        + (f" --until {until:%Y-%m-%d}" if until else "")
    )
    write_card(run, card, command=f"songgang learn train {window} --seed {seed}".replace("  ", " "))
    out.print(f"模型 model: {run.model.path}  (SHA-256 {run.model.sidecar['sha256'][:16]}…)")
    out.print(f"模型说明 model card: {card}")
    for name, est in run.estimates.items():
        _print_estimates(name, est)
        if run.truth:
            truth = "  ".join(f"{o} {v:.4f}" for o, v in run.truth[name].items())
            out.print(f"  simulated truth: {truth}")


@learn_app.command()
def evaluate(
    policy: Annotated[str, typer.Option("--policy", help="engine | current | a model file")],
    db: DbUrl = DEFAULT_DB, since: Since = None, until: Until = None, simulate: Simulate = 0,
    seed: Seed = 0, horizon_days: Horizon = 30, n_boot: Boot = 500,
    k: Annotated[int, typer.Option("--k", help="List length (default: the log's)")] = 0,
) -> None:  # fmt: skip
    """Estimate a policy's contact / interview / hire rates per push from the push log."""
    from matching.learn.offline import evaluate_policy, policy_named
    from matching.store.db import session_scope

    log = _log(db, since, until, simulate, seed, horizon_days)
    with session_scope(open_db(db)) as session:
        try:
            name, chosen = policy_named(policy, session)
        except (OSError, MatchingError) as exc:
            fail(str(exc))
    estimates = evaluate_policy(log, chosen, k=k or None, n_boot=n_boot, seed=seed)
    _print_estimates(f"{name} — {log.k} pushes a person, {len(log.responses)} logged pushes",
                     estimates)  # fmt: skip


@learn_app.command()
def promote(
    model: Annotated[Path, typer.Argument(help="The model file (models/learned/ltr-….txt).")],
    by: Annotated[str, typer.Option("--by", help="Who promotes (recorded in the ledger).")],
    db: DbUrl = DEFAULT_DB, since: Since = None, until: Until = None, simulate: Simulate = 0,
    seed: Seed = 0, horizon_days: Horizon = 30, n_boot: Boot = 500, outcome: Outcome = "contact",
    note: Annotated[str, typer.Option("--note")] = "",
) -> None:  # fmt: skip
    """Serve MODEL only if its DR lower bound beats the current policy's estimate."""
    from matching.learn.guard import promote as promote_model
    from matching.store.db import session_scope

    if outcome not in ("contact", "interview", "hire"):
        fail(f"--outcome 只能是 contact、interview 或 hire / got {outcome!r}")
    if not model.exists():
        fail(f"找不到模型文件 / no such model file: {model}")
    log = _log(db, since, until, simulate, seed, horizon_days)
    try:
        with session_scope(open_db(db), write=True) as session:
            decision = promote_model(session, log, model, by=by, outcome=outcome,  # type: ignore[arg-type]
                                     n_boot=n_boot, note=note)  # fmt: skip
    except MatchingError as exc:
        fail(str(exc), code=1)
    out.print(decision.message())
    out.print("服务进程在下一次刷新时（约2秒内）改用新模型 / API workers switch within ~2 s.")


@learn_app.command()
def rollback(
    by: Annotated[str, typer.Option("--by", help="Who rolls back (recorded in the ledger).")],
    db: DbUrl = DEFAULT_DB,
    note: Annotated[str, typer.Option("--note")] = "",
) -> None:
    """Go back to the previously promoted model, or to the hand weights."""
    from matching.learn.guard import rollback as rollback_model
    from matching.store.db import session_scope

    try:
        with session_scope(open_db(db), write=True) as session:
            after = rollback_model(session, by=by, note=note)
    except MatchingError as exc:
        fail(str(exc), code=1)
    what = after.model_id if after else "人工权重 hand weights (MatchingConfig)"
    out.print(f"已回退，现在使用 / rolled back, now serving: {what}")


@learn_app.command()
def status(db: DbUrl = DEFAULT_DB) -> None:
    """What serves now, and every promote and rollback (who, when, why)."""
    from matching.learn.guard import ledger_rows, promotion_stack
    from matching.store.db import session_scope

    with session_scope(open_db(db)) as session:
        rows = ledger_rows(session)
        stack = promotion_stack(rows)
        serving = (
            f"{stack[-1].model_id} ({stack[-1].model_path})" if stack else "人工权重 hand weights"
        )
        out.print(f"[bold]现在使用 serving:[/] {serving}")
        for r in rows:
            est = r.estimate or {}
            cand = est.get("candidate", {})
            fig = (
                f" DR下限 {cand['dr_low']:.4f} > 现行 {est['current']['dr']:.4f} ({est['outcome']})"
                if cand
                else ""
            )
            out.print(f"  {r.at:%Y-%m-%d %H:%M} {r.action:<8} {r.model_id or '人工权重 hand weights'}"
                      f"  by {r.by_key}{fig}{'  ' + r.note if r.note else ''}")  # fmt: skip


@learn_app.command()
def fairness(
    policy: Annotated[str, typer.Option("--policy", help="The candidate: a model file or engine")],
    against: Annotated[str, typer.Option("--against", help="Compared with")] = "current",
    db: DbUrl = DEFAULT_DB, since: Since = None, until: Until = None, simulate: Simulate = 0,
    seed: Seed = 0, horizon_days: Horizon = 30, n_boot: Boot = 100,
    out_file: Annotated[Path, typer.Option("--out")] = Path("out/fairness.csv"),
) -> None:  # fmt: skip
    """Exposure and outcome rates by gender, age band (4050 included) and district."""
    from matching.learn.fairness import exposure_gaps, fairness_table, write_fairness
    from matching.learn.offline import policy_named
    from matching.store.db import session_scope

    log = _log(db, since, until, simulate, seed, horizon_days)
    with session_scope(open_db(db)) as session:
        try:
            policies = [policy_named(against, session), policy_named(policy, session)]
        except (OSError, MatchingError) as exc:
            fail(str(exc))
    table = fairness_table(log, policies, n_boot=n_boot)
    write_fairness(table, out_file)
    cols = ["dimension", "group", "policy", "persons", "pushes_per_person", "contact",
            "interview", "hire"]  # fmt: skip
    out.print(table[cols].to_string(index=False))
    out.print(
        f"推送量最大差异 largest exposure gap (pushes per person): {exposure_gaps(table):.3f}"
    )
    out.print(f"CSV: {out_file}")
