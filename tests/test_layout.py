"""The tree tells the pipeline: folder layers, no import circles, short modules, no HTTP in the core.

Read from the source text (``ast``), so a function-level import counts as much as a top-level
one: a circle hidden inside a function is still a circle. Imports under ``if TYPE_CHECKING:``
are left out: they are never executed, only read by type checkers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORE = REPO / "matching"

# Low to high: a module may import its own folder and any folder to its left, never one to its
# right. ``nightly`` and ``campaign`` share a rank: neither imports the other.
LAYERS: list[tuple[str, ...]] = [
    ("exceptions", "config", "threads"),
    ("domain",),
    ("schemas",),
    ("generator",),
    ("understand",),
    ("store",),
    ("ingest",),
    ("retrieve",),
    ("rank",),
    ("nightly", "campaign"),
    ("learn",),
    ("evaluate",),
    ("cli",),
]
RANK = {part: i for i, parts in enumerate(LAYERS) for part in parts}
HTTP = ("fastapi", "starlette", "httpx", "requests", "api")


def _sources(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)


def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module named by an import in ``path`` (absolute names; ``from a import b`` gives
    ``a.b`` when that is a module of ours, else ``a``)."""
    names: set[str] = set()
    for node in _executed(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.add(full if _is_module(full) else node.module)
    return names


def _executed(tree: ast.AST):  # type: ignore[no-untyped-def]
    """Every node of ``tree`` except the bodies of ``if TYPE_CHECKING:``."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and ast.unparse(child.test).endswith("TYPE_CHECKING"):
                todo.extend(child.orelse)
            else:
                todo.append(child)


def _is_module(name: str) -> bool:
    base = REPO.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _folder(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "matching" and len(parts) > 1 else None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in _sources(CORE):
        ours = {m for m in _imports(path) if m == "matching" or m.startswith("matching.")}
        graph[_module(path)] = ours - {_module(path)}
    return graph


@pytest.mark.parametrize("root", ["matching", "api"])
def test_no_module_over_400_lines(root: str) -> None:
    long = {
        str(p.relative_to(REPO)): n
        for p in _sources(REPO / root)
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_route_modules_stay_thin() -> None:
    long = {
        p.name: n
        for p in (REPO / "api" / "routes").glob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 250
    }
    assert long == {}


def test_every_folder_has_a_layer() -> None:
    folders = {p.name for p in CORE.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in CORE.glob("*.py") if p.stem != "__init__"}
    assert folders | modules <= set(RANK), "add the new folder to LAYERS"


def test_lower_folders_never_import_higher_ones() -> None:
    wrong = []
    for module, imported in _graph().items():
        own = _folder(module)
        if own is None:  # matching/__init__.py: the public surface may name any folder
            continue
        for target in imported:
            other = _folder(target)
            if other is not None and other != own and RANK[other] >= RANK[own]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_no_import_circle() -> None:
    graph = _graph()
    graph.pop("matching", None)  # the lazy public surface imports on first attribute access
    for deps in graph.values():
        deps.discard("matching")
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            raise AssertionError(" -> ".join([*path[path.index(node) :], node]))
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*path, node])
        done.add(node)

    for start in sorted(graph):
        visit(start, [])


def test_the_core_knows_no_http() -> None:
    """No module of the core imports the web stack (``songgang serve`` names the app to uvicorn
    as a string)."""
    offenders = [
        f"{_module(p)} -> {m}"
        for p in _sources(CORE)
        for m in _imports(p)
        if m.split(".")[0] in HTTP
    ]
    assert offenders == []


def test_test_files_have_unique_names() -> None:
    """Test folders have no ``__init__.py`` (``from conftest import`` relies on it), so pytest
    imports each test file by its base name: two files of one name cannot both be collected."""
    tests = REPO / "tests"
    seen: dict[str, list[str]] = {}
    for path in tests.rglob("test_*.py"):
        if not (path.parent / "__init__.py").is_file():
            seen.setdefault(path.name, []).append(str(path.relative_to(tests)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
