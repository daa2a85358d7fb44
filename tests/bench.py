"""Benchmark: the newword pipeline and the plain-Python reference on the same corpora, in one run.

    .venv/bin/python tests/bench.py [--corpus peoples-daily|reviews|FILE ...] [--times N]

Each side runs in its own fresh process (so peak memory is its own), N times (best time kept).
Per stage: wall time and the peak resident memory of the process during the stage. The table
ends with the whole run and the ratio reference / newword (above 1: newword is faster).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Peak:
    """Samples this process's resident memory; `reset` starts a new window."""

    def __init__(self) -> None:
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.peak = 0
        self.stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def rss(self) -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * self.page

    def _run(self) -> None:
        while not self.stop.wait(0.005):
            self.peak = max(self.peak, self.rss())

    def reset(self) -> None:
        self.peak = self.rss()


def child_newword(corpus: str) -> dict:
    from newword import pipeline
    from newword.progress import Progress
    from newword.settings import Settings

    peak = Peak()
    stages: dict[str, dict] = {}

    class Measured(Progress):
        @contextlib.contextmanager
        def stage(self, name, number, total):
            peak.reset()
            started = time.perf_counter()
            with super().stage(name, number, total) as info:
                yield info
            stages[name] = {"seconds": time.perf_counter() - started, "peak_mb": max(peak.peak, peak.rss()) / 2**20}

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        settings = Settings(mode="reference")  # the reference implements algorithm.md: compare like with like
        result = pipeline.discover(
            [corpus], Path(folder) / "w.duckdb", Path(folder) / "lex.tsv", settings, progress=Measured(quiet=True)
        )
        total = time.perf_counter() - started
    return {
        "stages": stages,
        "seconds": total,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "words": result.words,
    }


def child_reference(corpus: str) -> dict:
    from tests import reference

    peak = Peak()
    stages: dict[str, dict] = {}

    @contextlib.contextmanager
    def stage(name):
        peak.reset()
        started = time.perf_counter()
        yield
        stages[name] = {"seconds": time.perf_counter() - started, "peak_mb": max(peak.peak, peak.rss()) / 2**20}

    started = time.perf_counter()
    with stage("documents"):
        documents = Path(corpus).read_text(encoding="utf-8").splitlines()
    with stage("sentences"):
        sents = reference.sentences(documents)
    with stage("ngram_counts"):
        counts = reference.ngram_counts(sents, 4, 25)
    with stage("cohesion"):
        keep = reference.cohesive(reference.cohesion(counts), {2: 5, 3: 25, 4: 125})
    with stage("cut+candidates"):
        cands = reference.candidates(sents, keep, 4, 25)
    with stage("lexicon"):
        lexicon = reference.lexicon(cands, keep, 4)
    total = time.perf_counter() - started
    return {
        "stages": stages,
        "seconds": total,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "words": len(lexicon),
    }


def run_child(side: str, corpus: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", side, corpus], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: {side} failed on {corpus}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def best(side: str, corpus: str, times: int) -> dict:
    runs = [run_child(side, corpus) for _ in range(times)]
    return min(runs, key=lambda r: r["seconds"])


ROWS = [  # (newword stages, reference stage)
    (["documents"], "documents"),
    (["sentences"], "sentences"),
    (["ngram_counts"], "ngram_counts"),
    (["cohesion"], "cohesion"),
    (["cut", "candidates"], "cut+candidates"),
    (["lexicon"], "lexicon"),
    (["publish"], None),
]


def table(name: str, size_mb: float, characters: int, ours: dict, ref: dict) -> list[str]:
    lines = []
    for stages, ref_stage in ROWS:
        secs = sum(ours["stages"][s]["seconds"] for s in stages)
        mem = max(ours["stages"][s]["peak_mb"] for s in stages)
        label = "+".join(stages)
        if ref_stage:
            r = ref["stages"][ref_stage]
            lines.append(
                f"| {name} | {label} | {secs:.2f} | {mem:,.0f} | {r['seconds']:.2f} | {r['peak_mb']:,.0f} | {r['seconds'] / secs:.1f}x |"
            )
        else:
            lines.append(f"| {name} | {label} | {secs:.2f} | {mem:,.0f} | - | - | - |")
    lines.append(
        f"| **{name}** ({size_mb:.1f} MB, {characters / 1e6:.2f} M chars) | **total** | **{ours['seconds']:.2f}** | **{ours['peak_mb']:,.0f}** "
        f"| **{ref['seconds']:.2f}** | **{ref['peak_mb']:,.0f}** | **{ref['seconds'] / ours['seconds']:.1f}x** |"
    )
    return lines


def bench_validation(sizes: list[int]) -> None:
    """Time the validation gate on synthetic warehouses with `size` n-gram rows (all valid)."""
    from newword.settings import Settings
    from newword.validate import validate

    print("| n-gram rows | seconds | peak MB (GX process) |")
    print("|---:|---:|---:|")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "w.duckdb"
            import duckdb

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
                "CREATE TABLE run AS SELECT 2::BIGINT AS character_count, 1::BIGINT AS document_count, 100000::BIGINT AS word_count"
            )
            con.close()
            started = time.perf_counter()
            report = validate(db, Settings())
            seconds = time.perf_counter() - started
            child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            assert report.success and report.rows["ngram_counts"] == size
            print(f"| {size:,} | {seconds:.1f} | {child:,.0f} |", flush=True)


