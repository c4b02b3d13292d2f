"""A throwaway PostgreSQL cluster with PostGIS, for the tests and benchmarks of the shared store.

    with throwaway_cluster() as url:        # postgresql://postgres@127.0.0.1:PORT/postgres
        ...

Debian's `postgresql` and `postgresql-15-postgis-3` packages (`.ci/run` installs them): `initdb`
makes a cluster in a new temporary directory, `pg_ctl` starts it on a free loopback port (and a
Unix socket in that directory only, so it never meets a system cluster), and it is stopped and
removed afterwards. No Docker, no system service. `throwaway_standby(url)` adds a hot standby
of such a cluster, made with `pg_basebackup -R` as an operator makes one (docs/teams.md), whose
`Server` a test can stop (`pg_ctl stop -m immediate`: a crash) and start again.

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


# The throwaway servers running now, by URL: stop_cluster and start_cluster find them here.
_RUNNING: dict[str, Server] = {}


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


class Server:
    """One PostgreSQL server of a throwaway cluster: its data directory under `root`, its port,
    and how to stop and start it again (a standby killed by a test comes back)."""

    def __init__(self, root: Path, options: dict[str, str]):
        self.root, self.data, self.log = root, root / "data", root / "server.log"
        self.port = free_port()
        self.options = options
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        """Start the server and wait until it accepts connections (a hot standby: once it
        is consistent). Raises RuntimeError with the server's log when it does not."""
        server_options = " ".join(
            [
                f"-p {self.port}",
                f"-k {self.root}",
                *(f"-c {key}={value}" for key, value in self.options.items()),
            ]
        )
        started = subprocess.run(
            _as_server_user(
                [
                    str(postgres_bin() / "pg_ctl"),
                    "--pgdata",
                    str(self.data),
                    "--log",
                    str(self.log),
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
            server_log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start:\n{started.stderr}\n{server_log}")

    def stop(self, mode: str = "immediate") -> None:
        """pg_ctl stop -m `mode`: "immediate" is a crash (no shutdown checkpoint, clients cut)."""
        subprocess.run(
            _as_server_user(
                [str(postgres_bin() / "pg_ctl"), "--pgdata", str(self.data), "--mode", mode, "stop"]
            ),
            capture_output=True,
        )


def _new_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="maritime-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, SERVER_USER, SERVER_USER)
    return root


@contextlib.contextmanager
def throwaway_cluster(settings: dict[str, str] | None = None) -> Iterator[str]:
    """A new PostgreSQL cluster running for the duration of the block; yields its URL.

    The URL names the `postgres` database as the superuser `postgres` (trust authentication on
    127.0.0.1, replication connections included: initdb's default pg_hba.conf, so
    throwaway_standby can copy it). `settings` add to or override THROWAWAY_SETTINGS (e.g.
    shared_buffers for a benchmark). Raises PostgresMissing when the programs are not
    installed and RuntimeError with the server's log when it does not start.
    """
    with throwaway_server(settings) as server:
        yield server.url


@contextlib.contextmanager
def throwaway_server(settings: dict[str, str] | None = None) -> Iterator[Server]:
    """throwaway_cluster, yielding its Server (url, port, stop, start)."""
    bin_dir = postgres_bin()
    root = _new_root()
    server = Server(root, {**THROWAWAY_SETTINGS, **(settings or {})})
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "initdb"),
                    "--pgdata",
                    str(server.data),
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
        server.start()
        _RUNNING[server.url] = server
        try:
            yield server
        finally:
            _RUNNING.pop(server.url, None)
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def throwaway_standby(primary_url: str, settings: dict[str, str] | None = None) -> Iterator[Server]:
    """A hot standby of the throwaway cluster at `primary_url`, streaming from it, for the
    block; yields its Server (its `url` names its `postgres` database, read-only).

    Made as an operator makes one (docs/teams.md): `pg_basebackup -R -X stream` copies the
    primary (wal_level replica and max_wal_senders are PostgreSQL 15's defaults) and writes
    standby.signal and primary_conninfo; the copy starts with hot_standby on. `settings` add to
    THROWAWAY_SETTINGS, as for throwaway_cluster.
    """
    bin_dir = postgres_bin()
    host, port = primary_url.split("@", 1)[1].split("/", 1)[0].split(":")
    root = _new_root()
    server = Server(root, {**THROWAWAY_SETTINGS, "hot_standby": "on", **(settings or {})})
    try:
        copied = subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "pg_basebackup"),
                    "--host",
                    host,
                    "--port",
                    port,
                    "--username",
                    "postgres",
                    "--pgdata",
                    str(server.data),
                    "--write-recovery-conf",
                    "--wal-method",
                    "stream",
                    "--checkpoint",
                    "fast",
                    "--no-sync",
                ]
            ),
            capture_output=True,
            text=True,
        )
        if copied.returncode != 0:
            raise RuntimeError(f"pg_basebackup failed:\n{copied.stderr}")
        server.start()
        try:
            yield server
        finally:
            server.stop()
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
    _cluster(url).stop(mode)


def start_cluster(url: str) -> None:
    """Start again, on the same port and settings, a throwaway cluster stopped by stop_cluster;
    returns once it accepts connections. Raises RuntimeError with the server's log if not."""
    _cluster(url).start()


def _cluster(url: str) -> Server:
    base = url.rsplit("/", 1)[0]
    for running, server in _RUNNING.items():
        if running.rsplit("/", 1)[0] == base:
            return server
    raise KeyError(f"no throwaway cluster runs at {base}")
