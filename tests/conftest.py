"""Shared fixtures: a tiny world where the right answer is known, and the ../shared skip."""

from __future__ import annotations

import datetime as dt
import os
from copy import deepcopy
from pathlib import Path

import pytest

from matching.domain import divisions
from matching.domain.categories import Category
from matching.domain.idcard import check_digit
from matching.schemas import (
    Education,
    Gender,
    Location,
    Match,
    Person,
    Posting,
    SalaryRange,
    WorkHistoryEntry,
)

TODAY = dt.date(2024, 10, 21)
REPO = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path | None:
    """../shared/data (or $SONGGANG_SHARED_DATA) when present, else None."""
    env = os.environ.get("SONGGANG_SHARED_DATA")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("needs ../shared/data (set SONGGANG_SHARED_DATA); not present on this machine")
    return path


def real_postings(shared_data: Path) -> list[Posting]:
    """Title and description of every posting of postings-1dagong and judged-dev that has a title."""
    import json

    postings = []
    for folder in ("postings-1dagong", "judged-dev"):
        for line in (shared_data / folder / "postings.jsonl").read_text("utf-8").splitlines():
            r = json.loads(line)
            if r.get("title"):
                postings.append(Posting(title=r["title"], description=r.get("description") or ""))
    assert len(postings) > 2000
    return postings


def make_id(area: str = "120103", birth: str = "19850312", seq: str = "123") -> str:
    """A valid ID number (GB 11643 check digit). ``seq``'s last digit odd = male."""
    first = area + birth + seq
    return first + check_digit(first)


def cli_env(root: Path) -> dict[str, str]:
    """The environment of a ``songgang`` command whose database and index live under ``root``."""
    return {
        "SONGGANG_DATABASE_URL": f"sqlite:///{root / 'songgang.db'}",
        "SONGGANG_INDEX_DIR": str(root / "index"),
    }


def loc(district: str, street: str | None = None) -> Location:
    d = divisions.BY_NAME[district]
    return Location(
        district=d.name,
        district_code=d.code,
        street=street,
        lat=d.lat,
        lon=d.lon,
        precision="district",
    )


def posting(
    pid: str, title: str, desc: str, cat: Category, district: str, lo: int, hi: int, **kw: object
) -> Posting:
    base = {
        "id": pid,
        "title": title,
        "description": desc,
        "employer": f"{district}某单位{pid}",
        "district": district,
        "location": loc(district),
        "salary_text": f"{lo}-{hi}元/月",
        "salary": SalaryRange(monthly_min_yuan=lo, monthly_max_yuan=hi),
        "category": cat,
        "valid_from": TODAY - dt.timedelta(days=3),
        "valid_until": TODAY + dt.timedelta(days=60),
        "headcount": 3,
        "source": "test",
        "source_id": pid,
    }
    base.update(kw)
    return Posting(**base)  # type: ignore[arg-type]


def schedule_penalties(matches: list[Match], reason_prefix: str) -> dict[str, float]:
    """The ``schedule`` term of each match that pays it, by posting id; each of them must say
    why with a reason starting ``reason_prefix``."""
    values = {m.posting_id: next(t.value for t in m.terms if t.name == "schedule") for m in matches}
    paid = {pid: v for pid, v in values.items() if v}
    for m in matches:
        if m.posting_id in paid:
            assert any(r.startswith(reason_prefix) for r in m.reasons), m.reasons
    return paid


def tiny_postings() -> list[Posting]:
    """8 postings, 3 categories (A, B, I) in 2 far-apart districts (河西区, 蓟州区)."""
    return [
        posting(
            "p0",
            "小区保洁员",
            "负责小区楼道保洁 打扫卫生 做六休一",
            Category.A,
            "河西区",
            4000,
            5000,
        ),
        posting(
            "p1", "住家保姆", "照顾老人 做饭 家务保洁 包吃住", Category.A, "蓟州区", 4500, 6000
        ),
        posting(
            "p2", "C1货车司机", "驾驶厢式货车 市内配送 需C1驾照", Category.B, "河西区", 6000, 8000
        ),
        posting("p3", "仓库理货员", "物流园仓库 分拣 理货 叉车", Category.B, "蓟州区", 5000, 6000),
        posting("p4", "饭店服务员", "餐厅点菜 传菜 收拾桌面", Category.I, "河西区", 3500, 4500),
        posting("p5", "中餐厨师", "炒锅厨师 会做家常菜 有健康证", Category.I, "蓟州区", 6000, 9000),
        posting(
            "p6", "家政保洁钟点工", "上门家政 擦玻璃 保洁 日结", Category.A, "河西区", 3000, 4000
        ),
        posting("p7", "快递分拣员", "快递仓库 分拣 装卸 夜班", Category.B, "河西区", 4500, 5500),
    ]


