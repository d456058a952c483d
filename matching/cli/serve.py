"""``songgang serve``: the HTTP API under uvicorn, with the URLs and one demo key per role."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer

from matching.cli.common import DEFAULT_DB, open_db, out

__all__ = ["serve"]


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (loopback).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    keys_file: Annotated[
        Path, typer.Option("--keys-file", envvar="SONGGANG_KEYS_FILE", help="API keys file.")
    ] = Path("data/keys.json"),
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            envvar="SONGGANG_WORKERS",
            help="Worker processes (each loads the index; about one per core).",
        ),
    ] = 1,
    threads: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=1000,
            envvar="SONGGANG_THREADS",
            help="Threads per worker process for blocking work (default: anyio's 40). 2 gave "
            "the best recommendation latency in bench/bench_api.py; an upload import holds one "
            "for its whole run.",
        ),
    ] = None,
    demo_keys: Annotated[
        bool,
        typer.Option(
            envvar="SONGGANG_DEMO_KEYS",
            help="Create (once, audited) and print one demo key per role. Turn off on a real "
            "installation: keys then come from `songgang keys create`.",
        ),
    ] = True,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="SONGGANG_DATABASE_URL",
            help="SQLAlchemy database URL (default: the service's setting, "
            f"{DEFAULT_DB} unless set).",
        ),
    ] = None,
    access_log: Annotated[
        bool,
        typer.Option(
            help="uvicorn's access log (paths without query strings; ~0.1-0.2 ms per request)."
        ),
    ] = True,
) -> None:
    """Serve the HTTP API (uvicorn), printing the URLs and one demo key per role."""
    import os

    import uvicorn

    base = f"http://{host}:{port}"
    out.print(f"送岗 API: {base}  ·  文档 docs: {base}/docs  ·  健康 health: {base}/health")
    if demo_keys:
        keys = _demo_keys(keys_file, db or DEFAULT_DB)
        for label, key in keys.items():
            out.print(f"  演示密钥 demo key [bold]{label}[/]: {key}")
        out.print(f'  e.g. curl -H "X-API-Key: {keys["organiser"]}" {base}/postings')
    else:
        out.print("  密钥请用 songgang keys create 创建 / keys come from `songgang keys create`")
    # Worker processes build the app from the environment (api.main:create_app).
    os.environ["SONGGANG_KEYS_FILE"] = str(keys_file)
    if db is not None:  # else the workers' own settings decide (environment, .env, default)
        os.environ["SONGGANG_DATABASE_URL"] = db
    if workers > 1:
        os.environ[MULTIPROC_ENV] = str(_fresh_metrics_dir())
    if threads is not None:
        os.environ["SONGGANG_THREADS"] = str(threads)
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_config=LOG_CONFIG,
    )


def _demo_keys(keys_file: Path, db: str) -> dict[str, str]:
    """The demo keys; the ones created now are audited (``key_create`` by the operating system
    user), in the transaction that is committed only once the keys file is written."""
    import getpass

    from matching.store.db import session_scope
    from matching.store.keys import audit_key_event, ensure_demo_keys, missing_demo_keys

    new = missing_demo_keys(keys_file)
    if not new:
        return ensure_demo_keys(keys_file)
    with session_scope(open_db(db)) as session:
        for key_id in new:
            detail = f"{key_id}: demo key created by songgang serve"
            audit_key_event(session, actor=getpass.getuser(), action="key_create", detail=detail)
        return ensure_demo_keys(keys_file)


MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Every log line on stderr is one JSON object (python-json-logger): uvicorn's, the request
# log (api.observe) and the core's.
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "matching.cli.serve.json_formatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "songgang": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "matching": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "api": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


def json_formatter() -> logging.Formatter:
    """One JSON object per record: time, level, logger, process, message and the extras
    (uvicorn's ``color_message`` left out: it repeats the message with terminal colours).

    Encoded with orjson (a dependency): the same object as the standard library's encoder
    gives, 24 instead of 40 µs for a request's line (one a request; docs/benchmarks.md)."""
    from pythonjsonlogger.core import RESERVED_ATTRS
    from pythonjsonlogger.orjson import OrjsonFormatter

    return OrjsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        reserved_attrs=[*RESERVED_ATTRS, "color_message"],
    )


def _fresh_metrics_dir() -> Path:
    """The folder where the workers write their Prometheus samples (prometheus-client's
    multiprocess mode), emptied: samples of an earlier run must not be added in."""
    import os
    import tempfile

    given = os.environ.get(MULTIPROC_ENV)
    folder = (
        Path(given) if given else Path(tempfile.gettempdir()) / f"songgang-metrics-{os.getpid()}"
    )
    if folder.exists():
        for db in folder.glob("*.db"):
            db.unlink()
    else:
        folder.mkdir(parents=True)
    os.chmod(folder, 0o700)
    return folder
