"""The run's candidates file: every pushed person's whole context, for counterfactual estimates.

A push row says what was shown; to estimate what *another* ranking would have achieved, the
estimators also need what could have been shown: each pushed person's candidates (every one
passed the hard filters), their term values, engine score and the probability the night's
policy gave them. ``candidates.npz`` in the run's folder holds them, recorded among the run's
files (path, size, SHA-256). It sits beside ``report.md``, outside the district folders, so no
caseworker's download includes it; it carries database ids and numbers, no names, ID numbers
or phones.

Layout (an ``.npz``, deflated, member times fixed; read with ``allow_pickle=False``)::

    version     int, FORMAT_VERSION
    terms       the term names, UTF-8 JSON (the columns of ``values``)
    person      int64 (p,)    database id of each pushed person
    start       int64 (p+1,)  person k's candidates are start[k]:start[k+1], best first
    posting     int64 (c,)    database id of each candidate posting
    values      uint8 (c, t)  term values quantised: round(255 × value) (error ≤ 1/510)
    score       float32 (c,)  engine score
    propensity  float32 (c,)  inclusion probability under the night's policy (0: not pushable)
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.exceptions import ModelFormatError
from matching.nightly.records import Allocation
from matching.rank.scoring import TERMS

CANDIDATES_FILE = "candidates.npz"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class CandidateLog:
    """The arrays of a candidates file (see the module docstring); ``values`` dequantised."""

    terms: tuple[str, ...]
    person: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]
    posting: npt.NDArray[np.int64]
    values: npt.NDArray[np.float32]
    score: npt.NDArray[np.float32]
    propensity: npt.NDArray[np.float32]


def quantise(values: npt.ArrayLike) -> npt.NDArray[np.uint8]:
    """Term values in [0, 1] as uint8 (round(255 × v))."""
    return np.rint(np.clip(np.asarray(values, np.float64), 0.0, 1.0) * 255.0).astype(np.uint8)


def write_candidates(out_dir: Path, alloc: Allocation, person_ids: Sequence[int]) -> Path:
    """Write the candidates of every person with a push (atomically) and return its path.

    ``person_ids[i]`` is the database id of the run's person ``i`` (``candidates.person``).
    """
    c = alloc.candidates
    pushed = np.zeros(len(person_ids), dtype=bool)
    pushed[c.person[alloc.capped]] = True
    keep = pushed[c.person]  # pairs come grouped by person, best first
    counts = np.bincount(c.person[keep], minlength=len(person_ids))[pushed]
    ids = np.asarray([int(x) for x in alloc.posting_ids], np.int64)
    # Each member is made when it is written and let go after: the night's pairs are many
    # (at 200k persons the members held at once took ≈ 200 MB).
    members: dict[str, Callable[[], npt.NDArray[Any]]] = {
        "version": lambda: np.array(FORMAT_VERSION),
        "terms": lambda: np.frombuffer(json.dumps(list(TERMS)).encode(), np.uint8),
        "person": lambda: np.asarray(person_ids, np.int64)[pushed],
        "start": lambda: np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        "posting": lambda: ids[c.posting[keep]],
        "values": lambda: alloc.logged_values,  # quantised as the chunks were read, once
        "score": lambda: c.score[keep].astype(np.float32),
        "propensity": lambda: alloc.propensity[keep].astype(np.float32),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / CANDIDATES_FILE
    tmp = path.with_name(f".{path.stem}.tmp.npz")
    _save_npz(tmp, members)
    os.replace(tmp, path)
    return path


def _save_npz(path: Path, members: dict[str, Callable[[], npt.NDArray[Any]]]) -> None:
    """``np.savez_compressed`` of the arrays the ``members`` make (one at a time), with a
    fixed time on every member, so the same run writes the same bytes (a resumed run's files
    equal an uninterrupted one's)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, make in members.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(make()), allow_pickle=False)


def read_candidates(content: bytes) -> CandidateLog:
    """The arrays of a candidates file's bytes.

    Raises
    ------
    ModelFormatError
        Not a candidates file, or one of a format version this code does not know.
    """
    try:
        with np.load(io.BytesIO(content), allow_pickle=False) as z:
            version = int(z["version"])
            if version != FORMAT_VERSION:
                raise ModelFormatError(
                    f"候选文件格式版本 {version} 无法读取 / candidates file format {version} is "
                    f"not known (expected {FORMAT_VERSION})"
                )
            return CandidateLog(
                terms=tuple(json.loads(z["terms"].tobytes().decode())),
                person=z["person"],
                start=z["start"],
                posting=z["posting"],
                values=z["values"].astype(np.float32) / np.float32(255.0),
                score=z["score"],
                propensity=z["propensity"],
            )
    except (OSError, KeyError, ValueError) as exc:
        raise ModelFormatError(f"不是有效的候选文件 / not a valid candidates file: {exc}") from exc
