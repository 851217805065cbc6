"""Dependencies in one direction (issue 26, scope 2), read from the code's own imports with `ast` (nothing is
imported, so a cycle that Python would tolerate at runtime through a late import still counts):

- the modules of app/schema and app/resolvers import each other without a cycle; every import counts, at
  module level, under `if TYPE_CHECKING:` or inside a function (a late import is how a cycle hides);
- no app/schema module imports inside a function, nor declares a type lazily (`strawberry.lazy`: the other way
  a cycle hides);
- no module under app/services imports strawberry, graphql or a module of app/schema or app/resolvers;
- the packages of app/services form no cycle, and the leaf packages (`common`, `rules`) import no other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules_under(package: str) -> dict[str, Path]:
    root = APP.parent.joinpath(*package.split("."))
    return {module_name(p): p for p in sorted(root.rglob("*.py"))}


def imported_names(path: Path) -> Iterator[tuple[int, str]]:
    """Every module name an import statement anywhere in the file names, with its line."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    yield from names_in(path.read_text(), package)


def names_in(source: str, package: str) -> Iterator[tuple[int, str]]:
    """`import a.b` names a.b; `from a import b` names a and a.b (b may be a module); a relative import is
    resolved against `package`, the package the source belongs to."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[: len(parts) - node.level + 1] if node.level else []
            origin = ".".join(base + ([node.module] if node.module else []))
            yield node.lineno, origin
            for alias in node.names:
                yield node.lineno, f"{origin}.{alias.name}"


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of the same set it imports (a package's own `__init__` is not an edge of its
    submodules: Python runs it first whatever they import)."""
    return {
        name: {target for _, target in imported_names(path) if target in modules and target != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that ends where it starts, or None (depth-first search, three colours)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_cycle_finder_sees_a_cycle_through_any_import() -> None:
    # The checker itself: a cycle of three, and a graph that only shares a leaf.
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"c"}, "b": {"c"}, "c": set()}) is None


def test_imports_of_a_function_body_and_of_type_checking_count() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from app.schema.checkout import Payment\n"
        "def f():\n    from . import drafts\n    import app.schema.orders\n"
    )
    names = {n for _, n in names_in(source, "app.schema")}
    assert {"app.schema.checkout", "app.schema.drafts", "app.schema.orders"} <= names


def test_schema_and_resolver_modules_import_each_other_in_one_direction() -> None:
    modules = modules_under("app.schema") | modules_under("app.resolvers")
    assert "app.schema.orders" in modules and "app.resolvers.orders" in modules
    cycle = find_cycle(import_graph(modules))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_schema_imports_nothing_inside_a_function() -> None:
    # A late import is how a cycle hides at runtime; each schema module says what it needs at its top.
    late = [
        f"{path.relative_to(APP.parent)}:{inner.lineno}"
        for path in modules_under("app.schema").values()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    ]
    assert late == []


def test_schema_declares_no_lazy_type() -> None:
    lazy = [
        f"{path.relative_to(APP.parent)}:{node.lineno}"
        for path in modules_under("app.schema").values()
        for node in ast.walk(ast.parse(path.read_text()))
        if (isinstance(node, ast.Attribute) and node.attr == "lazy")
        or (
            isinstance(node, ast.ImportFrom)
            and node.module == "strawberry"
            and any(a.name == "lazy" for a in node.names)
        )
    ]
    assert lazy == []


def test_services_import_neither_strawberry_nor_the_schema_nor_the_resolvers() -> None:
    services = modules_under("app.services")
    assert len(services) > 20  # the whole domain is read, whatever its packages
    forbidden = ("strawberry", "graphql", "app.schema", "app.resolvers")
    found = [
        f"{path.relative_to(APP.parent)}:{line} imports {target}"
        for path in services.values()
        for line, target in imported_names(path)
        if any(target == f or target.startswith(f + ".") for f in forbidden)
    ]
    assert found == []


def service_package_graph() -> dict[str, set[str]]:
    """app/services package -> the other app/services packages its modules import."""
    graph: dict[str, set[str]] = {}
    for name, path in modules_under("app.services").items():
        parts = name.split(".")
        if len(parts) < 3:
            continue  # app.services itself
        edges = graph.setdefault(parts[2], set())
        for _, target in imported_names(path):
            bits = target.split(".")
            if bits[:2] == ["app", "services"] and len(bits) > 2 and bits[2] != parts[2]:
                edges.add(bits[2])
    return graph


def test_service_packages_form_no_cycle() -> None:
    graph = service_package_graph()
    assert {"common", "rules", "orders", "checkout", "payments"} <= set(graph)
    cycle = find_cycle(graph)
    assert cycle is None, "app/services packages import each other in a loop: " + " -> ".join(cycle or [])


def test_leaf_service_packages_import_only_common() -> None:
    graph = service_package_graph()
    assert graph["common"] == set(), graph["common"]
    assert graph["rules"] <= {"common"}, graph["rules"]
