"""Debian's nginx in front of dashboard processes, with the repository's deploy/nginx.conf.template.

Shared by tests/test_nginx.py and bench/load_server.py. nginx runs in the foreground from a
directory of its own (deploy/nginx.py's standalone_config) on a free loopback port.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from browser import free_port, stop  # noqa: E402

from deploy.nginx import render_site, standalone_config  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# One line of the `dashboard` log format: the request, its status, the process that answered
# and the browser's route id.
LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+)[^"]*" (?P<status>\d+) .*'
    r"upstream=(?P<upstream>\S+) route=(?P<route>\S+)"
)


@dataclass
class Proxy:
    url: str
    process: subprocess.Popen
    run_dir: Path
    redirect_url: str | None = None  # with TLS: the plain-HTTP server that redirects to url

    @property
    def access_log(self) -> Path:
        return self.run_dir / "access.log"

    def requests(self) -> list[dict]:
        """The requests logged so far: method, path, status, upstream, route."""
        if not self.access_log.exists():
            return []
        lines = self.access_log.read_text().splitlines()
        return [match.groupdict() for match in map(LOG_LINE.search, lines) if match]

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers (user + system, Linux /proc)."""
        pids = [self.process.pid, *children(self.process.pid)]
        return sum(cpu_seconds(pid) or 0.0 for pid in pids)


def cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used so far (user + system), or None once it has exited."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def write_config(run_dir: Path, listen: str, servers: list[str], **site_options) -> Path:
    """Render the site (`site_options` as render_site takes them: tls_cert, tls_key,
    redirect_from, upload_mb) and the standalone nginx.conf into run_dir; return the
    nginx.conf."""
    site = run_dir / "dashboard.conf"
    site.write_text(render_site(listen, servers, str(run_dir / "access.log"), **site_options))
    config = run_dir / "nginx.conf"
    config.write_text(standalone_config(run_dir, site))
    return config


@contextmanager
def nginx_proxy(servers: list[str], timeout: float = 15, **site_options):
    """nginx on 127.0.0.1:<free port> in front of `servers` ("host:port"); yield the Proxy.

    `site_options` go to render_site. With tls_cert and tls_key the Proxy's url is https://
    and its redirect_url the plain-HTTP port that redirects to it (a free port too)."""
    run_dir = Path(tempfile.mkdtemp(prefix="dashboard-nginx-"))
    port = free_port()
    tls = bool(site_options.get("tls_cert"))
    redirect_url = None
    if tls and "redirect_from" not in site_options:
        redirect_port = free_port()
        site_options["redirect_from"] = f"127.0.0.1:{redirect_port}"
        redirect_url = f"http://127.0.0.1:{redirect_port}"
    config = write_config(run_dir, f"127.0.0.1:{port}", servers, **site_options)
    process = subprocess.Popen(
        [NGINX, "-p", str(run_dir), "-c", str(config), "-e", str(run_dir / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process, run_dir, timeout)
        scheme = "https" if tls else "http"
        yield Proxy(f"{scheme}://127.0.0.1:{port}", process, run_dir, redirect_url)
    finally:
        stop(process)
        shutil.rmtree(run_dir, ignore_errors=True)


def wait_for_port(port: int, process: subprocess.Popen, run_dir: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = run_dir / "error.log"
            said = process.stderr.read().decode(errors="replace") if process.stderr else ""
            said += log.read_text() if log.exists() else ""
            raise RuntimeError(f"nginx exited with {process.returncode}:\n{said}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nginx did not listen on 127.0.0.1:{port} within {timeout} s")
