"""API keys for the HTTP API: the keys file logic lives in :mod:`matching.store.keys` (shared
with ``songgang keys``); this module re-exports what the API's dependencies use."""

from __future__ import annotations

from matching.store.keyauth import KeyStore, Principal
from matching.store.keys import (
    DEMO_DISTRICT,
    ROLES,
    Role,
    create_key,
    ensure_demo_keys,
    hash_key,
)

__all__ = [
    "DEMO_DISTRICT",
    "ROLES",
    "KeyStore",
    "Principal",
    "Role",
    "create_key",
    "ensure_demo_keys",
    "hash_key",
]
