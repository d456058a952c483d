"""The job classifier's training examples, read from the shared data at run time.

Labelled occupations (the 2022 occupation descriptions joined with the dev labels), real
1dagong postings whose board category maps to A–R (:data:`BOARD_CATEGORIES`), the team's
phrasebook (``matching/resources/phrasebook*.tsv``) and a small generated sample. No text is
copied into the repository.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from matching.domain.categories import Category
from matching.understand.classifier.features import one_line
from matching.understand.classifier.lexicon import title_keyword_category

__all__ = [
    "BOARD_CATEGORIES",
    "Example",
    "board_category",
    "build_examples",
    "judged_postings",
    "without_judged",
]

# 1dagong board categories → A–R. None = not used (mixed or unrelated content). A parent path
# ("jigong") stands for its children unless a child is listed. Rules from
# shared/data/README.md: guards → H, designers → R, couriers → C, shop cashiers → M.
BOARD_CATEGORIES: dict[str, Category | None] = {
    "cangchu_wuliu": Category.B,
    "cangchu_wuliu/kuaidiyuan": Category.C,
    "dianyuan_yingyeyuan": Category.M,
    "dianyuan_yingyeyuan/zhaoshangjingli_zhug": Category.F,  # 招商经理 = sales
    "fuwuyuan": Category.I,
    "fuwuyuan/yingbin_jiedai": Category.I,  # restaurant hosts: the board is 服务员
    "jianzhu_zhuangxiu": None,  # parent alone: unrelated content
    "jianzhu_zhuangxiu/gongchengxiangmuguanli": Category.O,
    "jianzhu_zhuangxiu/jianzhuanzhuanggong": Category.O,
    "jianzhu_zhuangxiu/qitajianzhugongzuo": Category.O,
    "jianzhu_zhuangxiu/wuyeguanliyuan": Category.H,
    "jianzhu_zhuangxiu/wuyejingli": Category.H,
    "jianzhu_zhuangxiu/zhuangxiusheji": Category.R,  # designers → R
    "jiazhengfuwu": Category.A,
    "jiazhengfuwu/baoan": Category.H,  # guards of premises → H
    "jiazhengfuwu/baojie": Category.A,
    "jigong": Category.J,
    "jigong/zhiling_shuinuangong": Category.H,  # refrigeration / plumbing in buildings
    "pugong": Category.J,
    "qiche_motuochexiuli": Category.G,
    "qiche_motuochexiuli/zhuangpeigongyigongc": Category.J,  # vehicle assembly process, not repair
    "siji": Category.B,
    "xiaoshou_shichang": Category.F,
    "xiaoshou_shichang/baoxiandaili_jingji": Category.E,  # insurance agents → E
    "xingzheng": Category.D,
    "ITxingye": None,
    "qita": None,
}


def board_category(path: str) -> Category | None:
    """Map a 1dagong ``board_category`` path to A–R, or None when it is not used."""
    path = (path or "").strip().strip("/")
    if not path:
        return None
    if path in BOARD_CATEGORIES:
        return BOARD_CATEGORIES[path]
    return BOARD_CATEGORIES.get(path.split("/")[0])


@dataclass(frozen=True, slots=True)
class Example:
    """One training text (first line = title) with its category.

    ``board`` is a real posting's board category mapped to A–R, kept for measuring; ``label``
    is the same unless the title names another category outright (see :func:`_read_postings`).
    """

    text: str
    label: Category
    source: Literal["occupation", "posting", "phrase", "generated"]
    group: str
    board: Category | None = None


def _read_occupations(shared_dir: Path) -> list[Example]:
    import csv

    import openpyxl

    labels: dict[str, Category] = {}
    with (shared_dir / "labels" / "occupation_labels_dev.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            labels[row["code"].strip()] = Category(row["label"].strip())
    xlsx = next((shared_dir / "occupations-2022").glob("*.xlsx"))
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = [str(h or "") for h in next(rows)]
        i_code = header.index("细分职业代码")
        i_name, i_desc = header.index("细分职业名称"), header.index("细分职业描述")
        out = []
        for row in rows:
            code = str(row[i_code] or "").strip()
            if code in labels:
                text = f"{row[i_name] or ''}\n{one_line(str(row[i_desc] or ''))}"
                out.append(Example(text, labels[code], "occupation", code))
    finally:
        wb.close()
    return out


_WORDY = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _read_postings(shared_dir: Path) -> list[Example]:
    """Mapped 1dagong postings. A board holds postings of other kinds (cashiers, trainees,
    wealth advisers and clerks on the sales board): when the title names another category
    outright (:func:`~matching.understand.classifier.lexicon.title_keyword_category`), that
    category is the label, so recruiting boilerplate is not learnt as evidence of sales."""
    out = []
    path = shared_dir / "postings-1dagong" / "postings.jsonl"
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            label = board_category(row.get("board_category", ""))
            title = one_line(row.get("title", ""))
            if label is None or not _WORDY.search(title):  # skip "1111"-style junk titles
                continue
            group = one_line(row.get("employer", "")) or row.get("source_id", "")
            text = f"{title}\n{one_line(row.get('description', ''))}"
            named = title_keyword_category(title)
            out.append(Example(text, named or label, "posting", group, board=label))
    return out


def _read_phrasebook() -> list[Example]:
    out = []
    for name in sorted(p.name for p in resources.files("matching").joinpath("resources").iterdir()):
        if not (name.startswith("phrasebook") and name.endswith(".tsv")):
            continue
        raw = resources.files("matching").joinpath("resources", name).read_text("utf-8")
        for line in raw.splitlines():
            if not line.strip() or line.startswith("#") or line.startswith("category\t"):
                continue
            code, phrase = line.split("\t", 1)
            title, _, desc = phrase.partition(" ")
            out.append(Example(f"{title}\n{desc}", Category(code), "phrase", f"phrase:{phrase}"))
    return out


def build_examples(shared_dir: Path, *, seed: int = 0) -> list[Example]:
    """All training examples: labelled occupations, mapped real postings, the phrasebook, and
    (when :func:`matching.generator.generate_postings` exists) a small generated sample."""
    examples = _read_occupations(shared_dir) + _read_postings(shared_dir) + _read_phrasebook()
    examples += _generated(seed)
    return without_judged(examples, shared_dir)


def judged_postings(shared_dir: Path) -> list[dict[str, str]]:
    """The labelled postings of ``judged-dev/postings.jsonl`` ([] when the file is absent).

    They are for measuring only: :func:`build_examples` keeps them out of training.
    """
    path = shared_dir / "judged-dev" / "postings.jsonl"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def without_judged(examples: list[Example], shared_dir: Path) -> list[Example]:
    """``examples`` less any whose text holds a judged-dev posting's description, or whose
    title and description are a judged-dev posting's (measuring data never enters training)."""
    judged = judged_postings(shared_dir)
    if not judged:
        return examples
    descriptions = [d for r in judged if len(d := one_line(r.get("description", ""))) >= 20]
    pairs = {(one_line(r["title"]), one_line(r.get("description", ""))) for r in judged}
    kept = []
    for e in examples:
        title, _, description = e.text.partition("\n")
        if (title, description) in pairs or any(d in e.text for d in descriptions):
            continue
        kept.append(e)
    return kept


def _generated(seed: int, n: int = 300) -> list[Example]:
    """A sample of the project's own generated postings, labelled by the generator's truth."""
    from matching.generator import generate_postings_with_truth

    rows, truth = generate_postings_with_truth(n, seed)
    return [
        Example(
            f"{one_line(str(r['岗位名称']))}\n{one_line(str(r['岗位描述']))}",
            Category(t["category"]),
            "generated",
            f"gen:{i}",
        )
        for i, (r, t) in enumerate(zip(rows, truth, strict=True))
    ]
