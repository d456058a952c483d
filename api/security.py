"""The API key check: one dependency per route, the key schemes declared once for the OpenAPI.

A caller sends a key in ``X-API-Key`` or as ``Authorization: Bearer``. :class:`KeyCheck` reads
both headers itself (the two :data:`KEY_SCHEMES` called, not solved by FastAPI as
sub-dependencies: each solved dependency costs the event loop tens of microseconds of every
request, docs/benchmarks.md). FastAPI then sees no security scheme in a route's dependencies,
so :func:`document_keys` puts what it would have generated into the OpenAPI document: the two
schemes under ``components.securitySchemes`` and, in every operation that checks a key,
``security: [{"APIKeyHeader": []}, {"HTTPBearer": []}]`` where FastAPI places it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.models import OpenAPI
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPBearer

from matching.store.keyauth import KeyStore, Principal
from matching.store.keys import Role

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")
_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token")
# Either one admits a caller (OpenAPI: two alternative requirements, in this order).
KEY_SCHEMES = (_api_key, _bearer)

UNAUTHORIZED = "缺少或无效的API密钥 / missing or unknown API key (X-API-Key header)"


def authenticate(request: Request, key: str | None) -> Principal:
    """The caller of a valid ``key``; else 401 with ``WWW-Authenticate: Bearer``."""
    store: KeyStore = request.app.state.keys
    principal = store.authenticate(key) if key else None
    if principal is None:
        raise HTTPException(401, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    request.state.principal = principal  # for the request log line (api.observe)
    return principal


class KeyCheck:
    """A dependency: the caller of the request's key (401 without a valid one), admitted only
    in ``roles`` (403 for another role; ``None``: any role).

    The key is read from the request at each call, from the key store that reloads its file
    when it changes: a revoked key is refused at its next request.
    """

    def __init__(self, roles: tuple[Role, ...] | None = None) -> None:
        self.roles = roles

    async def __call__(self, request: Request) -> Principal:
        header = await _api_key(request)
        bearer = None if header else await _bearer(request)
        principal = authenticate(request, header or (bearer.credentials if bearer else None))
        if self.roles is not None and principal.role not in self.roles:
            raise HTTPException(403, f"此角色无权访问 / role {principal.role!r} may not do this")
        return principal


def _checks_key(dependant: Dependant) -> bool:
    """Whether ``dependant`` or any of its sub-dependencies is a :class:`KeyCheck`."""
    pending = [dependant]
    while pending:
        current = pending.pop()
        if isinstance(current.call, KeyCheck):
            return True
        pending.extend(current.dependencies)
    return False


# The keys FastAPI writes before ``security`` in an operation (get_openapi_operation_metadata).
_BEFORE_SECURITY = ("tags", "summary", "description", "operationId", "deprecated")


def _with_security(operation: dict[str, Any], security: list[dict[str, list[str]]]) -> None:
    """Put ``security`` into ``operation`` where FastAPI puts it (after the metadata)."""
    items = list(operation.items())
    operation.clear()
    placed = False
    for name, value in items:
        if not placed and name not in _BEFORE_SECURITY:
            operation["security"], placed = security, True
        operation[name] = value
    if not placed:
        operation["security"] = security


def _key_operations(
    routers: Iterable[APIRouter], schema: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """The operations of ``schema`` whose route (in ``routers``) checks a key."""
    for router in routers:
        for route in router.routes:
            if (
                isinstance(route, APIRoute)
                and route.include_in_schema
                and _checks_key(route.dependant)
            ):
                for method in sorted(route.methods):
                    yield schema["paths"][route.path_format][method.lower()]


def document_keys(app: FastAPI, routers: Iterable[APIRouter]) -> None:
    """Make ``app.openapi()`` declare :data:`KEY_SCHEMES` for every route of ``routers`` (as
    included, without a prefix of their own) that has a :class:`KeyCheck`, as FastAPI does for
    schemes taken as dependencies."""
    routers = tuple(routers)
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            security = [{scheme.scheme_name: []} for scheme in KEY_SCHEMES]
            for operation in _key_operations(routers, schema):
                _with_security(operation, [dict(s) for s in security])
            schemes = {
                scheme.scheme_name: jsonable_encoder(scheme.model, by_alias=True, exclude_none=True)
                for scheme in KEY_SCHEMES
            }
            schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(schemes)
            # Through FastAPI's own last step again: the same order of keys as it writes.
            app.openapi_schema = jsonable_encoder(
                OpenAPI(**schema), by_alias=True, exclude_none=True
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
