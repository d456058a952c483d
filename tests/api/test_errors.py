"""Error details never show where the server keeps an upload."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.errors import hide_server_paths


@pytest.mark.parametrize("relative", [True, False])
def test_the_upload_folder_is_replaced_by_the_file_name(tmp_path: Path, relative: bool) -> None:
    uploads = Path("data/uploads") if relative else tmp_path / "uploads"
    stored = uploads / ("0123456789abcdef" * 2) / "persons.csv"
    text = f"文件 file {stored}: 缺少列 / missing column 姓名 (also {stored.resolve()})"
    shown = hide_server_paths(text, uploads)
    assert shown == "文件 file persons.csv: 缺少列 / missing column 姓名 (also persons.csv)"
    assert "uploads" not in shown and str(tmp_path) not in shown
