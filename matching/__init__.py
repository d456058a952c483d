"""songgang (送岗): job matching for registered unemployed persons.

The public surface is listed in ``__all__``; names are imported on first use (PEP 562), so
``import matching`` stays cheap for the command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matching.config import MatchingConfig
    from matching.domain.categories import Category
    from matching.rank.engine import MatchingEngine
    from matching.schemas import Location, Match, Person, Posting, SalaryRange
    from matching.understand.classifier import CategoryPrediction, classify_job
    from matching.understand.location import parse_location
    from matching.understand.salary import parse_salary

_EXPORTS: dict[str, str] = {
    "Category": "matching.domain.categories",
    "CategoryPrediction": "matching.understand.classifier",
    "Location": "matching.schemas",
    "Match": "matching.schemas",
    "MatchingConfig": "matching.config",
    "MatchingEngine": "matching.rank.engine",
    "Person": "matching.schemas",
    "Posting": "matching.schemas",
    "SalaryRange": "matching.schemas",
    "classify_job": "matching.understand.classifier",
    "parse_location": "matching.understand.location",
    "parse_salary": "matching.understand.salary",
}

__all__ = [
    "Category",
    "CategoryPrediction",
    "Location",
    "Match",
    "MatchingConfig",
    "MatchingEngine",
    "Person",
    "Posting",
    "SalaryRange",
    "classify_job",
    "parse_location",
    "parse_salary",
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
