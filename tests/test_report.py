"""The data-team report: a self-contained HTML page per version, rendered in a real headless
Chromium (Debian's package, installed by `make test`), driven over the DevTools protocol so that every
request the page makes is seen."""

from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.request

import pytest
from websockets.sync.client import connect

from tests.conftest import run_newword, write_lines

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--hide-scrollbars",
]  # fmt: skip


@pytest.fixture(scope="module")
def home(tmp_path_factory, peoples_daily):
    folder = tmp_path_factory.mktemp("report")
    known = folder / "known.txt"
    known.write_text("中国\n发展\n工作\n", encoding="utf-8")
    first = write_lines(folder / "a.txt", peoples_daily[:2500])
    second = write_lines(folder / "b.txt", peoples_daily[2500:5000])
    for source, extra in ((first, ["--known-words", str(known)]), (second, [])):
        done = run_newword("refresh", str(source), "--home", str(folder / "home"), "--min-count", "5", *extra)
        assert done.returncode == 0, done.stderr
    return folder / "home"


def test_every_refresh_writes_a_self_contained_report(home):
    for version in ("version=v000001", "version=v000002"):
        page = (home / "versions" / version / "report.html").read_text(encoding="utf-8")
        for outside in ("http://", "https://", "<script", "<link", "@import", "url(", "<img"):
            assert outside not in page, outside
        assert "<svg" in page


def test_report_command(home, tmp_path):
    done = run_newword("report", "latest", "--home", str(home))
    assert done.returncode == 0 and done.stdout.strip().endswith("version=v000002/report.html")
    target = tmp_path / "r.html"
    assert run_newword("report", "1", "--home", str(home), "--output", str(target)).returncode == 0
    assert "This is the first version." in target.read_text(encoding="utf-8")
    missing = run_newword("report", "v000007", "--home", str(home))
    assert missing.returncode == 1 and "no version 'v000007'" in missing.stderr


class DevTools:
    """The few DevTools-protocol calls the test needs, over one page's websocket."""

    def __init__(self, url: str) -> None:
        self.socket = connect(url, max_size=None)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise AssertionError(message["error"])
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            self.events.append(json.loads(self.socket.recv(timeout=max(deadline - time.monotonic(), 0.1))))


@contextlib.contextmanager
def chromium(tmp_path):
    binary = shutil.which("chromium")
    assert binary, "Debian's chromium is needed: `make test` installs it (apt-get install chromium fonts-wqy-zenhei)"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [binary, *CHROMIUM_FLAGS, f"--remote-debugging-port={port}", "--remote-debugging-address=127.0.0.1",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1600", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2).read())
                page = next(t for t in targets if t["type"] == "page")
                break
            except (OSError, StopIteration, ValueError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        tools = DevTools(page["webSocketDebuggerUrl"])
        yield tools
        tools.socket.close()
    finally:
        process.kill()
        process.wait()


@contextlib.contextmanager
def serve(folder):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[assignment]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_report_renders_offline_in_headless_chromium(home, tmp_path):
    version = home / "versions" / "version=v000002"
    manifest = json.loads((version / "manifest.json").read_text())
    top_new = run_newword("export", "latest", "--format", "txt", "--new-only", "--home", str(home)).stdout.split()[:5]
    with serve(version) as base, chromium(tmp_path) as page:
        page.call("Network.enable")
        page.call("Page.enable")
        page.call("Page.navigate", url=f"{base}/report.html")
        page.wait_for("Page.loadEventFired")
        text = page.call("Runtime.evaluate", expression="document.body.innerText", returnByValue=True)["result"]["value"]
        charts = page.call("Runtime.evaluate", expression="document.querySelectorAll('svg rect').length", returnByValue=True)[
            "result"
        ]["value"]
        shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    requests = [e["params"]["request"]["url"] for e in page.events if e.get("method") == "Network.requestWillBeSent"]
    assert requests and all(url.startswith(base) for url in requests), requests  # nothing outside the page
    assert requests == [f"{base}/report.html"] or set(requests) <= {f"{base}/report.html", f"{base}/favicon.ico"}

    screenshot = tmp_path / "report.png"
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000

    assert "Lexicon v000002" in text
    assert f"{manifest['rows']['lexicon']:,}" in text and f"{manifest['corpus']['documents']:,}" in text
    assert f"{manifest['validation']['passed']}/{manifest['validation']['expectations']}" in text
    for word in top_new:
        assert word in text
    for section in (
        "Top new words",
        "What changed since the previous version",
        "Rising",
        "Falling",
        "Distributions",
        "Validation",
    ):
        assert section in text
    assert charts > 10
