"""A night that fails leaves no parcel (the files that carry the persons' stored rows, ID
numbers and phones in clear, to the Dask workers); the checkpoints of the chunks it finished
stay, hold nothing naming a person, and the next run resumes from them to the same lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from matching.nightly import scoring
from matching.nightly.records import NightlySettings
from matching.store.db import session_scope
from matching.store.tables import PersonRow
from tests.nightly.test_batch import DAY, _files, _pushes, _run, db, world  # noqa: F401

SETTINGS = NightlySettings(per_person=3, cap_multiple=3.0, chunk_size=40, exploration=0.3)
PARCEL = re.compile(r"(persons\.json|late-\d+\.npz)")


def _left(out: Path) -> tuple[list[str], list[str]]:
    """(parcels, chunk checkpoints) on disk under ``out``."""
    names = [p.name for p in out.rglob("*") if p.is_file()]
    return sorted(n for n in names if PARCEL.search(n)), sorted(
        n for n in names if re.fullmatch(r"chunk-\d{6}\.npz", n)
    )


def _clear_text(db: Engine) -> list[bytes]:  # noqa: F811
    """Every stored person's ID number and phone, as bytes a file would hold."""
    with session_scope(db) as s:
        rows = s.execute(select(PersonRow.id_number, PersonRow.phone)).all()
    return [v.encode() for row in rows for v in row if v]


def _resumes_to_the_same_night(db: Engine, world: Path, out: Path, straight: Path) -> None:  # noqa: F811
    expected = sorted(_pushes(db, DAY))
    redone: list[int] = []
    _run(db, world, out, settings=SETTINGS, on_chunk=redone.append)
    assert 0 not in redone  # the finished chunk was read back, not scored again
    assert _files(out) == _files(straight)
    assert sorted(_pushes(db, DAY)) == expected
    assert _left(out) == ([], [])  # a succeeded night keeps nothing


def _scoring_fails_on_the_second_chunk(monkeypatch: pytest.MonkeyPatch, dask: bool) -> None:
    if dask:  # a worker's task raises
        original = scoring._score_chunk_to

        def task(path: str, *args, **kw):  # type: ignore[no-untyped-def]
            if path.endswith("chunk-000001.npz"):
                raise RuntimeError("worker failed")
            return original(path, *args, **kw)

        monkeypatch.setattr(scoring, "_score_chunk_to", task)
        return
    original_score, calls = scoring.score_chunk, []

    def score(*args, **kw):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker failed")
        return original_score(*args, **kw)

    monkeypatch.setattr(scoring, "score_chunk", score)


def _run_failing(db: Engine, world: Path, out: Path, workers: int) -> None:  # noqa: F811
    """Run the night, which fails: on a Dask cluster of ``workers`` (0: in this process)."""
    if not workers:
        with pytest.raises(RuntimeError, match="worker failed"):
            _run(db, world, out, settings=SETTINGS)
        return
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=workers, processes=False, threads_per_worker=1, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        with pytest.raises(RuntimeError, match="worker failed"):
            _run(db, world, out, settings=SETTINGS, dask_scheduler=client)


@pytest.mark.parametrize("dask", [False, True], ids=["one process", "dask"])
def test_a_night_failing_in_the_scoring_leaves_no_parcel_and_resumes(
    db: Engine,  # noqa: F811
    world: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dask: bool,
) -> None:
    _run(db, world, tmp_path / "straight", settings=SETTINGS)
    out = tmp_path / "failed"
    with monkeypatch.context() as patch:
        _scoring_fails_on_the_second_chunk(patch, dask)
        # one worker thread: the chunks run in the order given, chunk 0 first
        _run_failing(db, world, out, workers=1 if dask else 0)
    parcels, checkpoints = _left(out)
    assert parcels == []
    assert "chunk-000000.npz" in checkpoints and "chunk-000001.npz" not in checkpoints
    kept = b"".join(p.read_bytes() for p in out.rglob("chunk-*.npz"))
    assert not [v for v in _clear_text(db) if v in kept]  # no ID number, no phone in them
    _resumes_to_the_same_night(db, world, out, tmp_path / "straight")


def test_a_night_failing_in_the_late_reasons_on_dask_leaves_no_parcel_and_resumes(
    db: Engine,  # noqa: F811
    world: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _run(db, world, tmp_path / "straight", settings=SETTINGS)
    out = tmp_path / "failed"
    written: list[str] = []  # the late parcels the run wrote
    late_parcel = scoring._late_parcel

    def counted(path: Path, *args):  # type: ignore[no-untyped-def]
        written.append(path.name)
        return late_parcel(path, *args)

    def explain_at(*args):  # type: ignore[no-untyped-def]
        raise RuntimeError("worker failed")

    with monkeypatch.context() as patch:
        patch.setattr(scoring, "_late_parcel", counted)
        patch.setattr(scoring, "_explain_at", explain_at)
        _run_failing(db, world, out, workers=2)
    parcels, checkpoints = _left(out)
    assert written and parcels == []
    assert checkpoints == [f"chunk-{n:06d}.npz" for n in range(5)]  # 180 persons, 40 a chunk
    _resumes_to_the_same_night(db, world, out, tmp_path / "straight")


def test_parcels_of_a_run_killed_outright_go_at_the_next_start(
    db: Engine,  # noqa: F811
    world: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A SIGKILL runs no ``finally``: the next run of the night deletes what it left, also
    when that run fails in turn."""
    _run(db, world, tmp_path / "straight", settings=SETTINGS)
    out = tmp_path / "killed"
    with pytest.raises(RuntimeError, match="stop"):
        _run(db, world, out, settings=SETTINGS, on_chunk=_stop)
    folder = next((out / ".checkpoints").iterdir())  # the night's key
    for name in ("chunk-000003.persons.json", "chunk-000004.persons.json.part", "late-000000.npz"):
        (folder / name).write_bytes(b"{}")  # as a killed run on Dask leaves them
    assert len(_left(out)[0]) == 3
    with pytest.raises(RuntimeError, match="stop"):
        _run(db, world, out, settings=SETTINGS, on_chunk=_stop)
    assert _left(out) == ([], ["chunk-000000.npz", "chunk-000001.npz"])
    _resumes_to_the_same_night(db, world, out, tmp_path / "straight")


def _stop(n: int) -> None:
    raise RuntimeError("stop")
