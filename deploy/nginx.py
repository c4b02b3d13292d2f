"""nginx in front of several dashboard processes: deploy/nginx.conf.template, filled in.

    python deploy/nginx.py --listen 8080 --server 127.0.0.1:8501 --server 127.0.0.1:8502 \
        > /etc/nginx/conf.d/dashboard.conf

writes the http-level configuration for Debian's nginx (its /etc/nginx/nginx.conf includes
conf.d/*.conf inside `http { }`). The official nginx image fills in the same template itself
(compose.yaml). `standalone_config` wraps it in a whole nginx.conf that runs from one directory
without touching /etc, /run or /var: the load bench and the tests start nginx with it.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
DEFAULT_ACCESS_LOG = "/var/log/nginx/dashboard.access.log"


def render_site(listen: str, servers: list[str], access_log: str = DEFAULT_ACCESS_LOG) -> str:
    """The template with its three placeholders filled in.

    listen: what nginx listens on ("8080", "127.0.0.1:8080"); servers: the dashboard processes
    as "host:port", at least one; access_log: a path, or "off".
    Raises ValueError when servers is empty or the template holds a placeholder not known here
    (envsubst in the official image would leave such a one as it is, and nginx would reject it).
    """
    if not servers:
        raise ValueError("at least one dashboard process (--server host:port) is needed")
    values = {
        "DASHBOARD_LISTEN": listen,
        "DASHBOARD_SERVERS": " ".join(f"server {server};" for server in servers),
        "DASHBOARD_ACCESS_LOG": access_log,
    }

    def fill(match: re.Match) -> str:
        try:
            return values[match.group(1)]
        except KeyError:
            raise ValueError(f"{TEMPLATE.name}: unknown placeholder {match.group(0)}") from None

    return PLACEHOLDER.sub(fill, TEMPLATE.read_text())


def standalone_config(run_dir: Path, site: Path) -> str:
    """A whole nginx.conf that keeps everything in run_dir and includes the site file.

    One worker (the dashboard processes need the cores more than nginx does); in the foreground
    (`daemon off`), so whoever started it can stop it; the pid file, the error log and the
    request-body and proxy buffers in run_dir. Started as root, the worker runs as root's own
    user: the default `nobody` could not write buffers under a private temporary directory.
    """
    lines = []
    if os.geteuid() == 0:
        lines.append(f"user {pwd.getpwuid(0).pw_name};")
    lines += [
        "worker_processes 1;",
        "daemon off;",
        f"pid {run_dir / 'nginx.pid'};",
        f"error_log {run_dir / 'error.log'} warn;",
        "events { worker_connections 1024; }",
        "http {",
        *(
            f"    {kind}_temp_path {run_dir / kind};"
            for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
        ),
        f"    include {site};",
        "}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="8080", help="port, or address:port (default 8080)")
    parser.add_argument(
        "--server",
        action="append",
        required=True,
        help="a dashboard process as host:port; give one --server per process",
    )
    parser.add_argument("--access-log", default=DEFAULT_ACCESS_LOG, help="a path, or off")
    args = parser.parse_args()
    try:
        print(render_site(args.listen, args.server, args.access_log), end="")
    except ValueError as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()
