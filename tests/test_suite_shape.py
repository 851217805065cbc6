"""The suite's own shape: one fixture layer (no fixture name defined twice anywhere under tests/) and no test
module importing another test module or conftest (shared helpers live in tests/support/)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SOURCES = sorted(p for p in TESTS.rglob("*.py") if "node_modules" not in p.parts)


def _is_fixture(decorator: ast.expr) -> bool:
    """@pytest.fixture, @pytest.fixture(...), @fixture, @pytest_asyncio.fixture(...)."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name == "fixture"


def fixture_definitions(paths: list[Path], root: Path = TESTS.parent) -> dict[str, list[str]]:
    """Fixture name -> where it is defined ("path:line"), from the files' syntax trees."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                _is_fixture(d) for d in node.decorator_list
            ):
                name = node.name
                for d in node.decorator_list:  # @pytest.fixture(name="x") registers "x"
                    if isinstance(d, ast.Call) and _is_fixture(d):
                        name = next((k.value.value for k in d.keywords if k.arg == "name"), name)
                found[name].append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def _is_test_module(module: str) -> bool:
    return module.split(".")[-1].startswith("test_") or module.split(".")[-1] == "conftest"


def forbidden_imports(paths: list[Path], root: Path = TESTS.parent) -> list[str]:
    """Imports of a test module (tests.test_x, tests.hostile.test_y) or of conftest, anywhere under tests/."""
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
                if node.level:  # `from . import test_x` / `from .test_x import y`
                    modules = [f".{node.module}" if node.module else f".{a.name}" for a in node.names]
                modules += [f"{node.module}.{a.name}" for a in node.names if node.module]  # from tests import test_x
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            else:
                continue
            for module in modules:
                if module.startswith(("tests", ".")) and _is_test_module(module):
                    found.append(f"{path.relative_to(root)}:{node.lineno} imports {module}")
    return found


def test_no_fixture_is_defined_twice() -> None:
    twice = {name: where for name, where in fixture_definitions(SOURCES).items() if len(where) > 1}
    assert not twice, f"fixtures defined more than once (define them once, in tests/conftest.py): {twice}"


def test_no_test_module_imports_another() -> None:
    found = forbidden_imports(SOURCES)
    assert not found, f"import shared helpers from tests/support/, not from test modules or conftest: {found}"


def test_the_checks_see_what_they_look_for(tmp_path: Path) -> None:
    """Both checks catch the shapes they forbid (else passing above would prove nothing)."""
    one, two = tmp_path / "test_one.py", tmp_path / "test_two.py"
    one.write_text("import pytest\n\n@pytest.fixture\ndef acme():\n    return 1\n")
    two.write_text(
        "import pytest\nfrom tests.test_one import x\nfrom tests import test_three\nimport tests.conftest\n"
        "from .test_four import y\n\n@pytest.fixture(scope='session')\nasync def acme():\n    return 2\n"
    )
    assert fixture_definitions([one, two], tmp_path)["acme"] == ["test_one.py:4", "test_two.py:8"]
    imported = " ".join(forbidden_imports([one, two], tmp_path))
    for module in ("tests.test_one", "tests.test_three", "tests.conftest", ".test_four"):
        assert f"imports {module}" in imported, imported
    assert not forbidden_imports([one])
    # and the real fixture layer is read: its fixtures are found where they are defined
    assert {"acme", "offers", "live", "gw", "database_url", "db_session", "caller_for"} <= set(
        fixture_definitions([TESTS / "conftest.py"])
    )
