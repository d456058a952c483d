"""songgang (送岗): job matching for registered unemployed persons.

The public surface is listed in ``__all__``; names are imported on first use (PEP 562), so
``import matching`` stays cheap for the command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matching.categories import Category
    from matching.classifier import CategoryPrediction, classify_job
    from matching.config import MatchingConfig
    from matching.engine import MatchingEngine
    from matching.location import parse_location
    from matching.salary import parse_salary
    from matching.schemas import Location, Match, Person, Posting, SalaryRange

_EXPORTS: dict[str, str] = {
    "Category": "matching.categories",
    "CategoryPrediction": "matching.classifier",
    "Location": "matching.schemas",
    "Match": "matching.schemas",
    "MatchingConfig": "matching.config",
    "MatchingEngine": "matching.engine",
    "Person": "matching.schemas",
    "Posting": "matching.schemas",
    "SalaryRange": "matching.schemas",
    "classify_job": "matching.classifier",
    "parse_location": "matching.location",
    "parse_salary": "matching.salary",
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
