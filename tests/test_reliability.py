"""What an attacker or an unlucky user does to a warehouse or a home: `newword sql` reads and never
changes anything, published versions are verified before use, outputs never replace inputs or
published files, and bad values are one-line errors with the documented exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_newword, write_lines


def _fingerprint(folder) -> dict[str, str]:
    """SHA-256 of every file under a folder: a change anywhere shows."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }


def _one_line_error(done, pattern: str, code: int = 1) -> str:
    import re

    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert re.search(pattern, lines[0]), lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def published(tmp_path_factory, peoples_daily):
    """A home with one published version, a plain warehouse and the corpus they were built from."""
    folder = tmp_path_factory.mktemp("published")
    corpus = write_lines(folder / "corpus.txt", peoples_daily[:1500])
    done = run_newword("refresh", str(corpus), "--home", "H", "--min-count", "5", "--quiet", cwd=folder)
    assert done.returncode == 0, done.stderr
    done = run_newword("discover", str(corpus), "--db", "w.duckdb", "--output", "", "--min-count", "5", "--quiet", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def work(tmp_path, published):
    """A private copy of the published home, warehouse and corpus."""
    for name in ("H", "w.duckdb", "corpus.txt"):
        source = published / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, tmp_path / name)
    return tmp_path


VERSION = "H/versions/version=v000001"

# Each of these ran with exit 0 and changed or read what it should not, before newword sql only read.
ATTACKS = {
    "read /etc/passwd": "SELECT * FROM read_csv('/etc/passwd', header=false, sep=':')",
    "read a file beside the home": "SELECT * FROM read_text('corpus.txt')",
    "read the home's warehouse as bytes": "SELECT * FROM read_blob('H/warehouse.duckdb')",
    "rewrite a published version": f"COPY (SELECT 'x' AS word, 1 AS count) TO '{VERSION}/lexicon.parquet' (FORMAT parquet)",
    "attach and drop": "ATTACH 'H/warehouse.duckdb' AS w; DROP TABLE w.lexicon",
    "attach alone": "ATTACH 'H/warehouse.duckdb' AS w",
    "update through attach": "UPDATE w.ngram_totals SET count = 73000",
    "install an extension": "INSTALL httpfs",
    "load an extension": "LOAD httpfs",
    "turn the guard off": "SET enable_external_access = true",
    "pragma that sets": "PRAGMA threads = 1",
    "export the database": "EXPORT DATABASE 'dump'",
    "create a table": "CREATE TABLE t AS SELECT 1",
    "explain analyze runs a copy": "EXPLAIN ANALYZE COPY (SELECT 1) TO 'x.csv'",
    "checkpoint": "CHECKPOINT",
    "glob another folder": "SELECT * FROM glob('/etc/*')",
}
DB_ATTACKS = {
    "detach and reattach": "USE memory; DETACH warehouse; ATTACH 'w.duckdb' AS x; DELETE FROM x.documents",
    "delete from the warehouse": "DELETE FROM documents",
    "drop a table": "DROP TABLE lexicon",
    "copy to a file": "COPY lexicon TO 'lexicon-copy.csv'",
}


@pytest.mark.slow
@pytest.mark.parametrize("where", ["--home", "--db"])
@pytest.mark.parametrize("attack", list(ATTACKS) + list(DB_ATTACKS))
def test_sql_refuses_everything_but_reading(work, where, attack):
    query = ATTACKS.get(attack) or DB_ATTACKS[attack]
    before = _fingerprint(work)
    target = ["--home", "H"] if where == "--home" else ["--db", "w.duckdb"]
    done = run_newword("sql", query, *target, cwd=work)
    _one_line_error(done, r"^newword: error: (refused|give one SQL statement)")
    assert _fingerprint(work) == before


def test_sql_checks_the_statement_before_opening_anything(tmp_path):
    done = run_newword("sql", "DROP TABLE lexicon", "--db", "missing.duckdb", cwd=tmp_path)
    _one_line_error(done, r"refused: newword sql only reads .* got a DROP statement")


QUERIES = {
    "SELECT word, count FROM lexicon ORDER BY count DESC LIMIT 3": "word",
    "WITH top AS (SELECT * FROM lexicon LIMIT 2) SELECT count(*) AS n FROM top": "n",
    "FROM lexicon SELECT word LIMIT 1": "word",
    "DESCRIBE lexicon": "column_name",
    "SHOW TABLES": "name",
    "SUMMARIZE lexicon": "column_name",
    "EXPLAIN SELECT * FROM lexicon": "explain_key",
    "PRAGMA table_info('lexicon')": "name",
    "VALUES (1, 2)": "col0",
}


@pytest.mark.slow
@pytest.mark.parametrize("where", ["--home", "--db"])
@pytest.mark.parametrize("query", list(QUERIES))
def test_sql_runs_queries(work, where, query):
    target = ["--home", "H"] if where == "--home" else ["--db", "w.duckdb"]
    done = run_newword("sql", query, *target, "--format", "csv", cwd=work)
    assert done.returncode == 0, done.stderr
    assert QUERIES[query] in done.stdout.splitlines()[0].split(",")


