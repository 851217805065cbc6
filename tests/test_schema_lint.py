"""graphql-schema-linter over the checked-in schema.graphql: zero findings on the rules kept in
tests/js/.graphql-schema-linterrc; every rule of the installed linter is either kept there or turned off with its
reason in docs/clients.md ("Schema linter"), so a rule added by a linter upgrade cannot go unnoticed.

Node.js is needed like in tests/test_clients.py: skipped without it, failing in CI (GATEWAY_TEST_REQUIRE_TOOLS=1).
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.support.node import JS, ROOT, npm_project, say

# Node.js tools: kept on one xdist worker, so their projects are installed and built once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("node")]

LINTER = ["node_modules/.bin/graphql-schema-linter", "--config-directory", ".", "--format", "json"]


def _lint(stdin: str | None = None) -> tuple[int, list[dict]]:
    """Run the linter in tests/js with its config: on the config's schemaPaths, or on `stdin` when given."""
    cmd = LINTER + (["--stdin"] if stdin is not None else [])
    run = subprocess.run(cmd, cwd=JS, input=stdin, capture_output=True, text=True, timeout=300, check=False)
    assert run.stdout.startswith("{"), f"no JSON report (exit {run.returncode}):\n{run.stdout}\n{run.stderr}"
    return run.returncode, json.loads(run.stdout)["errors"]


def _rules() -> tuple[list[str], set[str]]:
    """The rules kept in the config, and every built-in rule of the installed linter."""
    kept = json.loads((JS / ".graphql-schema-linterrc").read_text())["rules"]
    builtin = npm_project(JS) / "graphql-schema-linter" / "lib" / "rules"
    return kept, {p.stem.replace("_", "-") for p in builtin.glob("*.js")}


def _documented_off() -> set[str]:
    """Rules listed as turned off in the docs' "Schema linter" section (a table whose first cell is the rule)."""
    section = (ROOT / "docs" / "clients.md").read_text().split("## Schema linter", 1)
    assert len(section) == 2, 'docs/clients.md has no "## Schema linter" section'
    body = section[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z-]+)` \| \S", body, flags=re.MULTILINE))


def test_schema_lint_zero_findings(capsys: pytest.CaptureFixture) -> None:
    kept, builtin = _rules()
    off = builtin - set(kept)
    assert set(kept) <= builtin, f"unknown rules in the config: {sorted(set(kept) - builtin)}"
    assert off == _documented_off(), (
        f"rules turned off {sorted(off)} must each have a row with the reason in docs/clients.md, and only them"
    )
    code, findings = _lint()
    report = "\n".join(f"{f['rule']}: {f['message']} (line {f['location']['line']})" for f in findings)
    assert not findings, f"{len(findings)} schema lint findings:\n{report}"
    assert code == 0
    version = json.loads((JS / "node_modules" / "graphql-schema-linter" / "package.json").read_text())["version"]
    say(
        capsys,
        f"schema linter (graphql-schema-linter {version}): {len(kept)} rules kept, {len(off)} off "
        f"({', '.join(sorted(off))}), {len(findings)} findings",
    )


def test_schema_lint_config_reports_findings() -> None:
    """The same command and config do report findings on an undocumented schema (the run above is not vacuous)."""
    _rules()  # installs the linter when needed
    code, findings = _lint("type Query { a: String }\n")
    assert code != 0
    assert {"types-have-descriptions", "fields-have-descriptions"} <= {f["rule"] for f in findings}
