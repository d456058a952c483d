"""The one-text fast path of TextVectorizer gives the general (scikit-learn) path's row, bit for bit."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from matching.domain.categories import LABELS
from matching.rank.profiles import profile_text
from matching.retrieve.vectorize import TextVectorizer
from matching.understand.text import normalize_text, tokenize

EDGE_TEXTS = [
    "",
    "   ",
    "保洁",
    "保洁员 保洁员 保洁员",
    "电工证 会开叉车\n仓库理货 仓库理货",
    "Python/CAD 工程师，ＡＢＣ全角；Excel熟练",
    "急招！！！ 日结 200元/天 😀 包吃住",
    "zzzz qqqq 从未见过的词语组合",
    "\t\n 多 个   空白\u3000字符 ",
]


def _postings(shared: Path, n: int) -> list[str]:
    texts = []
    with (shared / "postings-1dagong" / "postings.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            texts.append(f"{row['title']} {row['description']}")
            if len(texts) == n:
                break
    return texts


def _profiles(titles: list[str], seed: int, n: int) -> list[str]:
    """Texts shaped like a person's profile: category labels, skills, positions twice."""
    rng = random.Random(seed)
    labels = list(LABELS)
    return [
        profile_text(
            rng.sample(labels, rng.randint(0, 3)),
            rng.choice(["", "电工证 会开叉车", "熟练使用办公软件", "C1驾照"]),
            rng.sample(titles, rng.randint(0, 3)),
        )  # fmt: skip
        for _ in range(n)
    ]


def _same(fast: sp.csr_matrix, general: sp.csr_matrix) -> None:
    assert type(fast) is type(general)
    assert fast.shape == general.shape
    assert fast.dtype == general.dtype
    assert fast.indices.dtype == general.indices.dtype
    assert fast.indptr.dtype == general.indptr.dtype
    general.sort_indices()
    np.testing.assert_array_equal(fast.indptr, general.indptr)
    np.testing.assert_array_equal(fast.indices, general.indices)
    # bitwise: the same float32 values, not merely close ones
    np.testing.assert_array_equal(fast.data.view(np.uint32), general.data.view(np.uint32))


@pytest.fixture(scope="module")
def fitted(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[str], list[TextVectorizer]]:
    corpus = _postings(shared_data, 800)
    vec = TextVectorizer(n_components=64).fit(corpus)
    saved = tmp_path_factory.mktemp("vectorizer")
    vec.save(saved)
    # fitted (float32 IDF) and loaded (IDF restored as float64): both must match
    return corpus, [vec, TextVectorizer.load(saved)]


def test_one_text_equals_general_path_on_real_wording(
    fitted: tuple[list[str], list[TextVectorizer]], shared_data: Path
) -> None:
    corpus, vectorizers = fitted
    titles = [t.split(" ", 1)[0] for t in corpus]
    unseen = _postings(shared_data, 1100)[800:]  # postings the vectorizer was not fitted on
    texts = corpus[:300] + unseen + titles[:200] + _profiles(titles, 0, 300) + EDGE_TEXTS
    for vec in vectorizers:
        empty = 0
        for text in texts:
            toks, norm = [tokenize(text)], [normalize_text(text)]
            fast = vec.transform_sparse([text])
            _same(fast, vec._sparse_many(toks, norm))
            empty += fast.nnz == 0
        assert empty < len(texts) // 20  # the rows compared are real rows, not empty ones


def test_one_text_projection_is_unchanged(fitted: tuple[list[str], list[TextVectorizer]]) -> None:
    corpus, vectorizers = fitted
    for vec in vectorizers:
        for text in corpus[:50] + EDGE_TEXTS:
            general = vec._sparse_many([tokenize(text)], [normalize_text(text)])
            np.testing.assert_array_equal(vec.transform([text]), vec.project(general))


def test_refit_rebuilds_the_cached_analyzers() -> None:
    vec = TextVectorizer(n_components=4).fit(["保洁 阿姨", "仓库 理货", "电工 维修", "厨师 面点"])
    before = vec.transform_sparse(["保洁 阿姨"])
    vec.fit(["保洁 阿姨 保洁", "叉车 司机", "电工 维修", "厨师 面点", "保安 巡逻"])
    after = vec.transform_sparse(["保洁 阿姨"])
    _same(after, vec._sparse_many([tokenize("保洁 阿姨")], [normalize_text("保洁 阿姨")]))
    assert before.shape != after.shape or not np.array_equal(before.data, after.data)
