"""The ``songgang`` command: a thin shell over the core (parse arguments → core call → print).

This module holds the Typer app and registers the command groups, one module each:
:mod:`~matching.cli.data` (generate, import), :mod:`~matching.cli.index`,
:mod:`~matching.cli.recommend` (recommend, demo), :mod:`~matching.cli.campaign`,
:mod:`~matching.cli.nightly`, :mod:`~matching.cli.evaluate`, :mod:`~matching.cli.train`,
:mod:`~matching.cli.serve`, :mod:`~matching.cli.learn`; their shared options live in :mod:`~matching.cli.common`.

Every command honours ``SONGGANG_DATABASE_URL`` (default: SQLite file ``data/songgang.db``) and
``SONGGANG_INDEX_DIR`` (default ``data/index``).
"""

from __future__ import annotations

import sys

import typer

from matching.cli import campaign
from matching.cli.backup import backup, restore
from matching.cli.data import generate, import_app
from matching.cli.db import db_app
from matching.cli.evaluate import evaluate
from matching.cli.index import index_app
from matching.cli.keys import keys_app
from matching.cli.learn import learn_app
from matching.cli.nightly import nightly
from matching.cli.recommend import demo, recommend
from matching.cli.serve import serve
from matching.cli.train import train

app = typer.Typer(
    name="songgang",
    help="送岗: job matching for registered unemployed persons.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _one_thread() -> None:
    """Every command runs with one BLAS/OpenMP thread (see matching.threads)."""
    from matching.threads import limit_threads

    limit_threads(1)


app.add_typer(import_app, name="import")
app.add_typer(index_app, name="index")
app.add_typer(keys_app, name="keys")
app.add_typer(db_app, name="db")
app.add_typer(learn_app, name="learn")
app.add_typer(campaign.batch_app, name="batch")
app.add_typer(campaign.contact_app, name="contact")
app.add_typer(campaign.status_app, name="status")
app.add_typer(campaign.report_app, name="report")
app.add_typer(campaign.record_app, name="record")
for command in (nightly, evaluate, generate, recommend, demo, train, serve, backup, restore):
    app.command()(command)


def main() -> None:  # pragma: no cover - console entry
    app(prog_name="songgang")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
