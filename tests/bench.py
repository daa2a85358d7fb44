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

    @contextlib.contextmanager
    def stage(self, stages: dict[str, dict], name: str):
        """Time the block and record its peak memory as stages[name]."""
        self.reset()
        started = time.perf_counter()
        yield
        stages[name] = {"seconds": time.perf_counter() - started, "peak_mb": max(self.peak, self.rss()) / 2**20}


def fingerprint(pairs) -> str:
    """The lexicon as a hash of its sorted (word, count) pairs: equal hashes, identical lexicons."""
    import hashlib

    return hashlib.sha256("\n".join(f"{w}\t{c}" for w, c in sorted(pairs)).encode()).hexdigest()[:16]


def child_newword(corpus: str, mode: str = "reference", validate: bool = False) -> dict:
    from newword import pipeline
    from newword import validate as gate
    from newword.progress import Progress
    from newword.settings import Settings

    peak = Peak()
    stages: dict[str, dict] = {}

    def measured(name):
        return peak.stage(stages, name)

    class Measured(Progress):
        @contextlib.contextmanager
        def stage(self, name, number, total):
            with measured(name), super().stage(name, number, total) as info:
                yield info

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        settings = Settings(mode=mode)  # reference by default: the reference implements algorithm.md
        result = pipeline.discover(
            [corpus], Path(folder) / "w.duckdb", Path(folder) / "lex.tsv", settings, progress=Measured(quiet=True)
        )
        discover_seconds = time.perf_counter() - started
        discover_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if validate:  # the gate a refresh runs before publishing: every expectation suite on the warehouse
            with measured("validate"):
                report = gate.validate(Path(folder) / "w.duckdb", settings)
            if not report.success:
                raise SystemExit(f"bench: validation failed on {corpus}")
            gx = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # GX runs in a child process
            stages["validate"]["peak_mb"] = max(stages["validate"]["peak_mb"], gx)
        total = time.perf_counter() - started
        with open(Path(folder) / "lex.tsv", encoding="utf-8") as lexicon:
            next(lexicon)
            lexicon_hash = fingerprint((line.split("\t")[0], int(line.split("\t")[1])) for line in lexicon)
    return {
        "stages": stages,
        "seconds": discover_seconds,  # newword discover, the side compared with the reference
        "peak_mb": discover_peak,
        "end_to_end_seconds": total,  # with the validation gate
        "end_to_end_peak_mb": max(discover_peak, *(stage["peak_mb"] for stage in stages.values())),
        "words": result.words,
        "lexicon": lexicon_hash,
    }


def child_reference(corpus: str, mode: str = "reference") -> dict:
    from tests import reference

    peak = Peak()
    stages: dict[str, dict] = {}

    def stage(name):
        return peak.stage(stages, name)

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
        "lexicon": fingerprint(lexicon.items()),
    }


def run_child(side: str, corpus: str, mode: str = "reference", validate: bool = False) -> dict:
    command = [sys.executable, __file__, "--child", side, corpus, "--mode", mode] + (["--with-validation"] if validate else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: {side} failed on {corpus}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def best(side: str, corpus: str, times: int, mode: str = "reference") -> dict:
    runs = [run_child(side, corpus, mode) for _ in range(times)]
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
        if ref_stage in ref["stages"]:
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


def synthetic_corpus(path: Path, size_bytes: int, seed: int = 0) -> None:
    """Seeded synthetic text: words drawn by frequency from jieba's dictionary (so distinct n-grams
    grow with size as in real text), 2..24 words a clause, clauses ended by ， or 。, 20 a line."""
    import itertools
    import random

    from newword import corpora

    entries = [line.split(" ") for line in corpora._package_file(corpora.FILES["jieba-dict"]).decode("utf-8").splitlines()]
    words = [e[0] for e in entries if len(e) >= 2 and e[1].isdigit()]
    weights = [int(e[1]) for e in entries if len(e) >= 2 and e[1].isdigit()]
    cumulative = list(itertools.accumulate(weights))
    rng = random.Random(seed)
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < size_bytes:
            clauses = []
            for _ in range(20):
                clauses.append("".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(2, 24))) + rng.choice("，，，。"))
            line = "".join(clauses) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))


def real_corpus(path: Path, size_bytes: int) -> None:
    """People's Daily and the reviews, concatenated and repeated up to the size (repeats are cheap for
    newword, which counts each distinct sentence once, so the synthetic corpus is the fairer test)."""
    from newword import corpora

    lines = corpora.lines("peoples-daily") + corpora.lines("reviews")
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < size_bytes:
            for line in lines:
                out.write(line + "\n")
                written += len(line.encode("utf-8")) + 1
                if written >= size_bytes:
                    break


