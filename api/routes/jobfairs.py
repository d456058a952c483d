"""Job fairs: themed postings ranked by demand among registered persons."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import LoadedDep, PrincipalDep, SettingsDep
from api.schemas import JobFairPostingPublic, JobFairSelection, JobFairTheme
from matching.rank.jobfair import select_postings

router = APIRouter(prefix="/job-fairs", tags=["job fairs"])


@router.post("/selection")
def select_for_job_fair(
    theme: JobFairTheme, _principal: PrincipalDep, loaded: LoadedDep, settings: SettingsDep
) -> JobFairSelection:
    """Postings of a theme ranked by how many registered persons they fit (aggregates only)."""
    engine = loaded.engine
    day = theme.date or settings.current_day()
    picked = select_postings(
        engine,
        categories=[c.value for c in theme.categories],
        districts=theme.districts,
        keywords=theme.keywords,
        day=day,
        limit=theme.limit,
        fit_threshold=theme.fit_threshold,
    )
    data = []
    for item in picked:
        p = engine.posting(item.posting_id)
        data.append(
            JobFairPostingPublic(
                posting_id=item.posting_id,
                title=p.title,
                employer=p.employer,
                district=p.district,
                category=None if p.category is None else p.category.value,
                salary_text=p.salary_text,
                fit_count=item.fit_count,
                by_category=item.by_category,
                by_district=item.by_district,
            )
        )
    return JobFairSelection(data=data, count=len(data), date=day)
