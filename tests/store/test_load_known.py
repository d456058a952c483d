"""Postings read back with those the caller holds (an import that just wrote them): the rows whose
content hash is known are those postings, not built again from their columns, and the list is
the one read from the columns (see ``load_postings`` in matching/store/postings.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from matching.store import postings as posting_store
from matching.store.db import session_scope
from matching.store.fingerprints import posting_hash
from matching.store.postings import load_postings, upsert_postings
from matching.store.tables import PostingRow
from tests.ingest.test_segment import _odd
from tests.store.test_posting_keys import _inferred_board
from tests.store.test_store import engine  # noqa: F401


def test_rows_whose_content_is_known_are_the_known_postings(
    engine: Engine,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    board, confidences = _inferred_board(tmp_path, 300)
    postings = board + _odd()
    confidences += [None] * (len(postings) - len(board))
    later = dt.date(2031, 1, 1)
    with session_scope(engine, write=True) as s:  # an earlier version of the first 40
        earlier = [p.model_copy(update={"valid_until": later}) for p in postings[:40]]
        upsert_postings(s, earlier, confidences=confidences[:40])
    with session_scope(engine, write=True) as s:
        upsert_postings(s, postings[20:], confidences=confidences[20:])
    known = {posting_hash(p, c): p for p, c in zip(postings[20:], confidences[20:], strict=True)}
    built: list[object] = []
    real = posting_store._posting_from

    def counted(values: dict[str, object]) -> object:
        built.append(values["id"])
        return real(values)  # type: ignore[arg-type]

    with session_scope(engine) as s:
        hashes = dict(s.execute(select(PostingRow.id, PostingRow.content_hash)).all())
    unknown = {str(pk) for pk, digest in hashes.items() if digest not in known}
    assert len(unknown) >= 15 and len(hashes) - len(unknown) > 250
    day = sorted(p.valid_from for p in board if p.valid_from)[len(board) // 2]
    for filters in ({}, {"active_on": day, "unfilled": True}, {"unfilled": True}):
        with session_scope(engine) as s:
            want = load_postings(s, **filters)  # type: ignore[arg-type]
            monkeypatch.setattr(posting_store, "_posting_from", counted)
            built.clear()
            got = load_postings(s, **filters, known=known)  # type: ignore[arg-type]
            monkeypatch.setattr(posting_store, "_posting_from", real)
        assert got == want and len(want) > 50, filters
        # only the rows stored before and not written again are built from their columns
        assert sorted(map(str, built)) == sorted(p.id for p in want if p.id in unknown), filters
