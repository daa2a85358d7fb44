"""What the benchmarks share: corpora of a given size, a memory sampler, and the two sides timed
against each other (newword discover and the plain-Python reference), each in a fresh process.

    .venv/bin/python benchmarks/common.py --child newword|reference CORPUS [--mode MODE] [--with-validation]

runs one side once and prints its timings as one JSON line (the other benchmarks call it that way).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
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
sys.path.insert(0, str(ROOT))  # tests.reference and tests.conftest, from a checkout


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
    def step(self, steps: dict[str, dict], name: str):
        """Time the block and record its peak memory as steps[name]."""
        self.reset()
        started = time.perf_counter()
        yield
        steps[name] = {"seconds": time.perf_counter() - started, "peak_mb": max(self.peak, self.rss()) / 2**20}


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """The peak resident memory of this process (or of its finished children), in MB."""
    return resource.getrusage(who).ru_maxrss / 1024


def fingerprint(pairs) -> str:
    """The lexicon as a hash of its sorted (word, count) pairs: equal hashes, identical lexicons."""
    return hashlib.sha256("\n".join(f"{w}\t{c}" for w, c in sorted(pairs)).encode()).hexdigest()[:16]


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


def characters_of(path: Path) -> int:
    """Characters of a text file, its line ends not counted."""
    with open(path, encoding="utf-8") as handle:
        return sum(len(line) - 1 for line in handle)


def run_json(command: list[str], what: str) -> dict:
    """Run a benchmark child process and read the JSON line it ends with; stop the benchmark if it fails."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: {what} failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_newword(corpus: str, mode: str = "reference", validate: bool = False) -> dict:
    """newword discover on the corpus, per step (and then the validation gate when asked)."""
    from newword import pipeline
    from newword import validate as gate
    from newword.progress import Progress
    from newword.settings import Settings

    peak = Peak()
    steps: dict[str, dict] = {}

    def measured(name):
        return peak.step(steps, name)

    class Measured(Progress):
        @contextlib.contextmanager
        def step(self, name, number, total):
            with measured(name), super().step(name, number, total) as info:
                yield info

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        settings = Settings(mode=mode)  # reference by default: the reference implements algorithm.md
        result = pipeline.discover(
            [corpus], Path(folder) / "w.duckdb", Path(folder) / "lex.tsv", settings, progress=Measured(quiet=True)
        )
        discover_seconds = time.perf_counter() - started
        discover_peak = peak_mb()
        if validate:  # the gate a refresh runs before publishing: every expectation suite on the warehouse
            with measured("validate"):
                report = gate.validate(Path(folder) / "w.duckdb", settings)
            if not report.success:
                raise SystemExit(f"bench: validation failed on {corpus}")
            gx = peak_mb(resource.RUSAGE_CHILDREN)  # GX runs in a child process
            steps["validate"]["peak_mb"] = max(steps["validate"]["peak_mb"], gx)
        total = time.perf_counter() - started
        with open(Path(folder) / "lex.tsv", encoding="utf-8") as lexicon:
            next(lexicon)
            lexicon_hash = fingerprint((line.split("\t")[0], int(line.split("\t")[1])) for line in lexicon)
    return {
        "steps": steps,
        "seconds": discover_seconds,  # newword discover, the side compared with the reference
        "peak_mb": discover_peak,
        "end_to_end_seconds": total,  # with the validation gate
        "end_to_end_peak_mb": max(discover_peak, *(step["peak_mb"] for step in steps.values())),
        "words": result.words,
        "lexicon": lexicon_hash,
    }


def child_reference(corpus: str) -> dict:
    """The plain-Python reference of algorithm.md (tests/reference.py) on the corpus, per step."""
    from tests import reference

    peak = Peak()
    steps: dict[str, dict] = {}

    def step(name):
        return peak.step(steps, name)

    started = time.perf_counter()
    with step("documents"):
        # each distinct document once (after NFKC), as newword discover counts them by default
        documents = reference.distinct(Path(corpus).read_text(encoding="utf-8").splitlines())
    with step("sentences"):
        sents = reference.sentences(documents)
    with step("ngram_counts"):
        counts = reference.ngram_counts(sents, 4, 25)
    with step("cohesion"):
        keep = reference.cohesive(reference.cohesion(counts), {2: 5, 3: 25, 4: 125})
    with step("cut+candidates"):
        cands = reference.candidates(sents, keep, 4, 25)
    with step("lexicon"):
        lexicon = reference.lexicon(cands, keep, 4)
    total = time.perf_counter() - started
    return {
        "steps": steps,
        "seconds": total,
        "peak_mb": peak_mb(),
        "words": len(lexicon),
        "lexicon": fingerprint(lexicon.items()),
    }


def run_child(side: str, corpus: str, mode: str = "reference", validate: bool = False) -> dict:
    """One side, once, in a fresh process (so its peak memory is its own)."""
    command = [sys.executable, __file__, "--child", side, corpus, "--mode", mode] + (["--with-validation"] if validate else [])
    return run_json(command, f"{side} on {corpus}")


def best(side: str, corpus: str, times: int, mode: str = "reference") -> dict:
    """The fastest of `times` runs of one side."""
    runs = [run_child(side, corpus, mode) for _ in range(times)]
    return min(runs, key=lambda r: r["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--child", nargs=2, metavar=("SIDE", "CORPUS"), required=True, help="newword or reference, and a text file"
    )
    parser.add_argument("--mode", choices=("reference", "topwords"), default="reference", help="newword's mode")
    parser.add_argument("--with-validation", action="store_true", help="newword: then run the validation gate")
    args = parser.parse_args()
    side, corpus = args.child
    if side not in ("newword", "reference"):
        parser.error(f"--child: newword or reference (got {side})")
    print(json.dumps(child_newword(corpus, args.mode, args.with_validation) if side == "newword" else child_reference(corpus)))


if __name__ == "__main__":
    main()
