"""``songgang serve``: the HTTP API under uvicorn, with the URLs and one demo key per role."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from matching.cli.common import out

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

    from api.security import ensure_demo_keys

    keys = ensure_demo_keys(keys_file)
    base = f"http://{host}:{port}"
    out.print(f"送岗 API: {base}  ·  文档 docs: {base}/docs  ·  健康 health: {base}/health")
    for label, key in keys.items():
        out.print(f"  演示密钥 demo key [bold]{label}[/]: {key}")
    out.print(f'  e.g. curl -H "X-API-Key: {keys["organiser"]}" {base}/postings')
    # Worker processes build the app from the environment (api.main:create_app).
    os.environ["SONGGANG_KEYS_FILE"] = str(keys_file)
    if threads is not None:
        os.environ["SONGGANG_THREADS"] = str(threads)
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
    )
