"""Transactional import of persons and postings from xlsx/csv into the database.

Steps: read and validate the file (:mod:`matching.ingest`), write the rejected rows with their
reasons next to the input, infer missing posting categories, then write everything in **one
database transaction**: the upsert and the ``import_runs`` row are committed together or not
at all. A process killed midway leaves the database exactly as it was (tested in
``tests/ingest/test_importer.py::test_killed_import_leaves_database_unchanged``).

What is recorded when an import fails:

- A file missing required columns raises :class:`~matching.exceptions.MissingColumnsError`
  before the database is touched: nothing is written, not even an ``import_runs`` row. The
  file was refused whole; the error message says which columns to add.
- An error during the database write rolls the transaction back, then a ``failed``
  ``import_runs`` row with the error message is written in a separate, second transaction (best
  effort: when the database itself is down, that fails too and the original error is raised).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from matching.store import activity
from matching.store import persons as person_store
from matching.store import postings as posting_store
from matching.store.bulk import UpsertStats
from matching.store.db import session_scope

if TYPE_CHECKING:
    from matching.ingest.segment import FieldCache, FieldTexts, FieldWords
    from matching.schemas import Posting

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did.

    ``read`` counts the data rows of the file; ``read = inserted + updated + unchanged +
    duplicates + rejected`` when every row was either valid or rejected.
    """

    file: Path
    kind: str
    read: int
    inserted: int
    updated: int
    unchanged: int
    duplicates: int
    rejected: int
    rejects_path: Path | None = None
    run_id: int | None = None

    def summary_zh(self) -> str:
        """One line, Chinese then English, for logs and the CLI.

        Examples
        --------
        >>> ImportReport(Path("p.xlsx"), "persons", 10, 7, 1, 1, 0, 1).summary_zh()
        'p.xlsx：读取10行，新增7，更新1，未变1，合并重复0，拒绝1 / read 10, inserted 7, updated 1, unchanged 1, duplicates merged 0, rejected 1'
        """
        zh = (
            f"{self.file.name}：读取{self.read}行，新增{self.inserted}，更新{self.updated}，"
            f"未变{self.unchanged}，合并重复{self.duplicates}，拒绝{self.rejected}"
        )
        en = (
            f"read {self.read}, inserted {self.inserted}, updated {self.updated}, "
            f"unchanged {self.unchanged}, duplicates merged {self.duplicates}, "
            f"rejected {self.rejected}"
        )
        if self.rejects_path is not None:
            zh += f"（被拒绝的行见 {self.rejects_path.name}）"
            en += f" (see {self.rejects_path.name})"
        return f"{zh} / {en}"


def import_persons(engine: Engine, path: Path, *, tag: str = "") -> ImportReport:
    """Import registered persons from ``path`` (xlsx or csv) in one transaction.

    Parameters
    ----------
    engine : Engine
        A migrated database (:func:`matching.store.db.upgrade`).
    path : Path
        The spreadsheet; rejected rows go to a file next to it.
    tag : str, optional
        Stored with the import's run row (``import_runs.message``) in the same transaction,
        so a caller can later tell whether this import was committed (an import job whose
        process died: :meth:`api.jobs.ImportJobs.state`).

    Returns
    -------
    ImportReport

    Raises
    ------
    MissingColumnsError
        Required columns are missing; nothing was written.
    """
    from matching import ingest

    path = Path(path)
    started = dt.datetime.now(dt.UTC)
    result = ingest.read_persons(path)
    rejects_path = ingest.write_rejects(result)
    persons = [person for _, person in result.items]

    def write(session: Any) -> UpsertStats:
        return person_store.upsert_persons(session, persons)

    return _write(engine, "persons", path, started, result, rejects_path, write, tag)


