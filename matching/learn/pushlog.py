"""The push log as the estimators and the learner read it: what each person could have been
shown, what they were shown, how it was placed, and what happened after.

:func:`read_push_log` joins, for the succeeded nightly runs of a period,

* each pushed person's **context** from the run's ``candidates.npz``
  (:mod:`matching.nightly.candidates_file`): every candidate that passed the hard filters, with
  its term values and engine score. A person pushed on several nights has one context per night,
  keyed ``"<run id>:<person id>"`` (database ids, never an ID number);
* the **pushes** of the ``pushes`` table, with their position, policy and propensity;
* the **responses**: the outcomes recorded for the pushed posting (``POST
  /persons/{id}/outcomes``) within ``horizon_days`` of the push, on the simulator's funnel
  (:data:`~matching.learn.simulator.OUTCOMES`): contacted → contact, interested → interest,
  interviewed → interview, hired → hire; declined counts as a contact (the person answered).
  A reached contact in the contact log whose content quotes the push's reply code (回复码) is
  a contact too. A later stage implies the earlier ones (a hire without a recorded interview
  had one by that day at the latest);
* the **groups** of each context's person for a fairness report: gender, age band on the
  night (4050: women 40 and over, men 50 and over) and district.

Pushes stored before revision 0007 (no propensity) and pushes of a run whose candidates file is
gone or was overwritten are left out and counted (:attr:`PushLog.left_out`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from matching.exceptions import ModelFormatError, NotFoundError
from matching.learn.policy import Context, FloatArray, PlacedBy, Push
from matching.learn.simulator import OUTCOMES, Response
from matching.nightly.candidates_file import CANDIDATES_FILE, CandidateLog, read_candidates
from matching.nightly.outputs import read_run_file, run_files
from matching.rank.scoring import TERMS
from matching.schemas import age_on

log = logging.getLogger(__name__)

# outcomes.kind → stage of OUTCOMES (declined: the person answered, so they were reached)
STAGE_OF_KIND = {"contacted": 0, "declined": 0, "interested": 1, "interviewed": 2, "hired": 3}
AGE_BANDS = ((16, 29, "16–29"), (30, 39, "30–39"), (40, 49, "40–49"), (50, 120, "50+"))
GROUP_COLUMNS = ("person_id", "gender", "age_band", "is_4050", "district")


@dataclass(frozen=True, slots=True)
class LoggedPolicy:
    """The nightly policy as it ran: each context's stored inclusion probabilities.

    A :class:`~matching.learn.policy.Policy` (``k`` is ignored: the lists were as long as they
    were), so the estimators can evaluate the logging policy itself.
    """

    propensity: dict[str, FloatArray]

    def inclusion(self, context: Context, k: int) -> FloatArray:
        return self.propensity[context.person_id]


@dataclass(slots=True)
class PushLog:
    """Contexts, pushes and responses (aligned with ``pushes``), and each context's groups."""

    contexts: list[Context]
    pushes: list[Push]
    responses: list[Response]
    groups: pd.DataFrame
    logging_policy: LoggedPolicy
    left_out: dict[str, int] = field(default_factory=dict)


def context_key(run_id: int, person_id: int) -> str:
    """The key of one person's context on one night: ``"<run id>:<person id>"``."""
    return f"{run_id}:{person_id}"


def read_push_log(
    session: Any,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    horizon_days: int = 30,
) -> PushLog:
    """The push log of the succeeded nightly runs from ``since`` to ``until`` (both included).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
    since, until : date, optional
        The nights to read (default: all).
    horizon_days : int
        Outcomes count when recorded within this many days after the push.

    Returns
    -------
    PushLog
        ``left_out`` counts ``no_propensity`` (pushes before revision 0007) and
        ``no_candidates`` (pushes of runs whose candidates file is missing or changed).
    """
    from matching.store.nightly_tables import NightlyRunRow, PushRow

    runs_q = select(NightlyRunRow).where(NightlyRunRow.status == "succeeded")
    if since is not None:
        runs_q = runs_q.where(NightlyRunRow.run_date >= since)
    if until is not None:
        runs_q = runs_q.where(NightlyRunRow.run_date <= until)
    runs = {r.id: r for r in session.scalars(runs_q.order_by(NightlyRunRow.id))}
    rows = session.execute(
        select(PushRow.run_id, PushRow.person_id, PushRow.posting_id, PushRow.pushed_on,
               PushRow.rank, PushRow.placed_by, PushRow.propensity, PushRow.code)
        .where(PushRow.run_id.in_(list(runs)))
        .order_by(PushRow.run_id, PushRow.person_id, PushRow.rank)
    ).all()  # fmt: skip
    left_out = {"no_propensity": sum(r.propensity is None for r in rows), "no_candidates": 0}
    rows = [r for r in rows if r.propensity is not None]
    contexts: dict[str, Context] = {}
    logged: dict[str, FloatArray] = {}
    nights: dict[str, tuple[int, dt.date]] = {}
    for run_id in sorted({r.run_id for r in rows}):
        found = _candidates(runs[run_id])
        if found is None:
            continue
        for key, ctx, propensity in _contexts(run_id, found):
            contexts[key], logged[key] = ctx, propensity
            nights[key] = (int(key.split(":")[1]), runs[run_id].run_date)
    pushes, meta = [], []
    for r in rows:
        key = context_key(r.run_id, r.person_id)
        ctx = contexts.get(key)
        if ctx is None:
            left_out["no_candidates"] += 1
            continue
        row = ctx.posting_ids.index(str(r.posting_id))
        placed: PlacedBy = "explore" if r.placed_by == "explore" else "engine"
        pushes.append(Push(key, str(r.posting_id), row, r.rank, placed, float(r.propensity)))
        meta.append((r.person_id, r.posting_id, r.pushed_on, r.code))
    responses = _responses(session, pushes, meta, horizon_days)
    pushed = {p.person_id for p in pushes}
    used = [k for k in contexts if k in pushed]
    log.info(
        "push log: %d contexts, %d pushes; left out %d without propensity, %d without candidates",
        len(used), len(pushes), left_out["no_propensity"], left_out["no_candidates"],
    )  # fmt: skip
    return PushLog(
        contexts=[contexts[k] for k in used],
        pushes=pushes,
        responses=responses,
        groups=_groups(session, {k: nights[k] for k in used}),
        logging_policy=LoggedPolicy({k: logged[k] for k in used}),
        left_out=left_out,
    )


