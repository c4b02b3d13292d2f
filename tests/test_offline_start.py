"""Starting the dashboard the README's way reaches for nothing outside this machine.

The server runs with a `sitecustomize.py` on its PYTHONPATH that installs an audit hook
(`sys.addaudithook`): every socket connect, send to an address, or name lookup whose host is
not loopback is written to a log and refused, so the test itself never sends anything out.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import free_port, listening_addresses, wait_until_healthy
from conftest import REPO, small_dataset
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

RUN_TIMEOUT_S = 60
SETTLE_S = 3  # after the page is served: anything started in the background shows by now

# Written to a temporary directory put first on the server's PYTHONPATH.
HOOK = '''\
"""Test only: log and refuse every network address outside loopback (see test_offline_start)."""

import ipaddress
import os
import sys

_LOG = os.environ.get("OUTBOUND_LOG")
_LOCAL_NAMES = {"", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_TO_ADDRESS = {"socket.connect", "socket.sendto", "socket.sendmsg"}  # (socket, address)
_LOOKUPS = {
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
}


def _host(value):
    if isinstance(value, tuple) and value:
        value = value[0]
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value if isinstance(value, str) else None


def _outside(host):
    name = host.strip("[]").lower()
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return False
    try:
        ip = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return True  # any other name: looking it up may ask a DNS server
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return not (ip.is_loopback or ip.is_unspecified)


def _hook(event, args):
    if event in _TO_ADDRESS and isinstance(args[1], tuple):  # not an AF_UNIX path
        host = _host(args[1])
    elif event in _LOOKUPS:
        host = _host(args[0])
    else:
        return
    if host is not None and _outside(host):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{event} {host}\\n")
        raise PermissionError(f"test_offline_start: {event} {host} refused")


if _LOG:
    sys.addaudithook(_hook)
'''


def hooked_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose Python interpreters log outside addresses to the returned path."""
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    log = tmp_path / "outbound.log"
    # The repo's config decides, not STREAMLIT_* variables of whoever runs the tests; and no
    # proxy, which would do the look-ups for the server where the hook cannot see them.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("STREAMLIT_") and not key.lower().endswith("_proxy")
    }
    path = [str(hook_dir), *filter(None, [env.get("PYTHONPATH")])]
    env.update(PYTHONPATH=os.pathsep.join(path), OUTBOUND_LOG=str(log), PYTHONUNBUFFERED="1")
    return env, log


def logged(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def run_script_once(url: str) -> list[str]:
    """Open the page's websocket as the browser does and ask for one script run; return the
    metrics it drew, as "label: value"."""
    request = BackMsg()
    request.rerun_script.query_string = ""
    metrics = []
    address = url.replace("http://", "ws://") + "/_stcore/stream"
    with connect(
        address, subprotocols=["streamlit"], origin=url, proxy=None, max_size=None
    ) as websocket:
        websocket.send(request.SerializeToString())
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while True:
            message = ForwardMsg.FromString(websocket.recv(timeout=deadline - time.monotonic()))
            if message.WhichOneof("type") == "script_finished":
                return metrics
            element = message.delta.new_element
            if message.WhichOneof("type") == "delta" and element.WhichOneof("type") == "metric":
                metrics.append(f"{element.metric.label}: {element.metric.body}")


@pytest.mark.parametrize(
    ("code", "recorded"),
    [
        ("socket.getaddrinfo('example.org', 80)", "socket.getaddrinfo example.org"),
        ("socket.socket().connect(('192.0.2.1', 80))", "socket.connect 192.0.2.1"),
        # Streamlit's own look-ups, the ones the config turns off:
        ("net_util.get_internal_ip()", "socket.connect 8.8.8.8"),
        ("net_util.get_external_ip()", "socket.getaddrinfo checkip.amazonaws.com"),
    ],
)
def test_the_hook_records_and_refuses_what_would_leave_the_machine(tmp_path, code, recorded):
    # Without this, the empty log the server test asserts would prove nothing.
    env, log = hooked_env(tmp_path)
    check = (
        "import socket\nfrom streamlit import net_util\n"
        f"try:\n    {code}\nexcept OSError as error:\n    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert recorded in logged(log)
    if code.startswith("socket."):  # Streamlit's helpers swallow the refusal
        assert result.stdout.startswith("test_offline_start: ") and "refused" in result.stdout


def test_the_hook_lets_loopback_through(tmp_path):
    env, log = hooked_env(tmp_path)
    code = (
        "import socket\n"
        "socket.getaddrinfo('localhost', 80)\n"
        "socket.getaddrinfo('127.0.0.1', 80)\n"
        "with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:\n"
        "    s.connect(('127.0.0.1', 9))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert logged(log) == []


def test_the_dashboard_starts_and_serves_a_page_without_reaching_outside(tmp_path):
    env, log = hooked_env(tmp_path)
    env.update(GEODATA_DIR=str(small_dataset(tmp_path / "geodata")), MALLOC_ARENA_MAX="2")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    output = tmp_path / "server.out"
    # As `make run` starts it but with no address given (every interface, as anyone may run
    # streamlit by hand): the repo's .streamlit/config.toml.
    with output.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(url, process)
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        for path in ("/", "/_stcore/health"):
            with direct.open(url + path, timeout=10) as response:
                assert response.status == 200, path
        assert "Events shown, of 3: 3" in run_script_once(url)
        time.sleep(SETTLE_S)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    printed = output.read_text(errors="replace")
    reached = logged(log)
    assert reached == [], f"the server reached outside: {reached}\nIt printed:\n{printed}"
    assert f"URL: http://localhost:{port}" in printed  # the address the terminal offers
    assert "External URL" not in printed and "Network URL" not in printed


def test_maritime_run_from_another_folder_serves_the_map_without_reaching_outside(tmp_path):
    """`maritime run` (layers/cli.py), typed in any folder, starts the dashboard as `make run`
    does: the checkout's config (static files served, no address look-ups), loopback only, and
    a relative GEODATA_DIR read from the folder it was typed in."""
    maritime = Path(sys.executable).parent / "maritime"
    assert maritime.is_file(), f"{maritime} is missing: install the checkout with pip install -e ."
    env, log = hooked_env(tmp_path)
    # This checkout's layers/ first: the editable install may point at another checkout of it.
    env["PYTHONPATH"] += os.pathsep + str(REPO)
    folder = tmp_path / "analyst"
    small_dataset(folder / "my-data")
    env.update(GEODATA_DIR="my-data")
    port = free_port()
    output = tmp_path / "server.out"
    with output.open("wb") as out:
        process = subprocess.Popen(
            [str(maritime), "run", "--port", str(port)],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process)
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        # Served only with the checkout's config (server.enableStaticServing): the map's Leaflet.
        with direct.open(f"http://127.0.0.1:{port}/app/static/vendor/leaflet/leaflet.js") as got:
            assert got.status == 200 and b"Leaflet" in got.read(2000)
        assert "Events shown, of 3: 3" in run_script_once(f"http://127.0.0.1:{port}")
        # Loopback only, as `make run`: not on this machine's other addresses.
        assert listening_addresses(port) == {"127.0.0.1"}
        time.sleep(SETTLE_S)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    printed = output.read_text(errors="replace")
    reached = logged(log)
    assert reached == [], f"the server reached outside: {reached}\nIt printed:\n{printed}"
    assert f"URL: http://localhost:{port}" in printed
    assert "External URL" not in printed and "Network URL" not in printed
