"""Opening the DuckDB warehouse, with one-line errors for a missing or locked file."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from newword.errors import NewwordError

_PID = re.compile(r"PID (\d+)")


# Rows per row group of the tables newword writes (DuckDB's default is 122,880). DuckDB scans a table
# in parallel a row group at a time, so the documents of a corpus of tens of MB in one row group would
# be split into sentences on one core.
ROW_GROUP_SIZE = 16_384
# The storage format a new warehouse is written in: the DuckDB CLI on PyPI (duckdb-cli 1.5.6, installed
# with the project) reads formats up to 1.5; the library's own default it cannot open.
STORAGE_VERSION = "v1.5.0"


def connect(path: str | Path, read_only: bool = False, create: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a warehouse. A missing file is an error unless `create`; a lock names the holder."""
    path = Path(path)
    if not create and not path.exists():
        raise NewwordError(f"{path}: no such database (run `newword discover` to build one)")
    if path.exists() and not path.is_file():
        raise NewwordError(f"{path}: not a database file")
    con = duckdb.connect()  # in memory, the warehouse attached to it: ATTACH can set the row group size
    try:
        values = {"path": str(path), "rows": ROW_GROUP_SIZE, "read_only": read_only}
        if path.exists():  # a file keeps its format: one written in a newer one (by an earlier newword) cannot go back
            con.execute("ATTACH $path AS warehouse (ROW_GROUP_SIZE $rows, READ_ONLY $read_only)", values)
        else:
            con.execute(
                "ATTACH $path AS warehouse (ROW_GROUP_SIZE $rows, READ_ONLY $read_only, STORAGE_VERSION $storage)",
                {**values, "storage": STORAGE_VERSION},
            )
        con.execute("USE warehouse")
    except duckdb.IOException as exc:
        con.close()
        message = str(exc)
        if "lock" in message.lower():
            pid = _PID.search(message)
            holder = f" (PID {pid.group(1)})" if pid else ""
            raise NewwordError(f"{path}: database is locked by another process{holder}") from None
        raise NewwordError(f"{path}: cannot open database: {message.splitlines()[0]}") from None
    except duckdb.Error as exc:
        con.close()
        if "file handle conflict" in str(exc).lower():  # attached by another connection of this process
            raise NewwordError(f"{path}: database is already open in this process") from None
        raise NewwordError(f"{path}: not a DuckDB database: {str(exc).splitlines()[0]}") from None
    try:
        configure(con, spill=f"{path}.tmp")
    except BaseException:
        con.close()
        raise
    return con


def available_memory() -> int:
    """Bytes of memory this process may use: the machine's, or its cgroup's limit if lower (a container)."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return total


def default_memory_limit() -> str:
    """Half the available memory, at most 4 GB: DuckDB spills beyond it (its own default, 80% of the
    memory, lets a gigabyte corpus take most of the machine)."""
    return f"{min(4 * 2**30, available_memory() // 2) // 2**20}MiB"


def compact_text() -> bool:
    """NEWWORD_COMPACT_TEXT=1: compress text columns with DuckDB's FSST (0 or unset: store them plain)."""
    given = os.environ.get("NEWWORD_COMPACT_TEXT", "")
    if given not in ("", "0", "1"):
        raise NewwordError(f"NEWWORD_COMPACT_TEXT must be 0 or 1 (got {given!r})")
    return given == "1"


def configure(con: duckdb.DuckDBPyConnection, spill: str | None = None) -> None:
    """Threads, memory and spilling: all cores; NEWWORD_MEMORY_LIMIT, else default_memory_limit(); spills
    to NEWWORD_TEMP_DIRECTORY, else DuckDB's <database>.tmp beside the (scratch) database.
    DuckDB's own progress bar is off: newword prints its own progress (and --quiet means quiet).
    Text columns are written uncompressed unless NEWWORD_COMPACT_TEXT=1: choosing and applying FSST
    took 0.6 s of a 4.8 s discovery of 25 MB, for a file half the size (53 MB against 112 MB)."""
    con.execute("SET enable_progress_bar = false")
    if not compact_text():  # applies to what this connection writes; compressed tables stay readable
        con.execute("SET disabled_compression_methods = 'fsst,dict_fsst'")
    if threads := os.environ.get("NEWWORD_THREADS"):
        if not threads.strip().isdigit() or int(threads) < 1:
            raise NewwordError(f"NEWWORD_THREADS must be a whole number of threads >= 1 (got {threads!r})")
        con.execute("SET threads = $threads", {"threads": int(threads)})
    limit = os.environ.get("NEWWORD_MEMORY_LIMIT")
    try:
        con.execute("SET memory_limit = $limit", {"limit": limit or default_memory_limit()})
    except duckdb.Error:
        if not limit:
            raise
        raise NewwordError(f"NEWWORD_MEMORY_LIMIT must be a size such as 4GB or 512MiB (got {limit!r})") from None
    # where DuckDB spills when memory runs short: for a warehouse, <database>.tmp beside it (DuckDB's
    # own choice for a database file; it is attached to an in-memory one, whose default is ./.tmp)
    if spill := os.environ.get("NEWWORD_TEMP_DIRECTORY") or spill:
        con.execute("SET temp_directory = $spill", {"spill": spill})


def ensure_writable(path: Path) -> None:
    """Fail early when another process holds the database at `path` (it would be replaced under it)."""
    if path.exists():
        connect(path).close()
