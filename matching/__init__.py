"""songgang (送岗): job matching for registered unemployed persons.

The public surface, in the order a record goes through it:

* read a bureau's spreadsheet: :func:`read_persons`, :func:`read_postings` → :class:`LoadResult`
  of :class:`Person` / :class:`Posting` and :class:`RowError` (file, row, column, value);
* understand Chinese text: :func:`parse_salary`, :func:`parse_expected_pay`,
  :func:`parse_location`, :func:`parse_location_requirement`, :func:`extract_requirements`,
  :func:`classify_job`;
* retrieve and rank: :class:`MatchingEngine` (``fit(postings)``, ``recommend(person, k)`` →
  :class:`Match` with score terms and reasons), tuned by :class:`MatchingConfig`;
* the published index and the database: :func:`load_current` opens the snapshot that
  ``songgang index build`` published; :func:`recommend_stored` recommends for persons stored in
  the database by ID number, auditing each read;
* threads: :func:`limit_threads` sets one BLAS/OpenMP thread (call it once in a program that
  uses the library in-process; the API, the command line and the nightly batch do).

Every error the library raises is a :class:`MatchingError`. Names are imported on first use
(PEP 562), so ``import matching`` stays cheap for the command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matching.config import MatchingConfig
    from matching.domain.categories import Category
    from matching.exceptions import MatchingError
    from matching.ingest import read_persons, read_postings
    from matching.ingest.rows import LoadResult, RowError
    from matching.rank.engine import MatchingEngine
    from matching.rank.snapshots import load_current
    from matching.rank.stored import StoredRecommendation, recommend_stored
    from matching.schemas import Location, Match, Person, Posting, SalaryRange
    from matching.threads import limit_threads
    from matching.understand.classifier import CategoryPrediction, classify_job
    from matching.understand.location import (
        LocationRequirement,
        parse_location,
        parse_location_requirement,
    )
    from matching.understand.requirements import extract_requirements
    from matching.understand.salary import parse_expected_pay, parse_salary

_EXPORTS: dict[str, str] = {
    "Category": "matching.domain.categories",
    "CategoryPrediction": "matching.understand.classifier",
    "LoadResult": "matching.ingest.rows",
    "Location": "matching.schemas",
    "LocationRequirement": "matching.understand.location",
    "Match": "matching.schemas",
    "MatchingConfig": "matching.config",
    "MatchingEngine": "matching.rank.engine",
    "MatchingError": "matching.exceptions",
    "Person": "matching.schemas",
    "Posting": "matching.schemas",
    "RowError": "matching.ingest.rows",
    "SalaryRange": "matching.schemas",
    "StoredRecommendation": "matching.rank.stored",
    "classify_job": "matching.understand.classifier",
    "extract_requirements": "matching.understand.requirements",
    "limit_threads": "matching.threads",
    "load_current": "matching.rank.snapshots",
    "parse_expected_pay": "matching.understand.salary",
    "parse_location": "matching.understand.location",
    "parse_location_requirement": "matching.understand.location",
    "parse_salary": "matching.understand.salary",
    "read_persons": "matching.ingest",
    "read_postings": "matching.ingest",
    "recommend_stored": "matching.rank.stored",
}

__all__ = [
    "Category",
    "CategoryPrediction",
    "LoadResult",
    "Location",
    "LocationRequirement",
    "Match",
    "MatchingConfig",
    "MatchingEngine",
    "MatchingError",
    "Person",
    "Posting",
    "RowError",
    "SalaryRange",
    "StoredRecommendation",
    "classify_job",
    "extract_requirements",
    "limit_threads",
    "load_current",
    "parse_expected_pay",
    "parse_location",
    "parse_location_requirement",
    "parse_salary",
    "read_persons",
    "read_postings",
    "recommend_stored",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'matching' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
