"""Recommending for persons stored in the database: read them, audit the read, rank.

The one call a script, the CLI or an evaluation needs to recommend for registered persons by ID
number, without knowing the tables::

    from matching import load_current, recommend_stored
    from matching.store.db import make_engine

    db = make_engine("sqlite:///data/songgang.db")
    for r in recommend_stored(db, load_current("data/index"), ["120103198712154904"], k=5):
        print(r.person.name, [m.posting_id for m in r.matches])

Every person read is written to the audit log with the caller's ``role`` and ``key_id``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from matching.domain.idcard import mask_id_number
from matching.exceptions import NotFoundError
from matching.rank.engine import MatchingEngine
from matching.schemas import Match, Person
from matching.store.activity import declined_posting_ids, record_audit
from matching.store.db import session_scope
from matching.store.persons import get_person


@dataclass(frozen=True, slots=True)
class StoredRecommendation:
    """One stored person and their ranked postings.

    ``matches`` is empty when the person is no longer registered (employed, deregistered) or no
    valid posting passes their filters; ``person.status`` tells which.
    """

    person: Person
    matches: list[Match]


def recommend_stored(
    db_engine: object,
    engine: MatchingEngine,
    id_numbers: Iterable[str],
    *,
    k: int = 10,
    today: dt.date | None = None,
    role: str = "operator",
    key_id: str = "library",
    endpoint: str = "matching.recommend_stored",
) -> list[StoredRecommendation]:
    """Top-``k`` postings for each stored person of ``id_numbers`` (in order, once each).

    Parameters
    ----------
    db_engine : sqlalchemy.Engine
        The database the persons were imported into.
    engine : MatchingEngine
        A fitted engine, e.g. :func:`matching.rank.snapshots.load_current`.
    id_numbers : iterable of str
        Checked 18-character ID numbers.
    k, today
        How many postings, and the day postings must be valid on (default: today).
    role, key_id, endpoint
        Who reads, as written to the audit log.

    Raises
    ------
    NotFoundError
        An ID number is not in the database (named masked). Nothing is audited then.
    """
    numbers = list(dict.fromkeys(id_numbers))
    with session_scope(db_engine) as session:
        persons = []
        for number in numbers:
            person = get_person(session, number)
            if person is None:
                raise NotFoundError(
                    "数据库中没有此人 / no such person in the database: " + mask_id_number(number)
                )
            persons.append(person)
        declined = {p.id_number: declined_posting_ids(session, p.id_number) for p in persons}
        for person in persons:
            record_audit(
                session,
                key_id=key_id,
                role=role,
                person_id_number=person.id_number,
                endpoint=endpoint,
                action="read",
            )
    results = []
    for person in persons:
        matches: list[Match] = []
        if person.status == "registered":
            matches = engine.recommend(
                person, k=k, today=today, exclude_posting_ids=declined[person.id_number]
            )
        results.append(StoredRecommendation(person, matches))
    return results
