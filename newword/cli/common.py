"""What the command groups share: the home a command reads, a verified version, help texts."""

from __future__ import annotations

import argparse
from pathlib import Path

HOME_HELP = "home folder with the corpus and the published versions (default $NEWWORD_HOME, else ~/.local/share/newword)"


ENVIRONMENT_HELP = (
    "environment: NEWWORD_THREADS and NEWWORD_MEMORY_LIMIT (DuckDB's threads and memory limit; default half the "
    "memory, at most 4 GB), NEWWORD_TEMP_DIRECTORY (where DuckDB spills; default <database>.tmp), "
    "NEWWORD_COMPACT_TEXT=1 (compress text columns: a warehouse about half the size, a build about 15% slower)"
)


def home_of(args: argparse.Namespace):
    from newword.home import Home, default_home

    return Home(Path(args.home) if args.home else default_home())


def verified(home, name: str):
    """A version whose files match its manifest (else a one-line error naming the file)."""
    from newword import publish

    version = home.version(name)
    publish.verify(version)
    return version
