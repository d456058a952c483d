"""Predictions of the job classifier: :func:`classify_job` and a person's categories.

The distribution is the model's (:class:`~matching.understand.classifier.model.JobClassifier`:
title model, text model and keyword lexicon combined by weights learnt in cross-validation);
``source == "model+lexicon"`` when the lexicon had a hit in the text, else ``"model"``. Without
a model file, the lexicon alone (``"lexicon"``).

The model in ``models/classifier/`` of the repository is loaded once, on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from matching.domain.categories import Category
from matching.understand.classifier.features import CLASSES, one_line
from matching.understand.classifier.lexicon import lexicon_only
from matching.understand.classifier.model import JobClassifier

__all__ = [
    "CategoryPrediction",
    "classify_job",
    "classify_jobs",
    "default_model",
    "default_model_dir",
    "infer_person_categories",
    "infer_person_categories_many",
    "predict_combined",
]

# infer_person_categories keeps a category only at or above this probability
PERSON_MIN_PROBA = 0.45

Source = Literal["model", "lexicon", "model+lexicon"]
# a text's (title words, description words), as tokenize() cuts them
Words = tuple[Sequence[str], Sequence[str]]


# -- the prediction ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CategoryPrediction:
    """A category with the full distribution behind it.

    Attributes
    ----------
    category : Category
        The most probable category.
    probabilities : dict of Category to float
        One entry per category A–R, summing to 1.
    source : {"model", "lexicon", "model+lexicon"}
        What produced the distribution (see the module docstring).
    """

    category: Category
    probabilities: dict[Category, float] = field(hash=False)
    source: Source

    def top(self, k: int = 3) -> list[tuple[Category, float]]:
        """The ``k`` most probable categories as ``[(category, probability), …]``, best first."""
        ranked = sorted(self.probabilities.items(), key=lambda kv: (-kv[1], kv[0].value))
        return ranked[: max(0, k)]

    @property
    def confidence(self) -> float:
        """The probability of :attr:`category`."""
        return self.probabilities[self.category]

    @classmethod
    def from_array(cls, proba: npt.NDArray[np.float64], source: Source) -> CategoryPrediction:
        """Build from a length-18 array in the order of :class:`Category`."""
        return cls.from_rows(np.asarray(proba)[None, :], [source])[0]

    @classmethod
    def from_rows(
        cls, proba: npt.NDArray[np.float64], sources: Sequence[Source]
    ) -> list[CategoryPrediction]:
        """:meth:`from_array` of each row of ``(n, 18)`` ``proba``, with its source: the same
        predictions, without numpy's per-element cost (27 µs a posting that way)."""
        best = proba.argmax(axis=1).tolist()
        return [
            cls(category=CLASSES[b], probabilities=dict(zip(CLASSES, row, strict=True)), source=s)
            for row, b, s in zip(proba.tolist(), best, sources, strict=True)
        ]


def predict_combined(
    model: JobClassifier | None,
    texts: Sequence[str],
    words: Sequence[Words] | None = None,
    fields: Sequence[tuple[str, str]] | None = None,
) -> list[CategoryPrediction]:
    """Predictions for ``texts`` (first line = title) by ``model``, or the lexicon when None.

    ``words`` may give each text's ``(tokenize(title), tokenize(description))``, ``fields``
    its ``(normalize_text(title), normalize_text(description))``.
    """
    if model is None:
        return [CategoryPrediction.from_array(lexicon_only(t), "lexicon") for t in texts]
    if not texts:
        return []
    views = model.view_probas(texts, words, fields)
    hit = np.ptp(views["lexicon"], axis=1) > 0  # uniform = no keyword in the text
    sources: list[Source] = ["model+lexicon" if h else "model" for h in hit.tolist()]
    return CategoryPrediction.from_rows(model.combine(views), sources)


# -- the default model -------------------------------------------------------------------------------
def default_model_dir() -> Path:
    """``models/classifier/`` of the repository this package sits in."""
    return Path(__file__).resolve().parents[3] / "models" / "classifier"


def default_model() -> JobClassifier | None:
    """The model of :func:`default_model_dir`, loaded once; None when there is no model file."""
    return _default_model()


@functools.cache
def _default_model() -> JobClassifier | None:
    directory = default_model_dir()
    if not (directory / "manifest.json").is_file():
        return None
    return JobClassifier.load(directory)


def classify_job(title: str, description: str = "") -> CategoryPrediction:
    """Classify a job by its title and description.

    Uses the model in ``models/classifier/`` (loaded once): the title weighs more than the
    description, by weights learnt in cross-validation; without a model file, the keyword
    lexicon alone (``source == "lexicon"``).

    Parameters
    ----------
    title : str
        The posting's title ("急招保洁阿姨") or a position name.
    description : str, optional
        Free text: duties, requirements, benefits.

    Returns
    -------
    CategoryPrediction

    Examples
    --------
    >>> classify_job("小区保洁员", "负责楼道卫生 做六休一").category
    <Category.A: 'A'>
    """
    text = f"{one_line(title)}\n{one_line(description)}"
    return predict_combined(_default_model(), [text])[0]


