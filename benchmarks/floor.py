"""Benchmark: what a 10x speed-up over the reference would leave. On real text of a given size, the
plain-Python reference and newword discover against the bare DuckDB statements that read, split and
count (FLOOR_STEPS: no checks, no normalisation, no cut, nothing published).

    .venv/bin/python benchmarks/floor.py MB [--times N]

Each side runs in a fresh process, N times; the fastest run of each is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from common import best, real_corpus, run_json

# A bare DuckDB pipeline, the least that any SQL version of the algorithm does before its cut: read
# the lines, split them into runs of newword's characters, group the distinct ones, count 1..4-grams as
# integers level by level. No checks, no normalisation, no cut, nothing published.
FLOOR_STEPS = [
    ("read lines", "CREATE TABLE lines AS SELECT unnest(string_split(content, chr(10))) AS line FROM read_text($path)"),
    (
        "split sentences",
        "CREATE TABLE sentences AS SELECT unnest(regexp_extract_all(line, $pattern)) AS sentence FROM lines",
    ),
    (
        "distinct sentences, as codes",
        """CREATE TABLE sentence_codes AS SELECT count(*) AS occurrences,
        list_transform(string_split(sentence, ''), lambda c: unicode(c)::BIGINT) AS codes
        FROM sentences GROUP BY sentence""",
    ),
    (
        "count 1-grams",
        """CREATE TABLE g1 AS SELECT code, sum(occurrences)
        FROM (SELECT unnest(codes) AS code, occurrences FROM sentence_codes)
        GROUP BY code HAVING sum(occurrences) >= 25""",
    ),
    (
        "count 2-grams",
        """CREATE TABLE g2 AS SELECT (c0 << 21) + c1 AS key, sum(occurrences)
        FROM (SELECT unnest(codes) AS c0, unnest(codes[2:]) AS c1, occurrences FROM sentence_codes)
        WHERE c1 IS NOT NULL GROUP BY key HAVING sum(occurrences) >= 25""",
    ),
    (
        "count 3-grams",
        """CREATE TABLE g3 AS SELECT (c0 << 42) + (c1 << 21) + c2 AS key, sum(occurrences)
        FROM (SELECT unnest(codes) AS c0, unnest(codes[2:]) AS c1, unnest(codes[3:]) AS c2, occurrences
            FROM sentence_codes)
        WHERE c2 IS NOT NULL AND (c0 << 21) + c1 IN (SELECT key FROM g2)
        GROUP BY key HAVING sum(occurrences) >= 25""",
    ),
    (
        "count 4-grams",
        """CREATE TABLE g4 AS SELECT (c0::HUGEINT << 63) + (c1 << 42) + (c2 << 21) + c3 AS key, sum(occurrences)
        FROM (SELECT unnest(codes) AS c0, unnest(codes[2:]) AS c1, unnest(codes[3:]) AS c2, unnest(codes[4:]) AS c3,
            occurrences FROM sentence_codes)
        WHERE c3 IS NOT NULL AND (c0 << 42) + (c1 << 21) + c2 IN (SELECT key FROM g3)
        GROUP BY key HAVING sum(occurrences) >= 25""",
    ),
]


def child_floor(corpus: str) -> dict:
    import duckdb

    from newword import warehouse
    from newword.settings import Settings

    seconds = {}
    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect()
        con.execute(
            "ATTACH $path AS floor (ROW_GROUP_SIZE $rows)",
            {"path": str(Path(folder) / "floor.duckdb"), "rows": warehouse.ROW_GROUP_SIZE},
        )
        con.execute("USE floor")
        values = {"path": corpus, "pattern": Settings(mode="reference").pattern}  # the sentences newword splits
        for name, statement in FLOOR_STEPS:
            bound = {key: value for key, value in values.items() if f"${key}" in statement}
            started = time.perf_counter()
            con.execute(statement, bound)
            seconds[name] = time.perf_counter() - started
        con.close()
    return {"steps": seconds, "seconds": sum(seconds.values())}


def bench_floor(size_mb: float, times: int) -> None:
    """The reference and newword discover on a real corpus, against the bare DuckDB statements above
    (the best of `times` runs each, each in a fresh process)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"real-{size_mb:g}mb.txt"
        real_corpus(path, int(size_mb * 1e6))
        ref, ours = best("reference", str(path), times), best("newword", str(path), times)
        floors = [run_json([sys.executable, __file__, "--child", str(path)], f"floor on {path}") for _ in range(times)]
        floor = min(floors, key=lambda run: run["seconds"])
    print(f"| real {size_mb:g} MB | seconds |")
    print("|---|---:|")
    print(f"| reference (plain Python) | {ref['seconds']:.2f} |")
    print(f"| **10x the reference** | **{ref['seconds'] / 10:.2f}** |")
    print(f"| newword discover | {ours['seconds']:.2f} |")
    for name, seconds in floor["steps"].items():
        print(f"| bare DuckDB: {name} | {seconds:.2f} |")
    print(f"| **bare DuckDB, before any cut** | **{floor['seconds']:.2f}** |")
    print(
        f"\nbest of {times}, each in a fresh process; {os.cpu_count()} cores. The bare statements check nothing, normalise "
        "nothing, cut nothing and publish nothing (benchmarks/floor.py, FLOOR_STEPS)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", metavar="MB", type=float, nargs="?", help="size of the real corpus in MB")
    parser.add_argument("--times", type=int, default=1, help="runs per side; the fastest is kept (default 1)")
    parser.add_argument("--child", metavar="CORPUS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_floor(args.child)))
        return
    if args.size is None or args.size <= 0 or args.times < 1:
        parser.error(f"needs a size above 0 MB and --times at least 1 (got {args.size}, {args.times})")
    bench_floor(args.size, args.times)


if __name__ == "__main__":
    main()
