"""API keys in a keys file: hashed at rest, one role each, with expiry, revocation and last use.

The keys file (JSON, mode 0600) holds ``{"demo_secret": hex, "keys": [entry, ...]}``; an entry
is ``{key_id, hash, hint, role, district, label, created_at, expires_at, revoked_at}``. ``hash``
is the SHA-256 of the key, never the key itself; ``hint`` its last four characters, so a listing
can tell keys apart (``sg_…x7Qa``). Roles:

- ``city_admin``: every district, imports, the audit log.
- ``caseworker``: only persons whose district in charge (所属区) is the key's ``district``.
- ``organiser``: postings and aggregated counts only, no personal data.

When each key was last used is kept beside it in ``<keys file>.last-used`` (``{key_id: iso}``,
to the minute): a request only notes the time in memory, and :class:`KeyStore` merges its notes
into that file at most once a minute (:class:`~matching.store.keyauth.KeyStore`), in a background thread, under a file lock (several worker
processes share it). So the keys file changes only when keys are created, revoked or rotated,
and every worker sees such a change at its next request (it compares the file's stat).

Demo keys (:func:`ensure_demo_keys`) are derived from ``demo_secret`` with HMAC, so reruns of
``make run`` print the same keys; anyone who can read the keys file can derive them, which is
acceptable for a demo and why production keys come from :func:`create_key` instead.

This module knows no HTTP: the API (``api.deps``) and ``songgang keys`` both use it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from matching.domain import divisions

Role = Literal["city_admin", "caseworker", "organiser"]
ROLES: tuple[Role, ...] = ("city_admin", "caseworker", "organiser")
DEMO_DISTRICT = "河西区"
FLUSH_SECONDS = 60.0
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """One key as ``songgang keys list`` shows it (never the key or its hash)."""

    key_id: str
    masked: str
    role: str
    district: str | None
    label: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None
    last_used_at: str | None

    def state(self, now: dt.datetime | None = None) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at:
            return "revoked"
        if _expired(self.expires_at, now or _now()):
            return "expired"
        return "active"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _expired(expires_at: str | None, now: dt.datetime) -> bool:
    return expires_at is not None and dt.datetime.fromisoformat(expires_at) <= now


def hash_key(key: str) -> str:
    """SHA-256 hex digest of a plain key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_expiry(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """``90d`` (days), ``12w`` (weeks), ``36h`` (hours) from now, or a date ``2025-06-30``
    (the key works until that day's end, UTC).

    Raises
    ------
    ValueError
        Anything else, or a moment already past.
    """
    now = now or _now()
    found = re.fullmatch(r"\s*(\d+)\s*([dwh])\s*", text)
    if found:
        unit = {"d": "days", "w": "weeks", "h": "hours"}[found.group(2)]
        moment = now + dt.timedelta(**{unit: int(found.group(1))})
    else:
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(
                f"无法识别的有效期 {text!r} / unknown expiry: use 90d, 12w, 36h or 2025-06-30"
            ) from None
        moment = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)
    if moment <= now:
        raise ValueError(f"有效期已过 / expiry {text!r} is already past")
    return moment


