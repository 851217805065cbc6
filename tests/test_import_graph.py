"""Dependencies in one direction, read from the code's own imports (module level and inside functions):
the packages under app/services form no cycle, and the layering `common` -> `rules` holds (leaf rules import
only `common`)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
SERVICES = APP / "services"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (`from x import y` counts x, and x.y when y is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def service_package_graph() -> dict[str, set[str]]:
    """package -> the other app/services packages it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in SERVICES.rglob("*.py"):
        parts = path.relative_to(SERVICES).parts
        if len(parts) < 2:
            continue  # app/services/__init__.py
        package = parts[0]
        graph[package]
        for module in imported_modules(path):
            bits = module.split(".")
            if bits[:2] == ["app", "services"] and len(bits) > 2 and bits[2] != package:
                graph[package].add(bits[2])
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_service_packages_form_no_cycle() -> None:
    graph = service_package_graph()
    assert {"common", "rules", "orders", "checkout", "payments"} <= set(graph)
    assert find_cycle(graph) is None, f"app/services packages import each other in a loop: {find_cycle(graph)}"


def test_leaf_packages_import_only_common() -> None:
    graph = service_package_graph()
    assert graph["common"] == set(), graph["common"]
    assert graph["rules"] <= {"common"}, graph["rules"]


def test_services_import_no_schema_and_no_strawberry() -> None:
    offenders = []
    for path in SERVICES.rglob("*.py"):
        for module in imported_modules(path):
            if module.split(".")[0] in ("strawberry", "graphql") or module.startswith(("app.schema", "app.resolvers")):
                offenders.append(f"{path.relative_to(APP)} imports {module}")
    assert offenders == []
