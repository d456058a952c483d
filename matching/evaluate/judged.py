"""The judged-dev set: real-style postings and persons graded by an independent annotator.

``../shared/data/judged-dev/`` holds ``postings.jsonl`` (240), ``persons.jsonl`` (36) and
``judgments.tsv`` (person, posting, grade 1|2; unlisted pairs are grade 0); reference date
2024-11-01. :func:`load_judged_dev` writes its records into the bureau's spreadsheet columns
and reads them back through :func:`matching.ingest.read_postings` /
:func:`matching.ingest.read_persons`, so the salary text, the address, the age and education
requirements, the 地点要求 and the 备注 are understood exactly as an imported file's would be.
The annotator's ``category`` and ``duplicate_of`` are kept aside as truth, never given to the
engine (postings get their category from ``classify_job``, as a job-board import does).

The set is for measuring and finding failures, never for training.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matching.domain import divisions
from matching.domain.idcard import check_digit
from matching.exceptions import InputError
from matching.schemas import Person, Posting

__all__ = [
    "JUDGED_TODAY",
    "JudgedSet",
    "evaluate_judged",
    "judged_dir",
    "load_judged_dev",
]

JUDGED_TODAY = dt.date(2024, 11, 1)  # the set's reference date (its README)
JUDGED_RANKERS = ("engine", "random", "bm25", "category_district")

_POSTING_COLUMNS = {  # judged-dev field → the bureau sheet's header
    "id": "来源编号", "title": "岗位名称", "description": "岗位描述", "employer": "招聘单位",
    "address": "工作地址", "district": "所在区", "salary_text": "薪资", "headcount": "招聘人数",
    "education": "学历要求", "age_range": "年龄要求", "valid_until": "有效期至",
}  # fmt: skip
_PERSON_COLUMNS = (
    "姓名", "身份证号码", "性别", "文化程度", "专业/技能", "常住住址", "就业形式", "岗位意愿",
    "期望薪酬", "地点要求", "工作经历", "所属区", "备注",
)  # fmt: skip


@dataclass
class JudgedSet:
    """The judged-dev set as the engine sees it, with the annotator's truth kept aside."""

    postings: list[Posting]
    persons: list[Person]
    person_ids: list[str]  # V01… parallel to ``persons``
    relevance: dict[str, dict[str, int]]  # V01 → {D186: 2, …}
    true_category: dict[str, str]  # D001 → "B"
    duplicate_of: dict[str, str]  # repost id → original id
    rejected: list[str] = field(default_factory=list)  # rows the readers refused, with reason
    today: dt.date = JUDGED_TODAY


def judged_dir(shared: Path | None) -> Path | None:
    """``shared/judged-dev`` when it holds the three files, else None."""
    if shared is None:
        return None
    d = Path(shared) / "judged-dev"
    names = ("postings.jsonl", "persons.jsonl", "judgments.tsv")
    return d if all((d / n).is_file() for n in names) else None


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(headers)
        w.writerows(rows)


def _id_number(district: str, birth_year: int, gender: str, seq: int) -> str:
    """A well-formed ID number for a record that has none: the district's code, 1 January of
    the birth year (so the age is 2024 − birth year on the reference date), gender parity."""
    code = divisions.BY_NAME[district].code if district in divisions.BY_NAME else "120101"
    tail = 2 * seq + (1 if gender == "男" else 0)
    first = f"{code}{birth_year:04d}0101{tail % 1000:03d}"
    return first + check_digit(first)


def _person_row(i: int, r: Mapping[str, Any]) -> list[object]:
    history = "\n".join(
        f"{h.get('period', '')}|{h.get('employer', '')}|{h.get('position', '')}"
        for h in r.get("work_history") or ()
    )
    return [
        r["name"], _id_number(r.get("district", ""), int(r["birth_year"]), r["gender"], i),
        r["gender"], r.get("education", ""), r.get("skills", ""), r.get("residence", ""),
        r.get("wanted_form", ""), "，".join(r.get("wanted_categories") or ()),
        r.get("expected_pay", ""), r.get("location_requirement", ""), history,
        r.get("district", ""), r.get("notes", ""),
    ]  # fmt: skip


