"""The project's own sample data: registered unemployed persons and job postings in Tianjin.

Deterministic for a seed; the rows look like the bureau's and employers' sheets, and the
ground truth an evaluation needs (true category and district of each posting, the wishes
behind each person's form) comes back beside them, never inside the sheet.

- :func:`generate_postings`, :func:`generate_postings_with_truth`
- :func:`generate_persons`, :func:`generate_persons_with_truth`
- :func:`write_sample`: persons.xlsx/.csv, postings.xlsx/.csv and truth.json in one folder
"""

from __future__ import annotations

from matching.generator.persons import generate_persons, generate_persons_with_truth
from matching.generator.postings import generate_postings, generate_postings_with_truth
from matching.generator.salary import FORMATS as SALARY_FORMATS
from matching.generator.sheets import PERSON_BAD_KINDS, POSTING_BAD_KINDS, write_sample

__all__ = [
    "PERSON_BAD_KINDS",
    "POSTING_BAD_KINDS",
    "SALARY_FORMATS",
    "generate_persons",
    "generate_persons_with_truth",
    "generate_postings",
    "generate_postings_with_truth",
    "write_sample",
]
