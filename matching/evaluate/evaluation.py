"""Measure quality: ranking metrics, known-answer sets, baselines, fairness, parser checks.

Everything here is deterministic for a seed and prints nothing; :func:`write_report` turns the
results into markdown with png plots (each figure followed by the numbers it was drawn from).

- metrics: :func:`ndcg_at_k`, :func:`recall_at_k`, :func:`reciprocal_rank`, :func:`gini`,
  :func:`exposure_gini`, :func:`coverage`
- data: :func:`generated_postings`, :func:`generated_persons`, :func:`known_answer_cases`,
  :func:`read_judged`
- rankers: :func:`rank_all` (engine, exhaustive, random, popularity, category filter, BM25)
- sections: :func:`evaluate_ranking`, :func:`evaluate_fairness`, :func:`evaluate_parsers`,
  :func:`evaluate_categories`, :func:`run_evaluation`, :func:`write_report`
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.domain import divisions
from matching.domain.categories import LABELS, Category
from matching.domain.columns import POSTING_HEADERS
from matching.schemas import Education, Gender, Person, Posting, WorkHistoryEntry

__all__ = [
    "KnownAnswerCase",
    "coverage",
    "evaluate_categories",
    "evaluate_fairness",
    "evaluate_parsers",
    "evaluate_ranking",
    "exposure_gini",
    "generated_persons",
    "generated_postings",
    "gini",
    "known_answer_cases",
    "ndcg_at_k",
    "rank_all",
    "read_judged",
    "recall_at_k",
    "reciprocal_rank",
    "run_evaluation",
    "write_report",
]

RANKERS = ("engine", "exhaustive", "random", "popularity", "category_filter", "bm25")
AGE_BANDS = ((16, 29, "16–29"), (30, 39, "30–39"), (40, 49, "40–49"), (50, 120, "50+"))


# ------------------------------------------------------------------------------- metrics


def ndcg_at_k(ranked: Sequence[str], relevance: Mapping[str, float], k: int = 10) -> float:
    """Normalised discounted cumulative gain of ``ranked`` (gain = grade, log2 discount).

    Returns 0.0 when no item is relevant (a query nobody could answer scores nothing).

    Examples
    --------
    >>> round(ndcg_at_k(["a", "b"], {"b": 1}, k=2), 4)
    0.6309
    """
    gains = [float(relevance.get(i, 0.0)) for i in ranked[:k]]
    dcg = sum(g / math.log2(r + 2) for r, g in enumerate(gains))
    ideal = sorted((float(v) for v in relevance.values() if v > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked: Sequence[str], relevance: Mapping[str, float], k: int = 10) -> float:
    """Share of the relevant items (grade > 0) found in the top ``k``; at most ``k`` are needed.

    The denominator is ``min(k, #relevant)`` so a query with 40 right answers can reach 1.0.
    """
    relevant = {i for i, v in relevance.items() if v > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / min(k, len(relevant))


def reciprocal_rank(ranked: Sequence[str], relevance: Mapping[str, float]) -> float:
    """1 / rank of the first relevant item, 0.0 when none is ranked (MRR = the mean)."""
    for r, i in enumerate(ranked, start=1):
        if relevance.get(i, 0) > 0:
            return 1.0 / r
    return 0.0


def gini(values: Sequence[float] | npt.NDArray[np.float64]) -> float:
    """Gini coefficient of non-negative values: 0 = all equal, → 1 = one holds everything.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 4])
    0.75
    """
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = x.size
    if n == 0 or x.sum() == 0:
        return 0.0
    if (x < 0).any():
        raise ValueError("gini needs non-negative values / 基尼系数要求非负值")
    ranks = np.arange(1, n + 1)
    return float((2 * np.sum(ranks * x) / (n * x.sum())) - (n + 1) / n)


def exposure_gini(lists: Sequence[Sequence[str]], items: Sequence[str]) -> float:
    """Gini of how often each of ``items`` appears in ``lists`` (items never shown count as 0)."""
    counts = Counter(i for lst in lists for i in lst)
    return gini([counts.get(i, 0) for i in items])


def coverage(lists: Sequence[Sequence[str]], items: Sequence[str]) -> float:
    """Share of ``items`` that appear in at least one list."""
    if not items:
        return 0.0
    shown = {i for lst in lists for i in lst}
    return len(shown.intersection(items)) / len(items)


# ------------------------------------------------------------------------------- data


def _rows_to_table(rows: Sequence[Mapping[str, Any]], path: Path) -> Path:
    from matching.ingest.io import write_table

    headers = list(rows[0]) if rows else []
    return write_table(path, headers, ([r.get(h) for h in headers] for r in rows))


def generated_postings(n: int, seed: int = 0) -> tuple[list[Posting], list[dict[str, Any]]]:
    """Generated postings read back through :func:`matching.ingest.io.read_postings` (csv), with truth.

    Ids are ``g<seed>-<i>``; rows the reader rejects are dropped together with their truth.
    """
    from matching.generator import generate_postings_with_truth
    from matching.ingest.io import read_postings

    rows, truth = generate_postings_with_truth(n, seed)
    if not rows:
        return [], []
    with tempfile.TemporaryDirectory() as tmp:
        result = read_postings(_rows_to_table(rows, Path(tmp) / "postings.csv"))
    by_source = {t["source_id"]: t for t in truth}
    postings, kept = [], []
    for _, p in result.items:
        t = by_source.get(p.source_id)
        if t is None:
            continue
        postings.append(p.model_copy(update={"id": f"g{seed}-{len(postings)}"}))
        kept.append(t)
    return postings, kept


def generated_persons(
    n: int, seed: int = 0, today: dt.date = dt.date(2024, 10, 21)
) -> tuple[list[Person], list[dict[str, Any]]]:
    """Generated persons read back through :func:`matching.ingest.io.read_persons`, with truth."""
    from matching.generator import generate_persons_with_truth
    from matching.ingest.io import read_persons

    rows, truth = generate_persons_with_truth(n, seed)
    if not rows:
        return [], []
    with tempfile.TemporaryDirectory() as tmp:
        result = read_persons(_rows_to_table(rows, Path(tmp) / "persons.csv"), today=today)
    by_id = {t["id_number"]: t for t in truth}
    persons = [p for _, p in result.items if p.id_number in by_id]
    return persons, [by_id[p.id_number] for p in persons]


def busiest_day(postings: Sequence[Posting]) -> dt.date:
    """The day on which the most postings are valid (evaluations rank on that day)."""
    days = sorted({p.valid_from for p in postings if p.valid_from})
    if not days:
        return dt.date(2024, 10, 21)

    def valid_on(d: dt.date) -> int:
        return sum(
            (p.valid_from is None or p.valid_from <= d)
            and (p.valid_until is None or d <= p.valid_until)
            for p in postings
        )

    step = max(1, len(days) // 40)
    return max(days[::step], key=valid_on)


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


# ------------------------------------------------------------------------------- rankers


@dataclass
class Rankers:
    """State shared by the rankers over one fitted engine (BM25 index, popularity order)."""

    engine: Any
    today: dt.date
    seed: int = 0
    _bm25: Any = None
    _popular: list[str] = field(default_factory=list)
    _valid: npt.NDArray[np.bool_] | None = None

    def __post_init__(self) -> None:
        from rank_bm25 import BM25Okapi

        from matching.understand.text import tokenize

        eng = self.engine
        self._bm25 = BM25Okapi([tokenize(p.text) or ["∅"] for p in eng.postings_])
        day = (self.today - dt.date(1970, 1, 1)).days
        t = eng.table_
        self._valid = (t.valid_from <= day) & (t.valid_until >= day) & ~t.filled
        # Popularity: the postings with the most openings (headcount), then the newest.
        order = sorted(
            np.flatnonzero(self._valid).tolist(),
            key=lambda r: (-(eng.postings_[r].headcount or 0), -int(t.valid_from[r]), r),
        )
        self._popular = [eng.posting_ids_[r] for r in order]

    def rank(self, name: str, person: Person, k: int = 10) -> list[str]:
        """Top-``k`` posting ids for ``person`` by ranker ``name`` (one of :data:`RANKERS`)."""
        eng = self.engine
        if name == "engine":
            return [m.posting_id for m in eng.recommend(person, k, today=self.today)]
        if name == "exhaustive":
            return exhaustive_recommend(eng, eng.profile(person, today=self.today), k, self.today)
        if name == "popularity":
            return self._popular[:k]
        valid_rows = np.flatnonzero(self._valid)
        rng = random.Random(f"{self.seed}-{name}-{person.id_number}")
        if name == "random":
            rows = rng.sample(valid_rows.tolist(), min(k, valid_rows.size))
            return [eng.posting_ids_[r] for r in rows]
        if name == "category_filter":
            profile = eng.profile(person, today=self.today)
            wanted = set(profile.ticked | profile.inferred)
            rows = [r for r in valid_rows.tolist() if eng.postings_[r].category in wanted]
            rng.shuffle(rows)
            return [eng.posting_ids_[r] for r in rows[:k]]
        if name == "bm25":
            from matching.understand.text import tokenize

            profile = eng.profile(person, today=self.today)
            scores = np.asarray(self._bm25.get_scores(tokenize(profile.text)), np.float64)
            scores[~self._valid] = -np.inf
            top = np.argsort(-scores, kind="stable")[:k]
            return [eng.posting_ids_[r] for r in top if np.isfinite(scores[r])]
        raise ValueError(f"未知排序方法 / unknown ranker {name!r}; one of {RANKERS}")


def exhaustive_recommend(engine: Any, profile: Any, k: int, today: dt.date) -> list[str]:
    """The naive baseline: :func:`matching.rank.scoring.score_pairs` over every (profile, posting)
    pair, exact TF-IDF similarity, no index. Same order rule as the engine (score, then id)."""
    from matching.rank.scoring import score_pairs
    from matching.rank.tables import PersonTable

    q = engine.vectorizer_.transform_sparse([profile.text])
    sims = np.asarray((engine.sparse_ @ q.T).todense(), np.float32).ravel()
    n = sims.size
    scored = score_pairs(
        PersonTable.from_profiles([profile]),
        np.zeros(n, np.int64),
        engine.table_,
        np.arange(n, dtype=np.int64),
        sims,
        today=today,
        config=engine.config_,
    )
    exclude = profile.exclude_posting_ids
    ids = engine.posting_ids_
    order = np.lexsort((np.array([ids[r] for r in scored.keep], dtype=object), -scored.score))
    return [ids[scored.keep[j]] for j in order if ids[scored.keep[j]] not in exclude][:k]


def rank_all(
    rankers: Rankers, persons: Sequence[Person], k: int = 10, names: Sequence[str] = RANKERS
) -> dict[str, list[list[str]]]:
    """``{ranker: [top-k ids per person]}`` for every ranker in ``names``."""
    return {name: [rankers.rank(name, p, k) for p in persons] for name in names}


# ------------------------------------------------------------------------------- sections


def _mean(xs: Sequence[float]) -> float:
    return round(float(np.mean(xs)), 4) if len(xs) else float("nan")


def _ranking_metrics(
    lists: Sequence[Sequence[str]], rels: Sequence[Mapping[str, float]], k: int
) -> dict[str, float]:
    return {
        "ndcg@10": _mean([ndcg_at_k(lst, r, k) for lst, r in zip(lists, rels, strict=True)]),
        "recall@10": _mean([recall_at_k(lst, r, k) for lst, r in zip(lists, rels, strict=True)]),
        "mrr": _mean([reciprocal_rank(lst, r) for lst, r in zip(lists, rels, strict=True)]),
    }


def evaluate_ranking(
    rankers: Rankers,
    cases: Sequence[KnownAnswerCase],
    *,
    judged: Sequence[tuple[Person, dict[str, int]]] = (),
    k: int = 10,
) -> dict[str, Any]:
    """NDCG@k, Recall@k, MRR per ranker, overall and per noise kind (and on ``judged``)."""
    persons = [c.person for c in cases]
    rels = [c.relevance for c in cases]
    lists = rank_all(rankers, persons, k)
    overall = {name: _ranking_metrics(lists[name], rels, k) for name in RANKERS}
    by_noise: dict[str, dict[str, dict[str, float]]] = {}
    for kind in sorted({c.noise for c in cases}):
        idx = [i for i, c in enumerate(cases) if c.noise == kind]
        by_noise[kind] = {
            name: _ranking_metrics([lists[name][i] for i in idx], [rels[i] for i in idx], k)
            for name in RANKERS
        }
    out: dict[str, Any] = {
        "n_cases": len(cases),
        "mean_relevant": _mean([sum(v > 0 for v in r.values()) for r in rels]),
        "overall": overall,
        "by_noise": by_noise,
    }
    if judged:
        jl = rank_all(rankers, [p for p, _ in judged], k)
        out["judged"] = {
            name: _ranking_metrics(jl[name], [r for _, r in judged], k) for name in RANKERS
        }
        out["n_judged"] = len(judged)
    return out


def _age_band(age: int) -> str:
    return next((label for lo, hi, label in AGE_BANDS if lo <= age <= hi), "other")


def evaluate_fairness(
    engine: Any, persons: Sequence[Person], *, today: dt.date, k: int = 10
) -> dict[str, Any]:
    """Exposure Gini and coverage of the engine's top-``k`` lists, overall and by group.

    Groups: gender, age band (:data:`AGE_BANDS`) and district in charge. Per group also the
    share of persons with an empty list and the mean top-1 score, so a skew is visible.
    """
    items = engine.posting_ids_
    matches = [engine.recommend(p, k, today=today) for p in persons]
    lists = [[m.posting_id for m in ms] for ms in matches]

    def stats(idx: Sequence[int]) -> dict[str, float]:
        sub = [lists[i] for i in idx]
        return {
            "persons": len(idx),
            "gini": round(exposure_gini(sub, items), 4),
            "coverage": round(coverage(sub, items), 4),
            "mean_len": _mean([len(s) for s in sub]),
            "empty_share": _mean([len(s) == 0 for s in sub]),
            "mean_top1_score": _mean([matches[i][0].score for i in idx if matches[i]]),
        }

    groups: dict[str, dict[str, list[int]]] = {"gender": {}, "age_band": {}, "district": {}}
    for i, p in enumerate(persons):
        groups["gender"].setdefault(p.gender.value, []).append(i)
        groups["age_band"].setdefault(_age_band(p.age_on(today)), []).append(i)
        groups["district"].setdefault(p.district, []).append(i)
    exposure = Counter(i for lst in lists for i in lst)
    return {
        "overall": stats(range(len(persons))),
        "groups": {g: {v: stats(ix) for v, ix in sorted(d.items())} for g, d in groups.items()},
        "exposure_counts": sorted(exposure.values(), reverse=True),
        "n_postings": len(items),
    }


def _expected_int(value: str) -> int | None:
    return int(value) if value.strip() else None


def _read_pattern_table(name: str, patterns_dir: Path | None) -> list[dict[str, str]]:
    path = (patterns_dir or Path(__file__).resolve().parents[2] / "tests" / "data") / name
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _fiftyone_strings(shared: Path) -> tuple[Counter[str], Counter[str]]:
    """(salary strings, address strings) of the 51job csv files with their row counts."""
    salaries: Counter[str] = Counter()
    addresses: Counter[str] = Counter()
    for path in sorted((shared / "51job").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                s = (row.get("薪酬") or row.get("薪资") or "").strip()
                a = (row.get("地址") or row.get("公司地址") or "").strip()
                if s:
                    salaries[s] += 1
                if a:
                    addresses[a] += 1
    return salaries, addresses


def evaluate_parsers(
    shared: Path | None,
    *,
    generated: tuple[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]] | None = None,
    patterns_dir: Path | None = None,
) -> dict[str, Any]:
    """Exact-match rates of ``parse_salary`` (monthly min and max) and ``parse_location``
    (district) on the 51job strings against the expected-pattern tables, and on generated rows.

    Every failure is listed. ``generated`` = (rows, truth) from the generator.
    """
    from matching.understand.location import parse_location
    from matching.understand.salary import parse_salary

    out: dict[str, Any] = {}
    if shared is not None and (shared / "51job").is_dir():
        salaries, addresses = _fiftyone_strings(shared)
        table = {r["salary"]: r for r in _read_pattern_table("salary_patterns.csv", patterns_dir)}
        fails, rows_ok, rows_all, unknown = [], 0, 0, []
        for s, count in sorted(salaries.items()):
            if s not in table:
                unknown.append(s)
                continue
            exp = (_expected_int(table[s]["monthly_min"]), _expected_int(table[s]["monthly_max"]))
            r = parse_salary(s)
            got = (r.monthly_min_yuan, r.monthly_max_yuan) if r else (None, None)
            rows_all += count
            if got == exp:
                rows_ok += count
            else:
                fails.append({"text": s, "expected": exp, "got": got, "rows": count})
        n = len(salaries) - len(unknown)
        out["salary_51job"] = {
            "patterns": n, "exact": round(1 - len(fails) / n, 4) if n else float("nan"),
            "rows": rows_all, "exact_rows": round(rows_ok / rows_all, 4) if rows_all else float("nan"),
            "failures": fails, "not_in_table": unknown,
        }  # fmt: skip
        table = {
            r["address"]: r for r in _read_pattern_table("location_patterns.csv", patterns_dir)
        }
        fails, unknown = [], []
        for a, count in sorted(addresses.items()):
            if a not in table:
                unknown.append(a)
                continue
            exp_d = table[a]["district"] or None
            loc = parse_location(a)
            got_d = loc.district if loc else None
            if got_d != exp_d:
                fails.append({"text": a, "expected": exp_d, "got": got_d, "rows": count})
        n = len(addresses) - len(unknown)
        out["location_51job"] = {
            "patterns": n, "exact": round(1 - len(fails) / n, 4) if n else float("nan"),
            "failures": fails, "not_in_table": unknown,
        }  # fmt: skip
    else:
        out["skipped_51job"] = "needs ../shared/data/51job (set SONGGANG_SHARED_DATA)"
    if generated is not None:
        rows, truth = generated
        sal_col, addr_col = POSTING_HEADERS["salary_text"][0], POSTING_HEADERS["address"][0]
        sfails, lfails, n_addr = [], [], 0
        for row, t in zip(rows, truth, strict=True):
            text = row.get(sal_col) or ""
            r = parse_salary(text)
            got = (r.monthly_min_yuan, r.monthly_max_yuan) if r else (None, None)
            exp = _generated_salary(t["salary"])
            if got != exp:
                sfails.append(
                    {"text": text, "format": t["salary"].get("format"), "expected": exp, "got": got}
                )
            addr = str(row.get(addr_col) or "").strip()
            if not addr:  # no address written: the district column carries it, nothing to parse
                continue
            n_addr += 1
            loc = parse_location(addr)
            if (loc.district if loc else None) != t["district"]:
                lfails.append(
                    {"text": addr, "expected": t["district"], "got": loc.district if loc else None}
                )
        n = len(rows)
        out["salary_generated"] = {
            "n": n,
            "exact": round(1 - len(sfails) / n, 4) if n else float("nan"),
            "failures": sfails,
        }
        out["location_generated"] = {"n": n_addr, "exact": round(1 - len(lfails) / n_addr, 4) if n_addr else float("nan"), "failures": lfails}  # fmt: skip
    return out


_DAYS_PER_MONTH = 21.75
_HOURS_PER_MONTH = 174.0


def _generated_salary(s: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """Monthly (min, max) in yuan from the generator's truth (unit, min, max)."""
    if s.get("min") is None and s.get("max") is None:
        return (None, None)
    factor = {"month": 1.0, "year": 1 / 12, "day": _DAYS_PER_MONTH, "hour": _HOURS_PER_MONTH,
              "week": 52 / 12}.get(s.get("unit", "month"), 1.0)  # fmt: skip

    def conv(v: float | None) -> int | None:
        return None if v is None else int(math.floor(float(v) * factor + 0.5))  # half up

    return conv(s.get("min")), conv(s.get("max"))


