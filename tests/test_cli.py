"""The one command, `maritime` (layers/cli.py), as installed by `pip install -e .`, and its
reference docs/cli.md, generated from its --help by tools/cli_reference.py."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, collection, event, small_dataset, write_geodata

# The console script pip writes beside this Python (a venv's bin/), as an analyst runs it.
MARITIME = Path(sys.executable).parent / "maritime"


def load_reference():
    spec = importlib.util.spec_from_file_location("cli_reference", REPO / "tools/cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def environment() -> dict[str, str]:
    # This checkout's layers/ first: the editable install may point at another checkout of it.
    path = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path)}


def run(command: list, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment(),
        timeout=120,
    )


@pytest.fixture(scope="module")
def maritime() -> Path:
    if not MARITIME.is_file():
        pytest.fail(f"{MARITIME} is missing: install the checkout with `pip install -e .`")
    return MARITIME


def test_docs_cli_md_is_what_the_help_says_now():
    """docs/cli.md cannot drift from the commands: any change to a command's help must come
    with the page regenerated (`python tools/cli_reference.py`)."""
    page = REPO / "docs" / "cli.md"
    assert page.exists(), "docs/cli.md is missing: run python tools/cli_reference.py"
    assert page.read_text(encoding="utf-8") == load_reference().generate(), (
        "docs/cli.md is stale: run python tools/cli_reference.py (argparse's layout may also "
        f"differ between Python versions; this is {sys.version.split()[0]}, make's is python3)"
    )


def test_the_reference_holds_every_command_and_their_examples():
    page = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for title in ["maritime", "maritime run", "maritime validate", "maritime convert"]:
        assert f"## `{title}`" in page
    for title in ["maritime navwarn watch", "maritime db import", "maritime db grant-app"]:
        assert f"## `{title}`" in page
    assert "usage: maritime db import [-h] [--if-empty] [--replace] directory" in page
    assert "  maritime validate path/to/data" in page  # an example, under the command's name


@pytest.mark.parametrize(
    "words", load_reference().pages(), ids=lambda words: " ".join(words) or "maritime"
)
def test_each_commands_help_exits_0_with_what_it_does_and_an_example(maritime, words):
    result = run([maritime, *words, "--help"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: {' '.join(['maritime', *words])} ")
    paragraphs = result.stdout.split("\n\n")
    what_it_does = paragraphs[1]  # the sentence after the usage line
    assert what_it_does[0].isupper() and not what_it_does.startswith(("positional", "options"))
    examples = paragraphs[-1]  # last: how to run it, under the name it was called by
    assert examples.startswith("example")
    assert re.search(re.escape(" ".join(["maritime", *words])) + r"(\s|$)", examples)


def test_maritime_validate_is_python_m_layers_validate_on_clean_data(maritime):
    by_script = run([maritime, "validate", "geodata"])
    by_module = run([sys.executable, "-m", "layers.validate", "geodata"])
    assert by_script.returncode == by_module.returncode == 0
    assert (by_script.stdout, by_script.stderr) == (by_module.stdout, by_module.stderr)
    assert by_script.stdout.startswith("OK: ")


def test_maritime_validate_is_python_m_layers_validate_on_broken_data(maritime, tmp_path):
    root = write_geodata(
        tmp_path,
        {
            "truncated.geojson": json.dumps(collection(event("fine")))[:40],
            "mixed.geojson": collection(event("valid-one"), event("bad-date", start="2024-13-01")),
        },
    )
    # From another folder, as an analyst runs it: the directory is the one named.
    by_script = run([maritime, "validate", root], cwd=tmp_path)
    by_module = run([sys.executable, "-m", "layers.validate", root])
    assert by_script.returncode == by_module.returncode == 1
    assert (by_script.stdout, by_script.stderr) == (by_module.stdout, by_module.stderr)
    assert "truncated.geojson" in by_script.stdout and '"2024-13-01"' in by_script.stdout


def test_a_commands_errors_name_it_as_typed(maritime, tmp_path):
    result = run([maritime, "convert", small_dataset(tmp_path)])
    assert result.returncode == 2
    assert result.stderr.startswith("usage: maritime convert ")
    assert "the following arguments are required: --mapping, --output" in result.stderr


def test_the_bare_command_lists_the_commands_and_an_unknown_one_is_refused(maritime):
    bare = run([maritime])
    assert bare.returncode == 2
    for name in ["run", "validate", "convert", "navwarn", "db"]:
        assert f"\n    {name} " in bare.stdout
    unknown = run([maritime, "serve"])
    assert unknown.returncode == 2
    assert "invalid choice: 'serve' (choose from 'run', 'validate'" in unknown.stderr


def test_run_says_so_when_the_dashboard_is_not_beside_it(tmp_path):
    """A plain `pip install .` copies layers/ alone, without dashboard.py, static/ or the
    config: one line saying how to install, not a Streamlit error about a missing file."""
    copy = tmp_path / "site-packages"
    shutil.copytree(REPO / "layers", copy / "layers", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from layers.cli import main; sys.exit(main())", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(copy)},
        timeout=60,
    )
    assert result.returncode == 2
    assert "dashboard.py not found" in result.stderr and "pip install -e ." in result.stderr
