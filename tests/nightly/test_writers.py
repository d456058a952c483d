"""The districts' writers: a district's files are the same written in a worker process or in
the run's own, and at most one district per process waits with its pushes held."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from matching.nightly.messages import PersonPush, PushItem
from matching.nightly.writers import DistrictWriters

DAY = dt.date(2024, 10, 21)


def _group(district: str, persons: int) -> list[PersonPush]:
    out = []
    for n in range(persons):
        items = tuple(
            PushItem(
                str(100 + k),
                k + 1,
                0.9 - k / 10,
                f"C{n:03d}{k}",
                "保洁员",
                "某物业",
                district,
                "月薪4000元",
                ("同区", "薪资符合期望"),
            )  # fmt: skip
            for k in range(3)
        )
        id_number = f"120103198503{n:06d}"
        out.append(PersonPush(id_number, "王芳", f"138{n:08d}", district, n % 2 == 0, items))
    return out


def test_pooled_writers_keep_at_most_one_district_per_process_and_write_the_same_files(
    tmp_path: Path,
) -> None:
    districts = ["河西区", "南开区", "和平区", "河东区", "红桥区"]
    groups = {d: _group(d, 400) for d in districts}
    pooled = DistrictWriters(tmp_path / "pool", DAY, 2)
    try:
        for d in districts:
            pooled.submit(d, groups[d])
            # the pool's processes start slowly: without waiting, all five would be pending
            assert sum(not f.done() for f in pooled.futures) <= 2
        pooled_files = pooled.files()
    finally:
        pooled.close()
    here = DistrictWriters(tmp_path / "here", DAY, 1)
    for d in districts:
        here.submit(d, groups[d])
    here_files = here.files()
    assert len(pooled_files) == len(here_files) == 4 * len(districts)
    for a, b in zip(pooled_files, here_files, strict=True):
        assert a.relative_to(tmp_path / "pool") == b.relative_to(tmp_path / "here")
        if a.suffix == ".csv":  # (xlsx: the zip carries its time)
            assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 0
