"""Errors raised by the core library.

The tree::

    MatchingError
      ├ InputError(ValueError)          bad file / column / value; carries file, row, column, value
      │   ├ EmptyInputError
      │   ├ MissingColumnsError          a file lacks required columns: refused whole
      │   └ FileTooLargeError            too many rows or too much unpacked data: refused whole
      ├ CategoryTableError              a reference table is inconsistent (fail fast)
      ├ NotFoundError(LookupError)      no such person / posting
      ├ ModelFormatError                a saved model or index we refuse to load
      ├ PromotionRefusedError           a learned ranker not shown better than what serves
      └ NotFittedError(AttributeError)  call fit() / build the index first

Warnings: ``MatchingWarning`` for degraded but usable states.
"""

from __future__ import annotations


class MatchingError(Exception):
    """Base class of every error raised by :mod:`matching`."""


class InputError(MatchingError, ValueError):
    """Bad input. Messages are bilingual (Chinese first, then English).

    Parameters
    ----------
    message : str
        What is wrong and what to do.
    file, row, column, value : optional
        Where the bad value sits (row is 1-based, as a spreadsheet shows it).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.value = value

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"文件 file {self.file}")
        if self.row is not None:
            where.append(f"第{self.row}行 row {self.row}")
        if self.column:
            where.append(f"列 column {self.column}")
        if self.value is not None:
            where.append(f"值 value {self.value!r}")
        return f"{'；'.join(where)}：{self.message}" if where else self.message


class EmptyInputError(InputError):
    """The input has no usable rows."""


class MissingColumnsError(InputError):
    """A file lacks required columns; nothing from it is written."""

    def __init__(self, missing: list[str], *, file: str | None = None) -> None:
        self.missing = list(missing)
        super().__init__(
            f"缺少必需的列：{'、'.join(missing)} / missing required columns: {', '.join(missing)}",
            file=file,
        )


class FileTooLargeError(InputError):
    """A file over a documented limit (unpacked size, rows); refused whole, nothing written."""


class CategoryTableError(MatchingError):
    """A reference table (categories, districts) is inconsistent."""


class NotFoundError(MatchingError, LookupError):
    """No record with that id."""


class ModelFormatError(MatchingError):
    """A saved model or index has an unknown version, a bad checksum or a missing file."""


class PromotionRefusedError(MatchingError):
    """A learned ranker was not promoted: its estimate does not beat what serves (or there
    is nothing to roll back to)."""


class NotFittedError(MatchingError, AttributeError):
    """The estimator or engine is used before ``fit``."""


class MatchingWarning(UserWarning):
    """A degraded but usable state (an unparseable salary, an unknown street)."""