def bench_incremental(name: str, share: float) -> None:
    """Time a refresh that adds `share` new text to a home holding the rest, against a full rebuild."""
    from newword import corpora, refresh
    from newword.home import Home
    from newword.progress import Progress

    documents = corpora.lines(name)
    cut = int(len(documents) * (1 - share))
    with tempfile.TemporaryDirectory() as folder:
        base, new, whole = (Path(folder) / f for f in ("base.txt", "new.txt", "whole.txt"))
        base.write_text("\n".join(documents[:cut]) + "\n", encoding="utf-8")
        new.write_text("\n".join(documents[cut:]) + "\n", encoding="utf-8")
        whole.write_text("\n".join(documents) + "\n", encoding="utf-8")

        def timed(home: Path, source: Path) -> dict[str, float]:
            progress = Progress(quiet=True)
            refresh.refresh([str(source)], Home(home), call=refresh.progress_call(progress), allow_size_change=True)
            return dict(progress.timings)

        timed(Path(folder) / "inc", base)
        incremental = timed(Path(folder) / "inc", new)
        full = timed(Path(folder) / "full", whole)
    print(
        f"| step | incremental refresh: +{len(documents) - cut:,} documents ({share:.0%}) s | full rebuild: {len(documents):,} documents s |"
    )
    print("|---|---:|---:|")
    for step in refresh.STEPS:
        print(f"| {step} | {incremental.get(step, 0):.2f} | {full.get(step, 0):.2f} |")
    print(f"| **total** | **{sum(incremental.values()):.2f}** | **{sum(full.values()):.2f}** |")
    counted = ("documents", "sentences", "ngram_counts")
    print(
        f"| documents + sentences + ngram_counts | {sum(incremental[s] for s in counted):.2f} | {sum(full[s] for s in counted):.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", help="peoples-daily, reviews or a text file (default: both real corpora)")
    parser.add_argument("--times", type=int, default=1, help="runs per side; the fastest is kept (default 1)")
    parser.add_argument(
        "--validation", metavar="ROWS,...", help="instead: time the validation gate on synthetic tables of these sizes"
    )
    parser.add_argument(
        "--incremental", metavar="CORPUS", help="instead: time a refresh adding 1%% new text against a full rebuild"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.incremental:
        bench_incremental(args.incremental, 0.01)
        return
    if args.validation:
        bench_validation([int(n) for n in args.validation.split(",")])
        return
    if args.child:
        side, corpus = args.child
        print(json.dumps(child_newword(corpus) if side == "newword" else child_reference(corpus)))
        return

    from newword import corpora

    print("| corpus | stage | newword s | newword peak MB | reference s | reference peak MB | speed-up |")
    print("|---|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for name in args.corpus or ["peoples-daily", "reviews"]:
            if name in corpora.NAMES:
                path = Path(folder) / f"{name}.txt"
                corpora.write(name, path)
            else:
                path = Path(name)
            text = path.read_text(encoding="utf-8")
            ours, ref = best("newword", str(path), args.times), best("reference", str(path), args.times)
            if ours["words"] != ref["words"]:
                raise SystemExit(f"bench: lexicon sizes differ on {name}: newword {ours['words']}, reference {ref['words']}")
            for line in table(Path(name).name, path.stat().st_size / 1e6, len(text), ours, ref):
                print(line, flush=True)
    print(
        f"\nnewword {os.cpu_count()} cores; defaults (max_n 4, min_count 25, min_cohesion 2:5,3:25,4:125); identical lexicon sizes checked."
    )


if __name__ == "__main__":
    main()
