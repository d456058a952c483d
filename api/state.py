"""The engine the service answers from, and its background rebuild with an atomic swap.

Requests take :attr:`EngineHolder.engine` once and use that object to the end, so a rebuild
(a new snapshot fitted in a thread, then one attribute assignment) never changes the engine
under a running request: requests during a rebuild are answered from the old index.

With several worker processes (``songgang serve --workers N``) an import reaches one of
them. That one rebuilds, publishes the snapshot (``CURRENT``) or, after a persons import,
touches ``PERSONS_CHANGED`` in the index folder; the others notice within
``REFRESH_SECONDS`` and reload in the background the same way. A promote or rollback of the
learned ranker (a new row of ``ranker_promotions``) is noticed the same way by every worker,
which reloads and serves what the newest row names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import logging
import sys
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from api.settings import Settings
    from matching.rank.engine import MatchingEngine
    from matching.rank.profiles import Profile
    from matching.schemas import Match, Person

logger = logging.getLogger(__name__)

PERSONS_CHANGED = "PERSONS_CHANGED"  # touched in the index folder after a persons import
REFRESH_SECONDS = 2.0  # how often a worker looks for another worker's rebuild
# A reload that failed is tried again after twice as long each time (a broken snapshot must not
# cost a load, a traceback and the CPU every REFRESH_SECONDS), at most this long apart.
RETRY_MAX_SECONDS = 300.0
# How long a reload waits for the requests still answering from the engine it replaced.
DRAIN_SECONDS = 5.0


@contextmanager
def loading_out_of_collection() -> Iterator[None]:
    """The cycle collector off inside (``gc.disable``), for loading an engine at the start;
    what is alive at the end is frozen before the collector is on again (its next pass would
    otherwise walk every object made inside, all still in the youngest generation).

    A loaded engine is about 1.3 million tracked objects at 100k postings. While it loaded,
    the collector's full (generation-2) passes walked them again and again: 12 passes, 12–14
    CPU s a worker, then one of 2.5–3.5 s once serving, each holding the GIL; on a busy
    machine one pass took 7 s, and a worker that does not answer uvicorn's health check for
    5 s is killed and started again (docs/benchmarks.md, "Issue 17, session 13"). Nothing is
    served yet, and loading makes few reference cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        leave_out_of_collection()
        if enabled:
            gc.enable()


def leave_out_of_collection() -> None:
    """Leave the objects alive now (the loaded engine) out of the collector's passes
    (``gc.freeze``): afterwards a full pass walks only what requests made, not the engine.
    Frozen objects are still freed when their last reference goes (the engine's are: it holds
    no reference cycle); only cycles among them would wait (see :func:`release`)."""
    gc.freeze()


def release(replaced: list[Loaded | None]) -> None:
    """After a reload: free the engine that was replaced (``replaced``'s one item, taken out so
    no caller's variable holds it), then freeze the new one.

    Once no request holds it, its engine is freed by reference counting; if it still
    lives, reference cycles keep it in the frozen generation, so that generation is put back
    and collected once (``gc.unfreeze``, ``gc.collect``: one full pass) before freezing.
    """
    old = replaced.pop()
    engine = weakref.ref(old.engine) if old is not None else None
    if not _drained(old, DRAIN_SECONDS):
        logger.warning("requests still use the replaced engine after %.0f s", DRAIN_SECONDS)
        engine = None  # freed by its last request (or collected after a later reload)
    del old
    if engine is not None and engine() is not None:
        gc.unfreeze()
        gc.collect()
    leave_out_of_collection()


