"""The campaign's monthly report over HTTP (issue 5): 附件1 as JSON or as the xlsx the districts
file, city admin only; the identities are checked before anything is returned."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel

from api.deps import AdminDep, SessionDep
from api.schemas import CAMPAIGN_ERRORS
from matching import campaign
from matching.campaign.monthly import ReportIdentityError

router = APIRouter(tags=["campaign"], responses=CAMPAIGN_ERRORS)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DistrictRowOut(BaseModel):
    district: str
    handed: int
    unreachable: int
    served: int
    employed: int
    not_employed: int
    followed_recommendation: int
    contact_rate: float


class MonthlyReportOut(BaseModel):
    title: str
    as_of: dt.date
    rows: list[DistrictRowOut]
    total: DistrictRowOut


def _row_out(row: campaign.DistrictRow) -> DistrictRowOut:
    return DistrictRowOut(
        district=row.district,
        handed=row.handed,
        unreachable=row.unreachable,
        served=row.served,
        employed=row.employed,
        not_employed=row.not_employed,
        followed_recommendation=row.followed_recommendation,
        contact_rate=round(row.contact_rate, 4),
    )


MonthQuery = Annotated[str, Query(pattern=r"^\d{4}-\d{1,2}$", examples=["2024-11"])]


@router.get("/reports/monthly", response_model=MonthlyReportOut)
def monthly_report(month: MonthQuery, admin: AdminDep, session: SessionDep) -> MonthlyReportOut:
    """附件1 for a month as of the 20th (identities checked), city admin only."""
    report = _checked(session, month)
    return MonthlyReportOut(
        title=report.title,
        as_of=report.as_of,
        rows=[_row_out(r) for r in report.rows],
        total=_row_out(report.total),
    )


@router.get(
    "/reports/monthly.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "附件1 in its printed layout"}},
)
def monthly_report_xlsx(month: MonthQuery, admin: AdminDep, session: SessionDep) -> Response:
    """附件1 as the xlsx the districts file (identities checked before writing)."""
    report = _checked(session, month)
    with tempfile.TemporaryDirectory() as tmp:
        xlsx, _csv = campaign.write_monthly_report(report, Path(tmp))
        content = xlsx.read_bytes()
    name = f"monthly-{report.year}-{report.month:02d}.xlsx"
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _checked(session: SessionDep, month: str) -> campaign.MonthlyReport:
    year, mon = campaign.parse_month(month)  # InputError → 422
    report = campaign.monthly_report(session, year, mon)
    try:
        campaign.check_identities(report)
    except ReportIdentityError as exc:  # a bug, never a report with wrong sums
        raise HTTPException(409, str(exc)) from exc
    return report
