"""Recommendation latency and throughput of the HTTP API on loopback (a benchmark, not a test).

Starts uvicorn in a subprocess on 127.0.0.1, then a load generator *in its own process* keeps
``--clients`` keep-alive connections open and sends ``GET /persons/{id}/recommendations?n=10``
for random registered persons:

1. closed loop: every connection sends its next request as soon as the last one returned
   (throughput at that many concurrent clients; latency from the send);
2. open loop: requests are due at ``--rate`` per second, whatever the server does. A due request
   waits for a free connection when all are busy, and its latency counts from the time it was
   due, so a slow server's queueing is in the numbers (no coordinated omission).

The generator is plain asyncio streams (uvloop when installed) with the request bytes built
beforehand: it checks each response's status line and reads its body by Content-Length, and
counts a non-200 answer, a dropped connection or a timeout as an error. Its own CPU time and
the server's (all worker processes) are reported per request, since both share the machine, and
so is the CPU that other processes used meanwhile (``/proc/stat``): on 2 cores another job moves
the latencies more than anything in the server does.

Both phases are bounded by ``--requests`` and ``--seconds``. Without ``--db`` a world is
generated (``--persons``/``--postings``) into a temporary folder first.

    .venv/bin/python bench/bench_api.py --persons 20000 --postings 5000 --workers 2 \
        --out docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import datetime as dt
import multiprocessing
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TIMEOUT = 30.0  # seconds; a request not answered by then is an error


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
    from matching.generator import write_sample
    from matching.ingest import importer
    from matching.rank.snapshots import build_snapshot
    from matching.store.db import make_engine, upgrade

    url = f"sqlite:///{tmp / 'songgang.db'}"
    db = make_engine(url)
    upgrade(db)
    sample = write_sample(tmp / "sample", persons=persons, postings=postings, seed=20241021)
    importer.import_persons(db, sample["persons_csv"])
    importer.import_postings(db, sample["postings_csv"])
    build_snapshot(db, tmp / "index")
    return url, tmp / "index"


def add_world_args(ap: argparse.ArgumentParser) -> None:
    """``--db``/``--index-dir`` of an existing world, else ``--persons``/``--postings``."""
    ap.add_argument("--db", help="database URL of an existing world (else one is generated)")
    ap.add_argument("--index-dir", type=Path, default=Path("data/index"))
    ap.add_argument("--persons", type=int, default=20_000)
    ap.add_argument("--postings", type=int, default=5_000)


def person_ids(url: str, limit: int = 5000) -> list[int]:
    from sqlalchemy import select

    from matching.store.db import make_engine, session_scope
    from matching.store.tables import PersonRow

    with session_scope(make_engine(url)) as s:
        stmt = select(PersonRow.id).where(PersonRow.status == "registered").limit(limit)
        return list(s.scalars(stmt))


# -- CPU time of the server's processes --------------------------------------------------------
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_tree_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by ``pid`` and its live children (Linux only)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    total = 0.0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        own, parent = int(stat.parent.name), int(fields[1])
        if own == pid or parent == pid:
            total += (int(fields[11]) + int(fields[12])) / _TICK
    return total


def machine_cpu() -> float | None:
    """CPU seconds the whole machine has been busy (all CPUs; Linux ``/proc/stat``)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    busy = [int(v) for i, v in enumerate(fields) if i not in (3, 4)]  # not idle, not iowait
    return sum(busy) / _TICK


# -- the load generator (runs in its own process) ----------------------------------------------
def request_bytes(host: str, key: str, ids: Sequence[int], count: int, seed: int) -> list[bytes]:
    """``count`` pre-built keep-alive GETs for random persons of ``ids``."""
    rng = random.Random(seed)
    head = f"HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\nAccept: application/json\r\n\r\n"
    return [
        f"GET /persons/{rng.choice(ids)}/recommendations?n=10 {head}".encode() for _ in range(count)
    ]


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, req: bytes
) -> bytes:
    """Send one request and read its whole response; its status code."""
    writer.write(req)
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, _, rest = head.partition(b"\r\n")
    length = None
    for line in rest.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:  # the API always sends Content-Length; anything else is an error
        raise ConnectionError("response without Content-Length")
    await reader.readexactly(length)
    return status_line.split(b" ", 2)[1]