SCALE_STAGES = [
    ("documents",),
    ("sentences",),
    ("ngram_counts",),
    ("cohesion",),
    ("cut", "candidates"),
    ("lexicon",),
    ("publish",),
    ("validate",),
]


def bench_scale(
    sizes_mb: list[float], sources: list[str], mode: str, reference_max_mb: float, chart: Path | None, times: int = 1
) -> None:
    """One table: per corpus and size, newword's per-stage time and peak memory from ingest to the
    validation gate, total, seconds per MB and peak memory, and the reference's time and peak memory
    where it can run (up to reference_max_mb), with the lexicons checked identical. Each side runs
    `times` times, alternately; the fastest run of each is kept."""
    heads = " | ".join("+".join(s) + " s (MB)" for s in SCALE_STAGES)
    print(
        f"| corpus | MB | M chars | {heads} | discover s | s/MB | discover peak MB | reference s | reference peak MB "
        "| speed-up | end to end s | end to end peak MB |"
    )
    print("|---" * (11 + len(SCALE_STAGES)) + "|")
    points: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as folder:
        for source in sources:
            for size in sizes_mb:
                path = Path(folder) / f"{source}-{size:g}MB.txt"
                (synthetic_corpus if source == "synthetic" else real_corpus)(path, int(size * 1e6))
                mb = path.stat().st_size / 1e6
                with open(path, encoding="utf-8") as handle:
                    characters = sum(len(line) - 1 for line in handle)
                with_reference = mode == "reference" and mb <= reference_max_mb
                ours_runs, ref_runs = [], []
                for _ in range(times):  # alternately, so that a slow spell of the machine hits both sides
                    ours_runs.append(run_child("newword", str(path), mode, validate=True))
                    if with_reference:
                        ref_runs.append(run_child("reference", str(path)))
                ours = min(ours_runs, key=lambda run: run["seconds"])
                ref = min(ref_runs, key=lambda run: run["seconds"]) if with_reference else None
                if ref is not None and ref["lexicon"] != ours["lexicon"]:
                    raise SystemExit(
                        f"bench: the lexicons differ at {mb:.0f} MB: newword {ours['words']} words, reference {ref['words']}"
                    )
                path.unlink()
                cells = []
                for group in SCALE_STAGES:
                    seconds = sum(ours["stages"][s]["seconds"] for s in group)
                    peak = max(ours["stages"][s]["peak_mb"] for s in group)
                    cells.append(f"{seconds:.1f} ({peak:,.0f})")
                ref_cells = (
                    f"{ref['seconds']:.1f} | {ref['peak_mb']:,.0f} | {ref['seconds'] / ours['seconds']:.1f}x"
                    if ref
                    else "- | - | -"
                )
                print(
                    f"| {source} | {mb:.1f} | {characters / 1e6:.1f} | {' | '.join(cells)} | {ours['seconds']:.1f} "
                    f"| {ours['seconds'] / mb:.2f} | {ours['peak_mb']:,.0f} | {ref_cells} "
                    f"| {ours['end_to_end_seconds']:.1f} | {ours['end_to_end_peak_mb']:,.0f} |",
                    flush=True,
                )
                points.setdefault(source, []).append((mb, ours["seconds"] / mb, ref["seconds"] / mb if ref else None))
    print(
        f"\nbest of {times} run{'s' if times > 1 else ''} a side; newword {os.cpu_count()} cores, DuckDB memory limit "
        f"{os.environ.get('NEWWORD_MEMORY_LIMIT') or 'default'}; --mode {mode}; "
        "discover: ingest to the published warehouse and TSV, as `newword discover`; end to end: then the validation gate "
        "(GX, in its own process); (MB): peak resident memory in the stage; lexicons identical where the reference ran."
    )
    if chart:
        for source, series in points.items():
            target = chart if len(points) == 1 else chart.with_name(f"{chart.stem}-{source}{chart.suffix}")
            target.write_text(scaling_svg(series, f"{source} corpus, --mode {mode}"), encoding="utf-8")
            print(f"chart: {target}")


