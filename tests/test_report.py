"""The data-team report: a self-contained HTML page per version, rendered in a real headless
Chromium (Debian's package, installed by `make test`), driven over the DevTools protocol so that every
request the page makes is seen."""

from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import json
import re
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


pytestmark = pytest.mark.slow  # every test reads a home refreshed three times with People's Daily


@pytest.fixture(scope="module")
def home(tmp_path_factory, peoples_daily):
    folder = tmp_path_factory.mktemp("report")
    known = folder / "known.txt"
    known.write_text("中国\n发展\n工作\n", encoding="utf-8")
    parts = [write_lines(folder / f"{i}.txt", peoples_daily[i * 2500 : (i + 1) * 2500]) for i in range(3)]
    for i, source in enumerate(parts):
        extra = ["--known-words", str(known)] if i == 0 else []
        done = run_newword("refresh", str(source), "--home", str(folder / "home"), "--min-count", "5", *extra)
        assert done.returncode == 0, done.stderr
    return folder / "home"


VERSIONS = ("version=v000001", "version=v000002", "version=v000003")


def test_every_refresh_writes_a_self_contained_report(home):
    for version in VERSIONS:
        page = (home / "versions" / version / "report.html").read_text(encoding="utf-8")
        for outside in ("http://", "https://", "<script src", "<link", "@import", "url(", "<img", "<iframe"):
            assert outside not in page, outside
        assert "<svg" in page and page.count("<script>") == 1  # the page's own few lines: sort and search
        links = re.findall(r'href="([^"#]+)"', page)
        assert "lexicon.tsv" in links and "lexicon.parquet" in links and "word_examples.parquet" in links
        assert all((home / "versions" / version / link).is_file() for link in links), links


def test_report_lists_what_the_version_published(home):
    manifest = json.loads((home / "versions" / "version=v000003" / "manifest.json").read_text(encoding="utf-8"))
    page = (home / "versions" / "version=v000003" / "report.html").read_text(encoding="utf-8")
    for key in manifest["parameters"]:  # the mode and every setting of it
        assert f"<th>{key}</th>" in page, key
    # the three known words, and their traditional spellings (中國, 發展)
    assert manifest["parameters"]["mode"] == "topwords" and manifest["known_words"]["words"] == 5
    assert manifest["known_words"]["source"].endswith("known.txt")  # kept from the first refresh
    assert f"{manifest['known_words']['words']} words from {manifest['known_words']['source']}" in page
    assert manifest["code_version"] in page


def test_every_word_the_report_lists_has_its_counts_across_versions(home):
    page = (home / "versions" / "version=v000003" / "report.html").read_text(encoding="utf-8")
    rows = set(re.findall(r'<tr id="h-([^"]+)">', page))
    for table in ("new-words", "changes-rising", "changes-falling", "changes-gone", "not-known-words"):
        body = page[page.index(f'<table id="{table}"') :]
        body = body[: body.index("</table>")]
        words = re.findall(r'<td class="w">(?:<a href="#h-[^"]+" title="counts across versions">)?([^<]+)<', body)
        assert words or table.startswith("changes-"), table
        assert set(words) <= rows, (table, set(words) - rows)


def test_a_damaged_earlier_version_is_left_out_of_the_report(home, tmp_path):
    copy = tmp_path / "home"
    shutil.copytree(home, copy)
    (copy / "versions" / "version=v000001" / "lexicon.parquet").write_bytes(b"not parquet")
    target = tmp_path / "r.html"
    done = run_newword("report", "latest", "--home", str(copy), "--output", str(target))
    assert done.returncode == 0, done.stderr
    page = target.read_text(encoding="utf-8")
    assert "Left out of every comparison on this page, their files unreadable: v000001" in page
    assert page.count('class="point"') == 4 * 2  # the trends have the two readable versions


def test_new_words_are_first_published_in_the_version(home):
    """The report's "new in this version" equals the words of its lexicon that are in no earlier one
    and not known, read from the Parquet files with plain Python."""
    import pyarrow.parquet as pq

    lexicons = [pq.read_table(home / "versions" / v / "lexicon.parquet").to_pylist() for v in VERSIONS]
    earlier = {row["word"] for lexicon in lexicons[:2] for row in lexicon}
    expected = sorted(
        (row for row in lexicons[2] if not row["is_known"] and row["word"] not in earlier), key=lambda r: (-r["count"], r["word"])
    )
    done = run_newword("sql", "--home", str(home), "--format", "json",
                       "SELECT word FROM lexicon WHERE NOT is_known AND word NOT IN "
                       "(SELECT word FROM lexicon_versions WHERE version < 'v000003') ORDER BY count DESC, word")  # fmt: skip
    assert [r["word"] for r in json.loads(done.stdout)] == [r["word"] for r in expected]
    page = (home / "versions" / "version=v000003" / "report.html").read_text(encoding="utf-8")
    section = page[page.index('id="new-words"') : page.index('id="changes"')]
    assert re.findall(r'<td class="w"><a href="#h-[^"]+" title="counts across versions">([^<]+)</a>', section) == [
        r["word"] for r in expected[:50]
    ]
    assert f"<b>{len(expected):,}</b>new in this version, not known" in page


