"""The record of a nightly run's files and reading them back (matching/batch/outputs.py):
only recorded paths, only under the recorded folder, only while they hold what the run wrote."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from matching.exceptions import NotFoundError
from matching.nightly.outputs import (
    RunFile,
    describe_files,
    file_state,
    read_run_file,
    run_files,
)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A run's folder: a report and one district's call sheet; a secret beside the folder."""
    root = tmp_path / "nightly" / "2024-11-15"
    (root / "河西区").mkdir(parents=True)
    (root / "report.md").write_text("# report\n", encoding="utf-8")
    (root / "河西区" / "call_sheet.csv").write_text("序号,姓名\n1,王芳\n", encoding="utf-8")
    (tmp_path / "nightly" / "keys.json").write_text('{"secret": 1}', encoding="utf-8")
    return root


def _recorded(out: Path) -> list[RunFile]:
    return run_files(describe_files(out, [out / "report.md", out / "河西区" / "call_sheet.csv"]))


def test_describe_files_records_relative_paths_sizes_and_hashes(out: Path) -> None:
    files = _recorded(out)
    sheet = out / "河西区" / "call_sheet.csv"
    assert [f.path for f in files] == ["report.md", "河西区/call_sheet.csv"]
    assert files[1] == RunFile(
        path="河西区/call_sheet.csv",
        size_bytes=sheet.stat().st_size,
        sha256=hashlib.sha256(sheet.read_bytes()).hexdigest(),
    )
    assert (files[0].district, files[0].name) == (None, "report.md")
    assert (files[1].district, files[1].name) == ("河西区", "call_sheet.csv")
    with pytest.raises(ValueError, match="not under"):
        describe_files(out, [out.parent / "keys.json"])


def test_a_recorded_file_reads_back_exactly(out: Path) -> None:
    files = _recorded(out)
    got = read_run_file(str(out), files, "河西区/call_sheet.csv")
    assert got == (out / "河西区" / "call_sheet.csv").read_bytes()
    assert file_state(str(out), files[1]) == "ok"


@pytest.mark.parametrize(
    "path",
    [
        "../keys.json",
        "河西区/../../keys.json",
        "河西区/../report.md",  # a real file, but not under the recorded name
        "/etc/passwd",
        "河西区",
        "",
        "河西区/sms.csv",
    ],
)
def test_only_recorded_paths_are_read(out: Path, path: str) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        read_run_file(str(out), _recorded(out), path)


def test_a_recorded_path_that_leaves_the_folder_is_refused(out: Path) -> None:
    """A tampered record (or a symlink in the folder) never reaches outside the folder."""
    bad = RunFile(path="../keys.json", size_bytes=13, sha256="0" * 64)
    assert file_state(str(out), bad) == "missing"
    with pytest.raises(NotFoundError, match="no longer on the server"):
        read_run_file(str(out), [bad], "../keys.json")
    (out / "link.json").symlink_to(out.parent / "keys.json")
    link = RunFile(path="link.json", size_bytes=13, sha256="0" * 64)
    with pytest.raises(NotFoundError, match="no longer on the server"):
        read_run_file(str(out), [link], "link.json")
    with pytest.raises(NotFoundError, match="no longer on the server"):
        read_run_file(None, _recorded(out), "report.md")  # a run with no recorded folder


def test_a_cleaned_folder_is_a_bilingual_not_found(out: Path) -> None:
    files = _recorded(out)
    (out / "河西区" / "call_sheet.csv").unlink()
    assert file_state(str(out), files[1]) == "missing"
    with pytest.raises(NotFoundError) as err:
        read_run_file(str(out), files, "河西区/call_sheet.csv")
    assert "已不在服务器上" in str(err.value) and "cleaned" in str(err.value)


@pytest.mark.parametrize("same_size", [True, False])
def test_a_file_overwritten_by_a_later_run_is_not_served(out: Path, same_size: bool) -> None:
    files = _recorded(out)
    sheet = out / "河西区" / "call_sheet.csv"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("王芳", "李强") if same_size else text + "2,李强\n", "utf-8")
    assert file_state(str(out), files[1]) == ("ok" if same_size else "changed")
    with pytest.raises(NotFoundError) as err:
        read_run_file(str(out), files, "河西区/call_sheet.csv")
    assert "覆盖" in str(err.value) and "overwritten by a later run" in str(err.value)


def test_runs_recorded_before_files_were_have_none() -> None:
    assert run_files(None) == [] and run_files([]) == []
