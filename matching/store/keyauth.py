"""Authenticating requests against the keys file of :mod:`matching.store.keys`: who is calling
(:class:`Principal`) and the cached, self-reloading :class:`KeyStore`. Knows no HTTP."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from matching.store.keys import (
    FLUSH_SECONDS,
    ROLES,
    Role,
    hash_key,
    merge_last_used,
    read_keys_file,
)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's id, role and (for a caseworker) district."""

    key_id: str
    role: Role
    district: str | None = None

    def sees_district(self, district: str | None) -> bool:
        """Whether this caller may see persons whose district in charge is ``district``."""
        if self.role == "city_admin":
            return True
        return self.role == "caseworker" and district is not None and district == self.district

    def unmasked(self, district: str | None) -> bool:
        """Whether ID numbers and phones of a person of ``district`` are shown in full."""
        return self.sees_district(district)


@dataclass(frozen=True, slots=True)
class _Known:
    principal: Principal
    expires_at: dt.datetime | None
    revoked: bool


class KeyStore:
    """The keys of a keys file, by hash, for authenticating requests.

    The file is re-read when its stat changes (checked on every call, a few microseconds), so a
    new, revoked or rotated key takes effect at the next request in every worker. Expired and
    revoked keys authenticate as None. Last use is noted in memory and merged into
    ``<keys file>.last-used`` every ``flush_seconds`` in a background thread, and on
    :meth:`close`.
    """

    def __init__(self, keys_file: Path, *, flush_seconds: float = FLUSH_SECONDS) -> None:
        self.keys_file = Path(keys_file)
        self.flush_seconds = flush_seconds
        self._stat: tuple[int, int, int] | None = None
        self._by_hash: dict[str, _Known] = {}
        self._used: dict[str, dt.datetime] = {}
        self._used_lock = threading.Lock()
        self._flushed_at = time.monotonic()
        self._flushing = False
        self._reload()

    def _reload(self) -> None:
        try:
            st = self.keys_file.stat()
            stat: tuple[int, int, int] | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stat = None
        if stat == self._stat:
            return
        self._stat = stat
        self._by_hash = {
            k["hash"]: _Known(
                Principal(key_id=k["key_id"], role=k["role"], district=k.get("district")),
                dt.datetime.fromisoformat(k["expires_at"]) if k.get("expires_at") else None,
                bool(k.get("revoked_at")),
            )
            for k in read_keys_file(self.keys_file)["keys"]
            if k.get("role") in ROLES
        }

    def authenticate(self, key: str) -> Principal | None:
        """The principal of ``key``; None for an unknown, expired or revoked key."""
        self._reload()
        known = self._by_hash.get(hash_key(key))
        if known is None or known.revoked:
            return None
        now = dt.datetime.now(dt.UTC)
        if known.expires_at is not None and known.expires_at <= now:
            return None
        self._note_use(known.principal.key_id, now)
        return known.principal

    def _note_use(self, key_id: str, now: dt.datetime) -> None:
        with self._used_lock:
            self._used[key_id] = now
            due = time.monotonic() - self._flushed_at >= self.flush_seconds
            if not due or self._flushing:
                return
            self._flushing = True
        threading.Thread(target=self.flush, name="songgang-keys-used", daemon=True).start()

    def flush(self) -> None:
        """Merge the noted last uses into ``<keys file>.last-used`` (under a file lock)."""
        with self._used_lock:
            used, self._used = self._used, {}
            self._flushed_at = time.monotonic()
        try:
            if used:
                merge_last_used(self.keys_file, used)
        finally:
            self._flushing = False

    def close(self) -> None:
        """Write the last uses noted since the last flush."""
        self.flush()
