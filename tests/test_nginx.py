"""nginx in front of several dashboard processes (deploy/nginx.conf.template), run for real."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from conftest import REPO
from proxy import NGINX, nginx_proxy, write_config

from deploy.nginx import render_site

UPLOAD_BYTES = 5 * 1024 * 1024  # a spreadsheet an analyst uploads; nginx's default limit is 1 MB


class Backend(BaseHTTPRequestHandler):
    """A stand-in for one dashboard process: answers with its name and what reached it."""

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        received = len(self.rfile.read(length)) if length else 0
        body = json.dumps(
            {
                "process": self.server.name,
                "host": self.headers.get("Host"),
                "upgrade": self.headers.get("Upgrade"),
                "connection": self.headers.get("Connection"),
                "received": received,
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = answer

    def log_message(self, *args) -> None:  # quiet
        pass


@contextmanager
def backends(count: int):
    servers = []
    for number in range(count):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Backend)
        server.name = f"process {number + 1}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        yield [f"127.0.0.1:{server.server_address[1]}" for server in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def request(url: str, path="/", method="GET", headers=None, body=None):
    """One request as a browser makes it; returns (the JSON answer, the response's headers)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        assert response.status == 200, (response.status, response.read()[:200])
        return json.loads(response.read()), response.headers
    finally:
        connection.close()


def route_cookie(headers) -> str | None:
    cookie = headers.get("Set-Cookie")
    return cookie.split(";", 1)[0] if cookie else None


@pytest.fixture(scope="module")
def proxy():
    with backends(2) as servers, nginx_proxy(servers) as running:
        yield running


def test_the_rendered_configuration_passes_nginx_own_check(tmp_path):
    # As a team renders it for Debian's nginx, then included by a whole nginx.conf.
    rendered = subprocess.run(
        [sys.executable, str(REPO / "deploy/nginx.py"), "--listen", "127.0.0.1:8080"]
        + ["--server", "127.0.0.1:8501", "--server", "127.0.0.1:8502"]
        + ["--access-log", str(tmp_path / "access.log")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert rendered == render_site(
        "127.0.0.1:8080", ["127.0.0.1:8501", "127.0.0.1:8502"], str(tmp_path / "access.log")
    )
    assert "${" not in rendered
    config = write_config(tmp_path, "127.0.0.1:8080", ["127.0.0.1:8501", "127.0.0.1:8502"])
    check = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(config), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert "syntax is ok" in check.stderr and "test is successful" in check.stderr


def test_a_browser_keeps_its_process_and_browsers_from_one_address_spread(proxy):
    # A new browser is given a route; every request it then makes reaches the same process.
    first, headers = request(proxy.url)
    cookie = route_cookie(headers)
    assert cookie and cookie.startswith("dashboard_route=")
    again = {
        request(proxy.url, path, headers={"Cookie": cookie})[0]["process"]
        for path in ["/", "/_stcore/health", "/_stcore/stream", "/app/static/x.js"] * 3
    }
    assert again == {first["process"]}
    # The route is given once: a browser that has one is not given another.
    assert route_cookie(request(proxy.url, headers={"Cookie": cookie})[1]) is None
    # A hundred browsers, all on 127.0.0.1 (as an office behind one NAT): both processes serve
    # a fair share, where a hash of the client address would send them all to one.
    shares = Counter(request(proxy.url)[0]["process"] for _ in range(100))
    assert set(shares) == {"process 1", "process 2"}
    assert min(shares.values()) >= 20, shares


def test_host_upgrades_and_uploads_reach_the_process_as_sent(proxy):
    host = urlsplit(proxy.url).netloc
    handshake, _ = request(
        proxy.url,
        "/_stcore/stream",
        headers={"Upgrade": "websocket", "Connection": "Upgrade", "Origin": proxy.url},
    )
    # Host as the browser sent it, port included, so Streamlit sees Origin == Host and makes
    # no outside lookups; the websocket upgrade is passed on.
    assert handshake["host"] == host
    assert handshake["upgrade"] == "websocket"
    assert handshake["connection"].lower() == "upgrade"
    # A plain request does not ask the process to upgrade.
    plain, _ = request(proxy.url)
    assert plain["host"] == host and plain["upgrade"] is None
    assert (plain["connection"] or "").lower() != "upgrade"
    # An upload of several MB gets through (Streamlit itself allows 20 MB).
    upload, _ = request(
        proxy.url, "/_stcore/upload_file/s/f", method="PUT", body=b"x" * UPLOAD_BYTES
    )
    assert upload["received"] == UPLOAD_BYTES


def test_plain_http_sends_the_security_headers_but_no_hsts_and_no_version(proxy):
    # Without a certificate (a trusted network, or TLS ended by another proxy): the same
    # headers on every answer, but Strict-Transport-Security, which only https may send.
    for path in ["/", "/_stcore/health", "/app/static/x.js"]:
        _, headers = request(proxy.url, path)
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Server"] == "nginx"
        assert "Strict-Transport-Security" not in headers
    # The route cookie is not marked Secure over plain HTTP (the browser would drop it).
    assert "Secure" not in request(proxy.url)[1]["Set-Cookie"]
