"""The modules of ``generator/`` import each other without a circle.

Every import that runs counts: at module level and inside functions (a late import still closes a
circle when it runs). Imports under ``if TYPE_CHECKING:`` never run and are left out. A name
imported from a package (``from generator.normalise import derive``) is an edge to that module
when it is one, else to the package. A package's ``__init__`` that a child module's import runs
first is not an edge: only what a module names.
"""

from __future__ import annotations

import ast
from pathlib import Path

from generator.typegraph import in_cycles
from tests.conftest import REPO

GENERATOR = REPO / "generator"


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(GENERATOR.rglob("*.py")) if "_templates" not in path.parts}


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The ``generator`` modules that the module ``name`` imports."""
    found: set[str] = set()
    for node in _running(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(name, path).split(".")
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([base] if base else [])])
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in modules else base)
    return {module for module in found if module in modules and module != name}


def _type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _running(tree: ast.AST) -> list[ast.AST]:
    """Every node of ``tree`` but what is under ``if TYPE_CHECKING:`` (its ``else`` runs)."""
    found: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        found.append(node)
        if _type_checking(node):
            assert isinstance(node, ast.If)
            pending.extend(node.orelse)
        else:
            pending.extend(ast.iter_child_nodes(node))
    return found


def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module."""
    components = {component for component in in_cycles(edges).values() if len(component) > 1}
    return sorted(sorted(component) for component in components)


def test_the_check_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_every_kind_of_import() -> None:
    edges = graph()
    assert "generator.ir" in edges["generator.normalise.openapi"]  # from generator.ir import ...
    assert "generator.normalise.derive" in edges["generator.pipeline"]  # inside a function
    assert "generator.load" not in edges["generator.normalise"]  # only under TYPE_CHECKING
    assert "generator.load.extensions" in edges["generator.normalise"]


def test_generator_has_no_import_circle() -> None:
    assert cycles(graph()) == []


def test_the_circle_that_was_would_be_found(tmp_path: Path) -> None:
    """settings imported derive late, derive imported settings: a circle, though one import was in a function."""
    (tmp_path / "settings.py").write_text("def load():\n    from generator import derive\n")
    (tmp_path / "derive.py").write_text("from generator.settings import Settings\nif TYPE_CHECKING:\n    import x\n")
    modules = {"generator.settings": tmp_path / "settings.py", "generator.derive": tmp_path / "derive.py"}
    edges = {name: imports_of(name, path, modules) for name, path in modules.items()}
    assert cycles(edges) == [["generator.derive", "generator.settings"]]
