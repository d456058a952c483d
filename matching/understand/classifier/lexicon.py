"""The keyword lexicon of the job classifier (``matching/resources/lexicon.tsv``).

Rows are keyword, category, weight. Keywords are matched as substrings of the normalised
text, longest first and without overlap (found by an Aho-Corasick automaton, pyahocorasick);
a title hit counts twice. The hits give a
distribution over A–R (:func:`lexicon_proba`). :func:`lexicon_view` is what the model's
combiner weighs (hits plus a floor, uniform when nothing matched: no evidence either way);
:func:`lexicon_only` is the distribution used when there is no model file (hits plus a floor,
or mostly R (其他) when nothing matched).
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np
import numpy.typing as npt

from matching.domain.categories import Category
from matching.understand.classifier.features import CLASSES, split_title
from matching.understand.text import normalize_text

__all__ = ["lexicon_only", "lexicon_proba", "lexicon_view", "title_keyword_category"]

_LEXICON_FLOOR = 0.02
_NO_HIT_R = 0.5


@functools.cache
def _lexicon() -> tuple[tuple[str, tuple[tuple[int, float], ...]], ...]:
    """``((keyword, ((class index, weight), …)), …)``, longest keyword first."""
    raw = resources.files("matching").joinpath("resources", "lexicon.tsv").read_text("utf-8")
    table: dict[str, list[tuple[int, float]]] = {}
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("keyword\t"):
            continue
        word, code, weight = line.split("\t")
        table.setdefault(normalize_text(word), []).append(
            (CLASSES.index(Category(code)), float(weight))
        )
    return tuple(sorted(((w, tuple(v)) for w, v in table.items()), key=lambda kv: -len(kv[0])))


@functools.cache
def _automaton():  # type: ignore[no-untyped-def]
    """An Aho-Corasick automaton of the keywords, each → its position in :func:`_lexicon`."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for i, (word, _) in enumerate(_lexicon()):
        automaton.add_word(word, (i, len(word)))
    automaton.make_automaton()
    return automaton


@functools.lru_cache(maxsize=1 << 16)
def _part_hits(part: str) -> tuple[tuple[int, float], ...]:
    """What the keywords found in ``part`` add, in order: ``((class index, weight), …)``.

    Longest keyword first (lexicon order), each from the left, skipping a match that overlaps
    one already taken; after a match (taken or not) the same keyword is looked for again from
    its end. One pass of the automaton finds every occurrence of every keyword; the greedy
    choice then runs over those only. Cached: a board repeats its titles.
    """
    starts: dict[int, list[int]] = {}
    for end, (i, length) in _automaton().iter(part):
        starts.setdefault(i, []).append(end + 1 - length)
    lexicon = _lexicon()
    taken = bytearray(len(part))
    added: list[tuple[int, float]] = []
    for i in sorted(starts):
        word, hits = lexicon[i]
        next_start = 0
        for start in sorted(starts[i]):
            if start < next_start:
                continue
            end = next_start = start + len(word)
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * len(word)
                added.extend(hits)
    return tuple(added)


def _lexicon_scores(text: str, fields: tuple[str, str] | None = None) -> npt.NDArray[np.float64]:
    scores = np.zeros(len(CLASSES))
    title, description = fields or tuple(normalize_text(s) for s in split_title(text))
    for part, factor in ((title, 2.0), (description, 1.0)):
        if part:
            for idx, weight in _part_hits(part):
                scores[idx] += factor * weight
    return scores


def lexicon_proba(
    text: str, fields: tuple[str, str] | None = None
) -> npt.NDArray[np.float64] | None:
    """Keyword distribution over A–R for ``text`` (first line = title), or None without a hit.

    ``fields``: the title and description as ``normalize_text`` makes them, when known."""
    scores = _lexicon_scores(text, fields)
    total = scores.sum()
    return None if total <= 0 else scores / total


def lexicon_only(text: str) -> npt.NDArray[np.float64]:
    """The distribution used without a model file: lexicon hits plus a floor, else mostly R."""
    p = lexicon_proba(text)
    if p is None:  # nothing recognisable: 其他, with the rest spread evenly
        out = np.full(len(CLASSES), (1 - _NO_HIT_R) / (len(CLASSES) - 1))
        out[CLASSES.index(Category.R)] = _NO_HIT_R
        return out
    out = p + _LEXICON_FLOOR
    return out / out.sum()


def lexicon_view(text: str, fields: tuple[str, str] | None = None) -> npt.NDArray[np.float64]:
    """The lexicon as one view of the model: hits plus a floor; uniform without a hit."""
    p = lexicon_proba(text, fields)
    if p is None:
        return np.full(len(CLASSES), 1.0 / len(CLASSES))
    out = p + _LEXICON_FLOOR
    return out / out.sum()


def title_keyword_category(title: str) -> Category | None:
    """The category a title names outright, or None.

    A category "named outright" has a whole keyword (weight 1.0) in the title and at least 60 %
    of the title's keyword score (收银员 → M, 储备干部 → Q, 理财顾问 → E).
    """
    scores = _lexicon_scores(f"{title}\n")
    total = scores.sum()
    if total <= 0:
        return None
    top = int(np.argmax(scores))
    return CLASSES[top] if scores[top] >= 2.0 and scores[top] >= 0.6 * total else None