async def _phase(
    host: str, port: int, reqs: Sequence[bytes], *, clients: int, seconds: float, rate: float | None
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: Counter[str] = Counter()  # kind -> count
    taken = 0  # requests handed out so far
    queue: asyncio.Queue[tuple[bytes, float] | None] = asyncio.Queue()
    start = time.perf_counter()
    cpu0 = time.process_time()
    stop_at = start + seconds

    async def next_request() -> tuple[bytes, float] | None:
        nonlocal taken
        if rate:  # open loop: the dispatcher decides when a request is due
            return await queue.get()
        if taken >= len(reqs) or time.perf_counter() > stop_at:
            return None
        taken += 1
        return reqs[taken - 1], time.perf_counter()

    async def connection() -> None:
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while (item := await next_request()) is not None:
            req, due = item
            if time.perf_counter() > stop_at + TIMEOUT:  # bounded: the phase is over
                errors["not sent (phase over)"] += 1
                continue
            try:
                if conn is None:
                    conn = await asyncio.open_connection(host, port)
                status = await asyncio.wait_for(_exchange(*conn, req), TIMEOUT)
                if not status.startswith(b"2"):  # 201 for a write
                    errors[f"HTTP {status.decode(errors='replace')}"] += 1
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    TimeoutError, ValueError, IndexError) as exc:  # fmt: skip
                errors[type(exc).__name__] += 1  # a dropped connection, a timeout, garbage
                if conn is not None:
                    conn[1].close()
                conn = None
            latencies.append((time.perf_counter() - due) * 1000)
        if conn is not None:
            conn[1].close()

    workers = [asyncio.create_task(connection()) for _ in range(clients)]
    if rate:
        for i, req in enumerate(reqs):
            due = start + i / rate
            if due > stop_at:
                break
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            queue.put_nowait((req, due))
        for _ in workers:
            queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    return _summary(latencies, errors, elapsed, time.process_time() - cpu0)


def _summary(
    latencies: list[float], errors: Counter[str], elapsed: float, cpu: float
) -> dict[str, Any]:
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    n = len(latencies)
    return {
        "n": n,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "seconds": elapsed,
        "rps": n / elapsed,
        "p50": q[49],
        "p99": q[98],
        "max": max(latencies, default=float("nan")),
        "client_cpu_ms": 1000 * cpu / max(n, 1),
    }


