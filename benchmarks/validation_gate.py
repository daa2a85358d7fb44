"""Benchmark: the validation gate (every expectation suite, in Great Expectations' own process) on
synthetic warehouses of the given numbers of n-gram rows, all valid.

    .venv/bin/python benchmarks/validation_gate.py ROWS,...
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import common  # also puts the checkout on sys.path
import duckdb


def bench_validation(sizes: list[int]) -> None:
    """Time the validation gate on synthetic warehouses with `size` n-gram rows (all valid)."""
    from newword.settings import Settings
    from newword.validate import validate

    print("| n-gram rows | seconds | peak MB (GX process) |")
    print("|---:|---:|---:|")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "w.duckdb"
            con = duckdb.connect(str(db))
            con.execute(
                "CREATE TABLE ngram_counts AS SELECT chr((19968 + i // 20000)::INTEGER) || chr((19968 + i % 20000)::INTEGER) "
                "|| chr((19968 + i % 7)::INTEGER) AS ngram, 3 AS length, (25 + i % 7)::BIGINT AS count FROM range($n) t(i)",
                {"n": size},
            )
            con.execute(
                "CREATE TABLE lexicon AS SELECT ngram AS word, count, length, 99.0 AS cohesion, false AS is_known FROM ngram_counts LIMIT 100000"
            )
            con.execute(
                "CREATE TABLE cohesion AS SELECT ngram, length, count, 99.0 AS cohesion, 25.0 AS min_cohesion, true AS is_cohesive FROM ngram_counts"
            )
            con.execute(
                "CREATE TABLE documents AS SELECT 1::BIGINT AS doc_id, '中国' AS text, NULL::TIMESTAMPTZ AS document_date, now() AS ingested_at"
            )
            con.execute("CREATE TABLE sentences AS SELECT 1::BIGINT AS doc_id, '中国' AS sentence, 2::BIGINT AS length")
            con.execute(
                "CREATE TABLE run AS SELECT 2::BIGINT AS character_count, 1::BIGINT AS document_count, (SELECT count(*) FROM lexicon) AS word_count"
            )
            con.close()
            started = time.perf_counter()
            report = validate(db, Settings())
            seconds = time.perf_counter() - started
            child = common.peak_mb(resource.RUSAGE_CHILDREN)
            assert report.success and report.rows["ngram_counts"] == size
            print(f"| {size:,} | {seconds:.1f} | {child:,.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", metavar="ROWS,...", help="n-gram rows of each warehouse, for example 1000000,5000000")
    args = parser.parse_args()
    bench_validation([int(n) for n in args.rows.split(",")])


if __name__ == "__main__":
    main()
