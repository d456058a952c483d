"""The files a nightly run wrote, recorded with the run, and the one safe way back to them.

A run records its output folder (absolute) and, for every file it wrote, the path relative to
that folder with its size and SHA-256 (:func:`describe_files`). :func:`read_run_file` returns
only a file named in that record, resolved under the recorded folder, and only while it still
holds what the run wrote: ``songgang nightly`` writes to the same ``--out`` folder every night
unless told otherwise, so yesterday's call sheet may by now hold today's persons.

Layout of a run's folder (see :func:`matching.nightly.writers.write_district`)::

    report.md  report.png                 the whole run (counts only, no personal data)
    <district>/call_sheet.xlsx|.csv      everyone pushed in that district (names, phones)
    <district>/sms.csv  wechat.csv       those who accept messages and have a mobile number
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from matching.exceptions import NotFoundError

FileState = Literal["ok", "missing", "changed"]

# Who is in a district's file: everyone pushed there, or only those messaged (PushRow.channel).
AUDIENCE: dict[str, Literal["all", "message"]] = {
    "call_sheet.xlsx": "all",
    "call_sheet.csv": "all",
    "sms.csv": "message",
    "wechat.csv": "message",
}

NO_SUCH_FILE = "此次运行没有此文件 / no such file in this nightly run"


@dataclass(frozen=True, slots=True)
class RunFile:
    """One file of a run: its path relative to the run's folder (POSIX), size and SHA-256."""

    path: str
    size_bytes: int
    sha256: str

    @property
    def district(self) -> str | None:
        """The district folder the file sits in; None for the run's own report files."""
        parts = PurePosixPath(self.path).parts
        return parts[0] if len(parts) == 2 else None

    @property
    def name(self) -> str:
        """The file name without its folder (``call_sheet.xlsx``)."""
        return PurePosixPath(self.path).name


def describe_files(out_dir: Path, files: Iterable[Path]) -> list[dict[str, Any]]:
    """The record of ``files`` (all under ``out_dir``), as stored with the run (JSON-ready).

    Returns
    -------
    list of dict
        ``[{"path": "河西区/call_sheet.xlsx", "size_bytes": 5123, "sha256": "…"}, …]`` sorted
        by path.

    Raises
    ------
    ValueError
        A file that is not under ``out_dir``.
    """
    root = out_dir.resolve()
    out = []
    for f in files:
        full = f.resolve()
        if not full.is_relative_to(root):
            raise ValueError(f"{f} is not under the run's folder {out_dir}")
        rel = full.relative_to(root).as_posix()
        content = full.read_bytes()  # a district's lists are a few MB at most
        digest = hashlib.sha256(content).hexdigest()
        out.append({"path": rel, "size_bytes": len(content), "sha256": digest})
    return sorted(out, key=lambda d: d["path"])


def run_files(recorded: Sequence[Mapping[str, Any]] | None) -> list[RunFile]:
    """The recorded files of a run (none for a run recorded before files were)."""
    return [
        RunFile(path=str(d["path"]), size_bytes=int(d["size_bytes"]), sha256=str(d["sha256"]))
        for d in recorded or ()
    ]


def _located(out_dir: str | None, f: RunFile) -> Path | None:
    """``f`` resolved under ``out_dir``; None when it would leave the folder (or no folder)."""
    if not out_dir:
        return None
    root = Path(out_dir).resolve()
    full = (root / f.path).resolve()
    return full if full.is_relative_to(root) and full != root else None


def file_state(out_dir: str | None, f: RunFile) -> FileState:
    """``ok`` when the file is there with its recorded size, else ``missing`` or ``changed``.

    A cheap check for listings (one ``stat``); :func:`read_run_file` compares the SHA-256.
    """
    full = _located(out_dir, f)
    if full is None or not full.is_file():
        return "missing"
    return "ok" if full.stat().st_size == f.size_bytes else "changed"


def read_run_file(out_dir: str | None, files: Sequence[RunFile], path: str) -> bytes:
    """The bytes of the recorded file ``path`` of a run, exactly as the run wrote them.

    Parameters
    ----------
    out_dir : str or None
        The run's recorded output folder.
    files : sequence of RunFile
        The run's recorded files (the caller has already dropped those the reader may not see).
    path : str
        The file's path relative to ``out_dir`` as recorded (``河西区/call_sheet.xlsx``); any
        other string, ``../`` and absolute paths included, is not found.

    Raises
    ------
    NotFoundError
        Not a recorded file; or gone from disk (the folder was cleaned); or overwritten since
        (another run wrote to the same folder). Messages are bilingual.
    """
    f = next((x for x in files if x.path == path), None)
    if f is None:
        raise NotFoundError(NO_SUCH_FILE)
    full = _located(out_dir, f)
    if full is None or not full.is_file():
        raise NotFoundError(
            f"文件 {path} 已不在服务器上（输出目录可能已被清理），请重新运行当晚的夜间推送 / "
            f"file {path} is no longer on the server (its output folder may have been "
            "cleaned); rerun the nightly batch for that date"
        )
    content = full.read_bytes()
    if len(content) != f.size_bytes or hashlib.sha256(content).hexdigest() != f.sha256:
        raise NotFoundError(
            f"文件 {path} 已被之后的运行覆盖（同一输出目录），请重新运行当晚的夜间推送 / "
            f"file {path} was overwritten by a later run writing to the same folder; rerun the "
            "nightly batch for that date"
        )
    return content
