"""Batches: the city hands registered persons to the districts (a person is handed once).

Every function takes an open :class:`~sqlalchemy.orm.Session` and never commits (the caller
owns the transaction, see :func:`matching.store.db.session_scope`). Results are frozen dataclasses, ready for the CLI or an API route.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.domain import divisions
from matching.domain.idcard import normalize_id_number
from matching.exceptions import InputError
from matching.ingest.cells import is_blank
from matching.ingest.readers import read_table
from matching.store.campaign_tables import CampaignBatchRow
from matching.store.tables import PersonRow

__all__ = ["BatchResult", "issue_batch"]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What :func:`issue_batch` did: persons handed now, already handed before, unknown."""

    batch: str
    issued_on: dt.date
    handed: int
    already_handed: tuple[tuple[str, str], ...] = ()  # (ID number, earlier batch)
    unknown: tuple[str, ...] = ()
    per_district: dict[str, int] = field(default_factory=dict)


def _ids_from_file(path: Path) -> list[str]:
    table = read_table(
        path,
        header_map={"id_number": ("身份证号码", "身份证号", "身份证")},
        required=("id_number",),
    )
    column = next((h for h in table.headers if "身份证" in h), None)
    if column is None:
        raise InputError(f"{path.name}中没有“身份证号码”列 / {path.name} has no 身份证号码 column")
    return [str(values[column]) for _, values in table.rows if not is_blank(values[column])]


def issue_batch(
    session: Session,
    persons: Path | str | Iterable[str],
    *,
    batch: str,
    issued_on: dt.date,
    district: str | None = None,
) -> BatchResult:
    """Record that the city handed ``persons`` to a district in ``batch`` on ``issued_on``.

    Parameters
    ----------
    session : Session
    persons : path or iterable of str
        A spreadsheet with a 身份证号码 column, or ID numbers.
    batch : str
        Batch label, e.g. ``"2024-10-A"``.
    issued_on : date
        The day the batch was handed over; the person counts in reports from then on.
    district : str, optional
        The receiving district (name, short name or code); by default each person's own.

    Returns
    -------
    BatchResult
        A person handed before (in any batch) is reported in ``already_handed`` and not
        recorded again; an unknown ID number is reported in ``unknown``.
    """
    ids = _ids_from_file(Path(persons)) if isinstance(persons, (str, Path)) else list(persons)
    target = divisions.get(district).name if district else None
    handed: list[CampaignBatchRow] = []
    already: list[tuple[str, str]] = []
    unknown: list[str] = []
    seen: set[int] = set()
    per_district: dict[str, int] = {}
    for raw in ids:
        number = normalize_id_number(raw)
        row = session.scalar(select(PersonRow).where(PersonRow.id_number == number))
        if row is None:
            unknown.append(number)
            continue
        earlier = session.scalar(
            select(CampaignBatchRow.batch).where(CampaignBatchRow.person_id == row.id)
        )
        if earlier is not None or row.id in seen:
            already.append((number, earlier or batch))
            continue
        seen.add(row.id)
        name = target or row.district
        handed.append(
            CampaignBatchRow(batch=batch, person_id=row.id, district=name, issued_on=issued_on)
        )
        per_district[name] = per_district.get(name, 0) + 1
    session.add_all(handed)
    session.flush()
    return BatchResult(batch, issued_on, len(handed), tuple(already), tuple(unknown), per_district)
