"""Benchmark: a local refresh against the same refresh with --cluster on a Dask scheduler and two
single-threaded worker processes on this machine (fresh for each size), with each worker's peak
memory; the published lexicon and n-gram counts checked identical.

    .venv/bin/python benchmarks/cluster.py MB,...
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from common import characters_of, peak_mb, run_json, synthetic_corpus


def child_refresh(corpus: str, home: str, cluster: str | None) -> dict:
    """`newword refresh` in this process (reference mode, as the cluster cuts in it): time, peak memory."""
    from newword import cli

    started = time.perf_counter()
    extra = ["--cluster", cluster] if cluster else []
    code = cli.main(["refresh", corpus, "--home", home, "--mode", "reference", "--quiet", *extra])
    if code != 0:
        raise SystemExit(f"bench: refresh failed on {corpus}")
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_mb()}


def worker_peak_mb(pid: int) -> float:
    """A live process's peak resident memory so far (VmHWM)."""
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def bench_cluster(sizes_mb: list[float]) -> None:
    """One table: per synthetic size, a local refresh against the same refresh with --cluster on a
    Dask scheduler and two single-threaded worker processes on this machine (fresh for each size),
    with each worker's peak memory; the published lexicon and n-gram counts checked identical."""
    from newword import distributed
    from tests.conftest import dask_cluster, version_tables

    print("| corpus MB | M chars | shards | local s | local peak MB | cluster s | client peak MB | worker peak MB | identical |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes_mb:
            path = Path(folder) / f"synthetic-{size:g}MB.txt"
            synthetic_corpus(path, int(size * 1e6))
            characters = characters_of(path)
            local_home, cluster_home = Path(folder) / f"local-{size:g}", Path(folder) / f"cluster-{size:g}"
            local = run_json([sys.executable, __file__, "--child-refresh", str(path), str(local_home)], "the local refresh")
            with dask_cluster(Path(folder) / f"dask-{size:g}", [{}, {}]) as (address, workers, _):
                clustered = run_json(
                    [sys.executable, __file__, "--child-refresh", str(path), str(cluster_home), "--cluster-address", address],
                    "the refresh on the cluster",
                )
                peaks = [worker_peak_mb(worker.pid) for worker in workers]
            same = version_tables(local_home) == version_tables(cluster_home)
            if not same:
                raise SystemExit(f"bench: the cluster's lexicon differs from the local one at {size:g} MB")
            print(
                f"| {path.stat().st_size / 1e6:.0f} | {characters / 1e6:.1f} | {distributed.shard_count(characters)} "
                f"| {local['seconds']:.1f} | {local['peak_mb']:,.0f} | {clustered['seconds']:.1f} | {clustered['peak_mb']:,.0f} "
                f"| {' / '.join(f'{peak:,.0f}' for peak in peaks)} | yes |",
                flush=True,
            )
            path.unlink()
    print(
        f"\n{os.cpu_count()} cores; refresh --mode reference into an empty home (counting, cut, validation, publishing); "
        f"{distributed.CHARACTERS_PER_SHARD / 1e6:g} M characters a shard; identical: the published lexicon and n-gram counts."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", metavar="MB,...", nargs="?", help="synthetic corpus sizes in MB, for example 10,50,100")
    parser.add_argument("--child-refresh", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--cluster-address", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_refresh:
        print(json.dumps(child_refresh(*args.child_refresh, args.cluster_address)))
        return
    if not args.sizes:
        parser.error("give the corpus sizes, for example 10,50,100")
    bench_cluster([float(n) for n in args.sizes.split(",")])


if __name__ == "__main__":
    main()
