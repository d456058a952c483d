"""Known-answer sets: persons built from a seed posting (with one kind of text noise) whose
right postings are known by construction, and the judged set read from jsonl.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matching.domain import divisions
from matching.domain.categories import LABELS, Category
from matching.schemas import Education, Gender, Person, Posting, WorkHistoryEntry

__all__ = [
    "KnownAnswerCase",
    "NOISE_KINDS",
    "known_answer_cases",
    "read_judged",
]

# Noise applied to the text a person gives (see known_answer_cases).
_SYNONYMS: dict[str, str] = {
    "保洁员": "清洁工", "保洁": "打扫卫生", "司机": "驾驶员", "服务员": "餐厅服务生",
    "厨师": "炒菜师傅", "保安": "安保员", "快递员": "快递小哥", "营业员": "店员",
    "收银员": "收款员", "育儿嫂": "带孩子阿姨", "保姆": "家政阿姨", "电工": "电气维修",
    "焊工": "电焊工", "普工": "操作工", "销售": "业务员", "会计": "财务", "文员": "办公室职员",
    "配送员": "送货员", "理货员": "仓管", "护工": "陪护", "美容师": "美容顾问", "叉车": "铲车",
}  # fmt: skip
_TRADITIONAL: dict[str, str] = dict(
    zip(
        "员师驾证厂务营销场货运仓库装维业经护医药厨洁电车机饭点递卖买动门区级质产线铁钢缝纫制"
        "卫环园艺种养楼层网络软编辑视频摄语处关导游馆宾兽鸡鸭猪鱼虾纺织检剂发钟时间长让这样们",
        "員師駕證廠務營銷場貨運倉庫裝維業經護醫藥廚潔電車機飯點遞賣買動門區級質產線鐵鋼縫紉製"
        "衛環園藝種養樓層網絡軟編輯視頻攝語處關導遊館賓獸雞鴨豬魚蝦紡織檢劑發鐘時間長讓這樣們",
        strict=True,
    )
)
NOISE_KINDS = ("clean", "typo", "missing", "synonym", "traditional")


def _noisy(text: str, kind: str, rng: random.Random) -> str:
    if kind == "typo" and len(text) >= 2:
        chars = list(text)
        i = rng.randrange(len(chars))
        if rng.random() < 0.5:
            del chars[i]  # a dropped character
        else:
            j = min(i + 1, len(chars) - 1)
            chars[i], chars[j] = chars[j], chars[i]  # swapped neighbours
        return "".join(chars)
    if kind == "synonym":
        for word in sorted(_SYNONYMS, key=len, reverse=True):
            if word in text:
                return text.replace(word, _SYNONYMS[word])
        return text
    if kind == "traditional":
        return "".join(_TRADITIONAL.get(c, c) for c in text)
    return text


@dataclass(frozen=True, slots=True)
class KnownAnswerCase:
    """A person built from one seed posting; ``relevance`` grades the postings that are right.

    Grade 2: same category, same district; grade 1: same category, a neighbouring district
    (:func:`matching.understand.location.neighbours`). Only postings valid on the evaluation day count.
    """

    person: Person
    relevance: dict[str, int]
    noise: str
    seed_posting: str


def _id_number(i: int, area: str) -> str:
    from matching.domain.idcard import check_digit

    first = f"{area}19880{1 + i % 9}{10 + i % 18:02d}{100 + i % 900:03d}"
    return first + check_digit(first)


def known_answer_cases(
    postings: Sequence[Posting],
    n: int,
    *,
    today: dt.date,
    seed: int = 0,
    noise: Sequence[str] = NOISE_KINDS,
) -> list[KnownAnswerCase]:
    """Persons whose right postings are known by construction, each with one kind of noise.

    A seed posting (categorised, in a Tianjin district, valid on ``today``) gives the person's
    ticked category, home district and skills (the posting title); the relevant postings are
    those of that category in that district (grade 2) or a neighbouring one (grade 1). Noise:
    ``typo`` (a dropped or swapped character), ``missing`` (no ticked category or no skills),
    ``synonym`` (a job word replaced by a colloquial one), ``traditional`` (traditional
    characters), ``clean``. Persons have a bachelor degree and are 36, so hard filters on
    education and age rarely remove a right posting.
    """
    from matching.understand.location import neighbours

    def valid(p: Posting) -> bool:
        return (
            (p.valid_from is None or p.valid_from <= today)
            and (p.valid_until is None or today <= p.valid_until)
            and not p.filled
        )

    live = [p for p in postings if valid(p) and p.category and p.district in divisions.BY_NAME]
    if not live:
        return []
    by_cat_district: dict[tuple[Category, str], list[str]] = defaultdict(list)
    for p in live:
        by_cat_district[(p.category, p.district)].append(p.id)  # type: ignore[index]
    rng = random.Random(f"known-answer-{seed}")
    cases = []
    for i in range(n):
        src = rng.choice(live)
        kind = noise[i % len(noise)]
        cat, district = src.category, src.district
        assert cat is not None and district is not None
        relevance = dict.fromkeys(by_cat_district[(cat, district)], 2)
        for near in neighbours(district):
            for pid in by_cat_district.get((cat, near), []):
                relevance.setdefault(pid, 1)
        d = divisions.BY_NAME[district]
        skills = _noisy(src.title, kind, rng)
        ticked: tuple[Category, ...] = (cat,)
        if kind == "missing":
            if rng.random() < 0.5:
                ticked = ()
            else:
                skills = LABELS[cat] if rng.random() < 0.5 else ""
        from matching.understand.location import parse_location

        address = _noisy(f"天津市{district}", kind if kind == "traditional" else "clean", rng)
        idn = _id_number(i, d.code)
        person = Person(
            id_number=idn,
            name=f"测试{i}",
            gender=Gender.MALE if int(idn[16]) % 2 else Gender.FEMALE,
            birth_date=dt.date(1988, 1 + i % 9, 10 + i % 18),
            education=Education.BACHELOR,
            skills=skills,
            residential_address=address,
            residence=parse_location(address) or parse_location(f"天津市{district}"),
            wanted_categories=ticked,
            work_history=(WorkHistoryEntry(position=skills),) if skills else (),
            district=district,
        )
        cases.append(KnownAnswerCase(person, relevance, kind, src.id))
    return cases


def read_judged(path: Path) -> list[tuple[Person, dict[str, int]]]:
    """Judged set: one json object a line, ``{"person": {...Person fields}, "relevance":
    {"posting id": 0|1|2, ...}}`` (``"judgements": [{"posting_id", "grade"}]`` also accepted)."""
    out = []
    with Path(path).open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                person = Person.model_validate(row["person"])
            except (KeyError, ValueError) as e:
                raise ValueError(
                    f"第{number}行无效 / line {number} is not a judged case: {e}"
                ) from e
            rel = row.get("relevance") or {
                j["posting_id"]: j["grade"] for j in row.get("judgements", [])
            }
            out.append((person, {str(k): int(v) for k, v in rel.items()}))
    return out