@pytest.mark.slow
def test_sql_reads_every_published_file_of_the_home(work):
    done = run_newword("sql", "SELECT count(*) AS n FROM read_parquet('H/versions/*/lexicon.parquet')", "--home", "H", cwd=work)
    assert done.returncode == 0, done.stderr


# --- published versions are verified, not trusted --------------------------------------------------


def _append_byte(path):
    with open(path, "ab") as handle:
        handle.write(b"x")


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


TAMPERING = {
    "changed lexicon.parquet": ("lexicon.parquet", _append_byte, r"lexicon\.parquet: does not match the SHA-256"),
    "truncated ngram_counts.parquet": ("ngram_counts.parquet", _truncate, r"ngram_counts\.parquet: does not match"),
    "missing lexicon.parquet": ("lexicon.parquet", lambda p: p.unlink(), r"lexicon\.parquet: missing from version v000001"),
    "manifest {}": ("manifest.json", lambda p: p.write_text("{}"), r"manifest\.json: malformed manifest: no version"),
    "manifest not JSON": ("manifest.json", lambda p: p.write_text("{oops"), r"manifest\.json: malformed manifest"),
    "manifest a list": ("manifest.json", lambda p: p.write_text("[]"), r"manifest\.json: malformed manifest: not a JSON object"),
    "manifest without files": (
        "manifest.json",
        lambda p: p.write_text(json.dumps({k: v for k, v in json.loads(p.read_text()).items() if k != "files"})),
        r"manifest\.json: malformed manifest: no files",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(TAMPERING))
def test_a_tampered_version_is_a_one_line_error_everywhere(work, case):
    name, tamper, pattern = TAMPERING[case]
    tamper(work / VERSION / name)
    for command in (["verify"], ["verify", "1"], ["show", "latest"], ["diff", "1", "1"], ["export", "1"], ["report", "1"]):
        _one_line_error(run_newword(*command, "--home", "H", cwd=work), pattern)
    before = _fingerprint(work / "H")
    done = run_newword("refresh", "corpus.txt", "--home", "H", "--min-count", "5", "--quiet", cwd=work)
    _one_line_error(done, pattern)
    assert _fingerprint(work / "H") == before, "nothing published on top of a tampered version"
    assert not (work / "H" / "versions" / "version=v000002").exists()


@pytest.mark.slow
def test_verify_passes_on_an_untouched_home(work):
    done = run_newword("verify", "--home", "H", cwd=work)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "v000001\tok\t6 files"
    )  # lexicon tsv and parquet, word examples, n-grams, vocabulary, validation


@pytest.mark.slow
def test_discover_refuses_a_homes_warehouse(work):
    before = _fingerprint(work / "H")
    done = run_newword("discover", "corpus.txt", "--db", "H/warehouse.duckdb", "--quiet", cwd=work)
    _one_line_error(done, r"--db H/warehouse\.duckdb: is the warehouse of the home .*newword refresh --home", code=1)
    assert _fingerprint(work / "H") == before


@pytest.mark.slow
def test_refresh_refuses_a_warehouse_that_lost_documents(work, peoples_daily):
    small = write_lines(work / "small.txt", peoples_daily[:200])
    done = run_newword("discover", str(small), "--db", "other.duckdb", "--output", "", "--min-count", "5", "--quiet", cwd=work)
    assert done.returncode == 0, done.stderr
    shutil.copyfile(work / "other.duckdb", work / "H" / "warehouse.duckdb")  # replaced behind newword's back
    before = _fingerprint(work / "H")
    done = run_newword("refresh", "corpus.txt", "--home", "H", "--min-count", "5", "--quiet", cwd=work)
    _one_line_error(done, r"warehouse\.duckdb: holds 200 documents but v000001 was built from 1,4\d\d: .*move it aside")
    assert _fingerprint(work / "H") == before


# --- outputs never replace inputs or published files ------------------------------------------------


@pytest.mark.slow
def test_outputs_never_replace_inputs_or_published_files(work):
    os.symlink("corpus.txt", work / "link.tsv")
    cases = [
        (["discover", "corpus.txt", "--output", "corpus.txt", "--quiet"], r"--output corpus\.txt: is one of the input files"),
        (["discover", "corpus.txt", "--db", "corpus.txt", "--quiet"], r"--db corpus\.txt: is one of the input files"),
        (["discover", "./", "--output", "link.tsv", "--quiet"], r"--output link\.tsv: is one of the input files"),
        (["report", "1", "--home", "H", "--output", f"{VERSION}/report.html"], r"is inside the published version"),
        (["export", "1", "--home", "H", "--output", f"{VERSION}/lexicon.tsv"], r"is inside the published version"),
        (["segment", "corpus.txt", "--home", "H", "--output", "corpus.txt"], r"--output corpus\.txt: is one of the input"),
    ]
    before = _fingerprint(work)
    for args, pattern in cases:
        _one_line_error(run_newword(*args, cwd=work), pattern)
    assert _fingerprint(work) == before


@pytest.mark.slow
def test_a_home_is_a_path_not_a_pattern(work):
    shutil.copytree(work / "H", work / "G-other")
    done = run_newword("sql", "SELECT count(*) FROM lexicon_versions", "--home", "G*", cwd=work)
    _one_line_error(done, r"G\*: a home path may not contain")


