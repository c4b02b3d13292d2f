"""The dashboard exposed as docs/teams.md says: Debian's nginx with the rendered template, TLS
with a certificate made here (openssl, self-signed for 127.0.0.1), in front of a dashboard
process started exactly as `make team` starts it. Checked as an operator and an analyst would
notice: the headers on every kind of response, no nginx version, http sent to https, TLS 1.2+
only, the page (map, exports, uploads) working in Chromium with no Content-Security-Policy
violation, a page of another origin unable to frame it, one upload limit held at the same
size by nginx and by Streamlit, no error details and no listening beyond loopback."""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import tomllib
import uuid
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import (
    block_outside_requests,
    free_port,
    launch_chromium,
    listening_addresses,
    map_frame,
    stop,
    wait_for_drawn,
    wait_until_healthy,
)
from conftest import REPO, collection, event, small_dataset
from proxy import nginx_proxy

from deploy.nginx import render_site, upload_limit_mb
from layers.read import upload

SHOTS = Path("/work/shots/i25")
UPLOADER = '.st-key-uploads [data-testid="stFileUploaderDropzoneInput"]'
SMALL_IDS = ["boso", "ccg-senkaku", "strait-transit"]
LOCAL_TLS = ("https://127.0.0.1:", "wss://127.0.0.1:")
SECURITY_HEADERS = [
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
    "strict-transport-security",
]
# Records every CSP violation in every frame (the map's component frame included), as the
# page sees it: the console also says so, but only this names the directive and the URL.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.__cspViolations.push(
  `${e.violatedDirective} ${e.blockedURI} (${document.location.pathname})`));
