"""Chinese text understanding: normalisation, jieba tokens with a domain dictionary, n-grams.

Everything heavy (jieba's prefix dictionary, our user dictionary, Tianjin place names) is
loaded once, lazily, on the first call to :func:`tokenize`; importing this module does no work.

Segmentation is jieba's: its dictionary, our user words, HMM off. It runs on ``rjieba`` (jieba's
Rust port, ≈ 13× faster) set up to give exactly jieba's output — the same dictionary and user
words, and the same total frequency (see :func:`_rjieba`); ``tests/test_text.py`` checks the two
agree on every line of the shared real data and on generated texts. ``SONGGANG_SEGMENTER=jieba``
(or rjieba missing) uses the reference: a private ``jieba.Tokenizer()`` instance rather than
jieba's global one, so the domain dictionary never leaks into other users of jieba, and its
prefix-dictionary cache lives in ``$TMPDIR/songgang-jieba-<uid>/`` (jieba writes it atomically,
so parallel processes may share it). HMM new-word discovery is off: measured on the
classifier's cross-validation it changed top-1 accuracy by less than one point, and without it
the same text always yields the same tokens whatever the dictionary's neighbours (see
models/MODEL_CARD.md).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import jieba

__all__ = ["char_ngrams", "char_runs", "nfkc", "normalize_text", "tokenize", "user_words"]

# Traditional → simplified for the characters that occur in job titles, skills and postings
# (a small hand-written table: no OpenCC dependency). Pairs are (traditional, simplified).
_TRAD = (
    "職员員師駕證廠務營銷場書財會計護醫藥廚潔電車機貨運倉庫裝維業經銀導購實習見農漁築設類髮發"
    "療飯麵點遞賣買勞動資專門東區協廣級檢驗質計劃權產線鐵鋼鋁銅焊縫紉製衛環園藝種養畜獸漿樓層"
    "門寫單號聯係繫網絡軟硬體編輯視頻攝影際國語與處關歡迎應徵薪資結訂優歲齡男學歷證書熱愛團隊"
    "責任細認真溝通協調達標獎勵補貼險積稅節假帶項負擔鐘時間晝夜轉換調離職兼職臨時長期務實開車"
    "駛輛載煉鍛噴塗漆涂裝線纜氣壓鍋爐燈飾傢櫃櫥餐廳廁掃擦洗護嬰兒幼兒園陪診護工陽臺窗簾後幹"
    "顧問諮詢詢銷售託運輸貿報關導遊旅遊飯館賓館酒廊寵獸醫蔬菜雞鴨豬魚蝦魚塘溫室棉紡織體檢藥劑"
)
_SIMP = (
    "职员员师驾证厂务营销场书财会计护医药厨洁电车机货运仓库装维业经银导购实习见农渔筑设类发发"
    "疗饭面点递卖买劳动资专门东区协广级检验质计划权产线铁钢铝铜焊缝纫制卫环园艺种养畜兽浆楼层"
    "门写单号联系系网络软硬体编辑视频摄影际国语与处关欢迎应征薪资结订优岁龄男学历证书热爱团队"
    "责任细认真沟通协调达标奖励补贴险积税节假带项负担钟时间昼夜转换调离职兼职临时长期务实开车"
    "驶辆载炼锻喷涂漆涂装线缆气压锅炉灯饰家柜橱餐厅厕扫擦洗护婴儿幼儿园陪诊护工阳台窗帘后干"
    "顾问咨询询销售托运输贸报关导游旅游饭馆宾馆酒廊宠兽医蔬菜鸡鸭猪鱼虾鱼塘温室棉纺织体检药剂"
)
_T2S = str.maketrans({t: s for t, s in zip(_TRAD, _SIMP, strict=True) if t != s})
# any character _T2S changes: most texts hold none, and finding that costs a tenth of translating
_TRAD_RE = re.compile("[" + "".join(sorted(chr(c) for c in _T2S)) + "]")

_SPACE_RE = re.compile(r"\s+")
# A token that is a number, possibly with a unit or a +/~ around it: "4000", "6000+", "4千",
# "1.5万", "35岁", "8小时", "3k", "2015年". Pay and ages are parsed elsewhere; as words they are
# noise for the vectorizer (every posting has some).
_NUMBER_RE = re.compile(
    r"^[+~\-]?\d+(?:[.,]\d+)?(?:[kw]|千|万|元|块|岁|人|名|天|日|月|年|号|个|次|小时|周|班|"
    r"点|分|米|公里|平|%|\+|起|以上|以下|左右)*$"
)
_HAS_WORD_RE = re.compile(r"[\u4e00-\u9fffa-z]")
_RUN_RE = re.compile(r"[\u4e00-\u9fffa-z]+")

# Function words and posting boilerplate that carry no category signal.
_STOP_WORDS = frozenset(
    """
    的 了 和 与 及 或 等 在 是 有 为 对 把 被 让 给 从 到 由 以 于 就 都 也 还 又 很 更 最 并 而
    之 其 该 此 这 那 你 我 他 她 它 我们 你们 他们 本 各 每 如 若 则 即 但 可 可以 能 会 要 需
    需要 请 将 已 已经 不 没有 无 非 上 下 中 内 外 前 后 左右 以上 以下 一 二 三 一名 若干
    招聘 招 诚聘 急招 急聘 聘 聘请 直招 高薪 诚招 招收 招募 热招 长期 岗位 职位 工作 公司 单位
    企业 有限公司 有限 集团 要求 任职 职责 岗位职责 任职要求 相关 以及 进行 负责 完成 其他
    具有 具备 能够 良好 优先 者 人员 人 名 工资 薪资 待遇 月薪 底薪 面议 元 月 年 天 岁
    联系 电话 地址 详情 咨询 欢迎 加入 您 欢迎您 谢谢 啦 吧 呢 啊 哦 急 起 若干名
    """.split()
)


def nfkc_prefix(text: object, limit: int) -> str:
    """A free-text cell in NFKC (full-width digits and punctuation made half-width), cut to its
    first ``limit`` characters so patterns stay bounded; ``""`` for anything but a string.

    The readers of 备注, 其他需求 and posting descriptions (shifts, working hours, limits,
    certificates, street-limited posts) all start here.
    """
    return _nfkc(text)[:limit] if isinstance(text, str) else ""


def nfkc(text: str) -> str:
    """``text`` in NFKC, as :func:`nfkc_prefix` reads it (the same small cache): a caller that
    checks a text before handing it to several readers normalises it once for all of them."""
    return _nfkc(text)


@functools.lru_cache(maxsize=64)
def _nfkc(text: str) -> str:
    # Indexing a posting reads its text for shifts, hours, limits, certificates and street
    # limits, each through nfkc_prefix: the cache normalises that text once, not six times.
    return unicodedata.normalize("NFKC", text)


def normalize_text(text: str | None) -> str:
    """Normalise text before tokenising or matching keywords.

    Full-width characters become half-width (NFKC), Latin letters lower-case, common
    traditional characters simplified, and runs of white space one space.

    Parameters
    ----------
    text : str or None
        Any text; ``None`` gives ``""``.

    Returns
    -------
    str
        The normalised text.

    Examples
    --------
    >>> normalize_text("Ｃ１駕駛證　保潔員")
    'c1驾驶证 保洁员'
    """
    if not text:
        return ""
    return _normalized(str(text))


@functools.lru_cache(maxsize=1 << 14)
def _normalized(text: str) -> str:
    # Classifying a posting normalises its title and description several times (two views, the
    # lexicon, the n-grams) and a batch of postings repeats its titles: the cache holds the
    # fields of a whole classifier batch (4,096 texts), so each is normalised once.
    s = unicodedata.normalize("NFKC", text).lower()
    if _TRAD_RE.search(s):
        s = s.translate(_T2S)
    return _SPACE_RE.sub(" ", s).strip()


def _resource_lines(name: str) -> list[str]:
    raw = resources.files("matching").joinpath("resources", name).read_text(encoding="utf-8")
    return [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]


@functools.cache
def user_words() -> tuple[str, ...]:
    """The domain words the tokenizer keeps whole (normalised, de-duplicated, sorted).

    Our user dictionary (``matching/resources/userdict.txt``: job titles, skills,
    certificates), Tianjin's 16 districts with their short names and aliases, and the street
    names of :func:`matching.understand.location.street_names` (or, when that module is not available,
    the ``name`` column of ``matching/resources/tianjin_streets.tsv``).
    """
    from matching.domain import divisions

    words: set[str] = set()
    for line in _resource_lines("userdict.txt"):
        words.add(normalize_text(line.split()[0]))
    for d in divisions.DISTRICTS:
        words.update((d.name, d.short))
    words.update(divisions.ALIASES)
    words.update(normalize_text(s) for s in _street_names())
    return tuple(sorted(w for w in words if w))


def _street_names() -> Iterable[str]:
    try:
        from matching.understand.location import street_names  # another module; may not exist yet
    except ImportError:
        street_names = None
    if street_names is not None:
        return list(street_names())
    names = []
    for line in _resource_lines("tianjin_streets.tsv")[1:]:  # header: code, name, district_code
        parts = line.split("\t")
        if len(parts) >= 2:
            names.append(parts[1])
    return names


def _cache_dir() -> Path:
    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = Path(tempfile.gettempdir()) / f"songgang-jieba-{uid}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _user_freq(word: str) -> int:
    # A frequency well above any single-character split makes the DAG keep the word whole.
    return max(2000, 500 * len(word))


@functools.cache
def _tokenizer() -> jieba.Tokenizer:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict…" chatter goes to stderr
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(_cache_dir())
    tk.initialize()
    for word in user_words():
        tk.add_word(word, freq=_user_freq(word))
    return tk


# A word no text contains (private-use characters), whose frequency aligns rjieba's total.
_TOTAL_PAD = "\ue000\ue001\ue002\ue003\ue004\ue005"


def _rjieba() -> Callable[[str], list[str]] | None:
    """jieba's segmentation (``lcut(text, HMM=False)`` of :func:`_tokenizer`) on rjieba.

    rjieba embeds jieba's ``dict.txt``. A word's cost is ``log(freq) − log(total)``; jieba adds
    a user word's frequency to the total even when the word was in the dictionary already,
    rjieba replaces the old frequency (and keeps one entry of a word listed twice). One padding
    word carrying the difference makes the totals, and so every cut, the same. Returns None
    when rjieba is not installed.
    """
    try:
        import jieba
        import rjieba
    except ImportError:  # pragma: no cover - rjieba is a dependency
        return None
    seg = rjieba.Jieba()
    old: dict[str, int] = {}
    lines_total = 0
    dict_path = Path(jieba.__file__).with_name("dict.txt")
    with dict_path.open(encoding="utf-8") as f:
        for line in f:
            word, freq = line.split(maxsplit=2)[:2]
            old[word] = int(freq)
            lines_total += int(freq)
    # jieba also counts a word listed twice in dict.txt twice (B超); rjieba keeps the last.
    pad = lines_total - sum(old.values())
    for word in user_words():
        seg.add_word(word, _user_freq(word), None)
        pad += old.get(word, 0)
    if pad:
        seg.add_word(_TOTAL_PAD, pad, None)
    cut = seg.cut
    return lambda text: cut(text, False)


@functools.cache
def _segmenter() -> Callable[[str], list[str]]:
    """The function that cuts normalised text into raw tokens (see the module docstring)."""
    if os.environ.get("SONGGANG_SEGMENTER", "rjieba").lower() != "jieba":
        fast = _rjieba()
        if fast is not None:
            return fast
    tk = _tokenizer()
    return lambda text: tk.lcut(text, HMM=False)


def _is_noise(token: str) -> bool:
    return (
        not token.strip()
        or token in _STOP_WORDS
        or _NUMBER_RE.match(token) is not None
        or _HAS_WORD_RE.search(token) is None  # punctuation, symbols, emoji
    )


def tokenize(text: str | None) -> list[str]:
    """Split text into normalised words, dropping punctuation, stop words and numbers.

    Domain words (``育儿嫂``, ``网约配送员``, ``c1驾照``, district and street names) stay whole.
    Deterministic: the same text always gives the same list.

    Parameters
    ----------
    text : str or None
        Any text (a title, a description, a person's skills).

    Returns
    -------
    list of str
        The words in order of appearance (duplicates kept).

    Examples
    --------
    >>> tokenize("急招保洁员，包吃住，4000起")
    ['保洁员', '包吃住']
    """
    return list(_tokens(text)) if text else []


@functools.lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    # A small cache: the ranking asks for a profile's words twice (vectorizer and reasons),
    # and a batch of postings repeats its boilerplate.
    s = normalize_text(text)
    if not s:
        return ()
    return tuple(filter(_kept, _segmenter()(s)))


@functools.lru_cache(maxsize=1 << 16)
def _kept(token: str) -> bool:
    # a board's texts say the same words again and again (包吃住, 保洁员): each is judged once
    return not _is_noise(token)


def char_ngrams(text: str | None, n: Sequence[int] | tuple[int, int] = (2, 3)) -> list[str]:
    """Character n-grams of the Chinese/Latin runs of ``text`` (digits and punctuation split runs).

    Parameters
    ----------
    text : str or None
        Any text; normalised first.
    n : (int, int)
        Smallest and largest n-gram length, inclusive.

    Returns
    -------
    list of str
        The n-grams, run by run, shortest first within a run.

    Examples
    --------
    >>> char_ngrams("叉车工 8000", n=(2, 3))
    ['叉车', '车工', '叉车工']
    """
    lo, hi = int(n[0]), int(n[1])
    if lo < 1 or hi < lo:
        raise ValueError(f"n-gram range must satisfy 1 ≤ lo ≤ hi, got {tuple(n)!r}")
    grams: list[str] = []
    for run in char_runs(text):
        for size in range(lo, hi + 1):
            grams.extend(run[i : i + size] for i in range(len(run) - size + 1))
    return grams


def char_runs(text: str | None, *, normalized: bool = False) -> list[str]:
    """The Chinese/Latin runs of ``text``, normalised, that :func:`char_ngrams` cuts
    (``normalized``: ``text`` is ``normalize_text``'s already).

    Examples
    --------
    >>> char_runs("叉车工 8000，C1驾照")
    ['叉车工', 'c', '驾照']
    """
    return _RUN_RE.findall(text or "" if normalized else normalize_text(text))
