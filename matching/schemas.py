"""Data shapes that flow through the core: persons, postings, salaries, locations, matches.

Frozen pydantic models: the same models validate spreadsheet rows (see :mod:`matching.ingest`)
and carry data through ranking. Ids: ``PersonId`` is the 18-character ID number;
``PostingId`` is the database's string id.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum, StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matching.domain.categories import Category

PersonId = str
PostingId = str


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SalaryRange(_Frozen):
    """A monthly pay range in yuan.

    ``monthly_max_yuan`` is None when open-ended ("5000以上"); both are None for "面议".
    ``months`` is the number of salaries a year ("·13薪" → 13).
    """

    monthly_min_yuan: int | None = Field(default=None, ge=0)
    monthly_max_yuan: int | None = Field(default=None, ge=0)
    months: int = Field(default=12, ge=1, le=24)
    negotiable: bool = False
    commission: bool = False

    @model_validator(mode="after")
    def _min_le_max(self) -> SalaryRange:
        lo, hi = self.monthly_min_yuan, self.monthly_max_yuan
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"monthly_min_yuan {lo} > monthly_max_yuan {hi}")
        return self

    @property
    def midpoint_yuan(self) -> float | None:
        """The middle of the range, the minimum when open-ended, None when unknown."""
        lo, hi = self.monthly_min_yuan, self.monthly_max_yuan
        if lo is None and hi is None:
            return None
        if lo is None:
            return float(hi)  # type: ignore[arg-type]
        if hi is None:
            return float(lo)
        return (lo + hi) / 2


class Location(_Frozen):
    """A resolved place. Coordinates are the street's where known, else the district's."""

    city: str = "天津"
    district: str | None = None
    district_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    street: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: Literal["street", "district", "city"] = "district"


class Education(IntEnum):
    """Education levels in order; a posting's requirement is met by any level ≥ it."""

    NONE = 0  # 不限 / 无要求
    PRIMARY = 1  # 小学
    JUNIOR = 2  # 初中
    SENIOR = 3  # 高中 / 中专 / 中技 / 职高 / 技校
    COLLEGE = 4  # 大专 / 高职
    BACHELOR = 5  # 本科
    MASTER = 6  # 硕士 / 研究生
    DOCTOR = 7  # 博士


EDUCATION_LABELS: dict[Education, str] = {
    Education.NONE: "不限",
    Education.PRIMARY: "小学",
    Education.JUNIOR: "初中",
    Education.SENIOR: "高中/中专",
    Education.COLLEGE: "大专",
    Education.BACHELOR: "本科",
    Education.MASTER: "硕士",
    Education.DOCTOR: "博士",
}


class WorkForm(StrEnum):
    """就业形式 wanted."""

    STABLE = "稳定就业"
    FLEXIBLE = "灵活就业"
    SELF_EMPLOYED = "自主创业"


class OtherNeed(StrEnum):
    """其他需求."""

    SUBSIDY = "补贴申领"
    GUIDANCE = "职业指导"
    SKILLS_TRAINING = "技能培训"
    STARTUP_TRAINING = "创业培训"


class PersonStatus(StrEnum):
    """Registration status: only ``registered`` persons get recommendations."""

    REGISTERED = "registered"
    DEREGISTERED = "deregistered"
    EMPLOYED = "employed"


class Gender(StrEnum):
    MALE = "男"
    FEMALE = "女"


class WorkHistoryEntry(_Frozen):
    """One row of 工作经历: period as written, employer, position."""

    period: str = ""
    employer: str = ""
    position: str = ""


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` of someone born on ``birth_date``."""
    b = birth_date
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class Person(_Frozen):
    """A registered unemployed person: every field of the registration form (附件2)."""

    id_number: PersonId = Field(pattern=r"^\d{17}[\dX]$")
    name: str = Field(min_length=1, max_length=50)
    gender: Gender
    birth_date: dt.date
    phone: str | None = None
    education: Education = Education.NONE
    skills: str = ""  # 专业/技能
    registered_on: dt.date | None = None  # 失业登记时间
    unemployed_since: dt.date | None = None  # 失业时间
    household_address: str = ""  # 户籍地址
    residential_address: str = ""  # 常住住址
    residence: Location | None = None  # parsed from residential_address
    work_forms: tuple[WorkForm, ...] = ()
    wanted_categories: tuple[Category, ...] = ()  # ticked on the form
    expected_pay_text: str = ""
    expected_pay: SalaryRange | None = None
    location_requirement: str = ""  # "河西区及周边", "离家5公里内", "不限"
    other_needs: tuple[OtherNeed, ...] = ()
    work_history: tuple[WorkHistoryEntry, ...] = ()
    district: str  # district in charge (所属区), one of the 16 names
    status: PersonStatus = PersonStatus.REGISTERED
    deregistration_reason: int | None = Field(default=None, ge=1, le=12)
    accepts_messages: bool = True
    note: str = ""

    def age_on(self, day: dt.date) -> int:
        """Age in whole years on ``day``."""
        return age_on(self.birth_date, day)


class Posting(_Frozen):
    """A job posting. ``id`` is assigned by the store; imports leave it empty."""

    id: PostingId = ""
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    employer: str = ""
    address: str = ""
    district: str | None = None  # one of the 16 names when in Tianjin
    location: Location | None = None
    salary_text: str = ""
    salary: SalaryRange | None = None
    headcount: int | None = Field(default=None, ge=0)
    education_min: Education = Education.NONE
    age_min: int | None = Field(default=None, ge=14, le=80)
    age_max: int | None = Field(default=None, ge=14, le=80)
    experience_years: int | None = Field(default=None, ge=0, le=50)
    category: Category | None = None
    category_inferred: bool = False
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    filled: bool = False
    source: str = ""
    source_id: str = ""
    contact_phone: str | None = None

    @model_validator(mode="after")
    def _ranges(self) -> Posting:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError(f"age_min {self.age_min} > age_max {self.age_max}")
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValueError(f"valid_from {self.valid_from} > valid_until {self.valid_until}")
        return self

    @property
    def text(self) -> str:
        """The text the vectorizer and classifier read: title twice, then the description."""
        return f"{self.title} {self.title} {self.description}"


class ScoreTerm(_Frozen):
    """One term of the ranking score: its raw value in [0, 1], weight, and contribution.

    A penalty (``area``: outside the person's 地点要求; ``schedule``: hours the person cannot
    work) has a negative weight."""

    name: Literal["text", "category", "salary", "location", "freshness", "area", "schedule"]
    value: float
    weight: float
    contribution: float


class Match(_Frozen):
    """One ranked posting for a person, with the reasons a caseworker reads."""

    posting_id: PostingId
    score: float
    terms: tuple[ScoreTerm, ...] = ()
    reasons: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # warnings such as "低于最低工资标准"


class PersonMatch(_Frozen):
    """One ranked person for a posting (reverse matching): whom to invite or push it to."""

    id_number: PersonId
    score: float
    terms: tuple[ScoreTerm, ...] = ()
    reasons: tuple[str, ...] = ()