def load_judged_dev(directory: Path) -> JudgedSet:
    """Read judged-dev through the project's own spreadsheet readers (see the module doc)."""
    from matching.ingest import read_persons, read_postings
    from matching.ingest.importer import infer_categories

    directory = Path(directory)
    raw_postings = _jsonl(directory / "postings.jsonl")
    raw_persons = _jsonl(directory / "persons.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        p_csv, q_csv = Path(tmp) / "postings.csv", Path(tmp) / "persons.csv"
        _write_csv(p_csv, list(_POSTING_COLUMNS.values()),
                   [[r.get(k, "") for k in _POSTING_COLUMNS] for r in raw_postings])  # fmt: skip
        _write_csv(q_csv, _PERSON_COLUMNS, [_person_row(i, r) for i, r in enumerate(raw_persons)])
        read_p = read_postings(p_csv)
        read_q = read_persons(q_csv, today=JUDGED_TODAY)
    rejected = [f"postings row {e.row}: {e.reason_en}" for e in read_p.errors]
    rejected += [f"persons row {e.row}: {e.reason_en}" for e in read_q.errors]
    postings, _ = infer_categories([p for _, p in read_p.items])
    postings = [p.model_copy(update={"id": p.source_id}) for p in postings]
    by_row = dict(read_q.items)
    persons, person_ids = [], []
    for i, r in enumerate(raw_persons):
        person = by_row.get(i + 2)  # header is row 1
        if person is not None:
            persons.append(person)
            person_ids.append(r["id"])
    relevance: dict[str, dict[str, int]] = {pid: {} for pid in person_ids}
    with (directory / "judgments.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["person_id"] in relevance and int(row["grade"]) > 0:
                relevance[row["person_id"]][row["posting_id"]] = int(row["grade"])
    return JudgedSet(
        postings=postings,
        persons=persons,
        person_ids=person_ids,
        relevance=relevance,
        true_category={r["id"]: r["category"] for r in raw_postings},
        duplicate_of={r["id"]: r["duplicate_of"] for r in raw_postings if r.get("duplicate_of")},
        rejected=rejected,
    )


def evaluate_judged(
    judged: JudgedSet, *, engine: Any = None, seed: int = 0, k: int = 10
) -> dict[str, Any]:
    """NDCG@k and Recall@k of the engine and the baselines on judged-dev, per ranker and per
    person, and top-1 of ``classify_job`` on the labelled postings (with its majority baseline
    and macro-F1)."""
    from matching.evaluate.baselines import Rankers
    from matching.evaluate.metrics import ndcg_at_k, recall_at_k
    from matching.rank.engine import MatchingEngine

    if not judged.persons:
        raise InputError("judged-dev: no person could be read / 评测集中没有可读取的人员")
    engine = engine if engine is not None else MatchingEngine().fit(judged.postings)
    rankers = Rankers(engine, judged.today, seed)
    lists = {name: [rankers.rank(name, p, k) for p in judged.persons] for name in JUDGED_RANKERS}
    # A repost and its original are one job (graded alike): the truth counts it once, and a list
    # that shows it twice gets nothing for the second showing.
    one = {orig: repost for repost, orig in judged.duplicate_of.items()}
    lists = {name: [_as_one(lst, one) for lst in ls] for name, ls in lists.items()}
    rels = [_merged(judged.relevance[pid], one) for pid in judged.person_ids]
    per_person = []
    for i, pid in enumerate(judged.person_ids):
        row: dict[str, Any] = {"person": pid, "relevant": len(rels[i])}
        for name in JUDGED_RANKERS:
            row[f"{name}_ndcg"] = round(ndcg_at_k(lists[name][i], rels[i], k), 4)
            row[f"{name}_recall"] = round(recall_at_k(lists[name][i], rels[i], k), 4)
        row["missed"] = sorted(set(rels[i]) - set(lists["engine"][i][:k]))
        row["engine_top"] = lists["engine"][i][:k]
        per_person.append(row)
    overall = {
        name: {
            "ndcg@10": _mean([r[f"{name}_ndcg"] for r in per_person]),
            "recall@10": _mean([r[f"{name}_recall"] for r in per_person]),
        }
        for name in JUDGED_RANKERS
    }
    return {
        "n_persons": len(judged.persons),
        "n_postings": len(judged.postings),
        "n_pairs": sum(len(r) for r in judged.relevance.values()),
        "n_jobs": sum(len(r) for r in rels),
        "rejected": judged.rejected,
        "today": judged.today.isoformat(),
        "overall": overall,
        "per_person": per_person,
        "categories": _category_scores(judged),
    }


def _as_one(ranked: Sequence[str], one: Mapping[str, str]) -> list[str]:
    """``ranked`` with each original replaced by its repost; a second showing left empty."""
    seen: set[str] = set()
    out = []
    for pid in ranked:
        key = one.get(pid, pid)
        out.append("" if key in seen else key)
        seen.add(key)
    return out


def _merged(relevance: Mapping[str, int], one: Mapping[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for pid, grade in relevance.items():
        key = one.get(pid, pid)
        out[key] = max(grade, out.get(key, 0))
    return out


def _mean(xs: Sequence[float]) -> float:
    return round(sum(xs) / len(xs), 4) if xs else float("nan")


def _category_scores(judged: JudgedSet) -> dict[str, Any]:
    """Top-1 of the inferred categories against the annotator's, with the majority baseline
    and macro-F1 (the categories the engine ranked with are the classifier's)."""
    from collections import Counter

    from sklearn.metrics import f1_score

    truth = [judged.true_category[p.id] for p in judged.postings]
    pred = [p.category.value if p.category is not None else "" for p in judged.postings]
    n = len(truth)
    majority = Counter(truth).most_common(1)[0][1] / n if n else float("nan")
    return {
        "n": n,
        "top1": round(sum(t == q for t, q in zip(truth, pred, strict=True)) / n, 4) if n else 0,
        "majority_baseline": round(majority, 4),
        "macro_f1": round(float(f1_score(truth, pred, average="macro", zero_division=0)), 4),
    }