def test_report_command(home, tmp_path):
    done = run_newword("report", "latest", "--home", str(home))
    assert done.returncode == 0 and done.stdout.strip().endswith("version=v000003/report.html")
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


@pytest.mark.browser
def test_report_renders_offline_in_headless_chromium(home, tmp_path):
    version = home / "versions" / "version=v000003"
    manifest = json.loads((version / "manifest.json").read_text())
    top_new = run_newword("export", "latest", "--format", "txt", "--new-only", "--home", str(home)).stdout.split()[:5]
    with serve(version) as base, chromium(tmp_path) as page:
        page.call("Network.enable")
        page.call("Page.enable")
        page.call("Page.navigate", url=f"{base}/report.html")
        page.wait_for("Page.loadEventFired")

        def js(expression: str):
            return page.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

        text = js("document.body.innerText")
        bars = js("document.querySelectorAll('svg rect').length")
        points = js("Array.from(document.querySelectorAll('figure.trend')).map(f => f.querySelectorAll('circle.point').length)")
        # each example of the new words holds its row's word, highlighted
        examples = js("""Array.from(document.querySelectorAll('#new-words tbody tr')).map(row => [
            row.cells[1].textContent, Array.from(row.querySelectorAll('.example')).map(e => [e.textContent, e.querySelector('mark').textContent])])""")
        # searching: type into the box; the rows without the text are hidden
        word = examples[3][0]
        js("document.querySelector('input[data-table=new-words]').focus()")
        page.call("Input.insertText", text=word)
        shown = js(
            "Array.from(document.querySelectorAll('#new-words tbody tr')).filter(r => !r.hidden).map(r => r.cells[1].textContent)"
        )
        history = js(f"document.getElementById('h-{word}').innerText")
        # sorting: a click on "length" sorts the rows by it, a second click reverses them
        js("Array.from(document.querySelectorAll('#not-known-words th')).find(th => th.textContent === 'length').click()")
        ascending = js(
            "Array.from(document.querySelectorAll('#not-known-words tbody tr')).map(r => Number(r.cells[5].textContent))"
        )
        js("Array.from(document.querySelectorAll('#not-known-words th')).find(th => th.textContent.startsWith('length')).click()")
        descending = js(
            "Array.from(document.querySelectorAll('#not-known-words tbody tr')).map(r => Number(r.cells[5].textContent))"
        )
        shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    requests = [e["params"]["request"]["url"] for e in page.events if e.get("method") == "Network.requestWillBeSent"]
    assert requests and all(url.startswith(base) for url in requests), requests  # nothing outside the page
    assert requests == [f"{base}/report.html"] or set(requests) <= {f"{base}/report.html", f"{base}/favicon.ico"}

    screenshot = tmp_path / "report.png"
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000

    assert "Lexicon v000003" in text
    assert f"{manifest['rows']['lexicon']:,}" in text and f"{manifest['corpus']['documents']:,}" in text
    assert f"{manifest['validation']['passed']}/{manifest['validation']['expectations']}" in text
    for word_ in top_new:
        assert word_ in text
    for section in ("New in this version and not known", "Trends over versions", "What changed since the previous version",
                    "Rising", "Falling", "Word counts across versions", "Most used words not known", "Distributions",
                    "Corpus and parameters", "Validation"):  # fmt: skip
        assert section in text
    assert bars > 10
    assert points == [3, 3, 3, 3]  # words, new words, documents, characters: one point per version

    assert examples and all(row_examples for _, row_examples in examples)
    for row_word, row_examples in examples:
        for context, marked in row_examples:
            assert marked == row_word and row_word in context

    assert word in shown and len(shown) < len(examples)
    assert all(word in w for w in shown)
    assert history.split()[0] == word and len(history.split()) == 4  # the word, then its count in each version

    assert len(ascending) > 10 and ascending == sorted(ascending) and descending == sorted(ascending, reverse=True)
    assert ascending != descending


def test_a_version_with_an_empty_lexicon_has_a_report(tmp_path):
    corpus = write_lines(tmp_path / "c.txt", ["中华人民共和国中华人民共和国"] * 30 + ["人民共和国万岁"] * 30)
    done = run_newword("refresh", str(corpus), "--home", str(tmp_path / "home"), "--min-count", "5")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "home" / "versions" / "version=v000001" / "report.html").read_text(encoding="utf-8")
    assert "Lexicon v000001" in page and "This is the first version" in page
