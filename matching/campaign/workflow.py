"""Batches handed to districts, the contact log, registration status and flags.

Every function takes an open :class:`~sqlalchemy.orm.Session` and never commits (the caller
owns the transaction, see :func:`matching.store.db.session_scope`). Results are frozen
dataclasses, ready for the CLI or an API route.

Status
------
``persons.status`` is the *current* state (``registered`` / ``employed`` / ``deregistered``;
only ``registered`` persons get recommendations). It is derived from ``status_events``: the
latest event that is not undone wins, none means ``registered``. Undo marks an event undone
(history kept), recomputes the status and writes an ``audit_log`` row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.domain import divisions
from matching.domain.idcard import normalize_id_number, parse_id_number
from matching.domain.retirement import add_months, retirement_date
from matching.exceptions import InputError, NotFoundError
from matching.ingest.cells import is_blank, parse_date
from matching.ingest.choices import parse_bool, parse_other_needs
from matching.ingest.readers import read_table
from matching.ingest.rows import LoadResult, RowError
from matching.schemas import OtherNeed, PersonStatus
from matching.store.campaign_tables import (
    CONTACT_METHODS,
    EMPLOYMENT_FORMS,
    CampaignBatchRow,
    ContactRow,
    StatusEventRow,
)
from matching.store.tables import AuditLogRow, OutcomeRow, PersonRow

__all__ = [
    "ATTRIBUTING_KINDS",
    "EMPLOYED_REASONS",
    "BatchResult",
    "ContactInput",
    "Flag",
    "StatusChange",
    "add_contact",
    "deregister",
    "flags",
    "import_contacts",
    "issue_batch",
    "read_contacts",
    "register_employment",
    "status_history",
    "undo_status_change",
]

# Deregistration reasons that mean the person found work (DOMAIN.md 2–5).
EMPLOYED_REASONS = frozenset({2, 3, 4, 5})
# Outcome kinds after which an employment is attributed to the push/recommendation.
ATTRIBUTING_KINDS = ("hired", "interviewed", "interested", "contacted", "pushed")
NO_CONTACT_MONTHS = 6
REFUSALS = 3


def _person(session: Session, id_number: str) -> PersonRow:
    number = normalize_id_number(id_number)
    row = session.scalar(select(PersonRow).where(PersonRow.id_number == number))
    if row is None:
        raise NotFoundError(f"未找到身份证号码为{number}的人员 / no person with ID number {number}")
    return row


# ---------------------------------------------------------------------------- batches


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


# ---------------------------------------------------------------------------- contacts


@dataclass(frozen=True, slots=True)
class ContactInput:
    """One 联系服务记录 row. ``reached`` False means the person could not be reached."""

    id_number: str
    contacted_on: dt.date
    method: str
    content: str = ""
    caseworker: str = ""
    reached: bool = True
    refused: bool = False
    needs: tuple[OtherNeed, ...] = ()

    def __post_init__(self) -> None:
        if self.method not in CONTACT_METHODS:
            raise InputError(
                f"联系服务方式应为{'/'.join(CONTACT_METHODS)}之一，实为“{self.method}” / "
                f"contact method must be one of {', '.join(CONTACT_METHODS)}, got {self.method!r}",
                value=self.method,
            )


def add_contact(session: Session, contact: ContactInput) -> int:
    """Store one contact; updated needs replace the person's 其他需求. Returns its id."""
    person = _person(session, contact.id_number)
    row = ContactRow(
        person_id=person.id,
        contacted_on=contact.contacted_on,
        method=contact.method,
        content=contact.content,
        caseworker=contact.caseworker,
        reached=contact.reached,
        refused=contact.refused,
        needs=[n.value for n in contact.needs],
    )
    session.add(row)
    if contact.needs:
        person.other_needs = [n.value for n in contact.needs]
    session.flush()
    return row.id


CONTACT_HEADERS: dict[str, tuple[str, ...]] = {
    "id_number": ("身份证号码", "身份证号", "身份证"),
    "contacted_on": ("联系服务时间", "联系时间", "服务时间", "日期"),
    "method": ("联系服务方式", "联系方式", "方式"),
    "content": ("联系服务内容", "服务内容", "内容"),
    "caseworker": ("工作人员姓名", "工作人员", "经办人"),
    "reached": ("联系结果", "是否联系上", "结果"),
    "refused": ("是否拒绝服务", "拒绝服务"),
    "needs": ("更新需求", "其他需求", "需求"),
}
CONTACT_REQUIRED = ("id_number", "contacted_on", "method")
_REACHED = {"联系上": True, "已联系": True, "联系到": True, "reached": True, "已联系上": True}
_NOT_REACHED = {"联系不上": False, "联系不到": False, "未联系上": False, "not reached": False}
_METHOD_ALIASES = {"电话联系": "电话", "手机": "电话", "短信通知": "短信", "微信联系": "微信",
                   "入户": "上门", "走访": "上门", "上门走访": "上门"}  # fmt: skip