def classify_jobs(
    jobs: Sequence[tuple[str, str]],
    *,
    words: Sequence[Words] | None = None,
    fields: Sequence[tuple[str, str]] | None = None,
    batch_size: int = 4096,
) -> list[CategoryPrediction]:
    """:func:`classify_job` of many ``(title, description)`` pairs, in batches.

    The same predictions as one call each (every row of a batch is computed on its own), without
    the per-call overhead of the model's checks: an import of 100k postings classifies in
    seconds instead of a minute. A text that comes again (a repost) is classified once, and
    its prediction returned for each of its rows. ``words`` may give each job's
    ``(tokenize(title), tokenize(description))`` when the caller has segmented them already
    (:func:`~matching.understand.text.tokenize` reads a field the same with or without its line
    breaks), and ``fields`` their ``normalize_text`` (the same too).
    ``batch_size`` bounds the memory of the hashed features.
    """
    model = _default_model()
    texts = [f"{one_line(title)}\n{one_line(description)}" for title, description in jobs]
    first: dict[str, int] = {}
    for i, text in enumerate(texts):
        first.setdefault(text, i)
    rows = list(first.values())
    distinct: list[CategoryPrediction] = []
    for lo in range(0, len(rows), batch_size):
        batch = rows[lo : lo + batch_size]
        batch_words = None if words is None else [words[i] for i in batch]
        batch_fields = None if fields is None else [fields[i] for i in batch]
        batch_texts = [texts[i] for i in batch]
        distinct.extend(predict_combined(model, batch_texts, batch_words, batch_fields))
    of_text = dict(zip(first, distinct, strict=True))
    return [of_text[text] for text in texts]


def infer_person_categories(skills: str, positions: Sequence[str]) -> tuple[Category, ...]:
    """Categories a person's skills and past positions point to (at most 3, confident only).

    Each past position and the skills text are classified on their own; a category is kept
    when some text gives it probability ≥ ``PERSON_MIN_PROBA``. 其他 (R) is never inferred: it
    says nothing about which postings fit. Ordered by that best probability.

    Parameters
    ----------
    skills : str
        The 专业/技能 field ("电工证 会开叉车").
    positions : sequence of str
        Past positions from the work history ("保洁员", "仓库理货").

    Returns
    -------
    tuple of Category
    """
    return infer_person_categories_many([(skills, positions)])[0]


class _TextMemo:
    """What the model made of each text, per model object, bounded (cleared when full).

    A city's persons repeat the same positions (保洁员, 营业员, 普工): the nightly run and the
    service classify each distinct text once per process instead of once per batch.
    """

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._model: object = None
        self._data: dict[str, list[tuple[Category, float]]] = {}

    def of(self, model: object) -> dict[str, list[tuple[Category, float]]]:
        if model is not self._model or len(self._data) >= self.max_size:
            self._model, self._data = model, {}
        return self._data


_PERSON_TEXTS = _TextMemo(200_000)


def _confident(texts: list[str], model: JobClassifier | None) -> list[list[tuple[Category, float]]]:
    """Of each text's three most probable categories, those other than R at or above
    ``PERSON_MIN_PROBA``, best first (as ``pred.top(3)`` of :func:`predict_combined` orders
    them), read off the probability array without building a prediction per text."""
    if model is None:
        preds = predict_combined(None, texts)
        return [[(c, p) for c, p in pred.top(3) if c is not Category.R and p >= PERSON_MIN_PROBA]
                for pred in preds]  # fmt: skip
    proba = model.combine(model.view_probas(texts))
    top = np.argsort(-proba, axis=1, kind="stable")[:, :3]  # ties: the earlier category first
    return [
        [(CLASSES[i], p) for i in row if (p := float(proba[n, i])) >= PERSON_MIN_PROBA
         and CLASSES[i] is not Category.R]
        for n, row in enumerate(top.tolist())
    ]  # fmt: skip


def infer_person_categories_many(
    people: Sequence[tuple[str, Sequence[str]]],
) -> list[tuple[Category, ...]]:
    """:func:`infer_person_categories` of many ``(skills, positions)`` at once.

    One classifier call for the distinct texts of all of them (a city's persons share most of
    their positions: 保洁员, 营业员, 普工), so a batch costs far less than a loop.
    """
    texts_of: list[list[str]] = []
    for skills, positions in people:
        texts = [one_line(p) for p in positions if p and one_line(p)]
        if skills and one_line(skills):
            texts.append(one_line(skills))
        texts_of.append(texts)
    model = _default_model()
    confident = _PERSON_TEXTS.of(model)
    distinct = [t for t in dict.fromkeys(t for texts in texts_of for t in texts)
                if t not in confident]  # fmt: skip
    if distinct:
        confident.update(
            zip(distinct, _confident([f"{t}\n" for t in distinct], model), strict=True)
        )
    out: list[tuple[Category, ...]] = []
    for texts in texts_of:
        best: dict[Category, float] = {}
        for t in texts:
            for cat, p in confident[t]:
                best[cat] = max(best.get(cat, 0.0), p)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0].value))
        out.append(tuple(c for c, _ in ranked[:3]))
    return out
