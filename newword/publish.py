"""Published versions: write one atomically, and read them (show, diff, export, SQL views).

A version is written in HOME/.staging/<id>-<pid>/ and flushed to disk; the accumulated warehouse
is replaced; then the version is renamed into HOME/versions/version=<id>/ in one step. A crash at
any point leaves the previous version current and whole; after a crash between the two renames
the warehouse holds documents no version has, and the next refresh publishes them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from newword import __version__, failpoints, sqlfiles, warehouse
from newword import report as html_report
from newword.errors import NewwordError
from newword.home import Home, Version, fsync_dir, fsync_tree
from newword.pipeline import Build, write_lexicon_tsv
from newword.validate import Report

ROOT = Path(__file__).resolve().parent.parent


def code_version() -> str:
    """newword's version, with the git commit when running from a checkout."""
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty", "--abbrev=12"],
            capture_output=True, text=True, timeout=5, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return __version__
    commit = done.stdout.strip() if done.returncode == 0 else ""
    return f"{__version__}+{commit}" if commit else __version__


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def publish(home: Home, build: Build, report: Report, new_documents: int) -> Version:
    """Write the build's lexicon and n-gram counts as the next version, then adopt its warehouse."""
    previous = home.current()
    version_id = home.next_id()
    staging_root = home.path / ".staging"
    staging_root.mkdir(exist_ok=True)
    scratch = staging_root / f"{version_id}-{os.getpid()}"
    scratch.mkdir()
    con = warehouse.connect(build.scratch_db, read_only=True)
    try:
        con.sql(sqlfiles.text("lexicon_file")).write_parquet(str(scratch / "lexicon.parquet"))
        files = ["lexicon.parquet", "lexicon.tsv", "ngram_counts.parquet", "vocabulary.parquet", "validation.json"]
        if sqlfiles.exists(con, "word_examples"):  # topwords mode: where each word is used
            con.sql(sqlfiles.text("word_examples_file")).write_parquet(str(scratch / "word_examples.parquet"))
            files.append("word_examples.parquet")
        con.sql(sqlfiles.text("ngram_counts_export")).write_parquet(str(scratch / "ngram_counts.parquet"))
        con.sql(sqlfiles.text("vocabulary"), params=sqlfiles.bind("vocabulary", build.parameters())).write_parquet(
            str(scratch / "vocabulary.parquet")
        )
        documents, document_characters, characters, content_hash = sqlfiles.query(con, "corpus_fingerprint")[0]
        rows = {"lexicon": sqlfiles.row_count(con, "lexicon"), "ngram_counts": sqlfiles.row_count(con, "ngram_counts")}
        known_words = sqlfiles.row_count(con, "known_words") if sqlfiles.exists(con, "known_words") else 0
    finally:
        con.close()
    write_lexicon_tsv(build.scratch_db, scratch / "lexicon.tsv")
    failpoints.reach("publish:files")
    (scratch / "validation.json").write_text(report.to_json(), encoding="utf-8")
    manifest = {
        "version": version_id,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "previous_version": previous.id if previous else None,
        "newword_version": __version__,
        "code_version": code_version(),
        "parameters": json.loads(build.settings.to_json()),
        "ingest": {"to_simplified": build.ingest.to_simplified},
        "known_words": {"source": _known_words_source(build, previous), "words": known_words},
        "window": None
        if build.window_days is None
        else {"days": build.window_days, "start": build.window_start, "date_field": build.ingest.date_field},
        "corpus": {
            "documents": documents,
            "new_documents": new_documents,
            "characters": characters,
            "document_characters": document_characters,
            "content_hash": content_hash,
        },
        "rows": rows,
        "validation": report.summary(),
        "files": {name: _sha256(scratch / name) for name in files},
    }
    (scratch / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    html_report.write(scratch, scratch / "report.html", [(v.id, v.path) for v in home.versions()], links_relative=True)
    fsync_tree(scratch)
    failpoints.reach("publish:before-warehouse")
    # The corpus first: a crash after this leaves a warehouse ahead of the current version, which
    # the next refresh sees (its fingerprint differs from the manifest's) and publishes.
    adopt_warehouse(home, build)
    failpoints.reach("publish:before-rename")
    target = home.versions_dir / f"version={version_id}"
    os.rename(scratch, target)  # the publish: readers see the previous version or this whole one
    fsync_dir(home.versions_dir)
    failpoints.reach("publish:after-rename")
    shutil.rmtree(staging_root, ignore_errors=True)
    return Version(version_id, target)


def _known_words_source(build: Build, previous: Version | None) -> str | None:
    """Where the known words came from: this build's --known-words, else the list the home kept."""
    if build.known_words is not None:
        return build.known_words if build.known_words == "jieba" else str(Path(build.known_words).resolve())
    return previous.manifest.get("known_words", {}).get("source") if previous else None


def adopt_warehouse(home: Home, build: Build) -> None:
    """Make the build's warehouse the home's (one rename; readers of the old file keep reading it)."""
    os.replace(build.scratch_db, home.warehouse)
    fsync_dir(home.path)


def document_count(db: Path) -> int:
    con = warehouse.connect(db, read_only=True)
    try:
        return sqlfiles.row_count(con, "documents") if sqlfiles.exists(con, "documents") else 0
    finally:
        con.close()


def corpus_fingerprint(db: Path) -> str:
    con = warehouse.connect(db, read_only=True)
    try:
        return sqlfiles.query(con, "corpus_fingerprint")[0][3]
    finally:
        con.close()


# --- reading ------------------------------------------------------------------------------------


def verify(version: Version) -> list[str]:
    """Check every file the manifest lists against its SHA-256; return the names checked.
    A missing, truncated or changed file is a one-line error naming it."""
    files = version.manifest["files"]
    if not isinstance(files, dict):
        raise NewwordError(f"{version.path / 'manifest.json'}: malformed manifest: files must map names to SHA-256")
    for name, expected in sorted(files.items()):
        path = version.path / name
        if not path.is_file():
            raise NewwordError(f"{path}: missing from version {version.id} (the manifest lists it)")
        if _sha256(path) != expected:
            raise NewwordError(
                f"{path}: does not match the SHA-256 in version {version.id}'s manifest (changed or truncated since it was published)"
            )
    return sorted(files)


def lexicon_rows(version: Version, limit: int | None = None, new_only: bool = False) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect()
    try:
        values = {"path": str(version.lexicon_parquet), "limit": limit, "new_only": new_only}
        cursor = con.execute(sqlfiles.text("version_lexicon"), values)
        return [d[0] for d in cursor.description], cursor.fetchall()
    finally:
        con.close()


def diff(old: Version, new: Version, include_changed: bool = False) -> list[tuple]:
    con = duckdb.connect()
    try:
        values = {"old_path": str(old.lexicon_parquet), "new_path": str(new.lexicon_parquet), "include_changed": include_changed}
        return sqlfiles.query(con, "version_diff", values)
    finally:
        con.close()


def new_words(version: Version, earlier: list[Version], limit: int | None = None) -> list[tuple]:
    """(word, count, length) of the words first published in `version` (in none of the `earlier`
    versions) and not known, most used first (every word not known, for a first version)."""
    if not earlier:
        return [(word, count, length) for word, count, length, *_ in lexicon_rows(version, limit, new_only=True)[1]]
    con = duckdb.connect()
    try:
        values = {"new_path": str(version.lexicon_parquet), "earlier_paths": [str(v.lexicon_parquet) for v in earlier]}
        return sqlfiles.query(con, "version_new_words", {**values, "limit": limit})
    finally:
        con.close()


def reader(home: Home) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with views over the published Parquet files: never blocked by a refresh.

    lexicon, ngram_counts, word_examples (topwords mode): the current version; lexicon_versions,
    ngram_counts_versions: every version, with a `version` column; versions: one row per manifest."""
    versions = home.versions()
    if not versions:
        raise NewwordError(f"{home.path}: no published versions (run `newword refresh` first)")
    folders = [v.path.resolve() for v in versions]  # absolute: `newword sql` allows reading only under versions/
    con = duckdb.connect()
    con.read_parquet(str(folders[-1] / "lexicon.parquet")).create_view("lexicon")
    con.read_parquet(str(folders[-1] / "ngram_counts.parquet")).create_view("ngram_counts")
    if (folders[-1] / "word_examples.parquet").exists():
        con.read_parquet(str(folders[-1] / "word_examples.parquet")).create_view("word_examples")
    for table in ("lexicon", "ngram_counts"):
        files = [str(folder / f"{table}.parquet") for folder in folders]
        # union_by_name: a topwords version's lexicon has more columns than a reference one's
        con.read_parquet(files, hive_partitioning=True, union_by_name=True).create_view(f"{table}_versions")
    con.read_json([str(folder / "manifest.json") for folder in folders], format="auto").create_view("versions")
    return con


def segmenter(version: Version):
    """A segmenter with the version's vocabulary and character class."""
    from newword.segment import Segmenter
    from newword.settings import CHAR_CLASSES

    path = version.path / "vocabulary.parquet"
    if not path.exists():
        raise NewwordError(
            f"version {version.id} has no vocabulary.parquet (published by an older newword): run `newword refresh` again"
        )
    con = duckdb.connect()
    try:
        counts = sqlfiles.query(con, "version_vocabulary", {"path": str(path)})
    finally:
        con.close()
    manifest = version.manifest
    to_simplified = manifest.get("ingest", {}).get("to_simplified", False)
    parameters = manifest["parameters"]
    return Segmenter(counts, CHAR_CLASSES[parameters.get("chars", "cjk")], to_simplified, parameters.get("split_bonus", 0.0))


def write_new_words_parquet(version: Version, target: Path) -> None:
    con = duckdb.connect()
    try:
        values = {"path": str(version.lexicon_parquet), "limit": None, "new_only": True}
        con.sql(sqlfiles.text("version_lexicon"), params=values).write_parquet(str(target))
    finally:
        con.close()
