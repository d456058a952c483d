"""What operators watch: the request middleware (Prometheus metrics and one JSON log line per
request) and the collector of the service's state for ``/metrics``.

Request metrics are labelled by route template (``/persons/{person_id}``), never by path, so
no person's id and no unbounded label reaches Prometheus. With several worker processes
(``songgang serve --workers N``) each process writes its samples to files in
``PROMETHEUS_MULTIPROC_DIR`` (set by ``serve``, emptied at start) and ``/metrics`` adds them up
(prometheus-client's multiprocess mode).

The request log line (logger ``songgang.request``) holds the request id, method, route
template, status, duration and the caller's key id, role and district: never a path, query
string or body, so never an ID number, phone or name.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
request_log = logging.getLogger("songgang.request")

REQUESTS = Counter(
    "songgang_http_requests_total", "HTTP requests by route template, method and status",
    ["route", "method", "status"],
)  # fmt: skip
LATENCY = Histogram(
    "songgang_http_request_duration_seconds", "HTTP request duration by route template",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)  # fmt: skip
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "(unmatched)"


class ObserveMiddleware:
    """Times every HTTP request, counts it by route template and status, logs one JSON line,
    and returns the request id in ``X-Request-ID`` (a caller's own id is kept when sane)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route, method = _route(scope), scope["method"]
            REQUESTS.labels(route, method, str(status)).inc()
            LATENCY.labels(route, method).observe(elapsed)
            principal = scope["state"].get("principal")
            request_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "key_id": getattr(principal, "key_id", None),
                    "role": getattr(principal, "role", None),
                    "district": getattr(principal, "district", None),
                },
            )


class StateCollector(Collector):
    """The service's state at scrape time: the loaded index (age, size) and, from the database,
    imports and nightly runs (count by status, rows, durations, last finish)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        yield from self._index()
        yield from self._runs()

    def _index(self) -> Iterator[Metric]:
        holder = self.app.state.holder
        loaded = holder.current
        up = GaugeMetricFamily("songgang_index_loaded", "1 when an index is loaded")
        up.add_metric([], 1 if loaded else 0)
        yield up
        if loaded is None:
            return
        engine = loaded.engine
        size = GaugeMetricFamily(
            "songgang_index_items", "Items in the loaded index", labels=["kind"]
        )
        size.add_metric(["postings"], len(engine.posting_ids_))
        size.add_metric(["persons"], len(getattr(engine, "person_ids_", ())))
        yield size
        folder = self.app.state.settings.index_dir / loaded.version
        try:
            built = folder.stat().st_mtime
        except OSError:
            return
        age = GaugeMetricFamily(
            "songgang_index_age_seconds", "Seconds since the loaded snapshot was built"
        )
        age.add_metric([], max(0.0, time.time() - built))
        yield age
        disk = GaugeMetricFamily("songgang_index_bytes", "Size of the loaded snapshot on disk")
        disk.add_metric([], sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()))
        yield disk

    def _runs(self) -> Iterator[Metric]:
        from matching.store.db import session_scope
        from matching.store.runstats import run_stats

        with session_scope(self.app.state.db) as session:
            stats = run_stats(session)
        for name, rows in stats.items():
            runs = GaugeMetricFamily(
                f"songgang_{name}_runs", f"{name} runs recorded, by kind and status",
                labels=["kind", "status"],
            )  # fmt: skip
            seconds = GaugeMetricFamily(
                f"songgang_{name}_seconds_total", f"Total duration of finished {name} runs",
                labels=["kind", "status"],
            )  # fmt: skip
            last = GaugeMetricFamily(
                f"songgang_{name}_last_finished_timestamp_seconds",
                f"When the last {name} run finished (Unix time)", labels=["kind", "status"],
            )  # fmt: skip
            items = GaugeMetricFamily(
                f"songgang_{name}_rows_total", f"Rows counted by {name} runs, by kind and count",
                labels=["kind", "count"],
            )  # fmt: skip
            for row in rows:
                labels = [row.kind, row.status]
                runs.add_metric(labels, row.runs)
                seconds.add_metric(labels, row.seconds)
                if row.last_finished is not None:
                    last.add_metric(labels, row.last_finished.timestamp())
                for count, value in row.rows.items():
                    items.add_metric([row.kind, count], value)
            yield from (runs, seconds, last, items)


class _Default(Collector):
    """This process's own metrics (single-process mode)."""

    def collect(self) -> Iterator[Metric]:
        return REGISTRY.collect()


def scrape_registry(app: Any) -> CollectorRegistry:
    """A registry for one scrape: every worker's request metrics, plus the state collector."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROC_ENV):
        MultiProcessCollector(registry)
    else:
        registry.register(_Default())
    registry.register(StateCollector(app))
    return registry
