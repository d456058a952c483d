"""Imports run as jobs, off the request path.

``POST /imports/{kind}`` saves the upload, checks what is cheap to check (size, type, an
.xlsx's unpacked size), writes the job's state and answers 202; one thread per process runs
the queued imports in order. The state is a JSON file next to the upload
(``upload_dir/<job id>/job.json``, replaced atomically), so ``GET /imports/{job_id}`` answers
from any worker process, and no request ever waits for an import (``/health`` included).

Once the import's transaction is committed the job has succeeded: what follows (reading the
rejects for the report, starting the index rebuild) is best effort and logged, never a
failure of the import.

A job belongs to the process that queued it (host, pid and the process's start time are in its
state). When that process has died — killed, or the service restarted — while the job was
queued or running, the job cannot finish: :meth:`ImportJobs.state` then settles it from the
database. The import's run row is written in the import's own transaction with the job's tag
(``import_runs.message``), so a run row with the tag means the import was committed (the job
succeeded, its counts come from that row); no such row means nothing was written (the job
failed, 503: upload again). Either way the answer is written back to the job's state.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import psutil
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from api.errors import hide_server_paths
from api.present import read_rejects
from api.state import EngineHolder
from matching.exceptions import FileTooLargeError, InputError
from matching.ingest import importer
from matching.store import activity
from matching.store.db import is_busy, session_scope

logger = logging.getLogger(__name__)

Kind = Literal["persons", "postings"]
STATE = "job.json"
JOB_ID = re.compile(r"[0-9a-f]{32}")
BUSY_TRIES = 5  # an import that finds the database busy is run again, after a pause
NO_VALID_ROW = "文件中没有有效行 / no valid row in the file"
INTERRUPTED = (
    "导入中断：处理该导入的服务进程已停止，未写入任何数据，请重新上传 / "
    "import interrupted: the server process running it stopped; nothing was imported, "
    "upload again"
)
UNFINISHED = ("queued", "running")
# An import's counts, as the importer's report and the import's run row both name them.
COUNTS = ("read", "inserted", "updated", "unchanged", "duplicates", "rejected")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def job_tag(job_id: str) -> str:
    """What the import's run row carries (``import_runs.message``) to name its job."""
    return f"import job {job_id}"


def _this_process() -> dict[str, Any]:
    me = psutil.Process()
    return {"host": socket.gethostname(), "pid": me.pid, "since": me.create_time()}


def owner_gone(owner: dict[str, Any] | None) -> bool:
    """Whether the process that owns a job is known to have stopped.

    Only a process on this host can be checked; a pid now used by a process started at
    another time (pid reuse) counts as stopped. A job without an owner (written before owners
    were recorded) or on another host is never settled here.
    """
    if not owner or owner.get("host") != socket.gethostname():
        return False
    try:
        since = psutil.Process(int(owner["pid"])).create_time()
    except psutil.NoSuchProcess:
        return True
    except (psutil.Error, KeyError, TypeError, ValueError):
        return False
    return abs(since - float(owner.get("since", since))) > 1.0


