"""Scale-out: the heavy steps as many small DuckDB jobs that workers of a cluster run, exchanging
Parquet files in a folder every worker sees. (The topwords E-step maps over lattice chunks the same
way: newword.topwords.fit with a mapper.)

Counting (map, then reduce):
- the new sentences are written as shards, by a hash of the sentence (shard_sentences);
- each shard is counted by DuckDB in a worker with the same statement as a local refresh
  (new_ngram_counts), and its counts are written partitioned by a hash of the n-gram;
- each partition is summed by one task (partition_totals). An n-gram never crosses a sentence and
  every count of an n-gram lands in its one partition, so the sums are exact.

The cut (reference mode): every sentence, sharded the same way, is cut in a worker with the cohesive
n-grams broadcast (cut.sql unchanged); each shard's pieces are counted, partitioned and reduced like
the n-grams into the cut table kept per piece (cut__cluster.sql), which candidates.sql counts unchanged.

Every task is a pure function of paths that rewrites its own output whole, so a task that dies with
its worker and runs again elsewhere leaves the result exact. Where tasks run is the caller's: a
`Mapper` maps a function over argument tuples and returns the results in order (local_map here;
dask.distributed from the CLI; prefect-dask tasks in flows/lexicon_refresh.py).
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from newword import failpoints, sqlfiles
from newword.errors import NewwordError

Mapper = Callable[[Callable[..., Any], list[tuple]], list]

CHARACTERS_PER_SHARD = 2_000_000  # about 6 MB of Chinese: a worker counts a shard in well under 1 GB


def local_map(function: Callable[..., Any], arguments: list[tuple]) -> list:
    """Run the tasks one after another in this process."""
    return [function(*args) for args in arguments]


def shard_characters() -> int:
    """Characters per shard: NEWWORD_SHARD_CHARACTERS, else CHARACTERS_PER_SHARD (about 6 MB)."""
    given = os.environ.get("NEWWORD_SHARD_CHARACTERS")
    if given is not None and not (given.isdigit() and int(given) > 0):
        raise NewwordError(f"NEWWORD_SHARD_CHARACTERS must be a whole number of characters > 0 (got {given!r})")
    return int(given or CHARACTERS_PER_SHARD)


def shard_count(characters: int) -> int:
    """Shards (and partitions) for this many characters: bounded work per task, at least two."""
    return max(2, math.ceil(characters / shard_characters()))


def _worker_connection() -> duckdb.DuckDBPyConnection:
    """In memory (a task keeps nothing but the files it writes), configured as the warehouse is, but
    with one thread unless NEWWORD_THREADS says otherwise: a worker runs one task per core."""
    from newword import warehouse

    con = duckdb.connect()
    warehouse.configure(con)
    if not os.environ.get("NEWWORD_THREADS"):
        con.execute("SET threads = 1")
    return con


def write_shards(con: duckdb.DuckDBPyConnection, folder: Path, after_doc_id: int, shards: int) -> list[tuple[str, list[str]]]:
    """The sentences of documents after `after_doc_id`, as Parquet shards under `folder`: (name,
    files) per non-empty shard, listed here where they were written, so that workers open exactly
    these files (a worker's listing of a shared folder may be stale)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sqlfiles.execute(con, "shard_sentences", {"after_doc_id": after_doc_id, "shards": shards, "target": str(folder)})
    return [(path.name, sorted(str(f) for f in path.glob("*.parquet"))) for path in sorted(folder.glob("shard=*"))]


def _written(target: str) -> list[tuple[int, list[str]]]:
    """(partition, files) a map task wrote under `target`, listed by the worker that wrote them."""
    found: dict[int, list[str]] = {}
    for path in sorted(Path(target).glob("part=*/*.parquet")):
        found.setdefault(int(path.parent.name.removeprefix("part=")), []).append(str(path))
    return sorted(found.items())


def count_shard(shard: list[str], target: str, max_n: int, partitions: int) -> list[tuple[int, list[str]]]:
    """Task: count one shard's n-grams (every one, whatever its count), partitioned by n-gram; return
    the files written per partition."""
    failpoints.reach("count_shard")
    con = _worker_connection()
    try:
        sqlfiles.materialise(con, "sentences__shard", {"shard_files": shard})
        sqlfiles.materialise(con, "new_ngram_counts", {"max_n": max_n, "after_doc_id": 0})
        sqlfiles.execute(con, "shard_ngram_parts", {"partitions": partitions, "target": target})
    finally:
        con.close()
    return _written(target)


def cut_shard(shard: list[str], cohesive_file: str, target: str, max_n: int, partitions: int) -> list[tuple[int, list[str]]]:
    """Task: cut one shard with the broadcast cohesive n-grams; its pieces counted, partitioned by piece."""
    con = _worker_connection()
    try:
        sqlfiles.materialise(con, "sentences__shard", {"shard_files": shard})
        sqlfiles.materialise(con, "sentence_types", {})
        sqlfiles.materialise(con, "cohesion__shard", {"cohesive_file": cohesive_file})
        sqlfiles.materialise(con, "cut", {"max_n": max_n})
        sqlfiles.execute(con, "shard_piece_parts", {"partitions": partitions, "target": target})
    finally:
        con.close()
    return _written(target)


def sum_partition(files: list[str], target: str) -> str:
    """Task: one partition's counts, from the files every shard wrote for it, summed into `target`."""
    con = _worker_connection()
    try:
        sqlfiles.execute(con, "partition_totals", {"part_files": files, "target": target})
    finally:
        con.close()
    return target


def _map_reduce(mapper: Mapper, folder: Path, task: Callable[..., list], arguments: list[tuple]) -> list[str]:
    """Run the map tasks, then one sum per partition over exactly the files the map tasks reported
    (not a directory listing, which shared file systems may serve stale); return the totals files."""
    (folder / "parts").mkdir(parents=True)
    (folder / "totals").mkdir()
    per_partition: dict[int, list[str]] = {}
    for written in mapper(task, arguments):
        for part, files in written:
            per_partition.setdefault(part, []).extend(files)
    reduces = [(files, str(folder / "totals" / f"{part}.parquet")) for part, files in sorted(per_partition.items())]
    totals = mapper(sum_partition, reduces)
    if not totals:  # nothing to count (no cohesive n-gram: no piece): one empty file keeps the shape
        totals = [str(folder / "totals" / "empty.parquet")]
        con = _worker_connection()
        try:
            sqlfiles.execute(con, "empty_totals", {"target": totals[0]})
        finally:
            con.close()
    return totals


def count_new_ngrams(con: duckdb.DuckDBPyConnection, values: dict, folder: Path, mapper: Mapper) -> int:
    """new_ngram_counts of a refresh, counted on the cluster: the table a local count would make."""
    characters = sqlfiles.query(con, "new_characters", values)[0][0] or 0
    shards = shard_count(characters)
    names = write_shards(con, folder / "sentences", values["after_doc_id"], shards)
    if not names:  # no new sentence: an empty table of the same shape
        shutil.rmtree(folder, ignore_errors=True)
        return sqlfiles.materialise(con, "new_ngram_counts", values)
    arguments = [(files, str(folder / "parts" / name), values["max_n"], shards) for name, files in names]
    totals = _map_reduce(mapper, folder, count_shard, arguments)
    rows = sqlfiles.materialise(con, "new_ngram_counts__cluster", {"total_files": totals})
    shutil.rmtree(folder, ignore_errors=True)
    counted = sqlfiles.query(con, "counted_characters")[0][0]
    if counted != characters:
        raise NewwordError(
            f"cluster counting is incomplete: {counted:,} of {characters:,} characters came back from the workers "
            "(do all workers see the home folder at the same path?)"
        )
    return rows


def cut_pieces(con: duckdb.DuckDBPyConnection, values: dict, folder: Path, mapper: Mapper) -> int:
    """Step 4 (reference mode) on the cluster: the cut table kept per piece (cut__cluster.sql), from which
    candidates.sql counts exactly what it counts from a local cut."""
    shards = shard_count(sqlfiles.query(con, "new_characters", {**values, "after_doc_id": 0})[0][0] or 0)
    names = write_shards(con, folder / "sentences", 0, shards)
    cohesive = folder / "cohesive.parquet"
    sqlfiles.execute(con, "cohesive_broadcast", {"target": str(cohesive)})
    arguments = [(files, str(cohesive), str(folder / "parts" / name), values["max_n"], shards) for name, files in names]
    totals = _map_reduce(mapper, folder, cut_shard, arguments)
    rows = sqlfiles.materialise(con, "cut__cluster", {"total_files": totals})
    shutil.rmtree(folder, ignore_errors=True)
    return rows
