"""The lexicon-build Prefect flow: a real flow run, with no Prefect server configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from newword import pipeline
from tests import reference
from tests.conftest import ROOT, lexicon_of, read_tsv, run_newword, write_lines

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.server]


def run_flow(*args: str, cwd, module: str = "flows.lexicon_build", **extra_env: str) -> subprocess.CompletedProcess:
    """A flow's command line in a subprocess, with no Prefect server configured (a temporary one starts)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PYTHONPATH=str(ROOT), **extra_env)
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def test_flow_run_builds_the_same_lexicon_quietly(tmp_path, peoples_daily):
    documents = peoples_daily[:5000]
    corpus = write_lines(tmp_path / "corpus.txt", documents)
    done = run_flow(
        str(corpus),
        "--db",
        "w.duckdb",
        "--output",
        "lex.tsv",
        "--min-count",
        "10",
        "--top",
        "5",
        "--mode",
        "reference",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]

    expected = reference.discover(documents, min_count=10)
    assert lexicon_of(tmp_path / "w.duckdb") == expected
    assert len(read_tsv(tmp_path / "lex.tsv")) == len(expected) + 1
    # one task per step, each completed
    for step in (*pipeline.step_names("reference"), "write"):
        assert f"Task run '{step}-" in done.stderr
    assert "Finished in state Completed()" in done.stderr.splitlines()[-2] + done.stderr.splitlines()[-1]
    # quiet: no tracebacks, no telemetry or analytics errors, no warnings
    for noise in ("Traceback", "telemetry", "analytics", "ERROR", "WARNING"):
        assert noise not in done.stderr, noise
    # it prints the top of the lexicon and where the outputs are
    top = min(expected.items(), key=lambda item: (-item[1], item[0]))[0]
    assert top in done.stdout and "w.duckdb" in done.stdout and "lex.tsv" in done.stdout
    # the printed query runs as written from where the flow was started (the environment's own newword)
    query = next(line for line in done.stdout.splitlines() if "query it:" in line).split("query it:", 1)[1].strip()
    printed = subprocess.run(query, shell=True, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert printed.returncode == 0 and "(10 rows)" in printed.stdout, printed.stderr
    # the run's Prefect state went to the test session's private home, not ~/.prefect
    assert Path(os.environ["PREFECT_HOME"]).is_relative_to(tempfile.gettempdir())
    assert list(Path(os.environ["PREFECT_HOME"]).glob("*.db")), "the temporary server's database is in the private home"


def test_failed_flow_run_keeps_previous_outputs(tmp_path, peoples_daily):
    corpus = write_lines(tmp_path / "corpus.txt", peoples_daily[:500])
    assert (
        run_newword("discover", str(corpus), "--db", "w.duckdb", "--output", "", "--min-count", "5", cwd=tmp_path).returncode == 0
    )
    previous = (tmp_path / "w.duckdb").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\n")
    done = run_flow(str(bad), "--db", "w.duckdb", "--output", "lex.tsv", cwd=tmp_path)
    assert done.returncode == 1
    assert "lexicon-build: error: " in done.stdout + done.stderr and "bad.txt:1: invalid UTF-8" in done.stderr
    assert (tmp_path / "w.duckdb").read_bytes() == previous
    assert not (tmp_path / "lex.tsv").exists()


def test_refresh_flow_publishes_through_the_same_code_path(tmp_path, peoples_daily):
    corpus = write_lines(tmp_path / "corpus.txt", peoples_daily[:2000])
    home = str(tmp_path / "home")
    done = run_flow(
        str(corpus), "--home", home, "--min-count", "5", "--mode", "reference", cwd=tmp_path, module="flows.lexicon_refresh"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "lexicon-refresh: published v000001" in done.stdout
    for step in ("documents", "lexicon", "run", "validate", "publish"):
        assert f"Task run '{step}-" in done.stderr
    for noise in ("Traceback", "telemetry", "ERROR", "WARNING", "great_expectations"):
        assert noise not in done.stderr, noise
    # the CLI sees the flow's version, and the same documents publish nothing
    again = run_newword("refresh", str(corpus), "--home", str(tmp_path / "home"), "--min-count", "5", "--mode", "reference")
    assert again.returncode == 0 and "no new documents; v000001 stays current" in again.stdout
    expected = reference.discover(list(dict.fromkeys(peoples_daily[:2000])), min_count=5)
    import duckdb

    path = tmp_path / "home" / "versions" / "version=v000001" / "lexicon.parquet"
    assert dict(duckdb.connect().execute("SELECT word, count FROM read_parquet($p)", {"p": str(path)}).fetchall()) == expected


def test_refresh_flow_retries_a_source_that_is_briefly_unavailable(tmp_path, peoples_daily):
    import http.server
    import threading

    body = ("\n".join(peoples_daily[:1500]) + "\n").encode()
    hits: list[int] = []

    class Flaky(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(1)
            if len(hits) == 1:
                self.send_error(503, "try again")
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/news.txt"
        home = str(tmp_path / "home")
        done = run_flow(
            url, "--home", home, "--min-count", "5", "--mode", "reference", cwd=tmp_path, module="flows.lexicon_refresh",
            NEWWORD_RETRY_DELAY_SECONDS="0",
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(hits) == 2
    assert "HTTP 503" in done.stderr and "Retry" in done.stderr
    assert "lexicon-refresh: published v000001" in done.stdout


@pytest.mark.parametrize("option", [("--min-significance", "-1"), ("--min-significance", "nan"), ("--max-word-length", "100")])
def test_flows_reject_bad_options_in_one_line(tmp_path, option):
    corpus = write_lines(tmp_path / "corpus.txt", ["中华人民共和国"] * 3)
    for module in ("flows.lexicon_build", "flows.lexicon_refresh"):
        done = run_flow(str(corpus), *option, cwd=tmp_path, module=module)
        assert done.returncode == 1, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and option[0] in done.stderr, done.stderr


# A refresh flow run in its own process (a temporary Prefect server there, in the private PREFECT_HOME),
# printing the run's summaries and its artifacts as JSON: no Prefect state is left in the test process.
FLOW_AND_ARTIFACTS = """
import asyncio, json, sys
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from flows.lexicon_refresh import lexicon_refresh

runs = []
for folder in sys.argv[2:]:
    state = lexicon_refresh(sources=[folder], home=sys.argv[1], min_count=5, known_words="jieba", quarantine=True,
                            return_state=True)
    runs.append((state.result(), str(state.state_details.flow_run_id)))

async def artifacts(run_id):
    async with get_client() as client:
        found = await client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
        return {a.key: a.data for a in found}

print(json.dumps([{"summary": summary, "artifacts": asyncio.run(artifacts(run_id))} for summary, run_id in runs]))
"""


def refresh_runs(home: Path, *folders: Path) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-c", FLOW_AND_ARTIFACTS, str(home), *map(str, folders)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_refresh_flow_sets_unreadable_files_aside_and_lists_them_in_an_artifact(tmp_path, peoples_daily):
    """A scheduled refresh of a watched folder (quarantine=True): an undecodable file is set aside, the
    rest is published, and the run's artifact names the file and the reason."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    write_lines(folder / "day1.txt", peoples_daily[:800])
    (folder / "broken.txt").write_bytes(b"\xff\xfe not UTF-8\n")
    [run] = refresh_runs(tmp_path / "home", folder)
    assert run["summary"]["version"] == "v000001" and run["summary"]["set_aside"] == [str(folder / "broken.txt")]
    table = run["artifacts"]["lexicon-quarantine"]
    assert "broken.txt" in table and "invalid UTF-8" in table


def test_refresh_flow_artifacts_say_what_is_new_in_the_version_and_not_known(tmp_path, peoples_daily):
    import duckdb

    home = tmp_path / "home"
    folders = []
    for day, lines in enumerate((peoples_daily[:1500], peoples_daily[1500:3000]), start=1):
        folders.append(tmp_path / f"day{day}")
        folders[-1].mkdir()
        write_lines(folders[-1] / f"day{day}.txt", lines)
    first, second = refresh_runs(home, *folders)
    assert first["summary"]["version"] == "v000001" and second["summary"]["version"] == "v000002"
    artifacts = second["artifacts"]
    assert {"lexicon-refresh", "lexicon-not-known", "lexicon-new-this-version"} <= set(artifacts)
    read = duckdb.connect()
    v1, v2 = (home / "versions" / f"version=v00000{n}" / "lexicon.parquet" for n in (1, 2))
    before = {w for (w,) in read.execute("SELECT word FROM read_parquet($p)", {"p": str(v1)}).fetchall()}
    now = dict(read.execute("SELECT word, is_known FROM read_parquet($p)", {"p": str(v2)}).fetchall())
    new_here = [row["word"] for row in json.loads(artifacts["lexicon-new-this-version"])]
    assert new_here and all(w not in before and now[w] is False for w in new_here)
    not_known = [row["word"] for row in json.loads(artifacts["lexicon-not-known"])]
    assert not_known and all(now[w] is False for w in not_known)
    assert "new in this version and not known" in artifacts["lexicon-refresh"] and "since v000001" in artifacts["lexicon-refresh"]
