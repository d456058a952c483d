"""Recommendation latency and throughput of the HTTP API on loopback (a benchmark, not a test).

Starts uvicorn in a subprocess on 127.0.0.1, then 50 concurrent httpx clients call
``GET /persons/{id}/recommendations?n=10`` for random registered persons:

1. closed loop: every client sends its next request as soon as the last one returns
   (throughput at 50 concurrent clients);
2. open loop: requests paced at ``--rate`` per second (the target: p99 ≤ 50 ms at 200 req/s).

Both phases are bounded by ``--requests`` and ``--seconds``. Without ``--db`` a world is
generated (``--persons``/``--postings``) into a temporary folder first.

    .venv/bin/python bench/bench_api.py --persons 20000 --postings 5000 --out docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def build_world(tmp: Path, persons: int, postings: int) -> tuple[str, Path]:
    from matching import importer
    from matching.generator import write_sample
    from matching.snapshots import build_snapshot
    from matching.store.db import make_engine, upgrade

    url = f"sqlite:///{tmp / 'songgang.db'}"
    db = make_engine(url)
    upgrade(db)
    sample = write_sample(tmp / "sample", persons=persons, postings=postings, seed=20241021)
    importer.import_persons(db, sample["persons_csv"])
    importer.import_postings(db, sample["postings_csv"])
    build_snapshot(db, tmp / "index")
    return url, tmp / "index"


def person_ids(url: str, limit: int = 5000) -> list[int]:
    from sqlalchemy import select

    from matching.store.db import make_engine, session_scope
    from matching.store.tables import PersonRow

    with session_scope(make_engine(url)) as s:
        stmt = select(PersonRow.id).where(PersonRow.status == "registered").limit(limit)
        return list(s.scalars(stmt))


async def run_phase(
    base: str, key: str, ids: list[int], *, clients: int, requests: int, seconds: float,
    rate: float | None,
) -> dict[str, float]:  # fmt: skip
    latencies: list[float] = []
    errors = 0
    rng = random.Random(1)
    start = time.perf_counter()
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, limits=limits,
                                 timeout=30) as client:  # fmt: skip

        async def worker() -> None:
            nonlocal sent, errors
            while True:
                if sent >= requests or time.perf_counter() - start > seconds:
                    return
                i = sent
                sent += 1
                if rate:
                    due = start + i / rate
                    delay = due - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                t0 = time.perf_counter()
                try:
                    r = await client.get(
                        f"/persons/{rng.choice(ids)}/recommendations", params={"n": 10}
                    )
                    errors += r.status_code != 200
                except httpx.TransportError:  # a dropped connection counts as an error
                    errors += 1
                latencies.append((time.perf_counter() - t0) * 1000)

        await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return {"n": len(latencies), "errors": errors, "seconds": elapsed, "rps": len(latencies) / elapsed,
            "p50": q[49], "p99": q[98]}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", help="database URL of an existing world (else one is generated)")
    ap.add_argument("--index-dir", type=Path, default=Path("data/index"))
    ap.add_argument("--persons", type=int, default=20_000)
    ap.add_argument("--postings", type=int, default=5_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=3_000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--rate", type=float, default=200)
    ap.add_argument("--today", default="2024-11-15")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument("--out", type=Path, help="append the results to this markdown file")
    args = ap.parse_args()

    from api.security import create_key

    tmp = Path(tempfile.mkdtemp(prefix="songgang-bench-"))
    if args.db:
        url, index_dir = args.db, args.index_dir
    else:
        url, index_dir = build_world(tmp, args.persons, args.postings)
    key = create_key(tmp / "keys.json", "city_admin", label="bench")
    ids = person_ids(url)
    port = _free_port()
    env = os.environ | {"SONGGANG_DATABASE_URL": url, "SONGGANG_INDEX_DIR": str(index_dir),
                        "SONGGANG_KEYS_FILE": str(tmp / "keys.json"), "SONGGANG_TODAY": args.today}  # fmt: skip
    cmd = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory", "--host",
           "127.0.0.1", "--port", str(port), "--log-level", "info", "--no-access-log",
           "--workers", str(args.workers)]  # fmt: skip
    server = subprocess.Popen(cmd, env=env, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).json()["index_loaded"]:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("server did not start")
            time.sleep(0.5)
        asyncio.run(run_phase(base, key, ids, clients=args.clients, requests=200, seconds=10,
                              rate=None))  # warm-up  # fmt: skip
        closed = asyncio.run(run_phase(base, key, ids, clients=args.clients,
                                       requests=args.requests, seconds=args.seconds, rate=None))  # fmt: skip
        paced = asyncio.run(run_phase(base, key, ids, clients=args.clients,
                                      requests=args.requests, seconds=args.seconds, rate=args.rate))  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)

    command = "python bench/bench_api.py " + " ".join(sys.argv[1:])
    world = f"{args.persons} persons, {args.postings} postings" if not args.db else url
    rows = [("closed loop, 50 clients", closed), (f"paced {args.rate:g} req/s, 50 clients", paced)]
    table = [
        "| phase | requests | errors | throughput (req/s) | p50 (ms) | p99 (ms) |",
        "|---|---:|---:|---:|---:|---:|",
        *(f"| {name} | {r['n']} | {r['errors']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} |"
          for name, r in rows),
    ]  # fmt: skip
    text = "\n".join([
        "",
        "## API: recommendation latency (`bench/bench_api.py`)",
        "",
        f"`GET /persons/{{id}}/recommendations?n=10`, random registered persons, "
        f"{args.workers} uvicorn worker process(es) on 127.0.0.1, httpx clients on the same "
        f"machine. World: {world}.",
        "",
        f"- command: `{command}`",
        f"- machine: {os.cpu_count()} CPUs (nproc), {_cpu_model()}; Python {platform.python_version()}",
        f"- date: {dt.date.today().isoformat()}",
        "",
        *table,
        "",
    ])  # fmt: skip
    sys.stdout.write(text + "\n")
    if args.out:
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
