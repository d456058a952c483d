"""The nightly run's data types, shared by the run, its steps and its report.

- :class:`NightlySettings`: the run's knobs (recorded with every run).
- :class:`NightlyResult`: what a run produced.
- :class:`Registrant`: a person as the run's main process needs them.
- :class:`ChunkCandidates`: the candidates of a chunk of persons (what a checkpoint holds).
- :class:`Allocation`: the candidate pairs and the chosen ones, capped and uncapped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from matching.exceptions import InputError
from matching.nightly.explore import DEFAULT_EXPLORATION, DEFAULT_EXPLORE_CANDIDATES
from matching.nightly.pairs import Candidates
from matching.rank.scoring import TERMS
from matching.schemas import age_on

ALL_EXPLAINED = np.iinfo(np.int64).max  # ChunkCandidates.explained: every pair has its reasons


@dataclass(frozen=True, slots=True)
class NightlySettings:
    """Knobs of the nightly run (recorded with every run).

    Attributes
    ----------
    per_person : int
        Postings per person (N).
    candidates_per_person : int
        Candidates retrieved per person (M); at least ``3 × per_person`` is used.
    cap_multiple : float
        Exposure cap of a posting = ``floor(cap_multiple × headcount)``, at least 1
        (:func:`~matching.nightly.pairs.exposure_caps`).
    default_headcount : int
        Headcount assumed when a posting gives none (若干, 不限, 面议, blank) or 0.
    repeat_days : int
        A posting sent to a person is not sent again within this many days.
    fit_threshold : float
        Score counted as a good fit in the report.
    chunk_size : int
        Persons per checkpointed chunk.
    districts : tuple of str
        Only persons of these districts (empty = all).
    exploration : float
        Share of the slots given to a random eligible posting with room on its cap (0 disables
        it; :mod:`~matching.nightly.explore`).
    explore_candidates : int
        Exploration draws among each person's best this many candidates (M).
    """

    per_person: int = 5
    candidates_per_person: int = 15
    cap_multiple: float = 20.0
    default_headcount: int = 2
    repeat_days: int = 14
    fit_threshold: float = 0.5
    chunk_size: int = 500
    districts: tuple[str, ...] = ()
    exploration: float = DEFAULT_EXPLORATION
    explore_candidates: int = DEFAULT_EXPLORE_CANDIDATES

    def __post_init__(self) -> None:
        if not (isinstance(self.exploration, int | float) and 0.0 <= self.exploration <= 1.0):
            raise InputError(
                "探索比例须在 0 到 1 之间（0 为不探索）/ the exploration share must be within "
                "0 and 1 (0 disables it)",
                column="exploration",
                value=self.exploration,
            )
        if self.explore_candidates < 1:
            raise InputError(
                "探索候选数须至少为 1 / explore_candidates must be at least 1",
                column="explore_candidates",
                value=self.explore_candidates,
            )

    @property
    def m(self) -> int:
        """Candidates per person the allocation chooses from."""
        return max(self.candidates_per_person, 3 * self.per_person)

    @property
    def retrieved(self) -> int:
        """Candidates scored per person: ``m``, or more when exploration draws among more.

        The allocation still sees each person's best ``m`` of them, but a deeper retrieval
        can find a better-scored posting a retrieval ``m`` deep missed (for 198 of 1,000
        persons of the bundled sample, 50 deep against 15): with exploration on, the
        engine's part of a list may differ from the list without it. At 0 nothing changes.
        """
        return max(self.m, self.explore_candidates) if self.exploration > 0 else self.m


@dataclass(slots=True)
class NightlyResult:
    """What a run produced: its database id, output folder, and headline counts."""

    run_id: int
    out_dir: Path
    counts: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage


@dataclass(frozen=True, slots=True)
class Registrant:
    """A person as the run's main process needs them (lists, report, pushes).

    ``record_json`` is the stored row (:func:`~matching.store.persons.iter_person_records`) as
    UTF-8 JSON: it travels to wherever the person is scored and becomes a :class:`Person`
    there, so the main process never validates 200k models, and holds each row in half the
    memory of its dict (:attr:`record` decodes it). ``person_id`` is the row's database id.
    """

    person_id: int
    id_number: str
    name: str
    gender: str
    phone: str | None
    district: str
    accepts_messages: bool
    status: str
    birth_date: dt.date
    record_json: bytes

    @classmethod
    def of(cls, record: dict[str, Any]) -> Registrant:
        born = record["birth_date"]
        return cls(
            person_id=int(record["id"]),
            id_number=record["id_number"],
            name=record["name"],
            gender=str(record["gender"]),
            phone=record["phone"],
            district=record["district"],
            accepts_messages=bool(record["accepts_messages"]),
            status=record["status"],
            birth_date=born if isinstance(born, dt.date) else dt.date.fromisoformat(born),
            # orjson writes dates and datetimes as ISO text, as person_from_record reads them.
            # Copied: the bytes orjson returns keep its oversized buffer (200k rows: +1.2 GB).
            record_json=memoryview(orjson.dumps(record)).tobytes(),
        )

    @property
    def record(self) -> dict[str, Any]:
        """The stored row (dates as ISO text, which :func:`person_from_record` reads)."""
        if not self.record_json:
            raise ValueError(f"person {self.person_id}: the stored row was let go after scoring")
        return json.loads(self.record_json)  # type: ignore[no-any-return]

    def without_record(self) -> Registrant:
        """This person without the stored row (≈ 1.5 kB), once every profile is built."""
        return replace(self, record_json=b"")

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)


@dataclass(slots=True)
class ChunkCandidates:
    """The candidates of a chunk of persons as flat arrays (what a checkpoint holds).

    Person ``i`` of the chunk has the pairs ``start[i]:start[i+1]`` (best first): engine
    posting ``rows``, ``score`` (rounded to 4 places), the term values ``values`` (pairs ×
    :data:`~matching.rank.scoring.TERMS`) and ``distance_km`` (NaN where unknown). The best
    ``explained`` pairs of each person (the ones the allocation chooses from) carry their
    reasons: pair ``e`` has ``texts[k] for k in codes[reason_start[e]:reason_start[e+1]]``
    (each distinct text once); a deeper pair has none stored (an empty range), and gets its
    reasons only if exploration pushes it (:func:`~matching.nightly.scoring.explain_pairs`).
    """

    start: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    reason_start: npt.NDArray[np.int64]
    codes: npt.NDArray[np.int32]
    texts: list[str]
    values: npt.NDArray[np.float32]
    distance_km: npt.NDArray[np.float32]
    explained: int = ALL_EXPLAINED
    source: Path | None = None  # the checkpoint the arrays left out (ranks only) are read from

    def save(self, path: Path) -> None:
        """Write atomically (``path`` appears complete or not at all)."""
        blob = json.dumps(self.texts, ensure_ascii=False).encode("utf-8")
        tmp = path.with_name(f".{path.stem}.tmp.npz")
        np.savez(tmp, start=self.start, rows=self.rows, score=self.score,
                 reason_start=self.reason_start, codes=self.codes,
                 texts=np.frombuffer(blob, np.uint8), values=self.values,
                 distance_km=self.distance_km, explained=np.int64(self.explained))  # fmt: skip
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, *, ranks_only: bool = False) -> ChunkCandidates:
        """Read a checkpoint; one written before reasons were limited to the best pairs holds
        the reasons of every pair (and no distances, which are then never needed).

        ``ranks_only`` reads the persons' pairs, rows and scores (what the allocation needs)
        and leaves the term values, distances and reasons on disk: :meth:`whole` reads them
        back. The night's chunks held whole cost ≈ 60 bytes a pair (≈ 550 MB at 200k persons).
        """
        with np.load(path) as z:
            explained = int(z["explained"]) if "explained" in z.files else ALL_EXPLAINED
            if ranks_only:
                none = np.zeros(0, np.int64)
                return cls(z["start"], z["rows"], z["score"], none, none.astype(np.int32), [],
                           np.zeros((0, len(TERMS)), np.float32), none.astype(np.float32),
                           explained, source=path)  # fmt: skip
            texts = json.loads(z["texts"].tobytes().decode("utf-8"))
            if "explained" not in z.files:
                distance = np.full(z["rows"].size, np.nan, np.float32)
                return cls(z["start"], z["rows"], z["score"], z["reason_start"], z["codes"],
                           texts, z["values"], distance)  # fmt: skip
            return cls(
                z["start"], z["rows"], z["score"], z["reason_start"], z["codes"], texts,
                z["values"], z["distance_km"], explained,
            )  # fmt: skip

    def whole(self) -> ChunkCandidates:
        """This chunk with every array: itself, or read back from its checkpoint when it was
        loaded ``ranks_only``."""
        return self if self.source is None else ChunkCandidates.load(self.source)

    def with_reasons(self) -> npt.NDArray[np.bool_]:
        """Per pair: its reasons are stored (it is among its person's best ``explained``)."""
        sizes = np.diff(self.start)
        first = np.repeat(self.start[:-1], sizes)
        return np.arange(self.rows.size) - first < self.explained


@dataclass(slots=True)
class PushedPairs:
    """What the pushes need of the chosen pairs, gathered from the chunks in one pass once
    the lists are final (:func:`~matching.nightly.pushes.allocate`), so that no chunk is held
    whole afterwards.

    ``edges`` are the chosen pairs (ascending); per chosen pair whether its reasons were
    ``stored`` by the scoring, its engine ``row``, ``distance_km`` and term ``values``, and its
    stored reasons ``texts[k] for k in codes[reason_start[k]:reason_start[k+1]]``. The others
    are built once the lists are final (:func:`~matching.nightly.pushes.explain_late`, on the
    Dask workers when there are some) and kept in ``late``.
    """

    edges: npt.NDArray[np.int64]
    stored: npt.NDArray[np.bool_]
    # as the chunks held them
    rows: npt.NDArray[np.int64]
    distance_km: npt.NDArray[np.float32]
    values: npt.NDArray[np.float32]
    # the stored reasons (one table of texts for the night)
    reason_start: npt.NDArray[np.int64]
    codes: npt.NDArray[np.int32]
    texts: list[str]
    late: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def at(self, edges: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Where these (chosen) pairs are in the arrays."""
        at = np.searchsorted(self.edges, edges)
        if at.size and not np.array_equal(self.edges[np.minimum(at, self.edges.size - 1)], edges):
            raise ValueError("only the chosen pairs were gathered")
        return at.astype(np.int64)

    def reasons(self, edges: npt.NDArray[np.int64]) -> dict[int, tuple[str, ...]]:
        """The reasons of each of these pairs (stored, or built late)."""
        at = self.at(edges)
        lo, hi = self.reason_start[at].tolist(), self.reason_start[at + 1].tolist()
        codes, texts, late = self.codes.tolist(), self.texts, self.late
        stored = self.stored[at].tolist()
        return {
            e: tuple([texts[k] for k in codes[a:b]]) if told else late[e]
            for e, a, b, told in zip(edges.tolist(), lo, hi, stored, strict=True)
        }


@dataclass(slots=True)
class Allocation:
    """Candidate pairs and the chosen ones, capped and uncapped.

    ``candidates.posting`` indexes ``posting_ids`` (the postings some person has as a
    candidate, in engine row order). ``capped`` is the final lists (after exploration); per
    pair, ``explored`` marks a push placed by exploration, ``propensity`` its inclusion
    probability and ``position`` its 1-based place in the list
    (:class:`~matching.nightly.explore.Explored`). ``pushed`` holds what the pushes need of the
    chosen pairs, ``logged_values`` the quantised term values of every pair of a pushed
    person, in pair order (what ``candidates.npz`` stores).
    """

    candidates: Candidates
    posting_ids: list[str]
    caps: np.ndarray
    capped: np.ndarray
    uncapped: np.ndarray
    explored: np.ndarray
    propensity: np.ndarray
    position: np.ndarray
    pushed: PushedPairs
    logged_values: npt.NDArray[np.uint8]
    explored_expected: float = 0.0

    def values_of(self, edges: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """The term values of these chosen pairs (len(edges) × TERMS)."""
        return self.pushed.values[self.pushed.at(edges)]

    def reasons(self, edges: npt.NDArray[np.int64]) -> dict[int, tuple[str, ...]]:
        """The reasons of each of these chosen pairs."""
        return self.pushed.reasons(edges)