"""


def limit_mb() -> int:
    return tomllib.loads((REPO / ".streamlit/config.toml").read_text())["server"]["maxUploadSize"]


# --- one limit, read from one place -------------------------------------------------------


def test_nginx_streamlit_and_the_upload_reader_take_the_one_upload_limit(tmp_path):
    mb = limit_mb()
    site = render_site(None, ["127.0.0.1:8501"])
    assert re.findall(r"client_max_body_size (\S+);", site) == [f"{mb}m"]
    assert upload_limit_mb() == upload.configured_upload_mb() == mb
    assert mb * 1024 * 1024 == upload.MAX_UPLOAD_BYTES  # Streamlit's MB are MiB
    # Another value in the file is followed by both readers, as an operator changes it.
    other = tmp_path / "config.toml"
    other.write_text("[server]\nmaxUploadSize = 7\n")
    rendered = subprocess.run(
        [sys.executable, str(REPO / "deploy/nginx.py"), "--server", "127.0.0.1:8501"]
        + ["--streamlit-config", str(other), "--access-log", "off"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "client_max_body_size 7m;" in rendered
    assert upload.configured_upload_mb(other) == 7
    other.write_text("[server]\nmaxUploadSize = '20'\n")
    with pytest.raises(ValueError, match="maxUploadSize"):
        upload.configured_upload_mb(other)


# --- the deployment, running --------------------------------------------------------------


def team_streamlit_options() -> list[str]:
    """The options `make team` gives `streamlit run dashboard.py`, but the port."""
    planned = subprocess.run(
        ["make", "-n", "team", "EVENTS_DB=postgresql://owner@db/events"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in planned.splitlines() if "streamlit run dashboard.py" in line)
    words = shlex.split(line)
    options = words[words.index("dashboard.py") + 1 :]
    port = options.index("--server.port")
    return options[:port] + options[port + 2 :]


@contextmanager
def deployed_streamlit(script: Path, data: Path, options: list[str], env: dict | None = None):
    """`streamlit run script` on a free port with `options`; yields (url, port)."""
    port = free_port()
    environment = {**os.environ, "GEODATA_DIR": str(data), "MALLOC_ARENA_MAX": "2", **(env or {})}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
            + options,
            cwd=REPO,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", process, log=log)
            yield f"http://127.0.0.1:{port}", port
        finally:
            stop(process)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, as an operator's CA would give."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture(scope="module")
def deployment(certificate, tmp_path_factory):
    """(the dashboard process's URL, the nginx Proxy in front of it with TLS)."""
    data = small_dataset(tmp_path_factory.mktemp("data"))
    options = team_streamlit_options()
    with deployed_streamlit(REPO / "dashboard.py", data, options) as (url, _port):
        cert, key = certificate
        with nginx_proxy([urlsplit(url).netloc], tls_cert=str(cert), tls_key=str(key)) as proxy:
            yield url, proxy


def https(proxy, certificate, method="GET", path="/", body=None, headers=None):
    """One request to nginx over TLS, trusting only the test's certificate; returns
    (status, headers as a lowercase dict, body bytes)."""
    context = ssl.create_default_context(cafile=str(certificate[0]))
    parts = urlsplit(proxy.url)
    connection = http.client.HTTPSConnection(parts.hostname, parts.port, context=context)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def assert_security_headers(headers: dict, tls: bool = True) -> None:
    policy = headers["content-security-policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["connect-src"] == ["'self'"]  # nothing but this origin, ever
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in ("same-origin", "no-referrer")
    assert headers["x-frame-options"] == "SAMEORIGIN"
    if tls:
        assert int(re.search(r"max-age=(\d+)", headers["strict-transport-security"])[1]) >= (
            180 * 24 * 3600
        )
    else:
        assert "strict-transport-security" not in headers
    assert headers["server"] == "nginx"  # no version


def test_every_kind_of_response_has_the_headers_and_no_nginx_version(deployment, certificate):
    _, proxy = deployment
    paths = {
        "/": 200,  # Streamlit's page
        "/app/static/vendor/leaflet/leaflet.js": 200,  # the map's scripts
        "/_stcore/health": 200,
        # The map's frame (404 until a session has drawn a map: Streamlit registers the
        # component then; nginx's headers are the same either way).
        "/component/streamlit_folium.st_folium/index.html": None,
        "/no-such-page/../..%2f": 400,  # nginx's own error page
    }
    for path, expected in paths.items():
        status, headers, body = https(proxy, certificate, path=path)
        assert expected in (status, None), (path, status)
        assert_security_headers(headers)
        assert b"nginx/" not in body
    # Over https the route cookie is sent back over https only.
    assert "; Secure" in https(proxy, certificate)[1]["set-cookie"]
    # The map's frame alone may use eval (streamlit_folium runs the map's script with it).
    page_policy = https(proxy, certificate)[1]["content-security-policy"]
    frame_policy = https(
        proxy, certificate, path="/component/streamlit_folium.st_folium/index.html"
    )[1]["content-security-policy"]
    assert "'unsafe-eval'" not in page_policy and "'unsafe-eval'" in frame_policy
    # nginx's own answer (a body over the limit) says nothing of its version either.
    status, headers, body = https(
        proxy, certificate, "PUT", "/_stcore/upload_file/s/f", body=b"x" * (limit_mb() << 20 | 1)
    )
    assert status == 413
    assert_security_headers(headers)
    assert b"nginx/" not in body and b"413" in body


# Python deprecates TLS 1.1 too: the client here offers it only to see the server refuse it.
@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")
def test_plain_http_is_sent_to_https_and_old_tls_is_refused(deployment, certificate):
    _, proxy = deployment
    parts = urlsplit(proxy.redirect_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", "/?event=boso&months=2024-05,2024-07")
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == f"{proxy.url}/?event=boso&months=2024-05,2024-07"
    assert_security_headers({k.lower(): v for k, v in response.getheaders()}, tls=False)
    connection.close()
    port = urlsplit(proxy.url).port
    for version, accepted in [("TLSv1_1", False), ("TLSv1_2", True), ("TLSv1_3", True)]:
        context = ssl.create_default_context(cafile=str(certificate[0]))
        context.set_ciphers("DEFAULT:@SECLEVEL=0")  # let this client offer TLS 1.1 at all
        context.minimum_version = context.maximum_version = getattr(ssl.TLSVersion, version)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            if accepted:
                with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    assert tls.version() == version.replace("_", ".")
            else:
                with pytest.raises(ssl.SSLError, match="PROTOCOL_VERSION"):
                    context.wrap_socket(raw, server_hostname="127.0.0.1")


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@contextmanager
def analyst_page(browser):
    """A page that records CSP violations in every frame, page errors and outside requests."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, ignore_https_errors=True, accept_downloads=True
    )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.page_errors = []
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    page.outside_requests = block_outside_requests(page)
    try:
        yield page
    finally:
        context.close()


def outside(page) -> list[str]:
    """Requests that tried to leave the machine (browser.py counts only http:// and ws:// to
    127.0.0.1 as local; here the page is https:// and wss://)."""
    return [url for url in page.outside_requests if not url.startswith(LOCAL_TLS)]


def violations(page) -> list[str]:
    found = []
    for frame in page.frames:
        try:
            found += frame.evaluate("() => window.__cspViolations || []")
        except Exception:  # a frame that went away
            continue
    return found + [text for text in page.console_errors if "Content Security Policy" in text]


@pytest.mark.browser
def test_the_page_works_through_nginx_with_no_csp_violation(deployment, browser, tmp_path):
    _, proxy = deployment
    mb = limit_mb()
    earlier = len(proxy.requests())  # other tests' requests to the same nginx
    with analyst_page(browser) as page:
        page.goto(proxy.url)
        frame = map_frame(page, timeout=60_000)
        wait_for_drawn(frame, SMALL_IDS, timeout=30_000)
        # The largest file the browser lets through (Chromium on Linux counts 1 MB as 10^6
        # bytes, Streamlit's server and nginx as 2^20) reaches the dashboard through nginx.
        largest = tmp_path / "at-the-limit.geojson"
        padding = mb * 1000 * 1000
        feature = event("uploaded-at-limit", geometry={"type": "Point", "coordinates": [135, 20]})
        text = json.dumps(collection(feature))
        largest.write_text(text + " " * (padding - len(text.encode())), encoding="utf-8")
        assert largest.stat().st_size == padding
        page.locator(UPLOADER).set_input_files(str(largest))
        wait_for_drawn(frame, [*SMALL_IDS, "uploaded-at-limit"], timeout=120_000)
        # One byte more: the uploader's own words, before anything is sent.
        over = tmp_path / "over-the-limit.geojson"
        over.write_bytes(largest.read_bytes() + b" ")
        page.locator(UPLOADER).set_input_files(str(over))  # added beside the first
        uploads = page.locator(".st-key-uploads")
        uploads.get_by_text(f"File must be {mb}.0MB or smaller.").wait_for(
            state="attached", timeout=30_000
        )
        assert page.get_by_text("problem", exact=False).count() == 0  # the first still shown
        SHOTS.mkdir(parents=True, exist_ok=True)
        uploads.scroll_into_view_if_needed()
        uploads.get_by_text("over-", exact=False).hover()  # the uploader shows why on hover
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / "deploy-https-upload-refused.png"))
        # The exports, made and downloaded through nginx.
        page.get_by_text("Export view (PNG, PDF)", exact=True).click()
        for label, magic in [("PNG of this view", b"\x89PNG"), ("PDF of this view", b"%PDF")]:
            with page.expect_download(timeout=120_000) as info:
                page.get_by_role("button", name=label).click()
            saved = tmp_path / info.value.suggested_filename
            info.value.save_as(saved)
            assert saved.read_bytes()[:4] == magic, label
        page.screenshot(path=str(SHOTS / "deploy-https-exports.png"))
        # The rest of the page drawn too (the timeline, the table, the analyses).
        page.get_by_text("Timeline", exact=True).scroll_into_view_if_needed()
        page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
        page.wait_for_timeout(2000)
        page.screenshot(path=str(SHOTS / "deploy-https-table.png"))
        assert violations(page) == []
        assert page.page_errors == []
        assert outside(page) == []
    # Every request went through nginx to the process and was answered (none refused by it).
    refused = [r for r in proxy.requests()[earlier:] if r["status"] in ("403", "413")]
    assert refused == []


class Framer(BaseHTTPRequestHandler):
    """A page on another origin (another port) that tries to frame the dashboard."""

    def do_GET(self):
        body = f'<h1>Elsewhere</h1><iframe src="{self.server.target}/"></iframe>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.browser
def test_a_page_of_another_origin_cannot_frame_the_dashboard(deployment, browser):
    _, proxy = deployment
    server = ThreadingHTTPServer(("127.0.0.1", 0), Framer)
    server.target = proxy.url
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with analyst_page(browser) as page:
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            refused = "frame-ancestors 'self'"
            for _ in range(60):  # up to 30 s on a loaded machine
                if any(refused in text for text in page.console_errors):
                    break
                page.wait_for_timeout(500)
            page.wait_for_timeout(2000)  # time for the app to appear, were it let in
            frame = page.frames[1]
            # Chromium refuses to show it: an error page (or none), no Streamlit app in it.
            assert not frame.url.startswith(proxy.url), frame.url
            assert frame.locator('[data-testid="stApp"]').count() == 0
            assert any(refused in text for text in page.console_errors)
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "deploy-framing-refused.png"))
        with analyst_page(browser) as page:  # the dashboard itself still frames its map
            page.goto(proxy.url)
            map_frame(page, timeout=60_000)
    finally:
        server.shutdown()
        server.server_close()


