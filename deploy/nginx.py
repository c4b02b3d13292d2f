"""nginx in front of several dashboard processes: deploy/nginx.conf.template, filled in.

    python deploy/nginx.py --tls-cert /etc/ssl/dashboard.crt --tls-key /etc/ssl/dashboard.key \
        --server 127.0.0.1:8501 --server 127.0.0.1:8502 > /etc/nginx/conf.d/dashboard.conf

writes the http-level configuration for Debian's nginx (its /etc/nginx/nginx.conf includes
conf.d/*.conf inside `http { }`): https on 443 with the operator's certificate, port 80
redirecting to it, the security headers on every response. Without --tls-cert it serves plain
HTTP on --listen (default 8080): for a machine only its own users reach, or behind another
TLS-terminating proxy. compose.yaml's nginx image runs this same script at each start.
`standalone_config` wraps the site in a whole nginx.conf that runs from one directory without
touching /etc, /run or /var: the load bench and the tests start nginx with it.

Standard library only (Python 3.11+ for tomllib): the nginx image holds Python but not the
dashboard's packages.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "nginx.conf.template"
# The dashboard's Streamlit configuration: server.maxUploadSize there is the one upload limit.
STREAMLIT_CONFIG = HERE.parent / ".streamlit" / "config.toml"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
DEFAULT_ACCESS_LOG = "/var/log/nginx/dashboard.access.log"
# Streamlit's own default when config.toml does not set server.maxUploadSize (MB).
STREAMLIT_DEFAULT_UPLOAD_MB = 200

# Content-Security-Policy: what the dashboard's pages really load, and nothing else. Found by
# loading the page through nginx in Chromium with stricter policies and reading the console
# (tests/test_deploy_security.py keeps it so: the map, the exports and uploads work with no
# violation):
# - default-src 'self': everything is served by the dashboard itself (Streamlit's page and
#   scripts, Leaflet, jQuery and the basemap from /app/static/, the map component's frame
#   from /component/, downloads from /media/); nothing from any other origin, ever.
# - script-src 'unsafe-inline': Streamlit's index.html holds an inline script, and the map
#   folium writes is inline script run in the component's frame.
# - 'wasm-unsafe-eval' (compiling WebAssembly, not running JavaScript from text): Streamlit's
#   protobuf decoder (long.js) makes a tiny WebAssembly module for 64-bit arithmetic; without
#   it, it falls back to plain JavaScript but the browser reports a violation on every page.
# - 'unsafe-eval' only for the map component's frame (/component/…, the template's
#   $dashboard_script_eval): streamlit_folium runs the map's script with eval; Streamlit's
#   own page needs none. (Defence in depth only: the frame is same-origin.)
# - style-src 'unsafe-inline': Streamlit styles its widgets with style elements it writes at
#   run time (emotion) and style attributes; Leaflet positions its tiles with style attributes.
# - img-src/font-src data: blob:: the favicon, icons and fonts written as data: URLs; images
#   made in the page (the PNG export's preview) as blob: URLs.
# - connect-src 'self': the session's websocket (ws:/wss: to the same host and port count as
#   'self', CSP Level 3) and the uploads (PUT /_stcore/upload_file/).
# - frame-src 'self': the map is a same-origin iframe (the st_folium component).
# - frame-ancestors 'self': no page of another origin may frame the dashboard (clickjacking
#   the Save button); the map's frame is framed by the dashboard, the same origin.
# - object-src 'none', base-uri 'self', form-action 'self': nothing the page needs, closed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'$dashboard_script_eval",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
# Sent with every response nginx gives (`always`: its own error pages too).
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # A file is never run as a type other than the one it is served as (an uploaded-then-
    # downloaded CSV read as script).
    "X-Content-Type-Options": "nosniff",
    # Links out of the dashboard (an event's source URL) do not carry the view's URL, which
    # names the filters and the event open.
    "Referrer-Policy": "same-origin",
    # frame-ancestors for browsers too old to read it.
    "X-Frame-Options": "SAMEORIGIN",
}
# Over https only (RFC 6797 §7.2: a browser ignores it over plain HTTP). One year, the usual
# figure (hstspreload.org); not includeSubDomains: other hosts of the domain are not ours.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
# Mozilla's "intermediate" TLS configuration (ssl-config.mozilla.org, version 5.7): TLS 1.2
# and 1.3 only, forward-secret AEAD ciphers for TLS 1.2 (TLS 1.3 has only such ciphers).
TLS_PROTOCOLS = "TLSv1.2 TLSv1.3"
TLS_CIPHERS = (
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
)


def upload_limit_mb(config: Path = STREAMLIT_CONFIG) -> int:
    """Streamlit's server.maxUploadSize in MB as config.toml sets it (Streamlit's default, 200,
    when it does not). Raises ValueError when the file is not TOML or the value is not a
    positive whole number; OSError when it cannot be read."""
    try:
        settings = tomllib.loads(config.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{config}: {error}") from None
    value = settings.get("server", {}).get("maxUploadSize", STREAMLIT_DEFAULT_UPLOAD_MB)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{config}: server.maxUploadSize must be a whole number of MB ≥ 1")
    return value


def _port(listen: str) -> str:
    """The port of a listen value ("8443", "127.0.0.1:8443", "[::1]:8443")."""
    return listen.rsplit(":", 1)[-1]


def _headers(tls: bool) -> str:
    """The add_header lines, one per header."""
    headers = dict(SECURITY_HEADERS)
    if tls:
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return "\n".join(f'add_header {name} "{value}" always;' for name, value in headers.items())


def _indented(text: str, indent: str) -> str:
    """Lines after the first indented by `indent` (the first takes its placeholder's place)."""
    return text.replace("\n", "\n" + indent)


def render_site(
    listen: str | None,
    servers: list[str],
    access_log: str = DEFAULT_ACCESS_LOG,
    *,
    tls_cert: str | None = None,
    tls_key: str | None = None,
    redirect_from: str | None = None,
    upload_mb: int | None = None,
) -> str:
    """The template with its placeholders filled in.

    listen: what the dashboard's server listens on ("8080", "127.0.0.1:8443"); None for the
    default, 443 with TLS and 8080 without. servers: the dashboard processes as "host:port", at
    least one. access_log: a path, or "off". tls_cert, tls_key: the operator's certificate
    (chain) and private key files, PEM, both or neither; with them the server speaks only
    https (TLS 1.2 and 1.3), sends Strict-Transport-Security, and redirect_from (default "80";
    "off" for none) is a plain-HTTP server that answers every request with a redirect to the
    same path over https. upload_mb: the upload limit, by default server.maxUploadSize from
    .streamlit/config.toml (`upload_limit_mb`).
    Raises ValueError when servers is empty, only one of tls_cert/tls_key is given, a redirect
    is asked for without TLS, or the template holds a placeholder not known here.
    """
    if not servers:
        raise ValueError("at least one dashboard process (--server host:port) is needed")
    if bool(tls_cert) != bool(tls_key):
        raise ValueError("TLS needs both the certificate (--tls-cert) and its key (--tls-key)")
    tls = bool(tls_cert)
    if redirect_from not in (None, "off") and not tls:
        raise ValueError("a redirect to https (--http-redirect) needs --tls-cert and --tls-key")
    listen = listen or ("443" if tls else "8080")
    if upload_mb is None:
        upload_mb = upload_limit_mb()
    tls_lines = ""
    redirect = ""
    if tls:
        tls_lines = "\n".join(
            [
                f"ssl_certificate {tls_cert};",
                f"ssl_certificate_key {tls_key};",
                f"ssl_protocols {TLS_PROTOCOLS};",
                f"ssl_ciphers {TLS_CIPHERS};",
                # Mozilla intermediate: every cipher allowed is strong; let the client pick.
                "ssl_prefer_server_ciphers off;",
                "ssl_session_cache shared:dashboard_tls:10m;",
                "ssl_session_timeout 1d;",
                # Tickets would reuse one key for every session until nginx restarts.
                "ssl_session_tickets off;",
            ]
        )
        redirect_from = redirect_from or "80"
        if redirect_from != "off":
            port = _port(listen)
            target = "https://$host" + ("" if port == "443" else f":{port}") + "$request_uri"
            redirect = "\n".join(
                [
                    "# Plain HTTP: nothing but a redirect to the same page over https.",
                    "server {",
                    f"    listen {redirect_from};",
                    f"    access_log {access_log} dashboard;",
                    "    server_tokens off;",
                    "    " + _indented(_headers(tls=False), "    "),
                    f"    return 301 {target};",
                    "}",
                ]
            )
    values = {
        "DASHBOARD_LISTEN": f"listen {listen}{' ssl' if tls else ''} default_server;",
        "DASHBOARD_TLS": tls_lines,
        "DASHBOARD_SERVERS": " ".join(f"server {server};" for server in servers),
        "DASHBOARD_ACCESS_LOG": access_log,
        "DASHBOARD_MAX_BODY": f"{upload_mb}m",
        "DASHBOARD_HEADERS": _headers(tls),
        "DASHBOARD_REDIRECT": redirect,
    }

    def fill(match: re.Match) -> str:
        try:
            value = values[match.group(1)]
        except KeyError:
            raise ValueError(f"{TEMPLATE.name}: unknown placeholder {match.group(0)}") from None
        # A value of several lines keeps the placeholder's indentation on each.
        line_start = match.string.rfind("\n", 0, match.start()) + 1
        return _indented(value, match.string[line_start : match.start()])

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
    parser.add_argument(
        "--listen",
        help="port, or address:port, of the dashboard (default 443 with TLS, else 8080)",
    )
    parser.add_argument(
        "--server",
        action="append",
        required=True,
        help="a dashboard process as host:port; give one --server per process",
    )
    parser.add_argument("--access-log", default=DEFAULT_ACCESS_LOG, help="a path, or off")
    parser.add_argument("--tls-cert", help="the certificate (with its chain), PEM")
    parser.add_argument("--tls-key", help="the certificate's private key, PEM")
    parser.add_argument(
        "--http-redirect",
        help="with TLS: the plain-HTTP port that redirects to https (default 80), or off",
    )
    parser.add_argument(
        "--streamlit-config",
        type=Path,
        default=STREAMLIT_CONFIG,
        help="the dashboard's .streamlit/config.toml, for server.maxUploadSize "
        f"(default {STREAMLIT_CONFIG})",
    )
    args = parser.parse_args()
    try:
        print(
            render_site(
                args.listen,
                args.server,
                args.access_log,
                tls_cert=args.tls_cert,
                tls_key=args.tls_key,
                redirect_from=args.http_redirect,
                upload_mb=upload_limit_mb(args.streamlit_config),
            ),
            end="",
        )
    except (ValueError, OSError) as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()