@pytest.mark.slow
def test_a_glob_through_a_symlink_loop_reads_each_file_once(tmp_path, peoples_daily):
    folder = tmp_path / "loop"
    folder.mkdir()
    write_lines(folder / "a.txt", peoples_daily[:1000])
    os.symlink(".", folder / "again")  # loop/again/again/... is loop itself
    for source in ("loop/**/*.txt", "loop"):
        done = run_newword(
            "discover", source, "--db", "w.duckdb", "--output", "", "--min-count", "5", "--keep-duplicates", cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        assert "from 1,000 documents" in done.stdout, (source, done.stdout)


# --- bad values: one line, the documented exit code ------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value"), [("NEWWORD_THREADS", "abc"), ("NEWWORD_THREADS", "0"), ("NEWWORD_MEMORY_LIMIT", "lots")]
)
@pytest.mark.slow
def test_bad_environment_values_name_the_variable(work, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    before = _fingerprint(work)
    done = run_newword("discover", "corpus.txt", "--db", "w.duckdb", "--output", "", "--quiet", cwd=work)
    _one_line_error(done, rf"^newword: error: {variable} must be")
    assert _fingerprint(work) == before


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["--min-count", "0"], r"--min-count must be an integer >= 1"),
        (["--max-n", "1"], r"--max-n must be an integer >= 2"),
        (["--min-cohesion", "9:1"], r"--min-cohesion: length 9 is never used: n-grams stop at --max-n 4"),
        (["--min-cohesion", "2:5,3"], r"--min-cohesion: cannot read"),
        (["--window-days", "0"], r"--window-days must be > 0"),
        (["--max-n", "x"], r"--max-n must be an integer"),
    ],
)
@pytest.mark.slow
def test_bad_option_values_exit_2(work, args, pattern):
    done = run_newword("discover", "corpus.txt", "--db", "w.duckdb", "--output", "", *args, cwd=work)
    _one_line_error(done, pattern, code=2)


def test_exit_codes_are_documented():
    done = run_newword("--help")
    assert "exit status: 0 done; 1 " in done.stdout.replace("\n", " ").replace("  ", " ")


def _children(pid: int) -> list[int]:
    found = []
    for status in os.listdir("/proc"):
        if status.isdigit():
            try:
                fields = Path(f"/proc/{status}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(status))
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


@pytest.mark.slow
def test_sigkill_during_validation_takes_the_child_along_and_the_next_run_cleans_up(work, tmp_path):
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT, wait_for

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(scratch), "NEWWORD_FAILPOINT": "validate:child=pause:600"}
    command = [sys.executable, "-m", "newword.cli", "refresh", "corpus.txt", "--home", "H", "--min-count", "4", "--quiet"]
    refresh = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        child = wait_for(
            lambda: [c for c in _children(refresh.pid) if "newword.validate" in _cmdline(c)],
            300,
            "the validation child",
        )[0]
        assert list(scratch.glob("newword-gx-*"))
        os.kill(refresh.pid, signal.SIGKILL)
        refresh.wait()
        wait_for(lambda: _gone(child), 30, "the validation child to die with its parent")
    finally:
        if refresh.poll() is None:
            refresh.kill()
    assert list(scratch.glob(f"newword-gx-{refresh.pid}-*")), "the killed run left its folder"
    env.pop("NEWWORD_FAILPOINT")
    done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert not list(scratch.glob("newword-gx-*")), "the next run removed the stale folder"


@pytest.mark.slow
def test_serving_without_a_prefect_server_is_one_line(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT, free_port

    url = f"http://127.0.0.1:{free_port()}/api"  # nothing listens there
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_API_URL": url, "PREFECT_HOME": str(tmp_path / "prefect")}
    done = subprocess.run(
        [sys.executable, "-m", "flows.serve_refresh", str(tmp_path), "--home", str(tmp_path / "H")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    _one_line_error(done, rf"^serve_refresh: error: no Prefect server answers at PREFECT_API_URL={url} \(.*\): start one")


@pytest.fixture
def full_disk(tmp_path):
    """A real 4 MB file system (tmpfs, mounted as root, as the tests and CI run), too small for a build."""
    import subprocess

    folder = tmp_path / "small-disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_leaves_nothing(full_disk, peoples_daily):
    corpus = write_lines(full_disk.parent / "corpus.txt", peoples_daily[:3000])
    done = run_newword("discover", str(corpus), "--db", "w.duckdb", "--output", "lex.tsv", "--quiet", cwd=full_disk)
    _one_line_error(done, rf"^newword: error: {full_disk}: no space left on device; scratch files removed")
    assert list(full_disk.iterdir()) == []
    done = run_newword("refresh", str(corpus), "--home", "H", "--quiet", cwd=full_disk)
    _one_line_error(done, rf"^newword: error: {full_disk}/H: no space left on device")
    assert sorted(p.name for p in (full_disk / "H").iterdir()) == [".lock", "reports", "versions"]
    assert not list((full_disk / "H" / "versions").iterdir())