def person(
    idn: str,
    name: str,
    cats: tuple[Category, ...],
    district: str,
    skills: str,
    positions: tuple[str, ...] = (),
    **kw: object,
) -> Person:
    base = {
        "id_number": idn,
        "name": name,
        "gender": Gender.FEMALE if int(idn[16]) % 2 == 0 else Gender.MALE,
        "birth_date": dt.date(int(idn[6:10]), int(idn[10:12]), int(idn[12:14])),
        "phone": "13812345678",
        "education": Education.JUNIOR,
        "skills": skills,
        "residential_address": f"天津市{district}",
        "residence": loc(district),
        "wanted_categories": cats,
        "expected_pay_text": "4000",
        "expected_pay": SalaryRange(monthly_min_yuan=4000),
        "work_history": tuple(
            WorkHistoryEntry(period="2019-2023", employer="某单位", position=p) for p in positions
        ),
        "district": district,
    }
    base.update(kw)
    return Person(**base)  # type: ignore[arg-type]


def insisting_board(postings: int, persons: int, seed: int) -> tuple[list[Posting], list[Person]]:
    """Generated postings (every ninth filled, so a day drops more than dates) and persons,
    every other one insisting on the 地点要求 (只…: districts or a radius become hard filters)."""
    from matching.evaluate.generated import generated_persons, generated_postings

    board, _ = generated_postings(postings, seed=seed)
    board = [p.model_copy(update={"filled": True}) if i % 9 == 4 else p
             for i, p in enumerate(board)]  # fmt: skip
    people, _ = generated_persons(persons, seed=seed)
    people = [
        p.model_copy(update={"location_requirement": "只" + p.location_requirement}) if i % 2 else p
        for i, p in enumerate(people)
    ]
    return board, people


def tiny_persons() -> list[Person]:
    return [
        person(make_id(seq="122"), "王芳", (Category.A,), "河西区", "保洁 家务", ("保洁员",)),
        person(
            make_id(seq="131"), "李强", (Category.B,), "河西区", "C1驾照 货车驾驶", ("货车司机",)
        ),
        person(
            make_id("120119", seq="142"), "赵敏", (Category.I,), "蓟州区", "厨师 健康证", ("厨师",)
        ),
        person(
            make_id("120119", seq="151"), "刘伟", (Category.B,), "蓟州区", "叉车 仓库", ("理货员",)
        ),
    ]


@pytest.fixture(scope="session")
def _tiny_engine():  # type: ignore[no-untyped-def]
    from matching.rank.engine import MatchingEngine

    return MatchingEngine().fit(tiny_postings())


@pytest.fixture
def tiny_engine(_tiny_engine):  # type: ignore[no-untyped-def]
    return deepcopy(_tiny_engine)


@pytest.fixture(scope="session")
def pay_model(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A learned ranker of simulated seekers who care about pay and little else (unlike the
    hand weights): the path of its model file."""
    import numpy as np

    from matching.learn.policy import log_lists
    from matching.learn.ranker import train_ranker
    from matching.learn.simulator import Funnel, Simulator, random_contexts

    rng = np.random.default_rng(3)
    contexts = random_contexts(4000, rng)
    funnel = Funnel(weights=(0.0, 0.2, 6.0, 0.2, 0.0, 0.0, 0.0), intercepts=(-3.0, -2, -2, -2))
    sim = Simulator(contexts, funnel, seed=3)
    responses = sim.respond(log_lists(contexts, 5, 0.2, rng), rng)
    out = tmp_path_factory.mktemp("served")
    return train_ranker(contexts, responses, out, window={"simulated": True}).path


def xlsx_bomb(path: Path, source: Path, unpacked_mb: int) -> Path:
    """``source`` (an .xlsx) with one more member of ``unpacked_mb`` MB of one repeated byte:
    a few hundred KB that unpack to hundreds of MB, like a sheet holding one huge cell."""
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, src.read(item.filename))
        with out.open("xl/bomb.xml", "w") as member:  # streamed: never held whole
            block = b"A" * (1 << 20)
            for _ in range(unpacked_mb):
                member.write(block)
    return path
