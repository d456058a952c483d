"""An import's postings cut and classified in two halves at once give what one pass gives
(see matching/ingest/prepare.py and matching/ingest/halves.py)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from matching.ingest import halves, prepare
from matching.ingest.prepare import Prepared, read_texts
from matching.schemas import Posting
from matching.store.fingerprints import posting_keys
from tests.ingest.test_segment import _odd


def _forks() -> bool:
    with halves.forking():
        return halves.can_fork()


pytestmark = pytest.mark.skipif(not _forks(), reason="needs fork and two cores")


@pytest.fixture(scope="module")
def postings() -> list[Posting]:
    """Generated postings (every third category given), odd texts, a board's reposts."""
    from matching.evaluate.generated import generated_postings

    made, _ = generated_postings(900, 11)
    made = [p if i % 3 == 0 else p.model_copy(update={"category": None})
            for i, p in enumerate(made)]  # fmt: skip
    odd = [p.model_copy(update={"category": None}) for p in _odd()]
    return made[:450] + odd + made[450:] + made[:40] + odd


def _one_pass(postings: list[Posting], classify: bool = True) -> tuple[Prepared, dict]:
    cache: dict = {}
    return read_texts(postings, classify, cache, keys=True), cache


def test_two_halves_give_the_categories_and_cut_fields_of_one_pass(
    postings: list[Posting], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prepare, "MIN_ITEMS", 100)
    parent = os.getpid()
    seen: list[int] = []
    real = prepare.predict_categories

    def predict(*args: object) -> object:
        seen.append(os.getpid())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(prepare, "predict_categories", predict)
    want, want_cache = _one_pass(postings)
    cache: dict = {}
    seen.clear()
    with halves.forking():
        got = read_texts(postings, True, cache, keys=True)
    assert seen == [parent]  # the second half was classified in the other process
    assert got == want
    assert [p.category for p in got.postings].count(None) == 0
    assert sum(c is not None for c in got.confidences) == sum(p.category is None for p in postings)
    assert got.keys == [
        posting_keys(p, c) for p, c in zip(got.postings, got.confidences, strict=True)
    ]
    assert cache == want_cache and list(cache) == list(want_cache)
    # without classifying, only the fields are cut; the postings are as read
    cache = {}
    with halves.forking():
        got = read_texts(postings, False, cache)
    assert got == Prepared(postings, [None] * len(postings)) and cache == want_cache


def test_the_forked_half_loads_no_dictionary_or_model_again(
    postings: list[Posting], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The segmenter's dictionary and the classifier's model are loaded once, in this process,
    before the fork: the forked half inherits them (loading them is a few CPU seconds)."""
    from matching.understand import text
    from matching.understand.classifier import predict

    monkeypatch.setattr(prepare, "MIN_ITEMS", 100)
    want, want_cache = _one_pass(postings)
    log = tmp_path / "loads"

    def recorded(name: str, real: object) -> object:
        @functools.cache
        def load() -> object:
            with log.open("a", encoding="utf-8") as f:
                f.write(f"{name} {os.getpid()}\n")
            return real()  # type: ignore[operator]

        return load

    text._tokens.cache_clear()  # each field is cut again, so the segmenter is asked for
    monkeypatch.setattr(text, "_segmenter", recorded("segmenter", text._segmenter.__wrapped__))
    monkeypatch.setattr(
        predict, "_default_model", recorded("model", predict._default_model.__wrapped__)
    )
    cache: dict = {}
    with halves.forking():
        got = read_texts(postings, True, cache, keys=True)
    assert got == want and cache == want_cache
    assert sorted(log.read_text(encoding="utf-8").splitlines()) == [
        f"model {os.getpid()}",
        f"segmenter {os.getpid()}",
    ]


def test_a_failed_second_process_is_redone_here(
    postings: list[Posting], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prepare, "MIN_ITEMS", 100)
    parent = os.getpid()
    real = prepare.predict_categories

    def predict(*args: object) -> object:
        if os.getpid() != parent:
            os._exit(3)  # the forked process dies without a word
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(prepare, "predict_categories", predict)
    want, want_cache = _one_pass(postings)
    cache: dict = {}
    with halves.forking():
        assert read_texts(postings, True, cache, keys=True) == want
    assert cache == want_cache


def test_an_error_in_the_data_is_raised_here() -> None:
    def second() -> int:
        raise ValueError("bad row")

    with halves.forking():
        with pytest.raises(ValueError, match="bad row"):
            halves.in_two(lambda: 1, second)
        assert halves.in_two(lambda: 1, lambda: [2, "二"]) == (1, [2, "二"])
    assert not halves.can_fork()  # outside the command line's block both halves run here


def test_what_was_made_before_a_fork_is_left_out_of_collections_until_the_command_ends() -> None:
    """Neither process walks the postings and models made before the fork in each full
    collection (the forked one would copy their pages by walking them); afterwards they are
    collected as before."""
    import gc

    assert gc.get_freeze_count() == 0
    with halves.forking():
        assert halves.in_two(lambda: 1, lambda: 2) == (1, 2)
        frozen = gc.get_freeze_count()
        assert frozen > 1000
        with halves.forking():  # a nested block leaves them frozen
            pass
        assert gc.get_freeze_count() >= frozen
    assert gc.get_freeze_count() == 0


def test_cut_fields_packed_for_the_pipe_come_back_as_they_were() -> None:
    cache = {"a": (["保洁", "员"], "保洁员"), "": ([], ""), "x": (["a\x1fb"], "a b"),
             "y": (["", "z"], "z"), "one": (["一"], "一")}  # fmt: skip
    back: dict = {"a": (["kept"], "kept")}
    prepare._unpack(prepare._pack(cache), back)
    assert back == {**cache, "a": (["kept"], "kept")}
