"""Chinese numerals as people write them in pay and requirements: ``三千五``, ``一万二``, ``两``."""

from __future__ import annotations

__all__ = ["CHINESE_DIGITS", "parse_chinese_number"]

CHINESE_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1_000, "万": 10_000}


def parse_chinese_number(text: str) -> int | None:
    """Read a Chinese numeral such as ``十三``, ``三千五``, ``一万二`` or ``两`` as an int.

    The colloquial tail counts in the next lower unit: ``三千五`` is 3500, ``一万二`` 12000.

    Parameters
    ----------
    text : str
        Only the characters 零〇一二两三四五六七八九十百千万.

    Returns
    -------
    int or None
        None when ``text`` is empty or holds another character.

    Examples
    --------
    >>> parse_chinese_number("十三"), parse_chinese_number("一万二")
    (13, 12000)
    """
    if not isinstance(text, str) or not text:
        return None
    total = section = digit = 0
    last_unit = 0
    for ch in text:
        if ch in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[ch]
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
            last_unit = 10_000
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
            last_unit = _CN_UNITS[ch]
        else:
            return None
    if digit and last_unit >= 100 and text[-1] in CHINESE_DIGITS and text[-2:-1] in _CN_UNITS:
        digit *= last_unit // 10  # 三千五 = 3500, 一万二 = 12000
    return total + section + digit
