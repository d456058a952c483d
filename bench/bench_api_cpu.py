"""CPU per request of the HTTP API's own layer, in one process (a benchmark, not a test; issue 17).

A loaded machine moves latencies far more than anything in the server, but CPU time moves
little. This bench drives the ASGI application directly (no socket, no client: an ASGI call
per request, the lifespan run as the server runs it) and measures the process CPU time of
all its threads (request pool, audit writer) per request, then the same work without the API
around it in the same process, on the same persons:

- ``recommend``: ``GET /persons/{id}/recommendations?n=10`` against ``Loaded.recommend`` for the
  same persons (the engine alone);
- ``candidates``: ``GET /postings/{id}/candidates?n=50`` against
  ``engine.candidates_for_posting`` with no scope (the engine alone).

It prints the CPU ms per request of both, their difference (what the API layer costs) and
their ratio. ``--as-served`` logs as ``songgang serve`` does (JSON lines, to a file here) and
keeps Prometheus samples in multiprocess files, as a server with ``--workers 2`` does.

    .venv/bin/python bench/bench_api_cpu.py --db sqlite:////tmp/w/songgang.db \\
        --index-dir /tmp/w/index --as-served
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging.config
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


async def _call(app: Any, path: str, query: str, key: str) -> int:
    """One GET through the whole ASGI stack; the response status."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "headers": [(b"host", b"127.0.0.1"), (b"x-api-key", key.encode()),
                    (b"accept", b"application/json")],
    }  # fmt: skip
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def _cpu_per_call(calls: Sequence[Callable[[], Any]]) -> tuple[float, float]:
    """CPU ms (all threads of the process) and wall ms per call."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for call in calls:
        call()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return 1000 * cpu / len(calls), 1000 * wall / len(calls)


async def _measure(args: argparse.Namespace, url: str, index_dir: Path, tmp: Path) -> list[str]:
    from api.main import create_app
    from api.settings import Settings
    from matching.store.keys import create_key

    key = create_key(tmp / "keys.json", "city_admin", label="bench")
    settings = Settings(database_url=url, index_dir=index_dir, keys_file=tmp / "keys.json",
                        today=dt.date.fromisoformat(args.today), threads=2,
                        upload_dir=tmp / "uploads")  # fmt: skip
    app = create_app(settings)
    rng = random.Random(7)
    lines = []
    async with app.router.lifespan_context(app):
        loaded = app.state.holder.current
        today = settings.current_day()
        if args.route == "recommend":
            ids, baseline = _recommend_baseline(url, loaded, today, args.requests, rng)
            path, query = "/persons/{}/recommendations", "n=10"
        else:
            ids = rng.choices(loaded.engine.posting_ids_, k=args.requests)
            engine = loaded.engine

            def baseline(i: int) -> Any:
                return engine.candidates_for_posting(str(ids[i]), 50, today=today)

            path, query = "/postings/{}/candidates", "n=50"
        loop = asyncio.get_running_loop()
        statuses: list[int] = []

        async def api_all() -> tuple[float, float]:
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for i in ids:
                statuses.append(await _call(app, path.format(i), query, key))
            n = len(ids)
            return (1000 * (time.process_time() - cpu0) / n,
                    1000 * (time.perf_counter() - wall0) / n)  # fmt: skip

        for i in ids[: args.warmup]:  # warm-up: caches, first connections
            await _call(app, path.format(i), query, key)
        for i in range(len(ids)):  # the engine's per-posting caches, filled for both sides
            baseline(i)
        rounds = []
        for _ in range(args.rounds):
            api_cpu, api_wall = await api_all()
            base_cpu, base_wall = await loop.run_in_executor(
                None, _cpu_per_call, [lambda i=i: baseline(i) for i in range(len(ids))]
            )
            rounds.append((api_cpu, api_wall, base_cpu, base_wall))
        bad = sum(s != 200 for s in statuses)
        for n, (api_cpu, api_wall, base_cpu, base_wall) in enumerate(rounds, 1):
            lines.append(
                f"| {args.route} | {n} | {len(ids)} | {bad} | {api_cpu:.2f} | {base_cpu:.2f} "
                f"| {api_cpu - base_cpu:.2f} | {api_cpu / base_cpu:.2f} | {api_wall:.2f} "
                f"| {base_wall:.2f} |"
            )
    return lines


def _recommend_baseline(
    url: str, loaded: Any, today: dt.date, count: int, rng: random.Random
) -> tuple[list[int], Callable[[int], Any]]:
    from sqlalchemy import select

    from matching.store.db import make_engine, session_scope
    from matching.store.persons import person_from_row
    from matching.store.tables import PersonRow

    with session_scope(make_engine(url)) as s:
        rows = list(s.scalars(select(PersonRow).where(PersonRow.status == "registered")))
        persons = {r.id: person_from_row(r) for r in rows}
    ids = rng.choices(sorted(persons), k=count)

    def baseline(i: int) -> Any:
        return loaded.recommend(persons[ids[i]], 10, today=today, exclude_posting_ids=())

    return ids, baseline


def _serve_like(tmp: Path) -> None:
    """Log and keep metrics as ``songgang serve --workers 2`` does."""
    from bench_api import served_log_config

    metrics = tmp / "metrics"
    metrics.mkdir()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
    logging.config.dictConfig(served_log_config(tmp))


def main() -> None:
    from bench_api import add_world_args

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    add_world_args(ap)
    ap.add_argument("--route", choices=("recommend", "candidates"), default="recommend")
    ap.add_argument("--requests", type=int, default=1_000)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--as-served", action="store_true", help="JSON log + multiprocess metrics")
    ap.add_argument("--today", default="2024-11-15")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="songgang-bench-"))
    if args.as_served:  # before prometheus_client is imported: it reads the variable then
        _serve_like(tmp)
    if args.db:
        url, index_dir = args.db, args.index_dir
    else:
        from bench_api import build_world

        url, index_dir = build_world(tmp, args.persons, args.postings)
    lines = asyncio.run(_measure(args, url, index_dir, tmp))
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    text = "\n".join([
        f"- command: `python bench/bench_api_cpu.py {' '.join(sys.argv[1:])}`",
        f"- date: {dt.datetime.now():%Y-%m-%d %H:%M}; load average at the end {load}; "
        f"as served: {args.as_served}",
        "",
        "| route | round | requests | non-200 | API CPU ms/req | engine alone CPU ms/req "
        "| API layer ms/req | API / engine | API wall ms | engine wall ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *lines,
    ])  # fmt: skip
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