def multipart(total: int) -> tuple[bytes, str]:
    """A multipart upload body of exactly `total` bytes (one file of padding), and its type."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head + b"x" * (total - len(head) - len(tail)) + tail, (
        f"multipart/form-data; boundary={boundary}"
    )


@pytest.mark.browser
def test_a_body_over_the_limit_is_refused_at_the_same_size_by_nginx_and_by_streamlit(
    deployment, browser, certificate
):
    url, proxy = deployment
    with analyst_page(browser) as page:
        # A real session's upload address (only the process holding the session takes one).
        puts = []
        page.on(
            "request",
            lambda request: puts.append(request) if request.method == "PUT" else None,
        )
        page.goto(proxy.url)
        map_frame(page, timeout=60_000)
        small = collection(event("tiny", geometry={"type": "Point", "coordinates": [135, 20]}))
        page.locator(UPLOADER).set_input_files(
            {
                "name": "tiny.geojson",
                "mimeType": "application/json",
                "buffer": json.dumps(small).encode(),
            }
        )
        page.wait_for_function("() => true")
        page.wait_for_timeout(3000)
        assert puts, "the upload was not sent"
        path = urlsplit(puts[0].url).path
        # The browser's own proofs: its cookies (route, XSRF) and XSRF token header.
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
        token = puts[0].headers["x-xsrftoken"]
        limit = limit_mb() * 1024 * 1024
        answers = {}
        for size in (limit, limit + 1):
            body, content_type = multipart(size)
            headers = {"Content-Type": content_type, "Cookie": cookie, "X-Xsrftoken": token}
            via_nginx = https(proxy, certificate, "PUT", path, body=body, headers=headers)[0]
            direct = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port)
            direct.request("PUT", path, body=body, headers=headers)
            answers[size] = (via_nginx, direct.getresponse().status)
            direct.close()
        assert answers[limit][0] == answers[limit][1] and answers[limit][0] < 400
        assert answers[limit + 1] == (413, 413)
        # nginx refused the larger body itself: it never reached the process.
        logged = [r for r in proxy.requests() if r["method"] == "PUT" and r["status"] == "413"]
        assert logged and all(r["upstream"] == "-" for r in logged)


@pytest.mark.browser
def test_a_deployed_process_listens_on_loopback_and_shows_no_error_details(tmp_path, browser):
    failing = tmp_path / "failing.py"
    failing.write_text(
        "raise RuntimeError('password=hunter2 in /srv/dashboard/layers/secret.py')\n"
    )
    data = small_dataset(tmp_path / "data")
    # As `make team` runs it, and as the Docker image does (its environment).
    dockerfile_env = dict(
        re.findall(r"^ENV (STREAMLIT_\w+)=(\S+)$", (REPO / "Dockerfile").read_text(), re.M)
    )
    assert dockerfile_env == {"STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "none"}
    # For every process (config.toml): no developer items in the menu; XSRF checks kept on.
    settings = tomllib.loads((REPO / ".streamlit/config.toml").read_text())
    assert settings["client"]["toolbarMode"] == "viewer"
    assert settings["server"].get("enableXsrfProtection", True) is True
    runs = [
        ("make team", team_streamlit_options(), {}),
        ("the image", ["--server.address", "127.0.0.1"], dockerfile_env),
    ]
    for how, options, env in runs:
        with deployed_streamlit(failing, data, options, env) as (url, port):
            if how == "make team":  # nginx is the only way in
                assert listening_addresses(port) == {"127.0.0.1"}
            with analyst_page(browser) as page:
                page.goto(url)
                page.get_by_text("This app has encountered an error").wait_for(timeout=30_000)
                shown = page.locator('[data-testid="stApp"]').inner_text()
                assert "hunter2" not in shown and "secret.py" not in shown
                assert "Traceback" not in shown and "RuntimeError" not in shown
                if how == "the image":
                    page.screenshot(path=str(SHOTS / "deploy-error-details-hidden.png"))
