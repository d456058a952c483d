"""Cells written to a spreadsheet or CSV file: formula injection ("CSV injection", CWE-1236).

Excel, LibreOffice Calc and WPS treat a cell whose first character is ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula, also after leading blanks (``" =1+1"``). A name,
skill or address typed that way by anyone would run in the spreadsheet of the caseworker who
opens an export. OWASP's advice, followed here: prefix such a text cell with a single quote,
which spreadsheets read as "this is text" and do not show. Values that are numbers (``int``,
``float``, ``Decimal``: an amount of -5 yuan in a numeric column) stay numbers; only text is
ever quoted. Every writer of the project (ingest rejects, nightly call sheets and messages,
附件1, 附件2, the invite list) passes its cells through :func:`neutralise_cell`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

__all__ = ["FORMULA_TRIGGERS", "neutralise_cell", "neutralise_row"]

# First characters that start a formula (OWASP "CSV Injection"; ASVS 5.0 V1.2.10 adds NUL).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")

_T = TypeVar("_T")


def neutralise_cell(value: _T) -> _T | str:
    """``value`` made safe for a spreadsheet cell: text that a spreadsheet would read as a
    formula gets a leading single quote; anything else is returned as given.

    Examples
    --------
    >>> neutralise_cell("=cmd|'/c calc'!A0")
    "'=cmd|'/c calc'!A0"
    >>> neutralise_cell(" \\t=1+1"), neutralise_cell(-5), neutralise_cell("王芳")
    ("' \\t=1+1", -5, '王芳')
    """
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_TRIGGERS or value.lstrip()[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def neutralise_row(row: Iterable[_T]) -> list[_T | str]:
    """:func:`neutralise_cell` on every cell of ``row``."""
    return [neutralise_cell(v) for v in row]
