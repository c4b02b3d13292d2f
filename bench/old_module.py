"""A module as it was before a change, loaded beside today's, for a baseline in the same run.

    module, short = module_before("layers/read/mapping.py", ["-S", "def written_moment"])

The revision is the parent of a commit git log finds with `search` (the oldest, or the newest:
the change that brought the text in or took it out), unless one is given. Nothing is installed:
the file at that revision is written to a temporary folder and imported from there; its own
imports are today's modules.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout


def module_before(path: str, search: list[str], revision: str | None = None, newest: bool = False):
    """(module, short revision) of the file `path` at `revision`, or at the parent of the
    oldest commit `git log <search> -- path` lists (the newest with `newest`); (None, None)
    without git or history."""
    try:
        if revision is None:
            found = _git("log", "--format=%H", *search, "--", path).split()
            revision = f"{found[0 if newest else -1]}^" if found else None
        if revision is None:
            return None, None
        text = _git("show", f"{revision}:{path}")
        short = _git("rev-parse", "--short", revision).strip()
    except (OSError, subprocess.SubprocessError):
        return None, None
    name = "old_" + Path(path).stem
    file = Path(tempfile.mkdtemp()) / f"{name}.py"
    file.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module, short or revision
