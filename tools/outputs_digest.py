"""Print what the engine answers, so two builds can be compared line by line.

    python tools/outputs_digest.py top10 --persons 500 > a.jsonl     # build A
    python tools/outputs_digest.py top10 --persons 500 > b.jsonl     # build B
    diff a.jsonl b.jsonl                                             # nothing: same rankings

    python tools/outputs_digest.py nightly data/nightly/2024-10-21   # one line per file
    python tools/outputs_digest.py pushes --date 2024-10-21          # the night's stored pushes

``top10`` reads the first N registered persons of the database (``SONGGANG_DATABASE_URL``,
default ``sqlite:///data/songgang.db``) and the published snapshot (``SONGGANG_INDEX_DIR``,
default ``data/index``) and prints every match of each person's top 10 as one JSON object:
posting, score, every term and the reasons. ``nightly`` prints a digest of each file of a nightly
run's folder: CSV and markdown by their bytes, xlsx by its cell values (the zip carries
timestamps), PNG left out (matplotlib's metadata); the report's ``index version`` line is left
out, since it names the snapshot by the time it was built; hidden folders (a kept run's
``.checkpoints``) are left out: a bureau reads the lists, not the run's scratch files.
``pushes`` prints the number of the night's stored pushes and one SHA-256 over them (person's
ID number, posting, rank, score, channel, code, placed_by, propensity, terms), in a fixed order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path

from openpyxl import load_workbook


def top10(persons: int, day: dt.date) -> None:
    from matching.rank.snapshots import load_current
    from matching.store.db import make_engine, session_scope
    from matching.store.persons import iter_persons

    engine = load_current(Path(os.environ.get("SONGGANG_INDEX_DIR", "data/index")))
    url = os.environ.get("SONGGANG_DATABASE_URL", "sqlite:///data/songgang.db")
    chosen = []
    with session_scope(make_engine(url)) as session:
        for person in iter_persons(session, status="registered"):
            chosen.append(person)
            if len(chosen) == persons:
                break
    for person in chosen:
        for match in engine.recommend(person, k=10, today=day):
            row = {"person": person.id_number, **match.model_dump(mode="json")}
            print(json.dumps(row, ensure_ascii=False, sort_keys=True))


def nightly(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        inside = path.relative_to(folder).parts
        if not path.is_file() or path.suffix == ".png" or any(p.startswith(".") for p in inside):
            continue
        digest = hashlib.sha256()
        if path.suffix == ".xlsx":
            workbook = load_workbook(path, read_only=True)
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    digest.update(repr(row).encode())
            workbook.close()
        elif path.name == "report.md":
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            digest.update(
                "".join(x for x in lines if not x.startswith("- index version:")).encode()
            )
        else:
            digest.update(path.read_bytes())
        print(f"{digest.hexdigest()[:16]}  {path.relative_to(folder)}")


def pushes(day: dt.date) -> None:
    from sqlalchemy import select

    from matching.store.db import make_engine, session_scope
    from matching.store.nightly_tables import PushRow
    from matching.store.tables import PersonRow

    url = os.environ.get("SONGGANG_DATABASE_URL", "sqlite:///data/songgang.db")
    columns = (PersonRow.id_number, PushRow.posting_id, PushRow.rank, PushRow.score,
               PushRow.channel, PushRow.code, PushRow.placed_by, PushRow.propensity,
               PushRow.terms)  # fmt: skip
    query = (
        select(*columns)
        .join(PersonRow, PersonRow.id == PushRow.person_id)
        .where(PushRow.pushed_on == day)
        .order_by(PersonRow.id_number, PushRow.rank)
    )
    digest, n = hashlib.sha256(), 0
    with session_scope(make_engine(url)) as session:
        for row in session.execute(query):
            digest.update(json.dumps(list(row), ensure_ascii=False, sort_keys=True).encode())
            n += 1
    print(f"{digest.hexdigest()[:16]}  {n} pushes on {day.isoformat()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    a = sub.add_parser("top10")
    a.add_argument("--persons", type=int, default=500)
    a.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2024, 10, 21))
    b = sub.add_parser("nightly")
    b.add_argument("folder", type=Path)
    c = sub.add_parser("pushes")
    c.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2024, 10, 21))
    args = ap.parse_args()
    if args.what == "top10":
        top10(args.persons, args.date)
    elif args.what == "pushes":
        pushes(args.date)
    else:
        nightly(args.folder)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
