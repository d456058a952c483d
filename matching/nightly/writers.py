"""The districts' files of a run: call sheet (xlsx, csv), SMS and WeChat texts per district,
written in worker processes while the run goes on (layout: :mod:`matching.nightly.outputs`)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path

from matching.nightly.district_sheet import DistrictSheet
from matching.nightly.messages import (
    CALL_SHEET_COLUMNS,
    SMS_COLUMNS,
    WECHAT_COLUMNS,
    PersonPush,
    call_sheet_rows,
    sms_rows,
    wechat_rows,
    write_call_sheet,
    write_csv,
)

_DISTRICT_FILES = ("call_sheet.xlsx", "call_sheet.csv", "sms.csv", "wechat.csv")


def write_district(
    folder: Path, district: str, day: dt.date, group: DistrictSheet | list[PersonPush]
) -> None:
    """One district's call_sheet.xlsx/.csv, sms.csv and wechat.csv in ``folder`` (``group``:
    its pushes, or their columns, made into pushes here: in a writer process, not the run's).
    """
    if isinstance(group, DistrictSheet):
        group = group.pushes()
    rows = call_sheet_rows(group)
    title = f"{district} 岗位推送电话跟进表 {day.isoformat()}"
    write_call_sheet(folder / "call_sheet.xlsx", title, rows)
    write_csv(folder / "call_sheet.csv", CALL_SHEET_COLUMNS, rows)
    write_csv(folder / "sms.csv", SMS_COLUMNS, sms_rows(group))
    write_csv(folder / "wechat.csv", WECHAT_COLUMNS, wechat_rows(group))


class DistrictWriters:
    """Writes the districts' files, in ``processes`` worker processes when more than one.

    Each district is one task, submitted as its pushes are built; :meth:`files` waits for
    all of them. With one process the
    files are written at once, in the caller.
    """

    def __init__(self, out_dir: Path, day: dt.date, processes: int) -> None:
        self.out_dir, self.day, self.processes = out_dir, day, processes
        self.pool: ProcessPoolExecutor | None = None
        if processes > 1:
            # spawn: the run's process has threads (Dask client, progress bar) a fork would copy
            self.pool = ProcessPoolExecutor(processes, mp_context=get_context("spawn"))
        self.futures: list[Future[None]] = []
        self.folders: list[Path] = []

    def submit(self, district: str, group: DistrictSheet | list[PersonPush]) -> None:
        """Write one district's files (``group``: its pushed persons). With worker processes,
        waits while every process is busy, so the districts waiting for one are not all held
        at once (a task keeps its pushes until it is written)."""
        args = (self.out_dir / district, district, self.day, group)
        if self.pool is None:
            write_district(*args)
        else:
            busy = [f for f in self.futures if not f.done()]
            if len(busy) >= self.processes:
                wait(busy, return_when=FIRST_COMPLETED)
            self.futures.append(self.pool.submit(write_district, *args))
        self.folders.append(self.out_dir / district)

    def files(self) -> list[Path]:
        """Every file written (districts in name order), once all are written."""
        for future in self.futures:
            future.result()
        return [folder / n for folder in sorted(self.folders) for n in _DISTRICT_FILES]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
