"""Deploying: the Docker image's own command runs, and nothing phones home."""

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
import urllib.request

from browser import free_port, wait_until_healthy
from conftest import REPO, small_dataset

DOCKERFILE = (REPO / "Dockerfile").read_text()


def instruction(name: str) -> str:
    match = re.search(rf"^{name} (.+?)(?<!\\)$", DOCKERFILE, re.MULTILINE | re.DOTALL)
    assert match, f"no {name} in the Dockerfile"
    return match.group(1)


def test_the_image_is_slim_runs_as_a_user_and_checks_health():
    assert re.match(r"python:3\.\d+-slim", instruction("FROM"))
    assert instruction("USER") not in ("root", "0")
    assert "/_stcore/health" in DOCKERFILE.split("HEALTHCHECK", 1)[1]
    assert "GEODATA_DIR=/data" in DOCKERFILE and 'VOLUME ["/data"]' in DOCKERFILE
    assert "python -m layers.assets" in DOCKERFILE  # Leaflet and jQuery are in the image


def test_the_images_command_starts_a_healthy_dashboard(tmp_path):
    command = json.loads(instruction("CMD"))
    port = free_port()
    # The image's command, with the port and address a test can use on this machine.
    command = [
        sys.executable,
        "-m",
        *command,
        f"--server.port={port}",
        "--server.address=127.0.0.1",
    ]
    env = {**os.environ, "GEODATA_DIR": str(small_dataset(tmp_path / "data"))}
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, process)
        with urllib.request.urlopen(f"{url}/app/static/vendor/leaflet/leaflet.js") as response:
            assert response.headers["content-type"].startswith(
                ("application/javascript", "text/javascript")
            )
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_streamlit_config_serves_static_files_and_sends_no_usage_statistics():
    config = tomllib.loads((REPO / ".streamlit/config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert config["browser"]["gatherUsageStats"] is False


def test_requirements_are_pinned_and_at_the_top_level():
    lines = [
        line.split("#")[0].strip()
        for line in (REPO / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    # An exact pin each, extras allowed (psycopg[binary]: the wheel with libpq inside).
    assert lines and all(
        re.fullmatch(r"[A-Za-z0-9_.\-]+(\[[A-Za-z0-9_,\-]+\])?==[0-9][0-9A-Za-z.]*", line)
        for line in lines
    )


def test_the_image_holds_every_package_of_the_repository_the_script_imports():
    script = ast.parse((REPO / "dashboard.py").read_text())
    packages = {
        node.module.split(".")[0]
        for node in ast.walk(script)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    local = sorted(name for name in packages if (REPO / name / "__init__.py").is_file())
    assert local == ["dashboard_ui", "layers"]
    for name in local:
        assert f"COPY {name}/ {name}/" in DOCKERFILE, name


def test_the_app_has_no_absolute_paths():
    modules = [
        *sorted((REPO / "layers").rglob("*.py")),
        *sorted((REPO / "dashboard_ui").glob("*.py")),
    ]
    for path in [REPO / "dashboard.py", *modules]:
        assert not re.search(r"[\"'](/work|/home|/root|/tmp)/", path.read_text()), path.name


def test_the_image_keeps_its_cache_where_it_can_write_and_never_copies_one_in():
    cache = re.search(r"GEODATA_CACHE_DIR=(\S+)", DOCKERFILE).group(1)
    assert cache.startswith("/home/analyst/")  # the image's user's, while /data may be read-only
    assert "useradd --create-home --uid 10001 analyst" in DOCKERFILE
    assert "**/.cache" in (REPO / ".dockerignore").read_text().splitlines()


def test_make_run_serves_on_the_port_the_readme_says_to_choose():
    # The README tells a user whose 8501 is taken to run `make run PORT=8600`.
    assert "make run PORT=8600" in (REPO / "README.md").read_text()
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=8600"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    # `maritime run --port` passes it to streamlit (tests/test_offline_start.py serves on it).
    assert ".venv/bin/maritime run --port 8600" in planned
