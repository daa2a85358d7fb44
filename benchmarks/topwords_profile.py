"""Time the pieces of the topwords cut (newword.pipeline._topwords_cut) on a discovered warehouse.

    .venv/bin/python benchmarks/topwords_profile.py WAREHOUSE [--times 2] [--fit-log]

WAREHOUSE: a database written by `newword discover --mode topwords` (its sentence_types and
known_words are read; it is copied, never changed). Prints the seconds of each piece per run and the
median (wall and process seconds), and the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import functools
import resource
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

from newword import pipeline, settings, sqlfiles, topwords, warehouse

TIMINGS: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)  # process time (all threads): steadier than wall time on a busy machine


def timed(owner, attribute: str, label=None) -> None:
    """Wrap owner.attribute so its time is added to TIMINGS under label (the SQL name for sqlfiles)."""
    original = getattr(owner, attribute)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        name = label or (attribute if owner is topwords else f"sql:{args[1] if len(args) > 1 else attribute}")
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            TIMINGS[name] += time.perf_counter() - start
            CPU[name] += time.process_time() - cpu

    setattr(owner, attribute, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--times", type=int, default=2)
    parser.add_argument("--fit-log", action="store_true", help="print fit's per-iteration lines")
    args = parser.parse_args()
    for attribute in ("count_candidates", "build_lattice", "fit", "viterbi", "crossings"):
        timed(topwords, attribute)
    for attribute in ("materialise", "query_numpy", "read_numpy"):
        timed(sqlfiles, attribute)
    if args.fit_log:
        fit = topwords.fit
        topwords.fit = functools.wraps(fit)(lambda *a, **k: fit(*a, **{**k, "log": print}))
    s = settings.Settings(mode="topwords", min_count=5)
    build = SimpleNamespace(settings=s, parameters=lambda: {"pattern": s.pattern, "min_count": s.min_count})
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) / "base.duckdb"
        shutil.copy(args.warehouse, base)
        for _ in range(args.times):
            db = Path(scratch) / "run.duckdb"
            shutil.copy(base, db)
            con = warehouse.connect(db)
            TIMINGS.clear()
            CPU.clear()
            start, cpu = time.perf_counter(), time.process_time()
            pipeline._topwords_cut(con, build)
            TIMINGS["total"] = time.perf_counter() - start
            CPU["total"] = time.process_time() - cpu
            con.close()
            db.unlink()
            runs.append((dict(TIMINGS), dict(CPU)))
            print("  ".join(f"{k} {v:.2f}/{CPU[k]:.2f}" for k, v in sorted(TIMINGS.items(), key=lambda kv: -kv[1])))
    keys = sorted(runs[0][0], key=lambda k: -runs[0][0][k])
    print(
        "median wall/cpu s: "
        + "  ".join(
            f"{k} {statistics.median(w.get(k, 0.0) for w, _ in runs):.2f}/{statistics.median(c.get(k, 0.0) for _, c in runs):.2f}"
            for k in keys
        )
    )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