def evaluate_categories(
    shared: Path | None,
    generated: Sequence[Posting] = (),
    *,
    n_splits: int = 5,
    seed: int = 0,
    max_folds: int | None = None,
) -> dict[str, Any]:
    """Cross-validated top-1/top-3/macro-F1 and confusion matrices of the classifier.

    Occupations (dev labels joined with the 2022 occupation texts) and real 1dagong postings
    (board categories mapped to A–R) are scored out of fold with the classifier module's own
    examples and fold rule (``build_examples``, ``JobClassifier``, ``predict_combined``);
    generated postings are scored with :func:`matching.understand.classifier.classify_job` (the shipped
    model). ``max_folds`` runs only the first folds (quick runs).
    """
    from matching.understand import classifier as clf

    out: dict[str, Any] = {}
    if shared is not None and (shared / "labels").is_dir():
        examples = clf.build_examples(shared, seed=seed)
        fold = clf._folds(examples, n_splits, seed)  # the module's own grouping of folds
        weights = clf._weights(examples)
        texts = [e.text for e in examples]
        preds: dict[int, list[float]] = {}
        for k in range(n_splits if max_folds is None else min(max_folds, n_splits)):
            train = np.flatnonzero(fold != k)
            test = np.flatnonzero(fold == k)
            model = clf.JobClassifier().fit(
                [texts[i] for i in train], [examples[i].label for i in train], weights[train]
            )
            for i, p in zip(
                test, clf.predict_combined(model, [texts[i] for i in test]), strict=True
            ):
                preds[int(i)] = [p.probabilities[c] for c in Category]
        for src, key in (("occupation", "occupations"), ("posting", "postings_1dagong")):
            rows = [i for i in sorted(preds) if examples[i].source == src]
            out[key] = _class_metrics(
                [examples[i].label for i in rows], np.array([preds[i] for i in rows])
            )
    else:
        out["skipped_shared"] = (
            "needs ../shared/data/labels and occupations-2022 (set SONGGANG_SHARED_DATA)"
        )
    if generated:
        labelled = [p for p in generated if p.category is not None]
        predictions = [clf.classify_job(p.title, p.description) for p in labelled]
        proba = np.array([[pr.probabilities[c] for c in Category] for pr in predictions])
        out["generated"] = _class_metrics([p.category for p in labelled], proba)  # type: ignore[misc]
    return out


