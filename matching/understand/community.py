"""Community posts (公益性岗位) open only to the people of one street.

A 公益性岗位 is a public-welfare post a street (街道) funds for the 就业困难人员 who live or are
registered there: "仅限户籍或常住在长虹街道的就业困难人员", "限本街道户籍或常住人员报名". Someone from
another street cannot take it. :func:`street_only` gives the street such a posting is limited
to (named in the text, or the posting's own street for "本街道"); None for any other posting.
"""

from __future__ import annotations

import re
import zlib

from matching.understand.text import nfkc_prefix

__all__ = ["COMMUNITY_HINT", "street_code", "street_only"]

_COMMUNITY_RE = re.compile(r"公益性?岗")
# a text in NFKC without it is limited to no street: street_only's own first test
COMMUNITY_HINT = _COMMUNITY_RE
# a street's own name: two to five characters, none of the words around it (在, 或, 的, 常住 …)
_STREET = r"(?P<street>本街道?|本镇|[^\W\d在或的和及与、限住籍常本]{2,5}?(?:街道|镇))"
_LIMITED_RES = (
    # "限本街道户籍或常住", "面向新北街道常住居民"
    re.compile(
        r"(?:限|仅限|只限|面向)[^，。；]{0,12}?" + _STREET + r"[^，。；]{0,8}?(?:户籍|常住|居民)"
    ),
    # "仅限户籍或常住在长虹街道的"
    re.compile(r"(?:限|仅限|只限|面向)(?:户籍|常住)[^，。；]{0,8}?" + _STREET),
)


def _clean(text: object) -> str:
    return nfkc_prefix(text, 2000)


def street_only(text: object, own_street: str | None = None) -> str | None:
    """The street a 公益性岗位 is limited to, or None.

    Examples
    --------
    >>> street_only("长虹街道公益性岗位4个，仅限户籍或常住在长虹街道的就业困难人员报名")
    '长虹街道'
    >>> street_only("公益性岗位3个，限本街道户籍或常住的就业困难人员", "王串场街道")
    '王串场街道'
    >>> street_only("物业公司招保洁，限本小区附近居民") is None
    True
    """
    s = _clean(text)
    if not _COMMUNITY_RE.search(s):
        return None
    m = next((m for r in _LIMITED_RES if (m := r.search(s))), None)
    if m is None:
        return None
    street = m["street"]
    if street.startswith("本"):
        return own_street or None
    return street


def street_code(street: str | None) -> int:
    """A stable non-zero number for a street name (0 for none), for array comparisons."""
    return 0 if not street else zlib.crc32(street.encode("utf-8")) + 1