def _reached(value: object) -> bool:
    if is_blank(value):
        return True
    text = str(value).strip().lower()
    for table in (_NOT_REACHED, _REACHED):  # "联系不上" before "联系上"
        for key, result in table.items():
            if key in text:
                return result
    result = parse_bool(value)
    if result is None:
        raise InputError(f"无法识别的联系结果：{value} / unknown contact result {value!r}")
    return result


def _column_of(headers: Sequence[str], names: tuple[str, ...]) -> str | None:
    for name in names:
        for header in headers:
            if header.startswith(name):
                return header
    return None


def read_contacts(path: Path | str) -> LoadResult[ContactInput]:
    """Read contact rows (身份证号码, 联系服务时间, 联系服务方式, 联系服务内容, 工作人员姓名,
    联系结果, optional 是否拒绝服务 and 更新需求) with one :class:`RowError` per bad row."""
    path = Path(path)
    table = read_table(path, header_map=CONTACT_HEADERS, required=CONTACT_REQUIRED)
    columns = {f: _column_of(table.headers, names) for f, names in CONTACT_HEADERS.items()}
    missing = [CONTACT_HEADERS[f][0] for f in CONTACT_REQUIRED if columns[f] is None]
    if missing:
        raise InputError(f"缺少列：{'、'.join(missing)} / missing columns: {', '.join(missing)}")
    result: LoadResult[ContactInput] = LoadResult(file=str(path), headers=table.headers)
    for number, values in table.rows:
        result.rows_read += 1
        field_name = "id_number"
        try:

            def cell(name: str, values: dict[str, object] = values) -> object:
                column = columns[name]
                return None if column is None else values.get(column)

            number_text = parse_id_number(cell("id_number")).number
            field_name = "contacted_on"
            day = parse_date(cell("contacted_on"))
            if day is None:
                raise InputError("联系服务时间为空 / contact date is empty")
            field_name = "method"
            method = str(cell("method") or "").strip()
            method = _METHOD_ALIASES.get(method, method)
            field_name = "reached"
            reached = _reached(cell("reached"))
            field_name = "refused"
            refused = bool(parse_bool(cell("refused")))
            field_name = "needs"
            needs = parse_other_needs(cell("needs"))
            field_name = "method"
            item = ContactInput(
                id_number=number_text,
                contacted_on=day,
                method=method,
                content=str(cell("content") or ""),
                caseworker=str(cell("caseworker") or ""),
                reached=reached,
                refused=refused,
                needs=needs,
            )
        except (InputError, ValueError) as exc:
            zh, _, en = str(exc).partition(" / ")
            column = columns[field_name]
            result.errors.append(
                RowError(
                    row=number,
                    column=column,
                    value=values.get(column) if column else None,
                    reason_zh=zh,
                    reason_en=en or zh,
                    original=dict(values),
                )
            )
            continue
        result.items.append((number, item))
    return result


def import_contacts(session: Session, path: Path | str) -> LoadResult[ContactInput]:
    """Read and store contact rows; a row naming an unknown person becomes a reject."""
    result = read_contacts(path)
    kept: list[tuple[int, ContactInput]] = []
    for number, item in result.items:
        try:
            add_contact(session, item)
        except NotFoundError as exc:
            zh, _, en = str(exc).partition(" / ")
            result.errors.append(
                RowError(
                    number, "身份证号码", item.id_number, zh, en, {"身份证号码": item.id_number}
                )
            )
            continue
        kept.append((number, item))
    result.items = kept
    result.errors.sort(key=lambda e: e.row)
    return result


# ---------------------------------------------------------------------------- status


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One row of a person's status history."""

    event_id: int
    id_number: str
    kind: str  # employment | deregistration
    effective_on: dt.date
    status: PersonStatus  # the person's status after the change (or after the undo)
    employment_form: str | None = None
    employer: str = ""
    reason_code: int | None = None
    by: str = ""
    note: str = ""
    outcome_id: int | None = None
    posting_id: int | None = None
    undone: bool = False


def _change(event: StatusEventRow, id_number: str, status: str) -> StatusChange:
    return StatusChange(
        event_id=event.id,
        id_number=id_number,
        kind=event.kind,
        effective_on=event.effective_on,
        status=PersonStatus(status),
        employment_form=event.employment_form,
        employer=event.employer,
        reason_code=event.reason_code,
        by=event.by,
        note=event.note,
        outcome_id=event.outcome_id,
        posting_id=event.posting_id,
        undone=event.undone_at is not None,
    )


def _audit(session: Session, by: str, id_number: str, action: str, endpoint: str) -> None:
    session.add(
        AuditLogRow(
            key_id=by or "unknown",
            role="caseworker",
            person_id_number=id_number,
            endpoint=endpoint,
            action=action,
        )
    )


