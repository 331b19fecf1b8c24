"""The package's floors (README, "Layout"): imports go one way, and no module-level import circle.

Read from the source with `ast`, so that a lazy import inside a function
counts for the floors as much as one at the top of a module (a lower floor
may not reach a higher one either way); import circles are looked for among
the imports that run when a module is imported (module level, outside
``if TYPE_CHECKING:``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "harness"

#: Each top-level module or package of harness, by floor (README, "Layout").
FLOORS: dict[int, tuple[str, ...]] = {
    1: ("errors", "records", "registry", "device", "code_digest"),
    2: ("text", "clients"),
    3: ("config", "benchmark", "backend", "metric"),
    4: (
        "store", "outdir", "executor", "generation", "scoring", "aggregate", "manifest",
        "runner", "stats", "meta_eval", "calibrate", "compare", "preflight", "plugin_code",
        "pairing_check",
    ),
    5: ("report",),
    6: ("cli", "__main__"),
}  # fmt: skip
FLOOR_OF = {name: floor for floor, names in FLOORS.items() for name in names}


def _module_name(path: Path) -> str:
    parts = ("harness", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(tree: ast.AST, package: str, *, top_level_only: bool) -> list[tuple[str, int]]:
    """(imported harness module, line) of every import in ``tree``, a module of ``package``."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                # a relative import counts from the package: "." is it, ".." its parent
                parent = package.split(".")[: len(package.split(".")) - child.level + 1]
                base = ".".join(
                    [*(parent if child.level else []), *([child.module] if child.module else [])]
                )
                found.extend((f"{base}.{a.name}", child.lineno) for a in child.names)
            elif top_level_only and isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
            ):
                continue
            elif top_level_only and isinstance(child, ast.If) and _is_type_checking(child):
                visit(ast.Module(body=child.orelse, type_ignores=[]))
            else:
                visit(child)

    visit(tree)
    return [(name, line) for name, line in found if name.split(".")[0] == "harness"]


def _package_of(path: Path) -> str:
    """The package a module's relative imports count from (a package's __init__: itself)."""
    module = _module_name(path)
    return module if path.name == "__init__.py" else module.rsplit(".", 1)[0]


def _modules() -> dict[str, tuple[ast.Module, str]]:
    """Every harness module by name: its tree and its package."""
    return {
        _module_name(path): (ast.parse(path.read_text(encoding="utf-8")), _package_of(path))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _resolve(name: str, known: set[str]) -> str:
    """The module ``name`` imports (``harness.a.b`` is ``harness.a`` when ``b`` is a name in it)."""
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def test_every_top_level_module_has_a_floor() -> None:
    names = {path.stem if path.is_file() else path.name for path in PACKAGE.iterdir()}
    names = {n for n in names if n not in {"__init__", "__pycache__", "templates"}}
    names = {n for n in names if (PACKAGE / n).is_dir() or (PACKAGE / f"{n}.py").is_file()}
    assert names - FLOOR_OF.keys() == set(), "add the new module to FLOORS and the README"


def test_no_import_reaches_a_higher_floor() -> None:
    upward = []
    for module, (tree, package) in _modules().items():
        parts = module.split(".")
        if len(parts) < 2:
            continue  # harness/__init__.py re-exports the error tree only
        own = FLOOR_OF[parts[1]]
        for imported, line in _imports(tree, package, top_level_only=False):
            target = imported.split(".")
            if len(target) > 1 and target[1] in FLOOR_OF and FLOOR_OF[target[1]] > own:
                upward.append(f"{module}:{line} imports {imported}")
    assert upward == []


def test_no_module_level_import_circle() -> None:
    modules = _modules()
    known = set(modules)
    graph = {
        module: {_resolve(name, known) for name, _ in _imports(tree, package, top_level_only=True)}
        - {module}
        for module, (tree, package) in modules.items()
    }
    # a package's __init__ that re-exports its submodules is imported first by
    # design; an edge from a submodule back to its own package is that, not a circle
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not module.startswith(f"{t}.")}
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def walk(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                walk(target, [*trail, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert circles == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from harness.report import load_table\n", ["harness.report.load_table"]),
        ("def f():\n    import harness.cli\n", []),
        ("if TYPE_CHECKING:\n    from harness.cli import app\n", []),
        ("from .quotes import quotations\n", ["harness.text.quotes.quotations"]),
        ("from . import quotes\n", ["harness.text.quotes"]),
        ("from ..report import table\n", ["harness.report.table"]),
    ],
)
def test_module_level_imports_are_read_as_python_runs_them(
    source: str, expected: list[str]
) -> None:
    found = _imports(ast.parse(source), "harness.text", top_level_only=True)
    assert [name for name, _ in found] == expected
