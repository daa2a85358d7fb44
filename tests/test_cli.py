"""The command line as a user meets it: help, outputs, and a one-line error for every bad input,
with a non-zero exit and the previous outputs left exactly as they were."""

from __future__ import annotations

import gzip
import json
import random
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from newword import pipeline
from tests import reference
from tests.conftest import ROOT, read_tsv, run_newword


@pytest.fixture
def corpus(tmp_path, peoples_daily):
    """The first 2,000 documents of People's Daily 1998-01 (about 190,000 characters)."""
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(peoples_daily[:2000]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def built(tmp_path, corpus):
    """A warehouse and TSV from a first good run, to check that failures leave them untouched."""
    done = run_newword("discover", str(corpus), "--db", "w.duckdb", "--output", "lex.tsv", "--min-count", "5", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _commands() -> list[list[str]]:
    from newword.cli import build_parser

    return [[]] + [[name] for name in build_parser()._subparsers._group_actions[0].choices]  # type: ignore[union-attr]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: c[0] if c else "newword")
def test_help_on_every_command(command):
    done = run_newword(*command, "--help")
    assert done.returncode == 0
    assert "usage: newword" in done.stdout
    assert done.stderr == ""


@pytest.mark.slow
def test_discover_writes_warehouse_and_sorted_tsv(tmp_path, corpus):
    done = run_newword("discover", str(corpus), "--db", "w.duckdb", "--output", "lex.tsv", "--min-count", "5", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = read_tsv(tmp_path / "lex.tsv")
    assert rows[0][:2] == ["word", "count"]
    body = [(r[0], int(r[1])) for r in rows[1:]]
    assert len(body) > 100
    assert body == sorted(body, key=lambda r: (-r[1], r[0]))
    assert all(int(r[1]) >= 5 and int(r[2]) == len(r[0]) for r in rows[1:])
    distinct = len(reference.distinct(line for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()))
    assert 1_900 < distinct < 2_000  # the corpus repeats a few lines: each counts once
    assert f"{len(body):,} words from {distinct:,} documents" in done.stdout
    lines = [line for line in done.stderr.splitlines() if "] " in line]  # plain progress lines when not on a terminal
    assert [line.split("] ")[1].split(":")[0] for line in lines] == [*pipeline.step_names(), "write"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no scratch files left"


@pytest.mark.slow
def test_the_duckdb_cli_installed_with_the_project_reads_the_warehouse(built):
    """The documented `.venv/bin/duckdb -readonly newword.duckdb`: the CLI on PyPI reads the storage format written."""
    cli = Path(sys.executable).parent / "duckdb"
    done = subprocess.run(
        [str(cli), "-readonly", "w.duckdb", "-csv", "-c", "SELECT count(*) AS words FROM lexicon"],
        capture_output=True, text=True, cwd=built, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["words", str(len(read_tsv(built / "lex.tsv")) - 1)]


def test_a_warehouse_in_the_librarys_newer_format_still_opens(tmp_path):
    """Warehouses written before the CLI-readable format (the library's default) keep working."""
    import duckdb

    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute("CREATE TABLE lexicon AS SELECT '中华' AS word, 3 AS count")
    con.close()
    done = run_newword("sql", "SELECT word, count FROM lexicon", "--db", str(old), "--format", "csv")
    assert done.returncode == 0 and done.stdout.splitlines() == ["word,count", "中华,3"], done.stderr


@pytest.mark.slow
def test_sql_formats(built):
    word, count = read_tsv(built / "lex.tsv")[1][:2]
    query = "SELECT word, count FROM lexicon ORDER BY count DESC, word LIMIT 2"
    table = run_newword("sql", query, "--db", "w.duckdb", cwd=built)
    assert table.returncode == 0 and word in table.stdout.splitlines()[2] and "(2 rows)" in table.stdout
    csv_out = run_newword("sql", query, "--db", "w.duckdb", "--format", "csv", cwd=built).stdout.splitlines()
    assert csv_out[0] == "word,count" and csv_out[1] == f"{word},{count}"
    tsv_out = run_newword("sql", query, "--db", "w.duckdb", "--format", "tsv", cwd=built).stdout.splitlines()
    assert tsv_out[1] == f"{word}\t{count}"
    js = json.loads(run_newword("sql", query, "--db", "w.duckdb", "--format", "json", cwd=built).stdout)
    assert len(js) == 2 and js[0] == {"word": word, "count": int(count)}
    scores = run_newword(
        "sql", "SELECT significance / 3 AS s FROM lexicon LIMIT 5", "--db", "w.duckdb", "--format", "json", cwd=built
    )
    assert all(row["s"] == round(row["s"], 4) for row in json.loads(scores.stdout))  # the rounding of every output


@pytest.mark.slow
def test_small_corpus_gives_empty_lexicon_naming_the_threshold(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text("中华人民共和国\n", encoding="utf-8")
    for mode, message in (
        ("topwords", "no string of 2..10 characters occurs --min-count 5 times"),
        ("reference", "no n-gram of length 2..4 reached --min-count 25"),
    ):
        done = run_newword("discover", str(path), "--db", "w.duckdb", "--output", "lex.tsv", "--mode", mode, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert f"empty lexicon: {message}" in done.stderr
        assert read_tsv(tmp_path / "lex.tsv") == [["word", "count", "length", "cohesion", "is_known"]]


@pytest.mark.slow
def test_empty_lexicon_names_the_threshold_nothing_passed(tmp_path):
    path = tmp_path / "flat.txt"
    path.write_text("甲乙\n乙甲\n" * 30, encoding="utf-8")  # every 2-gram as likely as chance
    done = run_newword(
        "discover",
        str(path),
        "--db",
        "w.duckdb",
        "--output",
        "",
        "--min-count",
        "2",
        "--mode",
        "reference",
        "--keep-duplicates",
        cwd=tmp_path,
    )
    assert done.returncode == 0 and "passed --min-cohesion 2:5,3:25,4:125" in done.stderr, done.stderr
    # random text over four characters: frequent strings, none a word
    rng = random.Random(7)
    path.write_text("".join("".join(rng.choice("甲乙丙丁") for _ in range(8)) + "\n" for _ in range(2000)), encoding="utf-8")
    done = run_newword("discover", str(path), "--db", "w.duckdb", "--output", "", cwd=tmp_path)
    assert done.returncode == 0 and "that occur --min-count 5 times passed --min-significance 8" in done.stderr, done.stderr


def _bad(tmp_path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


BAD_INPUTS = {
    "invalid UTF-8": (
        lambda d: [_bad(d, "bad.txt", "中华人民\n共和国\n".encode() + b"\xff\xfe bad\n")],
        r"bad\.txt:3: invalid UTF-8",
    ),
    "invalid UTF-8 in gzip": (
        lambda d: [_bad(d, "bad.txt.gz", gzip.compress(b"ok\n\xc3\x28\n"))],
        r"bad\.txt\.gz:2: invalid UTF-8",
    ),
    "binary file": (
        lambda d: [_bad(d, "x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")],
        r"x\.txt: binary file \(NUL byte at offset 8\)",
    ),
    "empty corpus": (lambda d: [_bad(d, "empty.txt", b"")], r"empty corpus: no documents in .*empty\.txt"),
    "blank lines only": (lambda d: [_bad(d, "blank.txt", b"\n  \n\n")], r"empty corpus"),
    "no Chinese text": (
        lambda d: [_bad(d, "en.txt", b"only english here\nand more\n")],
        r"no Chinese text: none of the 2 documents",
    ),
    "unknown format": (lambda d: [_bad(d, "book.docx", b"PK\x03\x04")], r"book\.docx: unknown format '\.docx'"),
    "missing file": (lambda d: [str(d / "nope.txt")], r"nope\.txt: no such file or folder"),
    "glob matching nothing": (lambda d: [str(d / "*.nothing")], r"no files match"),
    "invalid JSON": (lambda d: [_bad(d, "x.jsonl", '{"text": "中华"}\n{oops\n'.encode())], r"x\.jsonl:2: invalid JSON"),
    "CSV without the column": (lambda d: [_bad(d, "x.csv", "id,body\n1,中华\n".encode())], r"x\.csv:1: no column 'text'"),
    "corrupt gzip": (lambda d: [_bad(d, "x.txt.gz", b"\x1f\x8b\x08\x00garbage")], r"x\.txt\.gz: corrupt gzip"),
    "corrupt parquet": (lambda d: [_bad(d, "x.parquet", b"PAR1 not really")], r"x\.parquet: cannot read as Parquet"),
    "huge line": (
        lambda d: [_bad(d, "huge.txt", ("中华\n" + "中" * 2000 + "\n").encode()), "--max-doc-chars", "1000"],
        r"huge\.txt:2: document of 2,000 characters exceeds --max-doc-chars 1,000",
    ),
}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BAD_INPUTS["unreachable URL"] = (
    lambda d: [f"http://127.0.0.1:{_closed_port()}/corpus.txt"],
    r"http://127\.0\.0\.1:\d+/corpus\.txt: cannot fetch",
)

BAD_PARAMETERS = {
    "--max-n 1": (["--max-n", "1"], r"--max-n must be an integer >= 2 \(got 1\)"),
    "--max-n abc": (["--max-n", "abc"], r"--max-n must be an integer \(got 'abc'\)"),
    "--max-n 7": (["--max-n", "7"], r"--max-n must be at most 6 \(got 7\): n-grams are counted as 128-bit keys"),
    "--min-count 0": (["--min-count", "0"], r"--min-count must be an integer >= 1 \(got 0\)"),
    "--min-count -3": (["--min-count", "-3"], r"--min-count must be an integer >= 1"),
    "malformed --min-cohesion": (["--min-cohesion", "2:5,3"], r"--min-cohesion: cannot read '3'"),
    "--min-cohesion length 1": (["--min-cohesion", "1:5"], r"--min-cohesion: length must be >= 2"),
    "--min-cohesion twice": (["--min-cohesion", "2:5,2:6"], r"--min-cohesion: length 2 given twice"),
    "--chars unknown": (["--chars", "latin"], r"argument --chars: invalid choice"),
    "--format unknown": (["--format", "xml"], r"argument --format: invalid choice"),
}


def _assert_one_line_error(done: subprocess.CompletedProcess, pattern: str) -> None:
    import re

    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert len(errors) == 1, done.stderr
    assert re.search(pattern, errors[0]), errors[0]


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_fails_cleanly_and_keeps_outputs(built, case):
    make, pattern = BAD_INPUTS[case]
    args = make(built)
    before = snapshot(built)
    done = run_newword("discover", *args, "--db", "w.duckdb", "--output", "lex.tsv", cwd=built)
    _assert_one_line_error(done, pattern)
    after = snapshot(built)
    assert {k: after[k] for k in ("w.duckdb", "lex.tsv")} == {k: before[k] for k in ("w.duckdb", "lex.tsv")}
    assert not [name for name in after if name.startswith(".")], "no scratch files left"


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BAD_PARAMETERS))
def test_bad_parameters_fail_cleanly(built, corpus, case):
    args, pattern = BAD_PARAMETERS[case]
    before = snapshot(built)
    done = run_newword("discover", str(corpus), *args, "--db", "w.duckdb", "--output", "lex.tsv", cwd=built)
    _assert_one_line_error(done, pattern)
    assert snapshot(built) == before


@pytest.mark.slow
def test_sql_errors(built, tmp_path):
    _assert_one_line_error(
        run_newword("sql", "SELECT 1", "--db", "missing.duckdb", cwd=built), r"missing\.duckdb: no such database"
    )
    _assert_one_line_error(run_newword("sql", "SELEC oops", "--db", "w.duckdb", cwd=built), r"query failed: Parser Error")
    _assert_one_line_error(
        run_newword("sql", "DROP TABLE lexicon", "--db", "w.duckdb", cwd=built), r"refused: newword sql only reads"
    )
    (built / "notdb.duckdb").write_bytes(b"not a database at all" * 100)
    _assert_one_line_error(
        run_newword("sql", "SELECT 1", "--db", "notdb.duckdb", cwd=built), r"notdb\.duckdb: (not a DuckDB database|cannot open)"
    )


@pytest.mark.slow
def test_locked_database(built, corpus):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)",
            str(built / "w.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        before = snapshot(built)
        done = run_newword("discover", str(corpus), "--db", "w.duckdb", "--output", "lex.tsv", cwd=built)
        _assert_one_line_error(done, rf"w\.duckdb: database is locked by another process \(PID {holder.pid}\)")
        assert snapshot(built) == before
        _assert_one_line_error(run_newword("sql", "SELECT 1", "--db", "w.duckdb", cwd=built), r"database is locked")
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_out_of_memory_is_a_one_line_error(built, corpus, monkeypatch):
    """DuckDB's out-of-memory error (a real one, under a 16 MB limit) names the limit and the knobs."""
    monkeypatch.setenv("NEWWORD_MEMORY_LIMIT", "16MB")
    before = snapshot(built)
    done = run_newword("discover", str(corpus), "--db", "w.duckdb", "--output", "lex.tsv", cwd=built)
    _assert_one_line_error(done, r"DuckDB ran out of memory under its limit of 16MB \(NEWWORD_MEMORY_LIMIT; Out of Memory")
    assert snapshot(built) == before
    assert not [name for name in snapshot(built) if name.startswith(".")], "no scratch files left"


def _after_step(proc: subprocess.Popen, step: str) -> str:
    """Read the build's progress lines (stderr) until `step` has finished; return what was read."""
    read = []
    for line in proc.stderr:
        read.append(line)
        if f"] {step}:" in line:
            return "".join(read)
    raise AssertionError(f"the build ended before its {step} step: {''.join(read)}")


@pytest.mark.slow
def test_interrupted_build_leaves_outputs(built, peoples_daily):
    """SIGINT mid-build: exit 130, previous warehouse and TSV intact, no scratch left."""
    import signal

    big = built / "big.txt"
    big.write_text("\n".join(peoples_daily * 3) + "\n", encoding="utf-8")
    before = snapshot(built)
    import os

    # A test run started in the background by a shell ignores SIGINT, and an ignored signal stays
    # ignored in children: the build is started with SIGINT handled, as from a terminal.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newword.cli", "discover", str(big), "--db", "w.duckdb", "--output", "lex.tsv"],
            cwd=built,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    finally:
        signal.signal(signal.SIGINT, inherited)
    done_so_far = _after_step(proc, "sentences")  # mid-build: the counting and the cut are still to come
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    err = done_so_far + err
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    after = snapshot(built)
    assert after["w.duckdb"] == before["w.duckdb"] and after["lex.tsv"] == before["lex.tsv"]
    assert not [name for name in after if name.startswith(".")]


@pytest.mark.slow
def test_more_bad_inputs_are_one_line_errors(built, tmp_path):
    cases = [
        (["sql", "", "--db", "w.duckdb"], r"QUERY is empty"),
        (["discover", "http://[::1", "--db", "x.duckdb"], r"not a valid URL"),
        (["discover", str(built / "corpus.txt"), "--db", "same.out", "--output", "same.out"], r"is the warehouse file too"),
        (["discover", str(built / "corpus.txt"), "--db", "x.duckdb", "--output", "/proc/nope/x.tsv"], r"/proc/nope"),
        (["versions", "--home", str(tmp_path / "no-home")], r"no such home"),
        (["show", "latest", "--home", str(tmp_path / "no-home")], r"no published versions"),
        (["show", "latest", "--top", "-1", "--home", str(tmp_path / "no-home")], r"--top must be >= 0"),
        (["diff", "1", "2", "--home", str(tmp_path / "no-home")], r"no published versions"),
        (["export", "latest", "--home", str(tmp_path / "no-home")], r"no published versions"),
        (["report", "latest", "--home", str(tmp_path / "no-home")], r"no published versions"),
    ]
    for args, pattern in cases:
        _assert_one_line_error(run_newword(*args, cwd=built), pattern)
    assert not (built / "same.out").exists() and not (built / "x.duckdb").exists()


def test_redirect_to_another_host_is_refused(tmp_path):
    import http.server
    import threading

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", "http://localhost:9/elsewhere.txt")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        done = run_newword("discover", f"http://127.0.0.1:{server.server_address[1]}/c.txt", "--db", "w.duckdb", cwd=tmp_path)
    finally:
        server.shutdown()
        server.server_close()
    _assert_one_line_error(done, r"redirected to another host \(http://localhost:9/elsewhere.txt\)")


@pytest.mark.slow
def test_sigterm_removes_scratch_files(built, peoples_daily):
    import os
    import signal

    big = built / "big.txt"
    big.write_text("\n".join(peoples_daily * 3) + "\n", encoding="utf-8")
    before = snapshot(built)
    proc = subprocess.Popen(
        [sys.executable, "-m", "newword.cli", "discover", str(big), "--db", "w.duckdb", "--output", "lex.tsv"],
        cwd=built, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    done_so_far = _after_step(proc, "sentences")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    err = done_so_far + err
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    after = snapshot(built)
    assert after["w.duckdb"] == before["w.duckdb"] and after["lex.tsv"] == before["lex.tsv"]
    assert not [p for p in built.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_scratch_left_by_a_killed_build_is_removed_by_the_next(built, corpus):
    stale = built / ".w.duckdb.build-999999999-abc"
    stale.mkdir()
    (stale / "warehouse.duckdb").write_bytes(b"x")
    assert run_newword("discover", str(corpus), "--db", "w.duckdb", "--output", "", "--min-count", "5", cwd=built).returncode == 0
    assert not stale.exists()


def test_steps_lists_the_step_table():
    for mode in ("topwords", "reference"):
        done = run_newword("steps", "--mode", mode, "--format", "json")
        assert done.returncode == 0, done.stderr
        rows = json.loads(done.stdout)
        assert [r["table"] for r in rows] == list(pipeline.step_names(mode))
        assert [r["made_by"] for r in rows] == [", ".join(s.made_by) for s in pipeline.STEPS[mode]]
    assert (
        "lexicon__topwords" in run_newword("steps").stdout
        and "cut__cluster" in run_newword("steps", "--mode", "reference").stdout
    )
    assert run_newword("steps", "--mode", "entropy").returncode == 2
