"""Flags: suggestions for a caseworker to confirm (retirement age, no contact, refusals).

Never applied automatically. Every function takes an open :class:`~sqlalchemy.orm.Session` and never commits (the caller
owns the transaction, see :func:`matching.store.db.session_scope`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.domain import divisions
from matching.domain.idcard import parse_id_number
from matching.domain.retirement import (
    FEMALE_BASELINE,
    add_months,
    past_retirement,
    retirement_date,
)
from matching.schemas import PersonStatus
from matching.store.campaign_tables import CampaignBatchRow, ContactRow
from matching.store.tables import PersonRow

__all__ = ["Flag", "flags"]

NO_CONTACT_MONTHS = 6
REFUSALS = 3


@dataclass(frozen=True, slots=True)
class Flag:
    """A suggestion for a caseworker to confirm; never applied automatically.

    ``kind``: ``retirement`` (suggests reason 1), ``no_contact`` (reason 10) or ``refusals``
    (reason 9).
    """

    id_number: str
    name: str
    district: str
    kind: str
    reason_code: int
    detail: str


def flags(
    session: Session,
    as_of: dt.date,
    *,
    female_baseline: int = FEMALE_BASELINE,
    district: str | None = None,
) -> list[Flag]:
    """Flags for the registered persons of the campaign (or of one district) as of ``as_of``.

    - past the statutory retirement age (birth date and gender from the ID number),
    - no reached contact for more than 6 months (counting from the batch date when never
      reached),
    - 3 or more refusals of service.
    """
    query = (
        select(PersonRow, CampaignBatchRow)
        .join(CampaignBatchRow, CampaignBatchRow.person_id == PersonRow.id)
        .where(PersonRow.status == PersonStatus.REGISTERED.value)
        .order_by(CampaignBatchRow.district, PersonRow.id_number)
    )
    if district:
        query = query.where(CampaignBatchRow.district == divisions.get(district).name)
    pairs = session.execute(query).all()
    last_reached = dict(
        session.execute(
            select(ContactRow.person_id, func.max(ContactRow.contacted_on))
            .where(ContactRow.reached.is_(True), ContactRow.contacted_on <= as_of)
            .group_by(ContactRow.person_id)
        ).all()
    )
    refusals = dict(
        session.execute(
            select(ContactRow.person_id, func.count())
            .where(ContactRow.refused.is_(True), ContactRow.contacted_on <= as_of)
            .group_by(ContactRow.person_id)
        ).all()
    )
    out: list[Flag] = []
    cutoff = add_months(as_of, -NO_CONTACT_MONTHS)
    for person, handed in pairs:
        info = parse_id_number(person.id_number)
        common = (person.id_number, person.name, handed.district)
        born, gender = info.birth_date, info.gender
        if past_retirement(born, gender, as_of, female_baseline=female_baseline):
            retire = retirement_date(born, gender, female_baseline=female_baseline)
            out.append(Flag(*common, "retirement", 1, f"已于{retire}达到法定退休年龄 / reached "
                            f"the statutory retirement age on {retire}"))  # fmt: skip
        since = last_reached.get(person.id) or handed.issued_on
        if since < cutoff:
            out.append(Flag(*common, "no_contact", 10, f"自{since}起超过6个月未联系 / no "
                            f"contact for more than 6 months since {since}"))  # fmt: skip
        count = refusals.get(person.id, 0)
        if count >= REFUSALS:
            out.append(Flag(*common, "refusals", 9, f"拒绝服务{count}次 / refused service "
                            f"{count} times"))  # fmt: skip
    return out