def _drained(old: Loaded | None, timeout: float) -> bool:
    """Wait until no request holds ``old`` (the engine a reload replaced) any more; False
    when some still do after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    # References: the caller's variable, this parameter and getrefcount's argument; any
    # more are requests'.
    while old is not None and sys.getrefcount(old) > 3:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@dataclass(frozen=True, slots=True)
class Loaded:
    """A fitted engine with the persons' reverse index and the snapshot it came from.

    ``persons_day`` is the day the registered persons' profiles were built for (by
    ``fit_persons``); ``person_rows`` maps an ID number to its row in ``engine.persons_``.
    ``ranker`` is what orders the recommendations (the promoted learned ranker's id, or "hand
    weights"); ``ranker_error`` why a promoted ranker could not be loaded.
    """

    engine: MatchingEngine
    version: str
    persons_day: dt.date | None = None
    person_rows: Mapping[str, int] = field(default_factory=dict)
    ranker: str = "hand weights"
    ranker_error: str | None = None

    def fitted_profile(self, person: Person, today: dt.date) -> Profile | None:
        """The profile ``fit_persons`` built for ``person``, if it still holds today.

        It holds when it was built for this day (the age is in it) and the stored person is
        equal, field for field, to the one it was built from (an edit since the load makes it
        stale). Without exclusions: the caller adds the person's declined postings.
        """
        row = self._fitted_row(person, today)
        return None if row is None else self.engine.person_profiles_[row]

    def _fitted_row(self, person: Person, today: dt.date) -> int | None:
        """The row of ``engine.persons_`` whose profile :meth:`fitted_profile` gives."""
        if today != self.persons_day:
            return None
        row = self.person_rows.get(person.id_number)
        if row is None or self.engine.persons_[row] != person:
            return None
        return row

    def recommend(
        self, person: Person, k: int, *, today: dt.date, exclude_posting_ids: Iterable[str]
    ) -> list[Match]:
        """``engine.recommend(person, k, …)``, the same matches, without rebuilding a profile
        the engine already holds (that costs a classifier call per request)."""
        row = self._fitted_row(person, today)
        if row is None:
            return self.engine.recommend(
                person, k, today=today, exclude_posting_ids=exclude_posting_ids
            )
        return self.engine.recommend_fitted(
            row, k, today=today, exclude_posting_ids=exclude_posting_ids
        )


def carry_reasons(old: Loaded | None, engine: MatchingEngine, version: str) -> bool:
    """Give ``engine`` the postings' reason parts ``old`` built, when it is a reload of the same
    snapshot (persons changed, a ranker promoted) with the same config: the same postings, so
    the same parts, and a reload does not parse every open posting again. True when carried."""
    if old is None or old.version != version or old.engine.config_ != engine.config_:
        return False
    engine.share_reasons(old.engine)
    return True


class EngineHolder:
    """Holds the current :class:`Loaded` engine; rebuilds in a background thread."""

    def __init__(self, settings: Settings, db: Engine) -> None:
        self.settings = settings
        self.db = db
        self.current: Loaded | None = None
        self.last_error: str | None = None
        self._lock = threading.Lock()
        self._pending = False
        self._pending_snapshot = False
        self._thread: threading.Thread | None = None
        self._announce = False
        self._seen: tuple[str, int, int] = ("", 0, 0)
        self._checked = 0.0
        self._clock = time.monotonic
        self.failures = 0  # rebuilds failed in a row (0 after one that worked)
        self.generation = 0

    # -- loading -----------------------------------------------------------------------------
    def _prepare(self, path: Path) -> Loaded:
        from matching.rank.engine import MatchingEngine
        from matching.store.db import session_scope
        from matching.store.persons import iter_persons

        engine = MatchingEngine.load(path)
        overrides = self.settings.config_overrides()
        if overrides:
            engine.config = dataclasses.replace(engine.config_, **overrides).validate()
        from matching.exceptions import ModelFormatError
        from matching.rank.learned import apply_served_ranker

        ranker, ranker_error = "hand weights", None
        with session_scope(self.db) as session:
            persons = list(iter_persons(session, status="registered"))
            try:  # the ledger's promoted model, or the hand weights
                learned = apply_served_ranker(engine, session)
                ranker = learned.model_id if learned is not None else ranker
            except ModelFormatError as exc:
                # A promoted file that is gone or changed must not stop the service: it serves
                # the hand weights and says why (/version, the log) until the ledger is mended.
                engine.set_reranker(None)
                ranker_error = str(exc)
                logger.error("promoted ranker not loaded, serving the hand weights: %s", exc)
        day = self.settings.current_day()
        engine.fit_persons(persons, today=day)
        carry_reasons(self.current, engine, path.name)
        engine.prepare_day(day)  # the open postings' reason parts: no request builds them
        rows = {pid: i for i, pid in enumerate(engine.person_ids_)}
        return Loaded(engine, path.name, persons_day=day, person_rows=rows, ranker=ranker,
                      ranker_error=ranker_error)  # fmt: skip

    def load(self) -> None:
        """Load the published snapshot, if any (at start-up)."""
        from matching.exceptions import NotFoundError
        from matching.rank.snapshots import current_path

        with loading_out_of_collection():
            self._seen = self._stamp()
            try:
                path = current_path(self.settings.index_dir)
            except NotFoundError:
                return
            self.current = self._prepare(path)

    def _rebuild(self, *, snapshot: bool, announce: bool) -> None:
        from matching.rank.snapshots import build_snapshot, current_path

        seen = self._stamp()
        path = build_snapshot(self.db, self.settings.index_dir) if snapshot else None
        loaded = self._prepare(path or current_path(self.settings.index_dir))
        replaced = [self.current]
        self.current = loaded  # the atomic swap: one reference assignment
        changed = seen[1]
        if announce and not snapshot:  # the other workers refit their persons too
            marker = self.settings.index_dir / PERSONS_CHANGED
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
            changed = marker.stat().st_mtime_ns
        # What this process now reflects; a change by another process meanwhile still differs.
        self._seen = (loaded.version, changed, seen[2])
        release(replaced)

    # -- other worker processes ------------------------------------------------------------------
    def _stamp(self) -> tuple[str, int, int]:
        """What other processes change: the published snapshot's name, the persons marker,
        the newest row of the ranker ledger (``songgang learn promote`` / ``rollback``)."""
        from matching.exceptions import NotFoundError
        from matching.rank.snapshots import current_path

        try:
            name = current_path(self.settings.index_dir).name
        except NotFoundError:
            name = ""
        try:
            changed = (self.settings.index_dir / PERSONS_CHANGED).stat().st_mtime_ns
        except OSError:
            changed = 0
        return name, changed, self._ledger_head()

    def _ledger_head(self) -> int:
        """The id of the newest ``ranker_promotions`` row (0: none, or unreadable)."""
        from sqlalchemy import func, select
        from sqlalchemy.exc import SQLAlchemyError

        from matching.store.nightly_tables import RankerPromotionRow

        try:
            with self.db.connect() as conn:
                return int(conn.execute(select(func.max(RankerPromotionRow.id))).scalar() or 0)
        except SQLAlchemyError:
            return 0

    def refresh_if_changed(self) -> None:
        """Reload in the background when another process published a snapshot or changed
        the persons (looks at most every ``REFRESH_SECONDS``; cheap enough for every request)."""
        now = self._clock()
        if now - self._checked < self._refresh_interval() or self.rebuilding:
            return
        self._checked = now
        if self._stamp() != self._seen:
            self.rebuild_in_background(snapshot=False, announce=False)

    def _refresh_interval(self) -> float:
        """``REFRESH_SECONDS``, doubled for each rebuild failed in a row (a reload that keeps
        failing is retried ever less often, at most ``RETRY_MAX_SECONDS`` apart)."""
        if not self.failures:
            return REFRESH_SECONDS
        return min(REFRESH_SECONDS * 2.0**self.failures, RETRY_MAX_SECONDS)

    # -- background rebuilds ------------------------------------------------------------------
    def rebuild_in_background(self, *, snapshot: bool = True, announce: bool = True) -> None:
        """Rebuild (new snapshot when ``snapshot``, else persons only) without blocking.

        A request during a running rebuild schedules one more run after it, so the last
        import is always reflected. ``announce`` tells the other worker processes (an import
        here); a reload because of them does not.
        """
        with self._lock:
            self._pending_snapshot = self._pending_snapshot or snapshot
            self._announce = self._announce or announce
            if self._thread is not None and self._thread.is_alive():
                self._pending = True
                return
            self._pending = True
            self._thread = threading.Thread(target=self._run, name="songgang-rebuild", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._thread = None
                    return
                self._pending = False
                snapshot, self._pending_snapshot = self._pending_snapshot, False
                announce, self._announce = self._announce, False
            try:
                self._rebuild(snapshot=snapshot, announce=announce)
                self.last_error, self.failures = None, 0
            except Exception as exc:  # keep serving the old engine; /version shows the error
                self.last_error = f"{type(exc).__name__}: {exc}"
                self.failures += 1
                logger.exception("index rebuild failed; still serving the previous index")
            self.generation += 1

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait for a running rebuild to finish (tests, shutdown). True when idle."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    @property
    def rebuilding(self) -> bool:
        """Whether a rebuild is running."""
        thread = self._thread
        return thread is not None and thread.is_alive()