def import_postings(
    engine: Engine,
    path: Path,
    classify: bool = True,
    *,
    tag: str = "",
    fields: FieldCache | None = None,
    written: dict[str, Posting] | None = None,
) -> ImportReport:
    """Import job postings from ``path`` (xlsx or csv) in one transaction.

    Parameters
    ----------
    engine : Engine
        A migrated database (:func:`matching.store.db.upgrade`).
    path : Path
        The spreadsheet; rejected rows go to a file next to it.
    classify : bool, default True
        Fill a missing category with :func:`matching.understand.classifier.classify_job`
        (``category_inferred=True``, the winning probability stored as its confidence).
    tag : str, optional
        As for :func:`import_persons`.
    fields : dict, optional
        Filled with each title and description the import cuts
        (:func:`~matching.ingest.segment.segment_fields`), for an index build in the same
        process (:func:`matching.rank.snapshots.build_snapshot`) not to cut them again.
    written : dict, optional
        Filled, once the import is committed, with each valid posting of the file (its
        category filled) by its content hash (:func:`~matching.store.fingerprints.posting_hash`),
        for that index build not to read them back from their columns.

    Returns
    -------
    ImportReport

    Raises
    ------
    MissingColumnsError
        Required columns are missing; nothing was written.
    """
    from matching import ingest
    from matching.ingest.prepare import read_texts

    path = Path(path)
    started = dt.datetime.now(dt.UTC)
    result = ingest.read_postings(path)
    rejects_path = ingest.write_rejects(result)
    prepared = read_texts([posting for _, posting in result.items], classify, fields, keys=True)

    def write(session: Any) -> UpsertStats:
        return posting_store.upsert_postings(
            session, prepared.postings, confidences=prepared.confidences, keys=prepared.keys
        )

    report = _write(engine, "postings", path, started, result, rejects_path, write, tag)
    if written is not None and prepared.keys is not None:
        written.update((k[2], p) for p, k in zip(prepared.postings, prepared.keys, strict=True))
    return report


def infer_categories(
    postings: Sequence[Posting],
    words: Sequence[FieldWords] | None = None,
    fields: Sequence[FieldTexts] | None = None,
) -> tuple[list[Posting], list[float | None]]:
    """Fill missing categories with the classifier.

    ``words`` and ``fields`` may give each posting's segmented and normalised fields
    (:func:`~matching.ingest.segment.segment_fields`), when the caller has them already.

    Returns
    -------
    tuple of (postings, confidences)
        The postings (those without a category now have one, ``category_inferred=True``) and,
        parallel to them, the classifier's probability of the chosen category (None where the
        file gave the category).
    """
    from matching.ingest.prepare import fill_categories, predict_categories

    return fill_categories(postings, predict_categories(postings, words, fields))


def _write(
    engine: Engine,
    kind: str,
    path: Path,
    started: dt.datetime,
    result: Any,
    rejects_path: Path | None,
    write: Callable[[Any], UpsertStats],
    tag: str = "",
) -> ImportReport:
    read, rejected = int(result.rows_read), len(result.errors)
    try:
        with session_scope(engine, write=True) as session:
            stats = write(session)
            run_id = activity.add_import_run(
                session, kind=kind, file_name=path.name, started_at=started, stats=stats,
                read=read, rejected=rejected, message=tag,
            )  # fmt: skip
    except Exception as exc:
        _record_failure(engine, kind, path, started, read, rejected, exc)
        raise
    report = ImportReport(
        file=path, kind=kind, read=read, inserted=stats.inserted, updated=stats.updated,
        unchanged=stats.unchanged, duplicates=stats.duplicates, rejected=rejected,
        rejects_path=rejects_path, run_id=run_id,
    )  # fmt: skip
    logger.info("%s", report.summary_zh())
    return report


def _record_failure(
    engine: Engine, kind: str, path: Path, started: dt.datetime, read: int, rejected: int,
    exc: BaseException,
) -> None:  # fmt: skip
    try:
        with session_scope(engine, write=True) as session:
            activity.add_import_run(
                session, kind=kind, file_name=path.name, started_at=started, read=read,
                rejected=rejected, status="failed", message=f"{type(exc).__name__}: {exc}"[:2000],
            )  # fmt: skip
    except Exception:  # the database may be the thing that failed; keep the original error
        logger.exception("could not record the failed import of %s", path)
