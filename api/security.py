"""API keys: hashed at rest, one role each; the request dependency that checks them.

The keys file (JSON) holds ``{"demo_secret": hex, "keys": [{key_id, hash, role, district,
label, created_at}]}``; ``hash`` is the SHA-256 of the key, never the key itself. Roles:

- ``city_admin``: every district, imports, the audit log.
- ``caseworker``: only persons whose district in charge (所属区) is the key's ``district``.
- ``organiser``: postings and aggregated counts only, no personal data.

Demo keys (:func:`ensure_demo_keys`) are derived from ``demo_secret`` with HMAC, so reruns of
``make run`` print the same keys; anyone who can read the keys file can derive them, which is
acceptable for a demo and why production keys come from :func:`create_key` instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from matching.domain import divisions

Role = Literal["city_admin", "caseworker", "organiser"]
ROLES: tuple[Role, ...] = ("city_admin", "caseworker", "organiser")
DEMO_DISTRICT = "河西区"
_lock = threading.Lock()


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


def hash_key(key: str) -> str:
    """SHA-256 hex digest of a plain key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _read(keys_file: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(keys_file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"keys": []}
    data.setdefault("keys", [])
    return data


def _write(keys_file: Path, data: dict[str, Any]) -> None:
    keys_file = Path(keys_file)
    keys_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = keys_file.with_name(f".{keys_file.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, keys_file)


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


def _entry(key: str, key_id: str, role: str, district: str | None, label: str) -> dict[str, Any]:
    return {
        "key_id": key_id,
        "hash": hash_key(key),
        "role": role,
        "district": district,
        "label": label,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def create_key(keys_file: Path, role: str, district: str | None = None, *, label: str = "") -> str:
    """Create a new API key, store its hash in ``keys_file`` and return the plain key (once).

    Raises
    ------
    ValueError
        Unknown role, or a caseworker without a valid district.
    """
    district = _check_role(role, district)
    key = "sg_" + secrets.token_urlsafe(24)
    with _lock:
        data = _read(keys_file)
        data["keys"].append(_entry(key, "k_" + secrets.token_hex(6), role, district, label))
        _write(keys_file, data)
    return key


DEMO_ROLES: dict[str, tuple[Role, str | None]] = {
    "city_admin": ("city_admin", None),
    f"caseworker:{DEMO_DISTRICT}": ("caseworker", DEMO_DISTRICT),
    "organiser": ("organiser", None),
}


def ensure_demo_keys(keys_file: Path) -> dict[str, str]:
    """One key per role (the caseworker of 河西区), created once, the same on every call.

    Returns
    -------
    dict
        ``{"city_admin": key, "caseworker:河西区": key, "organiser": key}``.
    """
    with _lock:
        data = _read(keys_file)
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


class KeyStore:
    """The keys of a keys file, by hash; re-read when the file changes (new keys work at once)."""

    def __init__(self, keys_file: Path) -> None:
        self.keys_file = Path(keys_file)
        self._mtime: float | None = None
        self._by_hash: dict[str, Principal] = {}
        self._reload()

    def _reload(self) -> None:
        try:
            mtime = self.keys_file.stat().st_mtime
        except FileNotFoundError:
            mtime = None
        if mtime == self._mtime and self._by_hash:
            return
        self._mtime = mtime
        self._by_hash = {
            k["hash"]: Principal(key_id=k["key_id"], role=k["role"], district=k.get("district"))
            for k in _read(self.keys_file)["keys"]
            if k.get("role") in ROLES
        }

    def authenticate(self, key: str) -> Principal | None:
        """The principal of ``key``, or None for an unknown key."""
        digest = hash_key(key)
        found = self._by_hash.get(digest)
        if found is None:
            self._reload()
            found = self._by_hash.get(digest)
        return found
