"""The README's set-up commands work verbatim on a fresh clone, and the lock they install agrees with pyproject.

The slow test clones the committed HEAD (uncommitted changes are not in it), makes the venv with the `python3`
on PATH as the README does, and runs the install part of both commands as written: it needs git and the
package index. The other tests read files only (docs/dependencies.md says how to refresh the lock).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK_REFRESH = "run `UV=.venv/bin/uv scripts/lock` after `.venv/bin/pip install uv` (docs/dependencies.md)"


def _readme_commands():
    spec = importlib.util.spec_from_file_location("readme_commands", ROOT / ".ci" / "readme_commands.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


readme_commands = _readme_commands()


def _pins(path: Path) -> dict[str, tuple[str, int]]:
    """{name: (version, number of hashes)} of a pip requirements file written by scripts/lock."""
    pins: dict[str, tuple[str, int]] = {}
    for entry in re.split(r"\n(?=\S)", path.read_text(encoding="utf-8")):
        if entry.startswith("#") or not entry.strip():
            continue
        requirement = Requirement(entry.split("\n", 1)[0].rstrip(" \\"))
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"{path.name}: {requirement} is not pinned"
        pins[canonicalize_name(requirement.name)] = (spec.version, entry.count("--hash=sha256:"))
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _uv_lock() -> dict:
    return tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))


def _requirement_key(name: str, extras, specifier: str, marker: str | None) -> tuple:
    return canonicalize_name(name), frozenset(extras or ()), SpecifierSet(specifier or ""), marker or None


def test_readme_set_up_commands_install_the_lock():
    commands = readme_commands.setup_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    for name, export in (("serve", "requirements/main.txt"), ("test", "requirements/test.txt")):
        install = readme_commands.install_part(commands[name], name)
        assert install.startswith("python3 -m venv .venv && "), install
        assert f"pip install --require-hashes -r {export} && " in install, install
        assert install.endswith(" && .venv/bin/pip install --no-deps -e ."), install


def test_readme_commands_parser_refuses_another_shape():
    section = "## Set up\n\n```bash\npython3 -m venv .venv && .venv/bin/pytest\n```\n\n## Next\n"
    with pytest.raises(ValueError, match="exactly two"):
        readme_commands.setup_commands(section)
    two_lines = "```bash\na && .venv/bin/commerce-gateway serve --demo\nb\n```\n"
    with pytest.raises(ValueError, match="one line"):
        readme_commands.setup_commands("## Set up\n" + two_lines + "```bash\nc && .venv/bin/pytest\n```\n")


def test_lock_was_made_from_pyproject_requirements():
    """uv.lock records the requirements it resolved: they must be pyproject.toml's (`uv lock --check`, offline)."""
    project = _pyproject()["project"]
    declared = {
        _requirement_key(r.name, r.extras, str(r.specifier), str(r.marker) if r.marker else None)
        for r in map(Requirement, project["dependencies"])
    }
    for extra, requirements in project["optional-dependencies"].items():
        for r in map(Requirement, requirements):
            assert r.marker is None, f"compare {r} by hand: the test reads extras without markers only"
            declared.add(_requirement_key(r.name, r.extras, str(r.specifier), f'extra == "{extra}"'))
    (gateway,) = (p for p in _uv_lock()["package"] if p["name"] == project["name"])
    locked = set()
    for r in gateway["metadata"]["requires-dist"]:
        marker = r.get("marker")
        locked.add(
            _requirement_key(
                r["name"],
                r.get("extras"),
                r.get("specifier", ""),
                str(Requirement(f"x; {marker}").marker) if marker else None,
            )
        )
    assert declared == locked, f"pyproject.toml changed since uv.lock was made: {LOCK_REFRESH}"


def test_exports_are_uv_lock_with_hashes():
    locked = {canonicalize_name(p["name"]): p["version"] for p in _uv_lock()["package"]}
    main, test = _pins(ROOT / "requirements" / "main.txt"), _pins(ROOT / "requirements" / "test.txt")
    assert set(main) <= set(test)
    for name, (version, hashes) in test.items():
        assert locked.get(name) == version, f"requirements/test.txt {name}=={version} is not uv.lock's: {LOCK_REFRESH}"
        assert hashes >= 1, name
        assert main.get(name, (version, hashes)) == (version, hashes), name
    project = _pyproject()["project"]
    for export, requirements in (
        (main, project["dependencies"]),
        (test, project["dependencies"] + project["optional-dependencies"]["test"]),
    ):
        for r in map(Requirement, requirements):
            if r.marker is not None and not r.marker.evaluate():
                continue
            name = canonicalize_name(r.name)
            assert name in export, f"{r.name} is not in the lock: {LOCK_REFRESH}"
            assert r.specifier.contains(export[name][0], prereleases=True), (
                f"locked {r.name}=={export[name][0]} is outside {r}: {LOCK_REFRESH}"
            )


def _run(command: list[str] | str, cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    result = subprocess.run(
        command,
        cwd=cwd,
        shell=isinstance(command, str),
        executable=shutil.which("bash") if isinstance(command, str) else None,  # the README's lines are bash
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_clean_env(),
    )
    assert result.returncode == 0, f"{command}\nexit {result.returncode}\n{(result.stdout + result.stderr)[-4000:]}"
    return result


def _clean_env() -> dict[str, str]:
    """This process's environment without what ties it to the running venv (a new user has neither)."""
    venv_bin = str(Path(sys.prefix) / "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


@pytest.mark.slow
def test_readme_commands_install_on_a_fresh_clone(tmp_path):
    git = shutil.which("git")
    missing = [
        what
        for what, ok in (
            ("git", git),
            ("a git checkout", (ROOT / ".git").exists()),
            ("python3", shutil.which("python3", path=_clean_env()["PATH"])),
        )
        if not ok
    ]
    if missing:
        if os.environ.get("GATEWAY_TEST_REQUIRE_TOOLS") == "1":
            pytest.fail(f"missing {', '.join(missing)}")
        pytest.skip(f"missing {', '.join(missing)}")
    clone = tmp_path / "clone"
    _run([git, "clone", "--quiet", str(ROOT), str(clone)], tmp_path, 120)
    commands = readme_commands.setup_commands((clone / "README.md").read_text(encoding="utf-8"))

    # As a new user: the serve command's install, on a clone without a venv, with the pip `python3 -m venv` ships.
    assert not (clone / ".venv").exists()
    _run(readme_commands.install_part(commands["serve"], "serve"), clone, 900)
    sdl = _run([str(clone / ".venv/bin/commerce-gateway"), "export-schema"], clone, 120).stdout
    assert sdl.strip() == (clone / "schema.graphql").read_text(encoding="utf-8").strip()
    _run([str(clone / ".venv/bin/python"), "-m", "pip", "check"], clone, 120)

    # Then the test command's install in the same clone, as the README reads on.
    _run(readme_commands.install_part(commands["test"], "test"), clone, 900)
    locked = _pins(clone / "requirements" / "test.txt")
    pytest_version = _run([str(clone / ".venv/bin/pytest"), "--version"], clone, 120)
    assert f"pytest {locked['pytest'][0]}" in pytest_version.stdout + pytest_version.stderr
    assert _run([str(clone / ".venv/bin/ruff"), "--version"], clone, 120).stdout.split() == ["ruff", locked["ruff"][0]]
    _run([str(clone / ".venv/bin/python"), "-m", "pip", "check"], clone, 120)