def _candidates(run: Any) -> CandidateLog | None:
    """The run's candidates file, or None when it is not recorded, gone or changed."""
    try:
        content = read_run_file(run.out_dir, run_files(run.files), CANDIDATES_FILE)
        found = read_candidates(content)
    except (NotFoundError, ModelFormatError):
        return None
    return found if found.terms == TERMS else None


def _contexts(run_id: int, c: CandidateLog) -> Iterable[tuple[str, Context, FloatArray]]:
    start = c.start.tolist()
    postings = c.posting.astype(str).tolist()
    for k, pid in enumerate(c.person.tolist()):
        a, b = start[k], start[k + 1]
        key = context_key(run_id, pid)
        ctx = Context(key, tuple(postings[a:b]), c.values[a:b], c.score[a:b].copy())
        yield key, ctx, c.propensity[a:b].astype(np.float64)


def _responses(
    session: Any,
    pushes: list[Push],
    meta: list[tuple[int, int, dt.date, str]],
    horizon_days: int,
) -> list[Response]:
    """Each push's stages (days after the push) from the outcomes and the contact log."""
    from matching.store.campaign_tables import ContactRow
    from matching.store.tables import OutcomeRow

    days: list[list[int | None]] = [[None] * len(OUTCOMES) for _ in pushes]
    by_pair: dict[tuple[int, int], list[int]] = {}  # (person, posting) -> pushes, by night
    by_person: dict[int, list[int]] = {}
    for j, (person, posting, _, _) in enumerate(meta):
        by_pair.setdefault((person, posting), []).append(j)
        by_person.setdefault(person, []).append(j)
    if not pushes:
        return []
    # Read whole and matched here: a list of 200k person ids is past SQLite's bound parameters.
    outcomes = session.execute(
        select(OutcomeRow.person_id, OutcomeRow.posting_id, OutcomeRow.kind, OutcomeRow.at).where(
            OutcomeRow.kind.in_(list(STAGE_OF_KIND))
        )
    )
    for person, posting, kind, at in outcomes:
        pair = by_pair.get((person, posting))
        if pair:
            _mark(days, meta, pair, at.date(), STAGE_OF_KIND[kind], horizon_days)
    first = min(m[2] for m in meta)
    contacts = session.execute(
        select(ContactRow.person_id, ContactRow.contacted_on, ContactRow.content).where(
            ContactRow.reached.is_(True), ContactRow.contacted_on >= first
        )
    )
    for person, on, content in contacts:
        quoted = [j for j in by_person.get(person, ()) if meta[j][3] and meta[j][3] in content]
        if quoted:
            _mark(days, meta, quoted, on, 0, horizon_days)
    out = []
    for push, stages in zip(pushes, days, strict=True):
        for s in range(len(stages) - 2, -1, -1):  # a later stage implies the earlier ones
            later = stages[s + 1]
            if later is not None and (stages[s] is None or stages[s] > later):
                stages[s] = later
        out.append(Response(push, tuple(stages)))  # type: ignore[arg-type]
    return out


def _mark(
    days: list[list[int | None]],
    meta: list[tuple[int, int, dt.date, str]],
    candidates: Iterable[int],
    on: dt.date,
    stage: int,
    horizon_days: int,
) -> None:
    """Record ``stage`` on ``on`` for the latest of ``candidates`` pushed on or before it."""
    before = [j for j in candidates if 0 <= (on - meta[j][2]).days <= horizon_days]
    if not before:
        return
    j = max(before, key=lambda j: meta[j][2])
    offset = (on - meta[j][2]).days
    current = days[j][stage]
    days[j][stage] = offset if current is None else min(current, offset)


def age_band(age: int) -> str:
    """The report's age band of an age (under 16: "<16")."""
    return next((name for lo, hi, name in AGE_BANDS if lo <= age <= hi), "<16")


def is_4050(gender: str, age: int) -> bool:
    """The 4050 group of employment policy: women aged 40 and over, men aged 50 and over."""
    return age >= (40 if gender == "女" else 50)


def _groups(session: Any, nights: dict[str, tuple[int, dt.date]]) -> pd.DataFrame:
    """One row per context: its key, gender, age band and 4050 on the night, district."""
    from matching.store.tables import PersonRow

    ids = {pid for pid, _ in nights.values()}
    columns = select(PersonRow.id, PersonRow.gender, PersonRow.birth_date, PersonRow.district)
    people = {r.id: r for r in session.execute(columns) if r.id in ids}
    records = []
    for key, (pid, night) in nights.items():
        p = people[pid]
        age = age_on(p.birth_date, night)
        records.append((key, p.gender, age_band(age), is_4050(p.gender, age), p.district))
    return pd.DataFrame.from_records(records, columns=list(GROUP_COLUMNS))
