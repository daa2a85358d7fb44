"""Shared fixtures: real corpora from the package registry, and helpers to run the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newword import corpora

ROOT = Path(__file__).resolve().parent.parent
NEWWORD = [sys.executable, "-m", "newword.cli"]


@pytest.fixture(scope="session")
def peoples_daily() -> list[str]:
    """People's Daily 1998-01, raw text (tags and spaces stripped), one document per line."""
    return corpora.peoples_daily()


@pytest.fixture(scope="session")
def reviews() -> list[str]:
    return corpora.reviews()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_newword(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real command line, in a subprocess, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NEWWORD_DEBUG", None)
    return subprocess.run([*NEWWORD, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def lexicon_of(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT word, count FROM lexicon").fetchall())
    finally:
        con.close()


def read_tsv(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
