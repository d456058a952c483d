"""``songgang keys create|list|revoke|rotate``: API keys of the service, every change audited.

Thin: parse arguments → :mod:`matching.store.keys` → print. A new key is printed once and only
its hash is stored. Each change is recorded in the audit log (``GET /audit``) as done by the
operating system user, role ``operator``, in the same transaction: when the keys file cannot be
written, nothing is audited, and when the audit row cannot be written, the command fails.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from matching.cli.common import DEFAULT_DB, DbUrl, fail, open_db, out

__all__ = ["keys_app"]

keys_app = typer.Typer(
    help="API keys: create (printed once), list, revoke, rotate.", no_args_is_help=True
)

KeysFile = Annotated[
    Path, typer.Option("--keys-file", envvar="SONGGANG_KEYS_FILE", help="API keys file.")
]
Expires = Annotated[
    str | None,
    typer.Option("--expires", help="Lifetime (90d, 12w, 36h) or last day (2025-06-30)."),
]
DEFAULT_KEYS = Path("data/keys.json")
T = TypeVar("T")


def _expiry(text: str | None) -> dt.datetime | None:
    from matching.store.keys import parse_expiry

    if text is None:
        return None
    try:
        return parse_expiry(text)
    except ValueError as exc:
        fail(str(exc))
        raise  # unreachable: fail() exits


def _audited(db: str, action: str, detail: str, change: Callable[[], T]) -> T:
    """Run ``change`` (a keys file write) inside the transaction that records it; a new key's
    id is appended to ``detail``."""
    from matching.store.db import session_scope
    from matching.store.keys import audit_key_event

    with session_scope(open_db(db)) as session:
        row = audit_key_event(session, actor=getpass.getuser(), action=action, detail=detail)
        try:
            result = change()
        except (KeyError, ValueError) as exc:
            fail(str(exc.args[0] if exc.args else exc))
            raise  # unreachable
        if isinstance(result, tuple):
            row.endpoint = f"{detail} -> {result[0]}"
        return result


def _print_key(key_id: str, key: str, keys_file: Path) -> None:
    out.print(f"密钥 key {key_id}: {key}")
    out.print(
        f"  只显示这一次，请交给使用人 / shown once, hand it over now ({keys_file} keeps its hash)"
    )


@keys_app.command("create")
def create(
    role: Annotated[str, typer.Option(help="city_admin, caseworker or organiser.")],
    label: Annotated[str, typer.Option(help="Who holds the key (e.g. 河西区 窗口2).")],
    district: Annotated[
        str | None, typer.Option(help="A caseworker's district (e.g. 河西区).")
    ] = None,
    expires: Expires = None,
    keys_file: KeysFile = DEFAULT_KEYS,
    db: DbUrl = DEFAULT_DB,
) -> None:
    """Create a key and print it once."""
    from matching.store.keys import create_key_with_id

    expires_at = _expiry(expires)
    where = f" {district}" if district else ""
    key_id, key = _audited(
        db,
        "key_create",
        f"songgang keys create ({role}{where})",
        lambda: create_key_with_id(keys_file, role, district, label=label, expires_at=expires_at),
    )
    _print_key(key_id, key, keys_file)
    if expires_at:
        out.print(f"  有效至 expires {expires_at.isoformat(timespec='minutes')}")


@keys_app.command("list")
def list_(
    keys_file: KeysFile = DEFAULT_KEYS,
    all_: Annotated[bool, typer.Option("--all", help="Also revoked and expired keys.")] = False,
) -> None:
    """The keys (masked), their role, district, expiry, state and last use (to the minute)."""
    from matching.store.keys import list_keys

    now = dt.datetime.now(dt.UTC)
    shown = [i for i in list_keys(keys_file) if all_ or i.state(now) == "active"]
    out.print(
        "key_id          key        role        district  expires           state    last used         label"
    )
    for i in shown:
        expires = (i.expires_at or "never")[:16]
        used = (i.last_used_at or "never")[:16]
        out.print(
            f"{i.key_id:<15} {i.masked:<10} {i.role:<11} {i.district or '-':<{9 - _wide(i.district)}} "
            f"{expires:<17} {i.state(now):<8} {used:<17} {i.label or '-'}"
        )


def _wide(text: str | None) -> int:
    """How many more columns ``text`` takes than characters (CJK characters take two)."""
    return sum(1 for ch in text or "" if ord(ch) > 0x2E80)


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id (see `songgang keys list`).")],
    keys_file: KeysFile = DEFAULT_KEYS,
    db: DbUrl = DEFAULT_DB,
) -> None:
    """Revoke a key: every request with it gets 401 from the next request on."""
    from matching.store.keys import revoke_key

    done = _audited(
        db, "key_revoke", f"songgang keys revoke {key_id}", lambda: revoke_key(keys_file, key_id)
    )
    out.print(
        f"已吊销 revoked {key_id}" if done else f"{key_id} 已是吊销状态 / was revoked already"
    )


@keys_app.command("rotate")
def rotate(
    key_id: Annotated[str, typer.Argument(help="The key to replace.")],
    expires: Expires = None,
    keys_file: KeysFile = DEFAULT_KEYS,
    db: DbUrl = DEFAULT_DB,
) -> None:
    """Replace a key: the old one is revoked, a new one with its role, district and label is
    printed once (expiry kept unless --expires)."""
    from matching.store.keys import rotate_key

    expires_at = _expiry(expires)
    new_id, key = _audited(
        db,
        "key_rotate",
        f"songgang keys rotate {key_id}",
        lambda: rotate_key(keys_file, key_id, expires_at=expires_at),
    )
    out.print(f"已吊销 revoked {key_id}")
    _print_key(new_id, key, keys_file)