def _refresh_status(session: Session, person: PersonRow) -> str:
    session.flush()
    latest = session.scalars(
        select(StatusEventRow)
        .where(StatusEventRow.person_id == person.id, StatusEventRow.undone_at.is_(None))
        .order_by(StatusEventRow.effective_on.desc(), StatusEventRow.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        person.status, person.deregistration_reason = PersonStatus.REGISTERED.value, None
    elif latest.kind == "employment":
        person.status, person.deregistration_reason = PersonStatus.EMPLOYED.value, None
    else:
        person.status = PersonStatus.DEREGISTERED.value
        person.deregistration_reason = latest.reason_code
    return person.status


def _attribution(session: Session, person_id: int, on: dt.date) -> OutcomeRow | None:
    """The push/recommendation an employment on ``on`` followed: hired first, then latest."""
    end = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    rows = session.scalars(
        select(OutcomeRow).where(
            OutcomeRow.person_id == person_id,
            OutcomeRow.kind.in_(ATTRIBUTING_KINDS),
            OutcomeRow.at < end,
        )
    ).all()
    if not rows:
        return None
    rank = {k: i for i, k in enumerate(ATTRIBUTING_KINDS)}
    return min(rows, key=lambda r: (rank[r.kind], -r.at.timestamp() if r.at else 0, -r.id))


def register_employment(
    session: Session,
    id_number: str,
    *,
    form: str,
    on: dt.date,
    employer: str = "",
    by: str = "",
    note: str = "",
) -> StatusChange:
    """Employment registration (单位就业/自主创业/灵活就业/个体经营): recommendations stop at once.

    The employment is attributed to the person's push or recommendation (``outcomes``) on or
    before ``on``, a ``hired`` outcome first, when there is one.
    """
    if form not in EMPLOYMENT_FORMS:
        raise InputError(
            f"就业形式应为{'/'.join(EMPLOYMENT_FORMS)}之一，实为“{form}” / "
            f"employment form must be one of {', '.join(EMPLOYMENT_FORMS)}, got {form!r}"
        )
    person = _person(session, id_number)
    outcome = _attribution(session, person.id, on)
    event = StatusEventRow(
        person_id=person.id,
        kind="employment",
        effective_on=on,
        employment_form=form,
        employer=employer,
        by=by,
        note=note,
        outcome_id=outcome.id if outcome else None,
        posting_id=outcome.posting_id if outcome else None,
    )
    session.add(event)
    status = _refresh_status(session, person)
    _audit(session, by, person.id_number, "register_employment", "campaign.status")
    return _change(event, person.id_number, status)


def deregister(
    session: Session, id_number: str, *, reason: int, on: dt.date, by: str, note: str = ""
) -> StatusChange:
    """Deregistration with one of the 12 reasons of DOMAIN.md; recommendations stop at once."""
    if not 1 <= int(reason) <= 12:
        raise InputError(
            f"注销原因编号应为1–12，实为{reason} / deregistration reason must be 1–12, got {reason}"
        )
    person = _person(session, id_number)
    event = StatusEventRow(
        person_id=person.id,
        kind="deregistration",
        effective_on=on,
        reason_code=int(reason),
        by=by,
        note=note,
    )
    if int(reason) in EMPLOYED_REASONS:
        outcome = _attribution(session, person.id, on)
        event.outcome_id = outcome.id if outcome else None
        event.posting_id = outcome.posting_id if outcome else None
    session.add(event)
    status = _refresh_status(session, person)
    _audit(session, by, person.id_number, "deregister", "campaign.status")
    return _change(event, person.id_number, status)


def undo_status_change(session: Session, event_id: int, *, by: str, note: str = "") -> StatusChange:
    """Take back a mistaken change: the event stays in the history marked undone, the
    person's status is recomputed from the remaining events, and the undo is audited."""
    event = session.get(StatusEventRow, event_id)
    if event is None:
        raise NotFoundError(f"未找到状态变更{event_id} / no status change {event_id}")
    if event.undone_at is not None:
        raise InputError(f"状态变更{event_id}已撤销 / status change {event_id} is already undone")
    event.undone_at = dt.datetime.now(dt.UTC)
    event.undone_by = by
    event.undo_note = note
    person = session.get(PersonRow, event.person_id)
    assert person is not None
    status = _refresh_status(session, person)
    _audit(session, by, person.id_number, f"undo_{event.kind}", "campaign.status.undo")
    return _change(event, person.id_number, status)


def status_history(session: Session, id_number: str) -> list[StatusChange]:
    """Every status change of a person, oldest first, undone ones included."""
    person = _person(session, id_number)
    rows = session.scalars(
        select(StatusEventRow)
        .where(StatusEventRow.person_id == person.id)
        .order_by(StatusEventRow.effective_on, StatusEventRow.id)
    ).all()
    return [_change(r, person.id_number, person.status) for r in rows]


# ---------------------------------------------------------------------------- flags


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
    female_baseline: int = 50,
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
        retire = retirement_date(info.birth_date, info.gender, female_baseline=female_baseline)
        common = (person.id_number, person.name, handed.district)
        if retire <= as_of:
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
