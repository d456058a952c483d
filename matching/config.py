"""Weights and knobs of the engine, in one frozen object. No I/O, no environment.

==========================  =========  =====================================================
field                       default    meaning
==========================  =========  =====================================================
weight_text                 0.35       cosine similarity of profile and posting text
weight_category             0.30       first ticked category 1.0, each later one 0.1 less (not
                                       under 0.8), inferred 0.6, a neighbour of a ticked
                                       one 0.3 (domain.neighbours), none 0
weight_salary               0.15       posting pay against expected pay
weight_location             0.15       distance from residence, honouring 地点要求
weight_freshness            0.05       newer postings first (half-life below)
penalty_outside_area        0.15       taken off a posting outside a preferred 地点要求 (half
                                       of it in a bordering district / within twice the radius)
penalty_schedule            0.30       taken off a posting whose shift clashes with the hours
                                       the person's 备注 allows (夜班 for "只上白班")
oversample                  8          candidates fetched per wanted result before re-ranking
min_candidates              400        …but never fewer than this (the scorer's top 10
                                       over 100k generated postings: 0.92 of them are
                                       among the 400 best by retrieval, 0.98 among 800;
                                       800 cost the API 1.4 ms CPU a request at 100k
                                       postings and its p99 at 200 req/s, 229 against 49 ms)
ivf_min_candidates          1600       …over an IVF index (above exact_index_max) never fewer
                                       than this: over 1M generated postings 0.81 of the
                                       scorer's top 10 are among the 400 best by retrieval,
                                       0.90 among 800, 0.96 among 1,600
retrieval_location_weight   0.25       the query's share of the location block (< 1: a far
                                       posting costs less; the scorer's term is linear)
min_wage_monthly_yuan       2320       Tianjin monthly minimum wage (津人社规〔2024〕); a setting
exact_index_max             200_000    above this many postings the index is IVF
min_working_age             16         younger persons get no recommendations or pushes
female_retirement_baseline  50         women's baseline of the retirement rule (50 or 55)
==========================  =========  =====================================================
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class MatchingConfig:
    """Weights and search knobs; plain values, validated by :meth:`validate`."""

    k: int = 10
    weight_text: float = 0.35
    weight_category: float = 0.30
    weight_salary: float = 0.15
    weight_location: float = 0.15
    weight_freshness: float = 0.05
    # penalties (subtracted): a posting outside the person's 地点要求 when it is a preference
    penalty_outside_area: float = 0.15
    # … and a posting whose hours clash with the hours the person can work (or whose
    # certificate, health demand or street the person cannot meet). As large as
    # weight_category: a job of the first ticked category the person cannot take is worth no
    # more than one of a category they did not tick, and less than a workable neighbouring one.
    penalty_schedule: float = 0.30

    # category term values
    category_ticked: float = 1.0  # the first ticked category (the form's order = preference)
    category_ticked_step: float = 0.1  # each later ticked category counts this much less …
    category_ticked_floor: float = 0.8  # … but never less than this (above category_inferred)
    category_inferred: float = 0.6
    # a category neighbouring a ticked one (matching.domain.neighbours): partial credit
    category_near: float = 0.3

    # reposts (rank/reposts.py): same employer, a shared title word, texts at least this
    # similar (TF-IDF cosine), dates at most this many days apart
    repost_min_similarity: float = 0.3
    repost_max_days: int = 92

    # location: full marks within `location_full_km`, zero at `location_zero_km`
    location_full_km: float = 3.0
    location_zero_km: float = 40.0
    # "离家N公里内" / "本区" requirements are hard filters with this slack
    location_slack_km: float = 1.0

    # salary: value 1 when posting mid ≥ expected, linear down to 0 at `salary_floor_ratio`
    salary_floor_ratio: float = 0.6
    min_wage_monthly_yuan: int = 2320

    freshness_half_life_days: float = 30.0

    # term values when one side is unknown (no pay given, no address, no date)
    salary_unknown_value: float = 0.5
    location_unknown_value: float = 0.3
    freshness_unknown_value: float = 0.5

    # retrieval vectors: a wanted category adds `retrieval_category_boost` to the inner
    # product; a posting 10 km away costs retrieval_location_scale² · 10² / 2 (0.1 by default),
    # so the faiss candidate set mirrors the default weights above.
    retrieval_category_boost: float = 0.7
    retrieval_location_scale: float = 0.045
    # … but the query multiplies its location block by this: the scorer's location term falls
    # linearly to 0 at location_zero_km (at most weight_location), the vector's squared-distance
    # penalty grows without bound, so at full weight postings 20-30 km away whose text and
    # category put them in the scorer's top 10 fell out of the candidates. Query side only: the
    # indexed vectors (and a saved index) do not change.
    retrieval_location_weight: float = 0.25

    # retrieval
    oversample: int = 8
    min_candidates: int = 400
    ivf_min_candidates: int = 1600
    svd_components: int = 128
    exact_index_max: int = 200_000
    ivf_nprobe: int = 16

    # who is of working age (hard filter for recommendations and the nightly pushes): from
    # this age up to the statutory retirement age of matching.domain.retirement (2025 rules),
    # women by this baseline (50 worker-type, 55 cadre-type)
    min_working_age: int = 16
    female_retirement_baseline: int = 50

    extra: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> MatchingConfig:
        """Check ranges; return self. Raises ValueError naming the field."""
        weights = {
            "weight_text": self.weight_text,
            "weight_category": self.weight_category,
            "weight_salary": self.weight_salary,
            "weight_location": self.weight_location,
            "weight_freshness": self.weight_freshness,
        }
        for name, w in weights.items():
            if w < 0:
                raise ValueError(f"{name} must be ≥ 0, got {w}")
        for name in ("penalty_outside_area", "penalty_schedule"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be ≥ 0, got {getattr(self, name)}")
        if sum(weights.values()) <= 0:
            raise ValueError("at least one weight must be positive")
        if self.k < 1 or self.oversample < 1:
            raise ValueError("k and oversample must be ≥ 1")
        if self.retrieval_location_weight < 0:
            raise ValueError("retrieval_location_weight must be ≥ 0")
        if self.female_retirement_baseline not in (50, 55):
            raise ValueError(
                f"female_retirement_baseline must be 50 or 55, got {self.female_retirement_baseline}"
            )
        if self.category_ticked_step < 0 or not (
            0
            <= self.category_near
            <= self.category_inferred
            <= self.category_ticked_floor
            <= self.category_ticked
        ):
            raise ValueError(
                "need category_ticked_step ≥ 0 and 0 ≤ category_near ≤ "
                "category_inferred ≤ category_ticked_floor ≤ category_ticked"
            )
        if not 0 < self.location_full_km < self.location_zero_km:
            raise ValueError("need 0 < location_full_km < location_zero_km")
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchingConfig:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown MatchingConfig fields: {sorted(unknown)}")
        return cls(**data).validate()
