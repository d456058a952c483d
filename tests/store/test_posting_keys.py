"""Store keys computed by the caller (an import does it beside its other per-posting work)
store and compare what the keys computed by the store do (see matching/store/postings.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from matching.schemas import Posting
from matching.store.db import session_scope
from matching.store.fingerprints import posting_keys
from matching.store.postings import upsert_postings
from matching.store.tables import PostingRow
from tests.store.test_store import _generated_board, _stored, engine  # noqa: F401


def _inferred_board(tmp_path: Path, n: int) -> tuple[list[Posting], list[float | None]]:
    """A generated board as an import reads it, and a confidence for each inferred category."""
    postings, _ = _generated_board(tmp_path, n)
    return postings, [0.5 + i / 1000 if p.category_inferred else None
                      for i, p in enumerate(postings)]  # fmt: skip


def test_keys_given_store_the_rows_the_store_computes(
    engine: Engine,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from matching.store import postings as posting_store

    postings, confidences = _inferred_board(tmp_path, 200)
    keys = [posting_keys(p, c) for p, c in zip(postings, confidences, strict=True)]
    with monkeypatch.context() as m:  # given keys are not computed again
        m.setattr(posting_store, "posting_keys", None)
        with session_scope(engine, write=True) as s:
            given = upsert_postings(s, postings, confidences=confidences, keys=keys)
    with_keys = _stored(engine, PostingRow)
    with session_scope(engine, write=True) as s:  # the same file again: nothing changed
        assert upsert_postings(s, postings, confidences=confidences).unchanged == given.inserted
        s.execute(text("DELETE FROM postings"))
        s.execute(text("DELETE FROM posting_aliases"))
    with session_scope(engine, write=True) as s:
        computed = upsert_postings(s, postings, confidences=confidences)
    assert computed == given and given.inserted > 150
    assert [r[1:] for r in _stored(engine, PostingRow)] == [r[1:] for r in with_keys]
    with session_scope(engine) as s, pytest.raises(ValueError, match="parallel"):
        upsert_postings(s, postings, keys=keys[1:])
