"""newword refresh and the published versions: accumulation, the validation gate, atomic publishing
(SIGKILL at every point of it), readers during a refresh, and versions/show/diff/export."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from newword import failpoints
from newword.validate import load_suites
from tests import reference
from tests.conftest import ROOT, run_newword, write_lines

MIN_COUNT = ["--min-count", "5", "--mode", "reference"]  # compared with the reference algorithm
EXPECTATIONS = sum(len(s["expectations"]) for s in load_suites())


def refresh(home, *sources, extra=(), env=None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "newword.cli", "refresh", *map(str, sources), "--home", str(home), *MIN_COUNT, *extra],
        capture_output=True, text=True, timeout=300, env=environment, check=False,
    )  # fmt: skip


def versions(home) -> list[str]:
    done = run_newword("versions", "--home", str(home))
    assert done.returncode == 0, done.stderr
    return [line.split("\t")[0] for line in done.stdout.splitlines()]


def lexicon(version_path) -> dict[str, int]:
    return dict(
        duckdb.connect()
        .execute("SELECT word, count FROM read_parquet($p)", {"p": str(version_path / "lexicon.parquet")})
        .fetchall()
    )


def current_path(home):
    return max((home / "versions").glob("version=v*"))


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, peoples_daily):
    folder = tmp_path_factory.mktemp("corpora")
    a, b, c = peoples_daily[:2500], peoples_daily[2500:5000], peoples_daily[5000:6500]
    return {
        "a": write_lines(folder / "a.txt", a), "b": write_lines(folder / "b.txt", b), "c": write_lines(folder / "c.txt", c),
        "a_docs": a, "b_docs": b, "c_docs": c,
    }  # fmt: skip


@pytest.fixture(scope="module")
def home_v1(tmp_path_factory, corpora):
    home = tmp_path_factory.mktemp("home") / "home"
    done = refresh(home, corpora["a"])
    assert done.returncode == 0, done.stderr
    return home


@pytest.fixture(scope="module")
def home_v2(tmp_path_factory, home_v1, corpora):
    home = tmp_path_factory.mktemp("home2") / "home"
    shutil.copytree(home_v1, home)
    done = refresh(home, corpora["b"])
    assert done.returncode == 0, done.stderr
    return home


@pytest.fixture
def home(tmp_path, home_v1):
    """A private copy of a home with one published version."""
    copy = tmp_path / "home"
    shutil.copytree(home_v1, copy)
    return copy


def unique(documents: list[str]) -> list[str]:
    return list(dict.fromkeys(documents))


@pytest.mark.slow
def test_refresh_accumulates_and_equals_the_reference(home_v2, corpora):
    assert versions(home_v2) == ["v000001", "v000002"]
    manifest = json.loads((current_path(home_v2) / "manifest.json").read_text())
    corpus = unique(corpora["a_docs"] + corpora["b_docs"])
    assert manifest["corpus"]["documents"] == len(corpus)
    assert manifest["corpus"]["new_documents"] == len(corpus) - len(unique(corpora["a_docs"]))
    assert lexicon(current_path(home_v2)) == reference.discover(corpus, min_count=5)


@pytest.mark.slow
def test_manifest_is_self_describing(home_v2):
    path = current_path(home_v2)
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["version"] == "v000002" and manifest["previous_version"] == "v000001"
    assert manifest["parameters"] == {
        "chars": "cjk",
        "max_n": 4,
        "min_cohesion": {"2": 5.0, "3": 25.0, "4": 125.0},
        "min_count": 5,
        "mode": "reference",
        "split_bonus": 0.0,
    }
    assert set(manifest["corpus"]) == {"documents", "new_documents", "characters", "document_characters", "content_hash"}
    assert manifest["rows"]["lexicon"] == len(lexicon(path))
    assert manifest["validation"]["success"] and manifest["validation"]["failed"] == 0
    assert manifest["code_version"].startswith("0.")
    import hashlib

    for name, digest in manifest["files"].items():
        assert hashlib.sha256((path / name).read_bytes()).hexdigest() == digest
    tsv = (path / "lexicon.tsv").read_text(encoding="utf-8").splitlines()
    assert tsv[0].split("\t")[:2] == ["word", "count"] and len(tsv) == manifest["rows"]["lexicon"] + 1


@pytest.mark.slow
def test_no_new_documents_publishes_nothing(home, corpora):
    before = versions(home)
    done = refresh(home, corpora["a"])
    assert done.returncode == 0
    assert "no new documents; v000001 stays current" in done.stdout
    assert versions(home) == before


@pytest.mark.slow
def test_failed_gate_keeps_previous_version_and_corpus(home, corpora):
    warehouse = (home / "warehouse.duckdb").read_bytes()
    done = refresh(home, corpora["b"], extra=["--max-size-ratio", "1.05"])
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"validation failed: 1 of {EXPECTATIONS} expectations; nothing published" in done.stderr
    assert "FAILED  lexicon: lexicon size within the band of the previous version's" in done.stderr
    reports = list((home / "reports").glob("*-failed-validation.json"))
    assert len(reports) == 1 and json.loads(reports[0].read_text())["summary"]["failed"] == 1
    assert versions(home) == ["v000001"]
    assert (home / "warehouse.duckdb").read_bytes() == warehouse
    again = refresh(home, corpora["b"], extra=["--max-size-ratio", "1.05", "--allow-size-change"])
    assert again.returncode == 0, again.stderr
    assert versions(home) == ["v000001", "v000002"]


@pytest.mark.slow
def test_corrupted_table_stops_the_publish(home, corpora, tmp_path):
    """The gate inside a refresh: a corrupted lexicon in the build fails, nothing is published."""
    from newword import pipeline
    from newword.home import Home
    from newword.refresh import ValidationFailed, validate_build
    from newword.settings import Settings
    from newword.validate import SizeBand

    build = pipeline.start([str(corpora["b"])], home / "warehouse.duckdb", settings=Settings(min_count=5), accumulate=True)
    try:
        pipeline.run_documents(build)
        pipeline.run_steps(build, lambda name, function, *args: function(*args))
        pipeline.record_run(build)
        con = duckdb.connect(str(build.scratch_db))
        con.execute("UPDATE lexicon SET count = count + 1000000 WHERE word = (SELECT max(word) FROM lexicon)")
        con.close()
        with pytest.raises(ValidationFailed) as failure:
            validate_build(Home(home), build, SizeBand(), allow_size_change=False)
    finally:
        pipeline.abort(build)
    assert "a word's count never exceeds its n-gram count" in str(failure.value)
    assert failure.value.saved.exists()
    assert versions(home) == ["v000001"]


def _bad(tmp_path, name, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bin.txt", b"\x00\x01\x02binary", "binary file"),
        ("bad.txt", "中华人民\n".encode() + b"\xff\n", "bad.txt:2: invalid UTF-8"),
        ("x.docx", b"PK\x03\x04", "unknown format '.docx'"),
    ],
)
@pytest.mark.slow
def test_bad_input_publishes_nothing(home, corpora, tmp_path, name, content, message):
    warehouse = (home / "warehouse.duckdb").read_bytes()
    done = refresh(home, corpora["b"], _bad(tmp_path, name, content))
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 2  # a progress line at most, then the error
    assert versions(home) == ["v000001"]
    assert (home / "warehouse.duckdb").read_bytes() == warehouse


@pytest.mark.slow
@pytest.mark.parametrize("point", failpoints.POINTS)
def test_sigkill_at_each_point_of_the_publish(home, corpora, point):
    previous = lexicon(current_path(home))
    done = refresh(home, corpora["b"], env={"NEWWORD_FAILPOINT": f"{point}=kill"})
    assert done.returncode == -9, done.stderr
    # the previous version is whole and readable; a new one is either absent or whole
    listed = versions(home)
    assert listed in (["v000001"], ["v000001", "v000002"])
    assert lexicon(home / "versions" / "version=v000001") == previous
    if listed == ["v000001", "v000002"]:
        assert point == "publish:after-rename"
        manifest = json.loads((current_path(home) / "manifest.json").read_text())
        assert manifest["rows"]["lexicon"] == len(lexicon(current_path(home)))
    sql = run_newword("sql", "SELECT count(*) FROM lexicon_versions", "--home", str(home))
    assert sql.returncode == 0, sql.stderr
    # the next refresh, with other documents, succeeds; b's documents are in it exactly when the
    # killed refresh got as far as replacing the warehouse (its corpus was committed)
    again = refresh(home, corpora["c"])
    assert again.returncode == 0, again.stderr
    committed = point in ("publish:before-rename", "publish:after-rename")
    documents = corpora["a_docs"] + (corpora["b_docs"] if committed else []) + corpora["c_docs"]
    assert lexicon(current_path(home)) == reference.discover(unique(documents), min_count=5)
    assert versions(home)[-1] == ("v000003" if point == "publish:after-rename" else "v000002")
    assert not (home / ".staging").exists() and not list(home.glob(".warehouse.duckdb.build-*"))


@pytest.mark.slow
def test_readers_are_never_blocked_by_a_running_refresh(home, corpora):
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NEWWORD_FAILPOINT": "validate=pause:8"}
    running = subprocess.Popen(
        [sys.executable, "-m", "newword.cli", "refresh", str(corpora["b"]), "--home", str(home), *MIN_COUNT],
        stderr=subprocess.PIPE, text=True, env=environment,
    )  # fmt: skip
    try:
        for line in running.stderr:
            if "paused at validate" in line:
                break
        assert running.poll() is None, "the refresh is still running"
        # newword sql over the published versions
        done = run_newword(
            "sql",
            "SELECT version, count(*) AS words FROM lexicon_versions GROUP BY version",
            "--home",
            str(home),
            "--format",
            "csv",
        )
        assert done.returncode == 0 and done.stdout.splitlines()[1].startswith("v000001,"), done.stderr
        # another process with plain DuckDB: the Parquet files, and the warehouse read-only
        reader = subprocess.run(
            [sys.executable, "-c", (
                "import duckdb, sys; h = sys.argv[1]; c = duckdb.connect()\n"
                "print(c.execute(\"SELECT count(*) FROM read_parquet(h || '/versions/*/lexicon.parquet', hive_partitioning=true)\".replace('h ||', repr(h) + ' ||')).fetchall()[0][0])\n"
                "w = duckdb.connect(h + '/warehouse.duckdb', read_only=True)\n"
                "print(w.execute('SELECT count(*) FROM lexicon').fetchall()[0][0])"
            ), str(home)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert reader.returncode == 0, reader.stderr
        assert reader.stdout.split()[0] == reader.stdout.split()[1]  # one published version so far
        # a second refresh is refused while the first holds the home
        second = refresh(home, corpora["b"])
        assert second.returncode == 1 and f"another refresh is running (PID {running.pid})" in second.stderr
        assert running.poll() is None
    finally:
        _, rest = running.communicate(timeout=120)
    assert running.returncode == 0, rest
    assert versions(home) == ["v000001", "v000002"]


@pytest.mark.slow
def test_versions_show_diff_and_export(home_v2, tmp_path):
    done = run_newword("versions", "--home", str(home_v2))
    lines = done.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["v000001", "v000002"] and "words" in lines[0]
    show = run_newword("show", "2", "--home", str(home_v2), "--top", "3")
    assert show.returncode == 0 and "version        v000002" in show.stdout and "(3 rows)" in show.stdout

    old, new = lexicon(home_v2 / "versions" / "version=v000001"), lexicon(current_path(home_v2))
    diff = run_newword("diff", "v000001", "v000002", "--home", str(home_v2)).stdout.splitlines()
    assert {line[1:].split("\t")[0] for line in diff if line[0] == "+"} == set(new) - set(old)
    assert {line[1:].split("\t")[0] for line in diff if line[0] == "-"} == set(old) - set(new)
    assert all(int(line.split("\t")[1]) == (new if line[0] == "+" else old)[line[1:].split("\t")[0]] for line in diff)
    changed = run_newword("diff", "1", "latest", "--changed", "--home", str(home_v2)).stdout.splitlines()
    tildes = {line[1:].split("\t")[0]: (int(line.split("\t")[1]), int(line.split("\t")[2])) for line in changed if line[0] == "~"}
    assert tildes == {w: (old[w], new[w]) for w in set(old) & set(new) if old[w] != new[w]} and tildes

    tsv = run_newword("export", "latest", "--format", "tsv", "--home", str(home_v2)).stdout.splitlines()
    assert tsv[0].split("\t")[:2] == ["word", "count"] and len(tsv) == len(new) + 1
    txt = run_newword("export", "latest", "--format", "txt", "--home", str(home_v2)).stdout.split()
    assert set(txt) == set(new)
    js = json.loads(run_newword("export", "latest", "--format", "json", "--home", str(home_v2)).stdout)
    assert {row["word"]: row["count"] for row in js} == new
    assert all(r["cohesion"] is None or r["cohesion"] == round(r["cohesion"], 4) for r in js)  # one rounding everywhere
    parquet = tmp_path / "l.parquet"
    assert (
        run_newword("export", "latest", "--format", "parquet", "--output", str(parquet), "--home", str(home_v2)).returncode == 0
    )
    assert dict(duckdb.connect().execute("SELECT word, count FROM read_parquet($p)", {"p": str(parquet)}).fetchall()) == new
    import pandas  # the documented Python reader (with pyarrow), on the export and on the version's own file

    assert dict(pandas.read_parquet(parquet)[["word", "count"]].itertuples(index=False)) == new
    published = pandas.read_parquet(current_path(home_v2) / "lexicon.parquet")
    assert dict(published[["word", "count"]].itertuples(index=False)) == new
    no_file = run_newword("export", "latest", "--format", "parquet", "--home", str(home_v2))
    assert no_file.returncode == 1 and "--format parquet needs --output FILE" in no_file.stderr
    missing = run_newword("show", "v000009", "--home", str(home_v2))
    assert missing.returncode == 1 and "no version 'v000009'" in missing.stderr


@pytest.mark.slow
def test_versions_show_and_diff_as_json(home_v2):
    """--format json: one document per command (an array of objects for rows), as sql and export write."""
    listed = json.loads(run_newword("versions", "--home", str(home_v2), "--format", "json").stdout)
    assert [v["version"] for v in listed] == ["v000001", "v000002"]
    assert listed[1]["words"] == len(lexicon(current_path(home_v2))) and listed[1]["checks_passed"] == listed[1]["checks"]
    shown = json.loads(run_newword("show", "latest", "--home", str(home_v2), "--top", "3", "--format", "json").stdout)
    assert shown["manifest"]["version"] == "v000002" and len(shown["top_words"]) == 3
    assert shown["top_words"][0]["word"] and shown["path"].endswith("version=v000002")
    old, new = lexicon(home_v2 / "versions" / "version=v000001"), lexicon(current_path(home_v2))
    changes = json.loads(run_newword("diff", "1", "2", "--changed", "--home", str(home_v2), "--format", "json").stdout)
    assert {c["word"] for c in changes if c["change"] == "added"} == set(new) - set(old)
    assert {c["word"] for c in changes if c["change"] == "removed"} == set(old) - set(new)
    assert all(c["old_count"] == old[c["word"]] and c["new_count"] == new[c["word"]] for c in changes if c["change"] == "changed")


@pytest.mark.slow
def test_jieba_accepts_the_exported_user_dictionary(home_v2, tmp_path):
    userdict = tmp_path / "userdict.txt"
    assert run_newword("export", "latest", "--format", "jieba", "--output", str(userdict), "--home", str(home_v2)).returncode == 0
    new = lexicon(current_path(home_v2))
    probe = subprocess.run(
        [sys.executable, "-c", (
            "import jieba, logging, sys; jieba.setLogLevel(logging.ERROR); jieba.load_userdict(sys.argv[1])\n"
            "words = [l.split()[0] for l in open(sys.argv[1], encoding='utf-8')]\n"
            "print(sum(jieba.dt.FREQ.get(w, 0) > 0 for w in words), len(words))"
        ), str(userdict)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    known, total = map(int, probe.stdout.split())
    assert known == total == len(new)


@pytest.mark.slow
def test_sql_over_published_versions(home_v2):
    done = run_newword(
        "sql", "SELECT v.version, v.rows.lexicon AS manifest_rows, count(l.word) AS words FROM versions AS v "
        "JOIN lexicon_versions AS l USING (version) GROUP BY ALL ORDER BY 1", "--home", str(home_v2), "--format", "csv",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [line.split(",") for line in done.stdout.splitlines()[1:]]
    assert [r[0] for r in rows] == ["v000001", "v000002"] and all(r[1] == r[2] for r in rows)
    current = run_newword("sql", "SELECT count(*) FROM lexicon", "--home", str(home_v2), "--format", "csv")
    assert int(current.stdout.splitlines()[1]) == len(lexicon(current_path(home_v2)))
    empty = run_newword("sql", "SELECT 1", "--home", str(home_v2.parent / "nothing-here"))
    assert empty.returncode == 1 and "no published versions" in empty.stderr


@pytest.mark.slow
def test_known_words_mark_lexicon_entries_and_export_new_only(tmp_path, corpora):
    home = tmp_path / "home"
    top = [w for w, _ in sorted(reference.discover(corpora["a_docs"], min_count=5).items(), key=lambda i: (-i[1], i[0]))[:10]]
    words = tmp_path / "known.txt"
    words.write_text(
        "".join(f"{w} 100 n\n" for w in top[:5]) + "\n".join(top[5:]) + "\n", encoding="utf-8"
    )  # jieba-style and plain lines
    assert refresh(home, corpora["a"], extra=["--known-words", str(words)]).returncode == 0
    assert refresh(home, corpora["b"]).returncode == 0  # the home keeps its known-words list
    known = run_newword("sql", "SELECT word FROM lexicon WHERE is_known ORDER BY word", "--home", str(home), "--format", "csv")
    assert known.stdout.splitlines()[1:] == sorted(w for w in top if w in lexicon(current_path(home)))
    new_only = run_newword("export", "latest", "--format", "txt", "--new-only", "--home", str(home)).stdout.split()
    assert set(new_only) == set(lexicon(current_path(home))) - set(top)
    tsv = run_newword("export", "latest", "--format", "tsv", "--home", str(home)).stdout.splitlines()
    assert tsv[0] == "word\tcount\tlength\tcohesion\tis_known"
    missing = refresh(home, corpora["b"], extra=["--known-words", str(tmp_path / "nope.txt")])
    assert missing.returncode == 1 and "--known-words: " in missing.stderr and "no such file" in missing.stderr


@pytest.mark.slow
def test_jieba_dictionary_as_known_words(tmp_path, corpora):
    done = run_newword(
        "discover",
        str(corpora["a"]),
        "--db",
        str(tmp_path / "w.duckdb"),
        "--output",
        "",
        "--min-count",
        "5",
        "--known-words",
        "jieba",
    )
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    known, total, listed = con.execute(
        "SELECT count(*) FILTER (WHERE is_known), count(*), (SELECT count(*) FROM known_words) FROM lexicon"
    ).fetchall()[0]
    assert listed > 340_000  # jieba's dict.txt: 349,046 lines
    assert 0.5 * total < known < total  # most words of news are in jieba's dictionary, not all


@pytest.mark.slow
def test_incremental_refreshes_equal_a_full_rebuild(tmp_path, peoples_daily):
    """Real text split into four refreshes: every table equals one refresh of the whole, and the reference."""
    documents = peoples_daily[:8000]
    chunks = [write_lines(tmp_path / f"part{i}.txt", documents[i * 2000 : (i + 1) * 2000]) for i in range(4)]
    whole = write_lines(tmp_path / "whole.txt", documents)
    for chunk in chunks:
        assert refresh(tmp_path / "inc", chunk, extra=["--allow-size-change"]).returncode == 0
    assert refresh(tmp_path / "full", whole).returncode == 0
    inc = duckdb.connect(str(tmp_path / "inc" / "warehouse.duckdb"), read_only=True)
    full = duckdb.connect(str(tmp_path / "full" / "warehouse.duckdb"), read_only=True)
    for table in ("ngram_totals", "ngram_counts", "cohesion", "candidates", "lexicon"):
        query = f"SELECT * FROM {table} ORDER BY ALL"
        assert inc.execute(query).fetchall() == full.execute(query).fetchall(), table
    assert (
        inc.execute("SELECT counted_through_doc_id FROM counting_state").fetchall()
        == inc.execute("SELECT max(doc_id) FROM documents").fetchall()
    )
    assert inc.execute("SELECT count(*) FROM documents").fetchall() == [(len(unique(documents)),)]
    assert lexicon(current_path(tmp_path / "inc")) == reference.discover(unique(documents), min_count=5)


@pytest.mark.slow
def test_changed_settings_recount_everything(tmp_path, corpora):
    home = tmp_path / "home"
    assert refresh(home, corpora["a"]).returncode == 0
    done = refresh(home, corpora["b"], extra=["--max-n", "5", "--allow-size-change"])
    assert done.returncode == 0, done.stderr
    expected = reference.discover(unique(corpora["a_docs"] + corpora["b_docs"]), max_n=5, min_count=5)
    assert lexicon(current_path(home)) == expected


@pytest.mark.slow
def test_window_keeps_only_recent_documents(tmp_path, corpora):
    import datetime

    recent = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=2)).date().isoformat()
    records = [{"text": t, "date": "2020-01-01"} for t in corpora["a_docs"]] + [
        {"text": t, "date": recent} for t in corpora["b_docs"]
    ]
    source = tmp_path / "dated.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    home = tmp_path / "home"
    done = refresh(home, source, extra=["--date-field", "date", "--window-days", "30"])
    assert done.returncode == 0, done.stderr
    seen_before = set(corpora["a_docs"])  # a recent copy of an old document is the old document (same content)
    window_only = reference.discover([t for t in unique(corpora["b_docs"]) if t not in seen_before], min_count=5)
    assert lexicon(current_path(home)) == window_only
    manifest = json.loads((current_path(home) / "manifest.json").read_text())
    assert manifest["window"]["days"] == 30 and manifest["window"]["date_field"] == "date"
    # without the window, the next refresh (no new documents) counts the whole corpus again
    whole = refresh(home, source, extra=["--date-field", "date", "--allow-size-change"])
    assert whole.returncode == 0, whole.stderr
    assert lexicon(current_path(home)) == reference.discover(unique(corpora["a_docs"] + corpora["b_docs"]), min_count=5)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "中华人民", "date": "yesterday"}\n', encoding="utf-8")
    failed = refresh(home, bad, extra=["--date-field", "date"])
    assert failed.returncode == 1 and "bad.jsonl:1: cannot read date 'yesterday'" in failed.stderr


@pytest.mark.slow
def test_quarantine_sets_unreadable_sources_aside_and_refreshes_the_rest(tmp_path, peoples_daily):
    folder = tmp_path / "incoming"
    folder.mkdir()
    write_lines(folder / "good.txt", peoples_daily[:400])
    # 100 readable lines first: they must be taken back with the file, not half-published
    (folder / "bad.txt").write_bytes(("\n".join(peoples_daily[400:500]) + "\n").encode() + b"bad \xff line\n")
    (folder / "bin.txt").write_bytes(b"\x00\x01binary")
    home = tmp_path / "home"
    refused = run_newword("refresh", str(folder), "--home", str(home), "--min-count", "5", "--quiet")
    assert refused.returncode == 1 and "bad.txt:101: invalid UTF-8" in refused.stderr
    assert not list(home.glob("versions/version=*")) and (folder / "bad.txt").exists()

    done = run_newword("refresh", str(folder), "--home", str(home), "--min-count", "5", "--quiet", "--quarantine")
    assert done.returncode == 0, done.stderr
    assert "published v000001" in done.stdout
    assert f"set aside {folder / 'bad.txt'}: {folder / 'bad.txt'}:101: invalid UTF-8" in done.stderr
    assert f"set aside {folder / 'bin.txt'}" in done.stderr
    [aside] = list((home / "quarantine").iterdir())
    assert sorted(p.name for p in aside.iterdir()) == ["bad.txt", "bad.txt.reason.txt", "bin.txt", "bin.txt.reason.txt"]
    assert "binary file" in (aside / "bin.txt.reason.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == ["good.txt"]
    manifest = json.loads((current_path(home) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["corpus"]["documents"] == len(reference.distinct(peoples_daily[:400]))