def _class_metrics(labels: Sequence[Category], proba: npt.NDArray[np.float64]) -> dict[str, Any]:
    from sklearn.metrics import confusion_matrix, f1_score

    classes = list(Category)
    if len(labels) == 0:
        return {"n": 0}
    y = np.array([classes.index(c) for c in labels])
    order = np.argsort(-proba, axis=1, kind="stable")
    pred = order[:, 0]
    present = sorted(set(y.tolist()))
    cm = confusion_matrix(y, pred, labels=list(range(len(classes))))
    pairs = [
        {"true": classes[i].value, "predicted": classes[j].value, "count": int(cm[i, j]),
         "share_of_true": round(float(cm[i, j] / cm[i].sum()), 3)}
        for i in range(len(classes)) for j in range(len(classes)) if i != j and cm[i, j] > 0
    ]  # fmt: skip
    pairs.sort(key=lambda d: -d["count"])
    return {
        "n": int(y.size),
        "top1": round(float(np.mean(pred == y)), 4),
        "top3": round(float(np.mean(np.any(order[:, :3] == y[:, None], axis=1))), 4),
        "macro_f1": round(float(f1_score(y, pred, labels=present, average="macro")), 4),
        "confusion": cm.tolist(),
        "classes": [c.value for c in classes],
        "top_confusions": pairs[:10],
    }


