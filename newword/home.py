"""A newword home: the accumulated corpus and the published, immutable lexicon versions.

    HOME/
      warehouse.duckdb           the corpus and the tables of the latest published build
      versions/version=v000001/  one folder per published version (hive-style, so DuckDB adds a
        manifest.json            `version` column when reading versions/*/lexicon.parquet)
        lexicon.parquet, lexicon.tsv, ngram_counts.parquet, validation.json
      reports/                   validation reports of refreshes that failed the gate
      .lock                      held by a running refresh

A version folder is written under a hidden scratch name and renamed into versions/ in one step:
that rename is the publish. The current version is the newest folder. Nothing else marks it, so
readers never see a partial version.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from newword.errors import NewwordError

VERSION_DIR = re.compile(r"^version=(v\d{6})$")
# What every reader of a manifest relies on; anything less is a malformed manifest, named as such.
MANIFEST_KEYS = ("version", "created_at", "parameters", "corpus", "rows", "validation", "files")
MANIFEST_FIELDS = {
    "corpus": ("documents", "new_documents", "characters", "content_hash"),
    "rows": ("lexicon", "ngram_counts"),
    "validation": ("passed", "expectations"),
    "files": ("lexicon.parquet", "ngram_counts.parquet"),
}


def default_home() -> Path:
    """--home, else $NEWWORD_HOME, else $XDG_DATA_HOME/newword (~/.local/share/newword)."""
    if env := os.environ.get("NEWWORD_HOME"):
        return Path(env)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "newword"


@dataclasses.dataclass(frozen=True)
class Version:
    id: str
    path: Path

    @property
    def manifest(self) -> dict:
        path = self.path / "manifest.json"
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise NewwordError(f"{path}: unreadable manifest: {exc.strerror or exc}") from None
        except ValueError as exc:
            raise NewwordError(f"{path}: malformed manifest: {exc}") from None
        if not isinstance(manifest, dict):
            raise NewwordError(f"{path}: malformed manifest: not a JSON object")
        missing = [key for key in MANIFEST_KEYS if key not in manifest]
        if missing:
            raise NewwordError(f"{path}: malformed manifest: no {', '.join(missing)}")
        for key, fields in MANIFEST_FIELDS.items():
            value = manifest[key]
            if not isinstance(value, dict) or any(field not in value for field in fields):
                raise NewwordError(f"{path}: malformed manifest: {key} must hold {', '.join(fields)}")
        return manifest

    @property
    def lexicon_parquet(self) -> Path:
        return self.path / "lexicon.parquet"


# DuckDB reads a file path with these characters as a pattern that can match other homes' files.
_GLOB = re.compile(r"[*?\[\]{}]")


@dataclasses.dataclass(frozen=True)
class Home:
    path: Path

    def __post_init__(self) -> None:
        if _GLOB.search(str(self.path)):
            raise NewwordError(f"{self.path}: a home path may not contain * ? [ ] {{ }} (it is a folder, not a pattern)")

    @property
    def warehouse(self) -> Path:
        return self.path / "warehouse.duckdb"

    @property
    def versions_dir(self) -> Path:
        return self.path / "versions"

    @property
    def reports_dir(self) -> Path:
        return self.path / "reports"

    def create(self) -> None:
        try:
            for folder in (self.path, self.versions_dir, self.reports_dir):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NewwordError(f"{self.path}: cannot create home: {exc.strerror}") from None

    def versions(self) -> list[Version]:
        """Published versions, oldest first."""
        if not self.versions_dir.is_dir():
            return []
        found = [(m.group(1), p) for p in self.versions_dir.iterdir() if (m := VERSION_DIR.match(p.name)) and p.is_dir()]
        return [Version(vid, p) for vid, p in sorted(found)]

    def current(self) -> Version | None:
        versions = self.versions()
        return versions[-1] if versions else None

    def next_id(self) -> str:
        current = self.current()
        return f"v{(int(current.id[1:]) + 1) if current else 1:06d}"

    def version(self, name: str) -> Version:
        """A version by id (v000003, 3) or alias (latest, current, previous)."""
        versions = self.versions()
        if not versions:
            raise NewwordError(f"{self.path}: no published versions (run `newword refresh` first)")
        if name in ("latest", "current"):
            return versions[-1]
        if name == "previous":
            if len(versions) < 2:
                raise NewwordError(f"{self.path}: only one version is published; there is no previous one")
            return versions[-2]
        number = re.fullmatch(r"v?(\d+)", name)
        wanted = f"v{int(number.group(1)):06d}" if number else name
        for version in versions:
            if version.id == wanted:
                return version
        raise NewwordError(
            f"no version {name!r} in {self.path} (have {versions[0].id}..{versions[-1].id}; see `newword versions`)"
        )

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive: one refresh at a time per home. Readers never take it."""
        self.create()
        handle = open(self.path / ".lock", "a+")  # noqa: SIM115 - held for the block
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise NewwordError(f"{self.path}: another refresh is running (PID {holder})") from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            self._clean_scratch()
            yield
        finally:
            handle.close()

    def _clean_scratch(self) -> None:
        """Remove what a killed refresh left behind (only ever called under the lock)."""
        leftovers = [*self.path.glob(".warehouse.duckdb.build-*"), *self.path.glob(".staging"), *self.versions_dir.glob(".*")]
        for leftover in leftovers:
            shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)


def check_output(target: Path, option: str, inputs: set[Path] | frozenset[Path] = frozenset()) -> None:
    """An output never replaces an input nor anything in a home's published versions."""
    real = target.resolve()
    if real in inputs:
        raise NewwordError(f"{option} {target}: is one of the input files; write the output elsewhere")
    for folder in real.parents:
        if VERSION_DIR.match(folder.name) and folder.parent.name == "versions":
            raise NewwordError(f"{option} {target}: is inside the published version {folder}, which never changes")
    if real.name == "warehouse.duckdb" and (real.parent / "versions").is_dir() and option != "--home":
        raise NewwordError(
            f"{option} {target}: is the warehouse of the home {real.parent}; use `newword refresh --home {real.parent}`"
        )


def fsync_tree(folder: Path) -> None:
    """Flush a folder's files and the folder itself, so a rename after it publishes whole files."""
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