class ImportJobs:
    """The import jobs of one process (see the module docstring)."""

    def __init__(self, db: Engine, upload_dir: Path, holder: EngineHolder) -> None:
        self._db = db
        self._dir = upload_dir
        self._holder = holder
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="songgang-import")

    def folder(self, job_id: str) -> Path | None:
        """The job's folder, None for an id that is not one (never a path outside)."""
        if not JOB_ID.fullmatch(job_id):
            return None
        folder = self._dir / job_id
        return folder if (folder / STATE).is_file() else None

    def state(self, job_id: str) -> dict[str, Any] | None:
        """The job's state as last written, None when there is no such job."""
        folder = self.folder(job_id)
        if folder is None:
            return None
        state: dict[str, Any] = json.loads((folder / STATE).read_text(encoding="utf-8"))
        if state["status"] in UNFINISHED and owner_gone(state.get("owner")):
            state = self._settle(folder, state)
        return state

    def _settle(self, folder: Path, state: dict[str, Any]) -> dict[str, Any]:
        """The state of a job whose process died before finishing it (module docstring)."""
        with session_scope(self._db) as session:
            run = activity.committed_import(session, job_tag(state["job_id"]))
            counts = None if run is None else {k: getattr(run, k) for k in COUNTS}
        if counts is None:
            logger.warning("import job %s: its process stopped before a commit", state["job_id"])
            state.update(status="failed", finished_at=_now(), error_status=503, detail=INTERRUPTED)
            self._write(folder, state)
        else:
            logger.warning("import job %s: committed, its process stopped after", state["job_id"])
            rejects = folder / (Path(state["file"]).stem + ".rejects.csv")
            has_rejects = counts["rejected"] > 0 and rejects.is_file()
            self._succeed(state["kind"], folder / state["file"], state, counts,
                          rejects if has_rejects else None)  # fmt: skip
        return state

    def submit(self, kind: Kind, path: Path) -> dict[str, Any]:
        """Queue the import of the saved upload ``path`` (in its own folder); its state."""
        state = {"job_id": path.parent.name, "kind": kind, "file": path.name,
                 "status": "queued", "submitted_at": _now(), "started_at": None,
                 "finished_at": None, "detail": None, "error_status": None, "report": None,
                 "rejects_file": None, "owner": _this_process()}  # fmt: skip
        self._write(path.parent, state)
        self._pool.submit(self._run, kind, path, dict(state))  # the thread's own copy
        return state

    def close(self) -> None:
        """Finish the queued jobs, then stop the thread."""
        self._pool.shutdown(wait=True)

    # -- running -----------------------------------------------------------------------------
    def _write(self, folder: Path, state: dict[str, Any]) -> None:
        tmp = folder / f".{STATE}.{os.getpid()}"
        tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / STATE)

    def _run(self, kind: Kind, path: Path, state: dict[str, Any]) -> None:
        state.update(status="running", started_at=_now())
        self._write(path.parent, state)
        try:
            report = self._import(kind, path)
        except FileTooLargeError as exc:
            self._fail(path, state, 413, str(exc))
        except InputError as exc:
            self._fail(path, state, 422, str(exc))
        except SQLAlchemyError as exc:
            logger.exception("import job %s: database error", state["job_id"])
            busy = is_busy(exc)
            self._fail(path, state, 503 if busy else 500, _database_detail(busy))
        except Exception as exc:  # openpyxl/csv on a corrupt file: a bad upload
            logger.warning("import job %s: cannot read the file (%s)", state["job_id"], exc)
            detail = f"无法读取文件 / cannot read the file: {type(exc).__name__}"
            self._fail(path, state, 422, detail)
        else:
            counts = {k: getattr(report, k) for k in COUNTS}
            self._succeed(kind, path, state, counts, report.rejects_path)

    def _import(self, kind: Kind, path: Path) -> importer.ImportReport:
        func = importer.import_persons if kind == "persons" else importer.import_postings
        pause = 1.0
        for attempt in range(1, BUSY_TRIES + 1):
            try:
                return func(self._db, path, tag=job_tag(path.parent.name))
            except SQLAlchemyError as exc:
                if not is_busy(exc) or attempt == BUSY_TRIES:
                    raise
                logger.warning("import of %s: database busy, try %d again", path.name, attempt)
                time.sleep(pause)
                pause *= 2
        raise AssertionError("unreachable")

    def _fail(self, path: Path, state: dict[str, Any], status: int, detail: str) -> None:
        # the upload is kept at <upload_dir>/<uuid>/<name>: the client sees only <name>
        detail = hide_server_paths(detail, path.parent.parent)
        state.update(status="failed", finished_at=_now(), error_status=status, detail=detail)
        self._write(path.parent, state)

    def _succeed(
        self,
        kind: Kind,
        path: Path,
        state: dict[str, Any],
        counts: dict[str, int],
        rejects_path: Path | None,
    ) -> None:
        """The transaction is committed: from here on nothing fails the import.

        ``counts``: read, inserted, updated, unchanged, duplicates, rejected (:data:`COUNTS`).
        """
        good = sum(counts[k] for k in ("inserted", "updated", "unchanged", "duplicates"))
        changed = counts["inserted"] + counts["updated"] > 0
        state["report"] = {"kind": kind, "file": path.name, **counts, "rejects": [],
                           "index_rebuild": "started" if changed else "not needed"}  # fmt: skip
        state["rejects_file"] = rejects_path.name if rejects_path else None
        try:
            problems = read_rejects(rejects_path)
            state["report"]["rejects"] = [p.model_dump() for p in problems]
        except Exception:
            logger.exception("import job %s: could not read the rejects back", state["job_id"])
        if changed:
            try:
                self._holder.rebuild_in_background(snapshot=kind == "postings")
            except Exception:
                logger.exception("import job %s: could not start the rebuild", state["job_id"])
                state["report"]["index_rebuild"] = "failed"
        if good == 0:
            state.update(status="failed", error_status=422, detail=NO_VALID_ROW)
        else:
            state["status"] = "succeeded"
        state["finished_at"] = _now()
        self._write(path.parent, state)
        logger.info("import job %s: %s", state["job_id"], state["status"])


def _database_detail(busy: bool) -> str:
    if busy:
        return (
            "数据库正忙，导入未写入任何数据，请稍后重新上传 / "
            "the database stayed busy; nothing was imported, upload again later"
        )
    return "数据库出错，导入未写入任何数据 / database error; nothing was imported"