def run_load(host: str, port: int, reqs: list[bytes], clients: int, seconds: float,
             rate: float | None) -> dict[str, Any]:  # fmt: skip
    """One phase in this process (called in the load generator's own process)."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    return asyncio.run(_phase(host, port, reqs, clients=clients, seconds=seconds, rate=rate))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    add_world_args(ap)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=3_000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--rate", type=float, nargs="+", default=[200],
                    help="paced phases, requests per second (one phase per rate)")  # fmt: skip
    ap.add_argument("--today", default="2024-11-15")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument("--threads", type=int, help="SONGGANG_THREADS of the server (default: its own)")
    ap.add_argument("--out", type=Path, help="append the results to this markdown file")
    ap.add_argument("--as-served", action="store_true",
                    help="log and keep metrics as `songgang serve` does: one JSON line per "
                    "request (to a file here), Prometheus multiprocess files")  # fmt: skip
    args = ap.parse_args()

    from matching.store.keys import create_key

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
    if args.threads:
        env["SONGGANG_THREADS"] = str(args.threads)
    cmd = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory", "--host",
           "127.0.0.1", "--port", str(port), "--log-level", "info", "--no-access-log",
           "--workers", str(args.workers)]  # fmt: skip
    if args.as_served:
        env["PROMETHEUS_MULTIPROC_DIR"] = str(_served_like(tmp))
        cmd += ["--log-config", str(tmp / "log.json")]
    server = subprocess.Popen(cmd, env=env, cwd=REPO)
    phases: list[tuple[str, dict[str, Any]]] = []
    spawn = multiprocessing.get_context("spawn")
    try:
        _wait_ready(port, server)
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=spawn) as load:

            def phase(
                name: str, requests: int, seconds: float, rate: float | None, seed: int
            ) -> None:
                reqs = request_bytes("127.0.0.1", key, ids, requests, seed)
                cpu0, all0 = process_tree_cpu(server.pid), machine_cpu()
                r = load.submit(
                    run_load, "127.0.0.1", port, reqs, args.clients, seconds, rate
                ).result()
                cpu1, all1 = process_tree_cpu(server.pid), machine_cpu()
                server_cpu = float("nan") if cpu0 is None or cpu1 is None else cpu1 - cpu0
                r["server_cpu_ms"] = 1000 * server_cpu / max(r["n"], 1)
                # Whatever else ran on the machine meanwhile (in CPUs, averaged over the phase):
                # the server's and the generator's CPU taken out of the machine's busy time.
                other = float("nan") if all0 is None or all1 is None else all1 - all0
                other -= server_cpu + r["client_cpu_ms"] * r["n"] / 1000
                r["other_cpus"] = max(other, 0.0) / r["seconds"]
                if name:
                    phases.append((name, r))
                shown = {k: round(v, 1) if isinstance(v, float) else v for k, v in r.items()}
                print(name or "warm-up", shown, flush=True)

            phase("", 300, 20, None, 0)  # warm-up
            phase(f"closed loop, {args.clients} clients", args.requests, args.seconds, None, 1)
            for seed, rate in enumerate(args.rate, start=2):
                phase(f"paced {rate:g} req/s, {args.clients} clients", args.requests,
                      args.seconds, rate, seed)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    _report(args, url, phases)


def served_log_config(tmp: Path) -> dict[str, Any]:
    """``songgang serve``'s logging configuration (JSON lines), its lines to
    ``tmp/server.log`` instead of stderr."""
    from matching.cli.serve import LOG_CONFIG

    handler = {k: v for k, v in LOG_CONFIG["handlers"]["stderr"].items() if k != "stream"}
    handler |= {"class": "logging.FileHandler", "filename": str(tmp / "server.log")}
    return {**LOG_CONFIG, "handlers": {"stderr": handler}}


def _served_like(tmp: Path) -> Path:
    """:func:`served_log_config` as ``tmp/log.json`` (for uvicorn's ``--log-config``); the
    folder for the workers' Prometheus samples."""
    import json

    (tmp / "log.json").write_text(json.dumps(served_log_config(tmp)), encoding="utf-8")
    metrics = tmp / "metrics"
    metrics.mkdir()
    return metrics


def _wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 300
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()["index_loaded"]:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("server did not start")
        time.sleep(0.5)


def _errors(r: dict[str, Any]) -> str:
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(r["error_kinds"].items()))
    return f"{r['errors']} ({kinds})" if kinds else str(r["errors"])


def _report(args: argparse.Namespace, url: str, phases: list[tuple[str, dict[str, Any]]]) -> None:
    command = "python bench/bench_api.py " + " ".join(sys.argv[1:])
    world = f"{args.persons} persons, {args.postings} postings" if not args.db else url
    table = [
        "| phase | requests | errors | throughput (req/s) | p50 (ms) | p99 (ms) | max (ms) "
        "| server CPU ms/req | load generator CPU ms/req | other processes (CPUs) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(f"| {name} | {r['n']} | {_errors(r)} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
          f"| {r['max']:.0f} | {r['server_cpu_ms']:.1f} | {r['client_cpu_ms']:.2f} "
          f"| {r['other_cpus']:.2f} |"
          for name, r in phases),
    ]  # fmt: skip
    threads = f", SONGGANG_THREADS={args.threads}" if args.threads else ""
    threads += ", as served (JSON log lines, multiprocess metrics)" if args.as_served else ""
    text = "\n".join([
        "",
        f"### API latency run, {dt.date.today().isoformat()} (`bench/bench_api.py`)",
        "",
        f"`GET /persons/{{id}}/recommendations?n=10`, random registered persons, "
        f"{args.workers} uvicorn worker process(es){threads} on 127.0.0.1; the load generator "
        f"(asyncio streams, {args.clients} keep-alive connections) in its own process on the "
        f"same machine. World: {world}.",
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
