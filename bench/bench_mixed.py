"""Mixed reads and writes against the HTTP API on loopback (a benchmark, not a test; issue 15).

Two paced phases at the same rate against the same server, one after the other, from the load
generator of ``bench/bench_api.py`` (its own process, open loop, a request's latency counted
from the time it was due, ``TIMEOUT`` per request): first read-only
(``GET /persons/{id}/recommendations``), then a mix where a share of the requests (``--writes``)
are writes as a caseworker's day has them: contacts (``POST /persons/{id}/contacts``) and
employment registrations (``POST /persons/{id}/employment``), the rest the same reads. It
prints errors, p50/p99 of both phases and the ratio of the mixed to the read-only p50/p99, and
the CPU other processes used meanwhile. Both phases are bounded by ``--seconds`` and
``--requests``; the server listens on 127.0.0.1 only.

    .venv/bin/python bench/bench_mixed.py --persons 20000 --postings 5000 --workers 2 \\
        --threads 2 --rate 200 --seconds 60
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_api import (
    REPO,
    _errors,
    _free_port,
    _wait_ready,
    add_world_args,
    build_world,
    machine_cpu,
    person_ids,
    process_tree_cpu,
    request_bytes,
    run_load,
)

ON = "2024-11-01"


def mixed_bytes(
    host: str, key: str, ids: Sequence[int], count: int, seed: int, writes: float
) -> list[bytes]:
    """``count`` requests: a ``writes`` share of contacts and employment registrations (2:1),
    the rest the reads of :func:`bench_api.request_bytes`."""
    rng = random.Random(seed)
    reads = iter(request_bytes(host, key, ids, count, seed))
    head = f"HTTP/1.1\r\nHost: {host}\r\nX-API-Key: {key}\r\nContent-Type: application/json\r\n"
    out = []
    for i in range(count):
        if rng.random() >= writes:
            out.append(next(reads))
            continue
        pk = rng.choice(ids)
        if rng.random() < 2 / 3:
            path, body = f"/persons/{pk}/contacts", {"contacted_on": ON, "method": "电话",
                                                      "content": f"bench {seed}-{i}"}  # fmt: skip
        else:
            path, body = f"/persons/{pk}/employment", {"form": "灵活就业", "on": ON}
        data = json.dumps(body, ensure_ascii=False).encode()
        out.append(f"POST {path} {head}Content-Length: {len(data)}\r\n\r\n".encode() + data)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    add_world_args(ap)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--rate", type=float, default=200)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--writes", type=float, default=0.2, help="share of writes in the mix")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--today", default="2024-11-15")
    args = ap.parse_args()
    requests = int(args.rate * args.seconds) + 1

    from matching.store.keys import create_key

    tmp = Path(tempfile.mkdtemp(prefix="songgang-bench-"))
    if args.db:  # an existing world (the mixed phase adds contacts and employments to it)
        url, index_dir = args.db, args.index_dir
    else:
        url, index_dir = build_world(tmp, args.persons, args.postings)
    key = create_key(tmp / "keys.json", "city_admin", label="bench")
    ids = person_ids(url)
    port = _free_port()
    env = os.environ | {"SONGGANG_DATABASE_URL": url, "SONGGANG_INDEX_DIR": str(index_dir),
                        "SONGGANG_KEYS_FILE": str(tmp / "keys.json"), "SONGGANG_TODAY": args.today,
                        "SONGGANG_THREADS": str(args.threads)}  # fmt: skip
    cmd = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory", "--host",
           "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
           "--workers", str(args.workers)]  # fmt: skip
    server = subprocess.Popen(cmd, env=env, cwd=REPO)
    phases: dict[str, dict[str, Any]] = {}
    try:
        _wait_ready(port, server)
        spawn = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=spawn) as load:
            for name, writes, seconds in (("warm-up", 0.0, 20), ("read-only", 0.0, args.seconds),
                                          ("mixed", args.writes, args.seconds)):  # fmt: skip
                reqs = mixed_bytes("127.0.0.1", key, ids, requests, len(phases), writes)
                cpu0, all0 = process_tree_cpu(server.pid), machine_cpu()
                r = load.submit(run_load, "127.0.0.1", port, reqs, args.clients, seconds,
                                args.rate).result()  # fmt: skip
                cpu1, all1 = process_tree_cpu(server.pid), machine_cpu()
                server_cpu = (cpu1 or 0.0) - (cpu0 or 0.0)
                other = (all1 or 0.0) - (all0 or 0.0) - server_cpu
                r["other_cpus"] = max(other - r["client_cpu_ms"] * r["n"] / 1000, 0) / r["seconds"]
                r["server_cpu_ms"] = 1000 * server_cpu / max(r["n"], 1)
                phases[name] = r
    finally:
        server.terminate()
        server.wait(timeout=30)
    _print(args, phases)


def _print(args: argparse.Namespace, phases: dict[str, dict[str, Any]]) -> None:
    ro, mx = phases["read-only"], phases["mixed"]
    rows = [
        f"| {name} | {r['n']} | {_errors(r)} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
        f"| {r['max']:.0f} | {r['server_cpu_ms']:.1f} | {r['other_cpus']:.2f} |"
        for name, r in phases.items()
        if name != "warm-up"
    ]
    text = "\n".join([
        f"- command: `python bench/bench_mixed.py {' '.join(sys.argv[1:])}`",
        f"- date: {dt.date.today().isoformat()}; {args.persons} persons, {args.postings} postings;"
        f" {args.workers} workers × {args.threads} threads; writes {args.writes:.0%} of the mix",
        "",
        "| phase | requests | errors | req/s | p50 (ms) | p99 (ms) | max (ms) "
        "| server CPU ms/req | other processes (CPUs) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"mixed / read-only: p50 × {mx['p50'] / ro['p50']:.2f}, p99 × {mx['p99'] / ro['p99']:.2f}",
    ])  # fmt: skip
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
