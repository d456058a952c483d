"""Save and load a fitted engine: a folder of files with a checksummed ``manifest.json``.

Files: the vectorizer's, ``vectors.npz`` (text vectors, TF-IDF rows, posting words, the
posting table), ``index.faiss``, ``postings.jsonl``. Format 2 saves the posting words; a
format-1 folder is still read (its postings are segmented at load).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Self

import numpy as np
import scipy.sparse as sp

from matching.config import MatchingConfig
from matching.exceptions import ModelFormatError
from matching.rank.base import EngineBase
from matching.rank.tables import PostingTable
from matching.rank.vectors import posting_vectors
from matching.rank.words import PostingWords
from matching.retrieve.index import VectorIndex
from matching.retrieve.vectorize import TextVectorizer
from matching.schemas import Posting

FORMAT_VERSION = 2  # 2: posting words saved (1 is still read: they are segmented at load)
_READABLE_VERSIONS = (1, 2)


class EnginePersistence(EngineBase):
    """``save`` and ``load`` for :class:`~matching.rank.engine.MatchingEngine`."""

    def save(self, directory: Path) -> Path:
        """Write the fitted engine to ``directory`` with a checksummed ``manifest.json``."""
        self._check()
        directory.mkdir(parents=True, exist_ok=True)
        files = self.vectorizer_.save(directory)
        np.savez(
            directory / "vectors.npz",
            text=self.text_vectors_,
            sparse_data=self.sparse_.data,
            sparse_indices=self.sparse_.indices,
            sparse_indptr=self.sparse_.indptr,
            sparse_shape=np.array(self.sparse_.shape, np.int64),
            **self.words_.arrays(),
            **self.table_.arrays(),
        )
        files.append(directory / "vectors.npz")
        files.append(self.index_.save(directory / "index.faiss"))
        postings = directory / "postings.jsonl"
        with postings.open("w", encoding="utf-8") as f:
            for pid, p in zip(self.posting_ids_, self.postings_, strict=True):
                f.write(p.model_copy(update={"id": pid}).model_dump_json() + "\n")
        files.append(postings)
        manifest = {
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "config": {k: v for k, v in self.config_.to_dict().items() if k != "extra"},
            "postings": len(self.postings_),
            "index_kind": self.index_.kind_,
            "files": {p.name: sha256_of(p) for p in files},
        }
        (directory / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return directory

    @classmethod
    def load(cls, directory: Path) -> Self:
        """Load a saved engine; refuses unknown versions and files whose checksum differs."""
        manifest_path = directory / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelFormatError(f"cannot read {manifest_path}: {exc}") from exc
        if manifest.get("format_version") not in _READABLE_VERSIONS:
            raise ModelFormatError(
                f"索引格式不受支持，请重建索引 / engine format "
                f"{manifest.get('format_version')!r} in {manifest_path} is not one of "
                f"{_READABLE_VERSIONS}: rebuild the index (songgang index build)"
            )
        for name, digest in manifest["files"].items():
            path = directory / name
            if not path.exists() or sha256_of(path) != digest:
                raise ModelFormatError(
                    f"{path} is missing or its checksum differs from the manifest"
                )
        saved = dict(manifest["config"])
        # saved before the query's location weight was a setting: it ranked at full weight
        saved.setdefault("retrieval_location_weight", 1.0)
        config = MatchingConfig.from_dict(saved)
        self = cls(config)
        self.vectorizer_ = TextVectorizer.load(directory)
        arrays = np.load(directory / "vectors.npz", allow_pickle=False)
        self.text_vectors_ = np.ascontiguousarray(arrays["text"], dtype=np.float32)
        self.sparse_ = sp.csr_matrix(
            (arrays["sparse_data"], arrays["sparse_indices"], arrays["sparse_indptr"]),
            shape=tuple(arrays["sparse_shape"]),
        )
        stored = {f: arrays[f] for f in PostingTable.__slots__ if f in arrays}  # type: ignore[attr-defined]
        n = self.sparse_.shape[0]
        old = "repost_group" not in stored  # saved before reposts were grouped: group below
        stored.setdefault("repost_group", np.full(n, -1, np.int32))
        stored.setdefault("repost_rank", np.zeros(n, np.int16))
        # saved before shifts, demands or pay periods were read: read them below
        shifts = any(f not in stored for f in ("off_day", "street_only", "experience"))
        stored.setdefault("off_day", np.zeros(n, np.bool_))
        stored.setdefault("start_h", np.full(n, np.nan, np.float32))
        stored.setdefault("end_h", np.full(n, np.nan, np.float32))
        stored.setdefault("pay_period", np.zeros(n, np.int8))
        stored.setdefault("demands", np.zeros(n, np.int8))
        stored.setdefault("part_time_ok", np.zeros(n, np.bool_))
        stored.setdefault("certificates", np.zeros(n, np.int64))
        stored.setdefault("certificates_any", np.zeros(n, np.int64))
        stored.setdefault("commission", np.zeros(n, np.bool_))
        stored.setdefault("day_hours", np.full(n, np.nan, np.float32))
        stored.setdefault("street_only", np.zeros(n, np.int64))
        stored.setdefault("experience", np.zeros(n, np.int64))
        self.table_ = PostingTable(**stored)
        words = PostingWords.from_arrays(arrays) if "words_ids" in arrays else None
        self.index_ = VectorIndex.load(directory / "index.faiss", nprobe=config.ivf_nprobe)
        self.vectors_ = posting_vectors(self.table_, self.text_vectors_, config)
        with (directory / "postings.jsonl").open(encoding="utf-8") as f:
            self.postings_ = [Posting.model_validate_json(line) for line in f]
        self.posting_ids_ = [p.id for p in self.postings_]
        self.row_of_ = {pid: i for i, pid in enumerate(self.posting_ids_)}
        if old:
            from matching.rank.reposts import repost_groups

            self.table_.repost_group, self.table_.repost_rank = repost_groups(
                self.postings_, self.sparse_, config
            )
        if shifts:
            self.table_.set_shifts(self.postings_)
        if words is None:  # a format-1 snapshot: segment the postings now
            from matching.understand.text import tokenize

            words = PostingWords.from_tokens([tokenize(p.text) for p in self.postings_])
        self.words_ = words
        return self


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file (hex), read in 1 MiB chunks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
