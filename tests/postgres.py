"""A throwaway PostgreSQL cluster with PostGIS, for the tests and benchmarks of the shared store.

    with throwaway_cluster() as url:        # postgresql://postgres@127.0.0.1:PORT/postgres
        ...

Debian's `postgresql` and `postgresql-15-postgis-3` packages (`.ci/run` installs them): `initdb`
makes a cluster in a new temporary directory, `pg_ctl` starts it on a free loopback port (and a
Unix socket in that directory only, so it never meets a system cluster), and it is stopped and
removed afterwards. No Docker, no system service.

initdb refuses to run as root, and CI runs as root: there the cluster's files belong to the
`postgres` system user (created by Debian's package) and its commands run as that user through
`runuser`. Authentication is `trust` on loopback: the cluster lives for one test run, holds only
data the tests make, and is reachable from this machine only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Debian installs each major version's server programs here (not on PATH).
DEBIAN_BIN_DIRS = "/usr/lib/postgresql/*/bin"
SERVER_USER = "postgres"  # Debian's postgresql-common creates it
# Settings for a throwaway cluster: nothing it holds needs to survive a crash.
THROWAWAY_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "60",
}
INSTALL_HINT = (
    "PostgreSQL with PostGIS is needed: apt-get install postgresql postgresql-15-postgis-3 "
    "(.ci/run does this)"
)


# The running clusters by URL: what stop_cluster and start_cluster need (pg_ctl, data, log).
_RUNNING: dict[str, dict] = {}


class PostgresMissing(RuntimeError):
    """The PostgreSQL server programs or the PostGIS extension are not installed."""


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's bin directory that has PostGIS beside it.

    Raises PostgresMissing (with the apt-get line to run) when there is none.
    """
    for bin_dir in sorted(Path("/").glob(DEBIAN_BIN_DIRS.lstrip("/")), reverse=True):
        version = bin_dir.parent.name
        extension = Path(f"/usr/share/postgresql/{version}/extension/postgis.control")
        if (bin_dir / "initdb").exists() and extension.exists():
            return bin_dir
    raise PostgresMissing(INSTALL_HINT)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    """The command run as the cluster's owner: ourselves, or `postgres` when we are root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SERVER_USER, "--", *command]


@contextlib.contextmanager
def throwaway_cluster(settings: dict[str, str] | None = None) -> Iterator[str]:
    """A new PostgreSQL cluster running for the duration of the block; yields its URL.

    The URL names the `postgres` database as the superuser `postgres` (trust authentication on
    127.0.0.1). `settings` add to or override THROWAWAY_SETTINGS (e.g. shared_buffers for a
    benchmark). Raises PostgresMissing when the programs are not installed and RuntimeError
    with the server's log when it does not start.
    """
    bin_dir = postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="maritime-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, SERVER_USER, SERVER_USER)
    data, log = root / "data", root / "server.log"
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "initdb"),
                    "--pgdata",
                    str(data),
                    "--username",
                    "postgres",
                    "--auth",
                    "trust",
                    "--encoding",
                    "UTF8",
                    "--locale",
                    "C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        options = {**THROWAWAY_SETTINGS, **(settings or {})}
        port = free_port()
        server_options = " ".join(
            [f"-p {port}", f"-k {root}", *(f"-c {key}={value}" for key, value in options.items())]
        )
        started = subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "pg_ctl"),
                    "--pgdata",
                    str(data),
                    "--log",
                    str(log),
                    "--options",
                    server_options,
                    "--wait",
                    "start",
                ]
            ),
            capture_output=True,
            text=True,
        )
        if started.returncode != 0:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start:\n{started.stderr}\n{server_log}")
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        _RUNNING[url] = {"pg_ctl": bin_dir / "pg_ctl", "data": data, "log": log}
        _RUNNING[url]["options"] = server_options
        try:
            yield url
        finally:
            _RUNNING.pop(url, None)
            subprocess.run(
                _as_server_user(
                    [str(bin_dir / "pg_ctl"), "--pgdata", str(data), "--mode", "immediate", "stop"]
                ),
                capture_output=True,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    # A cluster to try things by hand: prints its URL and runs until Ctrl+C or kill (TERM),
    # then stops the server and removes its files.
    import signal
    import time

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with throwaway_cluster() as url:
        print(url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


def template_database(url: str, name: str = "events_template") -> str:
    """A database on the cluster at `url` with the store's schema (layers.db init), to copy
    for each test; returns its name."""
    import psycopg

    from layers.store.migrations import migrate

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(database_url(url, name), autocommit=True) as connection:
        migrate(connection)
    return name


def database_url(url: str, name: str) -> str:
    """The URL of another database on the same cluster."""
    return url.rsplit("/", 1)[0] + "/" + name


@contextlib.contextmanager
def fresh_database(url: str, template: str) -> Iterator[str]:
    """A new database copied from `template` for the block (dropped after); yields its URL."""
    import uuid

    import psycopg

    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield database_url(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stop_cluster(url: str, mode: str = "fast") -> None:
    """Stop the throwaway cluster at `url` (any database URL on it) as an operator would:
    `pg_ctl stop -m fast` by default (open sessions are ended with "terminating connection due
    to administrator command"); "immediate" is a crash. Waits until it has stopped."""
    cluster = _cluster(url)
    subprocess.run(
        _as_server_user(
            [str(cluster["pg_ctl"]), "--pgdata", str(cluster["data"]), "--mode", mode, "stop"]
        ),
        check=True,
        capture_output=True,
    )


def start_cluster(url: str) -> None:
    """Start again, on the same port and settings, a throwaway cluster stopped by stop_cluster;
    returns once it accepts connections. Raises RuntimeError with the server's log if not."""
    cluster = _cluster(url)
    started = subprocess.run(
        _as_server_user(
            [
                str(cluster["pg_ctl"]),
                "--pgdata",
                str(cluster["data"]),
                "--log",
                str(cluster["log"]),
                "--options",
                cluster["options"],
                "--wait",
                "start",
            ]
        ),
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        raise RuntimeError(f"PostgreSQL did not start again:\n{started.stderr}")


def _cluster(url: str) -> dict:
    base = url.rsplit("/", 1)[0]
    for running, cluster in _RUNNING.items():
        if running.rsplit("/", 1)[0] == base:
            return cluster
    raise KeyError(f"no throwaway cluster runs at {base}")
