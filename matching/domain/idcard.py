"""Mainland resident ID numbers (GB 11643-1999): check digit, birth date, gender, area.

An 18-character number: 6-digit issuing area, 8-digit birth date, 3-digit sequence
(odd = male), and a check character from ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matching.exceptions import InputError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")


@dataclass(frozen=True, slots=True)
class IdInfo:
    """What an ID number says: ``number`` normalised (upper-case X), birth date, gender, area."""

    number: str
    birth_date: dt.date
    gender: str  # "男" / "女"
    area_code: str


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits.

    Examples
    --------
    >>> check_digit("11010519491231002")
    'X'
    """
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize_id_number(text: object) -> str:
    """Strip spaces, convert full-width digits, upper-case x; no validation."""
    s = str(text if text is not None else "").strip().translate(_FULLWIDTH)
    s = "".join(s.split()).replace("'", "")
    if s.endswith("x"):
        s = s[:-1] + "X"
    if s.endswith(".0") and s[:-2].isdigit():  # a number cell that Excel stored as float
        s = s[:-2]
    return s


def parse_id_number(text: object) -> IdInfo:
    """Validate an 18-character ID number and read birth date and gender from it.

    Raises
    ------
    InputError
        With a bilingual message saying what is wrong (length, characters, date, check digit).
    """
    s = normalize_id_number(text)
    if len(s) != 18:
        raise InputError(
            f"身份证号码应为18位，实为{len(s)}位 / ID number must have 18 characters, got {len(s)}",
            value=s,
        )
    if not (s[:17].isdigit() and (s[17].isdigit() or s[17] == "X")):
        raise InputError(
            "身份证号码含有非法字符 / ID number has characters other than digits and a final X",
            value=s,
        )
    try:
        birth = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        raise InputError(
            f"身份证号码中的出生日期{s[6:14]}无效 / birth date {s[6:14]} in the ID number is invalid",
            value=s,
        ) from None
    if not dt.date(1900, 1, 1) <= birth <= dt.date.today():
        raise InputError(
            f"身份证号码中的出生日期{birth}不合理 / birth date {birth} in the ID number is implausible",
            value=s,
        )
    expected = check_digit(s[:17])
    if s[17] != expected:
        raise InputError(
            f"身份证号码校验位应为{expected}，实为{s[17]} / check digit should be {expected}, got {s[17]}",
            value=s,
        )
    gender = "男" if int(s[16]) % 2 == 1 else "女"
    return IdInfo(number=s, birth_date=birth, gender=gender, area_code=s[:6])


def mask_id_number(number: str) -> str:
    """``120103********1234``: area code and the last four kept."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str:
    """``138****5678`` for mobiles; landlines keep area code and last 4."""
    if not phone:
        return ""
    p = phone.strip()
    if len(p) == 11 and p.isdigit():
        return p[:3] + "****" + p[-4:]
    if len(p) > 6:
        return p[: max(0, len(p) - 8)] + "****" + p[-4:]
    return "*" * len(p)


def mask_name(name: str) -> str:
    """``张*`` / ``欧阳**``: the surname kept (two characters for known compound surnames)."""
    if not name:
        return ""
    compound = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐")
    keep = 2 if name[:2] in compound and len(name) > 2 else 1
    return name[:keep] + "*" * (len(name) - keep)
