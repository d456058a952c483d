"""Hostile and over-large files (issue 15, points 4 and 5): an .xlsx that unpacks to far more
than it weighs is refused before parsing, a sheet over the row limit while streaming, and an
over-long cell rejects its row with a reason instead of breaking the rejects file."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from conftest import xlsx_bomb
from test_readers import HEADERS, TODAY, good_rows, write

from matching.exceptions import FileTooLargeError, InputError
from matching.ingest import read_persons, read_table, write_rejects
from matching.ingest.readers import MAX_CELL_CHARS, check_xlsx


def bomb(path: Path, unpacked_mb: int) -> Path:
    return xlsx_bomb(path, write(path.with_name("small.xlsx"), HEADERS, good_rows()), unpacked_mb)


def test_an_xlsx_that_unpacks_200_times_its_size_is_refused_before_parsing(
    tmp_path: Path,
) -> None:
    path = bomb(tmp_path / "bomb.xlsx", 200)
    assert path.stat().st_size < 1_000_000  # 200 MB packed into a few hundred KB
    started = time.perf_counter()
    with pytest.raises(FileTooLargeError) as err:
        read_persons(path, today=TODAY)
    assert time.perf_counter() - started < 1.0
    assert "压缩比异常" in str(err.value) and "suspicious ratio" in str(err.value)
    assert "xl/bomb.xml" in str(err.value) and str(tmp_path) not in str(err.value)


def test_an_xlsx_over_the_unpacked_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "p.xlsx", HEADERS, good_rows())
    check_xlsx(path)  # a normal file passes
    with pytest.raises(FileTooLargeError, match="unpacks to 0 MB, over the 0 MB limit"):
        check_xlsx(path, max_unpacked_bytes=1000)
    with pytest.raises(InputError, match="not a valid xlsx"):
        check_xlsx(tmp_path.joinpath("x.xlsx").with_suffix(".csv"))  # missing/not a zip


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_sheet_over_the_row_limit_is_refused_at_the_first_row_past_it(
    tmp_path: Path, suffix: str
) -> None:
    rows = good_rows()[2:] * 30
    path = write(tmp_path / f"p{suffix}", HEADERS, rows)
    assert len(read_table(path, max_rows=30).rows) == 30
    with pytest.raises(FileTooLargeError) as err:
        read_table(path, max_rows=29)
    assert "超过29行数据" in str(err.value) and "more than 29 data rows" in str(err.value)


# Excel (and openpyxl) keep at most 32,767 characters in a cell; CSV has no such limit.
@pytest.mark.parametrize(("suffix", "length"), [(".csv", 140_000), (".xlsx", 32_767)])
def test_an_over_long_cell_rejects_its_row_and_the_rejects_file_stays_readable(
    tmp_path: Path, suffix: str, length: int
) -> None:
    rows = good_rows()
    rows[1][12] = "备" * length  # 备注 of 李强
    rows[2][12] = "备" * MAX_CELL_CHARS  # at the limit: accepted
    path = write(tmp_path / f"p{suffix}", HEADERS, rows)
    result = read_persons(path, today=TODAY)
    assert [p.name for _, p in result.items] == ["王芳", "赵刚"]
    (error,) = result.errors
    assert (error.row, error.column) == (3, "备注")
    assert error.reason_zh == f"单元格有{length}个字符，超过上限{MAX_CELL_CHARS}"
    assert f"{length} characters, over the limit of 2000" in error.reason_en
    rejects = write_rejects(result)
    assert rejects is not None and rejects.stat().st_size < 10_000
    with rejects.open(encoding="utf-8-sig", newline="") as fh:
        cells = list(csv.reader(fh))
    assert len(cells) == 2 and any(f"共{length}字" in c for c in cells[1])
