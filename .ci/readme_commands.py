#!/usr/bin/env python3
"""The README's two set-up commands, read from its "## Set up" section (CI and tests run them verbatim).

`readme_commands.py README.md serve|test [install]` prints one command, or with `install` the command
without its last step (`serve --demo` / `pytest`), i.e. everything that installs. Exit status 1 when the
section does not hold exactly two one-line ```bash blocks ending in those steps: the README changed shape
and CI must not guess what to run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# The last step of each command; what comes before it (joined by " && ") is the install.
RUN_STEPS = {"serve": ".venv/bin/commerce-gateway serve --demo", "test": ".venv/bin/pytest"}


def setup_commands(readme: str) -> dict[str, str]:
    """{"serve": ..., "test": ...} from the ```bash blocks of the "## Set up" section, in that order."""
    section = re.search(r"^## Set up\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    if section is None:
        raise ValueError('README has no "## Set up" section')
    blocks = re.findall(r"^```bash\n(.*?)^```", section.group(1), re.M | re.S)
    if len(blocks) != 2:
        raise ValueError(f'"## Set up" must hold exactly two ```bash blocks, found {len(blocks)}')
    commands = {}
    for name, block in zip(RUN_STEPS, blocks, strict=True):
        lines = block.strip().splitlines()
        if len(lines) != 1:
            raise ValueError(f"the {name} command must be one line, found {len(lines)}")
        if not lines[0].endswith(" && " + RUN_STEPS[name]):
            raise ValueError(f"the {name} command must end with `&& {RUN_STEPS[name]}`: {lines[0]}")
        commands[name] = lines[0]
    return commands


def install_part(command: str, name: str) -> str:
    """The command without its last (running) step."""
    return command.removesuffix(" && " + RUN_STEPS[name])


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3) or argv[1] not in RUN_STEPS or argv[2:] not in ([], ["install"]):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        command = setup_commands(Path(argv[0]).read_text(encoding="utf-8"))[argv[1]]
    except ValueError as exc:
        print(f"{argv[0]}: {exc}", file=sys.stderr)
        return 1
    print(install_part(command, argv[1]) if argv[2:] else command)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