def read_keys_file(keys_file: Path) -> dict[str, Any]:
    """The keys file as a dict (``{"keys": []}`` when absent)."""
    try:
        data = json.loads(Path(keys_file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"keys": []}
    data.setdefault("keys", [])
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _check_role(role: str, district: str | None) -> str | None:
    if role not in ROLES:
        raise ValueError(f"未知角色 {role!r} / unknown role; expected one of {ROLES}")
    if role != "caseworker":
        return None
    if district not in divisions.BY_NAME:
        raise ValueError(
            f"区县社工必须指定天津的区 / a caseworker key needs one of the 16 districts, got {district!r}"
        )
    return district


def _entry(
    key: str,
    key_id: str,
    role: str,
    district: str | None,
    label: str,
    expires_at: dt.datetime | None = None,
) -> dict[str, Any]:
    return {
        "key_id": key_id,
        "hash": hash_key(key),
        "hint": key[-4:],
        "role": role,
        "district": district,
        "label": label,
        "created_at": _iso(_now()),
        "expires_at": _iso(expires_at) if expires_at else None,
        "revoked_at": None,
    }


def _new_key() -> tuple[str, str]:
    return "sg_" + secrets.token_urlsafe(24), "k_" + secrets.token_hex(6)


def create_key(keys_file: Path, role: str, district: str | None = None, **options: Any) -> str:
    """Create a new API key, store its hash in ``keys_file`` and return the plain key (once).

    ``options``: ``label`` and ``expires_at`` of :func:`create_key_with_id`.

    Raises
    ------
    ValueError
        Unknown role, or a caseworker without a valid district.
    """
    return create_key_with_id(keys_file, role, district, **options)[1]


def create_key_with_id(
    keys_file: Path,
    role: str,
    district: str | None = None,
    *,
    label: str = "",
    expires_at: dt.datetime | None = None,
) -> tuple[str, str]:
    """Like :func:`create_key`; returns ``(key_id, key)``."""
    district = _check_role(role, district)
    key, key_id = _new_key()
    with _lock:
        data = read_keys_file(keys_file)
        data["keys"].append(_entry(key, key_id, role, district, label, expires_at))
        _write(keys_file, data)
    return key_id, key


def _find(data: dict[str, Any], key_id: str) -> dict[str, Any]:
    for entry in data["keys"]:
        if entry["key_id"] == key_id:
            return entry
    raise KeyError(f"没有这个密钥 / no key with id {key_id!r} (see `songgang keys list`)")


def revoke_key(keys_file: Path, key_id: str) -> bool:
    """Revoke ``key_id`` from now on; False when it was revoked already.

    Raises
    ------
    KeyError
        No such key.
    """
    with _lock:
        data = read_keys_file(keys_file)
        entry = _find(data, key_id)
        if entry.get("revoked_at"):
            return False
        entry["revoked_at"] = _iso(_now())
        _write(keys_file, data)
    return True


def rotate_key(
    keys_file: Path, key_id: str, *, expires_at: dt.datetime | None = None
) -> tuple[str, str]:
    """Revoke ``key_id`` and create a key of the same role, district and label in one write.

    Returns ``(new key_id, new key)``; ``expires_at`` None keeps the old key's expiry.

    Raises
    ------
    KeyError
        No such key.
    ValueError
        The key was revoked already.
    """
    key, new_id = _new_key()
    with _lock:
        data = read_keys_file(keys_file)
        old = _find(data, key_id)
        if old.get("revoked_at"):
            raise ValueError(f"密钥已吊销 / key {key_id!r} is revoked: create a new one instead")
        old["revoked_at"] = _iso(_now())
        expiry = expires_at or (
            dt.datetime.fromisoformat(old["expires_at"]) if old.get("expires_at") else None
        )
        label = old.get("label", "")
        data["keys"].append(_entry(key, new_id, old["role"], old.get("district"), label, expiry))
        _write(keys_file, data)
    return new_id, key


def _last_used_file(keys_file: Path) -> Path:
    return Path(keys_file).with_name(Path(keys_file).name + ".last-used")


def read_last_used(keys_file: Path) -> dict[str, str]:
    """``{key_id: iso time}`` of the keys' last use, as merged by the API processes."""
    try:
        return json.loads(_last_used_file(keys_file).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def list_keys(keys_file: Path) -> list[KeyInfo]:
    """Every key of ``keys_file`` (demo keys too), in order of creation."""
    used = read_last_used(keys_file)
    return [
        KeyInfo(
            key_id=e["key_id"],
            masked="sg_…" + e.get("hint", "????"),
            role=e["role"],
            district=e.get("district"),
            label=e.get("label", ""),
            created_at=e.get("created_at", ""),
            expires_at=e.get("expires_at"),
            revoked_at=e.get("revoked_at"),
            last_used_at=used.get(e["key_id"]),
        )
        for e in read_keys_file(keys_file)["keys"]
    ]


DEMO_ROLES: dict[str, tuple[Role, str | None]] = {
    "city_admin": ("city_admin", None),
    f"caseworker:{DEMO_DISTRICT}": ("caseworker", DEMO_DISTRICT),
    "organiser": ("organiser", None),
}


def missing_demo_keys(keys_file: Path) -> list[str]:
    """The ids of the demo keys :func:`ensure_demo_keys` would create (none once created)."""
    known = {k["key_id"] for k in read_keys_file(keys_file)["keys"]}
    return [f"demo-{role}" for role, _ in DEMO_ROLES.values() if f"demo-{role}" not in known]


def ensure_demo_keys(keys_file: Path) -> dict[str, str]:
    """One key per role (the caseworker of 河西区), created once, the same on every call.

    A demo key that was revoked stays revoked (its entry is kept).

    Returns
    -------
    dict
        ``{"city_admin": key, "caseworker:河西区": key, "organiser": key}``.
    """
    with _lock:
        data = read_keys_file(keys_file)
        secret = data.setdefault("demo_secret", secrets.token_hex(32))
        known = {k["key_id"] for k in data["keys"]}
        out: dict[str, str] = {}
        for label, (role, district) in DEMO_ROLES.items():
            digest = hmac.new(bytes.fromhex(secret), label.encode("utf-8"), "sha256").hexdigest()
            key = "sg_demo_" + digest[:32]
            key_id = "demo-" + role
            if key_id not in known:
                data["keys"].append(_entry(key, key_id, role, district, label))
            out[label] = key
        _write(keys_file, data)
    return out


def merge_last_used(keys_file: Path, used: dict[str, dt.datetime]) -> None:
    """Merge ``{key_id: moment}`` into the last-used file, keeping the later time of each."""
    path = _last_used_file(keys_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        merged = read_last_used(keys_file)
        for key_id, moment in used.items():
            text = moment.isoformat(timespec="minutes")
            if merged.get(key_id, "") < text:
                merged[key_id] = text
        _write(path, merged)


def audit_key_event(session: Any, *, actor: str, action: str, detail: str) -> Any:
    """Add an audit row for a key operation (``action`` like ``key_create``) done by ``actor``
    (the operating system user of ``songgang keys``); returns the row, the caller commits."""
    from matching.store.tables import AuditLogRow

    row = AuditLogRow(
        key_id=f"cli:{actor}"[:64],
        role="operator",
        person_id_number=None,
        endpoint=detail,
        action=action,
    )
    session.add(row)
    session.flush()
    return row