def child_refresh(corpus: str, home: str, cluster: str | None) -> dict:
    """`newword refresh` in this process (reference mode, as the cluster cuts in it): time, peak memory."""
    from newword import cli

    started = time.perf_counter()
    extra = ["--cluster", cluster] if cluster else []
    code = cli.main(["refresh", corpus, "--home", home, "--mode", "reference", "--quiet", *extra])
    if code != 0:
        raise SystemExit(f"bench: refresh failed on {corpus}")
    return {"seconds": time.perf_counter() - started, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


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
            with open(path, encoding="utf-8") as handle:
                characters = sum(len(line) - 1 for line in handle)
            local_home, cluster_home = Path(folder) / f"local-{size:g}", Path(folder) / f"cluster-{size:g}"
            local = run_json([sys.executable, __file__, "--child-refresh", str(path), str(local_home)])
            with dask_cluster(Path(folder) / f"dask-{size:g}", [{}, {}]) as (address, workers, _):
                clustered = run_json(
                    [sys.executable, __file__, "--child-refresh", str(path), str(cluster_home), "--cluster-address", address]
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


def run_json(command: list[str]) -> dict:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command[2:4])} failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def scaling_svg(points: list[tuple[float, float, float | None]], title: str) -> str:
    """Seconds per MB against corpus size (log scale), newword and reference: a small standalone SVG."""
    import math

    width, height, left, bottom, top, right = 640, 360, 60, 40, 30, 20
    xs = [math.log10(p[0]) for p in points]
    ys = [v for p in points for v in p[1:] if v is not None]
    x0, x1 = min(xs) - 0.1, max(xs) + 0.1
    y1 = max(ys) * 1.15

    def at(mb: float, value: float) -> tuple[float, float]:
        x = left + (math.log10(mb) - x0) / (x1 - x0) * (width - left - right)
        y = height - bottom - value / y1 * (height - bottom - top)
        return x, y

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f'<text x="{left}" y="18">{title}: seconds per MB (lower is better; flat is linear)</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#444"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#444"/>',
    ]
    for mb, _, _ in points:
        x, _ = at(mb, 0)
        parts.append(f'<text x="{x:.0f}" y="{height - bottom + 16}" text-anchor="middle">{mb:.0f} MB</text>')
    for i in range(5):
        value = y1 * i / 4
        _, y = at(points[0][0], value)
        parts.append(f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end">{value:.2f}</text>')
    for index, (colour, name) in enumerate((("#1f77b4", "newword"), ("#d62728", "reference"))):
        series = [at(p[0], p[1 + index]) for p in points if p[1 + index] is not None]
        if not series:
            continue
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in series)}"/>'
        )
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in series]
        parts.append(f'<text x="{width - right - 90}" y="{top + 16 * (index + 1)}" fill="{colour}">{name}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)


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
        """CREATE TABLE distinct_sentences AS SELECT count(*) AS occurrences,
        list_transform(string_split(sentence, ''), lambda c: unicode(c)::BIGINT) AS codes
        FROM sentences GROUP BY sentence""",
    ),
    (
        "count 1-grams",
        """CREATE TABLE g1 AS SELECT code, sum(occurrences)
        FROM (SELECT unnest(codes) AS code, occurrences FROM distinct_sentences)
        GROUP BY code HAVING sum(occurrences) >= 25""",
    ),
    (
        "count 2-grams",
        """CREATE TABLE g2 AS SELECT (c0 << 21) + c1 AS key, sum(occurrences)
        FROM (SELECT unnest(codes) AS c0, unnest(codes[2:]) AS c1, occurrences FROM distinct_sentences)
        WHERE c1 IS NOT NULL GROUP BY key HAVING sum(occurrences) >= 25""",
    ),
    (
        "count 3-grams",
        """CREATE TABLE g3 AS SELECT (c0 << 42) + (c1 << 21) + c2 AS key, sum(occurrences)
        FROM (SELECT unnest(codes) AS c0, unnest(codes[2:]) AS c1, unnest(codes[3:]) AS c2, occurrences
            FROM distinct_sentences)
        WHERE c2 IS NOT NULL AND (c0 << 21) + c1 IN (SELECT key FROM g2)
        GROUP BY key HAVING sum(occurrences) >= 25""",
    ),
    (
        "count 4-grams",
        """CREATE TABLE g4 AS SELECT (c0::HUGEINT << 63) + (c1 << 42) + (c2 << 21) + c3 AS key, sum(occurrences)
        FROM (SELECT unnest(codes) AS c0, unnest(codes[2:]) AS c1, unnest(codes[3:]) AS c2, unnest(codes[4:]) AS c3,
            occurrences FROM distinct_sentences)
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
    return {"stages": seconds, "seconds": sum(seconds.values())}


def bench_floor(size_mb: float, times: int) -> None:
    """What 10x would leave: the reference and newword discover on a real corpus, against the bare
    DuckDB statements above (the best of `times` runs each, each in a fresh process)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"real-{size_mb:g}mb.txt"
        real_corpus(path, int(size_mb * 1e6))
        ref, ours = best("reference", str(path), times), best("newword", str(path), times)
        floor = best("floor", str(path), times)
    print(f"| real {size_mb:g} MB | seconds |")
    print("|---|---:|")
    print(f"| reference (plain Python) | {ref['seconds']:.2f} |")
    print(f"| **10x the reference** | **{ref['seconds'] / 10:.2f}** |")
    print(f"| newword discover | {ours['seconds']:.2f} |")
    for name, seconds in floor["stages"].items():
        print(f"| bare DuckDB: {name} | {seconds:.2f} |")
    print(f"| **bare DuckDB, before any cut** | **{floor['seconds']:.2f}** |")
    print(
        f"\nbest of {times}, each in a fresh process; {os.cpu_count()} cores. The bare statements check nothing, normalise "
        "nothing, cut nothing and publish nothing (tests/bench.py, FLOOR_STEPS)."
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
    parser.add_argument("--scale", metavar="MB,...", help="instead: time discovery on corpora of these sizes (one table)")
    parser.add_argument(
        "--source", default="synthetic", help="--scale corpora: synthetic, real or both as real,synthetic (default synthetic)"
    )
    parser.add_argument(
        "--mode",
        choices=("reference", "topwords"),
        default="reference",
        help="newword's mode (default reference, against its plain-Python reference; topwords against the reference mode)",
    )
    parser.add_argument(
        "--reference-max-mb", type=float, default=30, help="--scale: run the reference up to this size (default 30)"
    )
    parser.add_argument("--chart", type=Path, help="--scale: write the scaling chart (SVG) here")
    parser.add_argument(
        "--cluster", metavar="MB,...", help="instead: a local refresh against one on a 2-worker Dask cluster on this machine"
    )
    parser.add_argument(
        "--floor",
        metavar="MB",
        type=float,
        help="instead: the reference, newword and bare DuckDB statements on real text of this size",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child-refresh", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--cluster-address", help=argparse.SUPPRESS)
    parser.add_argument("--with-validation", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale:
        sources = args.source.split(",")
        if not set(sources) <= {"synthetic", "real"}:
            parser.error(f"--source: synthetic, real or real,synthetic (got {args.source})")
        bench_scale([float(n) for n in args.scale.split(",")], sources, args.mode, args.reference_max_mb, args.chart, args.times)
        return
    if args.child_refresh:
        print(json.dumps(child_refresh(*args.child_refresh, args.cluster_address)))
        return
    if args.cluster:
        bench_cluster([float(n) for n in args.cluster.split(",")])
        return
    if args.incremental:
        bench_incremental(args.incremental, 0.01)
        return
    if args.floor is not None:
        if args.floor <= 0 or args.times < 1:
            parser.error(f"--floor needs a size above 0 MB and --times at least 1 (got {args.floor:g}, {args.times})")
        bench_floor(args.floor, args.times)
        return
    if args.validation:
        bench_validation([int(n) for n in args.validation.split(",")])
        return
    if args.child:
        side, corpus = args.child
        print(
            json.dumps(
                child_newword(corpus, args.mode, args.with_validation)
                if side == "newword"
                else child_floor(corpus)
                if side == "floor"
                else child_reference(corpus, args.mode)
            )
        )
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
            ours = best("newword", str(path), args.times, args.mode)
            # the topwords mode's plain-Python reference takes hours at this size: it is timed against the reference mode
            ref = (
                best("newword", str(path), args.times, "reference")
                if args.mode == "topwords"
                else best("reference", str(path), args.times, args.mode)
            )
            if args.mode == "reference" and ours["lexicon"] != ref["lexicon"]:
                raise SystemExit(f"bench: the lexicons differ on {name}: newword {ours['words']} words, reference {ref['words']}")
            for line in table(Path(name).name, path.stat().st_size / 1e6, len(text), ours, ref):
                print(line, flush=True)
    if args.mode == "reference":
        print(
            f"\nnewword {os.cpu_count()} cores, best of {args.times}; --mode reference with its defaults "
            "(max_n 4, min_count 25, min_cohesion 2:5,3:25,4:125); identical lexicons (word and count) checked."
        )
    else:
        print(
            f"\nnewword {os.cpu_count()} cores, best of {args.times}; --mode topwords with its defaults (min_count 5, "
            "max_word_length 10, min_significance 8); the reference side is newword --mode reference, not a plain-Python reference."
        )


if __name__ == "__main__":
    main()
