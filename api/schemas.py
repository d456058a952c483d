"""Request and response models of the API (what the wire needs, derived from the core's)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from matching.domain import divisions
from matching.domain.categories import Category
from matching.schemas import ScoreTerm

OutcomeKind = Literal["pushed", "contacted", "interested", "interviewed", "hired", "declined"]


def _utc_if_naive(value: object) -> object:
    """SQLite keeps no time zone: the stored times are UTC (``dt.datetime.now(dt.UTC)``, or
    the database's CURRENT_TIMESTAMP), so a naive one read back is UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


# A moment in a response: always with its offset (ISO 8601 ``…+00:00``), never naive.
UtcDatetime = Annotated[AwareDatetime, BeforeValidator(_utc_if_naive)]


def _date_not_number(value: object) -> object:
    """Refuse a number for a day: pydantic would read ``0`` or ``"0"`` as 1970-01-01 (Unix
    time)."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and re.fullmatch(r"\s*[+-]?[\d.]+\s*", value)
    ):
        raise ValueError("日期应写作YYYY-MM-DD / a date must be written YYYY-MM-DD")
    return value


# A day in a request body: "2024-11-20", never a number.
DayIn = Annotated[dt.date, BeforeValidator(_date_not_number)]


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class ErrorPublic(_Public):
    """Any error: ``detail`` is a message, or FastAPI's list of field errors for a 422."""

    detail: str | list[dict[str, object]] | dict[str, object]


# The error responses of the campaign's routes (api/routes/campaign.py, reports.py).
CAMPAIGN_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorPublic, "description": "the request body is not valid JSON"},
    422: {"model": ErrorPublic, "description": "invalid input: field errors or a message"},
    409: {"model": ErrorPublic, "description": "report identities do not hold (not written)"},
}


class Health(_Public):
    status: Literal["ok"]
    index_loaded: bool
    rebuilding: bool


class VersionPublic(_Public):
    version: str
    index_version: str | None
    indexed_postings: int
    indexed_persons: int
    persons: int
    postings: int
    model_card: str | None
    last_rebuild_error: str | None = None
    ranker: str = Field(
        "hand weights",
        description="what orders the recommendations: the hand weights of the "
        "config, or the id of the promoted learned ranker",
    )
    ranker_error: str | None = Field(
        None,
        description="why the promoted learned ranker could not be loaded (the hand "
        "weights serve meanwhile)",
    )


# ---------------------------------------------------------------------------- persons


class WorkHistoryPublic(_Public):
    period: str
    employer: str
    position: str


class PersonSummary(_Public):
    """A person in a search result. ``masked``: ID number and phone are masked."""

    id: int
    name: str
    id_number: str
    phone: str
    gender: str
    district: str
    status: str
    masked: bool


class PersonPublic(PersonSummary):
    age: int | None
    education: int
    skills: str
    residential_address: str
    wanted_categories: list[str]
    expected_pay_text: str
    location_requirement: str
    work_history: list[WorkHistoryPublic]
    registered_on: dt.date | None
    unemployed_since: dt.date | None
    accepts_messages: bool


class PersonsPublic(_Public):
    data: list[PersonSummary]
    count: int
    page: int
    page_size: int


# ---------------------------------------------------------------------------- matches


class MatchPublic(_Public):
    """One recommended posting with its score, its terms and the reasons in Chinese."""

    posting_id: str
    score: float
    title: str
    employer: str
    district: str | None
    salary_text: str
    category: str | None
    terms: list[ScoreTerm]
    reasons: list[str]
    flags: list[str]


class MatchesPublic(_Public):
    data: list[MatchPublic]
    count: int
    message: str | None = None