# ------------------------------------------------------------------------------- run + report


def run_evaluation(
    *,
    shared: Path | None,
    n_postings: int = 3000,
    n_persons: int = 400,
    n_cases: int = 300,
    judged: Path | None = None,
    seed: int = 0,
    cv_folds: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """All sections on generated data (+ ../shared when given). Returns plain dicts."""
    from matching.generator import generate_postings_with_truth
    from matching.rank.engine import MatchingEngine

    say = progress or (lambda _msg: None)
    say(f"generating {n_postings} postings, {n_persons} persons")
    postings, _ = generated_postings(n_postings, seed)
    today = busiest_day(postings)
    persons, _ = generated_persons(n_persons, seed, today=today)
    say("fitting the engine")
    engine = MatchingEngine().fit(postings)
    rankers = Rankers(engine, today, seed)
    say("ranking known-answer cases")
    cases = known_answer_cases(postings, n_cases, today=today, seed=seed)
    result: dict[str, Any] = {
        "config": {"postings": len(postings), "persons": len(persons), "cases": len(cases),
                   "seed": seed, "today": today.isoformat(), "shared": str(shared) if shared else None},
    }  # fmt: skip
    result["ranking"] = evaluate_ranking(
        rankers, cases, judged=read_judged(judged) if judged else ()
    )
    say("fairness")
    result["fairness"] = evaluate_fairness(engine, persons, today=today)
    say("parsers")
    gen_rows = generate_postings_with_truth(min(n_postings, 2000), seed + 1)
    result["parsers"] = evaluate_parsers(shared, generated=gen_rows)
    say("categories")
    gen_eval, _ = generated_postings(min(n_postings, 1000), seed + 101)
    result["categories"] = evaluate_categories(shared, gen_eval, seed=seed, max_folds=cv_folds)
    return result


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return f"{v:.4f}" if isinstance(v, float) else str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def _plot_confusion(m: Mapping[str, Any], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cm = np.array(m["confusion"], dtype=np.float64)
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    im = ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(m["classes"])), m["classes"])
    ax.set_yticks(range(len(m["classes"])), m["classes"])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label="share of true class")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _plot_bars(
    data: Mapping[str, Mapping[str, float]], metrics: Sequence[str], title: str, path: Path
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(data)
    fig, ax = plt.subplots(figsize=(7, 3.8))
    width = 0.8 / len(metrics)
    for j, metric in enumerate(metrics):
        ax.bar(
            [i + j * width for i in range(len(names))],
            [data[n][metric] for n in names],
            width,
            label=metric,
        )
    ax.set_xticks(
        [i + width * (len(metrics) - 1) / 2 for i in range(len(names))], names, rotation=20
    )
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _plot_exposure(counts: Sequence[int], n_postings: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    full = np.array(list(counts) + [0] * (n_postings - len(counts)), dtype=np.float64)
    x = np.sort(full)
    lorenz = np.concatenate([[0], np.cumsum(x) / max(x.sum(), 1)])
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot(np.linspace(0, 1, lorenz.size), lorenz, label="top-10 exposure")
    ax.plot([0, 1], [0, 1], "--", color="grey", label="equal exposure")
    ax.set_xlabel("share of postings")
    ax.set_ylabel("share of exposure")
    ax.set_title("Lorenz curve of exposure")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def lorenz_points(
    counts: Sequence[int], n_postings: int, points: int = 11
) -> list[tuple[float, float]]:
    """(share of postings, share of exposure) at evenly spaced points of the Lorenz curve."""
    x = np.sort(np.array(list(counts) + [0] * (n_postings - len(counts)), dtype=np.float64))
    cum = np.concatenate([[0], np.cumsum(x) / max(x.sum(), 1)])
    at = np.linspace(0, 1, points)
    return [(round(float(a), 2), round(float(cum[int(round(a * x.size))]), 4)) for a in at]


def write_report(result: Mapping[str, Any], out: Path) -> Path:
    """Write ``out/report.md`` and its png figures; every figure is followed by its data."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = result["config"]
    md = [
        "# songgang evaluation report",
        "",
        f"Generated data: {cfg['postings']} postings, {cfg['persons']} persons, "
        f"{cfg['cases']} known-answer cases; seed {cfg['seed']}; ranking day {cfg['today']}; "
        f"shared data: {cfg['shared'] or 'absent (sections that need it are skipped)'}.",
        "",
        "## Ranking (known-answer sets)",
        "",
    ]
    rk = result["ranking"]
    md.append(
        f"Persons built from a seed posting (ticked category, home district, title as skills); "
        f"right answers = postings of that category in that district (grade 2) or a "
        f"neighbouring one (grade 1); {rk['mean_relevant']} right postings per case on average. "
        "Noise kinds rotate over the cases. `exhaustive` = `score_pairs` over every posting "
        "(the naive baseline); `popularity` = most openings first; `category_filter` = wanted "
        "categories in random order; `bm25` = BM25Okapi over jieba tokens."
    )
    _plot_bars(
        rk["overall"], ["ndcg@10", "recall@10", "mrr"], "known-answer ranking", out / "ranking.png"
    )
    md += ["", "![ranking](ranking.png)", ""]
    md.append(_table(["ranker", "NDCG@10", "Recall@10", "MRR"],
                     [[n, m["ndcg@10"], m["recall@10"], m["mrr"]] for n, m in rk["overall"].items()]))  # fmt: skip
    md += ["", "### By noise kind (NDCG@10)", ""]
    md.append(_table(["noise", *RANKERS],
                     [[kind, *(v[n]["ndcg@10"] for n in RANKERS)] for kind, v in rk["by_noise"].items()]))  # fmt: skip
    if "judged" in rk:
        md += ["", f"### Judged set ({rk['n_judged']} persons)", ""]
        md.append(_table(["ranker", "NDCG@10", "Recall@10", "MRR"],
                         [[n, m["ndcg@10"], m["recall@10"], m["mrr"]] for n, m in rk["judged"].items()]))  # fmt: skip
    else:
        md += ["", "No judged set given (`--judged FILE.jsonl`)."]

    fa = result["fairness"]
    md += ["", "## Congestion and fairness (engine top-10 over all generated persons)", ""]
    _plot_exposure(fa["exposure_counts"], fa["n_postings"], out / "exposure.png")
    md += ["![exposure](exposure.png)", ""]
    md.append(
        _table(
            ["share of postings", "share of exposure"],
            lorenz_points(fa["exposure_counts"], fa["n_postings"]),
        )
    )
    o = fa["overall"]
    md += ["", f"Overall: exposure Gini {o['gini']}, coverage {o['coverage']}, mean list length "
           f"{o['mean_len']}, empty lists {o['empty_share']}.", ""]  # fmt: skip
    for group, values in fa["groups"].items():
        md += [f"### By {group}", ""]
        md.append(_table([group, "persons", "gini", "coverage", "mean_len", "empty_share", "mean_top1_score"],
                         [[v, s["persons"], s["gini"], s["coverage"], s["mean_len"], s["empty_share"],
                           s["mean_top1_score"]] for v, s in values.items()]))  # fmt: skip
        md.append("")
    md += [
        "Coverage of a group is over all postings, so small groups have lower coverage by size alone.",
        "",
    ]

    pa = result["parsers"]
    md += ["## Parsers", ""]
    if "skipped_51job" in pa:
        md += [f"51job strings skipped: {pa['skipped_51job']}.", ""]
    for key, what in (("salary_51job", "parse_salary on 51job salary patterns (monthly min and max)"),
                      ("location_51job", "parse_location on 51job address patterns (district)"),
                      ("salary_generated", "parse_salary on generated salary cells"),
                      ("location_generated", "parse_location on generated addresses (district)")):  # fmt: skip
        if key not in pa:
            continue
        s = pa[key]
        size = s.get("patterns", s.get("n"))
        md += [f"### {what}", "", f"Exact match: {s['exact']} of {size}"
               + (f" distinct patterns ({s['exact_rows']} of {s['rows']} rows)" if "rows" in s else "")
               + f"; {len(s['failures'])} failures.", ""]  # fmt: skip
        if s["failures"]:
            md.append(
                _table(
                    ["text", "expected", "got"],
                    [[f["text"], f["expected"], f["got"]] for f in s["failures"]],
                )
            )
            md.append("")
        if s.get("not_in_table"):
            md += [
                f"Not in the expected-pattern table (not scored): {', '.join(s['not_in_table'])}",
                "",
            ]

    ca = result["categories"]
    md += ["## Categories (classify_job)", ""]
    if "skipped_shared" in ca:
        md += [f"Cross-validation on real texts skipped: {ca['skipped_shared']}.", ""]
    for key, what in (("occupations", "2022 occupations with dev labels, out of fold"),
                      ("postings_1dagong", "1dagong postings (board category mapped), out of fold"),
                      ("generated", "generated postings, shipped model")):  # fmt: skip
        m = ca.get(key)
        if not m or not m.get("n"):
            continue
        _plot_confusion(m, what, out / f"confusion_{key}.png")
        md += [f"### {what}", "", f"n {m['n']}: top-1 {m['top1']}, top-3 {m['top3']}, macro-F1 {m['macro_f1']}.", "",
               f"![confusion {key}](confusion_{key}.png)", "", "Confusion matrix (rows true, columns predicted):", ""]  # fmt: skip
        md.append(
            _table(
                ["true\\pred", *m["classes"]],
                [[c, *row] for c, row in zip(m["classes"], m["confusion"], strict=True)],
            )
        )
        md += ["", "Most confused:", ""]
        md.append(_table(["true", "predicted", "count", "share of true"],
                         [[f"{d['true']} {LABELS[Category(d['true'])]}", f"{d['predicted']} {LABELS[Category(d['predicted'])]}",
                           d["count"], d["share_of_true"]] for d in m["top_confusions"]]))  # fmt: skip
        md.append("")
    path = out / "report.md"
    path.write_text("\n".join(md) + "\n", encoding="utf-8")
    (out / "report.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return path


def default_shared_dir() -> Path | None:
    """$SONGGANG_SHARED_DATA, else ../shared/data next to the repo; None when absent."""
    import os

    env = os.environ.get("SONGGANG_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"
    return path if path.is_dir() else None