class AdhocProfile(BaseModel):
    """A walk-in job seeker (not stored): what the caseworker types in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    wanted_categories: list[Category] = Field(default_factory=list, max_length=18)
    skills: str = Field("", max_length=500)
    positions: list[str] = Field(default_factory=list, max_length=10)
    expected_pay: str = Field("", max_length=50)
    residential_address: str = Field("", max_length=200)
    location_requirement: str = Field("", max_length=100)
    education: str = Field("", max_length=20)
    age: int | None = Field(None, ge=14, le=80)
    n: int = Field(10, ge=1, le=100)

    @field_validator("positions")
    @classmethod
    def _short_positions(cls, value: list[str]) -> list[str]:
        if any(len(p) > 50 for p in value):
            raise ValueError("每个岗位名称最多50字 / each position at most 50 characters")
        return value


# ---------------------------------------------------------------------------- postings


class PostingPublic(_Public):
    id: str
    title: str
    description: str
    employer: str
    address: str
    district: str | None
    category: str | None
    category_inferred: bool
    salary_text: str
    salary_min_yuan: int | None
    salary_max_yuan: int | None
    headcount: int | None
    education_min: int
    age_min: int | None
    age_max: int | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    filled: bool
    contact_phone: str | None


class PostingsPublic(_Public):
    data: list[PostingPublic]
    count: int
    page: int
    page_size: int


class CandidatePublic(_Public):
    """A person for a posting. For the organiser only ``name`` (masked), district and score."""

    person_id: int | None
    name: str
    id_number: str | None
    phone: str | None
    district: str
    score: float
    terms: list[ScoreTerm]
    reasons: list[str]


class CandidatesPublic(_Public):
    posting_id: str
    data: list[CandidatePublic]
    count: int
    by_district: dict[str, int]


# ---------------------------------------------------------------------------- job fairs


def _check_districts(value: list[str]) -> list[str]:
    unknown = [d for d in value if d not in divisions.BY_NAME]
    if unknown:
        raise ValueError(f"未知的区 / unknown districts {unknown}; expected Tianjin's 16 districts")
    return value


class JobFairTheme(BaseModel):
    """A job-fair theme: every given part must match; ``date`` defaults to today."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: list[Category] = Field(default_factory=list, max_length=18)
    districts: list[str] = Field(default_factory=list, max_length=16)
    keywords: list[str] = Field(default_factory=list, max_length=20)
    date: DayIn | None = None
    limit: int = Field(50, ge=1, le=500)
    fit_threshold: float = Field(0.6, ge=0.0, le=1.0)

    _districts = field_validator("districts")(_check_districts)


class JobFairPostingPublic(_Public):
    posting_id: str
    title: str
    employer: str
    district: str | None
    category: str | None
    salary_text: str
    fit_count: int
    by_category: dict[str, int]
    by_district: dict[str, int]


class JobFairSelection(_Public):
    data: list[JobFairPostingPublic]
    count: int
    date: dt.date


# ---------------------------------------------------------------------------- outcomes, imports, audit


class OutcomeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    posting_id: int = Field(ge=1, le=2**31 - 1)
    kind: OutcomeKind
    reason: str = Field("", max_length=500)


class OutcomePublic(_Public):
    id: int
    person_id: int
    posting_id: int
    kind: str
    reason: str
    at: UtcDatetime


class ContactPublic(_Public):
    """One row of a person's contact log (联系服务记录)."""

    id: int
    contacted_on: dt.date
    method: str
    content: str
    caseworker: str
    reached: bool
    refused: bool
    needs: list[str]


class RowProblem(_Public):
    row: int | None
    column: str
    value: str
    reason: str
    reason_en: str


class ImportReportPublic(_Public):
    kind: Literal["persons", "postings"]
    file: str
    read: int
    inserted: int
    updated: int
    unchanged: int
    duplicates: int
    rejected: int
    rejects: list[RowProblem]
    index_rebuild: Literal["started", "not needed", "failed"]


class ImportErrorPublic(_Public):
    detail: str | list[dict[str, object]]
    report: ImportReportPublic | None = None


class ImportJobPublic(_Public):
    """An import job: queued → running → succeeded or failed (``detail`` says why)."""

    job_id: str
    kind: Literal["persons", "postings"]
    file: str
    status: Literal["queued", "running", "succeeded", "failed"]
    submitted_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    detail: str | None = Field(None, description="why the import failed (Chinese / English)")
    error_status: int | None = Field(
        None, description="the HTTP status the failure corresponds to: 413, 422, 503 or 500"
    )
    report: ImportReportPublic | None = None
    status_url: str
    rejects_url: str | None = Field(None, description="the rejected rows with their reasons (csv)")


class AuditEntryPublic(_Public):
    id: int
    at: UtcDatetime
    key_id: str
    role: str
    district: str | None = None
    person_id_number: str | None
    endpoint: str
    action: str


class AuditPublic(_Public):
    data: list[AuditEntryPublic]
    count: int
    page: int
    page_size: int
